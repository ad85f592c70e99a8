/* SPDX-License-Identifier: ISC */
/* Shared checks for the libFuzzer targets: see fuzz-common.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static const uint8_t *cur_data;
static size_t cur_size;

void fuzz_set_input(const uint8_t *data, size_t size)
{
	cur_data = data;
	cur_size = size;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("\n*** libvdp codec contract violated: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n*** input (%zu octets):", cur_size);
	for (size_t i = 0; i < cur_size; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n    ", cur_data[i]);
	fputc('\n', stderr);
	abort();
}

void fuzz_check_err(int rc, const char *who)
{
	FUZZ_CHECK(rc < 0 && rc > -VDP_E_COUNT_ALL, "%s returned %d, not a vdp_err", who, rc);
	FUZZ_CHECK(strcmp(vdp_err_name(rc), "unknown") != 0, "%s: %d has no name", who, rc);
	FUZZ_CHECK(vdp_strerror(rc) != NULL, "%s: %d has no message", who, rc);
}

/* --- field-wise equality; each returns the first differing field ------ */

#define DIFF(field)                                                                                \
	do {                                                                                       \
		if (a->field != b->field)                                                          \
			return #field;                                                             \
	} while (0)
#define DIFFMEM(field, n)                                                                          \
	do {                                                                                       \
		if (memcmp(a->field, b->field, n) != 0)                                            \
			return #field;                                                             \
	} while (0)

static const char *diff_evb(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b)
{
	DIFF(bgid);
	DIFF(rrcap);
	DIFF(rrctr);
	DIFF(sgid);
	DIFF(rrreq);
	DIFF(rrstat);
	DIFF(r);
	DIFF(rte);
	DIFF(mode);
	DIFF(rol_rwd);
	DIFF(rwd);
	DIFF(rol_rka);
	DIFF(rka);
	return NULL;
}

static const char *diff_ecp_hdr(const struct vdp_ecp_hdr *a, const struct vdp_ecp_hdr *b)
{
	DIFF(version);
	DIFF(op);
	DIFF(subtype);
	DIFF(seq);
	return NULL;
}

static const char *diff_filter(const struct vdp_filter *a, const struct vdp_filter *b)
{
	DIFF(group);
	DIFFMEM(mac, 6);
	DIFF(ps);
	DIFF(pcp);
	DIFF(vid);
	return NULL;
}

static const char *diff_vsi(const struct vdp_vsi *a, const struct vdp_vsi *b)
{
	DIFF(type);
	DIFF(status);
	DIFF(type_id);
	DIFF(type_ver);
	DIFF(vsiid_fmt);
	DIFFMEM(vsiid, VDP_VSIID_LEN);
	DIFF(filter_fmt);
	DIFF(nfilters);
	for (unsigned i = 0; i < a->nfilters && i < VDP_MAX_FILTERS; i++) {
		const char *d = diff_filter(&a->filters[i], &b->filters[i]);
		if (d)
			return d;
	}
	return NULL;
}

static const char *diff_prefix(const struct vdp_prefix *a, const struct vdp_prefix *b)
{
	DIFF(family);
	DIFF(plen);
	DIFFMEM(addr, 16);
	return NULL;
}

static const char *diff_entry(const struct vdp_policy_entry *a, const struct vdp_policy_entry *b)
{
	const char *d;
	DIFF(type);
	switch (a->type) {
	case VDP_POL_BANDWIDTH:
		DIFF(u.bw.dir);
		DIFF(u.bw.rate_kbps);
		DIFF(u.bw.burst);
		break;
	case VDP_POL_ACL:
		DIFF(u.acl.action);
		DIFF(u.acl.dir);
		DIFF(u.acl.ethertype);
		DIFF(u.acl.ip_proto);
		if ((d = diff_prefix(&a->u.acl.src, &b->u.acl.src)) != NULL)
			return d;
		if ((d = diff_prefix(&a->u.acl.dst, &b->u.acl.dst)) != NULL)
			return d;
		DIFF(u.acl.sport_lo);
		DIFF(u.acl.sport_hi);
		DIFF(u.acl.dport_lo);
		DIFF(u.acl.dport_hi);
		break;
	case VDP_POL_QOS:
		DIFF(u.qos.pcp);
		DIFF(u.qos.dscp);
		break;
	case VDP_POL_VN:
		DIFF(u.vn.vnid);
		DIFF(u.vn.family);
		DIFFMEM(u.vn.mcast, a->u.vn.family == 6 ? 16 : 4);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		DIFF(u.enable);
		break;
	case VDP_POL_VLAN:
		DIFF(u.vid);
		break;
	}
	return NULL;
}

