/* SPDX-License-Identifier: ISC */
/* Unit tests: the ECP header and whole ECP frames (EtherType 0x8940). */
#include "testutil.h"

/* Capture frames 15 (station Associate request, seq 1) and 16 (bridge ack). */
#define FRAME15                                                                                    \
	"0180c2000000 020000000101 8940 | 1001 0001 |"                                             \
	"0a10 626c61626c6100000000000000000000"                                                    \
	"0621 00 000005 04 05 00112233445566778899aabbccddee01 02 0001 525400aabb01 0000"
#define FRAME16 "0180c2000000 020000000202 8940 | 1401 0001"

START_TEST(test_ncb_addr)
{
	tu_assert_bytes(vdp_ecp_ncb_addr, 6, (const uint8_t *)"\x01\x80\xc2\x00\x00\x00", 6);
}
END_TEST

/* --- header layouts, by hand from PROTOCOL.md ------------------------- */

static const struct {
	struct vdp_ecp_hdr h;
	const char *hex;
} hdr_layouts[] = {
    {{VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_VDP, 1}, "10 01 00 01"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_VDP, 1}, "14 01 00 01"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_VDP, 0}, "10 01 00 00"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_VDP, 0xffff}, "10 01 ff ff"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_VDP, 0xffff}, "14 01 ff ff"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_PECSP, 0}, "14 02 00 00"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_PECSP, 0x1234}, "10 02 12 34"},
    {{VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, 0x3ff, 7}, "13 ff 00 07"}, /* 10-bit subtype */
    {{VDP_ECP_VERSION, VDP_ECP_OP_ACK, 0x200, 0x8000}, "16 00 80 00"},
};

START_TEST(test_hdr_layout)
{
	uint8_t buf[8], want[8];
	struct vdp_ecp_hdr d;
	size_t n = tu_hex(hdr_layouts[_i].hex, want, sizeof(want));

	int r = vdp_ecp_hdr_encode(&hdr_layouts[_i].h, buf, VDP_ECP_HDR_LEN);
	tu_assert_bytes(buf, r < 0 ? 0 : (size_t)r, want, n);
	memset(&d, 0xEE, sizeof(d));
	uint8_t *p = tu_dup(want, n);
	ck_assert_int_eq(vdp_ecp_hdr_decode(p, n, &d), VDP_ECP_HDR_LEN);
	free(p);
	tu_assert_ecp_hdr_eq(&d, &hdr_layouts[_i].h);
}
END_TEST

START_TEST(test_hdr_roundtrip)
{
	static const uint16_t seqs[] = {0, 1, 2, 0x00ff, 0x0100, 0x7fff, 0x8000, 0xfffe, 0xffff};
	static const uint16_t subtypes[] = {VDP_ECP_SUBTYPE_VDP, VDP_ECP_SUBTYPE_PECSP};

	for (unsigned op = 0; op < 2; op++)
		for (size_t s = 0; s < 2; s++)
			for (size_t i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
				struct vdp_ecp_hdr h = {VDP_ECP_VERSION, (uint8_t)op, subtypes[s],
				                        seqs[i]},
				                   d;
				uint8_t buf[VDP_ECP_HDR_LEN], again[VDP_ECP_HDR_LEN];
				ck_assert_int_eq(vdp_ecp_hdr_encode(&h, buf, sizeof(buf)),
				                 VDP_ECP_HDR_LEN);
				ck_assert_uint_eq(tu_be16(buf), 0x1000u | op << 10 | subtypes[s]);
				ck_assert_uint_eq(tu_be16(buf + 2), seqs[i]);
				memset(&d, 0, sizeof(d));
				ck_assert_int_eq(vdp_ecp_hdr_decode(buf, sizeof(buf), &d),
				                 VDP_ECP_HDR_LEN);
				tu_assert_ecp_hdr_eq(&d, &h);
				ck_assert_int_eq(vdp_ecp_hdr_encode(&d, again, sizeof(again)),
				                 VDP_ECP_HDR_LEN);
				tu_assert_bytes(again, VDP_ECP_HDR_LEN, buf, VDP_ECP_HDR_LEN);
			}
}
END_TEST

