/* SPDX-License-Identifier: ISC */
/* Unit tests of the migration services' IGMP codec (vdpd/migration/igmp.c):
 *   - a real capture (pcaps/regen-migration.sh, igmp-linux.pcap) of a Linux
 *     bridge's own querier (v3, then v2 general queries, a group-specific
 *     query) and a Linux host's v3 reports, v2 report and leave: every
 *     message decodes to what tcpdump -v prints for it;
 *   - our general query, v2 and v3, byte by byte, and against the Linux
 *     bridge's query field by field (what a Linux VM answers to);
 *   - malformations and every prefix. */
#include <check.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "migration/igmp.h"

#ifndef VDP_PCAP_DIR
#define VDP_PCAP_DIR "pcaps"
#endif

#define MAX_FRAMES 32

static size_t nframes, flen[MAX_FRAMES];
static uint8_t frames[MAX_FRAMES][256];
static struct igmp_frame dec[MAX_FRAMES];

static void load(void)
{
	char path[512], err[PCAP_ERRBUF_SIZE];
	const char *dir = getenv("VDP_PCAP_DIR");
	snprintf(path, sizeof(path), "%s/igmp-linux.pcap", dir ? dir : VDP_PCAP_DIR);
	pcap_t *p = pcap_open_offline(path, err);
	ck_assert_msg(p, "%s: %s", path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	nframes = 0;
	while (pcap_next_ex(p, &h, &data) == 1 && nframes < MAX_FRAMES) {
		ck_assert_uint_le(h->caplen, sizeof(frames[0]));
		memcpy(frames[nframes], data, h->caplen);
		flen[nframes] = h->caplen;
		int rc = igmp_frame_decode(frames[nframes], flen[nframes], &dec[nframes]);
		ck_assert_msg(rc == (int)flen[nframes], "frame %zu: %d (%s)", nframes, rc,
		              igmp_strerror(rc));
		nframes++;
	}
	pcap_close(p);
}

static const uint8_t host_ip[4] = {10, 200, 0, 2};

/* The first decoded frame with this type, version and (for reports)
 * sender; -1 if none. */
static int find(uint8_t type, uint8_t version, const uint8_t *src)
{
	for (size_t i = 0; i < nframes; i++)
		if (dec[i].type == type && dec[i].version == version &&
		    (!src || memcmp(dec[i].ip_src, src, 4) == 0))
			return (int)i;
	return -1;
}

START_TEST(linux_bridge_and_host)
{
	static const uint8_t any[4], all_hosts[4] = {224, 0, 0, 1};
	load();
	ck_assert_uint_ge(nframes, 10);
	int q3 = find(IGMP_QUERY, 3, NULL), q2 = find(IGMP_QUERY, 2, NULL);
	ck_assert_int_ge(q3, 0);
	ck_assert_int_ge(q2, 0);
	for (int i = 0; i < 2; i++) {
		const struct igmp_frame *q = &dec[i ? q2 : q3];
		ck_assert_mem_eq(q->eth.dst, ((uint8_t[]){1, 0, 0x5e, 0, 0, 1}), 6);
		ck_assert_mem_eq(q->ip_src, any, 4);
		ck_assert_mem_eq(q->ip_dst, all_hosts, 4);
		ck_assert_mem_eq(q->group, any, 4); /* general */
		ck_assert_uint_eq(q->ttl, 1);
		ck_assert_uint_eq(q->tos, 0xc0);
		ck_assert(q->router_alert);
		ck_assert_uint_eq(q->max_resp, 100); /* the bridge's 10 s */
	}
	int r3 = find(IGMP_V3_REPORT, 3, host_ip);
	ck_assert_int_ge(r3, 0);
	ck_assert_uint_eq(dec[r3].ngroups, 1);
	ck_assert_mem_eq(dec[r3].groups[0], ((uint8_t[]){239, 2, 2, 2}), 4);
	ck_assert(dec[r3].rtypes[0] == 2 || dec[r3].rtypes[0] == 4); /* IS_EX / TO_EX */
	ck_assert_mem_eq(dec[r3].ip_dst, ((uint8_t[]){224, 0, 0, 22}), 4);
	int r2 = find(IGMP_V2_REPORT, 2, host_ip);
	ck_assert_int_ge(r2, 0);
	ck_assert_mem_eq(dec[r2].group, ((uint8_t[]){239, 1, 1, 1}), 4);
	ck_assert_mem_eq(dec[r2].eth.dst, ((uint8_t[]){1, 0, 0x5e, 1, 1, 1}), 6);
	int lv = find(IGMP_V2_LEAVE, 2, host_ip);
	ck_assert_int_ge(lv, 0);
	ck_assert_mem_eq(dec[lv].group, ((uint8_t[]){239, 1, 1, 1}), 4);
	/* After the leave, the bridge's group-specific query. */
	bool gsq = false;
	for (size_t i = (size_t)lv; i < nframes; i++)
		gsq |= dec[i].type == IGMP_QUERY &&
		       !memcmp(dec[i].group, ((uint8_t[]){239, 1, 1, 1}), 4) &&
		       dec[i].max_resp == 10;
	ck_assert(gsq);
}
END_TEST

START_TEST(query_v2_bytes)
{
	struct igmp_query q = {
	    .version = 2, .src_mac = {2, 0, 0, 0, 0, 0xaa}, .vid = 100, .pcp = 6, .max_resp = 5};
	uint8_t b[128];
	int n = igmp_query_encode(&q, b, sizeof(b));
	ck_assert_int_eq(n, 60); /* 18 + 24 + 8 = 50, padded */
	static const uint8_t want[] = {
	    0x01, 0x00, 0x5e, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xaa, /* MACs */
	    0x81, 0x00, 0xc0, 0x64, 0x08, 0x00, /* PCP 6 VID 100 */
	    0x46, 0xc0, 0x00, 0x20, 0x00, 0x00, 0x40, 0x00, 0x01, 0x02, 0x00, 0x00, /* IPv4 */
	    0x00, 0x00, 0x00, 0x00, 0xe0, 0x00, 0x00, 0x01, 0x94, 0x04, 0x00, 0x00,
	    0x11, 0x05, 0xee, 0xfa, 0x00, 0x00, 0x00, 0x00, /* query, 0.5 s, group 0 */
	};
	ck_assert_mem_eq(b, want, 28); /* up to the IP checksum */
	ck_assert_uint_eq(pkt_csum(b + 18, 24, 0), 0);
	ck_assert_mem_eq(b + 30, want + 30, sizeof(want) - 30);
	for (size_t i = sizeof(want); i < 60; i++)
		ck_assert_uint_eq(b[i], 0);
}
END_TEST

START_TEST(query_v3_like_linux)
{
	load();
	const struct igmp_frame *lq = &dec[find(IGMP_QUERY, 3, NULL)];
	struct igmp_query q = {
	    .version = 3, .src_mac = {2, 0, 0, 0, 0, 0xaa}, .max_resp = 100, .qrv = 2, .qqic = 125};
	uint8_t b[128];
	struct igmp_frame f;
	int n = igmp_query_encode(&q, b, sizeof(b));
	ck_assert_int_eq(n, 60);
	ck_assert_int_eq(igmp_frame_decode(b, (size_t)n, &f), n);
	ck_assert(!f.eth.tagged);
	ck_assert_mem_eq(f.eth.dst, lq->eth.dst, 6);
	ck_assert_mem_eq(f.ip_src, lq->ip_src, 4);
	ck_assert_mem_eq(f.ip_dst, lq->ip_dst, 4);
	ck_assert_uint_eq(f.ttl, lq->ttl);
	ck_assert_uint_eq(f.tos, lq->tos);
	ck_assert_uint_eq(f.router_alert, lq->router_alert);
	ck_assert_uint_eq(f.type, lq->type);
	ck_assert_uint_eq(f.version, 3);
	ck_assert_uint_eq(f.max_resp, lq->max_resp);
	ck_assert_mem_eq(f.group, lq->group, 4);
	/* the IGMPv3 tail: S 0 QRV 2, QQIC, no sources */
	ck_assert_mem_eq(b + 14 + 24 + 8, ((uint8_t[]){0x02, 125, 0, 0}), 4);
	q.version = 1;
	ck_assert_int_eq(igmp_query_encode(&q, b, sizeof(b)), IGMP_E_INVAL);
	q.version = 3;
	ck_assert_int_eq(igmp_query_encode(&q, b, 59), IGMP_E_NOSPACE);
}
END_TEST

START_TEST(hostile)
{
	struct igmp_frame f;
	uint8_t b[256];
	load();
	int r3 = find(IGMP_V3_REPORT, 3, host_ip);
	size_t n = flen[r3];
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = malloc(k ? k : 1);
		memcpy(p, frames[r3], k);
		ck_assert_msg(igmp_frame_decode(p, k, &f) < 0, "prefix %zu of %zu decoded", k, n);
		free(p);
	}
	const size_t g = 14 + 24; /* IGMP after Ethernet and IPv4 with RA */
	memcpy(b, frames[r3], n);
	b[g + 3] ^= 1;
	ck_assert_int_eq(igmp_frame_decode(b, n, &f), IGMP_E_CHECKSUM);
	/* A v3 report claiming two records with room for one (checksum fixed). */
	memcpy(b, frames[r3], n);
	b[g + 7] = 2;
	b[g + 2] = b[g + 3] = 0;
	put_be16(b + g + 2, pkt_csum(b + g, n - g, 0));
	ck_assert_int_eq(igmp_frame_decode(b, n, &f), IGMP_E_TRUNCATED);
	/* UDP is not IGMP. */
	memcpy(b, frames[r3], n);
	b[14 + 9] = 17;
	b[14 + 10] = b[14 + 11] = 0;
	put_be16(b + 24, pkt_csum(b + 14, 24, 0));
	ck_assert_int_eq(igmp_frame_decode(b, n, &f), IGMP_E_NOT_IGMP);
	ck_assert_str_eq(igmp_strerror(PKT_E_TRUNCATED), "truncated");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("igmp");
	TCase *t = tcase_create("igmp");
	tcase_add_test(t, linux_bridge_and_host);
	tcase_add_test(t, query_v2_bytes);
	tcase_add_test(t, query_v3_like_linux);
	tcase_add_test(t, hostile);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
