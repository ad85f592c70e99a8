/* SPDX-License-Identifier: ISC */
/* Unit tests: the Help Request TLV (type 9; our migration extension) and
 * the organizationally defined TLV (type 127). */
#include "testutil.h"

/* --- Help Request ------------------------------------------------------------ */

/* Assumed layout (tlv.h's struct order; the man page is to confirm it):
 *   status 1 | flags 1 | VSIID format 1 | VSIID 16 | MAC 6 | PS|PCP|VID 2 | IPv4 4
 * = VDP_HELP_LEN (31) value octets. */
static void make_help(struct vdp_help *h)
{
	memset(h, 0, sizeof(*h));
	h->status = 0;
	h->flags = VDP_HELP_DHCP;
	h->vsiid_fmt = VDP_VSIID_UUID;
	tu_hex("00112233445566778899aabbccddee01", h->vsiid, VDP_VSIID_LEN);
	tu_hex("525400aabb01", h->mac, 6);
	h->vid = 100;
	tu_hex("c000020a", h->ipv4, 4);
}
#define HELP_HEX "121f 00 01 05 00112233445566778899aabbccddee01 525400aabb01 0064 c000020a"

static void help_roundtrip(const struct vdp_help *h)
{
	uint8_t buf[64], again[64];
	struct vdp_help d;

	int r = vdp_help_encode(h, buf, sizeof(buf));
	ck_assert_msg(r == 2 + VDP_HELP_LEN, "encode %d (%s)", r, vdp_err_name(r));
	ck_assert_uint_eq(tu_be16(buf), VDP_TLV_HELP << 9 | VDP_HELP_LEN);
	uint8_t *p = tu_dup(buf, (size_t)r);
	memset(&d, 0xA5, sizeof(d));
	ck_assert_int_eq(vdp_help_decode(p, (size_t)r, &d), r);
	free(p);
	tu_assert_help_eq(&d, h);
	ck_assert_int_eq(vdp_help_encode(&d, again, sizeof(again)), r);
	tu_assert_bytes(again, (size_t)r, buf, (size_t)r);
}

START_TEST(test_help_layout)
{
	struct vdp_help h, d;
	uint8_t buf[64], want[64];
	size_t n = tu_hex(HELP_HEX, want, sizeof(want));

	ck_assert_uint_eq(n, 2 + VDP_HELP_LEN);
	make_help(&h);
	int r = vdp_help_encode(&h, buf, sizeof(buf));
	tu_assert_bytes(buf, r < 0 ? 0 : (size_t)r, want, n);
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(vdp_help_decode(want, n, &d), (int)n);
	tu_assert_help_eq(&d, &h);

	/* the station's answer: response bit, PS/PCP 3, MAC VSIID */
	h.status = VDP_RESP;
	h.vsiid_fmt = VDP_VSIID_MAC;
	tu_hex("00000000000000000000525400aabb01", h.vsiid, VDP_VSIID_LEN);
	h.ps = true;
	h.pcp = 3;
	h.vid = 4094;
	memset(h.ipv4, 0, 4);
	r = vdp_help_encode(&h, buf, sizeof(buf));
	tu_assert_hex(r, buf,
	              "121f 40 01 03 00000000000000000000525400aabb01 525400aabb01 bffe 00000000");
}
END_TEST

START_TEST(test_help_roundtrip)
{
	static const uint8_t fmts[] = {VDP_VSIID_IPV4, VDP_VSIID_IPV6, VDP_VSIID_MAC,
	                               VDP_VSIID_LOCAL, VDP_VSIID_UUID};
	static const uint8_t statuses[] = {0, VDP_RESP, VDP_RESP | VDP_ST_OTHER_FAILURE,
	                                   VDP_RESP | VDP_RESP_HARD | VDP_ST_NO_VSI_MANAGER};
	static const uint16_t vids[] = {0, 1, 100, VDP_VID_MAX};
	struct vdp_help h;

	for (size_t f = 0; f < sizeof(fmts); f++)
		for (size_t s = 0; s < sizeof(statuses); s++)
			for (size_t v = 0; v < 4; v++)
				for (unsigned pcp = 0; pcp < 9; pcp++) {
					make_help(&h);
					h.vsiid_fmt = fmts[f];
					h.vsiid[0] = (uint8_t)(f * 17);
					h.status = statuses[s];
					h.vid = vids[v];
					h.ps = pcp < 8;
					h.pcp = pcp < 8 ? (uint8_t)pcp : 0;
					h.mac[5] = (uint8_t)(v + pcp);
					h.ipv4[3] = (uint8_t)s;
					help_roundtrip(&h);
				}
}
END_TEST

