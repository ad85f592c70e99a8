/* SPDX-License-Identifier: ISC */
/* vdpd: Ethernet / 802.1Q / IPv4 / UDP headers (see pkt.h). */
#include <string.h>

#include "bytes.h"
#include "migration/pkt.h"

#define IPOPT_RA     148 /* router alert, RFC 2113 */
#define IP_DF        0x4000
#define IP_MF_OFFSET 0x3fff /* more-fragments bit and offset */

const char *pkt_strerror(int err)
{
	switch (err) {
	case PKT_E_TRUNCATED:
		return "truncated";
	case PKT_E_NOT_IPV4:
		return "not IPv4";
	case PKT_E_IP_HEADER:
		return "bad IPv4 header";
	case PKT_E_FRAGMENT:
		return "IPv4 fragment";
	case PKT_E_PROTO:
		return "other IP protocol";
	case PKT_E_NOSPACE:
		return "no space";
	}
	return "?";
}

uint16_t pkt_csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (; n > 1; p += 2, n -= 2)
		sum += get_be16(p);
	if (n)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int pkt_eth_decode(const uint8_t *buf, size_t len, struct pkt_eth *out)
{
	if (len < PKT_ETH_LEN)
		return PKT_E_TRUNCATED;
	memset(out, 0, sizeof(*out));
	memcpy(out->dst, buf, 6);
	memcpy(out->src, buf + 6, 6);
	out->type = get_be16(buf + 12);
	if (out->type != PKT_ETH_8021Q)
		return PKT_ETH_LEN;
	if (len < PKT_ETH_LEN + PKT_VLAN_LEN)
		return PKT_E_TRUNCATED;
	uint16_t tci = get_be16(buf + 14);
	out->tagged = true;
	out->pcp = (uint8_t)(tci >> 13);
	out->vid = tci & 0x0fff;
	out->type = get_be16(buf + 16);
	return PKT_ETH_LEN + PKT_VLAN_LEN;
}

int pkt_ipv4_frame_decode(const uint8_t *frame, size_t len, uint8_t proto, struct pkt_eth *eth,
                          struct pkt_ipv4 *ip)
{
	int e = pkt_eth_decode(frame, len, eth);
	if (e < 0)
		return e;
	if (eth->type != PKT_ETH_IPV4)
		return PKT_E_NOT_IPV4;
	int h = pkt_ipv4_decode(frame + e, len - (size_t)e, proto, ip);
	return h < 0 ? h : e + h;
}

int pkt_eth_encode(const struct pkt_eth *in, uint8_t *buf, size_t cap)
{
	size_t n = PKT_ETH_LEN + (in->tagged ? PKT_VLAN_LEN : 0);
	if (cap < n)
		return PKT_E_NOSPACE;
	memcpy(buf, in->dst, 6);
	memcpy(buf + 6, in->src, 6);
	if (in->tagged) {
		put_be16(buf + 12, PKT_ETH_8021Q);
		put_be16(buf + 14, (uint16_t)((in->pcp & 7) << 13 | (in->vid & 0x0fff)));
	}
	put_be16(buf + n - 2, in->type);
	return (int)n;
}

/* Walks the options of a header for the router alert. */
static bool has_router_alert(const uint8_t *opt, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (opt[i] == 0) /* end of options */
			return false;
		if (opt[i] == 1) { /* no-op */
			i++;
			continue;
		}
		if (i + 1 >= n || opt[i + 1] < 2 || i + opt[i + 1] > n)
			return false;
		if (opt[i] == IPOPT_RA)
			return true;
		i += opt[i + 1];
	}
	return false;
}

int pkt_ipv4_decode(const uint8_t *buf, size_t len, uint8_t proto, struct pkt_ipv4 *out)
{
	if (len < PKT_IPV4_MIN)
		return PKT_E_TRUNCATED;
	size_t hlen = (size_t)(buf[0] & 0x0f) * 4, tot = get_be16(buf + 2);
	if (buf[0] >> 4 != 4 || hlen < PKT_IPV4_MIN || tot < hlen)
		return PKT_E_IP_HEADER;
	if (hlen > len || tot > len)
		return PKT_E_TRUNCATED;
	if (pkt_csum(buf, hlen, 0) != 0)
		return PKT_E_IP_HEADER;
	if (get_be16(buf + 6) & IP_MF_OFFSET)
		return PKT_E_FRAGMENT;
	if (proto && buf[9] != proto)
		return PKT_E_PROTO;
	memset(out, 0, sizeof(*out));
	out->tos = buf[1];
	out->ttl = buf[8];
	out->proto = buf[9];
	memcpy(out->src, buf + 12, 4);
	memcpy(out->dst, buf + 16, 4);
	out->router_alert = has_router_alert(buf + PKT_IPV4_MIN, hlen - PKT_IPV4_MIN);
	out->hlen = hlen;
	out->len = tot - hlen;
	return (int)hlen;
}

int pkt_ipv4_encode(const struct pkt_ipv4 *in, uint8_t *buf, size_t cap)
{
	size_t hlen = PKT_IPV4_MIN + (in->router_alert ? 4 : 0);
	if (cap < hlen || in->len > 0xffff - hlen)
		return PKT_E_NOSPACE;
	memset(buf, 0, hlen);
	buf[0] = (uint8_t)(0x40 | hlen / 4);
	buf[1] = in->tos;
	put_be16(buf + 2, (uint16_t)(hlen + in->len));
	put_be16(buf + 6, IP_DF);
	buf[8] = in->ttl;
	buf[9] = in->proto;
	memcpy(buf + 12, in->src, 4);
	memcpy(buf + 16, in->dst, 4);
	if (in->router_alert) {
		buf[20] = IPOPT_RA;
		buf[21] = 4; /* length; value 0: "examine packet" */
	}
	put_be16(buf + 10, pkt_csum(buf, hlen, 0));
	return (int)hlen;
}

int pkt_udp_encode(const uint8_t src_ip[4], const uint8_t dst_ip[4], uint16_t sport, uint16_t dport,
                   uint8_t *buf, size_t cap, size_t plen)
{
	uint8_t pseudo[12];
	if (cap < PKT_UDP_LEN + plen || plen > 0xffff - PKT_UDP_LEN)
		return PKT_E_NOSPACE;
	put_be16(buf, sport);
	put_be16(buf + 2, dport);
	put_be16(buf + 4, (uint16_t)(PKT_UDP_LEN + plen));
	put_be16(buf + 6, 0);
	memcpy(pseudo, src_ip, 4);
	memcpy(pseudo + 4, dst_ip, 4);
	pseudo[8] = 0;
	pseudo[9] = PKT_IPPROTO_UDP;
	put_be16(pseudo + 10, (uint16_t)(PKT_UDP_LEN + plen));
	uint16_t c = pkt_csum(buf, PKT_UDP_LEN + plen, (uint16_t)~pkt_csum(pseudo, 12, 0));
	put_be16(buf + 6, c ? c : 0xffff); /* 0 means "no checksum" in UDP */
	return PKT_UDP_LEN;
}
