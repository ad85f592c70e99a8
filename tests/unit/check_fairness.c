/* SPDX-License-Identifier: ISC */
/* Unit tests of fairness between ports (vdpd/core/fairness.c): the
 * automatic share, the per-port VLAN and VNID caps, the new-VSI token
 * bucket with the clock driven by the test (no sleeps), and the reasons
 * and counters of each refusal.  Requests go straight to vsi_handle() and
 * policy_handle(); the wire path is check_decide.c's. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/vdpd.h"
#include "testutil.h"

static struct vdpd d;
static struct conf c;
static uint64_t now_ns;
static const uint8_t mgrid[VDP_MGRID_LEN] = "mgr";

/* Pool 100-139 (40 VLANs, an automatic share of 16), two ports. */
static void conf_base(void)
{
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = 2;
	for (unsigned i = 0; i < 2; i++) {
		snprintf(c.ports[i].name, IFNAMSIZ, "p%u", i);
		c.ports[i].max_vsis = 64;
	}
	c.nranges = 1;
	c.pool[0] = (struct conf_range){100, 139};
	now_ns = 1000000000ull;
}

static void start(void)
{
	char err[256];
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
}

static void setup(void)
{
	conf_base();
	start();
}

static void teardown(void)
{
	vdpd_fini(&d);
}

/* A request for VSI id (unique per test) in vnid; returns the status. */
static uint8_t vsi(unsigned port, uint8_t type, uint32_t vnid, unsigned id)
{
	static struct vdp_vsi req, resp;
	tu_vsi_request(&req, type, vnid, id);
	vsi_handle(&d, port, &req, mgrid, now_ns, &resp);
	return resp.status;
}

static uint8_t assoc(unsigned port, uint32_t vnid, unsigned id)
{
	return vsi(port, VDP_TLV_ASSOC, vnid, id);
}

static uint8_t sync_vnid(unsigned port, uint32_t vnid, uint16_t vid)
{
	static struct vdp_policy req, resp;
	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_POLICY_SYNC;
	req.vnid = vnid;
	if (vid) {
		req.nentries = 1;
		req.entries[0].type = VDP_POL_VLAN;
		req.entries[0].u.vid = vid;
	}
	policy_handle(&d, port, &req, &resp);
	return resp.status;
}

#define REFUSED_2 (VDP_RESP | VDP_ST_INSUFFICIENT_RESOURCES)

START_TEST(share_is_a_quarter_never_all)
{
	ck_assert_uint_eq(fair_share(0), 1);
	ck_assert_uint_eq(fair_share(1), 1);
	ck_assert_uint_eq(fair_share(2), 1);
	ck_assert_uint_eq(fair_share(3), 2);
	ck_assert_uint_eq(fair_share(17), 16);
	ck_assert_uint_eq(fair_share(64), 16);
	ck_assert_uint_eq(fair_share(98), 24);
	ck_assert_uint_eq(fair_share(4093), 1023);
	/* The defaults in force: 40 VLANs, 4094 VNIDs. */
	ck_assert_uint_eq(d.ports[0].max_vlans, 16);
	ck_assert_uint_eq(d.ports[1].max_vnids, 1023);
	ck_assert_uint_eq(d.ports[0].new_vsi_rate, CONF_DEFAULT_NEW_VSI_RATE);
	ck_assert_uint_eq(d.ports[0].new_vsi_burst, 256); /* max_vsis, at least 256 */
}
END_TEST

START_TEST(port_and_global_settings_win_over_the_share)
{
	vdpd_fini(&d);
	conf_base();
	c.port_max_vlans = 5;
	c.port_max_vnids = 7;
	c.ports[1].max_vlans = 9;
	c.ports[1].new_vsi_rate = 3;
	start();
	ck_assert_uint_eq(d.ports[0].max_vlans, 5);
	ck_assert_uint_eq(d.ports[0].max_vnids, 7);
	ck_assert_uint_eq(d.ports[1].max_vlans, 9);
	ck_assert_uint_eq(d.ports[1].max_vnids, 7);
	ck_assert_uint_eq(d.ports[1].new_vsi_rate, 3);
}
END_TEST

