/* SPDX-License-Identifier: ISC */
/* Unit tests of the tables' records (vdpd/core/persist*.c): each kind's
 * encode/decode round trip, decoders refusing every truncation and random
 * garbage without touching their output, and a store written by one
 * context loaded by a fresh one (counts, pool, charges, kernel ops). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "core/persist.h"
#include "core/vdpd.h"
#include "testutil.h"

static struct vdpd d;
static struct conf c;
static char dir[64];
static const uint8_t mgrid[VDP_MGRID_LEN] = "mgr";

static void start(struct vdpd *x)
{
	char err[256];
	ck_assert_msg(vdpd_init(x, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
}

static void setup(void)
{
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = 2;
	for (unsigned i = 0; i < 2; i++)
		snprintf(c.ports[i].name, IFNAMSIZ, "p%u", i);
	c.nranges = 1;
	c.pool[0] = (struct conf_range){100, 139};
	snprintf(dir, sizeof(dir), "/tmp/check_persist.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	log_open("check_persist", true, LOG_WARNING);
	start(&d);
}

static void teardown(void)
{
	persist_close(&d);
	vdpd_fini(&d);
	tu_rm_rf(dir);
}

/* A synced list with a bandwidth and an ACL entry, on port. */
static void policy_sync(unsigned port, uint32_t vnid)
{
	static struct vdp_policy req, resp;
	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_POLICY_SYNC;
	req.vnid = vnid;
	req.nentries = 2;
	req.entries[0].type = VDP_POL_BANDWIDTH;
	req.entries[0].u.bw = (struct vdp_pol_bandwidth){VDP_DIR_TO_VM, 50000, 0};
	req.entries[1].type = VDP_POL_ACL;
	req.entries[1].u.acl.action = VDP_ACL_PERMIT;
	req.entries[1].u.acl.dir = VDP_DIR_BOTH;
	req.entries[1].u.acl.ip_proto = 6;
	req.entries[1].u.acl.dport_lo = req.entries[1].u.acl.dport_hi = 80;
	policy_handle(&d, port, &req, &resp);
	ck_assert_uint_eq(resp.status & VDP_STATUS_ERR_MASK, 0);
}

static void vsi(unsigned port, uint8_t type, uint32_t vnid, unsigned id)
{
	static struct vdp_vsi req, resp;
	tu_vsi_request(&req, type, vnid, id);
	vsi_handle(&d, port, &req, mgrid, 1000000000ull, &resp);
	ck_assert_uint_eq(resp.status & VDP_STATUS_ERR_MASK, 0);
}

static struct rec as_rec(const struct persist_rec *p)
{
	return (struct rec){.op = REC_PUT,
	                    .kind = p->kind,
	                    .keylen = p->keylen,
	                    .vallen = p->vallen,
	                    .key = p->key,
	                    .val = p->val};
}

START_TEST(round_trip_of_each_kind)
{
	static struct persist_rec pr;
	static struct vsi v2;
	static struct vnid n2;
	char why[96];
	policy_sync(1, 10);
	vsi(1, VDP_TLV_ASSOC, 10, 1);
	const struct vsi *v = TAILQ_FIRST(&d.vsis);
	const struct vnid *n = TAILQ_FIRST(&d.vnids);
	ck_assert_int_eq(persist_vsi_encode(&d, v, &pr), 0);
	struct rec r = as_rec(&pr);
	ck_assert_int_eq(persist_vsi_decode(&d, &r, &v2, why, sizeof(why)), 0);
	ck_assert_uint_eq(v2.port, 1);
	ck_assert_uint_eq(v2.vnid, 10);
	ck_assert_int_eq(v2.state, VSI_ASSOC);
	ck_assert_mem_eq(v2.vsiid, v->vsiid, VDP_VSIID_LEN);
	ck_assert_mem_eq(v2.mgrid, mgrid, VDP_MGRID_LEN);
	ck_assert_uint_eq(v2.nfilters, 1);
	ck_assert_mem_eq(&v2.filters[0], &v->filters[0], sizeof(v->filters[0]));
	ck_assert_uint_eq(v2.filters[0].vid, 100);

	ck_assert_int_eq(persist_vnid_encode(&d, n, &pr), 0);
	r = as_rec(&pr);
	ck_assert_int_eq(persist_vnid_decode(&d, &r, &n2, why, sizeof(why)), 0);
	ck_assert(n2.synced);
	ck_assert_uint_eq(n2.sync_ports, 2);
	ck_assert_uint_eq(n2.vid, 100);
	ck_assert_int_eq(n2.vid_origin, VID_AUTO);
	ck_assert_uint_eq(n2.vnid_port, 1);
	ck_assert_uint_eq(n2.vlan_port, 1);
	ck_assert_uint_eq(n2.policy.nentries, 2);
	ck_assert_mem_eq(n2.policy.entries, n->policy.entries, 2 * sizeof(n->policy.entries[0]));
}
END_TEST

