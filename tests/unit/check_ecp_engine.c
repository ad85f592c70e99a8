/* SPDX-License-Identifier: ISC */
/* Unit tests for the ECP engine: two engines, A (station) and B (bridge),
 * wired back to back through a fake link that can lose, duplicate, hold and
 * reorder frames, driven by a fake clock.  Every expectation is a specific
 * value: bytes on the wire, times in ns, counters, delivered ULPDUs. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/ecp_engine.h>
#include <vdp/error.h>

#define T(rte)   vdp_ecp_timeout_ns(rte)
#define MAXWIRE  64   /* frames in flight per direction */
#define MAXLOG   4096 /* frames sent / callbacks recorded per side */
#define PDU_SIZE 16

static const uint8_t mac_a[6] = {0x02, 0, 0, 0, 0, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0, 0, 0, 0, 0x0b};

struct frame {
	size_t len;
	uint64_t t; /* when it was sent */
	uint8_t b[VDP_ECP_MAX_FRAME + 64];
};

/* One direction of the link.  Frames are delivered in order by pump()
 * unless `hold` is set, in which case the test moves them by hand. */
struct wire {
	struct frame q[MAXWIRE];
	unsigned n;
	unsigned drop_next; /* lose the next N frames sent */
	unsigned dup_next;  /* deliver the next N frames twice */
	bool hold;
	unsigned loss_pct, dup_pct; /* random impairments (stress test) */
};

struct done {
	void *cookie;
	bool acked;
	uint64_t t;
};

struct side {
	struct vdp_ecp_engine *e;
	struct wire *out;
	struct frame sent[MAXLOG]; /* everything handed to the link */
	unsigned nsent;
	struct done done[MAXLOG]; /* tx_done calls */
	unsigned ndone;
	int send_rc;             /* what the send callback returns */
	int last_in;             /* last vdp_ecp_engine_input() result */
	int in_count[8];         /* vdp_ecp_engine_input() results by enum */
	unsigned resend_on_done; /* tx_done queues this many more ULPDUs */
	int deliver_busy;        /* deliver callback's return value */
	uint8_t delivered[MAXLOG][PDU_SIZE + 64];
	size_t delivered_len[MAXLOG];
	unsigned ndelivered;
	struct vdp_ecp_engine_counters cnt; /* the last cnt() snapshot */
};

/* The fake world.  setup() resets it, so the tests also run unforked
 * (CK_FORK=no, e.g. under valgrind or gdb). */
static struct side A, B;
static struct wire a_to_b, b_to_a;
static uint64_t now;
static uint32_t rng = 12345;

static unsigned rnd(unsigned n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) % n;
}

static void wire_put(struct wire *w, const uint8_t *f, size_t len)
{
	ck_assert_uint_lt(w->n, MAXWIRE);
	struct frame *fr = &w->q[w->n++];
	memcpy(fr->b, f, len);
	fr->len = len;
	fr->t = now;
}

static int link_send(void *ctx, const uint8_t *f, size_t len)
{
	struct side *s = ctx;
	ck_assert_uint_le(len, VDP_ECP_MAX_FRAME);
	ck_assert_uint_lt(s->nsent, MAXLOG);
	struct frame *log = &s->sent[s->nsent++];
	memcpy(log->b, f, len);
	log->len = len;
	log->t = now;
	if (s->send_rc < 0)
		return s->send_rc;
	struct wire *w = s->out;
	if (w->drop_next) {
		w->drop_next--;
		return 0;
	}
	if (w->loss_pct && rnd(100) < w->loss_pct)
		return 0;
	wire_put(w, f, len);
	bool dup = w->dup_next || (w->dup_pct && rnd(100) < w->dup_pct);
	if (w->dup_next)
		w->dup_next--;
	if (dup)
		wire_put(w, f, len);
	return 0;
}

static void make_pdu(uint8_t *b, unsigned i)
{
	memset(b, 0, PDU_SIZE);
	snprintf((char *)b, PDU_SIZE, "pdu-%u", i);
}

static void on_tx_done(void *ctx, void *cookie, bool acked)
{
	struct side *s = ctx;
	ck_assert_uint_lt(s->ndone, MAXLOG);
	s->done[s->ndone++] = (struct done){cookie, acked, now};
	if (s->resend_on_done) {
		s->resend_on_done--;
		uint8_t pdu[PDU_SIZE];
		make_pdu(pdu, 100 + s->ndone);
		ck_assert_int_eq(vdp_ecp_engine_send(s->e, pdu, sizeof(pdu), NULL, now), 0);
	}
}

static int on_deliver(void *ctx, const uint8_t *ulpdu, size_t len, const uint8_t src[6])
{
	struct side *s = ctx;
	if (s->deliver_busy)
		return s->deliver_busy;
	ck_assert_uint_lt(s->ndelivered, MAXLOG);
	ck_assert_uint_le(len, sizeof(s->delivered[0]));
	memcpy(s->delivered[s->ndelivered], ulpdu, len);
	s->delivered_len[s->ndelivered++] = len;
	ck_assert(memcmp(src, s == &A ? mac_b : mac_a, 6) == 0);
	return 0;
}

static struct vdp_ecp_engine_cfg base_cfg(struct side *s, const uint8_t *local, const uint8_t *peer)
{
	struct vdp_ecp_engine_cfg c = {
	    .size = sizeof(c),
	    .r = 3,
	    .rte = 8,
	    .txq_depth = 8,
	    .rxq_depth = 8,
	    .fixed_seq = true,
	    .first_seq = 0x1234,
	    .send = link_send,
	    .tx_done = on_tx_done,
	    .deliver = on_deliver,
	    .ctx = s,
	};
	memcpy(c.local_mac, local, 6);
	if (peer)
		memcpy(c.peer_mac, peer, 6);
	return c;
}

/* A sends to the NCB group address (no peer configured), B unicasts to A,
 * so both destination rules are exercised by every test. */
static void setup_with(const struct vdp_ecp_engine_cfg *ca, const struct vdp_ecp_engine_cfg *cb)
{
	A.out = &a_to_b;
	B.out = &b_to_a;
	A.e = vdp_ecp_engine_new(ca);
	B.e = vdp_ecp_engine_new(cb);
	ck_assert_ptr_nonnull(A.e);
	ck_assert_ptr_nonnull(B.e);
}