/* nskipped is not compared: the encoder has nothing to re-emit for entries
 * of unknown type; fuzz_rt_policy checks it separately. */
static const char *diff_policy(const struct vdp_policy *a, const struct vdp_policy *b)
{
	DIFF(type);
	DIFF(status);
	DIFF(vnid);
	DIFF(nentries);
	for (unsigned i = 0; i < a->nentries && i < VDP_MAX_POLICIES; i++) {
		const char *d = diff_entry(&a->entries[i], &b->entries[i]);
		if (d)
			return d;
	}
	return NULL;
}

static const char *diff_help(const struct vdp_help *a, const struct vdp_help *b)
{
	DIFF(status);
	DIFF(flags);
	DIFF(vsiid_fmt);
	DIFFMEM(vsiid, VDP_VSIID_LEN);
	DIFFMEM(mac, 6);
	DIFF(ps);
	DIFF(pcp);
	DIFF(vid);
	DIFFMEM(ipv4, 4);
	return NULL;
}

static const char *diff_mgrid(const struct vdp_mgrid *a, const struct vdp_mgrid *b)
{
	DIFFMEM(id, VDP_MGRID_LEN);
	return NULL;
}

static const char *diff_org(const struct vdp_org *a, const struct vdp_org *b)
{
	DIFFMEM(oui, 3);
	DIFF(len);
	if (a->len <= sizeof(a->data))
		DIFFMEM(data, a->len);
	return NULL;
}

/* --- round trips -------------------------------------------------------- */

/* Big enough for any TLV (2 + 511) and any ECP frame. */
#define RT_CAP (VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU + 64)
static uint8_t enc1[RT_CAP], enc2[RT_CAP];

/* The generic round trip: encode x, decode it into y, compare, encode y
 * and compare the octets.  T is the struct type, NAME the codec name. */
#define ROUND_TRIP(T, NAME, ENC, DEC, DIFFFN, x, extra_check)                                      \
	do {                                                                                       \
		static T y;                                                                        \
		int n1 = ENC(x, enc1, sizeof(enc1));                                               \
		FUZZ_CHECK(n1 > 0, NAME ": a decoded value does not encode: %d (%s)", n1,          \
		           vdp_err_name(n1));                                                      \
		FUZZ_CHECK((size_t)n1 <= sizeof(enc1), NAME ": encoder overran");                  \
		memset(&y, 0xa5, sizeof(y));                                                       \
		int d = DEC(enc1, (size_t)n1, &y);                                                 \
		FUZZ_CHECK(d == n1, NAME ": decode(encode(x)) returned %d (%s), encode wrote %d",  \
		           d, d < 0 ? vdp_err_name(d) : "-", n1);                                  \
		const char *diff = DIFFFN(x, &y);                                                  \
		FUZZ_CHECK(diff == NULL, NAME ": decode(encode(x)) != x: field %s", diff);         \
		extra_check;                                                                       \
		int n2 = ENC(&y, enc2, sizeof(enc2));                                              \
		FUZZ_CHECK(n2 == n1 && memcmp(enc1, enc2, (size_t)n1) == 0,                        \
		           NAME ": encoding is not canonical (%d vs %d octets)", n1, n2);          \
		/* Too small a buffer must be refused, not overrun. */                             \
		int s = ENC(x, enc2, (size_t)n1 - 1);                                              \
		FUZZ_CHECK(s == VDP_E_NOSPACE, NAME ": encode into %d octets returned %d", n1 - 1, \
		           s);                                                                     \
	} while (0)

void fuzz_rt_evb_info(const struct vdp_evb_tlv *x)
{
	ROUND_TRIP(struct vdp_evb_tlv, "evb_info", vdp_evb_info_encode, vdp_evb_info_decode,
	           diff_evb, x,
	           FUZZ_CHECK(n1 == VDP_EVB_INFO_LEN, "evb_info encoded %d octets", n1));
}

