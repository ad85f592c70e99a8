/* SPDX-License-Identifier: ISC */
/* Unit tests: the LLDP EVB TLV (00-80-C2 / 0x0D) and vdp_evb_negotiate(). */
#include "testutil.h"

/* lldpad's defaults as the bridge (BGID, RRCAP) and the station (SGID,
 * RRREQ) configure them in the capture. */
static const struct vdp_evb_tlv bridge_cfg = {
    .bgid = true,
    .rrcap = true,
    .r = 3,
    .rte = 8,
    .mode = VDP_EVB_MODE_BRIDGE,
    .rwd = 20,
    .rka = 20,
};
static const struct vdp_evb_tlv station_cfg = {
    .sgid = true,
    .rrreq = true,
    .r = 3,
    .rte = 8,
    .mode = VDP_EVB_MODE_STATION,
    .rwd = 20,
    .rka = 20,
};

/* --- exact layouts, decoded by hand ----------------------------------- */

static const struct {
	const char *info; /* the 5 octets after OUI and subtype */
	struct vdp_evb_tlv v;
} layouts[] = {
    /* capture frame 4: the bridge before it has heard the station */
    {"06 00 68 54 14",
     {.bgid = true,
      .rrcap = true,
      .r = 3,
      .rte = 8,
      .mode = VDP_EVB_MODE_BRIDGE,
      .rwd = 20,
      .rka = 20}},
    /* capture frame 9: the station, ROL on both (lldpad sets it on a tie) */
    {"06 0c 68 b4 34",
     {.bgid = true,
      .rrcap = true,
      .sgid = true,
      .rrreq = true,
      .rrstat = VDP_EVB_RRSTAT_NO,
      .r = 3,
      .rte = 8,
      .mode = VDP_EVB_MODE_STATION,
      .rol_rwd = true,
      .rwd = 20,
      .rol_rka = true,
      .rka = 20}},
    /* capture frame 12: the bridge grants reflective relay (RRCTR) */
    {"07 0c 68 74 34",
     {.bgid = true,
      .rrcap = true,
      .rrctr = true,
      .sgid = true,
      .rrreq = true,
      .r = 3,
      .rte = 8,
      .mode = VDP_EVB_MODE_BRIDGE,
      .rol_rwd = true,
      .rwd = 20,
      .rol_rka = true,
      .rka = 20}},
    /* capture frame 13: the station, RRSTAT = yes */
    {"07 0d 68 b4 34",
     {.bgid = true,
      .rrcap = true,
      .rrctr = true,
      .sgid = true,
      .rrreq = true,
      .rrstat = VDP_EVB_RRSTAT_YES,
      .r = 3,
      .rte = 8,
      .mode = VDP_EVB_MODE_STATION,
      .rol_rwd = true,
      .rwd = 20,
      .rol_rka = true,
      .rka = 20}},
    /* PROTOCOL.md's example from lldpad's tests: RRCAP only, timers 0 */
    {"02 00 00 40 00", {.rrcap = true, .mode = VDP_EVB_MODE_BRIDGE}},
    /* everything set, every timer at its maximum, RRSTAT unknown */
    {"07 0f ff bf 3f",
     {.bgid = true,
      .rrcap = true,
      .rrctr = true,
      .sgid = true,
      .rrreq = true,
      .rrstat = VDP_EVB_RRSTAT_UNKNOWN,
      .r = 7,
      .rte = 31,
      .mode = VDP_EVB_MODE_STATION,
      .rol_rwd = true,
      .rwd = 31,
      .rol_rka = true,
      .rka = 31}},
    /* nothing set: a bridge with all timers 0 */
    {"00 00 00 40 00", {.mode = VDP_EVB_MODE_BRIDGE}},
    /* each timer field alone at its maximum (no bleeding into neighbours) */
    {"00 00 e0 40 00", {.r = 7, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 00 1f 40 00", {.rte = 31, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 00 00 5f 00", {.rwd = 31, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 00 00 40 1f", {.rka = 31, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 00 00 60 00", {.rol_rwd = true, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 00 00 40 20", {.rol_rka = true, .mode = VDP_EVB_MODE_BRIDGE}},
    {"00 03 00 80 00", {.rrstat = VDP_EVB_RRSTAT_UNKNOWN, .mode = VDP_EVB_MODE_STATION}},
    {"00 08 00 80 00", {.sgid = true, .mode = VDP_EVB_MODE_STATION}},
    {"04 00 00 40 00", {.bgid = true, .mode = VDP_EVB_MODE_BRIDGE}},
    {"01 00 00 40 00", {.rrctr = true, .mode = VDP_EVB_MODE_BRIDGE}},
};

START_TEST(test_layout)
{
	uint8_t info[8], tlv[16], out[16];
	char whole[64];
	struct vdp_evb_tlv d;
	int r;

	size_t n = tu_hex(layouts[_i].info, info, sizeof(info));
	ck_assert_uint_eq(n, VDP_EVB_INFO_LEN);

	/* info alone */
	memset(&d, 0xA5, sizeof(d));
	uint8_t *p = tu_dup(info, n);
	ck_assert_int_eq(vdp_evb_info_decode(p, n, &d), VDP_EVB_INFO_LEN);
	free(p);
	tu_assert_evb_eq(&d, &layouts[_i].v);
	r = vdp_evb_info_encode(&layouts[_i].v, out, sizeof(out));
	tu_assert_bytes(out, (size_t)r, info, n);

	/* the whole LLDP TLV */
	snprintf(whole, sizeof(whole), "fe 09 00 80 c2 0d %s", layouts[_i].info);
	n = tu_hex(whole, tlv, sizeof(tlv));
	ck_assert_uint_eq(n, VDP_EVB_TLV_LEN);
	memset(&d, 0x5A, sizeof(d));
	p = tu_dup(tlv, n);
	ck_assert_int_eq(vdp_evb_tlv_decode(p, n, &d), VDP_EVB_TLV_LEN);
	free(p);
	tu_assert_evb_eq(&d, &layouts[_i].v);
	r = vdp_evb_tlv_encode(&layouts[_i].v, out, sizeof(out));
	tu_assert_bytes(out, (size_t)r, tlv, n);
}
END_TEST

/* --- every field combination round-trips ------------------------------ */

static void roundtrip_one(const struct vdp_evb_tlv *v)
{
	struct vdp_evb_tlv d, d2;
	uint8_t info[VDP_EVB_INFO_LEN], tlv[VDP_EVB_TLV_LEN], again[VDP_EVB_TLV_LEN];

	/* exact-size buffers, so a write past cap is caught too */
	ck_assert_int_eq(vdp_evb_info_encode(v, info, sizeof(info)), VDP_EVB_INFO_LEN);
	ck_assert_uint_eq(info[0], v->bgid << 2 | v->rrcap << 1 | v->rrctr);
	ck_assert_uint_eq(info[1], v->sgid << 3 | v->rrreq << 2 | v->rrstat);
	ck_assert_uint_eq(info[2], (unsigned)v->r << 5 | v->rte);
	ck_assert_uint_eq(info[3], (unsigned)v->mode << 6 | v->rol_rwd << 5 | v->rwd);
	ck_assert_uint_eq(info[4], v->rol_rka << 5 | v->rka);
	memset(&d, 0xFF, sizeof(d));
	ck_assert_int_eq(vdp_evb_info_decode(info, sizeof(info), &d), VDP_EVB_INFO_LEN);
	tu_assert_evb_eq(&d, v);

	ck_assert_int_eq(vdp_evb_tlv_encode(v, tlv, sizeof(tlv)), VDP_EVB_TLV_LEN);
	tu_assert_bytes(tlv, 6, (const uint8_t *)"\xfe\x09\x00\x80\xc2\x0d", 6);
	tu_assert_bytes(tlv + 6, VDP_EVB_INFO_LEN, info, VDP_EVB_INFO_LEN);
	memset(&d2, 0, sizeof(d2));
	ck_assert_int_eq(vdp_evb_tlv_decode(tlv, sizeof(tlv), &d2), VDP_EVB_TLV_LEN);
	tu_assert_evb_eq(&d2, v);
	ck_assert_int_eq(vdp_evb_tlv_encode(&d2, again, sizeof(again)), VDP_EVB_TLV_LEN);
	tu_assert_bytes(again, sizeof(again), tlv, sizeof(tlv));
}

START_TEST(test_roundtrip_all)
{
	/* Every status bit, RRSTAT value, mode and ROL pair, with the timers at
	 * their extremes and in between. */
	static const uint8_t rrstats[] = {VDP_EVB_RRSTAT_NO, VDP_EVB_RRSTAT_YES,
	                                  VDP_EVB_RRSTAT_UNKNOWN};
	static const uint8_t timers[][4] = {
	    /* r, rte, rwd, rka */
	    {0, 0, 0, 0}, {7, 31, 31, 31}, {3, 8, 20, 20}, {1, 16, 1, 30}, {6, 1, 30, 1},
	};
	unsigned count = 0;

	for (unsigned bits = 0; bits < (1u << 7); bits++) {
		for (unsigned rs = 0; rs < 3; rs++) {
			for (unsigned mode = 1; mode <= 2; mode++) {
				for (unsigned t = 0; t < 5; t++) {
					struct vdp_evb_tlv v;
					memset(&v, 0, sizeof(v));
					v.bgid = bits & 0x01;
					v.rrcap = bits & 0x02;
					v.rrctr = bits & 0x04;
					v.sgid = bits & 0x08;
					v.rrreq = bits & 0x10;
					v.rol_rwd = bits & 0x20;
					v.rol_rka = bits & 0x40;
					v.rrstat = rrstats[rs];
					v.mode = (uint8_t)mode;
					v.r = timers[t][0];
					v.rte = timers[t][1];
					v.rwd = timers[t][2];
					v.rka = timers[t][3];
					roundtrip_one(&v);
					count++;
				}
			}
		}
	}
	ck_assert_uint_eq(count, 128 * 3 * 2 * 5);
}
END_TEST

START_TEST(test_decode_with_trailing_data)
{
	/* Decoding inside a larger LLDPDU consumes only the EVB TLV. */
	uint8_t buf[32];
	size_t n = tu_hex("fe 09 00 80 c2 0d 06 00 68 54 14 | 00 00", buf, sizeof(buf));
	struct vdp_evb_tlv d;
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_EVB_TLV_LEN);
	ck_assert_uint_eq(d.rwd, 20);
	ck_assert_int_eq(vdp_evb_info_decode(buf + 6, n - 6, &d), VDP_EVB_INFO_LEN);
	ck_assert_uint_eq(d.rka, 20);
}
END_TEST

/* --- errors ------------------------------------------------------------ */

START_TEST(test_decode_errors)
{
	uint8_t buf[32];
	struct vdp_evb_tlv d;
	size_t n;

	/* wrong OUI, wrong subtype */
	n = tu_hex("fe 09 00 80 c3 0d 06 00 68 54 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_EVB_OUI);
	n = tu_hex("fe 09 00 12 0f 0d 06 00 68 54 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_EVB_OUI);
	n = tu_hex("fe 09 00 80 c2 0c 06 00 68 54 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_EVB_OUI);
	/* not an organizational TLV (type 8, management address) */
	n = tu_hex("10 09 00 80 c2 0d 06 00 68 54 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_TLV_TYPE);
	/* LLDP length not 9 */
	n = tu_hex("fe 08 00 80 c2 0d 06 00 68 54", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_TLV_LENGTH);
	n = tu_hex("fe 0a 00 80 c2 0d 06 00 68 54 14 00", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_TLV_LENGTH);
	/* EVB mode 0 and 3 */
	n = tu_hex("fe 09 00 80 c2 0d 06 00 68 14 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_EVB_MODE);
	ck_assert_int_eq(vdp_evb_info_decode(buf + 6, 5, &d), VDP_E_EVB_MODE);
	n = tu_hex("fe 09 00 80 c2 0d 06 00 68 d4 14", buf, sizeof(buf));
	ck_assert_int_eq(vdp_evb_tlv_decode(buf, n, &d), VDP_E_EVB_MODE);
	ck_assert_int_eq(vdp_evb_info_decode(buf + 6, 5, &d), VDP_E_EVB_MODE);
}
END_TEST

static int info_prefix_err(size_t k)
{
	(void)k;
	return VDP_E_TRUNCATED;
}

START_TEST(test_decode_prefixes)
{
	uint8_t buf[16];
	size_t n = tu_hex("fe 09 00 80 c2 0d 07 0d 68 74 34", buf, sizeof(buf));
	/* 0-1 octets: truncated header; 2-10: the 9 announced run past len */
	TU_CHECK_PREFIXES(vdp_evb_tlv_decode, struct vdp_evb_tlv, buf, n, tu_vdp_prefix_err);
	TU_CHECK_PREFIXES(vdp_evb_info_decode, struct vdp_evb_tlv, buf + 6, n - 6, info_prefix_err);
}
END_TEST

START_TEST(test_encode_errors)
{
	uint8_t buf[16];
	struct vdp_evb_tlv v;

	for (size_t cap = 0; cap < VDP_EVB_INFO_LEN; cap++)
		ck_assert_int_eq(vdp_evb_info_encode(&bridge_cfg, buf, cap), VDP_E_NOSPACE);
	for (size_t cap = 0; cap < VDP_EVB_TLV_LEN; cap++)
		ck_assert_int_eq(vdp_evb_tlv_encode(&bridge_cfg, buf, cap), VDP_E_NOSPACE);

#define BAD(field, value)                                                                          \
	do {                                                                                       \
		v = bridge_cfg;                                                                    \
		v.field = value;                                                                   \
		ck_assert_int_eq(vdp_evb_info_encode(&v, buf, sizeof(buf)), VDP_E_INVAL);          \
		ck_assert_int_eq(vdp_evb_tlv_encode(&v, buf, sizeof(buf)), VDP_E_INVAL);           \
	} while (0)
	BAD(r, 8);
	BAD(rte, 32);
	BAD(rwd, 32);
	BAD(rka, 32);
	BAD(mode, 0);
	BAD(mode, 3);
	BAD(rrstat, 4);
#undef BAD
}
END_TEST

/* --- negotiation --------------------------------------------------------- */

/* Each step of the capture: what `local` (lldpad's configuration) sends next
 * after receiving `remote`.  Frame numbers are the capture's. */
static const struct {
	const char *name;
	int local_is_bridge;
	const char *remote, *expect;
} capture_steps[] = {
    {"station hears bridge frame 4, sends frame 9", 0, "06 00 68 54 14", "06 0c 68 b4 34"},
    {"bridge hears station frame 9, sends frame 12", 1, "06 0c 68 b4 34", "07 0c 68 74 34"},
    {"station hears bridge frame 12, sends frame 13", 0, "07 0c 68 74 34", "07 0d 68 b4 34"},
    {"bridge hears station frame 13, sends frame 14", 1, "07 0d 68 b4 34", "07 0d 68 74 34"},
    {"station hears bridge frame 14, sends frame 22", 0, "07 0d 68 74 34", "07 0d 68 b4 34"},
    {"bridge hears station frame 22, sends frame 24", 1, "07 0d 68 b4 34", "07 0d 68 74 34"},
};

START_TEST(test_negotiate_capture)
{
	uint8_t rb[8], want[8], out[8];
	struct vdp_evb_tlv remote, res;
	const struct vdp_evb_tlv *local =
	    capture_steps[_i].local_is_bridge ? &bridge_cfg : &station_cfg;

	tu_hex(capture_steps[_i].remote, rb, sizeof(rb));
	size_t n = tu_hex(capture_steps[_i].expect, want, sizeof(want));
	ck_assert_int_eq(vdp_evb_info_decode(rb, VDP_EVB_INFO_LEN, &remote), VDP_EVB_INFO_LEN);
	memset(&res, 0xCC, sizeof(res));
	vdp_evb_negotiate(local, &remote, &res);
	int r = vdp_evb_info_encode(&res, out, sizeof(out));
	ck_assert_msg(r == VDP_EVB_INFO_LEN, "%s: encode %d", capture_steps[_i].name, r);
	tu_assert_bytes(out, (size_t)r, want, n);
}
END_TEST

START_TEST(test_negotiate_max_and_rol)
{
	struct vdp_evb_tlv local = station_cfg, remote = bridge_cfg, out;

	/* remote wins RWD and R, local wins RTE and RKA */
	local.r = 2;
	local.rte = 10;
	local.rwd = 15;
	local.rka = 25;
	remote.r = 5;
	remote.rte = 7;
	remote.rwd = 20;
	remote.rka = 10;
	vdp_evb_negotiate(&local, &remote, &out);
	ck_assert_uint_eq(out.r, 5);
	ck_assert_uint_eq(out.rte, 10);
	ck_assert_uint_eq(out.rwd, 20);
	ck_assert_int_eq(out.rol_rwd, true);
	ck_assert_uint_eq(out.rka, 25);
	ck_assert_int_eq(out.rol_rka, false);
	ck_assert_uint_eq(out.mode, VDP_EVB_MODE_STATION);

	/* the other way round */
	local.rwd = 21;
	local.rka = 9;
	vdp_evb_negotiate(&local, &remote, &out);
	ck_assert_uint_eq(out.rwd, 21);
	ck_assert_int_eq(out.rol_rwd, false);
	ck_assert_uint_eq(out.rka, 10);
	ck_assert_int_eq(out.rol_rka, true);

	/* extremes */
	local.r = 0;
	local.rte = 0;
	local.rwd = 0;
	local.rka = 31;
	remote.r = 7;
	remote.rte = 31;
	remote.rwd = 31;
	remote.rka = 0;
	vdp_evb_negotiate(&local, &remote, &out);
	ck_assert_uint_eq(out.r, 7);
	ck_assert_uint_eq(out.rte, 31);
	ck_assert_uint_eq(out.rwd, 31);
	ck_assert_int_eq(out.rol_rwd, true);
	ck_assert_uint_eq(out.rka, 31);
	ck_assert_int_eq(out.rol_rka, false);

	/* a tie sets ROL, as lldpad does (capture frames 9 and 12) */
	local = bridge_cfg;
	remote = station_cfg;
	vdp_evb_negotiate(&local, &remote, &out);
	ck_assert_uint_eq(out.rwd, 20);
	ck_assert_uint_eq(out.rka, 20);
	ck_assert_int_eq(out.rol_rwd, true);
	ck_assert_int_eq(out.rol_rka, true);
	ck_assert_uint_eq(out.mode, VDP_EVB_MODE_BRIDGE);

	/* the remote's ROL bits are not ours: a remote that says ROL with a
	 * smaller value does not make us say ROL */
	local = bridge_cfg;
	remote = station_cfg;
	remote.rwd = 3;
	remote.rka = 4;
	remote.rol_rwd = true;
	remote.rol_rka = true;
	vdp_evb_negotiate(&local, &remote, &out);
	ck_assert_uint_eq(out.rwd, 20);
	ck_assert_uint_eq(out.rka, 20);
	ck_assert_int_eq(out.rol_rwd, false);
	ck_assert_int_eq(out.rol_rka, false);
}
END_TEST

START_TEST(test_negotiate_rrctr)
{
	/* bridge: RRCTR iff station RRREQ and own RRCAP */
	for (unsigned cap = 0; cap < 2; cap++)
		for (unsigned req = 0; req < 2; req++) {
			struct vdp_evb_tlv local = bridge_cfg, remote = station_cfg, out;
			local.rrcap = cap;
			remote.rrreq = req;
			vdp_evb_negotiate(&local, &remote, &out);
			ck_assert_msg(out.rrctr == (cap && req), "rrcap %u rrreq %u: rrctr %d", cap,
			              req, out.rrctr);
			ck_assert_int_eq(out.rrcap, cap);
			ck_assert_int_eq(out.bgid, true);
			ck_assert_uint_eq(out.mode, VDP_EVB_MODE_BRIDGE);
		}
}
END_TEST

START_TEST(test_negotiate_rrstat)
{
	/* station: RRSTAT yes iff the bridge says RRCTR; bridge status copied */
	for (unsigned ctr = 0; ctr < 2; ctr++) {
		struct vdp_evb_tlv local = station_cfg, remote = bridge_cfg, out;
		remote.rrctr = ctr;
		remote.bgid = false;
		vdp_evb_negotiate(&local, &remote, &out);
		ck_assert_uint_eq(out.rrstat, ctr ? VDP_EVB_RRSTAT_YES : VDP_EVB_RRSTAT_NO);
		ck_assert_int_eq(out.rrctr, ctr);
		ck_assert_int_eq(out.rrcap, true);
		ck_assert_int_eq(out.bgid, false);
		ck_assert_int_eq(out.sgid, true);
		ck_assert_int_eq(out.rrreq, true);
		ck_assert_uint_eq(out.mode, VDP_EVB_MODE_STATION);
	}
}
END_TEST

static Suite *evb_suite(void)
{
	Suite *s = suite_create("evb");
	TCase *tc = tcase_create("codec");
	tcase_add_loop_test(tc, test_layout, 0, sizeof(layouts) / sizeof(layouts[0]));
	tcase_add_test(tc, test_roundtrip_all);
	tcase_add_test(tc, test_decode_with_trailing_data);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_decode_prefixes);
	tcase_add_test(tc, test_encode_errors);
	/* Every combination of the TLV's bits, each prefix decoded from a heap
	 * copy: 2 s under ASan with every CPU busy. */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("negotiate");
	tcase_add_loop_test(tc, test_negotiate_capture, 0,
	                    sizeof(capture_steps) / sizeof(capture_steps[0]));
	tcase_add_test(tc, test_negotiate_max_and_rol);
	tcase_add_test(tc, test_negotiate_rrctr);
	tcase_add_test(tc, test_negotiate_rrstat);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(evb_suite());
}
