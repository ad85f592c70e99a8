/* SPDX-License-Identifier: ISC */
/* libvdp: the ECP engine, a caller-driven state machine (see ecp_engine.h). */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <vdp/ecp_engine.h>

#include "sized.h"

static_assert(VDP_E_COUNT_ALL <= VDP_E_SLOTS, "rx_error[] has no slot for every vdp_err");

/* A request waiting to be sent, or the one in flight (the queue's head). */
struct tx_slot {
	void *cookie;
	size_t len;
	uint8_t data[VDP_ECP_MAX_ULPDU];
};

/* A request given up after R retransmissions, kept to recognise its ack
 * if it comes after all (a slow peer, not an absent one). */
struct late_slot {
	bool used;
	uint16_t seq;
	void *cookie;
	unsigned tries;
	uint64_t first_tx, last_tx, gave_up;
};

/* A received ULPDU that has been acked and awaits the upper layer. */
struct rx_slot {
	uint8_t src[6];
	size_t len;
	uint8_t data[VDP_ECP_MAX_ULPDU];
};

struct vdp_ecp_engine {
	struct vdp_ecp_engine_cfg cfg;
	struct vdp_ecp_engine_counters cnt;

	/* Transmit side: a ring of txq_depth + 1 slots; while `busy`, the head
	 * is the request in flight and its encoded frame is in txframe, so a
	 * retransmission repeats the very same bytes. */
	struct tx_slot *txq;
	unsigned tx_cap, tx_head, tx_count;
	bool busy;
	bool flushing; /* holds back new transmissions during a flush */
	uint16_t next_seq, out_seq;
	unsigned retries;
	uint64_t first_tx, last_tx, deadline;
	struct late_slot late[VDP_ECP_ENGINE_LATE_KEEP];
	unsigned late_next; /* the slot the next give-up overwrites */
	size_t txframe_len;
	uint8_t txframe[VDP_ECP_MAX_FRAME];

	/* Receive side: a ring of rxq_depth slots, and the last accepted
	 * request's sequence number and source for duplicate detection. */
	struct rx_slot *rxq;
	unsigned rx_cap, rx_head, rx_count;
	bool have_last;
	uint16_t last_seq;
	uint8_t last_src[6];
	size_t last_len; /* and its ULPDU's length and fingerprint */
	uint64_t last_hash;
	uint8_t ackframe[VDP_ECP_MIN_FRAME];
};

static const uint8_t zero_mac[6];

uint64_t vdp_ecp_timeout_ns(unsigned exp)
{
	/* 10000 << 51 overflows 64 bits; the 5-bit EVB fields never get near. */
	if (exp >= 51)
		return UINT64_MAX;
	return VDP_ECP_TIMER_UNIT_NS << exp;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* A starting sequence number that differs between runs.  getrandom() can
 * only fail on ancient kernels; the clock is good enough then, since this
 * only has to make a collision with the previous run's last seq unlikely. */
static uint16_t random_seq(void)
{
	uint16_t v;
	if (getrandom(&v, sizeof(v), GRND_NONBLOCK) == (ssize_t)sizeof(v))
		return v;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint16_t)(ts.tv_nsec ^ ts.tv_sec);
}

static const uint8_t *dst_mac(const struct vdp_ecp_engine *e)
{
	if (memcmp(e->cfg.peer_mac, zero_mac, 6) == 0)
		return vdp_ecp_ncb_addr;
	return e->cfg.peer_mac;
}

static void xmit(struct vdp_ecp_engine *e, const uint8_t *frame, size_t len)
{
	if (e->cfg.send(e->cfg.ctx, frame, len) < 0)
		e->cnt.tx_send_errors++;
}

/* Encodes a frame of this engine's subtype.  Lengths are checked before we
 * get here and the buffers are sized for the largest frame, so encoding
 * cannot fail. */
