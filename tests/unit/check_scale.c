/* SPDX-License-Identifier: ISC */
/* Unit tests of the core's indexes at scale (issue 12, vsi_index.c):
 * 100,000 VSIs in 1,000 VNIDs over 50 ports with the recording backend,
 * every one found by VSIID, keepalive expiry removing exactly the VSIs
 * whose deadline passed, and the work a lookup, a request and an expiry
 * cost counted (d.idx_steps, d.heap_steps) rather than timed: the same at
 * 1,000 VSIs as at 100,000, logarithmic for the heap. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "core/vdpd.h"
#include "log.h"
#include "testutil.h"

#define NPORTS 50
#define NVNIDS 1000
#define BIG    100000u
#define SMALL  1000u
#define MS     1000000ull

static struct vdpd d;
static struct conf c;
static uint64_t now_ns;
static const uint8_t mgrid[VDP_MGRID_LEN] = "mgr";

static void setup(void)
{
	char err[256];
	log_set_level(LOG_ERR); /* 100,000 "associated" lines say nothing here */
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = NPORTS;
	for (unsigned i = 0; i < NPORTS; i++) {
		snprintf(c.ports[i].name, IFNAMSIZ, "p%u", i);
		c.ports[i].max_vsis = BIG / NPORTS;
	}
	c.nranges = 1;
	c.pool[0] = (struct conf_range){2, 4094};
	c.new_vsi_rate = 1000000000; /* no admission limit: this measures the tables */
	c.new_vsi_burst = BIG;
	c.port_max_vnids = NVNIDS;
	c.port_max_vlans = NVNIDS;
	now_ns = 1000000000ull;
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
}

static void teardown(void)
{
	vdpd_fini(&d);
	log_set_level(LOG_INFO);
}

/* VSI i: VSIID ...i, VNID 1000 + i mod 1000 on port i mod 50, one MAC. */
static void vsiid_of(unsigned i, uint8_t id[VDP_VSIID_LEN])
{
	memset(id, 0, VDP_VSIID_LEN);
	id[0] = 0x5c;
	id[12] = (uint8_t)(i >> 24);
	id[13] = (uint8_t)(i >> 16);
	id[14] = (uint8_t)(i >> 8);
	id[15] = (uint8_t)i;
}

static uint8_t assoc(unsigned i)
{
	static struct vdp_vsi req, resp;
	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_ASSOC;
	req.type_id = 1000 + i % NVNIDS;
	req.vsiid_fmt = VDP_VSIID_UUID;
	vsiid_of(i, req.vsiid);
	req.filter_fmt = VDP_FILTER_MAC_VID;
	req.nfilters = 1;
	memcpy(req.filters[0].mac,
	       (uint8_t[]){0x52, 0x54, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i, 1}, 6);
	vsi_handle(&d, i % NPORTS, &req, mgrid, now_ns, &resp);
	return resp.status;
}

static struct vsi *find(unsigned i)
{
	uint8_t id[VDP_VSIID_LEN];
	vsiid_of(i, id);
	return vdpd_vsi_find(&d, VDP_VSIID_UUID, id);
}

/* VSIs first .. first + n - 1, 1 ms apart, so deadlines are ordered. */
static void fill(unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		if (i % 100 == 0)
			now_ns += MS;
		ck_assert_msg(assoc(i) == VDP_RESP, "VSI %u refused", i);
	}
}

static unsigned log2u(unsigned n)
{
	unsigned l = 0;
	while (n >>= 1)
		l++;
	return l;
}

/* Steps of n lookups of present VSIs and n of absent ones. */
static uint64_t lookup_steps(unsigned size, unsigned n)
{
	uint64_t before = d.idx_steps;
	for (unsigned k = 0; k < n; k++) {
		unsigned i = (k * 7919u) % size;
		struct vsi *v = find(i);
		ck_assert_msg(v && v->vnid == 1000 + i % NVNIDS && v->port == i % NPORTS,
		              "VSI %u not found", i);
		ck_assert_ptr_null(find(BIG + 1 + k));
	}
	return d.idx_steps - before;
}

/* Steps of n lookups by (port, MAC, VID), DHCP snooping's question: n
 * of present VSIs, n on the wrong port. */
static uint64_t mac_steps(unsigned size, unsigned n)
{
	uint64_t steps = 0;
	for (unsigned k = 0; k < n; k++) {
		struct vsi *v = find((k * 7919u) % size);
		uint64_t before = d.idx_steps;
		ck_assert_ptr_eq(vdpd_vsi_by_mac(&d, v->port, v->filters[0].mac, v->filters[0].vid),
		                 v);
		ck_assert_ptr_null(vdpd_vsi_by_mac(&d, (v->port + 1) % NPORTS, v->filters[0].mac,
		                                   v->filters[0].vid));
		steps += d.idx_steps - before;
	}
	return steps;
}

/* Steps of n keepalive refreshes (the same Associate again). */
static void refresh_steps(unsigned size, unsigned n, uint64_t *idx, uint64_t *heap)
{
	uint64_t i0 = d.idx_steps, h0 = d.heap_steps;
	for (unsigned k = 0; k < n; k++)
		ck_assert_uint_eq(assoc((k * 7919u) % size), VDP_RESP);
	*idx = d.idx_steps - i0;
	*heap = d.heap_steps - h0;
}

