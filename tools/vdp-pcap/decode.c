/* SPDX-License-Identifier: ISC */
/* vdp-pcap: one frame -> the output tree, through libvdp's codecs.
 *
 * Nothing here reads a VDP field off the wire by itself: each TLV goes to
 * the libvdp decoder of its type and what comes back is printed.  A TLV
 * that decoder refuses is printed with the refusal's name (vdp_err_name)
 * and its octets, and the next TLV is still read when the header was
 * sound, which is how vdpd treats a VDPDU too (vdp-protocol(7), DECODE
 * ERRORS).  The only walking done here is over the LLDPDU, whose TLV
 * header has the very layout of a VDP TLV header (7-bit type, 9-bit
 * length, End = type 0), so libvdp's PDU iterator serves for it as well.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vdp/ecp.h>
#include <vdp/evb.h>
#include <vdp/format.h>
#include <vdp/tlv.h>

#include "array.h"
#include "vdp-pcap.h"

static void error_fields(struct emit *e, int rc, const uint8_t *p, size_t n)
{
	emit_word(e, "error", vdp_err_name(rc));
	emit_str(e, "error_text", vdp_strerror(rc));
	emit_bytes(e, "value", p, n);
}

/* --- VSI and extension TLVs ---------------------------------------------- */

enum status_kind { ST_VSI, ST_POLICY, ST_HELP };

/* The request bits (S, M) mean something in VSI TLVs only; KEEP and HARD
 * in VSI and policy answers; every answer has an error code. */
static void status_emit(struct emit *e, uint8_t st, enum status_kind k)
{
	emit_obj_begin(e, "status");
	emit_hexint(e, "raw", st, 2);
	emit_bool(e, "response", st & VDP_RESP);
	if (st & VDP_RESP) {
		if (k != ST_HELP) {
			emit_bool(e, "keep", st & VDP_RESP_KEEP);
			emit_bool(e, "hard", st & VDP_RESP_HARD);
		}
		emit_enum(e, "error", st & VDP_STATUS_ERR_MASK,
		          vdp_status_err_name(st & VDP_STATUS_ERR_MASK));
	} else if (k == ST_VSI) {
		emit_bool(e, "s", st & VDP_REQ_S);
		emit_bool(e, "m", st & VDP_REQ_M);
	}
	emit_obj_end(e);
}

/* libvdp's name of a value, or the word a decoder shows for a value the
 * standard leaves reserved. */
static const char *or_reserved(const char *name)
{
	return name ? name : "reserved";
}

/* IPv4 and MAC VSIIDs print from their last octets; the octets in front
 * must be zero, and are shown when they are not. */
static void vsiid_emit(struct emit *e, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	char buf[VDP_VSIID_STRLEN];
	emit_enum(e, "vsiid_format", fmt, or_reserved(vdp_vsiid_format_name(fmt)));
	emit_word(e, "vsiid", vdp_vsiid_str(fmt, id, buf, sizeof(buf)));
	size_t shown = fmt == VDP_VSIID_IPV4 ? 4 : fmt == VDP_VSIID_MAC ? 6 : VDP_VSIID_LEN;
	for (size_t i = 0; i < VDP_VSIID_LEN - shown; i++)
		if (id[i]) {
			emit_bytes(e, "vsiid_raw", id, VDP_VSIID_LEN);
			break;
		}
}

static void psvid_emit(struct emit *e, bool ps, uint8_t pcp, uint16_t vid)
{
	emit_bool(e, "ps", ps);
	emit_uint(e, "pcp", pcp);
	emit_uint(e, "vid", vid);
}

static void vsi_emit(struct emit *e, const struct vdp_vsi *v)
{
	status_emit(e, v->status, ST_VSI);
	emit_uint(e, "vsi_type_id", v->type_id);
	emit_uint(e, "vsi_type_version", v->type_ver);
	vsiid_emit(e, v->vsiid_fmt, v->vsiid);
	emit_enum(e, "filter_format", v->filter_fmt,
	          or_reserved(vdp_filter_format_name(v->filter_fmt)));
	/* The count is the TLV's own 2-octet field, which the codec checked
	 * against the length (Wireshark's vdp21 does not read it). */
	emit_uint(e, "filter_count", v->nfilters);
	emit_arr_begin(e, "filters");
	for (unsigned i = 0; i < v->nfilters; i++) {
		const struct vdp_filter *f = &v->filters[i];
		emit_obj_begin(e, NULL);
		if (v->filter_fmt == VDP_FILTER_GROUP_VID ||
		    v->filter_fmt == VDP_FILTER_GROUP_MAC_VID)
			emit_uint(e, "group", f->group);
		if (v->filter_fmt == VDP_FILTER_MAC_VID ||
		    v->filter_fmt == VDP_FILTER_GROUP_MAC_VID)
			emit_mac(e, "mac", f->mac);
		psvid_emit(e, f->ps, f->pcp, f->vid);
		emit_obj_end(e);
	}
	emit_arr_end(e);
}

