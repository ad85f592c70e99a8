/* SPDX-License-Identifier: ISC */
/* vdpd: the daemon <-> DHCP parser child message codec (parser_msg.h).
 * Encoders and the decoder side by side; the decoder checks every field an
 * encoder could not have written, so that decode(encode(x)) == x and
 * encode(decode(b)) == b for every b it takes (tests/fuzz/fuzz-pmsg.c). */
#include <string.h>

#include "bytes.h"
#include "migration/parser_msg.h"

const char *pmsg_strerror(int err)
{
	static const char *const texts[] = {
	    [-PMSG_E_SHORT] = "shorter than its header or its type",
	    [-PMSG_E_VERSION] = "unknown version",
	    [-PMSG_E_TYPE] = "unknown type",
	    [-PMSG_E_LENGTH] = "length not the datagram's or not its type's",
	    [-PMSG_E_FIELD] = "field out of range",
	    [-PMSG_E_NOSPACE] = "buffer too small",
	};
	if (err < 0 && -err < (int)(sizeof(texts) / sizeof(texts[0])))
		return texts[-err];
	return "unknown error";
}

static int header(uint8_t type, uint32_t seq, size_t plen, uint8_t *buf, size_t cap)
{
	if (cap < PMSG_HDR_LEN + plen)
		return PMSG_E_NOSPACE;
	buf[0] = PMSG_VERSION;
	buf[1] = type;
	put_be16(buf + 2, (uint16_t)plen);
	put_be32(buf + 4, seq);
	return (int)(PMSG_HDR_LEN + plen);
}

int pmsg_encode_frame(uint32_t seq, const uint8_t *frame, size_t len, uint8_t *buf, size_t cap)
{
	if (len == 0 || len > PMSG_MAX_FRAME)
		return PMSG_E_FIELD;
	int n = header(PMSG_FRAME, seq, len, buf, cap);
	if (n > 0)
		memcpy(buf + PMSG_HDR_LEN, frame, len);
	return n;
}

int pmsg_encode_dhcp(uint32_t seq, const struct dhcp_frame *f, uint8_t *buf, size_t cap)
{
	const struct dhcp_msg *m = &f->msg;
	if (f->eth.vid > 4095 || (!f->eth.tagged && f->eth.vid))
		return PMSG_E_FIELD;
	int n = header(PMSG_DHCP, seq, PMSG_DHCP_LEN, buf, cap);
	if (n < 0)
		return n;
	uint8_t *p = buf + PMSG_HDR_LEN;
	memset(p, 0, PMSG_DHCP_LEN);
	p[0] = (uint8_t)((f->eth.tagged ? PMSG_F_TAGGED : 0) | (m->has_lease ? PMSG_F_LEASE : 0) |
	                 (m->has_requested_ip ? PMSG_F_REQUESTED_IP : 0));
	p[1] = m->op;
	p[2] = m->type;
	p[3] = m->htype;
	p[4] = m->hlen;
	put_be16(p + 6, f->eth.vid);
	memcpy(p + 8, f->eth.src, 6);
	memcpy(p + 14, f->ip_src, 4);
	memcpy(p + 18, m->chaddr, 16);
	memcpy(p + 34, m->yiaddr, 4);
	memcpy(p + 38, m->ciaddr, 4);
	if (m->has_requested_ip)
		memcpy(p + 42, m->requested_ip, 4);
	if (m->has_lease)
		put_be32(p + 46, m->lease_s);
	return n;
}

int pmsg_encode_reject(uint32_t seq, int err, uint8_t *buf, size_t cap)
{
	if (err >= 0 || err < -PMSG_MAX_ERR)
		return PMSG_E_FIELD;
	int n = header(PMSG_REJECT, seq, 1, buf, cap);
	if (n > 0)
		buf[PMSG_HDR_LEN] = (uint8_t)-err;
	return n;
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int decode_dhcp(const uint8_t *p, struct pmsg *out)
{
	struct dhcp_frame *f = &out->dhcp;
	struct dhcp_msg *m = &f->msg;
	uint16_t vid = get_be16(p + 6);
	bool tagged = p[0] & PMSG_F_TAGGED;
	m->has_lease = p[0] & PMSG_F_LEASE;
	m->has_requested_ip = p[0] & PMSG_F_REQUESTED_IP;
	/* What no encoder writes: unknown flags, the zero octet, a VLAN id
	 * past 4095 or on an untagged frame, an address or a lease that its
	 * flag says is absent, a hardware length past chaddr. */
	if ((p[0] & ~PMSG_F_ALL) || p[5] || vid > 4095 || (!tagged && vid) || p[4] > 16 ||
	    (!m->has_requested_ip && !zero(p + 42, 4)) || (!m->has_lease && !zero(p + 46, 4)))
		return PMSG_E_FIELD;
	f->eth.tagged = tagged;
	f->eth.vid = vid;
	m->op = p[1];
	m->type = p[2];
	m->htype = p[3];
	m->hlen = p[4];
	memcpy(f->eth.src, p + 8, 6);
	memcpy(f->ip_src, p + 14, 4);
	memcpy(m->chaddr, p + 18, 16);
	memcpy(m->yiaddr, p + 34, 4);
	memcpy(m->ciaddr, p + 38, 4);
	memcpy(m->requested_ip, p + 42, 4);
	m->lease_s = get_be32(p + 46);
	return 0;
}

int pmsg_decode(const uint8_t *buf, size_t len, struct pmsg *out)
{
	memset(out, 0, sizeof(*out));
	if (len < PMSG_HDR_LEN)
		return PMSG_E_SHORT;
	if (buf[0] != PMSG_VERSION)
		return PMSG_E_VERSION;
	size_t plen = get_be16(buf + 2);
	const uint8_t *p = buf + PMSG_HDR_LEN;
	if (plen != len - PMSG_HDR_LEN)
		return PMSG_E_LENGTH;
	out->type = buf[1];
	out->seq = get_be32(buf + 4);
	switch (buf[1]) {
	case PMSG_FRAME:
		if (plen == 0 || plen > PMSG_MAX_FRAME)
			return PMSG_E_LENGTH;
		out->frame = p;
		out->frame_len = plen;
		return 0;
	case PMSG_DHCP:
		return plen == PMSG_DHCP_LEN ? decode_dhcp(p, out) : PMSG_E_LENGTH;
	case PMSG_REJECT:
		if (plen != 1)
			return PMSG_E_LENGTH;
		if (p[0] == 0 || p[0] > PMSG_MAX_ERR)
			return PMSG_E_FIELD;
		out->err = -(int)p[0];
		return 0;
	default:
		return PMSG_E_TYPE;
	}
}

int pmsg_encode(const struct pmsg *m, uint8_t *buf, size_t cap)
{
	switch (m->type) {
	case PMSG_FRAME:
		return pmsg_encode_frame(m->seq, m->frame, m->frame_len, buf, cap);
	case PMSG_DHCP:
		return pmsg_encode_dhcp(m->seq, &m->dhcp, buf, cap);
	case PMSG_REJECT:
		return pmsg_encode_reject(m->seq, m->err, buf, cap);
	default:
		return PMSG_E_FIELD;
	}
}