static void setup(void)
{
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	memset(&a_to_b, 0, sizeof(a_to_b));
	memset(&b_to_a, 0, sizeof(b_to_a));
	now = 0;
	rng = 12345;
	struct vdp_ecp_engine_cfg ca = base_cfg(&A, mac_a, NULL);
	struct vdp_ecp_engine_cfg cb = base_cfg(&B, mac_b, mac_a);
	cb.first_seq = 0x8000;
	setup_with(&ca, &cb);
}

static void teardown(void)
{
	vdp_ecp_engine_free(A.e);
	vdp_ecp_engine_free(B.e);
}

static void feed(struct side *to, const struct frame *f)
{
	int rc = vdp_ecp_engine_input(to->e, f->b, f->len, now);
	to->last_in = rc;
	if (rc >= 0 && rc < 8)
		to->in_count[rc]++;
}

/* Removes and returns frame i of a held wire. */
static struct frame wire_take(struct wire *w, unsigned i)
{
	ck_assert_uint_lt(i, w->n);
	struct frame f = w->q[i];
	memmove(&w->q[i], &w->q[i + 1], (w->n - i - 1) * sizeof(w->q[0]));
	w->n--;
	return f;
}

static bool pump_one(struct wire *w, struct side *to)
{
	if (w->hold || w->n == 0)
		return false;
	struct frame f = wire_take(w, 0);
	feed(to, &f);
	return true;
}

/* Delivers everything on the unheld wires, alternating directions. */
static void pump(void)
{
	for (bool more = true; more;) {
		more = pump_one(&a_to_b, &B);
		more = pump_one(&b_to_a, &A) || more;
	}
}

static uint64_t min_timeout(void)
{
	uint64_t a = vdp_ecp_engine_next_timeout(A.e), b = vdp_ecp_engine_next_timeout(B.e);
	return a < b ? a : b;
}

/* Advances the clock to t, firing every deadline on the way exactly at its
 * time and delivering frames with zero latency. */
static void run_until(uint64_t t)
{
	for (;;) {
		pump();
		uint64_t d = min_timeout();
		if (d > t)
			break;
		if (d > now)
			now = d;
		vdp_ecp_engine_timer(A.e, now);
		vdp_ecp_engine_timer(B.e, now);
	}
	if (t > now)
		now = t;
}

/* The engine's counters now (a snapshot in the side). */
static const struct vdp_ecp_engine_counters *cnt(struct side *s)
{
	s->cnt.size = sizeof(s->cnt);
	ck_assert_int_eq(vdp_ecp_engine_get_counters(s->e, &s->cnt), 0);
	return &s->cnt;
}

static unsigned seq_of(const struct frame *f)
{
	return (unsigned)f->b[16] << 8 | f->b[17];
}

static unsigned op_of(const struct frame *f)
{
	return (f->b[14] >> 2) & 3;
}

static void send_n(struct side *s, unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		uint8_t pdu[PDU_SIZE];
		make_pdu(pdu, i);
		ck_assert_int_eq(
		    vdp_ecp_engine_send(s->e, pdu, sizeof(pdu), (void *)(uintptr_t)i, now), 0);
	}
}

/* Pops n ULPDUs with vdp_ecp_engine_recv and checks they are pdu-first.. in
 * order, each the 42-octet ULPDU of a padded request. */
static void expect_recv(struct side *s, unsigned first, unsigned n)
{
	for (unsigned i = first; i < first + n; i++) {
		uint8_t buf[VDP_ECP_MAX_ULPDU], want[PDU_SIZE], src[6];
		size_t len = 0;
		make_pdu(want, i);
		ck_assert_int_eq(vdp_ecp_engine_recv(s->e, buf, sizeof(buf), &len, src), 1);
		ck_assert_uint_eq(len, VDP_ECP_MIN_FRAME - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN);
		ck_assert_mem_eq(buf, want, PDU_SIZE);
		ck_assert_mem_eq(src, s == &A ? mac_b : mac_a, 6);
	}
}

static void expect_empty(struct side *s)
{
	uint8_t buf[8];
	size_t len = 0;
	ck_assert_int_eq(vdp_ecp_engine_recv(s->e, buf, sizeof(buf), &len, NULL), 0);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(s->e), 0);
}

static void inject(struct side *to, const uint8_t *b, size_t len)
{
	struct frame f = {.len = len};
	memcpy(f.b, b, len);
	feed(to, &f);
}

/* An 18-octet (unpadded) frame from B to A with the given header word. */
static size_t mk_frame(uint8_t *b, uint16_t word, uint16_t seq)
{
	memcpy(b, mac_a, 6);
	memcpy(b + 6, mac_b, 6);
	b[12] = 0x89;
	b[13] = 0x40;
	b[14] = (uint8_t)(word >> 8);
	b[15] = (uint8_t)word;
	b[16] = (uint8_t)(seq >> 8);
	b[17] = (uint8_t)seq;
	return 18;
}

START_TEST(basic_request_ack)
{
	static const uint8_t want_req[60] = {
	    0x01, 0x80, 0xc2, 0x00, 0x00, 0x00, /* dst: the NCB group address */
	    0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, /* src: A */
	    0x89, 0x40,                         /* EtherType */
	    0x10, 0x01,                         /* version 1, request, VDP */
	    0x12, 0x34,                         /* seq */
	    'h',  'e',  'l',  'l',  'o',        /* ULPDU, then zero padding */
	};
	static const uint8_t want_ack[60] = {
	    0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, /* dst: A (B's configured peer) */
	    0x02, 0x00, 0x00, 0x00, 0x00, 0x0b, /* src: B */
	    0x89, 0x40,                         /* EtherType */
	    0x14, 0x01,                         /* version 1, ack, VDP */
	    0x12, 0x34,                         /* the request's seq */
	};
	int cookie;
	now = 5000;
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), UINT64_MAX);
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, (const uint8_t *)"hello", 5, &cookie, now), 0);

	ck_assert_uint_eq(A.nsent, 1);
	ck_assert_uint_eq(A.sent[0].len, 60);
	ck_assert_mem_eq(A.sent[0].b, want_req, 60);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 5000 + 2560000);
	ck_assert_uint_eq(vdp_ecp_engine_tx_pending(A.e), 1);

	pump();
	ck_assert_int_eq(B.in_count[VDP_ECP_IN_REQUEST], 1);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_ACK);
	ck_assert_uint_eq(B.nsent, 1);
	ck_assert_uint_eq(B.sent[0].len, 60);
	ck_assert_mem_eq(B.sent[0].b, want_ack, 60);

	ck_assert_uint_eq(A.ndone, 1);
	ck_assert_ptr_eq(A.done[0].cookie, &cookie);
	ck_assert(A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, 5000);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), UINT64_MAX);
	ck_assert_uint_eq(vdp_ecp_engine_tx_pending(A.e), 0);

	uint8_t buf[64], src[6];
	size_t len = 0;
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 1);
	ck_assert_int_eq(vdp_ecp_engine_recv(B.e, buf, sizeof(buf), &len, src), 1);
	ck_assert_uint_eq(len, 42);
	ck_assert_mem_eq(buf, want_req + 18, 42);
	ck_assert_mem_eq(src, mac_a, 6);
	expect_empty(&B);

	ck_assert_uint_eq(cnt(&A)->tx_requests, 1);
	ck_assert_uint_eq(cnt(&A)->rx_acks, 1);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 0);
	ck_assert_uint_eq(cnt(&A)->tx_acks, 0);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 1);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 1);
	ck_assert_uint_eq(cnt(&B)->tx_requests, 0);
	ck_assert_uint_eq(cnt(&B)->rx_errors, 0);
}
END_TEST