/* Every truncation, and random garbage, is refused with out untouched. */
static void refuse_damage(struct persist_rec *pr, bool is_vsi)
{
	static struct vsi v2, vs;
	static struct vnid n2, ns;
	char why[96];
	memset(&vs, 0xa5, sizeof(vs));
	memset(&ns, 0xa5, sizeof(ns));
	for (uint32_t len = 0; len < pr->vallen; len++) {
		struct rec r = as_rec(pr);
		r.vallen = len;
		v2 = vs;
		n2 = ns;
		int rc = is_vsi ? persist_vsi_decode(&d, &r, &v2, why, sizeof(why))
		                : persist_vnid_decode(&d, &r, &n2, why, sizeof(why));
		ck_assert_msg(rc < 0, "length %u of %u taken", len, pr->vallen);
		ck_assert(memcmp(&v2, &vs, sizeof(vs)) == 0 && memcmp(&n2, &ns, sizeof(ns)) == 0);
	}
	srandom(13);
	unsigned refused = 0;
	for (unsigned i = 0; i < 20000; i++) {
		struct rec r = as_rec(pr);
		static uint8_t junk[PERSIST_VAL_MAX];
		memcpy(junk, pr->val, pr->vallen);
		for (unsigned k = 0; k < 1 + (unsigned)random() % 4; k++)
			junk[(unsigned)random() % pr->vallen] = (uint8_t)random();
		r.val = junk;
		v2 = vs;
		n2 = ns;
		int rc = is_vsi ? persist_vsi_decode(&d, &r, &v2, why, sizeof(why))
		                : persist_vnid_decode(&d, &r, &n2, why, sizeof(why));
		if (rc < 0) {
			refused++;
			ck_assert(memcmp(&v2, &vs, sizeof(vs)) == 0 &&
			          memcmp(&n2, &ns, sizeof(ns)) == 0);
		}
	}
	ck_assert_uint_gt(refused, 1000);
}

START_TEST(truncated_and_garbage_values_refused)
{
	static struct persist_rec pr;
	policy_sync(0, 10);
	vsi(0, VDP_TLV_PREASSOC, 10, 1);
	ck_assert_int_eq(persist_vsi_encode(&d, TAILQ_FIRST(&d.vsis), &pr), 0);
	refuse_damage(&pr, true);
	ck_assert_int_eq(persist_vnid_encode(&d, TAILQ_FIRST(&d.vnids), &pr), 0);
	refuse_damage(&pr, false);
	/* A port vdpd.conf no longer has. */
	ck_assert_int_eq(persist_vsi_encode(&d, TAILQ_FIRST(&d.vsis), &pr), 0);
	memcpy(pr.val, "gone", 5);
	struct rec r = as_rec(&pr);
	static struct vsi v2;
	char why[96];
	ck_assert_int_lt(persist_vsi_decode(&d, &r, &v2, why, sizeof(why)), 0);
	ck_assert_str_eq(why, "VSI on a port not in vdpd.conf");
}
END_TEST

START_TEST(store_written_then_loaded_by_a_fresh_daemon)
{
	static struct vdpd d2;
	struct persist_counts pc;
	char err[256];
	ck_assert_int_eq(persist_open(&d, dir, 0, &pc, err, sizeof(err)), 0);
	ck_assert_uint_eq(pc.vsis + pc.vnids, 0);
	policy_sync(0, 10);
	policy_sync(1, 10);
	vsi(0, VDP_TLV_ASSOC, 10, 1);
	vsi(1, VDP_TLV_ASSOC, 10, 2);
	vsi(1, VDP_TLV_PREASSOC, 11, 3); /* an implicit VNID, its own VLAN */
	vsi(1, VDP_TLV_ASSOC, 12, 4);
	vsi(1, VDP_TLV_DEASSOC, 12, 4); /* VNID 12 and its VLAN go again */
	ck_assert_int_eq(store_commit(d.store, err, sizeof(err)), 0);
	persist_close(&d);

	start(&d2);
	ck_assert_int_eq(persist_open(&d2, dir, 5000000000ull, &pc, err, sizeof(err)), 0);
	ck_assert_uint_eq(pc.vsis, 3);
	ck_assert_uint_eq(pc.vnids, 2);
	ck_assert_uint_eq(pc.synced, 1);
	ck_assert_uint_eq(pc.vlans, 2);
	ck_assert_uint_eq(pc.dropped, 0);
	const struct vnid *n = vdpd_vnid_find(&d2, 10);
	ck_assert_ptr_nonnull(n);
	ck_assert_uint_eq(n->nmembers, 2);
	ck_assert_uint_eq(n->nenabled, 2);
	ck_assert_uint_eq(n->sync_ports, 3);
	ck_assert_ptr_null(vdpd_vnid_find(&d2, 12));
	ck_assert_uint_eq(d2.ports[0].nvsis, 1);
	ck_assert_uint_eq(d2.ports[1].nvsis, 2);
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_eq(d2.ports[i].nvlans, d.ports[i].nvlans);
		ck_assert_uint_eq(d2.ports[i].nvnids, d.ports[i].nvnids);
	}
	ck_assert_uint_eq(vlan_pool_free_count(&d2.pool), vlan_pool_free_count(&d.pool));
	const struct vsi *v;
	TAILQ_FOREACH(v, &d2.vsis, entry)
	ck_assert(v->deadline_ns > 5000000000ull);
	/* The associated VSIs were programmed: the recording backend saw a
	 * guard each. */
	size_t nops = 0, guards = 0;
	const struct kop *ops = backend_record_ops_log(&d2.be, &nops);
	for (size_t i = 0; i < nops; i++)
		guards += ops[i].kind == KOP_GUARD_ADD;
	ck_assert_uint_eq(guards, 2);
	persist_close(&d2);
	vdpd_fini(&d2);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("persist");
	TCase *tc = tcase_create("records");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip_of_each_kind);
	tcase_add_test(tc, truncated_and_garbage_values_refused);
	tcase_add_test(tc, store_written_then_loaded_by_a_fresh_daemon);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
