/* SPDX-License-Identifier: ISC */
/* Unit tests: the VSI TLVs (Pre-Associate, Pre-Associate with resource
 * reservation, Associate, De-Associate) and VSIID formatting. */
#include "testutil.h"

static const uint8_t vsi_types[] = {VDP_TLV_PREASSOC, VDP_TLV_PREASSOC_RR, VDP_TLV_ASSOC,
                                    VDP_TLV_DEASSOC};
static const uint8_t vsiid_fmts[] = {VDP_VSIID_IPV4, VDP_VSIID_IPV6, VDP_VSIID_MAC, VDP_VSIID_LOCAL,
                                     VDP_VSIID_UUID};
static const uint8_t filter_fmts[] = {VDP_FILTER_VID, VDP_FILTER_MAC_VID, VDP_FILTER_GROUP_VID,
                                      VDP_FILTER_GROUP_MAC_VID};

/* Entry sizes per PROTOCOL.md: [GroupID 4][MAC 6][PS|PCP|VID 2]. */
static size_t entry_len(uint8_t fmt)
{
	switch (fmt) {
	case VDP_FILTER_VID:
		return 2;
	case VDP_FILTER_MAC_VID:
		return 8;
	case VDP_FILTER_GROUP_VID:
		return 6;
	case VDP_FILTER_GROUP_MAC_VID:
		return 12;
	}
	return 0;
}

