/* SPDX-License-Identifier: ISC */
/* vdp-pcap: reading captures with libpcap, and what kind of frame is what.
 *
 * Frames are held in memory: reference captures are small, and the replay
 * needs the whole conversation before it sends the first frame (to find
 * the station, and to know what each request waits for). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <vdp/ecp.h>

#include "bytes.h"
#include "array.h"
#include "vdp-pcap.h"

#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define VLAN_TAG_LEN   4

static bool is_tag(unsigned type)
{
	return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ;
}

enum frame_kind frame_classify(const uint8_t *data, size_t len)
{
	if (len < VDP_ETH_HDR_LEN)
		return FRAME_OTHER;
	unsigned type = get_be16(data + 12);
	if (is_tag(type) && len >= VDP_ETH_HDR_LEN + VLAN_TAG_LEN)
		type = get_be16(data + 16);
	if (type == VDP_ECP_ETHERTYPE)
		return FRAME_ECP;
	if (type == ETHERTYPE_LLDP)
		return FRAME_LLDP;
	return FRAME_OTHER;
}

/* ECP over an S-channel or a tagged trunk carries one tag; the codecs want
 * the EtherType at offset 12, so the tag is taken out and remembered. */
int frame_fill(struct frame *f, unsigned no, const struct timeval *ts, const uint8_t *data,
               size_t caplen, size_t wirelen)
{
	memset(f, 0, sizeof(*f));
	f->no = no;
	f->ts = *ts;
	f->wirelen = wirelen;
	f->data = malloc(caplen ? caplen : 1);
	if (!f->data)
		return -1;
	if (caplen >= VDP_ETH_HDR_LEN + VLAN_TAG_LEN && is_tag(get_be16(data + 12))) {
		f->tagged = true;
		f->vlan = (uint16_t)get_be16(data + 14);
		memcpy(f->data, data, 12);
		memcpy(f->data + 12, data + 16, caplen - 16);
		f->len = caplen - VLAN_TAG_LEN;
	} else {
		memcpy(f->data, data, caplen);
		f->len = caplen;
	}
	return 0;
}

static int push(struct capture *c, const struct pcap_pkthdr *h, const uint8_t *data)
{
	if (ARRAY_GROW(c->v, c->cap, c->n + 1) < 0)
		return -1;
	if (frame_fill(&c->v[c->n], (unsigned)c->n + 1, &h->ts, data, h->caplen, h->len) < 0)
		return -1;
	if (c->n == 0)
		c->t0 = h->ts;
	c->n++;
	return 0;
}

int capture_load(const char *path, struct capture *c, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	memset(c, 0, sizeof(*c));
	/* Microseconds whatever the file holds: times print the same for a
	 * pcap and a nanosecond pcapng of the same traffic. */
	pcap_t *p =
	    pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO, perr);
	if (!p) {
		snprintf(err, errlen, "%s", perr);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen,
		         "%s: link type %s; only Ethernet captures are read (capture on the "
		         "interface itself, not on \"any\")",
		         path, pcap_datalink_val_to_name(pcap_datalink(p)));
		pcap_close(p);
		return -1;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (push(c, h, data) < 0) {
			snprintf(err, errlen, "%s: out of memory at frame %zu", path, c->n + 1);
			pcap_close(p);
			capture_free(c);
			return -1;
		}
	}
	if (rc == PCAP_ERROR) {
		snprintf(err, errlen, "%s: frame %zu: %s", path, c->n + 1, pcap_geterr(p));
		pcap_close(p);
		capture_free(c);
		return -1;
	}
	pcap_close(p);
	return 0;
}

void capture_free(struct capture *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].data);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
	           &end) != 6 &&
	    sscanf(s, "%2x-%2x-%2x-%2x-%2x-%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
	           &end) != 6)
		return -1;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

void mac_str(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
	         mac[5]);
}
