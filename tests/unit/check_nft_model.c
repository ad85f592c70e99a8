/* SPDX-License-Identifier: ISC */
/* Unit tests for the netlink backend's model of table bridge vdpd
 * (vdpd/kernel/nft_model.c), without a kernel: rules found by identity
 * (a rate's " class " suffix is a value, not identity) across bucket
 * growth, a batch's pending and deleted rules, handles from the echo
 * (a rule left without one makes the model stale), per-VSI set elements
 * added and deleted idempotently, and the comparison with another model
 * naming each difference. */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

#include "kernel/netlink.h"

static struct nft_snap m, k;

static void teardown(void)
{
	nft_snap_free(&m);
	nft_snap_free(&k);
}

START_TEST(rules_by_identity)
{
	char c[128];

	for (int i = 0; i < 1000; i++) {
		snprintf(c, sizeof(c), "guard-drop p%d", i);
		ck_assert_int_eq(nft_snap_pending(&m, "guard", c, (uint32_t)i + 1), 0);
	}
	ck_assert_int_eq(
	    nft_snap_pending(&m, "qos", "rate to-vm p1 vid 5 mac x class 7664:10", 9999), 0);
	ck_assert_uint_eq(m.nrules, 1001);
	ck_assert_ptr_nonnull(nft_snap_rule(&m, "guard-drop p999"));
	ck_assert_ptr_nonnull(nft_snap_rule(&m, "rate to-vm p1 vid 5 mac x"));
	ck_assert_ptr_null(nft_snap_rule(&m, "rate to-vm p1 vid 5"));
	ck_assert_ptr_null(nft_snap_rule(&m, "guard-drop p1000"));
	ck_assert_ptr_null(nft_snap_rule(&m, "guard-drop p9"
	                                     "9"
	                                     "99"));
}
END_TEST

START_TEST(batch_end_and_stale)
{
	struct nft_rule_ref *a, *b;

	ck_assert_int_eq(nft_snap_pending(&m, "acl", "acl p1 h=1", 1), 0);
	ck_assert_int_eq(nft_snap_pending(&m, "acl", "acl p1 h=1", 2), 0);
	ck_assert_int_eq(nft_snap_pending(&m, "acl", "acl p2 h=1", 3), 0);
	/* Deleted by the same batch: gone from lookups at once. */
	b = nft_snap_rule(&m, "acl p2 h=1");
	ck_assert_ptr_nonnull(b);
	nft_snap_unlink(&m, b);
	ck_assert_ptr_null(nft_snap_rule(&m, "acl p2 h=1"));
	/* Both rules of p1 take a handle from the echo. */
	a = nft_snap_rule(&m, "acl p1 h=1");
	ck_assert_ptr_nonnull(a);
	/* Newest first: p2's (deleted), then p1's two. */
	m.pending->pending_next->handle = 7;
	m.pending->pending_next->pending_next->handle = 8;
	nft_snap_committed(&m);
	ck_assert(!m.stale);
	ck_assert_uint_eq(m.nrules, 2);
	ck_assert_uint_eq(a->rule_id, 0);
	/* An added rule the echo did not name: its handle is unknown. */
	ck_assert_int_eq(nft_snap_pending(&m, "acl", "acl p3 h=1", 1), 0);
	nft_snap_committed(&m);
	ck_assert(m.stale);
}
END_TEST

static struct nft_elem elem(uint8_t set, const char *port, uint16_t vid, uint8_t last)
{
	struct nft_elem e = {.set = set, .vid = vid, .mac = {2, 0, 0, 0, 0, last}};

	snprintf(e.port, sizeof(e.port), "%s", port);
	return e;
}

START_TEST(elements)
{
	struct nft_elem e;

	for (int i = 0; i < 300; i++) {
		e = elem(NFT_SET_GUARD, "p1", (uint16_t)(100 + i % 7), (uint8_t)i);
		ck_assert_int_eq(nft_snap_elem_put(&m, &e, true), 0);
		ck_assert_int_eq(nft_snap_elem_put(&m, &e, true), 0); /* idempotent */
	}
	ck_assert_uint_eq(m.nelems, 300);
	e = elem(NFT_SET_GUARD, "p1", 100, 7);
	ck_assert_ptr_nonnull(nft_snap_elem(&m, &e));
	e = elem(NFT_SET_GUARD_ANY, "p1", 100, 7); /* another set */
	ck_assert_ptr_null(nft_snap_elem(&m, &e));
	e = elem(NFT_SET_GUARD, "p2", 100, 7); /* another port */
	ck_assert_ptr_null(nft_snap_elem(&m, &e));
	e = elem(NFT_SET_GUARD, "p1", 100, 7);
	ck_assert_int_eq(nft_snap_elem_put(&m, &e, false), 0);
	ck_assert_int_eq(nft_snap_elem_put(&m, &e, false), 0); /* idempotent */
	ck_assert_ptr_null(nft_snap_elem(&m, &e));
	ck_assert_uint_eq(m.nelems, 299);
}
END_TEST

static char diffs[4][192];
static size_t ndiffs;

static void note(void *arg, const char *side, const char *what)
{
	(void)arg;
	if (ndiffs < 4)
		snprintf(diffs[ndiffs], sizeof(diffs[0]), "%s %s", side, what);
	ndiffs++;
}

START_TEST(model_against_kernel)
{
	struct nft_elem e = elem(NFT_SET_DHCP, "p1", 100, 1), f = elem(NFT_SET_GUARD, "p2", 0, 2);

	ck_assert_int_eq(nft_snap_pending(&m, "guard", "guard-drop p1", 1), 0);
	ck_assert_int_eq(nft_snap_pending(&k, "guard", "guard-drop p1", 1), 0);
	ck_assert_int_eq(nft_snap_elem_put(&m, &e, true), 0);
	ck_assert_int_eq(nft_snap_elem_put(&k, &e, true), 0);
	ck_assert_uint_eq(nft_snap_diff(&m, &k, note, NULL), 0);
	ck_assert_int_eq(nft_snap_pending(&k, "acl", "acl p9 h=2", 2), 0);
	ck_assert_int_eq(nft_snap_elem_put(&m, &f, true), 0);
	ck_assert_uint_eq(nft_snap_diff(&m, &k, note, NULL), 2);
	ck_assert_str_eq(diffs[0], "kernel has rule in chain acl: acl p9 h=2");
	ck_assert_str_eq(diffs[1], "model has guard p2 vid 0 mac 02:00:00:00:00:02 in set guards");
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("nft_model");
	TCase *tc = tcase_create("model");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, rules_by_identity);
	tcase_add_test(tc, batch_end_and_stale);
	tcase_add_test(tc, elements);
	tcase_add_test(tc, model_against_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(model_suite());
}
