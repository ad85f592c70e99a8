/* SPDX-License-Identifier: ISC */
/* Unit tests: error names, the VDP TLV header, VDPDU iteration and the
 * VSI Manager ID TLV (type 5). */
#include "testutil.h"

/* --- error strings ---------------------------------------------------- */

START_TEST(test_err_strings_distinct)
{
	const char *names[VDP_E_COUNT_ALL], *texts[VDP_E_COUNT_ALL];

	for (int i = 0; i < VDP_E_COUNT_ALL; i++) {
		int e = -i;
		names[i] = vdp_err_name(e);
		texts[i] = vdp_strerror(e);
		ck_assert_msg(names[i] && *names[i], "vdp_err_name(%d) is empty", e);
		ck_assert_msg(texts[i] && *texts[i], "vdp_strerror(%d) is empty", e);
		for (int j = 0; j < i; j++) {
			ck_assert_msg(strcmp(names[i], names[j]) != 0,
			              "vdp_err_name(%d) == vdp_err_name(%d) == \"%s\"", e, -j,
			              names[i]);
			ck_assert_msg(strcmp(texts[i], texts[j]) != 0,
			              "vdp_strerror(%d) == vdp_strerror(%d) == \"%s\"", e, -j,
			              texts[i]);
		}
	}
	/* The last code is the last one counted. */
	ck_assert_int_eq(VDP_E_HELP_FLAGS, -(VDP_E_COUNT_ALL - 1));
}
END_TEST

START_TEST(test_err_strings_unknown)
{
	/* Out-of-range codes still give a printable string. */
	ck_assert_ptr_nonnull(vdp_err_name(-VDP_E_COUNT_ALL));
	ck_assert_ptr_nonnull(vdp_strerror(-VDP_E_COUNT_ALL));
	ck_assert_ptr_nonnull(vdp_err_name(12345));
	ck_assert_ptr_nonnull(vdp_strerror(-12345));
	/* A name is short and lower-case, usable as a counter key. */
	for (int i = 0; i < VDP_E_COUNT_ALL; i++) {
		const char *n = vdp_err_name(-i);
		for (const char *p = n; *p; p++)
			ck_assert_msg((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			                  *p == '-' || *p == '_',
			              "vdp_err_name(%d) = \"%s\" is not lower-case", -i, n);
	}
}
END_TEST

START_TEST(test_type_names)
{
	static const unsigned types[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 127};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *n = vdp_tlv_type_name(types[i]);
		ck_assert_msg(n && *n, "vdp_tlv_type_name(%u) empty", types[i]);
		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(n, vdp_tlv_type_name(types[j]));
	}
	for (unsigned c = 0; c <= 5; c++) {
		ck_assert_ptr_nonnull(vdp_status_err_name(c));
		ck_assert_int_gt(strlen(vdp_status_err_name(c)), 0);
	}
	for (unsigned t = 0; t <= VDP_POL_TYPE_MAX; t++) {
		const char *n = vdp_policy_type_name(t);
		ck_assert_ptr_nonnull(n);
		ck_assert_int_gt(strlen(n), 0);
		for (unsigned j = 0; j < t; j++)
			ck_assert_str_ne(n, vdp_policy_type_name(j));
	}
	ck_assert_ptr_nonnull(vdp_tlv_type_name(100));
	ck_assert_ptr_nonnull(vdp_status_err_name(15));
	ck_assert_ptr_nonnull(vdp_policy_type_name(200));
}
END_TEST

/* --- TLV header ------------------------------------------------------- */

static const struct {
	uint8_t type;
	uint16_t len;
	const char *hex;
} hdr_cases[] = {
    {VDP_TLV_END, 0, "00 00"},
    {VDP_TLV_ASSOC, 33, "06 21"},        /* the capture's Associate */
    {VDP_TLV_DEASSOC, 33, "08 21"},      /* the capture's De-Associate */
    {VDP_TLV_MGRID, 16, "0a 10"},        /* the capture's Manager ID */
    {VDP_TLV_PREASSOC, 25, "02 19"},     /* VSI TLV with no filter */
    {VDP_TLV_PREASSOC_RR, 256, "05 00"}, /* 9th length bit lands in octet 0 */
    {VDP_TLV_POLICY_SYNC, 7, "0c 07"},
    {VDP_TLV_HELP, VDP_HELP_LEN, "12 1f"},
    {VDP_TLV_ORG, VDP_TLV_MAX_LEN, "ff ff"},
    {VDP_TLV_ORG, 3, "fe 03"},
};