static int ecp_prefix_err(size_t k)
{
	(void)k;
	return VDP_E_TRUNCATED;
}

START_TEST(test_hdr_errors)
{
	uint8_t buf[8];
	struct vdp_ecp_hdr d, h;
	size_t n;

	n = tu_hex("10 01 00 01", buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_ecp_hdr_decode, struct vdp_ecp_hdr, buf, n, ecp_prefix_err);
	/* versions other than 1 */
	n = tu_hex("20 01 00 01", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_hdr_decode(buf, n, &d), VDP_E_ECP_VERSION);
	n = tu_hex("00 01 00 01", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_hdr_decode(buf, n, &d), VDP_E_ECP_VERSION);
	n = tu_hex("f4 01 00 01", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_hdr_decode(buf, n, &d), VDP_E_ECP_VERSION);
	/* reserved operations 2 and 3 */
	n = tu_hex("18 01 00 01", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_hdr_decode(buf, n, &d), VDP_E_ECP_OP);
	n = tu_hex("1c 01 00 01", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_hdr_decode(buf, n, &d), VDP_E_ECP_OP);

	/* encoder: no room, reserved op, subtype over 10 bits */
	h = (struct vdp_ecp_hdr){VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_VDP, 1};
	for (size_t cap = 0; cap < VDP_ECP_HDR_LEN; cap++)
		ck_assert_int_eq(vdp_ecp_hdr_encode(&h, buf, cap), VDP_E_NOSPACE);
	h.op = 2;
	ck_assert_int_eq(vdp_ecp_hdr_encode(&h, buf, sizeof(buf)), VDP_E_INVAL);
	h.op = 3;
	ck_assert_int_eq(vdp_ecp_hdr_encode(&h, buf, sizeof(buf)), VDP_E_INVAL);
	h.op = VDP_ECP_OP_ACK;
	h.subtype = 0x400;
	ck_assert_int_eq(vdp_ecp_hdr_encode(&h, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

/* --- frames --------------------------------------------------------------- */

START_TEST(test_frame_capture_request)
{
	uint8_t buf[128], out[128];
	size_t n = tu_hex(FRAME15, buf, sizeof(buf));
	struct vdp_ecp_frame f;

	ck_assert_uint_eq(n, 71);
	uint8_t *p = tu_dup(buf, n);
	memset(&f, 0, sizeof(f));
	int r = vdp_ecp_frame_decode(p, n, &f);
	ck_assert_int_eq(r, (int)n);
	tu_assert_bytes(f.dst, 6, vdp_ecp_ncb_addr, 6);
	tu_assert_bytes(f.src, 6, (const uint8_t *)"\x02\x00\x00\x00\x01\x01", 6);
	ck_assert_uint_eq(f.hdr.version, 1);
	ck_assert_uint_eq(f.hdr.op, VDP_ECP_OP_REQUEST);
	ck_assert_uint_eq(f.hdr.subtype, VDP_ECP_SUBTYPE_VDP);
	ck_assert_uint_eq(f.hdr.seq, 1);
	ck_assert_ptr_eq(f.ulpdu, p + VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN);
	ck_assert_uint_eq(f.ulpdu_len, 53);

	/* re-encode, unpadded and padded (71 > 60: no padding either way) */
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 0, out, sizeof(out)), 71);
	tu_assert_bytes(out, 71, buf, n);
	memset(out, 0xAA, sizeof(out));
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, out, sizeof(out)), 71);
	tu_assert_bytes(out, 71, buf, n);
	/* exactly enough room */
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 0, out, 71), 71);
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 0, out, 70), VDP_E_NOSPACE);
	free(p);
}
END_TEST