static bool has_group(uint8_t fmt)
{
	return fmt == VDP_FILTER_GROUP_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

static bool has_mac(uint8_t fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

/* The most entries of a format that fit a 511-octet TLV. */
static unsigned max_fit(uint8_t fmt)
{
	return (unsigned)((VDP_TLV_MAX_LEN - VDP_VSI_FIXED_LEN) / entry_len(fmt));
}

static void fill_vsiid(uint8_t fmt, uint8_t id[VDP_VSIID_LEN])
{
	memset(id, 0, VDP_VSIID_LEN);
	switch (fmt) {
	case VDP_VSIID_IPV4: /* 192.0.2.10, right-aligned */
		tu_hex("00000000 00000000 00000000 c000020a", id, VDP_VSIID_LEN);
		break;
	case VDP_VSIID_IPV6: /* 2001:db8::1234:5678 */
		tu_hex("20010db8 00000000 00000000 12345678", id, VDP_VSIID_LEN);
		break;
	case VDP_VSIID_MAC: /* 52:54:00:aa:bb:01, right-aligned */
		tu_hex("00000000 00000000 0000 525400aabb01", id, VDP_VSIID_LEN);
		break;
	case VDP_VSIID_LOCAL:
		tu_hex("f0f1f2f3 f4f5f6f7 f8f9fafb fcfdfeff", id, VDP_VSIID_LEN);
		break;
	case VDP_VSIID_UUID:
		tu_hex("00112233-4455-6677-8899-aabbccddee01", id, VDP_VSIID_LEN);
		break;
	}
}

/* A varied, deterministic filter: VIDs 0 and 4094 first, then spread;
 * PS alternating, with PCP 0..7 when PS is set. */
static void fill_filter(unsigned i, uint8_t fmt, struct vdp_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (has_group(fmt))
		f->group = 0x80000000u ^ (i * 0x01020305u);
	if (has_mac(fmt)) {
		static const uint8_t base[6] = {0x02, 0x00, 0x5e, 0x00, 0x00, 0x00};
		memcpy(f->mac, base, 6);
		f->mac[4] = (uint8_t)(i >> 8);
		f->mac[5] = (uint8_t)i;
	}
	f->ps = i & 1;
	f->pcp = f->ps ? (uint8_t)((i >> 1) & 7) : 0;
	f->vid = i == 0 ? 0 : i == 1 ? VDP_VID_MAX : (uint16_t)((i * 97u) % (VDP_VID_MAX + 1));
}

static void make_vsi(struct vdp_vsi *v, uint8_t type, uint8_t status, uint8_t vfmt, uint8_t ffmt,
                     unsigned nfilters)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->status = status;
	v->type_id = 0x00abcdef;
	v->type_ver = 0x7e;
	v->vsiid_fmt = vfmt;
	fill_vsiid(vfmt, v->vsiid);
	v->filter_fmt = ffmt;
	v->nfilters = (uint16_t)nfilters;
	for (unsigned i = 0; i < nfilters; i++)
		fill_filter(i, ffmt, &v->filters[i]);
}

/* Encodes v, checks every field's position against PROTOCOL.md, decodes
 * it back from an exact-size copy, compares, and re-encodes identically. */
static void roundtrip(const struct vdp_vsi *v)
{
	static uint8_t buf[2 + VDP_TLV_MAX_LEN + 16], again[sizeof(buf)];
	static struct vdp_vsi d;
	size_t el = entry_len(v->filter_fmt), want = 2 + VDP_VSI_FIXED_LEN + v->nfilters * el;

	int r = vdp_vsi_encode(v, buf, sizeof(buf));
	ck_assert_msg(r == (int)want, "type %u vsiid %u filter %u n %u: encode %d (%s), want %zu",
	              v->type, v->vsiid_fmt, v->filter_fmt, v->nfilters, r, vdp_err_name(r), want);
	ck_assert_uint_eq(tu_be16(buf), (unsigned)v->type << 9 | (unsigned)(want - 2));
	ck_assert_uint_eq(buf[2], v->status);
	ck_assert_uint_eq((unsigned)buf[3] << 16 | (unsigned)buf[4] << 8 | buf[5], v->type_id);
	ck_assert_uint_eq(buf[6], v->type_ver);
	ck_assert_uint_eq(buf[7], v->vsiid_fmt);
	tu_assert_bytes(buf + 8, 16, v->vsiid, 16);
	ck_assert_uint_eq(buf[24], v->filter_fmt);
	ck_assert_uint_eq(tu_be16(buf + 25), v->nfilters);
	for (unsigned i = 0; i < v->nfilters; i++) {
		const uint8_t *e = buf + 27 + i * el;
		const struct vdp_filter *f = &v->filters[i];
		if (has_group(v->filter_fmt)) {
			ck_assert_uint_eq((uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 |
			                      (uint32_t)e[2] << 8 | e[3],
			                  f->group);
			e += 4;
		}
		if (has_mac(v->filter_fmt)) {
			tu_assert_bytes(e, 6, f->mac, 6);
			e += 6;
		}
		ck_assert_uint_eq(tu_be16(e),
		                  (unsigned)f->ps << 15 | (unsigned)f->pcp << 12 | f->vid);
	}

	uint8_t *p = tu_dup(buf, (size_t)r);
	memset(&d, 0xA5, sizeof(d));
	int rd = vdp_vsi_decode(p, (size_t)r, &d);
	free(p);
	ck_assert_msg(rd == r, "decode %d (%s), want %d", rd, vdp_err_name(rd), r);
	tu_assert_vsi_eq(&d, v);
	ck_assert_int_eq(vdp_vsi_encode(&d, again, sizeof(again)), r);
	tu_assert_bytes(again, (size_t)r, buf, (size_t)r);
}

/* --- round trips -------------------------------------------------------- */

/* _i enumerates type x VSIID format x filter format (4 x 5 x 4). */
START_TEST(test_roundtrip_matrix)
{
	static struct vdp_vsi v;
	uint8_t type = vsi_types[_i / 20];
	uint8_t vfmt = vsiid_fmts[(_i / 4) % 5];
	uint8_t ffmt = filter_fmts[_i % 4];
	const unsigned counts[] = {0, 1, 2, 3, 8, max_fit(ffmt) - 1, max_fit(ffmt)};
	static const uint8_t statuses[] = {0,         VDP_REQ_S,
	                                   VDP_REQ_M, VDP_REQ_S | VDP_REQ_M,
	                                   VDP_RESP,  VDP_RESP | VDP_RESP_KEEP | VDP_RESP_HARD | 5};

	for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		for (size_t s = 0; s < sizeof(statuses); s++) {
			make_vsi(&v, type, statuses[s], vfmt, ffmt, counts[c]);
			roundtrip(&v);
		}
	}
	/* extreme Type ID / version */
	make_vsi(&v, type, 0, vfmt, ffmt, 1);
	v.type_id = 0xffffff;
	v.type_ver = 0xff;
	roundtrip(&v);
	v.type_id = 0;
	v.type_ver = 0;
	roundtrip(&v);
}
END_TEST

START_TEST(test_roundtrip_status)
{
	/* Every request status (M/S) and every response status (KEEP, HARD,
	 * each error code). */
	static struct vdp_vsi v;
	unsigned n = 0;

	for (unsigned s = 0; s < 4; s++) {
		make_vsi(&v, VDP_TLV_ASSOC, (uint8_t)(s << 4), VDP_VSIID_UUID, VDP_FILTER_MAC_VID,
		         1);
		roundtrip(&v);
		n++;
	}
	for (unsigned keep = 0; keep < 2; keep++)
		for (unsigned hard = 0; hard < 2; hard++)
			for (unsigned err = VDP_ST_SUCCESS; err <= VDP_ST_INVALID_VID; err++) {
				uint8_t st = (uint8_t)(VDP_RESP | (keep ? VDP_RESP_KEEP : 0) |
				                       (hard ? VDP_RESP_HARD : 0) | err);
				make_vsi(&v, VDP_TLV_ASSOC, st, VDP_VSIID_UUID, VDP_FILTER_MAC_VID,
				         1);
				roundtrip(&v);
				n++;
			}
	ck_assert_uint_eq(n, 4 + 2 * 2 * 6);
}
END_TEST

START_TEST(test_roundtrip_ps_pcp_vid)
{
	/* Every PCP with PS set, and the VID boundaries, in each format. */
	static struct vdp_vsi v;
	static const uint16_t vids[] = {0, 1, 100, 0x800, 4093, VDP_VID_MAX};

	for (size_t f = 0; f < 4; f++) {
		make_vsi(&v, VDP_TLV_PREASSOC, 0, VDP_VSIID_MAC, filter_fmts[f], 0);
		for (unsigned pcp = 0; pcp < 8; pcp++)
			for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
				struct vdp_filter *e = &v.filters[v.nfilters++];
				fill_filter(v.nfilters, filter_fmts[f], e);
				e->ps = true;
				e->pcp = (uint8_t)pcp;
				e->vid = vids[i];
			}
		for (size_t i = 0; i < sizeof(vids) / sizeof(vids[0]); i++) {
			struct vdp_filter *e = &v.filters[v.nfilters++];
			fill_filter(v.nfilters, filter_fmts[f], e);
			e->ps = false;
			e->pcp = 0;
			e->vid = vids[i];
		}
		if (v.nfilters > max_fit(filter_fmts[f]))
			v.nfilters = (uint16_t)max_fit(filter_fmts[f]);
		roundtrip(&v);
	}
}
END_TEST

