/* SPDX-License-Identifier: ISC */
/* libvdp: Policy Sync / Update / Remove TLVs (types 6, 7, 8; VNID policy).
 *
 *   +0 status  +1 VSI Type ID (3) = VNID low 24 bits  +4 VSI Type Version
 *   (VNID high 8 bits)  +5 number of entries (2)  +7 entries:
 *   policy type (1) | info length (2) | info
 * Entries of unknown type are skipped by their length, so that a device can
 * accept a policy list from a newer server.  Layouts: vdp-protocol(7).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vdp/tlv.h>

#include "tlv_internal.h"
#include "wire.h"

#define BW_LEN     9
#define ACL_LEN    49
#define QOS_LEN    2
#define VN4_LEN    9
#define VN6_LEN    21
#define SNOOP_LEN  1
#define VLAN_LEN   2
#define PREFIX_LEN 18

const char *vdp_policy_type_name(unsigned type)
{
	switch (type) {
	case VDP_POL_NONE:
		return "none";
	case VDP_POL_BANDWIDTH:
		return "bandwidth";
	case VDP_POL_ACL:
		return "acl";
	case VDP_POL_QOS:
		return "qos";
	case VDP_POL_VN:
		return "vn";
	case VDP_POL_DHCP_SNOOP:
		return "dhcp-snooping";
	case VDP_POL_IGMP_SNOOP:
		return "igmp-snooping";
	case VDP_POL_VLAN:
		return "vlan";
	default:
		return "unknown";
	}
}

/* Writes the phrase for a field out of range; returns VDP_E_POLICY_VALUE. */
static int bad(char *why, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t cap, const char *fmt, ...)
{
	if (why && cap) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return VDP_E_POLICY_VALUE;
}

static int prefix_check(const struct vdp_prefix *p, const char *side, char *why, size_t cap)
{
	switch (p->family) {
	case 0:
		return p->plen == 0 ? 0
		                    : bad(why, cap, "%s prefix: length %u with family 0 (any)",
		                          side, p->plen);
	case 4:
	case 6:
		if (p->plen <= (p->family == 4 ? 32 : 128))
			return 0;
		return bad(why, cap, "%s prefix: length %u above %u for IPv%u", side, p->plen,
		           p->family == 4 ? 32u : 128u, p->family);
	default:
		return bad(why, cap, "%s prefix: family %u (0, 4 or 6)", side, p->family);
	}
}

static int range_check(uint16_t lo, uint16_t hi, const char *side, char *why, size_t cap)
{
	if (lo <= hi)
		return 0;
	return bad(why, cap, "%s ports %u-%u backwards", side, lo, hi);
}

static int acl_check(const struct vdp_pol_acl *a, char *why, size_t cap)
{
	if (a->action > VDP_ACL_PERMIT)
		return bad(why, cap, "action %u (0 deny, 1 permit)", a->action);
	if (a->dir > VDP_DIR_BOTH)
		return bad(why, cap, "direction %u (0, 1 or 2)", a->dir);
	int rc = prefix_check(&a->src, "source", why, cap);
	if (rc == 0)
		rc = prefix_check(&a->dst, "destination", why, cap);
	if (rc == 0)
		rc = range_check(a->sport_lo, a->sport_hi, "source", why, cap);
	if (rc == 0)
		rc = range_check(a->dport_lo, a->dport_hi, "destination", why, cap);
	return rc;
}

static int qos_check(const struct vdp_pol_qos *q, char *why, size_t cap)
{
	if (q->pcp > 7 && q->pcp != VDP_QOS_UNSET)
		return bad(why, cap, "PCP %u above 7", q->pcp);
	if (q->dscp > 63 && q->dscp != VDP_QOS_UNSET)
		return bad(why, cap, "DSCP %u above 63", q->dscp);
	return 0;
}

int vdp_policy_entry_check(const struct vdp_policy_entry *e, char *why, size_t cap)
{
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		if (e->u.bw.dir > VDP_DIR_FROM_VM)
			return bad(why, cap, "direction %u (0 to the VM, 1 from it)", e->u.bw.dir);
		return e->u.bw.rate_kbps ? 0 : bad(why, cap, "rate 0 kbit/s");
	case VDP_POL_ACL:
		return acl_check(&e->u.acl, why, cap);
	case VDP_POL_QOS:
		return qos_check(&e->u.qos, why, cap);
	case VDP_POL_VN:
		if (e->u.vn.family == 4 || e->u.vn.family == 6)
			return 0;
		return bad(why, cap, "multicast family %u (4 or 6)", e->u.vn.family);
	case VDP_POL_VLAN:
		return e->u.vid <= VDP_VID_MAX
		           ? 0
		           : bad(why, cap, "VLAN %u above %u", e->u.vid, VDP_VID_MAX);
	default:
		return 0;
	}
}