static void addr_emit(struct emit *e, const char *key, unsigned family, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];
	if (family == 4)
		inet_ntop(AF_INET, a, buf, sizeof(buf));
	else if (family == 6)
		inet_ntop(AF_INET6, a, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "any");
	emit_word(e, key, buf);
}

/* The codec refuses other directions; "both" is what the rest means. */
static const char *dir_name(unsigned d)
{
	return vdp_dir_name(d) ? vdp_dir_name(d) : "both";
}

static void prefix_emit(struct emit *e, const char *key, const struct vdp_prefix *p)
{
	emit_obj_begin(e, key);
	emit_uint(e, "family", p->family);
	emit_uint(e, "plen", p->plen);
	addr_emit(e, "addr", p->family, p->addr);
	emit_obj_end(e);
}

static void acl_emit(struct emit *e, const struct vdp_pol_acl *a)
{
	/* Anything but permit denies (the codec's reading of the octet). */
	unsigned action = a->action == VDP_ACL_PERMIT ? VDP_ACL_PERMIT : VDP_ACL_DENY;
	emit_enum(e, "action", a->action, vdp_acl_action_name(action));
	emit_enum(e, "dir", a->dir, dir_name(a->dir));
	emit_hexint(e, "ethertype", a->ethertype, 4);
	emit_uint(e, "ip_proto", a->ip_proto);
	emit_uint(e, "sport_lo", a->sport_lo);
	emit_uint(e, "sport_hi", a->sport_hi);
	emit_uint(e, "dport_lo", a->dport_lo);
	emit_uint(e, "dport_hi", a->dport_hi);
	prefix_emit(e, "src", &a->src);
	prefix_emit(e, "dst", &a->dst);
}

/* 0xFF leaves a QoS field unset; it is named so rather than read as 255. */
static void qos_field(struct emit *e, const char *key, uint8_t v)
{
	if (v == VDP_QOS_UNSET)
		emit_enum(e, key, v, "unset");
	else
		emit_uint(e, key, v);
}

static void policy_entry_emit(struct emit *e, const struct vdp_policy_entry *p)
{
	emit_obj_begin(e, NULL);
	emit_enum(e, "type", p->type, vdp_policy_type_name(p->type));
	switch (p->type) {
	case VDP_POL_BANDWIDTH:
		emit_enum(e, "dir", p->u.bw.dir, dir_name(p->u.bw.dir));
		emit_uint(e, "rate_kbps", p->u.bw.rate_kbps);
		emit_uint(e, "burst", p->u.bw.burst);
		break;
	case VDP_POL_ACL:
		acl_emit(e, &p->u.acl);
		break;
	case VDP_POL_QOS:
		qos_field(e, "pcp", p->u.qos.pcp);
		qos_field(e, "dscp", p->u.qos.dscp);
		break;
	case VDP_POL_VN:
		emit_uint(e, "vnid", p->u.vn.vnid);
		emit_uint(e, "family", p->u.vn.family);
		addr_emit(e, "mcast", p->u.vn.family, p->u.vn.mcast);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		emit_bool(e, "enable", p->u.enable);
		break;
	case VDP_POL_VLAN:
		emit_uint(e, "vid", p->u.vid);
		break;
	default:
		break; /* none: no info */
	}
	emit_obj_end(e);
}

static void policy_emit(struct emit *e, const struct vdp_policy *p)
{
	status_emit(e, p->status, ST_POLICY);
	emit_uint(e, "vnid", p->vnid);
	emit_uint(e, "vsi_type_id", p->vnid & 0xffffff);
	emit_uint(e, "vsi_type_version", p->vnid >> 24);
	/* The codec keeps entries of known types and counts the others, which
	 * it skipped by their length; together they are the TLV's count. */
	emit_uint(e, "entry_count", (unsigned)p->nentries + p->nskipped);
	emit_uint(e, "skipped_unknown", p->nskipped);
	emit_arr_begin(e, "entries");
	for (unsigned i = 0; i < p->nentries; i++)
		policy_entry_emit(e, &p->entries[i]);
	emit_arr_end(e);
}