void fuzz_rt_evb_tlv(const struct vdp_evb_tlv *x)
{
	ROUND_TRIP(struct vdp_evb_tlv, "vdp_evb_tlv", vdp_evb_tlv_encode, vdp_evb_tlv_decode,
	           diff_evb, x,
	           FUZZ_CHECK(n1 == VDP_EVB_TLV_LEN, "vdp_evb_tlv encoded %d octets", n1));
}

void fuzz_rt_ecp_hdr(const struct vdp_ecp_hdr *x)
{
	ROUND_TRIP(struct vdp_ecp_hdr, "vdp_ecp_hdr", vdp_ecp_hdr_encode, vdp_ecp_hdr_decode,
	           diff_ecp_hdr, x,
	           FUZZ_CHECK(n1 == VDP_ECP_HDR_LEN, "vdp_ecp_hdr encoded %d octets", n1));
}

void fuzz_rt_ecp_frame(const struct vdp_ecp_frame *x)
{
	static struct vdp_ecp_frame y;
	int n1 = vdp_ecp_frame_encode(x, 0, enc1, sizeof(enc1));
	FUZZ_CHECK(n1 > 0, "vdp_ecp_frame: a decoded frame does not encode: %d (%s)", n1,
	           vdp_err_name(n1));
	FUZZ_CHECK((size_t)n1 == VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + x->ulpdu_len,
	           "vdp_ecp_frame: encoded %d octets for a %zu-octet ULPDU", n1, x->ulpdu_len);
	int d = vdp_ecp_frame_decode(enc1, (size_t)n1, &y);
	FUZZ_CHECK(d == n1, "vdp_ecp_frame: decode(encode(x)) returned %d", d);
	FUZZ_CHECK(memcmp(x->dst, y.dst, 6) == 0 && memcmp(x->src, y.src, 6) == 0,
	           "vdp_ecp_frame: addresses differ after a round trip");
	const char *diff = diff_ecp_hdr(&x->hdr, &y.hdr);
	FUZZ_CHECK(diff == NULL, "vdp_ecp_frame: header field %s differs after a round trip", diff);
	FUZZ_CHECK(y.ulpdu_len == x->ulpdu_len &&
	               (x->ulpdu_len == 0 || memcmp(x->ulpdu, y.ulpdu, x->ulpdu_len) == 0),
	           "vdp_ecp_frame: ULPDU differs after a round trip (%zu vs %zu octets)",
	           x->ulpdu_len, y.ulpdu_len);

	/* Padded: at least VDP_ECP_MIN_FRAME octets, the ULPDU followed by zeros. */
	int n2 = vdp_ecp_frame_encode(x, 1, enc2, sizeof(enc2));
	size_t want = (size_t)n1 < VDP_ECP_MIN_FRAME ? VDP_ECP_MIN_FRAME : (size_t)n1;
	FUZZ_CHECK(n2 > 0 && (size_t)n2 == want,
	           "vdp_ecp_frame: padded encode returned %d, want %zu", n2, want);
	FUZZ_CHECK(memcmp(enc1, enc2, (size_t)n1) == 0, "vdp_ecp_frame: padding changed the frame");
	for (size_t i = (size_t)n1; i < (size_t)n2; i++)
		FUZZ_CHECK(enc2[i] == 0, "vdp_ecp_frame: padding octet %zu is %02x", i, enc2[i]);
	int s = vdp_ecp_frame_encode(x, 0, enc2, (size_t)n1 - 1);
	FUZZ_CHECK(s == VDP_E_NOSPACE, "vdp_ecp_frame: encode into %d octets returned %d", n1 - 1,
	           s);
}

void fuzz_rt_mgrid(const struct vdp_mgrid *x)
{
	ROUND_TRIP(struct vdp_mgrid, "mgrid", vdp_mgrid_encode, vdp_mgrid_decode, diff_mgrid, x,
	           (void)0);
}

/* VSIID text form: whatever vdp_vsiid_str prints, vdp_vsiid_parse reads
 * back to an id that prints the same. */