START_TEST(retransmit_timing_and_failure)
{
	const uint64_t t0 = 1000, t = T(8);
	ck_assert_uint_eq(t, 2560000);
	a_to_b.drop_next = 100; /* B never hears A */
	now = t0;
	send_n(&A, 1, 2);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), t0 + t);

	vdp_ecp_engine_timer(A.e, t0 + t - 1); /* one ns early: nothing */
	ck_assert_uint_eq(A.nsent, 1);

	run_until(t0 + 4 * t - 1);
	ck_assert_uint_eq(A.nsent, 4); /* the request and R = 3 repeats */
	for (unsigned k = 0; k < 4; k++) {
		ck_assert_uint_eq(A.sent[k].t, t0 + k * t);
		ck_assert_uint_eq(A.sent[k].len, 60);
		ck_assert_mem_eq(A.sent[k].b, A.sent[0].b, 60);
	}
	ck_assert_uint_eq(seq_of(&A.sent[0]), 0x1234);
	ck_assert_uint_eq(A.ndone, 0);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 3);

	run_until(t0 + 4 * t);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert_ptr_eq(A.done[0].cookie, (void *)1);
	ck_assert(!A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, t0 + 4 * t);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 1);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 3);

	/* The next queued ULPDU goes out at once, with the next seq. */
	ck_assert_uint_eq(A.nsent, 5);
	ck_assert_uint_eq(A.sent[4].t, t0 + 4 * t);
	ck_assert_uint_eq(seq_of(&A.sent[4]), 0x1235);
	ck_assert_uint_eq(cnt(&A)->tx_requests, 2);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), t0 + 5 * t);

	run_until(t0 + 8 * t);
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert_ptr_eq(A.done[1].cookie, (void *)2);
	ck_assert(!A.done[1].acked);
	ck_assert_uint_eq(A.done[1].t, t0 + 8 * t);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 6);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 2);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), UINT64_MAX);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 0);
}
END_TEST

START_TEST(no_retransmit_when_r_is_zero)
{
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 0, 0), 0);
	a_to_b.drop_next = 1;
	now = 0;
	send_n(&A, 7, 1);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 10000);
	run_until(1000000);
	ck_assert_uint_eq(A.nsent, 1);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert_ptr_eq(A.done[0].cookie, (void *)7);
	ck_assert(!A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, 10000);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 0);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 1);
}
END_TEST

START_TEST(lost_ack_retransmit_not_delivered_twice)
{
	b_to_a.drop_next = 1; /* B's first ack is lost */
	now = 0;
	send_n(&A, 1, 1);
	run_until(T(8) - 1);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 1);
	ck_assert_uint_eq(A.ndone, 0);

	run_until(T(8));
	ck_assert_uint_eq(A.nsent, 2);
	ck_assert_uint_eq(A.sent[1].t, T(8));
	ck_assert_int_eq(B.last_in, VDP_ECP_IN_DUPLICATE);
	ck_assert_uint_eq(B.nsent, 2); /* acked again ... */
	ck_assert_uint_eq(seq_of(&B.sent[1]), 0x1234);
	ck_assert_uint_eq(op_of(&B.sent[1]), VDP_ECP_OP_ACK);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert(A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, T(8));

	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 1); /* ... delivered once */
	expect_recv(&B, 1, 1);
	expect_empty(&B);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 1);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 1);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 2);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 1);
	ck_assert_uint_eq(cnt(&A)->rx_acks, 1);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 0);
}
END_TEST

START_TEST(duplicated_frames)
{
	a_to_b.dup_next = 1; /* the request arrives twice, so B acks twice */
	now = 0;
	send_n(&A, 1, 1);
	pump();
	ck_assert_uint_eq(cnt(&B)->rx_requests, 1);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 1);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 2);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 1);
	/* The second ack finds nothing outstanding. */
	ck_assert_uint_eq(cnt(&A)->rx_acks, 1);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 1);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_BAD_ACK);
	ck_assert_uint_eq(A.ndone, 1);
	expect_recv(&B, 1, 1);
}
END_TEST

START_TEST(send_queue_order_and_full)
{
	/* Depth 8: one in flight plus eight waiting; the tenth is refused. */
	a_to_b.hold = true;
	now = 0;
	send_n(&A, 1, 9);
	uint8_t pdu[PDU_SIZE];
	make_pdu(pdu, 10);
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, pdu, sizeof(pdu), (void *)10, now),
	                 VDP_E_NOSPACE);
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, pdu, sizeof(pdu), (void *)10, now),
	                 VDP_E_NOSPACE);
	ck_assert_uint_eq(cnt(&A)->tx_queue_full, 2);
	ck_assert_uint_eq(vdp_ecp_engine_tx_pending(A.e), 9);
	ck_assert_uint_eq(A.nsent, 1); /* stop-and-wait: one on the wire */
	ck_assert_uint_eq(a_to_b.n, 1);

	a_to_b.hold = false;
	run_until(1000);
	ck_assert_uint_eq(A.nsent, 9);
	ck_assert_uint_eq(A.ndone, 8);
	/* B's input queue (depth 8) refused the ninth; once drained, the
	 * retransmission gets in. */
	ck_assert_uint_eq(cnt(&B)->rx_queue_full, 1);
	expect_recv(&B, 1, 8);
	run_until(T(8));
	ck_assert_uint_eq(A.nsent, 10);
	ck_assert_uint_eq(A.ndone, 9);
	for (unsigned i = 0; i < 9; i++) {
		ck_assert_uint_eq(seq_of(&A.sent[i]), 0x1234 + i);
		ck_assert_ptr_eq(A.done[i].cookie, (void *)(uintptr_t)(i + 1));
		ck_assert(A.done[i].acked);
	}
	ck_assert_uint_eq(A.done[8].t, T(8));
	expect_recv(&B, 9, 1);
	expect_empty(&B);
	/* Room again. */
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, pdu, sizeof(pdu), (void *)10, now), 0);
	ck_assert_uint_eq(cnt(&A)->tx_queue_full, 2);
}
END_TEST