START_TEST(test_hdr_layout)
{
	struct vdp_tlv_hdr h = {.type = hdr_cases[_i].type, .len = hdr_cases[_i].len}, d;
	uint8_t buf[600] = {0}, want[2];
	int r;

	r = vdp_tlv_hdr_encode(&h, buf, sizeof(buf));
	tu_assert_hex(r, buf, hdr_cases[_i].hex);
	/* type << 9 | len */
	ck_assert_uint_eq(tu_be16(buf), (unsigned)h.type << 9 | h.len);

	/* decode needs the value to fit: give it exactly header + len */
	tu_hex(hdr_cases[_i].hex, want, sizeof(want));
	memset(buf, 0xAA, sizeof(buf));
	memcpy(buf, want, 2);
	uint8_t *p = tu_dup(buf, 2 + h.len);
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(vdp_tlv_hdr_decode(p, 2 + h.len, &d), VDP_TLV_HDR_LEN);
	free(p);
	ck_assert_uint_eq(d.type, h.type);
	ck_assert_uint_eq(d.len, h.len);
}
END_TEST

START_TEST(test_hdr_all_types_lengths)
{
	/* Every 7-bit type with a spread of 9-bit lengths round-trips. */
	static const uint16_t lens[] = {0, 1, 16, 33, 255, 256, 257, 510, 511};
	static uint8_t buf[2 + VDP_TLV_MAX_LEN];

	for (unsigned t = 0; t < 128; t++) {
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			struct vdp_tlv_hdr h = {.type = (uint8_t)t, .len = lens[i]}, d = {0};
			ck_assert_int_eq(vdp_tlv_hdr_encode(&h, buf, sizeof(buf)), 2);
			ck_assert_uint_eq(buf[0], (t << 1) | (lens[i] >> 8));
			ck_assert_uint_eq(buf[1], lens[i] & 0xff);
			ck_assert_int_eq(vdp_tlv_hdr_decode(buf, 2u + lens[i], &d), 2);
			ck_assert_uint_eq(d.type, t);
			ck_assert_uint_eq(d.len, lens[i]);
		}
	}
}
END_TEST