static void check_vsiid_text(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	char s1[VDP_VSIID_STRLEN], s2[VDP_VSIID_STRLEN];
	uint8_t id2[VDP_VSIID_LEN];

	memset(s1, 0x55, sizeof(s1));
	vdp_vsiid_str(fmt, id, s1, sizeof(s1));
	FUZZ_CHECK(memchr(s1, 0, sizeof(s1)) != NULL, "vdp_vsiid_str: no terminating NUL");
	FUZZ_CHECK(vdp_vsiid_parse(fmt, s1, id2) == 0,
	           "vdp_vsiid_parse(%u, \"%s\") fails on what vdp_vsiid_str printed", fmt, s1);
	vdp_vsiid_str(fmt, id2, s2, sizeof(s2));
	FUZZ_CHECK(strcmp(s1, s2) == 0, "VSIID text does not round trip: \"%s\" -> \"%s\"", s1, s2);
	/* Short buffers must be respected. */
	char tiny[4];
	memset(tiny, 0x55, sizeof(tiny));
	vdp_vsiid_str(fmt, id, tiny, 3);
	FUZZ_CHECK(tiny[3] == 0x55, "vdp_vsiid_str wrote past cap");
}

void fuzz_rt_vsi(const struct vdp_vsi *x)
{
	FUZZ_CHECK(vdp_is_vsi_type(x->type), "vsi: decoded type %u", x->type);
	FUZZ_CHECK(x->nfilters <= VDP_MAX_FILTERS, "vsi: %u filters", x->nfilters);
	check_vsiid_text(x->vsiid_fmt, x->vsiid);
	ROUND_TRIP(struct vdp_vsi, "vsi", vdp_vsi_encode, vdp_vsi_decode, diff_vsi, x,
	           FUZZ_CHECK((size_t)n1 == VDP_TLV_HDR_LEN + VDP_VSI_FIXED_LEN +
	                                        x->nfilters * vdp_filter_entry_len(x->filter_fmt),
	                      "vsi: encoded %d octets", n1));
}

void fuzz_rt_policy(const struct vdp_policy *x)
{
	FUZZ_CHECK(x->nentries <= VDP_MAX_POLICIES, "policy: %u entries", x->nentries);
	ROUND_TRIP(struct vdp_policy, "policy", vdp_policy_encode, vdp_policy_decode, diff_policy,
	           x, FUZZ_CHECK(y.nskipped == 0, "policy: re-decoded %u skipped", y.nskipped));
}

void fuzz_rt_help(const struct vdp_help *x)
{
	check_vsiid_text(x->vsiid_fmt, x->vsiid);
	ROUND_TRIP(struct vdp_help, "help", vdp_help_encode, vdp_help_decode, diff_help, x,
	           FUZZ_CHECK(n1 == VDP_TLV_HDR_LEN + VDP_HELP_LEN, "help: encoded %d octets", n1));
}

void fuzz_rt_org(const struct vdp_org *x)
{
	FUZZ_CHECK(x->len <= sizeof(x->data), "org: len %u", x->len);
	ROUND_TRIP(struct vdp_org, "org", vdp_org_encode, vdp_org_decode, diff_org, x,
	           FUZZ_CHECK(n1 == VDP_TLV_HDR_LEN + 3 + x->len, "org: encoded %d octets", n1));
}

/* --- one TLV ------------------------------------------------------------ */

static union {
	struct vdp_vsi vsi;
	struct vdp_mgrid mgrid;
	struct vdp_policy policy;
	struct vdp_help help;
	struct vdp_org org;
} tlv_a, tlv_b;

static const char *const kind_name[FK_NKINDS] = {"vsi", "mgrid", "policy", "help", "org"};

static int decode_kind(enum fuzz_kind kind, const uint8_t *buf, size_t len, void *out)
{
	switch (kind) {
	case FK_VSI:
		return vdp_vsi_decode(buf, len, out);
	case FK_MGRID:
		return vdp_mgrid_decode(buf, len, out);
	case FK_POLICY:
		return vdp_policy_decode(buf, len, out);
	case FK_HELP:
		return vdp_help_decode(buf, len, out);
	case FK_ORG:
		return vdp_org_decode(buf, len, out);
	default:
		abort();
	}
}