START_TEST(vlan_cap_refuses_and_leaves_the_pool_to_others)
{
	d.ports[0].max_vlans = 3;
	for (unsigned i = 0; i < 3; i++)
		ck_assert_uint_eq(assoc(0, 10 + i, i), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 3);
	/* A fourth VNID would take a fourth VLAN: error 2, not HARD. */
	ck_assert_uint_eq(assoc(0, 13, 3), REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_PORT_VLAN_LIMIT], 1);
	ck_assert_uint_eq(d.counters[REASON_PORT_VLAN_LIMIT], 1);
	ck_assert_ptr_null(vdpd_vnid_find(&d, 13));
	/* An explicit VID is a new VLAN too. */
	static struct vdp_vsi req, resp;
	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_ASSOC;
	req.type_id = 14;
	req.vsiid_fmt = VDP_VSIID_UUID;
	req.vsiid[15] = 4;
	req.filter_fmt = VDP_FILTER_MAC_VID;
	req.nfilters = 1;
	memcpy(req.filters[0].mac, (uint8_t[]){0x52, 0x54, 0, 0, 0, 4}, 6);
	req.filters[0].vid = 130;
	vsi_handle(&d, 0, &req, mgrid, now_ns, &resp);
	ck_assert_uint_eq(resp.status, REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_PORT_VLAN_LIMIT], 2);
	/* Joining a VNID that has its VLAN costs nothing; the other port
	 * still gets new VLANs, and is charged for them, not port 0. */
	ck_assert_uint_eq(assoc(0, 10, 5), VDP_RESP);
	ck_assert_uint_eq(assoc(1, 13, 6), VDP_RESP);
	ck_assert_uint_eq(assoc(1, 11, 7), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 3);
	ck_assert_uint_eq(d.ports[1].nvlans, 1);
	/* The VLAN goes back with its VNID's last VSI, and so does the charge. */
	ck_assert_uint_eq(vsi(0, VDP_TLV_DEASSOC, 12, 2), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 2);
	ck_assert_uint_eq(d.ports[0].nvnids, 2);
	ck_assert_uint_eq(assoc(0, 15, 8), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 3);
}
END_TEST

START_TEST(vnid_cap_refuses_syncs_and_associates)
{
	d.ports[0].max_vnids = 2;
	ck_assert_uint_eq(sync_vnid(0, 20, 0), VDP_RESP);
	ck_assert_uint_eq(sync_vnid(0, 21, 0), VDP_RESP);
	ck_assert(d.ports[0].nvnids == 2 && d.ports[0].nvlans == 0); /* no VLAN named */
	ck_assert_uint_eq(sync_vnid(0, 22, 0), REFUSED_2);
	ck_assert_uint_eq(assoc(0, 23, 1), REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_PORT_VNID_LIMIT], 2);
	ck_assert_ptr_null(vdpd_vnid_find(&d, 22));
	ck_assert_ptr_null(vdpd_vnid_find(&d, 23));
	/* Its own VNIDs take VSIs; port 1 makes VNIDs of its own. */
	ck_assert_uint_eq(assoc(0, 20, 2), VDP_RESP);
	ck_assert_uint_eq(assoc(1, 22, 3), VDP_RESP);
	ck_assert_uint_eq(d.ports[1].nvnids, 1);
}
END_TEST

START_TEST(policy_vlan_counts_against_the_vlan_cap)
{
	d.ports[0].max_vlans = 1;
	ck_assert_uint_eq(sync_vnid(0, 30, 120), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 1);
	ck_assert_uint_eq(sync_vnid(0, 31, 121), REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_PORT_VLAN_LIMIT], 1);
	/* The same VLAN again is no new VLAN. */
	ck_assert_uint_eq(sync_vnid(0, 30, 120), VDP_RESP);
	ck_assert_uint_eq(d.ports[0].nvlans, 1);
}
END_TEST