static size_t build(const struct vdp_ecp_engine *e, uint8_t op, uint16_t seq, const uint8_t *ulpdu,
                    size_t ulen, uint8_t *buf, size_t cap)
{
	struct vdp_ecp_frame f = {
	    .hdr = {.version = VDP_ECP_VERSION, .op = op, .subtype = e->cfg.subtype, .seq = seq},
	    .ulpdu = ulpdu,
	    .ulpdu_len = ulen,
	};
	memcpy(f.dst, dst_mac(e), 6);
	memcpy(f.src, e->cfg.local_mac, 6);
	/* Acks are padded as well as requests: a NIC pads short frames on a
	 * real link anyway, and doing it here makes veth and real links carry
	 * the same bytes. */
	int n = vdp_ecp_frame_encode(&f, 1, buf, cap);
	assert(n > 0);
	return (size_t)n;
}

/* (Re)transmits the request in flight and arms its ack timer. */
static void send_request(struct vdp_ecp_engine *e, uint64_t now)
{
	e->last_tx = now;
	e->deadline = add_sat(now, vdp_ecp_timeout_ns(e->cfg.rte));
	xmit(e, e->txframe, e->txframe_len);
}

/* Starts the oldest queued request if nothing is in flight. */
static void kick(struct vdp_ecp_engine *e, uint64_t now)
{
	if (e->busy || e->flushing || e->tx_count == 0)
		return;
	const struct tx_slot *s = &e->txq[e->tx_head];
	e->out_seq = e->next_seq++;
	e->txframe_len = build(e, VDP_ECP_OP_REQUEST, e->out_seq, s->data, s->len, e->txframe,
	                       sizeof(e->txframe));
	e->busy = true;
	e->retries = 0;
	e->first_tx = now;
	e->cnt.tx_requests++;
	send_request(e, now);
}

static void report(struct vdp_ecp_engine *e, const struct vdp_ecp_tx_report *r)
{
	if (e->cfg.tx_report)
		e->cfg.tx_report(e->cfg.ctx, r);
}

/* Remembers the head request, given up, for a late ack. */
static void remember_given_up(struct vdp_ecp_engine *e, void *cookie, uint64_t now)
{
	struct late_slot *l = &e->late[e->late_next];
	e->late_next = (e->late_next + 1) % VDP_ECP_ENGINE_LATE_KEEP;
	*l = (struct late_slot){.used = true,
	                        .seq = e->out_seq,
	                        .cookie = cookie,
	                        .tries = e->retries + 1,
	                        .first_tx = e->first_tx,
	                        .last_tx = e->last_tx,
	                        .gave_up = now};
}

/* Removes the head request and reports its fate.  The state is consistent
 * before the callbacks run, so they may queue more ULPDUs.  A flushed
 * request that was waiting was never transmitted (tries 0). */
static void finish_head(struct vdp_ecp_engine *e, enum vdp_ecp_tx_fate fate, uint64_t now)
{
	void *cookie = e->txq[e->tx_head].cookie;
	bool sent = e->busy;
	struct vdp_ecp_tx_report r = {.size = sizeof(r),
	                              .cookie = cookie,
	                              .fate = fate,
	                              .seq = sent ? e->out_seq : 0,
	                              .tries = sent ? e->retries + 1 : 0,
	                              .timeout_ns = vdp_ecp_timeout_ns(e->cfg.rte),
	                              .first_tx = sent ? e->first_tx : 0,
	                              .last_tx = sent ? e->last_tx : 0,
	                              .when = now};
	if (fate == VDP_ECP_TX_GAVE_UP)
		remember_given_up(e, cookie, now);
	e->tx_head = (e->tx_head + 1) % e->tx_cap;
	e->tx_count--;
	e->busy = false;
	if (e->cfg.tx_done)
		e->cfg.tx_done(e->cfg.ctx, cookie, fate == VDP_ECP_TX_ACKED);
	report(e, &r);
}

static int check_timers(unsigned r, unsigned rte)
{
	return r > VDP_ECP_ENGINE_MAX_R || rte > VDP_ECP_ENGINE_MAX_RTE ? VDP_E_INVAL : 0;
}