static const char *diff_kind(enum fuzz_kind kind)
{
	switch (kind) {
	case FK_VSI:
		return diff_vsi(&tlv_a.vsi, &tlv_b.vsi);
	case FK_MGRID:
		return diff_mgrid(&tlv_a.mgrid, &tlv_b.mgrid);
	case FK_POLICY:
		if (tlv_a.policy.nskipped != tlv_b.policy.nskipped)
			return "nskipped";
		return diff_policy(&tlv_a.policy, &tlv_b.policy);
	case FK_HELP:
		return diff_help(&tlv_a.help, &tlv_b.help);
	case FK_ORG:
		return diff_org(&tlv_a.org, &tlv_b.org);
	default:
		abort();
	}
}

/* The lenient readers a bridge answers refused requests with (vdp/tlv.h):
 * they accept everything the strict decoder accepts, reading the same, and
 * what they read of the fixed part survives their encoder. */
static void check_vsi_head(const uint8_t *buf, size_t len)
{
	static struct vdp_vsi strict, head, back;
	static uint8_t enc[2 + VDP_VSI_FIXED_LEN];
	int rs = vdp_vsi_decode(buf, len, &strict), rh = vdp_vsi_head_decode(buf, len, &head);
	if (rh < 0)
		fuzz_check_err(rh, "vsi head");
	if (rs > 0)
		FUZZ_CHECK(rh == rs && head.status == strict.status &&
		               head.type_id == strict.type_id &&
		               head.vsiid_fmt == strict.vsiid_fmt &&
		               !memcmp(head.vsiid, strict.vsiid, VDP_VSIID_LEN) &&
		               head.filter_fmt == strict.filter_fmt,
		           "vsi head: %d, strict %d, or fields differ", rh, rs);
	if (rh < 0 || (head.status & VDP_STATUS_RESERVED))
		return;
	int n = vdp_vsi_head_encode(&head, enc, sizeof(enc));
	FUZZ_CHECK(n == (int)sizeof(enc), "vsi head: encode %d", n);
	FUZZ_CHECK(vdp_vsi_head_decode(enc, (size_t)n, &back) == n && back.status == head.status &&
	               back.type == head.type && back.type_id == head.type_id &&
	               back.type_ver == head.type_ver && back.vsiid_fmt == head.vsiid_fmt &&
	               !memcmp(back.vsiid, head.vsiid, VDP_VSIID_LEN) &&
	               back.filter_fmt == head.filter_fmt && back.nfilters == 0,
	           "vsi head: round trip differs");
}

static void check_policy_lenient(const uint8_t *buf, size_t len)
{
	static struct vdp_policy strict, lax, head;
	int rs = vdp_policy_decode(buf, len, &strict),
	    rl = vdp_policy_decode_unchecked(buf, len, &lax);
	int rh = vdp_policy_head_decode(buf, len, &head);
	if (rl < 0)
		fuzz_check_err(rl, "policy unchecked");
	if (rh < 0)
		fuzz_check_err(rh, "policy head");
	if (rl > 0)
		FUZZ_CHECK(rh == rl && head.vnid == lax.vnid && head.status == lax.status,
		           "policy head: %d, unchecked %d, or fields differ", rh, rl);
	if (rs > 0) {
		const char *d = diff_policy(&strict, &lax);
		FUZZ_CHECK(rl == rs && d == NULL, "policy unchecked: %d, strict %d (%s)", rl, rs,
		           d ? d : "");
	}
	if (rl < 0)
		return;
	/* Strict = unchecked + vdp_policy_entry_check() on every entry. */
	int bad = 0;
	for (unsigned i = 0; i < lax.nentries; i++)
		if (vdp_policy_entry_check(&lax.entries[i], NULL, 0) < 0)
			bad++;
	FUZZ_CHECK((bad == 0) == (rs > 0) && (bad == 0 || rs == VDP_E_POLICY_VALUE),
	           "policy: %d entries out of range, strict decode %d", bad, rs);
}