START_TEST(test_max_filters)
{
	/* VDP_MAX_FILTERS VID-only entries fill a 511-octet TLV exactly. */
	static struct vdp_vsi v;
	static uint8_t buf[2 + VDP_TLV_MAX_LEN];

	ck_assert_uint_eq(VDP_MAX_FILTERS, 243);
	make_vsi(&v, VDP_TLV_ASSOC, 0, VDP_VSIID_UUID, VDP_FILTER_VID, VDP_MAX_FILTERS);
	ck_assert_int_eq(vdp_vsi_encode(&v, buf, sizeof(buf)), 2 + 25 + 2 * VDP_MAX_FILTERS);
	ck_assert_uint_eq(tu_be16(buf), VDP_TLV_ASSOC << 9 | (25 + 2 * VDP_MAX_FILTERS));
	roundtrip(&v);
}
END_TEST

START_TEST(test_filter_entry_len)
{
	ck_assert_uint_eq(vdp_filter_entry_len(VDP_FILTER_VID), 2);
	ck_assert_uint_eq(vdp_filter_entry_len(VDP_FILTER_MAC_VID), 8);
	ck_assert_uint_eq(vdp_filter_entry_len(VDP_FILTER_GROUP_VID), 6);
	ck_assert_uint_eq(vdp_filter_entry_len(VDP_FILTER_GROUP_MAC_VID), 12);
	ck_assert_uint_eq(vdp_filter_entry_len(0), 0);
	ck_assert_uint_eq(vdp_filter_entry_len(5), 0);
	ck_assert_uint_eq(vdp_filter_entry_len(255), 0);
	for (unsigned t = 0; t < 128; t++)
		ck_assert_int_eq(vdp_is_vsi_type(t), t >= 1 && t <= 4);
}
END_TEST