START_TEST(tx_done_may_send)
{
	/* The first two tx_done calls each queue a new ULPDU from inside the
	 * callback; it goes behind what was already waiting. */
	A.resend_on_done = 2;
	now = 0;
	send_n(&A, 1, 2);
	pump();
	ck_assert_uint_eq(A.ndone, 4);
	ck_assert_uint_eq(A.nsent, 4);
	for (unsigned i = 0; i < 4; i++) {
		ck_assert(A.done[i].acked);
		ck_assert_uint_eq(seq_of(&A.sent[i]), 0x1234 + i);
	}
	ck_assert_ptr_eq(A.done[0].cookie, (void *)1);
	ck_assert_ptr_eq(A.done[1].cookie, (void *)2);
	static const unsigned order[4] = {1, 2, 101, 102};
	for (unsigned i = 0; i < 4; i++)
		expect_recv(&B, order[i], 1);
	expect_empty(&B);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), UINT64_MAX);
}
END_TEST

START_TEST(input_queue_full_no_ack_then_delivered)
{
	struct vdp_ecp_engine_cfg ca = base_cfg(&A, mac_a, NULL);
	struct vdp_ecp_engine_cfg cb = base_cfg(&B, mac_b, mac_a);
	cb.rxq_depth = 2;
	teardown();
	setup_with(&ca, &cb);

	now = 0;
	send_n(&A, 1, 3);
	pump();
	/* 1 and 2 acked and queued; 3 refused without an ack. */
	ck_assert_uint_eq(cnt(&B)->rx_requests, 2);
	ck_assert_uint_eq(cnt(&B)->rx_queue_full, 1);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 2);
	ck_assert_int_eq(B.last_in, VDP_ECP_IN_QUEUE_FULL);
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(8));

	run_until(T(8)); /* first retransmission: still full */
	ck_assert_uint_eq(cnt(&B)->rx_queue_full, 2);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 2);
	ck_assert_uint_eq(A.ndone, 2);

	now = T(8) + 7; /* the upper layer drains one */
	expect_recv(&B, 1, 1);
	run_until(2 * T(8)); /* second retransmission: accepted */
	ck_assert_uint_eq(cnt(&B)->rx_requests, 3);
	ck_assert_uint_eq(cnt(&B)->tx_acks, 3);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 0);
	ck_assert_uint_eq(A.ndone, 3);
	ck_assert_ptr_eq(A.done[2].cookie, (void *)3);
	ck_assert(A.done[2].acked);
	ck_assert_uint_eq(A.done[2].t, 2 * T(8));
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 2);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 0);
	expect_recv(&B, 2, 2); /* nothing acked was lost, order kept */
	expect_empty(&B);
}
END_TEST

START_TEST(stray_acks_counted)
{
	uint8_t f[64];
	now = 0;
	/* Nothing outstanding. */
	inject(&A, f, mk_frame(f, 0x1401, 0x1234));
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_BAD_ACK);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 1);

	a_to_b.hold = true;
	send_n(&A, 1, 1);
	/* Outstanding 0x1234: acks for its neighbours are ignored. */
	inject(&A, f, mk_frame(f, 0x1401, 0x1233));
	inject(&A, f, mk_frame(f, 0x1401, 0x1235));
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 3);
	ck_assert_uint_eq(cnt(&A)->rx_acks, 0);
	ck_assert_uint_eq(A.ndone, 0);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(8));
	/* The right one completes it. */
	inject(&A, f, mk_frame(f, 0x1401, 0x1234));
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_ACK);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert(A.done[0].acked);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 3);
	ck_assert_uint_eq(cnt(&A)->rx_errors, 0);
}
END_TEST

START_TEST(stale_ack_reordered)
{
	/* A's first ack is delayed past A's retransmission; the late copy
	 * arrives while the next request is outstanding and must not
	 * complete it. */
	now = 0;
	b_to_a.hold = true;
	send_n(&A, 1, 2);
	run_until(T(8)); /* request, retransmission, two acks held */
	ck_assert_uint_eq(b_to_a.n, 2);
	ck_assert_uint_eq(seq_of(&b_to_a.q[0]), 0x1234);
	ck_assert_uint_eq(seq_of(&b_to_a.q[1]), 0x1234);

	struct frame late = wire_take(&b_to_a, 1);
	struct frame first = wire_take(&b_to_a, 0);
	feed(&A, &first);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_ACK);
	ck_assert_uint_eq(seq_of(&A.sent[A.nsent - 1]), 0x1235); /* next one sent */
	run_until(T(8) + 10); /* B gets 0x1235; its ack is held */
	feed(&A, &late);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_BAD_ACK);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 2 * T(8));

	b_to_a.hold = false;
	run_until(T(8) + 20);
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert_ptr_eq(A.done[1].cookie, (void *)2);
	ck_assert(A.done[1].acked);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 1);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 1);
	expect_recv(&B, 1, 2);
	expect_empty(&B);
}
END_TEST

/* tx_report: the facts of each request, and an ack that comes after the
 * engine gave up (a slow peer, not an absent one) reported once. */
static struct vdp_ecp_tx_report reports[16];
static unsigned nreports;

static void on_tx_report(void *ctx, const struct vdp_ecp_tx_report *r)
{
	(void)ctx;
	ck_assert_uint_lt(nreports, 16);
	reports[nreports++] = *r;
}

