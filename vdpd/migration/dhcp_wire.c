/* SPDX-License-Identifier: ISC */
/* vdpd: DHCPv4 and DHCP Leasequery codecs (see dhcp_wire.h).
 *
 *   +0 op  +1 htype  +2 hlen  +3 hops  +4 xid (4)  +8 secs  +10 flags
 *   +12 ciaddr  +16 yiaddr  +20 siaddr  +24 giaddr  +28 chaddr (16)
 *   +44 sname (64)  +108 file (128)  +236 magic cookie  +240 options
 */
#include <string.h>

#include "bytes.h"
#include "migration/dhcp_wire.h"

#define OPT_OFF (DHCP_FIXED_LEN + 4)

const char *dhcp_type_name(unsigned type)
{
	static const char *const names[] = {
	    [DHCPDISCOVER] = "DHCPDISCOVER",
	    [DHCPOFFER] = "DHCPOFFER",
	    [DHCPREQUEST] = "DHCPREQUEST",
	    [DHCPDECLINE] = "DHCPDECLINE",
	    [DHCPACK] = "DHCPACK",
	    [DHCPNAK] = "DHCPNAK",
	    [DHCPRELEASE] = "DHCPRELEASE",
	    [DHCPINFORM] = "DHCPINFORM",
	    [DHCPLEASEQUERY] = "DHCPLEASEQUERY",
	    [DHCPLEASEUNASSIGNED] = "DHCPLEASEUNASSIGNED",
	    [DHCPLEASEUNKNOWN] = "DHCPLEASEUNKNOWN",
	    [DHCPLEASEACTIVE] = "DHCPLEASEACTIVE",
	};
	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return type ? "DHCP(other)" : "BOOTP";
}

const char *dhcp_strerror(int err)
{
	switch (err) {
	case DHCP_E_TRUNCATED:
		return "shorter than a DHCP message";
	case DHCP_E_MAGIC:
		return "no DHCP magic cookie";
	case DHCP_E_OPTION:
		return "option overruns the message or has a bad length";
	case DHCP_E_HLEN:
		return "hardware address longer than 16";
	case DHCP_E_NOT_DHCP:
		return "not UDP between ports 67 and 68";
	case DHCP_E_INVAL:
		return "field out of range";
	case DHCP_E_NOSPACE:
		return "no space";
	}
	return pkt_strerror(err);
}

/* One option's value into m; only the known ones, each length checked. */
static int option(struct dhcp_msg *m, uint8_t code, const uint8_t *v, uint8_t n)
{
	switch (code) {
	case DHO_MSG_TYPE:
		if (n != 1)
			return DHCP_E_OPTION;
		m->type = v[0];
		break;
	case DHO_LEASE_TIME:
	case DHO_CLIENT_LAST_TRANSACTION_TIME:
		if (n != 4)
			return DHCP_E_OPTION;
		if (code == DHO_LEASE_TIME) {
			m->has_lease = true;
			m->lease_s = get_be32(v);
		} else {
			m->has_cltt = true;
			m->cltt_s = get_be32(v);
		}
		break;
	case DHO_SERVER_ID:
	case DHO_REQUESTED_IP:
		if (n != 4)
			return DHCP_E_OPTION;
		if (code == DHO_SERVER_ID) {
			m->has_server_id = true;
			memcpy(m->server_id, v, 4);
		} else {
			m->has_requested_ip = true;
			memcpy(m->requested_ip, v, 4);
		}
		break;
	case DHO_ASSOCIATED_IP:
		if (n == 0 || n % 4)
			return DHCP_E_OPTION;
		for (unsigned i = 0; i < n / 4u && m->nassoc < DHCP_MAX_ASSOC; i++)
			memcpy(m->assoc[m->nassoc++], v + (size_t)4 * i, 4);
		break;
	case DHO_PRL:
		for (unsigned i = 0; i < n && m->nprl < DHCP_MAX_PRL; i++)
			m->prl[m->nprl++] = v[i];
		break;
	default:
		break;
	}
	return 0;
}