/* --- exact layouts, written by hand from PROTOCOL.md --------------------- */

static const struct {
	const char *name;
	const char *hex;
	struct vdp_vsi v; /* only the first two filters are given here */
} layouts[] = {
    {"capture frame 15: station Associate, UUID, MAC/VID, VID 0",
     "0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000",
     {.type = VDP_TLV_ASSOC,
      .status = 0,
      .type_id = 5,
      .type_ver = 4,
      .vsiid_fmt = VDP_VSIID_UUID,
      .vsiid = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                0xee, 0x01},
      .filter_fmt = VDP_FILTER_MAC_VID,
      .nfilters = 1,
      .filters = {{.mac = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01}, .vid = 0}}}},
    {"capture frame 21: bridge response, VID 100",
     "0621 40 000005 04 05 00112233445566778899aabbccddee02 02 0001 525400aabb02 0064",
     {.type = VDP_TLV_ASSOC,
      .status = VDP_RESP,
      .type_id = 5,
      .type_ver = 4,
      .vsiid_fmt = VDP_VSIID_UUID,
      .vsiid = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                0xee, 0x02},
      .filter_fmt = VDP_FILTER_MAC_VID,
      .nfilters = 1,
      .filters = {{.mac = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x02}, .vid = 100}}}},
    {"capture frame 53: bridge's unsolicited De-Associate",
     "0821 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000",
     {.type = VDP_TLV_DEASSOC,
      .status = 0,
      .type_id = 5,
      .type_ver = 4,
      .vsiid_fmt = VDP_VSIID_UUID,
      .vsiid = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd,
                0xee, 0x01},
      .filter_fmt = VDP_FILTER_MAC_VID,
      .nfilters = 1,
      .filters = {{.mac = {0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01}, .vid = 0}}}},
    {"Pre-Associate, M, IPv4 VSIID, two VID entries (PS PCP 5 VID 100; VID 4094)",
     "021d 10 123456 01 01 000000000000000000000000c000020a 01 0002 d064 0ffe",
     {.type = VDP_TLV_PREASSOC,
      .status = VDP_REQ_M,
      .type_id = 0x123456,
      .type_ver = 1,
      .vsiid_fmt = VDP_VSIID_IPV4,
      .vsiid = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 192, 0, 2, 10},
      .filter_fmt = VDP_FILTER_VID,
      .nfilters = 2,
      .filters = {{.ps = true, .pcp = 5, .vid = 100}, {.vid = 4094}}}},
    {"Pre-Associate-RR, S, MAC VSIID, GroupID/VID (PS PCP 7 VID 1)",
     "041f 20 abcdef ff 03 00000000000000000000525400aabb01 03 0001 0a0b0c0d f001",
     {.type = VDP_TLV_PREASSOC_RR,
      .status = VDP_REQ_S,
      .type_id = 0xabcdef,
      .type_ver = 0xff,
      .vsiid_fmt = VDP_VSIID_MAC,
      .vsiid = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01},
      .filter_fmt = VDP_FILTER_GROUP_VID,
      .nfilters = 1,
      .filters = {{.group = 0x0a0b0c0d, .ps = true, .pcp = 7, .vid = 1}}}},
    {"De-Associate response KEEP|HARD|invalid VID, IPv6, GroupID/MAC/VID",
     "0825 75 000001 00 02 20010db8000000000000000000000001 04 0001 deadbeef 020000000001 affe",
     {.type = VDP_TLV_DEASSOC,
      .status = VDP_RESP | VDP_RESP_KEEP | VDP_RESP_HARD | VDP_ST_INVALID_VID,
      .type_id = 1,
      .type_ver = 0,
      .vsiid_fmt = VDP_VSIID_IPV6,
      .vsiid = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
      .filter_fmt = VDP_FILTER_GROUP_MAC_VID,
      .nfilters = 1,
      .filters =
          {{.group = 0xdeadbeef, .mac = {2, 0, 0, 0, 0, 1}, .ps = true, .pcp = 2, .vid = 4094}}}},
    {"Associate, local VSIID, MAC/VID format with no entries",
     "0619 00 000000 00 04 f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff 02 0000",
     {.type = VDP_TLV_ASSOC,
      .vsiid_fmt = VDP_VSIID_LOCAL,
      .vsiid = {0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd,
                0xfe, 0xff},
      .filter_fmt = VDP_FILTER_MAC_VID,
      .nfilters = 0}},
};