START_TEST(late_ack_reported)
{
	struct vdp_ecp_engine_cfg ca = base_cfg(&A, mac_a, NULL);
	ca.tx_report = on_tx_report;
	vdp_ecp_engine_free(A.e);
	A.e = vdp_ecp_engine_new(&ca);
	ck_assert_ptr_nonnull(A.e);
	nreports = 0;
	now = 1000;
	b_to_a.hold = true; /* B's acks come late */
	send_n(&A, 1, 1);
	run_until(1000 + 4 * T(8));
	ck_assert_uint_eq(nreports, 1);
	ck_assert_int_eq(reports[0].fate, VDP_ECP_TX_GAVE_UP);
	ck_assert_ptr_eq(reports[0].cookie, (void *)1);
	ck_assert_uint_eq(reports[0].seq, 0x1234);
	ck_assert_uint_eq(reports[0].tries, 4);
	ck_assert_uint_eq(reports[0].timeout_ns, T(8));
	ck_assert_uint_eq(reports[0].first_tx, 1000);
	ck_assert_uint_eq(reports[0].last_tx, 1000 + 3 * T(8));
	ck_assert_uint_eq(reports[0].when, 1000 + 4 * T(8));
	ck_assert_uint_eq(reports[0].size, sizeof(reports[0]));
	ck_assert_uint_eq(A.ndone, 1); /* tx_done as before */
	/* The next request is acked at once; then the held acks of the first
	 * arrive 9 ms after it was given up: reported once, the others stray. */
	send_n(&A, 2, 1);
	ck_assert_uint_eq(b_to_a.n, 4);
	struct frame held[4];
	for (unsigned i = 0; i < 4; i++)
		held[i] = wire_take(&b_to_a, 0);
	b_to_a.hold = false;
	run_until(now + 1);
	ck_assert_uint_eq(nreports, 2);
	ck_assert_int_eq(reports[1].fate, VDP_ECP_TX_ACKED);
	ck_assert_uint_eq(reports[1].tries, 1);
	now += 9000000;
	for (unsigned i = 0; i < 4; i++)
		feed(&A, &held[i]);
	ck_assert_uint_eq(nreports, 3);
	ck_assert_int_eq(reports[2].fate, VDP_ECP_TX_LATE_ACK);
	ck_assert_ptr_eq(reports[2].cookie, (void *)1);
	ck_assert_uint_eq(reports[2].gave_up, 1000 + 4 * T(8));
	ck_assert_uint_eq(reports[2].when - reports[2].gave_up, 9000000 + 1);
	ck_assert_uint_eq(reports[2].tries, 4);
	ck_assert_uint_eq(cnt(&A)->rx_late_acks, 1);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks, 3);
	ck_assert_uint_eq(A.ndone, 2); /* tx_done hears nothing of it */
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_BAD_ACK);
}
END_TEST

START_TEST(both_directions_reordered)
{
	/* Each side's request and ack cross on the link in either order; the
	 * two directions are independent. */
	now = 0;
	a_to_b.hold = b_to_a.hold = true;
	send_n(&A, 1, 1);
	send_n(&B, 50, 1);
	struct frame fa = wire_take(&a_to_b, 0), fb = wire_take(&b_to_a, 0);
	feed(&A, &fb); /* B's request first: A acks */
	feed(&B, &fa); /* then A's: B acks */
	ck_assert_uint_eq(b_to_a.n, 1);
	ck_assert_uint_eq(a_to_b.n, 1);
	struct frame ack_from_b = wire_take(&b_to_a, 0), ack_from_a = wire_take(&a_to_b, 0);
	feed(&B, &ack_from_a);
	feed(&A, &ack_from_b);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert_uint_eq(B.ndone, 1);
	ck_assert(A.done[0].acked && B.done[0].acked);
	ck_assert_uint_eq(seq_of(&B.sent[0]), 0x8000);
	expect_recv(&A, 50, 1);
	expect_recv(&B, 1, 1);
	ck_assert_uint_eq(cnt(&A)->rx_bad_acks + cnt(&B)->rx_bad_acks, 0);
}
END_TEST

START_TEST(malformed_frames_counted)
{
	uint8_t f[64] = {0};
	size_t n;

	inject(&A, f, 10); /* shorter than an Ethernet header */
	ck_assert_int_eq(A.last_in, VDP_E_TRUNCATED);

	n = mk_frame(f, 0x1001, 1);
	inject(&A, f, 16); /* ECP header cut short */
	ck_assert_int_eq(A.last_in, VDP_E_TRUNCATED);

	f[12] = 0x88;
	f[13] = 0xcc; /* LLDP, not ECP */
	inject(&A, f, n);
	ck_assert_int_eq(A.last_in, VDP_E_ETHERTYPE);

	inject(&A, f, mk_frame(f, 0x2001, 1)); /* version 2 */
	ck_assert_int_eq(A.last_in, VDP_E_ECP_VERSION);
	inject(&A, f, mk_frame(f, 0x1801, 1)); /* operation 2 */
	ck_assert_int_eq(A.last_in, VDP_E_ECP_OP);
	inject(&A, f, mk_frame(f, 0x1c01, 1)); /* operation 3 */
	ck_assert_int_eq(A.last_in, VDP_E_ECP_OP);

	const struct vdp_ecp_engine_counters *c = cnt(&A);
	ck_assert_uint_eq(c->rx_errors, 6);
	ck_assert_uint_eq(c->rx_error[-VDP_E_TRUNCATED], 2);
	ck_assert_uint_eq(c->rx_error[-VDP_E_ETHERTYPE], 1);
	ck_assert_uint_eq(c->rx_error[-VDP_E_ECP_VERSION], 1);
	ck_assert_uint_eq(c->rx_error[-VDP_E_ECP_OP], 2);
	ck_assert_uint_eq(c->rx_error[0], 0);
	ck_assert_uint_eq(c->rx_requests + c->rx_acks + c->rx_bad_acks, 0);
	ck_assert_uint_eq(A.nsent, 0); /* nothing acked */
	expect_empty(&A);
}
END_TEST

START_TEST(foreign_and_other_subtypes_ignored)
{
	uint8_t f[64];
	now = 0;
	inject(&A, f, mk_frame(f, 0x1002, 1)); /* PECSP request */
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_SUBTYPE);
	inject(&A, f, mk_frame(f, 0x1402, 1)); /* PECSP ack */
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_SUBTYPE);

	mk_frame(f, 0x1001, 1);
	f[5] = 0x0c; /* unicast to someone else */
	inject(&A, f, 18);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_FOREIGN);
	mk_frame(f, 0x1001, 1);
	memcpy(f + 6, mac_a, 6); /* our own frame reflected back */
	inject(&A, f, 18);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_FOREIGN);

	ck_assert_uint_eq(cnt(&A)->rx_subtype, 2);
	ck_assert_uint_eq(cnt(&A)->rx_foreign, 2);
	ck_assert_uint_eq(cnt(&A)->rx_requests, 0);
	ck_assert_uint_eq(cnt(&A)->rx_errors, 0);
	ck_assert_uint_eq(A.nsent, 0);

	/* Both destination forms are accepted: unicast to us, NCB group. */
	inject(&A, f, mk_frame(f, 0x1001, 1));
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_REQUEST);
	mk_frame(f, 0x1001, 2);
	memcpy(f, vdp_ecp_ncb_addr, 6);
	inject(&A, f, 18);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_REQUEST);
	ck_assert_uint_eq(cnt(&A)->rx_requests, 2);
	ck_assert_uint_eq(A.nsent, 2);
	/* Unpadded requests deliver an empty ULPDU. */
	uint8_t buf[8];
	size_t len = 99;
	ck_assert_int_eq(vdp_ecp_engine_recv(A.e, buf, sizeof(buf), &len, NULL), 1);
	ck_assert_uint_eq(len, 0);
}
END_TEST