START_TEST(test_hdr_errors)
{
	uint8_t buf[8];
	struct vdp_tlv_hdr h, d;

	/* truncated header */
	tu_hex("06 21", buf, sizeof(buf));
	ck_assert_int_eq(vdp_tlv_hdr_decode(buf, 0, &d), VDP_E_TRUNCATED);
	ck_assert_int_eq(vdp_tlv_hdr_decode(buf, 1, &d), VDP_E_TRUNCATED);
	/* length past the buffer: 33 announced, 0 and 32 present */
	ck_assert_int_eq(vdp_tlv_hdr_decode(buf, 2, &d), VDP_E_TLV_OVERRUN);
	{
		uint8_t big[35] = {0x06, 0x21};
		uint8_t *p = tu_dup(big, 34);
		ck_assert_int_eq(vdp_tlv_hdr_decode(p, 34, &d), VDP_E_TLV_OVERRUN);
		free(p);
		ck_assert_int_eq(vdp_tlv_hdr_decode(big, 35, &d), 2);
	}
	/* encoder: too small, and fields that do not fit 7 / 9 bits */
	h = (struct vdp_tlv_hdr){.type = 3, .len = 33};
	ck_assert_int_eq(vdp_tlv_hdr_encode(&h, buf, 1), VDP_E_NOSPACE);
	ck_assert_int_eq(vdp_tlv_hdr_encode(&h, buf, 0), VDP_E_NOSPACE);
	h = (struct vdp_tlv_hdr){.type = 128, .len = 0};
	ck_assert_int_eq(vdp_tlv_hdr_encode(&h, buf, sizeof(buf)), VDP_E_INVAL);
	h = (struct vdp_tlv_hdr){.type = 3, .len = 512};
	ck_assert_int_eq(vdp_tlv_hdr_encode(&h, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

/* --- VDPDU iteration --------------------------------------------------- */

/* The ULPDU of the capture's frame 15: Manager ID then an Associate. */
#define FRAME15_ULPDU                                                                              \
	"0a10 626c61626c6100000000000000000000"                                                    \
	"0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000"

START_TEST(test_iter_capture_pdu)
{
	uint8_t pdu[128];
	size_t n = tu_hex(FRAME15_ULPDU, pdu, sizeof(pdu));
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;

	ck_assert_uint_eq(n, 53);
	vdp_pdu_iter_init(&it, pdu, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_uint_eq(h.type, VDP_TLV_MGRID);
	ck_assert_uint_eq(h.len, 16);
	ck_assert_ptr_eq(tlv, pdu);
	ck_assert_uint_eq(tlen, 18);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_uint_eq(h.type, VDP_TLV_ASSOC);
	ck_assert_uint_eq(h.len, 33);
	ck_assert_ptr_eq(tlv, pdu + 18);
	ck_assert_uint_eq(tlen, 35);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 0);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 0);
}
END_TEST

START_TEST(test_iter_padding_and_end)
{
	uint8_t pdu[128];
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;

	/* Manager ID followed by zero padding (a padded short request). */
	size_t n =
	    tu_hex("0a10 626c61626c6100000000000000000000 0000 0000 0000 00", pdu, sizeof(pdu));
	vdp_pdu_iter_init(&it, pdu, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_uint_eq(h.type, VDP_TLV_MGRID);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 0);

	/* An explicit End TLV stops the walk even if bytes follow. */
	n = tu_hex("0a10 626c61626c6100000000000000000000 0000 0621", pdu, sizeof(pdu));
	vdp_pdu_iter_init(&it, pdu, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 0);

	/* Empty PDU. */
	vdp_pdu_iter_init(&it, pdu, 0);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 0);
}
END_TEST

START_TEST(test_iter_end_tlv_with_length)
{
	/* tlv.h: vdp_pdu_next returns 0 "at an End TLV (type 0 ...)".  An End
	 * TLV whose length is not 0 (00 03 here) is still type 0. */
	uint8_t pdu[64];
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	size_t n = tu_hex("0a10 626c61626c6100000000000000000000 0003 aabbcc", pdu, sizeof(pdu));

	vdp_pdu_iter_init(&it, pdu, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_uint_eq(h.type, VDP_TLV_MGRID);
	int r = vdp_pdu_next(&it, &h, &tlv, &tlen);
	ck_assert_msg(r == 0, "End TLV 00 03: vdp_pdu_next returned %d (type %u len %u), not 0", r,
	              h.type, h.len);
}
END_TEST

START_TEST(test_iter_errors)
{
	uint8_t pdu[128];
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;

	/* A lone octet after a complete TLV: truncated header. */
	size_t n = tu_hex("0a10 626c61626c6100000000000000000000 06", pdu, sizeof(pdu));
	uint8_t *p = tu_dup(pdu, n);
	vdp_pdu_iter_init(&it, p, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), VDP_E_TRUNCATED);
	free(p);

	/* Second TLV says 33 but only 3 octets follow. */
	n = tu_hex("0a10 626c61626c6100000000000000000000 0621 000000", pdu, sizeof(pdu));
	p = tu_dup(pdu, n);
	vdp_pdu_iter_init(&it, p, n);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), 1);
	ck_assert_int_eq(vdp_pdu_next(&it, &h, &tlv, &tlen), VDP_E_TLV_OVERRUN);
	free(p);

	/* Every prefix of the capture PDU that cuts a TLV fails; the
	 * prefixes that end on a TLV boundary (0, 18) do not. */
	n = tu_hex(FRAME15_ULPDU, pdu, sizeof(pdu));
	for (size_t k = 0; k < n; k++) {
		int r, seen = 0;
		p = tu_dup(pdu, k);
		vdp_pdu_iter_init(&it, p, k);
		while ((r = vdp_pdu_next(&it, &h, &tlv, &tlen)) == 1) {
			ck_assert_uint_le((size_t)(tlv - p) + tlen, k);
			seen++;
		}
		free(p);
		if (k == 0 || k == 18)
			ck_assert_msg(r == 0 && seen == (k == 18), "prefix %zu: r=%d seen=%d", k, r,
			              seen);
		else
			ck_assert_msg(r ==
			                  (k == 1 || k == 19 ? VDP_E_TRUNCATED : VDP_E_TLV_OVERRUN),
			              "prefix %zu: r=%d (%s)", k, r, vdp_err_name(r));
	}
}
END_TEST

/* --- VSI Manager ID ---------------------------------------------------- */

START_TEST(test_mgrid_capture)
{
	/* lldpad's "blabla", zero padded to 16. */
	uint8_t buf[64], out[64];
	size_t n = tu_hex("0a10 626c61626c6100000000000000000000", buf, sizeof(buf));
	struct vdp_mgrid m, want = {{0}};

	memcpy(want.id, "blabla", 6);
	uint8_t *p = tu_dup(buf, n);
	memset(&m, 0xEE, sizeof(m));
	ck_assert_int_eq(vdp_mgrid_decode(p, n, &m), 18);
	free(p);
	tu_assert_mgrid_eq(&m, &want);
	tu_assert_bytes(buf, n,
	                (const uint8_t *)"\x0a\x10"
	                                 "blabla\0\0\0\0\0\0\0\0\0\0",
	                18);
	ck_assert_int_eq(vdp_mgrid_encode(&m, out, sizeof(out)), 18);
	tu_assert_bytes(out, 18, buf, n);
}
END_TEST

