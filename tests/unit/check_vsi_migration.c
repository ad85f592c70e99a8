/* SPDX-License-Identifier: ISC */
/* Unit tests of the migration state table of vdp-protocol(7) (MIGRATION):
 * one test per transition, VDPDUs in, response status, tables and kernel
 * operations (the recording backend) out.  Port p0 is the migration's
 * source A, p1 its destination B, p2 a third port C. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vdpd.h"

static struct vdpd d;
static size_t ops_seen;
static uint64_t now_ns = 1000000000ull;

/* Unsolicited De-Associates the daemon sends, by port. */
static unsigned sent_to[3];

static void capture_send(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	(void)arg;
	(void)pdu;
	(void)len;
	ck_assert_uint_lt(port, 3);
	sent_to[port]++;
}

static void setup(void)
{
	struct conf c;
	char err[256];
	conf_defaults(&c);
	snprintf(c.bridge, sizeof(c.bridge), "br0");
	c.nports = 3;
	for (unsigned i = 0; i < 3; i++) {
		snprintf(c.ports[i].name, IFNAMSIZ, "p%u", i);
		c.ports[i].max_vsis = 4;
	}
	c.nranges = 1;
	c.pool[0] = (struct conf_range){100, 103};
	c.nuplinks = 1;
	snprintf(c.uplinks[0], IFNAMSIZ, "up0");
	memset(sent_to, 0, sizeof(sent_to));
	ops_seen = 0;
	now_ns = 1000000000ull;
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
	d.send = capture_send;
}

static void teardown(void)
{
	vdpd_fini(&d);
}

/* The guard rules (one per associated VSI, on its port) recorded since the
 * last call, one per line: where the kernel lets the VM's traffic in. */
static const char *new_guards(void)
{
	static char buf[4096];
	size_t n, o = 0;
	const struct kop *ops = backend_record_ops_log(&d.be, &n);
	buf[0] = 0;
	for (size_t i = ops_seen; i < n; i++) {
		if (ops[i].kind != KOP_GUARD_ADD && ops[i].kind != KOP_GUARD_DEL)
			continue;
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s %s", o ? "\n" : "",
		                      ops[i].kind == KOP_GUARD_ADD ? "add" : "del", ops[i].port);
	}
	ops_seen = n;
	return buf;
}

static size_t nops(void)
{
	size_t n;
	backend_record_ops_log(&d.be, &n);
	return n;
}

/* Sends one VSI request for VM 1 of VNID 10 on port; returns the response
 * status byte. */
static uint8_t req(unsigned port, uint8_t type, uint8_t status)
{
	struct vdp_vsi r, resp;
	memset(&r, 0, sizeof(r));
	r.type = type;
	r.status = status;
	r.type_id = 10;
	r.vsiid_fmt = VDP_VSIID_UUID;
	r.vsiid[15] = 1;
	r.filter_fmt = VDP_FILTER_MAC_VID;
	r.nfilters = 1;
	memcpy(r.filters[0].mac, (uint8_t[]){0x52, 0x54, 0, 0, 0, 1}, 6);
	uint8_t pdu[600], out[1500];
	struct vdp_mgrid m = {.id = "mgr"};
	int a = vdp_mgrid_encode(&m, pdu, sizeof(pdu));
	int b = vdp_vsi_encode(&r, pdu + a, sizeof(pdu) - (size_t)a);
	ck_assert_int_gt(b, 0);
	size_t n = vdpd_handle_pdu(&d, port, pdu, (size_t)(a + b), now_ns, out, sizeof(out));
	ck_assert_uint_gt(n, 18);
	ck_assert_int_eq(vdp_vsi_decode(out + 18, n - 18, &resp), (int)(n - 18));
	ck_assert_uint_eq(resp.type, type);
	ck_assert(resp.status & VDP_RESP);
	if ((resp.status & VDP_STATUS_ERR_MASK) == 0 && type != VDP_TLV_DEASSOC)
		ck_assert_uint_eq(resp.filters[0].vid, 100);
	return resp.status;
}

static struct vsi *vm(void)
{
	return vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 1});
}

static uint64_t ka(unsigned port)
{
	return vsi_keepalive_ns(&d.ports[port].evb);
}

