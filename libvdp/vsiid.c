/* SPDX-License-Identifier: ISC */
/* libvdp: VSIIDs as text, for logs, JSON and command lines.  IPv4 and MAC
 * VSIIDs sit right-aligned in the 16 octets, zero-filled in front. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include <vdp/tlv.h>

static char *hex(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n && o + 3 <= cap; i++)
		o += (size_t)snprintf(buf + o, cap - o, "%02x", p[i]);
	return buf;
}

char *vdp_vsiid_str(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN], char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	switch (fmt) {
	case VDP_VSIID_IPV4:
		if (!inet_ntop(AF_INET, id + 12, buf, (socklen_t)cap))
			buf[0] = 0;
		break;
	case VDP_VSIID_IPV6:
		if (!inet_ntop(AF_INET6, id, buf, (socklen_t)cap))
			buf[0] = 0;
		break;
	case VDP_VSIID_MAC:
		snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", id[10], id[11], id[12], id[13],
		         id[14], id[15]);
		break;
	case VDP_VSIID_UUID:
		snprintf(buf, cap,
		         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		         "%02x%02x%02x%02x%02x%02x",
		         id[0], id[1], id[2], id[3], id[4], id[5], id[6], id[7], id[8], id[9],
		         id[10], id[11], id[12], id[13], id[14], id[15]);
		break;
	default:
		hex(id, VDP_VSIID_LEN, buf, cap);
		break;
	}
	return buf;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads exactly n octets of hex, skipping the separators in `skip`. */
static int parse_hex(const char *s, const char *skip, uint8_t *out, size_t n)
{
	size_t got = 0;
	while (*s && got < n) {
		if (strchr(skip, *s)) {
			s++;
			continue;
		}
		int hi = nibble(s[0]), lo = hi < 0 ? -1 : nibble(s[1]);
		if (lo < 0)
			return -1;
		out[got++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	while (*s && strchr(skip, *s))
		s++;
	return got == n && *s == 0 ? 0 : -1;
}

int vdp_vsiid_parse(uint8_t fmt, const char *text, uint8_t id[VDP_VSIID_LEN])
{
	memset(id, 0, VDP_VSIID_LEN);
	switch (fmt) {
	case VDP_VSIID_IPV4:
		return inet_pton(AF_INET, text, id + 12) == 1 ? 0 : -1;
	case VDP_VSIID_IPV6:
		return inet_pton(AF_INET6, text, id) == 1 ? 0 : -1;
	case VDP_VSIID_MAC:
		return parse_hex(text, ":-", id + 10, 6);
	case VDP_VSIID_UUID:
		return parse_hex(text, "-", id, VDP_VSIID_LEN);
	case VDP_VSIID_LOCAL:
		return parse_hex(text, "", id, VDP_VSIID_LEN);
	default:
		return -1;
	}
}