int dhcp_decode(const uint8_t *buf, size_t len, struct dhcp_msg *out)
{
	if (len < OPT_OFF)
		return DHCP_E_TRUNCATED;
	if (get_be32(buf + DHCP_FIXED_LEN) != DHCP_MAGIC)
		return DHCP_E_MAGIC;
	if (buf[2] > 16)
		return DHCP_E_HLEN;
	memset(out, 0, sizeof(*out));
	out->op = buf[0];
	out->htype = buf[1];
	out->hlen = buf[2];
	out->hops = buf[3];
	out->xid = get_be32(buf + 4);
	out->secs = get_be16(buf + 8);
	out->flags = get_be16(buf + 10);
	memcpy(out->ciaddr, buf + 12, 4);
	memcpy(out->yiaddr, buf + 16, 4);
	memcpy(out->siaddr, buf + 20, 4);
	memcpy(out->giaddr, buf + 24, 4);
	memcpy(out->chaddr, buf + 28, 16);
	for (size_t i = OPT_OFF; i < len;) {
		uint8_t code = buf[i];
		if (code == DHO_END)
			return (int)len;
		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (i + 2 > len || i + 2 + buf[i + 1] > len)
			return DHCP_E_OPTION;
		int rc = option(out, code, buf + i + 2, buf[i + 1]);
		if (rc < 0)
			return rc;
		i += 2u + buf[i + 1];
	}
	return (int)len; /* no End option: tolerated, as servers do */
}

/* Appends option code with n octets of v at *off. */
static int put_opt(uint8_t *buf, size_t cap, size_t *off, uint8_t code, const uint8_t *v, size_t n)
{
	if (n > 255 || *off + 2 + n > cap)
		return DHCP_E_NOSPACE;
	buf[*off] = code;
	buf[*off + 1] = (uint8_t)n;
	memcpy(buf + *off + 2, v, n);
	*off += 2 + n;
	return 0;
}

static int put_u32(uint8_t *buf, size_t cap, size_t *off, uint8_t code, uint32_t v)
{
	uint8_t b[4];
	put_be32(b, v);
	return put_opt(buf, cap, off, code, b, 4);
}

static int put_options(const struct dhcp_msg *in, uint8_t *buf, size_t cap, size_t *off)
{
	int rc = 0;
	if (in->type)
		rc = put_opt(buf, cap, off, DHO_MSG_TYPE, &in->type, 1);
	if (!rc && in->has_requested_ip)
		rc = put_opt(buf, cap, off, DHO_REQUESTED_IP, in->requested_ip, 4);
	if (!rc && in->has_lease)
		rc = put_u32(buf, cap, off, DHO_LEASE_TIME, in->lease_s);
	if (!rc && in->has_server_id)
		rc = put_opt(buf, cap, off, DHO_SERVER_ID, in->server_id, 4);
	if (!rc && in->nprl)
		rc = put_opt(buf, cap, off, DHO_PRL, in->prl, in->nprl);
	if (!rc && in->has_cltt)
		rc = put_u32(buf, cap, off, DHO_CLIENT_LAST_TRANSACTION_TIME, in->cltt_s);
	if (!rc && in->nassoc)
		rc =
		    put_opt(buf, cap, off, DHO_ASSOCIATED_IP, in->assoc[0], (size_t)4 * in->nassoc);
	return rc;
}

int dhcp_encode(const struct dhcp_msg *in, uint8_t *buf, size_t cap)
{
	size_t off = OPT_OFF;
	if (in->hlen > 16 || in->nassoc > DHCP_MAX_ASSOC || in->nprl > DHCP_MAX_PRL)
		return DHCP_E_INVAL;
	if (cap < DHCP_MIN_LEN)
		return DHCP_E_NOSPACE;
	memset(buf, 0, DHCP_MIN_LEN);
	buf[0] = in->op;
	buf[1] = in->htype;
	buf[2] = in->hlen;
	buf[3] = in->hops;
	put_be32(buf + 4, in->xid);
	put_be16(buf + 8, in->secs);
	put_be16(buf + 10, in->flags);
	memcpy(buf + 12, in->ciaddr, 4);
	memcpy(buf + 16, in->yiaddr, 4);
	memcpy(buf + 20, in->siaddr, 4);
	memcpy(buf + 24, in->giaddr, 4);
	memcpy(buf + 28, in->chaddr, 16);
	put_be32(buf + DHCP_FIXED_LEN, DHCP_MAGIC);
	int rc = put_options(in, buf, cap, &off);
	if (rc < 0)
		return rc;
	if (off + 1 > cap)
		return DHCP_E_NOSPACE;
	buf[off++] = DHO_END;
	if (off < DHCP_MIN_LEN) {
		memset(buf + off, 0, DHCP_MIN_LEN - off);
		off = DHCP_MIN_LEN;
	}
	return (int)off;
}