START_TEST(token_bucket_with_a_driven_clock)
{
	d.ports[0].new_vsi_rate = 10; /* a token every 100 ms */
	d.ports[0].new_vsi_burst = 5;
	for (unsigned i = 0; i < 5; i++)
		ck_assert_uint_eq(assoc(0, 40, i), VDP_RESP);
	ck_assert_uint_eq(assoc(0, 40, 5), REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_NEW_VSI_RATE], 1);
	ck_assert_ptr_null(vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 5}));
	/* Keepalives, re-associates and de-associates of known VSIs are free. */
	for (unsigned k = 0; k < 50; k++)
		ck_assert_uint_eq(assoc(0, 40, k % 5), VDP_RESP);
	ck_assert_uint_eq(vsi(0, VDP_TLV_PREASSOC, 40, 1), VDP_RESP);
	ck_assert_uint_eq(vsi(0, VDP_TLV_DEASSOC, 40, 4), VDP_RESP);
	/* Another port has a bucket of its own. */
	ck_assert_uint_eq(assoc(1, 40, 6), VDP_RESP);
	/* 99 ms later: still empty; 100 ms: one token, one only. */
	now_ns += 99000000ull;
	ck_assert_uint_eq(assoc(0, 40, 7), REFUSED_2);
	now_ns += 1000000ull;
	ck_assert_uint_eq(assoc(0, 40, 7), VDP_RESP);
	ck_assert_uint_eq(assoc(0, 40, 8), REFUSED_2);
	ck_assert_uint_eq(d.ports[0].counters[REASON_NEW_VSI_RATE], 3);
	/* A long silence fills the bucket to its burst, no further. */
	now_ns += 3600 * 1000000000ull;
	unsigned ok = 0;
	for (unsigned i = 0; i < 10; i++)
		ok += assoc(0, 41, 100 + i) == VDP_RESP;
	ck_assert_uint_eq(ok, 5);
}
END_TEST

/* The port frame budget: asking takes nothing (a read that finds the
 * socket empty must not cost a frame), and a paused port waits for the
 * frames it asks for, not for the whole burst. */
START_TEST(frame_bucket_ready_takes_nothing)
{
	uint64_t tat = 0, t = 1000000000ull;
	const unsigned rate = 2000, burst = 8; /* a frame every 0.5 ms */
	for (unsigned i = 0; i < 100; i++)
		ck_assert(fair_ready(tat, rate, burst, t));
	ck_assert_uint_eq(tat, 0);
	for (unsigned i = 0; i < burst; i++) {
		ck_assert(fair_ready(tat, rate, burst, t));
		ck_assert(fair_take(&tat, rate, burst, t));
	}
	ck_assert(!fair_ready(tat, rate, burst, t));
	ck_assert(!fair_take(&tat, rate, burst, t));
	/* One frame back after 0.5 ms; four (the first and 3 more) after 2. */
	ck_assert(!fair_ready(tat, rate, burst, t + 499999ull));
	ck_assert(fair_ready(tat, rate, burst, t + 500000ull));
	uint64_t wait = fair_wait_ns(tat, rate, burst, 3, t);
	ck_assert_uint_eq(wait, 2000000ull);
	for (unsigned i = 0; i < 4; i++)
		ck_assert(fair_take(&tat, rate, burst, t + wait));
	ck_assert(!fair_take(&tat, rate, burst, t + wait));
}
END_TEST

START_TEST(reasons_are_named_error_2_not_hard)
{
	static const struct {
		enum reason r;
		const char *name;
	} t[] = {{REASON_PORT_VLAN_LIMIT, "port-vlan-limit"},
	         {REASON_PORT_VNID_LIMIT, "port-vnid-limit"},
	         {REASON_NEW_VSI_RATE, "new-vsi-rate"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_str_eq(reason_name(t[i].r), t[i].name);
		ck_assert_uint_eq(reason_code(t[i].r), VDP_ST_INSUFFICIENT_RESOURCES);
		ck_assert(!reason_hard(t[i].r)); /* retrying later can help */
	}
}
END_TEST

START_TEST(refusal_log_quota_per_second)
{
	d.now_ns = now_ns;
	unsigned logged = 0;
	for (unsigned i = 0; i < 100; i++)
		logged += fair_log_ok(&d, 0);
	ck_assert_uint_eq(logged, 20);
	ck_assert_uint_eq(d.ports[0].log_suppressed, 80);
	ck_assert(fair_log_ok(&d, 1)); /* per port */
	d.now_ns += 1000000000ull;
	ck_assert(fair_log_ok(&d, 0));
	ck_assert_uint_eq(d.ports[0].log_suppressed, 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fairness");
	TCase *t = tcase_create("caps");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, share_is_a_quarter_never_all);
	tcase_add_test(t, frame_bucket_ready_takes_nothing);
	tcase_add_test(t, port_and_global_settings_win_over_the_share);
	tcase_add_test(t, vlan_cap_refuses_and_leaves_the_pool_to_others);
	tcase_add_test(t, vnid_cap_refuses_syncs_and_associates);
	tcase_add_test(t, policy_vlan_counts_against_the_vlan_cap);
	suite_add_tcase(s, t);
	t = tcase_create("rate");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, token_bucket_with_a_driven_clock);
	tcase_add_test(t, reasons_are_named_error_2_not_hard);
	tcase_add_test(t, refusal_log_quota_per_second);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
