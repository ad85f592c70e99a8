/* SPDX-License-Identifier: ISC */
/* vdpd: IGMPv2/v3 general query encoder and IGMP frame decoder (igmp.h). */
#include <string.h>

#include "bytes.h"
#include "migration/igmp.h"

#define ETH_MIN_FRAME 60 /* without FCS */

static const uint8_t all_hosts[4] = {224, 0, 0, 1};
static const uint8_t all_hosts_mac[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0x01};

const char *igmp_strerror(int err)
{
	switch (err) {
	case IGMP_E_TRUNCATED:
		return "IGMP message truncated";
	case IGMP_E_CHECKSUM:
		return "bad IGMP checksum";
	case IGMP_E_NOT_IGMP:
		return "not IGMP";
	case IGMP_E_INVAL:
		return "IGMP version must be 2 or 3";
	case IGMP_E_NOSPACE:
		return "no space";
	}
	return pkt_strerror(err);
}

int igmp_query_encode(const struct igmp_query *q, uint8_t *buf, size_t cap)
{
	if (q->version != 2 && q->version != 3)
		return IGMP_E_INVAL;
	size_t ilen = q->version == 3 ? IGMP_V3_QUERY_LEN : IGMP_V2_LEN;
	struct pkt_eth eth = {
	    .tagged = q->vid != 0, .vid = q->vid, .pcp = q->pcp, .type = PKT_ETH_IPV4};
	memcpy(eth.dst, all_hosts_mac, 6);
	memcpy(eth.src, q->src_mac, 6);
	/* As Linux sends them: precedence "internetwork control" (RFC 3376 4). */
	struct pkt_ipv4 ip = {
	    .proto = PKT_IPPROTO_IGMP, .ttl = 1, .tos = 0xc0, .router_alert = true, .len = ilen};
	memcpy(ip.dst, all_hosts, 4);
	size_t need = PKT_ETH_LEN + (eth.tagged ? PKT_VLAN_LEN : 0) + PKT_IPV4_MIN + 4 + ilen;
	size_t total = need < ETH_MIN_FRAME ? ETH_MIN_FRAME : need;
	if (cap < total)
		return IGMP_E_NOSPACE;
	memset(buf, 0, total);
	int e = pkt_eth_encode(&eth, buf, cap);
	int h = e < 0 ? e : pkt_ipv4_encode(&ip, buf + e, cap - (size_t)e);
	if (h < 0)
		return IGMP_E_NOSPACE;
	uint8_t *g = buf + e + h;
	g[0] = IGMP_QUERY;
	g[1] = q->max_resp;
	/* g[4..7]: group 0.0.0.0, a general query */
	if (q->version == 3) {
		g[8] = q->qrv & 7; /* S flag 0 */
		g[9] = q->qqic;
		/* g[10..11]: no sources */
	}
	put_be16(g + 2, pkt_csum(g, ilen, 0));
	return (int)total;
}

static int query(const uint8_t *g, size_t n, struct igmp_frame *out)
{
	out->max_resp = g[1];
	memcpy(out->group, g + 4, 4);
	out->version = n >= IGMP_V3_QUERY_LEN ? 3 : g[1] ? 2 : 1;
	return 0;
}

static int v3_report(const uint8_t *g, size_t n, struct igmp_frame *out)
{
	size_t off = 8;
	out->version = 3;
	out->ngroups = get_be16(g + 6);
	for (unsigned i = 0; i < out->ngroups; i++) {
		if (off + 8 > n)
			return IGMP_E_TRUNCATED;
		size_t rec = 8 + 4u * get_be16(g + off + 2) + 4u * g[off + 1];
		if (off + rec > n)
			return IGMP_E_TRUNCATED;
		if (i < IGMP_MAX_GROUPS) {
			out->rtypes[i] = g[off];
			memcpy(out->groups[i], g + off + 4, 4);
		}
		off += rec;
	}
	return 0;
}

int igmp_frame_decode(const uint8_t *frame, size_t len, struct igmp_frame *out)
{
	struct pkt_ipv4 ip;
	memset(out, 0, sizeof(*out));
	int off = pkt_ipv4_frame_decode(frame, len, PKT_IPPROTO_IGMP, &out->eth, &ip);
	if (off == PKT_E_NOT_IPV4 || off == PKT_E_PROTO)
		return IGMP_E_NOT_IGMP;
	if (off < 0)
		return off;
	const uint8_t *g = frame + off;
	size_t n = ip.len;
	if (n < IGMP_V2_LEN)
		return IGMP_E_TRUNCATED;
	if (pkt_csum(g, n, 0) != 0)
		return IGMP_E_CHECKSUM;
	memcpy(out->ip_src, ip.src, 4);
	memcpy(out->ip_dst, ip.dst, 4);
	out->router_alert = ip.router_alert;
	out->ttl = ip.ttl;
	out->tos = ip.tos;
	out->type = g[0];
	int rc = 0;
	switch (g[0]) {
	case IGMP_QUERY:
		rc = query(g, n, out);
		break;
	case IGMP_V3_REPORT:
		rc = v3_report(g, n, out);
		break;
	default: /* v1/v2 report, leave, or a type vdpd has no use for */
		out->version = g[0] == IGMP_V1_REPORT ? 1 : 2;
		memcpy(out->group, g + 4, 4);
		break;
	}
	return rc < 0 ? rc : (int)len;
}