START_TEST(seq_wraparound)
{
	struct vdp_ecp_engine_cfg ca = base_cfg(&A, mac_a, NULL);
	struct vdp_ecp_engine_cfg cb = base_cfg(&B, mac_b, mac_a);
	ca.first_seq = 0xfffe;
	teardown();
	setup_with(&ca, &cb);

	now = 0;
	send_n(&A, 1, 2); /* 0xfffe, 0xffff */
	pump();
	b_to_a.drop_next = 1; /* lose the ack of 0x0000 */
	send_n(&A, 3, 2);     /* 0x0000 (retransmitted), 0x0001 */
	run_until(3 * T(8));

	ck_assert_uint_eq(A.nsent, 5);
	ck_assert_uint_eq(seq_of(&A.sent[0]), 0xfffe);
	ck_assert_uint_eq(seq_of(&A.sent[1]), 0xffff);
	ck_assert_uint_eq(seq_of(&A.sent[2]), 0x0000);
	ck_assert_uint_eq(seq_of(&A.sent[3]), 0x0000);
	ck_assert_uint_eq(A.sent[3].t, T(8));
	ck_assert_uint_eq(seq_of(&A.sent[4]), 0x0001);
	ck_assert_uint_eq(seq_of(&B.sent[4]), 0x0001);
	ck_assert_uint_eq(A.ndone, 4);
	for (unsigned i = 0; i < 4; i++)
		ck_assert(A.done[i].acked);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 4);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 1);
	expect_recv(&B, 1, 4);
	expect_empty(&B);
}
END_TEST

START_TEST(timers_changed_mid_flight)
{
	a_to_b.drop_next = 100;
	now = 0;
	send_n(&A, 1, 1);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(8));

	/* EVB negotiation raises RTE before the first timeout: the deadline
	 * moves to the first transmission plus the new timeout. */
	now = 1000;
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 3, 10), 0);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(10));
	run_until(T(10) - 1);
	ck_assert_uint_eq(A.nsent, 1);
	run_until(T(10));
	ck_assert_uint_eq(A.nsent, 2);
	ck_assert_uint_eq(A.sent[1].t, T(10));
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 2 * T(10));

	/* Lowering RTE can put the deadline in the past: it fires at once. */
	now = T(10) + T(5) + 3;
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 3, 5), 0);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(10) + T(5));
	vdp_ecp_engine_timer(A.e, now);
	ck_assert_uint_eq(A.nsent, 3);
	ck_assert_uint_eq(A.sent[2].t, now);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), now + T(5));

	/* Two retransmissions done; R drops to 1: the next expiry fails it. */
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 1, 5), 0);
	uint64_t fail_at = now + T(5);
	run_until(fail_at);
	ck_assert_uint_eq(A.nsent, 3);
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert(!A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, fail_at);
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 2);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 1);

	/* Raising R lets the next request retransmit more. */
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 5, 0), 0);
	send_n(&A, 2, 1);
	run_until(now + 6 * T(0));
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 2 + 5);
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert_uint_eq(A.done[1].t, fail_at + 6 * T(0));
}
END_TEST

/* A program built against an earlier libvdp, whose configuration ended
 * before tx_done: what lies past its size must count as zero. */
static void *ctx_seen = &ctx_seen;
static int send_no_ctx(void *ctx, const uint8_t *f, size_t len)
{
	(void)f;
	(void)len;
	ctx_seen = ctx;
	return 0;
}

START_TEST(growable_structures_follow_their_size)
{
	struct vdp_ecp_engine_cfg c = base_cfg(&A, mac_a, NULL);
	c.size = 0;
	errno = 0;
	ck_assert_ptr_null(vdp_ecp_engine_new(&c));
	ck_assert_int_eq(errno, EINVAL);
	c.size = offsetof(struct vdp_ecp_engine_cfg, tx_done);
	c.send = send_no_ctx;
	struct vdp_ecp_engine *e = vdp_ecp_engine_new(&c);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(vdp_ecp_engine_send(e, (const uint8_t *)"x", 1, NULL, 0), 0);
	ck_assert_ptr_null(ctx_seen); /* c.ctx was set, but past c.size */

	/* Counters into an earlier, shorter layout: filled up to its size. */
	struct vdp_ecp_engine_counters k;
	memset(&k, 0xab, sizeof(k));
	k.size = 0;
	ck_assert_int_eq(vdp_ecp_engine_get_counters(e, &k), VDP_E_INVAL);
	k.size = offsetof(struct vdp_ecp_engine_counters, tx_retransmits);
	ck_assert_int_eq(vdp_ecp_engine_get_counters(e, &k), 0);
	ck_assert_uint_eq(k.tx_requests, 1);
	ck_assert_uint_eq(k.tx_retransmits, 0xababababababababULL);
	vdp_ecp_engine_free(e);
}
END_TEST

START_TEST(set_timers_rejects_bad_values)
{
	now = 0;
	send_n(&A, 1, 1);
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 8, 8), VDP_E_INVAL);
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 3, 32), VDP_E_INVAL);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), T(8));
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 7, 31), 0);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 10000ULL << 31);
	ck_assert_uint_eq(T(0), 10000);
	ck_assert_uint_eq(T(20), 10485760000ULL);
	ck_assert_uint_eq(T(63), UINT64_MAX);

	struct vdp_ecp_engine_cfg bad = base_cfg(&A, mac_a, NULL);
	bad.rte = 32;
	errno = 0;
	ck_assert_ptr_null(vdp_ecp_engine_new(&bad));
	ck_assert_int_eq(errno, EINVAL);
	bad = base_cfg(&A, mac_a, NULL);
	bad.send = NULL;
	ck_assert_ptr_null(vdp_ecp_engine_new(&bad));
}
END_TEST

