/* SPDX-License-Identifier: ISC */
/* vdp-station: command words to values (VNID, VSIID, MAC, IPv4).  Policy
 * words, whose syntax is in vdp-station(8), are libvdp's
 * (vdp_policy_entry_parse_word and vdp_policy_entry_word, vdp/format.h),
 * so that any tool over the station API reads and writes the same ones.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/format.h>

#include "vdp-station.h"

/* --- scalars -------------------------------------------------------------- */

int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int parse_vnid(const char *s, uint32_t *out, char *err, size_t errlen)
{
	if (parse_u32(s, UINT32_MAX, out) < 0) {
		snprintf(err, errlen, "'%s' is not a VNID (a number, 0..4294967295)", s);
		return -1;
	}
	return 0;
}

/* "uuid:..", "mac:..", "ipv4:..", "ipv6:..", "local:HEX", or the bare
 * text, tried as a UUID, a MAC, an IPv4 and an IPv6 address in turn. */
int parse_vsiid(const char *s, uint8_t *fmt, uint8_t id[VDP_VSIID_LEN], char *err, size_t errlen)
{
	static const uint8_t order[] = {VDP_VSIID_UUID, VDP_VSIID_MAC, VDP_VSIID_IPV4,
	                                VDP_VSIID_IPV6};
	const char *text;
	int f = vdp_vsiid_format_prefix(s, &text);
	if (f) {
		if (vdp_vsiid_parse((uint8_t)f, text, id) == 0) {
			*fmt = (uint8_t)f;
			return 0;
		}
		snprintf(err, errlen, "'%s' is not a valid %s VSIID", text,
		         vdp_vsiid_format_name((unsigned)f));
		return -1;
	}
	for (size_t i = 0; i < sizeof(order); i++)
		if (vdp_vsiid_parse(order[i], s, id) == 0) {
			*fmt = order[i];
			return 0;
		}
	snprintf(err, errlen,
	         "'%s' is not a VSIID: give a UUID (00112233-4455-6677-8899-aabbccddeeff), "
	         "a MAC, an IP address, or local:32-HEX-DIGITS",
	         s);
	return -1;
}

int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errlen)
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
	           &tail) != 6 ||
	    strlen(s) != 17) {
		snprintf(err, errlen, "'%s' is not a MAC address (like 52:54:00:12:34:56)", s);
		return -1;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	if (mac[0] & 1) {
		snprintf(err, errlen, "%s is a multicast MAC address; a VM's MAC is unicast", s);
		return -1;
	}
	return 0;
}

int parse_ipv4(const char *s, uint8_t ip[4], char *err, size_t errlen)
{
	if (inet_pton(AF_INET, s, ip) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address", s);
		return -1;
	}
	return 0;
}

/* --- policy words (libvdp's vdp_policy_entry_parse_word) ------------------- */

int parse_policy_word(const char *w, uint32_t vnid, struct vdp_policy *p, char *err, size_t errlen)
{
	struct vdp_policy_entry e;
	if (vdp_policy_entry_parse_word(w, vnid, &e, err, errlen) < 0)
		return -1;
	if (p->nentries >= VDP_MAX_POLICIES) {
		snprintf(err, errlen, "policy '%s': too many policy entries (at most %d)", w,
		         VDP_MAX_POLICIES);
		return -1;
	}
	p->entries[p->nentries++] = e;
	return 0;
}

/* A request type in the words of the station's answers: libvdp's TLV
 * names, but "help" for the Help Request and "none" for no stage. */
const char *tlv_word(uint8_t type)
{
	if (type == VDP_TLV_HELP)
		return "help";
	return type ? vdp_tlv_type_name(type) : "none";
}