#define OK          VDP_RESP
#define STALE       (VDP_RESP | VDP_ST_OTHER_FAILURE) /* no KEEP: not this port's */
#define A           0u
#define B           1u
#define C           2u
#define M           VDP_REQ_M
#define S           VDP_REQ_S
#define ASSOC       VDP_TLV_ASSOC
#define PREASSOC    VDP_TLV_PREASSOC
#define DEASSOC     VDP_TLV_DEASSOC
#define count(p, r) d.ports[p].counters[REASON_##r]

/* VM associated on A, then migrated to B with the M bit. */
static void migrated_to_b(void)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "add p0");
	now_ns += 1000;
	ck_assert_uint_eq(req(B, ASSOC, M), OK);
}

START_TEST(m_bit_associate_moves_and_leaves_a_stale_claim)
{
	migrated_to_b();
	/* One batch: the guard leaves A as it arrives on B. */
	ck_assert_str_eq(new_guards(), "del p0\nadd p1");
	ck_assert_uint_eq(vm()->port, B);
	ck_assert(vm()->migrated);
	ck_assert_uint_eq(vm()->stale_ports, 1u << A);
	ck_assert_uint_eq(d.ports[A].nvsis, 0);
	ck_assert_uint_eq(d.ports[B].nvsis, 1);
	ck_assert_uint_eq(count(B, MOVED), 0);
	ck_assert_uint_eq(count(A, MOVED), 1);
}
END_TEST

START_TEST(keepalive_from_a_is_refused_and_changes_nothing)
{
	migrated_to_b();
	new_guards();
	size_t before = nops();
	/* The source host's keepalive, without the M bit... */
	ck_assert_uint_eq(req(A, ASSOC, 0), STALE);
	/* ... and with it (the VM had itself migrated in to A). */
	ck_assert_uint_eq(req(A, ASSOC, M), STALE);
	ck_assert_uint_eq(req(A, PREASSOC, 0), STALE);
	ck_assert_uint_eq(nops(), before);
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(count(A, MIGRATED_AWAY), 3);
	ck_assert_uint_eq(sent_to[B], 0); /* B is not disturbed */
}
END_TEST

START_TEST(deassociate_from_a_releases_only_a)
{
	migrated_to_b();
	new_guards();
	ck_assert_uint_eq(req(A, DEASSOC, S), OK);
	ck_assert_str_eq(new_guards(), "");
	ck_assert_ptr_nonnull(vm());
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(vm()->state, VSI_ASSOC);
	ck_assert_uint_eq(vm()->stale_ports, 0);
	ck_assert_uint_eq(count(A, RELEASED), 1);
	/* Released: the VM can migrate back to A (a new migrate-in there). */
	ck_assert_uint_eq(req(A, ASSOC, M), OK);
	ck_assert_str_eq(new_guards(), "del p1\nadd p0");
	ck_assert_uint_eq(vm()->stale_ports, 1u << B);
	/* And B's stale keepalive is refused in turn. */
	ck_assert_uint_eq(req(B, ASSOC, M), STALE);
	ck_assert_uint_eq(vm()->port, A);
}
END_TEST