struct vdp_ecp_engine *vdp_ecp_engine_new(const struct vdp_ecp_engine_cfg *caller_cfg)
{
	struct vdp_ecp_engine_cfg c; /* the caller's, in this libvdp's layout */
	const struct vdp_ecp_engine_cfg *cfg = &c;
	if (!caller_cfg || !sized_in(&c, sizeof(c), caller_cfg) || !cfg->send ||
	    check_timers(cfg->r, cfg->rte) < 0 || cfg->subtype > 0x3ff) {
		errno = EINVAL;
		return NULL;
	}
	struct vdp_ecp_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->cfg = c;
	if (!e->cfg.subtype)
		e->cfg.subtype = VDP_ECP_SUBTYPE_VDP;
	/* One slot more than the depth: the request in flight stays in the
	 * ring (it is retransmitted from there) and is not "waiting". */
	e->tx_cap = (cfg->txq_depth ? cfg->txq_depth : VDP_ECP_ENGINE_DEFAULT_DEPTH) + 1;
	e->rx_cap = cfg->rxq_depth ? cfg->rxq_depth : VDP_ECP_ENGINE_DEFAULT_DEPTH;
	e->txq = calloc(e->tx_cap, sizeof(*e->txq));
	e->rxq = calloc(e->rx_cap, sizeof(*e->rxq));
	if (!e->txq || !e->rxq) {
		vdp_ecp_engine_free(e);
		errno = ENOMEM;
		return NULL;
	}
	e->next_seq = cfg->fixed_seq ? cfg->first_seq : random_seq();
	return e;
}

void vdp_ecp_engine_free(struct vdp_ecp_engine *e)
{
	if (!e)
		return;
	free(e->txq);
	free(e->rxq);
	free(e);
}

int vdp_ecp_engine_send(struct vdp_ecp_engine *e, const uint8_t *ulpdu, size_t len, void *cookie,
                        uint64_t now)
{
	if (len > VDP_ECP_MAX_ULPDU || (len && !ulpdu))
		return VDP_E_INVAL;
	if (e->tx_count == e->tx_cap) {
		e->cnt.tx_queue_full++;
		return VDP_E_NOSPACE;
	}
	struct tx_slot *s = &e->txq[(e->tx_head + e->tx_count) % e->tx_cap];
	s->cookie = cookie;
	s->len = len;
	if (len)
		memcpy(s->data, ulpdu, len);
	e->tx_count++;
	kick(e, now);
	return 0;
}

static void send_ack(struct vdp_ecp_engine *e, uint16_t seq)
{
	size_t n = build(e, VDP_ECP_OP_ACK, seq, NULL, 0, e->ackframe, sizeof(e->ackframe));
	e->cnt.tx_acks++;
	xmit(e, e->ackframe, n);
}

/* FNV-1a: a retransmission carries the same bytes, so equal fingerprints
 * of equal lengths are what a repeat looks like. */
static uint64_t fingerprint(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	while (n--)
		h = (h ^ *p++) * 0x100000001b3ull;
	return h;
}

/* A repeat is the same sequence number from the same source with the same
 * ULPDU.  Checking the content as well as the number (the standard checks
 * only the number) keeps a restarted peer, which may start again at the
 * number it last used, from having its first request swallowed. */
static bool is_duplicate(const struct vdp_ecp_engine *e, const struct vdp_ecp_frame *f)
{
	return e->have_last && f->hdr.seq == e->last_seq && memcmp(f->src, e->last_src, 6) == 0 &&
	       f->ulpdu_len == e->last_len && fingerprint(f->ulpdu, f->ulpdu_len) == e->last_hash;
}

static void rx_push(struct vdp_ecp_engine *e, const struct vdp_ecp_frame *f)
{
	struct rx_slot *s = &e->rxq[(e->rx_head + e->rx_count) % e->rx_cap];
	memcpy(s->src, f->src, 6);
	s->len = f->ulpdu_len;
	if (f->ulpdu_len)
		memcpy(s->data, f->ulpdu, f->ulpdu_len);
	e->rx_count++;
}