START_TEST(all_found_and_lookups_cost_the_same_at_1k_and_100k)
{
	fill(0, SMALL);
	uint64_t small = lookup_steps(SMALL, SMALL);
	uint64_t msmall = mac_steps(SMALL, SMALL);
	uint64_t si, sh, bi, bh;
	refresh_steps(SMALL, SMALL, &si, &sh);
	fill(SMALL, BIG - SMALL);
	ck_assert_uint_eq(d.vsi_n, BIG);
	ck_assert_uint_eq(d.vnid_n, NVNIDS);
	for (unsigned p = 0; p < NPORTS; p++)
		ck_assert_uint_eq(d.ports[p].nvsis, BIG / NPORTS);
	for (unsigned i = 0; i < BIG; i++)
		ck_assert_msg(find(i) != NULL, "VSI %u lost", i);
	uint64_t big = lookup_steps(BIG, SMALL);
	uint64_t mbig = mac_steps(BIG, SMALL);
	refresh_steps(BIG, SMALL, &bi, &bh);
	fprintf(stderr,
	        "scale: 2000 lookups: %llu entries examined at 1k, %llu at 100k; "
	        "2000 by MAC: %llu / %llu; "
	        "1000 refreshes: %llu / %llu examined, %llu / %llu heap moves\n",
	        (unsigned long long)small, (unsigned long long)big, (unsigned long long)msmall,
	        (unsigned long long)mbig, (unsigned long long)si, (unsigned long long)bi,
	        (unsigned long long)sh, (unsigned long long)bh);
	/* A hash chain holds about one entry whatever the table size: the
	 * linear search examined 50,000 per lookup at 100k. */
	ck_assert_uint_le(small, (uint64_t)4 * SMALL);
	ck_assert_uint_le(big, (uint64_t)4 * SMALL);
	ck_assert_uint_le(msmall, (uint64_t)6 * SMALL);
	ck_assert_uint_le(mbig, (uint64_t)6 * SMALL);
	ck_assert_uint_le(bi, si + si / 2);
	/* The heap: at most two paths of log2 n per refresh. */
	ck_assert_uint_le(bh, (uint64_t)SMALL * (2 * log2u(BIG) + 2));
}
END_TEST

/* Expires the oldest `batches` hundreds of a table of size VSIs (made
 * 100 per ms): exactly those go, the others stay; returns the steps. */
static uint64_t expire_steps(unsigned size, unsigned batches, uint64_t *heap)
{
	uint64_t ka = vsi_keepalive_ns(&d.ports[0].evb);
	uint64_t at = 1000000000ull + batches * MS + ka; /* deadline of VSI 100 * batches - 1 */
	uint64_t i0 = d.idx_steps, h0 = d.heap_steps;
	ck_assert_uint_eq(vsi_expire(&d, at), (uint64_t)batches * 100);
	uint64_t steps = d.idx_steps - i0;
	*heap = d.heap_steps - h0;
	for (unsigned i = 0; i < size; i++) {
		struct vsi *v = find(i);
		if (i < batches * 100)
			ck_assert_msg(!v, "VSI %u should have expired", i);
		else
			ck_assert_msg(v && v->deadline_ns > at, "VSI %u expired early", i);
	}
	ck_assert_uint_eq(d.vsi_n, size - batches * 100);
	/* Nothing more is due: one look at the heap's top. */
	i0 = d.idx_steps;
	ck_assert_uint_eq(vsi_expire(&d, at), 0);
	ck_assert_uint_eq(d.idx_steps - i0, 1);
	return steps;
}

START_TEST(expiry_takes_exactly_the_due_and_costs_the_same_at_1k_and_100k)
{
	uint64_t sh, bh;
	fill(0, SMALL);
	uint64_t small = expire_steps(SMALL, 2, &sh);
	teardown();
	setup();
	fill(0, BIG);
	uint64_t big = expire_steps(BIG, 2, &bh);
	fprintf(stderr,
	        "scale: expiring 200 VSIs: %llu entries examined at 1k, %llu at 100k; "
	        "%llu / %llu heap moves\n",
	        (unsigned long long)small, (unsigned long long)big, (unsigned long long)sh,
	        (unsigned long long)bh);
	/* The linear scan examined every VSI on every tick. */
	ck_assert_uint_le(big, small + small / 2);
	ck_assert_uint_le(bh, (uint64_t)200 * (2 * log2u(BIG) + 2));
	/* The rest expire in deadline order, down to an empty heap. */
	ck_assert_uint_eq(vsi_expire(&d, UINT64_MAX), BIG - 200);
	ck_assert_uint_eq(d.vsi_n, 0);
	ck_assert_ptr_null(vsi_deadline_first(&d));
	for (unsigned p = 0; p < NPORTS; p++)
		ck_assert_uint_eq(d.ports[p].nvsis, 0);
}
END_TEST

/* A refresh moves a VSI's deadline: it then outlives the others. */
START_TEST(refresh_moves_the_deadline)
{
	fill(0, SMALL);
	uint64_t ka = vsi_keepalive_ns(&d.ports[0].evb);
	now_ns += 10 * MS;
	ck_assert_uint_eq(assoc(0), VDP_RESP);
	ck_assert_uint_eq(vsi_expire(&d, now_ns - MS + ka), SMALL - 1);
	ck_assert_ptr_nonnull(find(0));
	ck_assert_ptr_eq(vsi_deadline_first(&d), find(0));
	ck_assert_uint_eq(vsi_expire(&d, now_ns + ka), 1);
}
END_TEST

static Suite *scale_suite(void)
{
	Suite *s = suite_create("scale");
	TCase *tc = tcase_create("indexes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, all_found_and_lookups_cost_the_same_at_1k_and_100k);
	tcase_add_test(tc, expiry_takes_exactly_the_due_and_costs_the_same_at_1k_and_100k);
	tcase_add_test(tc, refresh_moves_the_deadline);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(scale_suite());
}