START_TEST(deassociate_from_b_removes_it)
{
	migrated_to_b();
	new_guards();
	ck_assert_uint_eq(req(B, DEASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "del p1");
	ck_assert_ptr_null(vm());
	ck_assert_uint_eq(d.ports[B].nvsis, 0);
	/* A's claim went with the VSI: a late request from A is a new VSI,
	 * which A's station (still believing it has the VM) agrees with. */
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(vm()->port, A);
}
END_TEST

START_TEST(s_bit_deassociate_from_the_owner_removes_it)
{
	/* The other order: the source says "migrating away" first. */
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	new_guards();
	ck_assert_uint_eq(req(A, DEASSOC, S), OK);
	ck_assert_str_eq(new_guards(), "del p0");
	ck_assert_ptr_null(vm());
	ck_assert_uint_eq(req(B, ASSOC, M), OK);
	ck_assert_str_eq(new_guards(), "add p1");
	ck_assert_uint_eq(vm()->stale_ports, 0); /* A let go already */
}
END_TEST

START_TEST(stale_claim_lapses_when_a_stays_silent)
{
	migrated_to_b();
	now_ns += ka(A) / 2;
	ck_assert_uint_eq(req(A, ASSOC, 0), STALE); /* keeps the claim alive */
	now_ns += ka(A) - 1000;
	ck_assert_uint_eq(req(A, ASSOC, 0), STALE);
	vsi_expire(&d, now_ns); /* B's keepalives are not this test's */
	/* A silent for a whole keepalive timeout: its claim is gone, and its
	 * next request is an ordinary one (last request wins). */
	now_ns += ka(A);
	ck_assert_uint_eq(req(B, ASSOC, M), OK); /* B's keepalive */
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(vm()->port, A);
}
END_TEST

START_TEST(plain_move_keeps_no_claim)
{
	/* Stations without the M bit (plain 802.1Qbg): the last request wins. */
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	new_guards();
	ck_assert_uint_eq(req(C, ASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "del p0\nadd p2");
	ck_assert_uint_eq(vm()->stale_ports, 0);
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(vm()->port, A);
}
END_TEST

START_TEST(claims_of_two_sources_both_stand)
{
	/* A -> B (M), then B -> C (M) before A released: neither A nor B may
	 * pull it back. */
	migrated_to_b();
	ck_assert_uint_eq(req(C, ASSOC, M), OK);
	ck_assert_uint_eq(vm()->port, C);
	ck_assert_uint_eq(vm()->stale_ports, (1u << A) | (1u << B));
	ck_assert_uint_eq(req(A, ASSOC, 0), STALE);
	ck_assert_uint_eq(req(B, ASSOC, M), STALE);
	ck_assert_uint_eq(req(B, DEASSOC, S), OK);
	ck_assert_uint_eq(req(A, DEASSOC, S), OK);
	ck_assert_uint_eq(vm()->port, C);
	ck_assert_uint_eq(vm()->stale_ports, 0);
}
END_TEST

START_TEST(keepalive_timeout_on_b_removes_and_notifies_b)
{
	migrated_to_b();
	new_guards();
	now_ns += ka(B) + 1;
	ck_assert_uint_eq(vsi_expire(&d, now_ns), 1);
	ck_assert_str_eq(new_guards(), "del p1");
	ck_assert_uint_eq(sent_to[B], 1);
	ck_assert_uint_eq(sent_to[A], 0);
	ck_assert_ptr_null(vm());
}
END_TEST

START_TEST(preassociate_on_b_reserves_without_moving)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	new_guards();
	size_t before = nops();
	ck_assert_uint_eq(req(B, PREASSOC, M), OK); /* granted VLAN 100 */
	ck_assert_uint_eq(nops(), before);          /* the VM still runs on A */
	ck_assert_uint_eq(vm()->port, A);
	ck_assert_uint_eq(vm()->state, VSI_ASSOC);
	ck_assert_uint_eq(vm()->resv_port, B);
	ck_assert_uint_eq(count(B, RESERVED), 1);
	/* B's keepalive of its pre-association, A's of its association. */
	ck_assert_uint_eq(req(B, PREASSOC, M), OK);
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(count(B, RESERVED), 1);
	ck_assert_uint_eq(nops(), before);
	/* B associates: the move, and A's requests are stale from now on. */
	ck_assert_uint_eq(req(B, ASSOC, M), OK);
	ck_assert_str_eq(new_guards(), "del p0\nadd p1");
	ck_assert_uint_eq(vm()->resv_until_ns, 0);
	ck_assert_uint_eq(req(A, ASSOC, 0), STALE);
}
END_TEST

START_TEST(reservation_withdrawn_by_b)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(req(B, PREASSOC, M), OK);
	new_guards();
	ck_assert_uint_eq(req(B, DEASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "");
	ck_assert_uint_eq(vm()->port, A);
	ck_assert_uint_eq(vm()->resv_until_ns, 0);
}
END_TEST

START_TEST(reservation_becomes_the_vsi_when_a_lets_go)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(req(B, PREASSOC, M), OK);
	new_guards();
	ck_assert_uint_eq(req(A, DEASSOC, S), OK);
	ck_assert_str_eq(new_guards(), "del p0");
	ck_assert_ptr_nonnull(vm());
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(vm()->state, VSI_PREASSOC);
	ck_assert(vm()->migrated);
	ck_assert_uint_eq(d.ports[A].nvsis, 0);
	ck_assert_uint_eq(d.ports[B].nvsis, 1);
	ck_assert_uint_eq(req(B, ASSOC, M), OK);
	ck_assert_str_eq(new_guards(), "add p1");
}
END_TEST