static int help_decode_hex(const char *hex)
{
	uint8_t buf[128];
	struct vdp_help d;
	size_t n = tu_hex(hex, buf, sizeof(buf));
	uint8_t *p = tu_dup(buf, n);
	int r = vdp_help_decode(p, n, &d);
	free(p);
	return r;
}

START_TEST(test_help_errors)
{
	uint8_t buf[64];
	size_t n = tu_hex(HELP_HEX, buf, sizeof(buf));
	struct vdp_help h;

	TU_CHECK_PREFIXES(vdp_help_decode, struct vdp_help, buf, n, tu_vdp_prefix_err);
	/* wrong length (30, 32), wrong type */
	ck_assert_int_eq(
	    help_decode_hex(
	        "121e 00 01 05 00112233445566778899aabbccddee01 525400aabb01 0064 c00002"),
	    VDP_E_TLV_LENGTH);
	ck_assert_int_eq(help_decode_hex("1220 00 01 05 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a 00"),
	                 VDP_E_TLV_LENGTH);
	ck_assert_int_eq(help_decode_hex("061f 00 01 05 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a"),
	                 VDP_E_TLV_TYPE);
	/* asks for nothing */
	ck_assert_int_eq(help_decode_hex("121f 00 00 05 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a"),
	                 VDP_E_HELP_FLAGS);
	/* VSIID format 0 and 6 */
	ck_assert_int_eq(help_decode_hex("121f 00 01 00 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a"),
	                 VDP_E_VSIID_FORMAT);
	ck_assert_int_eq(help_decode_hex("121f 00 01 06 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a"),
	                 VDP_E_VSIID_FORMAT);
	/* VID 4095 */
	ck_assert_int_eq(help_decode_hex("121f 00 01 05 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0fff c000020a"),
	                 VDP_E_VID);
	/* reserved status bit */
	ck_assert_int_eq(help_decode_hex("121f 80 01 05 00112233445566778899aabbccddee01 "
	                                 "525400aabb01 0064 c000020a"),
	                 VDP_E_STATUS);

	/* encoder */
	make_help(&h);
	for (size_t cap = 0; cap < 2 + VDP_HELP_LEN; cap++)
		ck_assert_int_eq(vdp_help_encode(&h, buf, cap), VDP_E_NOSPACE);
	ck_assert_int_eq(vdp_help_encode(&h, buf, 2 + VDP_HELP_LEN), 2 + VDP_HELP_LEN);
#define BAD(stmt)                                                                                  \
	do {                                                                                       \
		make_help(&h);                                                                     \
		stmt;                                                                              \
		int r_ = vdp_help_encode(&h, buf, sizeof(buf));                                    \
		ck_assert_msg(r_ == VDP_E_INVAL, "%s: got %d (%s)", #stmt, r_, vdp_err_name(r_));  \
	} while (0)
	BAD(h.vid = 4095);
	BAD((h.ps = true, h.pcp = 8));
	BAD(h.vsiid_fmt = 0);
	BAD(h.vsiid_fmt = 6);
	BAD(h.flags = 0);
	BAD(h.status = 0x80);
#undef BAD
}
END_TEST

/* --- Organizationally defined TLV ------------------------------------------------ */

START_TEST(test_org_layout)
{
	static struct vdp_org o, d;
	uint8_t buf[600], out[600];
	size_t n;

	/* OUI 00-11-22 with 5 data octets: length 8 */
	memset(&o, 0, sizeof(o));
	tu_hex("001122", o.oui, 3);
	o.len = 5;
	tu_hex("0102030405", o.data, 5);
	int r = vdp_org_encode(&o, out, sizeof(out));
	tu_assert_hex(r, out, "fe08 001122 0102030405");
	n = tu_hex("fe08 001122 0102030405", buf, sizeof(buf));
	uint8_t *p = tu_dup(buf, n);
	memset(&d, 0x55, sizeof(d));
	ck_assert_int_eq(vdp_org_decode(p, n, &d), (int)n);
	free(p);
	tu_assert_org_eq(&d, &o);

	/* no data */
	memset(&o, 0, sizeof(o));
	tu_hex("0080c2", o.oui, 3);
	r = vdp_org_encode(&o, out, sizeof(out));
	tu_assert_hex(r, out, "fe03 0080c2");
	memset(&d, 0x55, sizeof(d));
	ck_assert_int_eq(vdp_org_decode(out, (size_t)r, &d), 5);
	tu_assert_org_eq(&d, &o);
}
END_TEST

START_TEST(test_org_roundtrip)
{
	static struct vdp_org o, d;
	static uint8_t buf[2 + VDP_TLV_MAX_LEN], again[sizeof(buf)];
	static const uint16_t lens[] = {
	    0, 1, 2, 100, 255, 256, VDP_TLV_MAX_LEN - 4, VDP_TLV_MAX_LEN - 3};

	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.oui[0] = 0xac;
		o.oui[1] = 0xde;
		o.oui[2] = (uint8_t)i;
		o.len = lens[i];
		for (unsigned j = 0; j < o.len; j++)
			o.data[j] = (uint8_t)(j * 7 + i);
		int r = vdp_org_encode(&o, buf, sizeof(buf));
		ck_assert_int_eq(r, 2 + 3 + lens[i]);
		ck_assert_uint_eq(tu_be16(buf), 127u << 9 | (3u + lens[i]));
		uint8_t *p = tu_dup(buf, (size_t)r);
		memset(&d, 0xA5, sizeof(d));
		ck_assert_int_eq(vdp_org_decode(p, (size_t)r, &d), r);
		free(p);
		tu_assert_org_eq(&d, &o);
		ck_assert_int_eq(vdp_org_encode(&d, again, sizeof(again)), r);
		tu_assert_bytes(again, (size_t)r, buf, (size_t)r);
	}
}
END_TEST