/* The ack goes out only after the ULPDU is queued: an acked PDU must never
 * be lost, so a request we cannot keep stays unacked and the peer
 * retransmits it. */
static int on_request(struct vdp_ecp_engine *e, const struct vdp_ecp_frame *f)
{
	if (is_duplicate(e, f)) {
		e->cnt.rx_duplicates++;
		send_ack(e, f->hdr.seq);
		return VDP_ECP_IN_DUPLICATE;
	}
	if (f->ulpdu_len > VDP_ECP_MAX_ULPDU) {
		e->cnt.rx_oversize++;
		return VDP_ECP_IN_OVERSIZE;
	}
	if (e->rx_count == e->rx_cap) {
		e->cnt.rx_queue_full++;
		return VDP_ECP_IN_QUEUE_FULL;
	}
	rx_push(e, f);
	e->have_last = true;
	e->last_seq = f->hdr.seq;
	memcpy(e->last_src, f->src, 6);
	e->last_len = f->ulpdu_len;
	e->last_hash = fingerprint(f->ulpdu, f->ulpdu_len);
	e->cnt.rx_requests++;
	send_ack(e, f->hdr.seq);
	return VDP_ECP_IN_REQUEST;
}

/* An ack for a request given up before: the peer got it after all.  Each
 * is reported once (a repeat of the same ack is a bad ack). */
static int on_late_ack(struct vdp_ecp_engine *e, uint16_t seq, uint64_t now)
{
	for (unsigned i = 0; i < VDP_ECP_ENGINE_LATE_KEEP; i++) {
		struct late_slot *l = &e->late[i];
		if (!l->used || l->seq != seq)
			continue;
		l->used = false;
		e->cnt.rx_late_acks++;
		struct vdp_ecp_tx_report r = {.size = sizeof(r),
		                              .cookie = l->cookie,
		                              .fate = VDP_ECP_TX_LATE_ACK,
		                              .seq = seq,
		                              .tries = l->tries,
		                              .timeout_ns = vdp_ecp_timeout_ns(e->cfg.rte),
		                              .first_tx = l->first_tx,
		                              .last_tx = l->last_tx,
		                              .gave_up = l->gave_up,
		                              .when = now};
		report(e, &r);
		return VDP_ECP_IN_LATE_ACK;
	}
	e->cnt.rx_bad_acks++;
	return VDP_ECP_IN_BAD_ACK;
}

static int on_ack(struct vdp_ecp_engine *e, const struct vdp_ecp_frame *f, uint64_t now)
{
	if (!e->busy || f->hdr.seq != e->out_seq)
		return on_late_ack(e, f->hdr.seq, now);
	e->cnt.rx_acks++;
	finish_head(e, VDP_ECP_TX_ACKED, now);
	kick(e, now);
	return VDP_ECP_IN_ACK;
}

/* Frames for another station (a promiscuous socket sees them) and our own
 * frames reflected back must not be taken for the peer's. */
static bool is_foreign(const struct vdp_ecp_engine *e, const struct vdp_ecp_frame *f)
{
	bool for_us =
	    memcmp(f->dst, vdp_ecp_ncb_addr, 6) == 0 || memcmp(f->dst, e->cfg.local_mac, 6) == 0;
	return !for_us || memcmp(f->src, e->cfg.local_mac, 6) == 0;
}

int vdp_ecp_engine_input(struct vdp_ecp_engine *e, const uint8_t *frame, size_t len, uint64_t now)
{
	struct vdp_ecp_frame f;
	int rc = vdp_ecp_frame_decode(frame, len, &f);
	if (rc < 0) {
		e->cnt.rx_errors++;
		if (-rc < VDP_E_COUNT_ALL)
			e->cnt.rx_error[-rc]++;
		return rc;
	}
	if (is_foreign(e, &f)) {
		e->cnt.rx_foreign++;
		return VDP_ECP_IN_FOREIGN;
	}
	if (f.hdr.subtype != e->cfg.subtype) {
		e->cnt.rx_subtype++;
		return VDP_ECP_IN_SUBTYPE;
	}
	if (f.hdr.op == VDP_ECP_OP_ACK)
		return on_ack(e, &f, now);
	return on_request(e, &f);
}