START_TEST(test_frame_capture_ack)
{
	uint8_t buf[64], out[64];
	size_t n = tu_hex(FRAME16, buf, sizeof(buf));
	struct vdp_ecp_frame f;

	ck_assert_uint_eq(n, 18);
	uint8_t *p = tu_dup(buf, n);
	memset(&f, 0xEE, sizeof(f));
	ck_assert_int_eq(vdp_ecp_frame_decode(p, n, &f), 18);
	tu_assert_bytes(f.dst, 6, vdp_ecp_ncb_addr, 6);
	tu_assert_bytes(f.src, 6, (const uint8_t *)"\x02\x00\x00\x00\x02\x02", 6);
	ck_assert_uint_eq(f.hdr.version, 1);
	ck_assert_uint_eq(f.hdr.op, VDP_ECP_OP_ACK);
	ck_assert_uint_eq(f.hdr.subtype, VDP_ECP_SUBTYPE_VDP);
	ck_assert_uint_eq(f.hdr.seq, 1);
	ck_assert_uint_eq(f.ulpdu_len, 0);
	free(p);

	struct vdp_ecp_frame a = {.hdr = {VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_VDP, 1}};
	memcpy(a.dst, vdp_ecp_ncb_addr, 6);
	memcpy(a.src, "\x02\x00\x00\x00\x02\x02", 6);
	ck_assert_int_eq(vdp_ecp_frame_encode(&a, 0, out, sizeof(out)), 18);
	tu_assert_bytes(out, 18, buf, n);
}
END_TEST

START_TEST(test_frame_padding)
{
	uint8_t ulpdu[64], out[128];
	struct vdp_ecp_frame f = {
	    .hdr = {VDP_ECP_VERSION, VDP_ECP_OP_REQUEST, VDP_ECP_SUBTYPE_VDP, 0xffff}};
	int r;

	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, "\x02\x00\x00\x00\x01\x01", 6);
	/* an 18-octet ULPDU (a Manager ID alone) */
	f.ulpdu_len = tu_hex("0a10 626c61626c6100000000000000000000", ulpdu, sizeof(ulpdu));
	f.ulpdu = ulpdu;

	memset(out, 0xAA, sizeof(out));
	r = vdp_ecp_frame_encode(&f, 1, out, sizeof(out));
	ck_assert_int_eq(r, VDP_ECP_MIN_FRAME);
	tu_assert_hex(
	    36, out,
	    "0180c2000000 020000000101 8940 1001 ffff 0a10 626c61626c6100000000000000000000");
	for (int i = 36; i < VDP_ECP_MIN_FRAME; i++)
		ck_assert_msg(out[i] == 0, "pad octet %d is %#x", i, out[i]);
	ck_assert_uint_eq(out[VDP_ECP_MIN_FRAME], 0xAA); /* nothing written past the frame */

	/* the padded frame decodes, its ULPDU includes the padding */
	struct vdp_ecp_frame d;
	ck_assert_int_eq(vdp_ecp_frame_decode(out, (size_t)r, &d), VDP_ECP_MIN_FRAME);
	ck_assert_uint_eq(d.ulpdu_len, VDP_ECP_MIN_FRAME - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN);
	ck_assert_uint_eq(d.hdr.seq, 0xffff);

	/* not padded on request */
	memset(out, 0xAA, sizeof(out));
	r = vdp_ecp_frame_encode(&f, 0, out, sizeof(out));
	ck_assert_int_eq(r, 36);
	ck_assert_uint_eq(out[36], 0xAA);

	/* padding needs room: 59 is too small for a padded frame, 36 is
	 * enough for the unpadded one */
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, out, VDP_ECP_MIN_FRAME - 1), VDP_E_NOSPACE);
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, out, VDP_ECP_MIN_FRAME), VDP_ECP_MIN_FRAME);
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 0, out, 36), 36);
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 0, out, 35), VDP_E_NOSPACE);

	/* a ULPDU of exactly 42 octets fills the minimum frame */
	static uint8_t big[VDP_ECP_MAX_ULPDU + 1];
	f.ulpdu = big;
	f.ulpdu_len = VDP_ECP_MIN_FRAME - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN;
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, out, sizeof(out)), VDP_ECP_MIN_FRAME);
	f.ulpdu_len++;
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, out, sizeof(out)), VDP_ECP_MIN_FRAME + 1);

	/* the largest ULPDU fits a 1500-octet MTU; one more is refused */
	static uint8_t huge[VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU + 16];
	f.ulpdu_len = VDP_ECP_MAX_ULPDU;
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, huge, sizeof(huge)),
	                 VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU);
	f.ulpdu_len = VDP_ECP_MAX_ULPDU + 1;
	ck_assert_int_eq(vdp_ecp_frame_encode(&f, 1, huge, sizeof(huge)), VDP_E_INVAL);
}
END_TEST