static void help_emit(struct emit *e, const struct vdp_help *h)
{
	char ip[INET_ADDRSTRLEN];
	status_emit(e, h->status, ST_HELP);
	emit_obj_begin(e, "flags");
	emit_hexint(e, "raw", h->flags, 2);
	emit_bool(e, "dhcp", h->flags & VDP_HELP_DHCP);
	emit_obj_end(e);
	vsiid_emit(e, h->vsiid_fmt, h->vsiid);
	emit_mac(e, "mac", h->mac);
	psvid_emit(e, h->ps, h->pcp, h->vid);
	inet_ntop(AF_INET, h->ipv4, ip, sizeof(ip));
	emit_word(e, "ipv4", ip);
}

/* A name if the Manager ID is one (printable, zero-padded), else the
 * address it then is (IPv6, or IPv4-mapped). */
static void mgrid_emit(struct emit *e, const struct vdp_mgrid *m)
{
	size_t n = VDP_MGRID_LEN;
	while (n && !m->id[n - 1])
		n--;
	bool name = n > 0;
	for (size_t i = 0; i < n; i++)
		name = name && m->id[i] >= 0x20 && m->id[i] < 0x7f;
	if (name) {
		char s[VDP_MGRID_LEN + 1];
		memcpy(s, m->id, n);
		s[n] = 0;
		emit_str(e, "manager_id", s);
	} else {
		char a[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, m->id, a, sizeof(a));
		emit_word(e, "manager_id", a);
	}
	emit_bytes(e, "manager_id_hex", m->id, VDP_MGRID_LEN);
}

/* Decodes one TLV with the codec of its type; emits the result's fields or
 * the codec's refusal. */