static void rx_pop(struct vdp_ecp_engine *e)
{
	e->rx_head = (e->rx_head + 1) % e->rx_cap;
	e->rx_count--;
}

int vdp_ecp_engine_recv(struct vdp_ecp_engine *e, uint8_t *buf, size_t cap, size_t *len,
                        uint8_t src[6])
{
	if (e->rx_count == 0)
		return 0;
	const struct rx_slot *s = &e->rxq[e->rx_head];
	*len = s->len;
	if (cap < s->len)
		return VDP_E_NOSPACE;
	if (s->len)
		memcpy(buf, s->data, s->len);
	if (src)
		memcpy(src, s->src, 6);
	rx_pop(e);
	return 1;
}

unsigned vdp_ecp_engine_deliver(struct vdp_ecp_engine *e)
{
	unsigned n = 0;
	if (!e->cfg.deliver)
		return 0;
	while (e->rx_count) {
		const struct rx_slot *s = &e->rxq[e->rx_head];
		/* The slot is popped only after deliver returns: anything the
		 * callback causes to be queued goes behind it, never over it. */
		if (e->cfg.deliver(e->cfg.ctx, s->data, s->len, s->src) != 0)
			break;
		rx_pop(e);
		n++;
	}
	return n;
}

uint64_t vdp_ecp_engine_next_timeout(const struct vdp_ecp_engine *e)
{
	return e->busy ? e->deadline : UINT64_MAX;
}

void vdp_ecp_engine_timer(struct vdp_ecp_engine *e, uint64_t now)
{
	if (!e->busy || now < e->deadline)
		return;
	if (e->retries < e->cfg.r) {
		e->retries++;
		e->cnt.tx_retransmits++;
		send_request(e, now);
		return;
	}
	/* R retransmissions went unanswered: tell the upper layer (lldpad
	 * does not) and carry on with the next request. */
	e->cnt.tx_failures++;
	finish_head(e, VDP_ECP_TX_GAVE_UP, now);
	kick(e, now);
}

int vdp_ecp_engine_set_timers(struct vdp_ecp_engine *e, unsigned r, unsigned rte)
{
	if (check_timers(r, rte) < 0)
		return VDP_E_INVAL;
	e->cfg.r = (uint8_t)r;
	e->cfg.rte = (uint8_t)rte;
	/* Re-arm from the last transmission, so a request sent under a short
	 * pre-negotiation timeout is not retransmitted before the peer had
	 * the time the new RTE grants it (and vice versa). */
	if (e->busy)
		e->deadline = add_sat(e->last_tx, vdp_ecp_timeout_ns(rte));
	return 0;
}

void vdp_ecp_engine_set_peer(struct vdp_ecp_engine *e, const uint8_t peer_mac[6])
{
	memcpy(e->cfg.peer_mac, peer_mac ? peer_mac : zero_mac, 6);
}

void vdp_ecp_engine_flush(struct vdp_ecp_engine *e, uint64_t now)
{
	/* Only the requests queued now: ones that tx_done adds survive. */
	unsigned n = e->tx_count;
	e->flushing = true;
	while (n--) {
		e->cnt.tx_flushed++;
		finish_head(e, VDP_ECP_TX_FLUSHED, now);
	}
	e->flushing = false;
	e->have_last = false;
	kick(e, now);
}

unsigned vdp_ecp_engine_tx_pending(const struct vdp_ecp_engine *e)
{
	return e->tx_count;
}

unsigned vdp_ecp_engine_rx_pending(const struct vdp_ecp_engine *e)
{
	return e->rx_count;
}

int vdp_ecp_engine_get_counters(const struct vdp_ecp_engine *e, struct vdp_ecp_engine_counters *out)
{
	return sized_out(out, &e->cnt, sizeof(e->cnt)) ? 0 : VDP_E_INVAL;
}