START_TEST(test_layout)
{
	static uint8_t buf[600], out[600];
	static struct vdp_vsi d;
	size_t n = tu_hex(layouts[_i].hex, buf, sizeof(buf));

	int r = vdp_vsi_encode(&layouts[_i].v, out, sizeof(out));
	ck_assert_msg(r == (int)n, "%s: encode %d", layouts[_i].name, r);
	tu_assert_bytes(out, (size_t)r, buf, n);

	uint8_t *p = tu_dup(buf, n);
	memset(&d, 0x3C, sizeof(d));
	r = vdp_vsi_decode(p, n, &d);
	free(p);
	ck_assert_msg(r == (int)n, "%s: decode %d (%s)", layouts[_i].name, r, vdp_err_name(r));
	tu_assert_vsi_eq(&d, &layouts[_i].v);
}
END_TEST

START_TEST(test_decode_in_larger_pdu)
{
	/* Decoding consumes only the TLV, not what follows it. */
	uint8_t buf[128];
	static struct vdp_vsi d;
	size_t n = tu_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 "
	                  "525400aabb01 0000 | 0a10 626c61626c6100000000000000000000",
	                  buf, sizeof(buf));
	ck_assert_int_eq(vdp_vsi_decode(buf, n, &d), 35);
	ck_assert_uint_eq(d.nfilters, 1);
}
END_TEST

/* --- malformed input ------------------------------------------------------ */

/* The capture's Associate as a base to corrupt: offsets below are into it. */
#define BASE "0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000"

static int decode_hex(const char *hex)
{
	static uint8_t buf[600];
	static struct vdp_vsi d;
	size_t n = tu_hex(hex, buf, sizeof(buf));
	uint8_t *p = tu_dup(buf, n);
	int r = vdp_vsi_decode(p, n, &d);
	free(p);
	return r;
}