static void tlv_emit(struct emit *e, const struct vdp_tlv_hdr *h, const uint8_t *tlv, size_t len)
{
	/* Static: struct vdp_vsi holds 243 filters; the tool is one thread. */
	static struct vdp_vsi vsi;
	static struct vdp_policy pol;
	static struct vdp_org org;
	struct vdp_mgrid mg;
	struct vdp_help help;
	int rc = VDP_E_TLV_TYPE;

	emit_obj_begin(e, NULL);
	emit_enum(e, "type", h->type, vdp_tlv_type_name(h->type));
	emit_uint(e, "length", h->len);
	if (h->type == VDP_TLV_MGRID && (rc = vdp_mgrid_decode(tlv, len, &mg)) >= 0)
		mgrid_emit(e, &mg);
	else if (vdp_is_vsi_type(h->type) && (rc = vdp_vsi_decode(tlv, len, &vsi)) >= 0)
		vsi_emit(e, &vsi);
	else if (h->type >= VDP_TLV_POLICY_SYNC && h->type <= VDP_TLV_POLICY_REMOVE &&
	         (rc = vdp_policy_decode(tlv, len, &pol)) >= 0)
		policy_emit(e, &pol);
	else if (h->type == VDP_TLV_HELP && (rc = vdp_help_decode(tlv, len, &help)) >= 0)
		help_emit(e, &help);
	else if (h->type == VDP_TLV_ORG && (rc = vdp_org_decode(tlv, len, &org)) >= 0) {
		char oui[9];
		snprintf(oui, sizeof(oui), "%02x:%02x:%02x", org.oui[0], org.oui[1], org.oui[2]);
		emit_word(e, "oui", oui);
		emit_bytes(e, "data", org.data, org.len);
	} else if (h->type > VDP_TLV_HELP && h->type < VDP_TLV_ORG)
		emit_bytes(e, "value", tlv + VDP_TLV_HDR_LEN, h->len); /* reserved type */
	else
		error_fields(e, rc, tlv + VDP_TLV_HDR_LEN, h->len);
	emit_obj_end(e);
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* What follows the last TLV: zero padding (a count) or, after an End TLV,
 * anything else (its octets). */
static void rest_emit(struct emit *e, const uint8_t *p, size_t n)
{
	if (!n)
		return;
	if (all_zero(p, n))
		emit_uint(e, "padding", n);
	else
		emit_bytes(e, "trailer", p, n);
}

static void vdpdu_emit(struct emit *e, const uint8_t *pdu, size_t len)
{
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	int rc;

	vdp_pdu_iter_init(&it, pdu, len);
	emit_arr_begin(e, "vdp");
	while ((rc = vdp_pdu_next(&it, &h, &tlv, &tlen)) == 1)
		tlv_emit(e, &h, tlv, tlen);
	if (rc < 0) {
		/* A header cut short or overrunning the PDU: nothing after it
		 * can be placed. */
		emit_obj_begin(e, NULL);
		if (len - it.off >= VDP_TLV_HDR_LEN) {
			emit_enum(e, "type", pdu[it.off] >> 1, vdp_tlv_type_name(pdu[it.off] >> 1));
			emit_uint(e, "length", (unsigned)(pdu[it.off] & 1) << 8 | pdu[it.off + 1]);
		}
		error_fields(e, rc, pdu + it.off, len - it.off);
		emit_obj_end(e);
	}
	emit_arr_end(e);
	if (rc == 0)
		rest_emit(e, pdu + it.off, len - it.off);
}

static void ecp_emit(struct emit *e, const uint8_t *data, size_t len)
{
	struct vdp_ecp_frame f;
	int rc = vdp_ecp_frame_decode(data, len, &f);
	emit_obj_begin(e, "ecp");
	if (rc < 0) {
		size_t off = len < VDP_ETH_HDR_LEN ? len : VDP_ETH_HDR_LEN;
		error_fields(e, rc, data + off, len - off);
		emit_obj_end(e);
		return;
	}
	emit_uint(e, "version", f.hdr.version);
	emit_enum(e, "op", f.hdr.op, f.hdr.op == VDP_ECP_OP_ACK ? "ack" : "request");
	emit_enum(e, "subtype", f.hdr.subtype,
	          f.hdr.subtype == VDP_ECP_SUBTYPE_VDP     ? "vdp"
	          : f.hdr.subtype == VDP_ECP_SUBTYPE_PECSP ? "pecsp"
	                                                   : "unknown");
	emit_uint(e, "seq", f.hdr.seq);
	emit_obj_end(e);
	if (f.hdr.op == VDP_ECP_OP_REQUEST && f.hdr.subtype == VDP_ECP_SUBTYPE_VDP)
		vdpdu_emit(e, f.ulpdu, f.ulpdu_len);
	else
		rest_emit(e, f.ulpdu, f.ulpdu_len); /* acks carry none; PECSP is opaque */
}

/* --- LLDP: the EVB TLV --------------------------------------------------- */

static bool is_evb(const struct vdp_tlv_hdr *h, const uint8_t *tlv)
{
	return h->type == VDP_LLDP_TLV_ORG && h->len >= 4 && tlv[2] == VDP_EVB_OUI_0 &&
	       tlv[3] == VDP_EVB_OUI_1 && tlv[4] == VDP_EVB_OUI_2 && tlv[5] == VDP_EVB_SUBTYPE;
}

static void evb_emit(struct emit *e, const struct vdp_evb_tlv *t)
{
	static const char *const rrstat[] = {"no", "yes", "reserved", "unknown"};
	emit_bool(e, "bgid", t->bgid);
	emit_bool(e, "rrcap", t->rrcap);
	emit_bool(e, "rrctr", t->rrctr);
	emit_bool(e, "sgid", t->sgid);
	emit_bool(e, "rrreq", t->rrreq);
	emit_enum(e, "rrstat", t->rrstat, rrstat[t->rrstat & 3]);
	emit_uint(e, "r", t->r);
	emit_uint(e, "rte", t->rte);
	emit_enum(e, "mode", t->mode, t->mode == VDP_EVB_MODE_BRIDGE ? "bridge" : "station");
	emit_bool(e, "rol_rwd", t->rol_rwd);
	emit_uint(e, "rwd", t->rwd);
	emit_bool(e, "rol_rka", t->rol_rka);
	emit_uint(e, "rka", t->rka);
}

/* Calls fn for every EVB TLV of the LLDPDU in an Ethernet frame; stops
 * when fn returns true.  Returns whether it stopped so. */
static bool lldp_walk(const uint8_t *frame, size_t len,
                      bool (*fn)(void *ctx, const uint8_t *tlv, size_t tlen), void *ctx)
{
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	if (len < VDP_ETH_HDR_LEN)
		return false;
	vdp_pdu_iter_init(&it, frame + VDP_ETH_HDR_LEN, len - VDP_ETH_HDR_LEN);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1)
		if (is_evb(&h, tlv) && fn(ctx, tlv, tlen))
			return true;
	return false;
}