START_TEST(test_mgrid_roundtrip)
{
	/* An IPv6 address and an all-0xff id round-trip unchanged. */
	static const char *ids[] = {
	    "20010db8000000000000000000000001",
	    "00000000000000000000ffffc0000201", /* IPv4-mapped 192.0.2.1 */
	    "ffffffffffffffffffffffffffffffff",
	    "00000000000000000000000000000000",
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct vdp_mgrid m = {{0}}, d;
		uint8_t buf[32], again[32];
		tu_hex(ids[i], m.id, sizeof(m.id));
		int r = vdp_mgrid_encode(&m, buf, sizeof(buf));
		ck_assert_int_eq(r, 18);
		ck_assert_uint_eq(buf[0], 0x0a);
		ck_assert_uint_eq(buf[1], 0x10);
		tu_assert_bytes(buf + 2, 16, m.id, 16);
		memset(&d, 0x55, sizeof(d));
		ck_assert_int_eq(vdp_mgrid_decode(buf, (size_t)r, &d), 18);
		tu_assert_mgrid_eq(&d, &m);
		ck_assert_int_eq(vdp_mgrid_encode(&d, again, sizeof(again)), 18);
		tu_assert_bytes(again, 18, buf, 18);
	}
}
END_TEST

START_TEST(test_mgrid_short_rejected)
{
	/* The Manager ID is exactly 16 octets on the wire (a short name is
	 * zero padded by the sender): lengths 1..15 disagree with the fixed
	 * layout.  0 and > 16 have their own codes (see test_mgrid_errors). */
	uint8_t buf[32];
	struct vdp_mgrid m;

	memset(buf, 0x61, sizeof(buf));
	for (unsigned l = 1; l < VDP_MGRID_LEN; l++) {
		buf[0] = VDP_TLV_MGRID << 1;
		buf[1] = (uint8_t)l;
		uint8_t *p = tu_dup(buf, 2 + l);
		int r = vdp_mgrid_decode(p, 2 + l, &m);
		free(p);
		ck_assert_msg(r == VDP_E_TLV_LENGTH, "length %u: %d (%s)", l, r, vdp_err_name(r));
	}
}
END_TEST

START_TEST(test_mgrid_errors)
{
	uint8_t buf[64];
	struct vdp_mgrid m = {{0}};
	size_t n;

	n = tu_hex("0a00", buf, sizeof(buf));
	ck_assert_int_eq(vdp_mgrid_decode(buf, n, &m), VDP_E_MGRID_EMPTY);
	n = tu_hex("0a11 626c61626c610000000000000000000000", buf, sizeof(buf));
	ck_assert_uint_eq(n, 19);
	ck_assert_int_eq(vdp_mgrid_decode(buf, n, &m), VDP_E_MGRID_SIZE);
	/* wrong TLV type (an Associate header) */
	n = tu_hex("0610 626c61626c6100000000000000000000", buf, sizeof(buf));
	ck_assert_int_eq(vdp_mgrid_decode(buf, n, &m), VDP_E_TLV_TYPE);
	/* truncated header / value past the buffer, every prefix */
	n = tu_hex("0a10 626c61626c6100000000000000000000", buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_mgrid_decode, struct vdp_mgrid, buf, n, tu_vdp_prefix_err);
	/* encoder without room */
	memcpy(m.id, "blabla", 6);
	for (size_t cap = 0; cap < 18; cap++)
		ck_assert_int_eq(vdp_mgrid_encode(&m, buf, cap), VDP_E_NOSPACE);
	ck_assert_int_eq(vdp_mgrid_encode(&m, buf, 18), 18);
}
END_TEST

static Suite *tlv_suite(void)
{
	Suite *s = suite_create("tlv");
	TCase *tc = tcase_create("errors");
	tcase_add_test(tc, test_err_strings_distinct);
	tcase_add_test(tc, test_err_strings_unknown);
	tcase_add_test(tc, test_type_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("header");
	tcase_add_loop_test(tc, test_hdr_layout, 0, sizeof(hdr_cases) / sizeof(hdr_cases[0]));
	tcase_add_test(tc, test_hdr_all_types_lengths);
	tcase_add_test(tc, test_hdr_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("iter");
	tcase_add_test(tc, test_iter_capture_pdu);
	tcase_add_test(tc, test_iter_padding_and_end);
	tcase_add_test(tc, test_iter_end_tlv_with_length);
	tcase_add_test(tc, test_iter_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("mgrid");
	tcase_add_test(tc, test_mgrid_capture);
	tcase_add_test(tc, test_mgrid_roundtrip);
	tcase_add_test(tc, test_mgrid_short_rejected);
	tcase_add_test(tc, test_mgrid_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(tlv_suite());
}