static void prefix_get(const uint8_t *p, struct vdp_prefix *out)
{
	out->family = p[0];
	out->plen = p[1];
	memcpy(out->addr, p + 2, 16);
}

static void prefix_put(uint8_t *p, const struct vdp_prefix *in)
{
	p[0] = in->family;
	p[1] = in->plen;
	memcpy(p + 2, in->addr, 16);
}

/* The info length a known type must have; -1 for an unknown type. */
static int info_len(const struct vdp_policy_entry *e)
{
	switch (e->type) {
	case VDP_POL_NONE:
		return 0;
	case VDP_POL_BANDWIDTH:
		return BW_LEN;
	case VDP_POL_ACL:
		return ACL_LEN;
	case VDP_POL_QOS:
		return QOS_LEN;
	case VDP_POL_VN:
		return e->u.vn.family == 6 ? VN6_LEN : VN4_LEN;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		return SNOOP_LEN;
	case VDP_POL_VLAN:
		return VLAN_LEN;
	default:
		return -1;
	}
}

static void acl_get(const uint8_t *p, struct vdp_pol_acl *a)
{
	a->action = p[0];
	a->dir = p[1];
	a->ethertype = get16(p + 2);
	a->ip_proto = p[4];
	prefix_get(p + 5, &a->src);
	prefix_get(p + 5 + PREFIX_LEN, &a->dst);
	p += 5 + 2 * PREFIX_LEN;
	a->sport_lo = get16(p);
	a->sport_hi = get16(p + 2);
	a->dport_lo = get16(p + 4);
	a->dport_hi = get16(p + 6);
}

static void acl_put(uint8_t *p, const struct vdp_pol_acl *a)
{
	p[0] = a->action;
	p[1] = a->dir;
	put16(p + 2, a->ethertype);
	p[4] = a->ip_proto;
	prefix_put(p + 5, &a->src);
	prefix_put(p + 5 + PREFIX_LEN, &a->dst);
	p += 5 + 2 * PREFIX_LEN;
	put16(p, a->sport_lo);
	put16(p + 2, a->sport_hi);
	put16(p + 4, a->dport_lo);
	put16(p + 6, a->dport_hi);
}

/* Fills e from an info field whose type is known and length checked. */
static void info_get(const uint8_t *p, struct vdp_policy_entry *e)
{
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		e->u.bw.dir = p[0];
		e->u.bw.rate_kbps = get32(p + 1);
		e->u.bw.burst = get32(p + 5);
		break;
	case VDP_POL_ACL:
		acl_get(p, &e->u.acl);
		break;
	case VDP_POL_QOS:
		e->u.qos.pcp = p[0];
		e->u.qos.dscp = p[1];
		break;
	case VDP_POL_VN:
		e->u.vn.vnid = get32(p);
		e->u.vn.family = p[4];
		memcpy(e->u.vn.mcast, p + 5, e->u.vn.family == 6 ? 16 : 4);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		e->u.enable = p[0];
		break;
	case VDP_POL_VLAN:
		e->u.vid = get16(p);
		break;
	}
}

static void info_put(uint8_t *p, const struct vdp_policy_entry *e)
{
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		p[0] = e->u.bw.dir;
		put32(p + 1, e->u.bw.rate_kbps);
		put32(p + 5, e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		acl_put(p, &e->u.acl);
		break;
	case VDP_POL_QOS:
		p[0] = e->u.qos.pcp;
		p[1] = e->u.qos.dscp;
		break;
	case VDP_POL_VN:
		put32(p, e->u.vn.vnid);
		p[4] = e->u.vn.family;
		memcpy(p + 5, e->u.vn.mcast, e->u.vn.family == 6 ? 16 : 4);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		p[0] = e->u.enable ? 1 : 0;
		break;
	case VDP_POL_VLAN:
		put16(p, e->u.vid);
		break;
	}
}

/* Decodes one entry whose 3-octet header and info fit in the TLV. */
static int entry_decode(uint8_t type, const uint8_t *info, uint16_t ilen, bool check,
                        struct vdp_policy_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	if (type == VDP_POL_VN) {
		/* The family decides the length: read it first. */
		if (ilen < 5)
			return VDP_E_POLICY_INFO;
		e->u.vn.family = info[4];
		if (e->u.vn.family != 4 && e->u.vn.family != 6)
			return VDP_E_POLICY_VALUE;
	}
	if (info_len(e) != ilen)
		return VDP_E_POLICY_INFO;
	if ((type == VDP_POL_DHCP_SNOOP || type == VDP_POL_IGMP_SNOOP) && info[0] > 1)
		return VDP_E_POLICY_VALUE;
	info_get(info, e);
	return check ? vdp_policy_entry_check(e, NULL, 0) : 0;
}