static bool first_evb(void *ctx, const uint8_t *tlv, size_t tlen)
{
	return vdp_evb_tlv_decode(tlv, tlen, ctx) >= 0;
}

bool lldp_find_evb(const uint8_t *frame, size_t len, struct vdp_evb_tlv *out)
{
	return lldp_walk(frame, len, first_evb, out);
}

static bool any_evb(void *ctx, const uint8_t *tlv, size_t tlen)
{
	(void)ctx, (void)tlv, (void)tlen;
	return true;
}

static bool emit_evb(void *ctx, const uint8_t *tlv, size_t tlen)
{
	struct emit *e = ctx;
	struct vdp_evb_tlv t;
	int rc = vdp_evb_tlv_decode(tlv, tlen, &t);
	emit_obj_begin(e, NULL);
	if (rc >= 0)
		evb_emit(e, &t);
	else
		error_fields(e, rc, tlv + 2, tlen - 2);
	emit_obj_end(e);
	return false;
}

/* Which LLDP agent a frame belongs to, by its group address: EVB lives on
 * the nearest customer bridge agent. */
static const char *lldp_agent(const uint8_t dst[6])
{
	static const uint8_t base[5] = {0x01, 0x80, 0xc2, 0x00, 0x00};
	if (memcmp(dst, base, 5) != 0)
		return "unicast-or-other";
	switch (dst[5]) {
	case 0x00:
		return "nearest-customer-bridge";
	case 0x03:
		return "nearest-non-tpmr-bridge";
	case 0x0e:
		return "nearest-bridge";
	default:
		return "unicast-or-other";
	}
}

/* --- frames --------------------------------------------------------------- */

static void time_emit(struct emit *e, const struct timeval *ts, const struct timeval *t0)
{
	char buf[40], iso[64];
	struct tm tm;
	time_t s = ts->tv_sec;
	gmtime_r(&s, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(iso, sizeof(iso), "%s.%06ldZ", buf, (long)ts->tv_usec);
	emit_word(e, "time", iso);
	long long rel =
	    (long long)(ts->tv_sec - t0->tv_sec) * 1000000 + (ts->tv_usec - t0->tv_usec);
	emit_fixed6(e, "rel_time", rel);
}

bool decode_frame(struct emit *e, const struct frame *f, const struct timeval *t0, bool hex)
{
	enum frame_kind k = frame_classify(f->data, f->len);
	if (k == FRAME_OTHER || (k == FRAME_LLDP && !lldp_walk(f->data, f->len, any_evb, NULL)))
		return false;
	emit_obj_begin(e, NULL);
	emit_uint(e, "frame", f->no);
	time_emit(e, &f->ts, t0);
	emit_mac(e, "src", f->data + 6);
	emit_mac(e, "dst", f->data);
	if (f->tagged)
		emit_hexint(e, "vlan_tci", f->vlan, 4);
	emit_uint(e, "len", f->wirelen);
	if (f->len + (f->tagged ? 4 : 0) < f->wirelen)
		emit_uint(e, "captured", f->len + (f->tagged ? 4 : 0));
	if (hex)
		emit_bytes(e, "hex", f->data, f->len);
	if (k == FRAME_ECP) {
		emit_word(e, "proto", "ecp");
		ecp_emit(e, f->data, f->len);
	} else {
		emit_word(e, "proto", "lldp");
		emit_word(e, "agent", lldp_agent(f->data));
		emit_arr_begin(e, "evb");
		lldp_walk(f->data, f->len, emit_evb, e);
		emit_arr_end(e);
	}
	emit_obj_end(e);
	return true;
}

void decode_fields(const uint8_t *frame, size_t len, struct field_list *out)
{
	struct field_list all = {0};
	struct emit e;
	emit_init(&e, EMIT_FIELDS, NULL, &all);
	emit_obj_begin(&e, NULL);
	ecp_emit(&e, frame, len);
	emit_obj_end(&e);
	/* Only the protocol's fields: where the frame came from and how it was
	 * padded say nothing about the bridge's answer. */
	for (size_t i = 0; i < all.n; i++) {
		const char *p = all.v[i].path;
		bool keep = strncmp(p, "ecp.", 4) == 0 || strncmp(p, "vdp[", 4) == 0;
		if (!keep)
			continue;
		if (ARRAY_GROW(out->v, out->cap, out->n + 1) < 0)
			break;
		out->v[out->n++] = all.v[i];
		all.v[i].path = all.v[i].value = NULL;
	}
	field_list_free(&all);
}