START_TEST(test_frame_src_dst_kept)
{
	/* the encoder writes the addresses it is given */
	uint8_t out[64];
	struct vdp_ecp_frame f = {
	    .hdr = {VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_PECSP, 0x0102}};
	memcpy(f.dst, "\x02\xaa\xbb\xcc\xdd\xee", 6);
	memcpy(f.src, "\x02\x11\x22\x33\x44\x55", 6);
	int r = vdp_ecp_frame_encode(&f, 0, out, sizeof(out));
	tu_assert_hex(r, out, "02aabbccddee 021122334455 8940 1402 0102");
}
END_TEST

static int frame_prefix_err(size_t k)
{
	(void)k;
	return VDP_E_TRUNCATED;
}

START_TEST(test_frame_errors)
{
	uint8_t buf[128];
	struct vdp_ecp_frame f;
	size_t n;

	/* everything shorter than Ethernet + ECP header */
	n = tu_hex(FRAME16, buf, sizeof(buf));
	TU_CHECK_PREFIXES(vdp_ecp_frame_decode, struct vdp_ecp_frame, buf, n, frame_prefix_err);
	/* not 0x8940: LLDP, a VLAN tag */
	n = tu_hex("0180c2000000 020000000202 88cc 1401 0001", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_frame_decode(buf, n, &f), VDP_E_ETHERTYPE);
	n = tu_hex("0180c2000000 020000000202 8100 0064 8940 1401 0001", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_frame_decode(buf, n, &f), VDP_E_ETHERTYPE);
	/* header errors come through */
	n = tu_hex("0180c2000000 020000000202 8940 2401 0001", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_frame_decode(buf, n, &f), VDP_E_ECP_VERSION);
	n = tu_hex("0180c2000000 020000000202 8940 1801 0001", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_frame_decode(buf, n, &f), VDP_E_ECP_OP);
	n = tu_hex("0180c2000000 020000000202 8940 1c01 0001", buf, sizeof(buf));
	ck_assert_int_eq(vdp_ecp_frame_decode(buf, n, &f), VDP_E_ECP_OP);

	/* encoder: too small for the 18-octet ack, reserved op */
	struct vdp_ecp_frame a = {.hdr = {VDP_ECP_VERSION, VDP_ECP_OP_ACK, VDP_ECP_SUBTYPE_VDP, 9}};
	for (size_t cap = 0; cap < VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN; cap++)
		ck_assert_int_eq(vdp_ecp_frame_encode(&a, 0, buf, cap), VDP_E_NOSPACE);
	a.hdr.op = 2;
	ck_assert_int_eq(vdp_ecp_frame_encode(&a, 0, buf, sizeof(buf)), VDP_E_INVAL);
}
END_TEST

static Suite *ecp_suite(void)
{
	Suite *s = suite_create("ecp");
	TCase *tc = tcase_create("header");
	tcase_add_test(tc, test_ncb_addr);
	tcase_add_loop_test(tc, test_hdr_layout, 0, sizeof(hdr_layouts) / sizeof(hdr_layouts[0]));
	tcase_add_test(tc, test_hdr_roundtrip);
	tcase_add_test(tc, test_hdr_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("frame");
	tcase_add_test(tc, test_frame_capture_request);
	tcase_add_test(tc, test_frame_capture_ack);
	tcase_add_test(tc, test_frame_padding);
	tcase_add_test(tc, test_frame_src_dst_kept);
	tcase_add_test(tc, test_frame_errors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(ecp_suite());
}