static bool dhcp_ports(uint16_t s, uint16_t d)
{
	return (s == DHCP_SERVER_PORT && (d == DHCP_CLIENT_PORT || d == DHCP_SERVER_PORT)) ||
	       (d == DHCP_SERVER_PORT && s == DHCP_CLIENT_PORT);
}

int dhcp_frame_decode(const uint8_t *frame, size_t len, struct dhcp_frame *out)
{
	struct pkt_ipv4 ip;
	memset(out, 0, sizeof(*out));
	int off = pkt_ipv4_frame_decode(frame, len, PKT_IPPROTO_UDP, &out->eth, &ip);
	if (off == PKT_E_PROTO)
		return DHCP_E_NOT_DHCP;
	if (off < 0)
		return off;
	const uint8_t *udp = frame + off;
	if (ip.len < PKT_UDP_LEN)
		return PKT_E_TRUNCATED;
	size_t ulen = get_be16(udp + 4);
	if (ulen < PKT_UDP_LEN || ulen > ip.len)
		return PKT_E_TRUNCATED;
	out->sport = get_be16(udp);
	out->dport = get_be16(udp + 2);
	if (!dhcp_ports(out->sport, out->dport))
		return DHCP_E_NOT_DHCP;
	memcpy(out->ip_src, ip.src, 4);
	memcpy(out->ip_dst, ip.dst, 4);
	int rc = dhcp_decode(udp + PKT_UDP_LEN, ulen - PKT_UDP_LEN, &out->msg);
	return rc < 0 ? rc : (int)len;
}

int dhcp_frame_encode(const struct dhcp_frame *in, uint8_t *buf, size_t cap)
{
	struct pkt_eth eth = in->eth;
	eth.type = PKT_ETH_IPV4;
	int e = pkt_eth_encode(&eth, buf, cap);
	if (e < 0)
		return DHCP_E_NOSPACE;
	size_t hl = PKT_IPV4_MIN, at = (size_t)e + hl + PKT_UDP_LEN;
	if (cap < at)
		return DHCP_E_NOSPACE;
	int m = dhcp_encode(&in->msg, buf + at, cap - at);
	if (m < 0)
		return m;
	struct pkt_ipv4 ip = {.proto = PKT_IPPROTO_UDP, .ttl = 64, .len = PKT_UDP_LEN + (size_t)m};
	memcpy(ip.src, in->ip_src, 4);
	memcpy(ip.dst, in->ip_dst, 4);
	if (pkt_ipv4_encode(&ip, buf + e, hl) < 0 ||
	    pkt_udp_encode(in->ip_src, in->ip_dst, in->sport, in->dport, buf + e + hl,
	                   cap - (size_t)e - hl, (size_t)m) < 0)
		return DHCP_E_NOSPACE;
	return (int)(at + (size_t)m);
}

void dhcp_leasequery(uint32_t xid, const uint8_t giaddr[4], const uint8_t mac[6], const uint8_t *ip,
                     struct dhcp_msg *out)
{
	memset(out, 0, sizeof(*out));
	out->op = DHCP_BOOTREQUEST;
	out->xid = xid;
	out->type = DHCPLEASEQUERY;
	memcpy(out->giaddr, giaddr, 4);
	if (ip) {
		memcpy(out->ciaddr, ip, 4);
	} else {
		out->htype = 1; /* Ethernet */
		out->hlen = 6;
		memcpy(out->chaddr, mac, 6);
	}
	static const uint8_t prl[] = {DHO_LEASE_TIME, DHO_CLIENT_LAST_TRANSACTION_TIME,
	                              DHO_ASSOCIATED_IP};
	memcpy(out->prl, prl, sizeof(prl));
	out->nprl = sizeof(prl);
}