START_TEST(deliver_callback_backpressure)
{
	now = 0;
	send_n(&A, 1, 3);
	pump();
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 3);

	B.deliver_busy = 1; /* upper layer busy: everything stays queued */
	ck_assert_uint_eq(vdp_ecp_engine_deliver(B.e), 0);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 3);

	B.deliver_busy = 0;
	ck_assert_uint_eq(vdp_ecp_engine_deliver(B.e), 3);
	ck_assert_uint_eq(B.ndelivered, 3);
	for (unsigned i = 0; i < 3; i++) {
		uint8_t want[PDU_SIZE];
		make_pdu(want, i + 1);
		ck_assert_uint_eq(B.delivered_len[i], 42);
		ck_assert_mem_eq(B.delivered[i], want, PDU_SIZE);
	}
	ck_assert_uint_eq(vdp_ecp_engine_deliver(B.e), 0);
	expect_empty(&B);
}
END_TEST

START_TEST(recv_buffer_too_small)
{
	now = 0;
	send_n(&A, 1, 1);
	pump();
	uint8_t buf[41];
	size_t len = 0;
	ck_assert_int_eq(vdp_ecp_engine_recv(B.e, buf, sizeof(buf), &len, NULL), VDP_E_NOSPACE);
	ck_assert_uint_eq(len, 42);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(B.e), 1);
	expect_recv(&B, 1, 1);
}
END_TEST

START_TEST(send_callback_error_recovers)
{
	now = 0;
	A.send_rc = -1; /* e.g. ENOBUFS from the socket */
	send_n(&A, 1, 1);
	ck_assert_uint_eq(cnt(&A)->tx_send_errors, 1);
	ck_assert_uint_eq(cnt(&B)->rx_requests, 0);
	A.send_rc = 0;
	run_until(T(8));
	ck_assert_uint_eq(A.ndone, 1);
	ck_assert(A.done[0].acked);
	ck_assert_uint_eq(A.done[0].t, T(8));
	ck_assert_uint_eq(cnt(&A)->tx_retransmits, 1);
	expect_recv(&B, 1, 1);

	B.send_rc = -1; /* B's ack fails to go out: A retransmits, B re-acks */
	send_n(&A, 2, 1);
	pump();
	ck_assert_uint_eq(cnt(&B)->tx_send_errors, 1);
	B.send_rc = 0;
	run_until(2 * T(8));
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert(A.done[1].acked);
	ck_assert_uint_eq(cnt(&B)->rx_duplicates, 1);
	expect_recv(&B, 2, 1);
	expect_empty(&B);
}
END_TEST

START_TEST(ulpdu_size_limits)
{
	static uint8_t big[VDP_ECP_MAX_ULPDU + 1];
	now = 0;
	memset(big, 0xa5, sizeof(big));
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, big, sizeof(big), NULL, now), VDP_E_INVAL);
	ck_assert_uint_eq(A.nsent, 0);
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, big, VDP_ECP_MAX_ULPDU, NULL, now), 0);
	ck_assert_uint_eq(A.sent[0].len, VDP_ECP_MAX_FRAME);
	ck_assert_uint_eq(VDP_ECP_MAX_FRAME, 1514);
	pump();
	static uint8_t buf[VDP_ECP_MAX_ULPDU];
	size_t len = 0;
	ck_assert_int_eq(vdp_ecp_engine_recv(B.e, buf, sizeof(buf), &len, NULL), 1);
	ck_assert_uint_eq(len, VDP_ECP_MAX_ULPDU);
	ck_assert_mem_eq(buf, big, VDP_ECP_MAX_ULPDU);

	/* A jumbo request from the peer cannot be kept: not acked. */
	static uint8_t f[VDP_ECP_MAX_FRAME + 1];
	mk_frame(f, 0x1001, 9);
	ck_assert_int_eq(vdp_ecp_engine_input(A.e, f, sizeof(f), now), VDP_ECP_IN_OVERSIZE);
	ck_assert_uint_eq(cnt(&A)->rx_oversize, 1);
	ck_assert_uint_eq(cnt(&A)->tx_acks, 0);

	/* An empty ULPDU is padded like any request. */
	ck_assert_int_eq(vdp_ecp_engine_send(A.e, NULL, 0, NULL, now), 0);
	ck_assert_uint_eq(A.sent[A.nsent - 1].len, 60);
}
END_TEST

START_TEST(flush_reports_all)
{
	now = 0;
	a_to_b.hold = true;
	send_n(&A, 1, 3);
	A.resend_on_done = 3; /* callbacks queue new ULPDUs meanwhile */
	now = 77;
	vdp_ecp_engine_flush(A.e, now);
	ck_assert_uint_eq(A.ndone, 3);
	for (unsigned i = 0; i < 3; i++) {
		ck_assert_ptr_eq(A.done[i].cookie, (void *)(uintptr_t)(i + 1));
		ck_assert(!A.done[i].acked);
	}
	ck_assert_uint_eq(cnt(&A)->tx_flushed, 3);
	ck_assert_uint_eq(cnt(&A)->tx_failures, 0);
	/* The three queued by the callbacks survive; the first is sent now,
	 * and nothing was sent during the flush. */
	ck_assert_uint_eq(vdp_ecp_engine_tx_pending(A.e), 3);
	ck_assert_uint_eq(A.nsent, 2);
	ck_assert_uint_eq(A.sent[1].t, 77);
	ck_assert_uint_eq(seq_of(&A.sent[1]), 0x1235);
	ck_assert_uint_eq(vdp_ecp_engine_next_timeout(A.e), 77 + T(8));
}
END_TEST

START_TEST(flush_forgets_peer_seq)
{
	/* After a flush (link change) the peer's next request is new even if
	 * it reuses the last seq, e.g. a restarted station. */
	uint8_t f[64];
	now = 0;
	inject(&A, f, mk_frame(f, 0x1001, 42));
	inject(&A, f, mk_frame(f, 0x1001, 42));
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_DUPLICATE);
	vdp_ecp_engine_flush(A.e, now);
	inject(&A, f, mk_frame(f, 0x1001, 42));
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_REQUEST);
	ck_assert_uint_eq(cnt(&A)->rx_requests, 2);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(A.e), 2);
}
END_TEST