START_TEST(test_decode_errors)
{
	static uint8_t buf[600];
	size_t n;

	/* every proper prefix: truncated header, then length past the buffer */
	n = tu_hex(BASE, buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_vsi_decode, struct vdp_vsi, buf, n, tu_vdp_prefix_err);
	{
		static struct vdp_vsi big;
		static uint8_t enc[2 + VDP_TLV_MAX_LEN];
		make_vsi(&big, VDP_TLV_ASSOC, 0, VDP_VSIID_UUID, VDP_FILTER_GROUP_MAC_VID, 40);
		int r = vdp_vsi_encode(&big, enc, sizeof(enc));
		ck_assert_int_eq(r, 2 + 25 + 40 * 12);
		TU_CHECK_PREFIXES(vdp_vsi_decode, struct vdp_vsi, enc, (size_t)r,
		                  tu_vdp_prefix_err);
	}

	/* TLV shorter than the 25-octet fixed part (buffer complete) */
	ck_assert_int_eq(decode_hex("0618 00 000005 04 05 00112233445566778899aabbccddee01 02 00"),
	                 VDP_E_TLV_LENGTH);
	ck_assert_int_eq(decode_hex("0600"), VDP_E_TLV_LENGTH);
	/* not a VSI TLV type */
	ck_assert_int_eq(decode_hex("0a21 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_TLV_TYPE);
	ck_assert_int_eq(decode_hex("0c21 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_TLV_TYPE);
	ck_assert_int_eq(decode_hex("0021 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_TLV_TYPE);
	/* entry count inconsistent with the length: too many, too few, and a
	 * length that is not a whole number of entries */
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0002 525400aabb01 0000"),
	                 VDP_E_COUNT);
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0000 525400aabb01 0000"),
	                 VDP_E_COUNT);
	ck_assert_int_eq(decode_hex("0622 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000 00"),
	                 VDP_E_COUNT);
	ck_assert_int_eq(decode_hex("0619 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001"),
	                 VDP_E_COUNT);
	/* unknown filter info format 0 and 5 */
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 00 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_FILTER_FORMAT);
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 05 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_FILTER_FORMAT);
	/* unknown VSIID format 0 and 6 */
	ck_assert_int_eq(decode_hex("0621 00 000005 04 00 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_VSIID_FORMAT);
	ck_assert_int_eq(decode_hex("0621 00 000005 04 06 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_VSIID_FORMAT);
	/* VID 4095, with and without PS/PCP, in the second of two entries */
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0fff"),
	                 VDP_E_VID);
	ck_assert_int_eq(decode_hex("0621 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 ffff"),
	                 VDP_E_VID);
	ck_assert_int_eq(decode_hex("021d 00 000005 04 05 00112233445566778899aabbccddee01 01 "
	                            "0002 0064 0fff"),
	                 VDP_E_VID);
	/* reserved status bit 7, in a request and in a response */
	ck_assert_int_eq(decode_hex("0621 80 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_STATUS);
	ck_assert_int_eq(decode_hex("0621 c0 000005 04 05 00112233445566778899aabbccddee01 02 "
	                            "0001 525400aabb01 0000"),
	                 VDP_E_STATUS);
}
END_TEST

START_TEST(test_encode_errors)
{
	static struct vdp_vsi v;
	static uint8_t buf[2 + VDP_TLV_MAX_LEN + 8];

	/* no room: every cap below the 35 octets of the capture's TLV */
	make_vsi(&v, VDP_TLV_ASSOC, 0, VDP_VSIID_UUID, VDP_FILTER_MAC_VID, 1);
	for (size_t cap = 0; cap < 35; cap++)
		ck_assert_msg(vdp_vsi_encode(&v, buf, cap) == VDP_E_NOSPACE, "cap %zu", cap);
	ck_assert_int_eq(vdp_vsi_encode(&v, buf, 35), 35);

#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		make_vsi(&v, VDP_TLV_ASSOC, 0, VDP_VSIID_UUID, VDP_FILTER_MAC_VID, 3);             \
		stmt;                                                                              \
		int r_ = vdp_vsi_encode(&v, buf, sizeof(buf));                                     \
		ck_assert_msg(r_ == VDP_E_INVAL, "%s: got %d (%s)", #stmt, r_, vdp_err_name(r_));  \
	} while (0)
	BAD(v.filters[1].vid = 4095);
	BAD(v.filters[2].vid = 0xffff);
	BAD(v.filters[0].pcp = 8);
	BAD((v.filters[0].ps = true, v.filters[0].pcp = 8));
	BAD(v.nfilters = VDP_MAX_FILTERS + 1);
	/* 61 MAC/VID entries = 25 + 488 > 511 */
	BAD((v.nfilters = (uint16_t)(max_fit(VDP_FILTER_MAC_VID) + 1)));
	BAD((v.filter_fmt = VDP_FILTER_VID, v.nfilters = VDP_MAX_FILTERS + 1));
	BAD(v.type = VDP_TLV_MGRID);
	BAD(v.type = VDP_TLV_END);
	BAD(v.vsiid_fmt = 0);
	BAD(v.vsiid_fmt = 6);
	BAD(v.filter_fmt = 0);
	BAD(v.filter_fmt = 5);
	BAD(v.type_id = 0x1000000);
	BAD(v.status = 0x80);
#undef BAD
}
END_TEST

/* --- the fixed part alone, for answering what decode refuses ------------ */

static int head_hex(const char *hex, struct vdp_vsi *d)
{
	static uint8_t buf[600];
	size_t n = tu_hex(hex, buf, sizeof(buf));
	uint8_t *p = tu_dup(buf, n);
	memset(d, 0x77, sizeof(*d));
	int r = vdp_vsi_head_decode(p, n, d);
	free(p);
	return r;
}

/* Each request vdp_vsi_decode() refuses although its VSI can be named
 * (vdp-protocol(7)): the head decoder reads it all the same. */
START_TEST(test_head_reads_what_decode_refuses)
{
	static const struct {
		const char *hex;
		int strict;
		uint8_t status, vfmt, ffmt;
	} cases[] = {
	    {"0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0002 525400aabb01 0000",
	     VDP_E_COUNT, 0x00, 5, 2},
	    {"0621 00 000005 04 05 00112233445566778899aabbccddee01 09 0001 525400aabb01 0000",
	     VDP_E_FILTER_FORMAT, 0x00, 5, 9},
	    {"0621 00 000005 04 07 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000",
	     VDP_E_VSIID_FORMAT, 0x00, 7, 2},
	    {"0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0fff",
	     VDP_E_VID, 0x00, 5, 2},
	    {"0621 90 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000",
	     VDP_E_STATUS, 0x90, 5, 2},
	};
	static struct vdp_vsi d;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_int_eq(decode_hex(cases[i].hex), cases[i].strict);
		ck_assert_int_eq(head_hex(cases[i].hex, &d), 35);
		ck_assert_uint_eq(d.type, VDP_TLV_ASSOC);
		ck_assert_uint_eq(d.status, cases[i].status);
		ck_assert_uint_eq(d.type_id, 5);
		ck_assert_uint_eq(d.type_ver, 4);
		ck_assert_uint_eq(d.vsiid_fmt, cases[i].vfmt);
		ck_assert_uint_eq(d.vsiid[15], 0x01);
		ck_assert_uint_eq(d.filter_fmt, cases[i].ffmt);
		ck_assert_uint_eq(d.nfilters, 0);
	}
	/* Too short to name the VSI, or not a VSI TLV: nothing to answer. */
	ck_assert_int_eq(
	    head_hex("0618 00 000005 04 05 00112233445566778899aabbccddee01 02 00", &d),
	    VDP_E_TLV_LENGTH);
	ck_assert_int_eq(head_hex("0c21 00 000005 04 05 00112233445566778899aabbccddee01 02 "
	                          "0001 525400aabb01 0000",
	                          &d),
	                 VDP_E_TLV_TYPE);
	static uint8_t buf[64];
	size_t n = tu_hex(BASE, buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_vsi_head_decode, struct vdp_vsi, buf, n, tu_vdp_prefix_err);
}
END_TEST

START_TEST(test_head_roundtrip)
{
	static struct vdp_vsi v, back;
	static uint8_t buf[64];
	/* An answer echoing formats this library does not know, with the
	 * error and no entries. */
	make_vsi(&v, VDP_TLV_PREASSOC_RR, VDP_RESP | VDP_RESP_HARD | VDP_ST_INVALID_FORMAT,
	         VDP_VSIID_UUID, VDP_FILTER_MAC_VID, 2);
	v.vsiid_fmt = 0xee;
	v.filter_fmt = 0x09;
	v.type_id = 0xabcdef;
	v.type_ver = 0x12;
	int r = vdp_vsi_head_encode(&v, buf, sizeof(buf));
	tu_assert_hex(r, buf, "0419 51 abcdef 12 ee 00112233445566778899aabbccddee01 09 0000");
	ck_assert_int_eq(vdp_vsi_head_decode(buf, (size_t)r, &back), r);
	ck_assert_uint_eq(back.status, v.status);
	ck_assert_uint_eq(back.type_id, v.type_id);
	ck_assert_uint_eq(back.vsiid_fmt, 0xee);
	ck_assert_uint_eq(back.filter_fmt, 0x09);
	ck_assert_uint_eq(back.nfilters, 0);
	/* Known formats: the strict decoder reads the answer too. */
	make_vsi(&v, VDP_TLV_ASSOC, VDP_RESP | VDP_RESP_KEEP | VDP_ST_INVALID_FORMAT, VDP_VSIID_MAC,
	         VDP_FILTER_VID, 3);
	r = vdp_vsi_head_encode(&v, buf, sizeof(buf));
	ck_assert_int_eq(r, 27);
	ck_assert_int_eq(vdp_vsi_decode(buf, (size_t)r, &back), 27);
	ck_assert_uint_eq(back.status, v.status);
	ck_assert_uint_eq(back.nfilters, 0);
	/* What it refuses. */
	for (size_t cap = 0; cap < 27; cap++)
		ck_assert_int_eq(vdp_vsi_head_encode(&v, buf, cap), VDP_E_NOSPACE);
	v.status = 0x80;
	ck_assert_int_eq(vdp_vsi_head_encode(&v, buf, sizeof(buf)), VDP_E_INVAL);
	v.status = 0;
	v.type = VDP_TLV_MGRID;
	ck_assert_int_eq(vdp_vsi_head_encode(&v, buf, sizeof(buf)), VDP_E_INVAL);
	v.type = VDP_TLV_ASSOC;
	v.type_id = 0x1000000;
	ck_assert_int_eq(vdp_vsi_head_encode(&v, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

/* --- VSIID text form -------------------------------------------------------- */

START_TEST(test_vsiid_str)
{
	static const struct {
		uint8_t fmt;
		const char *text;
	} cases[] = {
	    {VDP_VSIID_UUID, "00112233-4455-6677-8899-aabbccddee01"},
	    {VDP_VSIID_IPV4, "192.0.2.10"},
	    {VDP_VSIID_IPV6, "2001:db8::1234:5678"},
	    {VDP_VSIID_MAC, "52:54:00:aa:bb:01"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t id[VDP_VSIID_LEN], back[VDP_VSIID_LEN];
		char s[VDP_VSIID_STRLEN];
		fill_vsiid(cases[i].fmt, id);
		ck_assert_ptr_eq(vdp_vsiid_str(cases[i].fmt, id, s, sizeof(s)), s);
		ck_assert_str_eq(s, cases[i].text);
		memset(back, 0xEE, sizeof(back));
		ck_assert_int_eq(vdp_vsiid_parse(cases[i].fmt, cases[i].text, back), 0);
		tu_assert_bytes(back, 16, id, 16);
	}
	/* local: printed as hex, parsed back */
	{
		uint8_t id[VDP_VSIID_LEN], back[VDP_VSIID_LEN];
		char s[VDP_VSIID_STRLEN];
		fill_vsiid(VDP_VSIID_LOCAL, id);
		vdp_vsiid_str(VDP_VSIID_LOCAL, id, s, sizeof(s));
		ck_assert_ptr_nonnull(strstr(s, "f0f1f2f3"));
		ck_assert_int_eq(vdp_vsiid_parse(VDP_VSIID_LOCAL, s, back), 0);
		tu_assert_bytes(back, 16, id, 16);
	}
	/* garbage is refused */
	uint8_t id[VDP_VSIID_LEN];
	ck_assert_int_eq(vdp_vsiid_parse(VDP_VSIID_UUID, "not-a-uuid", id), -1);
	ck_assert_int_eq(vdp_vsiid_parse(VDP_VSIID_IPV4, "300.1.1.1", id), -1);
	ck_assert_int_eq(vdp_vsiid_parse(VDP_VSIID_MAC, "52:54:00:aa:bb", id), -1);
	ck_assert_int_eq(vdp_vsiid_parse(6, "192.0.2.10", id), -1);
}
END_TEST

static Suite *vsi_suite(void)
{
	Suite *s = suite_create("vsi");
	TCase *tc = tcase_create("roundtrip");
	tcase_add_loop_test(tc, test_roundtrip_matrix, 0, 4 * 5 * 4);
	tcase_add_test(tc, test_roundtrip_status);
	tcase_add_test(tc, test_roundtrip_ps_pcp_vid);
	tcase_add_test(tc, test_max_filters);
	tcase_add_test(tc, test_filter_entry_len);
	/* Every prefix decoded from an exact-size heap copy: slow under ASan
	 * and valgrind on a busy machine. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_loop_test(tc, test_layout, 0, sizeof(layouts) / sizeof(layouts[0]));
	tcase_add_test(tc, test_decode_in_larger_pdu);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_encode_errors);
	tcase_add_test(tc, test_head_reads_what_decode_refuses);
	tcase_add_test(tc, test_head_roundtrip);
	/* Every prefix decoded from an exact-size heap copy: slow under ASan
	 * and valgrind on a busy machine. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("vsiid");
	tcase_add_test(tc, test_vsiid_str);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(vsi_suite());
}