START_TEST(reservation_survives_a_keepalive_timeout_on_a)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	now_ns += ka(A) / 2;
	ck_assert_uint_eq(req(B, PREASSOC, M), OK);
	new_guards();
	now_ns += ka(A) / 2 + 1; /* A expires, B's reservation is fresh */
	ck_assert_uint_eq(vsi_expire(&d, now_ns), 1);
	ck_assert_uint_eq(sent_to[A], 1);
	ck_assert_str_eq(new_guards(), "del p0");
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(vm()->state, VSI_PREASSOC);
}
END_TEST

START_TEST(reservation_lapses_when_b_stays_silent)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_uint_eq(req(B, PREASSOC, M), OK);
	now_ns += ka(B) + 1;
	ck_assert_uint_eq(req(A, ASSOC, 0), OK); /* A keeps it alive */
	new_guards();
	ck_assert_uint_eq(req(A, DEASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "del p0");
	ck_assert_ptr_null(vm()); /* nothing handed to B */
}
END_TEST

START_TEST(deassociate_without_s_from_a_releases_only_a)
{
	/* The table's "S=1 or not": a source that does not set the S bit
	 * releases its claim the same way. */
	migrated_to_b();
	new_guards();
	ck_assert_uint_eq(req(A, DEASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "");
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(vm()->state, VSI_ASSOC);
	ck_assert_uint_eq(vm()->stale_ports, 0);
	ck_assert_uint_eq(count(A, RELEASED), 1);
	ck_assert_uint_eq(sent_to[B], 0);
}
END_TEST

START_TEST(released_a_without_m_bit_moves_it)
{
	/* A released its claim: its next request is an ordinary one, and
	 * without the M bit the last request wins, leaving no claim. */
	migrated_to_b();
	ck_assert_uint_eq(req(A, DEASSOC, S), OK);
	new_guards();
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	ck_assert_str_eq(new_guards(), "del p1\nadd p0");
	ck_assert_uint_eq(vm()->port, A);
	ck_assert_uint_eq(vm()->stale_ports, 0);
}
END_TEST

START_TEST(deassociate_from_a_port_without_claim_changes_nothing)
{
	ck_assert_uint_eq(req(A, ASSOC, 0), OK);
	new_guards();
	size_t before = nops();
	/* C never had the VSI: answered, and nothing moves or is released. */
	ck_assert_uint_eq(req(C, DEASSOC, 0), OK);
	ck_assert_uint_eq(req(C, DEASSOC, S), OK);
	ck_assert_uint_eq(nops(), before);
	ck_assert_uint_eq(vm()->port, A);
	ck_assert_uint_eq(vm()->state, VSI_ASSOC);
	ck_assert_uint_eq(count(C, RELEASED), 0);
	/* Nor after a migration: C is neither the VSI's port nor a claimant. */
	ck_assert_uint_eq(req(B, ASSOC, M), OK);
	new_guards();
	before = nops();
	ck_assert_uint_eq(req(C, DEASSOC, 0), OK);
	ck_assert_uint_eq(nops(), before);
	ck_assert_uint_eq(vm()->port, B);
	ck_assert_uint_eq(vm()->stale_ports, 1u << A);
	ck_assert_uint_eq(sent_to[A] + sent_to[B], 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vsi_migration");
	TCase *t = tcase_create("m_bit");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, m_bit_associate_moves_and_leaves_a_stale_claim);
	tcase_add_test(t, keepalive_from_a_is_refused_and_changes_nothing);
	tcase_add_test(t, deassociate_from_a_releases_only_a);
	tcase_add_test(t, deassociate_from_b_removes_it);
	tcase_add_test(t, s_bit_deassociate_from_the_owner_removes_it);
	tcase_add_test(t, stale_claim_lapses_when_a_stays_silent);
	tcase_add_test(t, plain_move_keeps_no_claim);
	tcase_add_test(t, claims_of_two_sources_both_stand);
	tcase_add_test(t, keepalive_timeout_on_b_removes_and_notifies_b);
	tcase_add_test(t, deassociate_without_s_from_a_releases_only_a);
	tcase_add_test(t, released_a_without_m_bit_moves_it);
	tcase_add_test(t, deassociate_from_a_port_without_claim_changes_nothing);
	suite_add_tcase(s, t);
	t = tcase_create("reservation");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, preassociate_on_b_reserves_without_moving);
	tcase_add_test(t, reservation_withdrawn_by_b);
	tcase_add_test(t, reservation_becomes_the_vsi_when_a_lets_go);
	tcase_add_test(t, reservation_survives_a_keepalive_timeout_on_a);
	tcase_add_test(t, reservation_lapses_when_b_stays_silent);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