START_TEST(same_seq_new_content_is_new)
{
	/* A restarted peer reusing the last seq with a different ULPDU is a
	 * new request; the same bytes again are a repeat. */
	uint8_t f[64];
	now = 0;
	size_t n = mk_frame(f, 0x1001, 7);
	f[n] = 'a';
	inject(&A, f, n + 1);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_REQUEST);
	f[n] = 'b';
	inject(&A, f, n + 1);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_REQUEST);
	inject(&A, f, n + 1);
	ck_assert_int_eq(A.last_in, VDP_ECP_IN_DUPLICATE);
	ck_assert_uint_eq(cnt(&A)->rx_requests, 2);
	ck_assert_uint_eq(cnt(&A)->rx_duplicates, 1);
	ck_assert_uint_eq(vdp_ecp_engine_rx_pending(A.e), 2);
}
END_TEST

START_TEST(random_first_seq)
{
	struct vdp_ecp_engine_cfg ca = base_cfg(&A, mac_a, NULL);
	struct vdp_ecp_engine_cfg cb = base_cfg(&B, mac_b, mac_a);
	ca.fixed_seq = false;
	cb.subtype = 0; /* defaults to VDP */
	teardown();
	setup_with(&ca, &cb);
	now = 0;
	send_n(&A, 1, 2);
	pump();
	ck_assert_uint_eq(A.ndone, 2);
	ck_assert_uint_eq(seq_of(&A.sent[1]), (seq_of(&A.sent[0]) + 1) & 0xffff);
	ck_assert_uint_eq(seq_of(&B.sent[0]), seq_of(&A.sent[0]));
	ck_assert_uint_eq(A.sent[0].b[15], VDP_ECP_SUBTYPE_VDP);
	expect_recv(&B, 1, 2);
}
END_TEST

/* Both directions at once over a lossy, duplicating link: everything acked
 * is delivered exactly once and in order; failures are reported. */
START_TEST(lossy_link_stress)
{
	enum { N = 300 };
	ck_assert_int_eq(vdp_ecp_engine_set_timers(A.e, 7, 2), 0);
	ck_assert_int_eq(vdp_ecp_engine_set_timers(B.e, 7, 3), 0);
	a_to_b.loss_pct = b_to_a.loss_pct = 20;
	a_to_b.dup_pct = b_to_a.dup_pct = 10;
	now = 0;
	unsigned next_a = 0, next_b = 0;
	while (next_a < N || next_b < N || vdp_ecp_engine_tx_pending(A.e) ||
	       vdp_ecp_engine_tx_pending(B.e)) {
		if (next_a < N && vdp_ecp_engine_tx_pending(A.e) < 4)
			send_n(&A, next_a++, 1);
		if (next_b < N && vdp_ecp_engine_tx_pending(B.e) < 4)
			send_n(&B, next_b++, 1);
		run_until(now + 7000);
		/* The upper layers drain now and then. */
		if (rnd(3) == 0) {
			vdp_ecp_engine_deliver(A.e);
			vdp_ecp_engine_deliver(B.e);
		}
		ck_assert_uint_lt(now, 10000000000ULL);
	}
	vdp_ecp_engine_deliver(A.e);
	vdp_ecp_engine_deliver(B.e);

	struct side *sides[2] = {&A, &B};
	for (int k = 0; k < 2; k++) {
		struct side *tx = sides[k], *rx = sides[1 - k];
		ck_assert_uint_eq(tx->ndone, N);
		unsigned acked = 0, j = 0;
		for (unsigned i = 0; i < N; i++) {
			ck_assert_ptr_eq(tx->done[i].cookie, (void *)(uintptr_t)i);
			uint8_t want[PDU_SIZE];
			make_pdu(want, i);
			/* A failed one may still have been delivered (all
			 * its acks lost); an acked one must have been. */
			bool got =
			    j < rx->ndelivered && memcmp(rx->delivered[j], want, PDU_SIZE) == 0;
			if (tx->done[i].acked) {
				acked++;
				ck_assert_msg(got, "acked pdu-%u not delivered", i);
			}
			j += got;
		}
		ck_assert_uint_eq(j, rx->ndelivered); /* nothing else, no repeats */
		const struct vdp_ecp_engine_counters *ct = cnt(tx), *cr = cnt(rx);
		ck_assert_uint_eq(ct->tx_requests, N);
		ck_assert_uint_eq(ct->rx_acks, acked);
		ck_assert_uint_eq(ct->tx_failures, N - acked);
		ck_assert_uint_eq(cr->rx_requests, rx->ndelivered);
		ck_assert_uint_gt(ct->tx_retransmits, 0);
		ck_assert_uint_gt(cr->rx_duplicates, 0);
		ck_assert_uint_gt(acked, N * 9 / 10);
	}
}
END_TEST

static Suite *ecp_engine_suite(void)
{
	Suite *s = suite_create("vdp_ecp_engine");
	TCase *tc = tcase_create("engine");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, basic_request_ack);
	tcase_add_test(tc, retransmit_timing_and_failure);
	tcase_add_test(tc, no_retransmit_when_r_is_zero);
	tcase_add_test(tc, lost_ack_retransmit_not_delivered_twice);
	tcase_add_test(tc, duplicated_frames);
	tcase_add_test(tc, send_queue_order_and_full);
	tcase_add_test(tc, tx_done_may_send);
	tcase_add_test(tc, input_queue_full_no_ack_then_delivered);
	tcase_add_test(tc, stray_acks_counted);
	tcase_add_test(tc, stale_ack_reordered);
	tcase_add_test(tc, late_ack_reported);
	tcase_add_test(tc, both_directions_reordered);
	tcase_add_test(tc, malformed_frames_counted);
	tcase_add_test(tc, foreign_and_other_subtypes_ignored);
	tcase_add_test(tc, seq_wraparound);
	tcase_add_test(tc, timers_changed_mid_flight);
	tcase_add_test(tc, set_timers_rejects_bad_values);
	tcase_add_test(tc, growable_structures_follow_their_size);
	tcase_add_test(tc, deliver_callback_backpressure);
	tcase_add_test(tc, recv_buffer_too_small);
	tcase_add_test(tc, send_callback_error_recovers);
	tcase_add_test(tc, ulpdu_size_limits);
	tcase_add_test(tc, flush_reports_all);
	tcase_add_test(tc, flush_forgets_peer_seq);
	tcase_add_test(tc, same_seq_new_content_is_new);
	tcase_add_test(tc, random_first_seq);
	tcase_add_test(tc, lossy_link_stress);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(ecp_engine_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