static void head_get(const uint8_t *v, uint8_t type, struct vdp_policy *out)
{
	out->type = type;
	out->status = v[0];
	out->vnid = get24(v + 1) | (uint32_t)v[4] << 24;
	out->nentries = out->nskipped = 0;
}

/* vdp_policy_decode(), with or without the range checks of the entries. */
static int decode(const uint8_t *buf, size_t len, bool check, struct vdp_policy *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open_status(buf, len, VDP_TLV_POLICY_SYNC, VDP_TLV_POLICY_REMOVE,
	                         VDP_POLICY_FIXED_LEN, false, &h);
	if (rc < 0)
		return rc;
	const uint8_t *v = buf + VDP_TLV_HDR_LEN;
	head_get(v, h.type, out);

	uint16_t n = get16(v + 5);
	size_t off = VDP_POLICY_FIXED_LEN;
	for (unsigned i = 0; i < n; i++) {
		if (h.len - off < VDP_POLICY_ENTRY_HDR)
			return VDP_E_COUNT; /* the count promises more than there is */
		uint8_t type = v[off];
		uint16_t ilen = get16(v + off + 1);
		off += VDP_POLICY_ENTRY_HDR;
		if (ilen > h.len - off)
			return VDP_E_NESTED_OVERRUN;
		if (type > VDP_POL_TYPE_MAX) {
			out->nskipped++;
		} else {
			if (out->nentries == VDP_MAX_POLICIES)
				return VDP_E_TOO_MANY;
			rc = entry_decode(type, v + off, ilen, check,
			                  &out->entries[out->nentries++]);
			if (rc < 0)
				return rc;
		}
		off += ilen;
	}
	if (off != h.len)
		return VDP_E_COUNT; /* octets left over that no entry claims */
	return VDP_TLV_HDR_LEN + h.len;
}

int vdp_policy_decode(const uint8_t *buf, size_t len, struct vdp_policy *out)
{
	return decode(buf, len, true, out);
}

int vdp_policy_decode_unchecked(const uint8_t *buf, size_t len, struct vdp_policy *out)
{
	return decode(buf, len, false, out);
}

int vdp_policy_head_decode(const uint8_t *buf, size_t len, struct vdp_policy *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open_min(buf, len, VDP_TLV_POLICY_SYNC, VDP_TLV_POLICY_REMOVE,
	                      VDP_POLICY_FIXED_LEN, &h);
	if (rc < 0)
		return rc;
	head_get(buf + VDP_TLV_HDR_LEN, h.type, out);
	return VDP_TLV_HDR_LEN + h.len;
}

int vdp_policy_encode(const struct vdp_policy *in, uint8_t *buf, size_t cap)
{
	if (in->type < VDP_TLV_POLICY_SYNC || in->type > VDP_TLV_POLICY_REMOVE ||
	    (in->status & VDP_STATUS_RESERVED) || in->nentries > VDP_MAX_POLICIES)
		return VDP_E_INVAL;
	size_t total = VDP_POLICY_FIXED_LEN;
	for (unsigned i = 0; i < in->nentries; i++) {
		int il = info_len(&in->entries[i]);
		if (il < 0 || vdp_policy_entry_check(&in->entries[i], NULL, 0) < 0)
			return VDP_E_INVAL;
		total += VDP_POLICY_ENTRY_HDR + (size_t)il;
	}
	if (total > VDP_TLV_MAX_LEN)
		return VDP_E_INVAL;
	struct vdp_tlv_hdr h = {in->type, (uint16_t)total};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	uint8_t *v = buf + VDP_TLV_HDR_LEN;
	v[0] = in->status;
	put24(v + 1, in->vnid & 0xffffff);
	v[4] = (uint8_t)(in->vnid >> 24);
	put16(v + 5, in->nentries);
	size_t off = VDP_POLICY_FIXED_LEN;
	for (unsigned i = 0; i < in->nentries; i++) {
		const struct vdp_policy_entry *e = &in->entries[i];
		uint16_t il = (uint16_t)info_len(e);
		v[off] = e->type;
		put16(v + off + 1, il);
		info_put(v + off + VDP_POLICY_ENTRY_HDR, e);
		off += VDP_POLICY_ENTRY_HDR + il;
	}
	return VDP_TLV_HDR_LEN + (int)total;
}