int fuzz_tlv(enum fuzz_kind kind, const uint8_t *buf, size_t len)
{
	if (kind == FK_VSI)
		check_vsi_head(buf, len);
	if (kind == FK_POLICY)
		check_policy_lenient(buf, len);
	const char *name = kind_name[kind];
	int rc = decode_kind(kind, buf, len, &tlv_a);
	if (rc < 0) {
		fuzz_check_err(rc, name);
		return rc;
	}
	FUZZ_CHECK(len >= VDP_TLV_HDR_LEN, "%s accepted a %zu-octet buffer", name, len);
	size_t tlen = VDP_TLV_HDR_LEN + ((size_t)(buf[0] & 1) << 8 | buf[1]);
	FUZZ_CHECK((size_t)rc == tlen && tlen <= len,
	           "%s consumed %d octets of a TLV of %zu (buffer %zu)", name, rc, tlen, len);

	/* The same TLV with nothing after it must decode the same. */
	if ((size_t)rc < len) {
		int rc2 = decode_kind(kind, buf, (size_t)rc, &tlv_b);
		FUZZ_CHECK(rc2 == rc, "%s: %d with trailing octets, %d without", name, rc, rc2);
		const char *d = diff_kind(kind);
		FUZZ_CHECK(d == NULL, "%s: field %s depends on octets after the TLV", name, d);
	}

	switch (kind) {
	case FK_VSI:
		fuzz_rt_vsi(&tlv_a.vsi);
		break;
	case FK_MGRID:
		fuzz_rt_mgrid(&tlv_a.mgrid);
		break;
	case FK_POLICY:
		fuzz_rt_policy(&tlv_a.policy);
		break;
	case FK_HELP:
		fuzz_rt_help(&tlv_a.help);
		break;
	case FK_ORG:
		fuzz_rt_org(&tlv_a.org);
		break;
	default:
		abort();
	}
	return rc;
}

/* --- a whole VDPDU ------------------------------------------------------- */

static int kind_of_type(unsigned type)
{
	if (vdp_is_vsi_type(type))
		return FK_VSI;
	switch (type) {
	case VDP_TLV_MGRID:
		return FK_MGRID;
	case VDP_TLV_POLICY_SYNC:
	case VDP_TLV_POLICY_UPDATE:
	case VDP_TLV_POLICY_REMOVE:
		return FK_POLICY;
	case VDP_TLV_HELP:
		return FK_HELP;
	case VDP_TLV_ORG:
		return FK_ORG;
	default:
		return -1;
	}
}

unsigned fuzz_walk_pdu(const uint8_t *buf, size_t len)
{
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlv_len, seen = 0;
	unsigned n = 0;
	int rc;

	vdp_pdu_iter_init(&it, buf, len);
	while ((rc = vdp_pdu_next(&it, &h, &tlv, &tlv_len)) == 1) {
		FUZZ_CHECK(n <= len / VDP_TLV_HDR_LEN, "vdp_pdu_next does not advance");
		FUZZ_CHECK(tlv == buf + seen, "TLV %u at offset %td, expected %zu", n, tlv - buf,
		           seen);
		FUZZ_CHECK(tlv_len == VDP_TLV_HDR_LEN + (size_t)h.len && tlv_len <= len - seen,
		           "TLV %u: length %zu (value %u) at offset %zu of %zu", n, tlv_len, h.len,
		           seen, len);
		FUZZ_CHECK(h.type <= 127 && h.len <= VDP_TLV_MAX_LEN, "TLV %u: header %u/%u", n,
		           h.type, h.len);
#ifndef FUZZ_LAX_END /* -DFUZZ_LAX_END: keep fuzzing past this one known issue */
		/* vdp/tlv.h: "0 ... at an End TLV (type 0 ...)". */
		FUZZ_CHECK(h.type != VDP_TLV_END,
		           "vdp_pdu_next returned a type 0 (End) TLV of length %u at offset %zu "
		           "instead of ending the PDU",
		           h.len, seen);
#endif
		int want = kind_of_type(h.type);
		for (int k = 0; k < FK_NKINDS; k++) {
			/* Decoders see the rest of the PDU, as a daemon calls them. */
			int d = fuzz_tlv((enum fuzz_kind)k, tlv, len - seen);
			if (k != want)
				FUZZ_CHECK(d == VDP_E_TLV_TYPE,
				           "%s decoder returned %d (%s) for a type %u TLV",
				           kind_name[k], d, vdp_err_name(d), h.type);
		}
		seen += tlv_len;
		n++;
	}
	if (rc < 0)
		fuzz_check_err(rc, "vdp_pdu_next");
	else
		FUZZ_CHECK(rc == 0, "vdp_pdu_next returned %d", rc);
	return n;
}