START_TEST(test_org_errors)
{
	static struct vdp_org o, d;
	uint8_t buf[600];
	size_t n;

	n = tu_hex("fe08 001122 0102030405", buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_org_decode, struct vdp_org, buf, n, tu_vdp_prefix_err);
	/* shorter than the OUI */
	n = tu_hex("fe02 0011", buf, sizeof(buf));
	ck_assert_int_eq(vdp_org_decode(buf, n, &d), VDP_E_TLV_LENGTH);
	n = tu_hex("fe00", buf, sizeof(buf));
	ck_assert_int_eq(vdp_org_decode(buf, n, &d), VDP_E_TLV_LENGTH);
	/* not type 127 */
	n = tu_hex("0a08 001122 0102030405", buf, sizeof(buf));
	ck_assert_int_eq(vdp_org_decode(buf, n, &d), VDP_E_TLV_TYPE);

	memset(&o, 0, sizeof(o));
	o.len = 5;
	for (size_t cap = 0; cap < 10; cap++)
		ck_assert_int_eq(vdp_org_encode(&o, buf, cap), VDP_E_NOSPACE);
	o.len = VDP_TLV_MAX_LEN - 2; /* 3 + 509 > 511 */
	ck_assert_int_eq(vdp_org_encode(&o, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

static Suite *help_org_suite(void)
{
	Suite *s = suite_create("help-org");
	TCase *tc = tcase_create("help");
	tcase_add_test(tc, test_help_layout);
	tcase_add_test(tc, test_help_roundtrip);
	tcase_add_test(tc, test_help_errors);
	/* 720 round trips, each decoding every prefix from an exact-size heap
	 * copy: 0.9 s under ASan with every CPU busy, near Check's 4 s default. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("org");
	tcase_add_test(tc, test_org_layout);
	tcase_add_test(tc, test_org_roundtrip);
	tcase_add_test(tc, test_org_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(help_org_suite());
}
