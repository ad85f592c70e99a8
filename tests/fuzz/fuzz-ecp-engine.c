/* SPDX-License-Identifier: ISC */
/* libFuzzer target: the ECP engine (vdp/ecp_engine.h), the state machine
 * that sits on received frames.  The input is a script: each step is an
 * operation byte followed by its arguments (received frame, raw or built
 * from a few fields; ack of the request in flight; ULPDU to send; time
 * passing; recv; flush; new timers).  A model of the engine's documented
 * behaviour follows along, and every step is checked against it:
 *   - every frame the engine sends decodes, comes from our MAC, goes to the
 *     group address, has our subtype and is padded to 60 octets;
 *   - one request in flight at most; a request carries the oldest
 *     unreported ULPDU; a retransmission repeats its bytes exactly, no
 *     more than R times, and only once its deadline (10 us * 2^RTE after
 *     the last transmission) has passed;
 *   - tx_done reports every accepted ULPDU exactly once, in order: acked
 *     only on the matching ack, failed only after R retransmissions or on
 *     a flush;
 *   - a received request is acked (once) exactly when it is new and queued,
 *     or a repeat of the last accepted one; recv returns the queued ULPDUs
 *     in order; nothing acked is ever lost;
 *   - vdp_ecp_engine_input's verdict matches the frame (foreign, subtype,
 *     duplicate, oversize, queue full, ack, stray ack, decode error).
 */
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp_engine.h>

#include "fuzz-common.h"

#define TXQ_DEPTH 3
#define RXQ_DEPTH 3
#define MAXQ      16 /* model ring sizes, above both depths */

static const uint8_t local_mac[6] = {0x02, 0, 0, 0, 0x02, 0x02};
static const uint8_t peer_a[6] = {0x02, 0, 0, 0, 0x01, 0x01};
static const uint8_t peer_b[6] = {0x02, 0, 0, 0, 0x01, 0x02};
static const uint8_t other[6] = {0x02, 0, 0, 0, 0x09, 0x09};

/* --- input reader -------------------------------------------------------- */

static const uint8_t *in;
static size_t in_left;

static unsigned take8(void)
{
	if (!in_left)
		return 0;
	in_left--;
	return *in++;
}

static unsigned take16(void)
{
	return take8() << 8 | take8();
}

static size_t take_bytes(uint8_t *buf, size_t want)
{
	size_t n = want < in_left ? want : in_left;
	memcpy(buf, in, n);
	memset(buf + n, 0, want - n);
	in += n;
	in_left -= n;
	return want;
}

/* --- what the engine did during one step -------------------------------- */

struct sent {
	struct vdp_ecp_frame f;
	size_t len;
	uint8_t bytes[VDP_ECP_MAX_FRAME];
};
static struct sent sent[8];
static unsigned nsent;

struct done {
	uintptr_t cookie;
	bool acked;
};
static struct done done[MAXQ + 4];
static unsigned ndone;

static int cb_send(void *ctx, const uint8_t *frame, size_t len)
{
	FUZZ_CHECK(nsent < 8, "engine sent more than 8 frames in one step");
	FUZZ_CHECK(len <= VDP_ECP_MAX_FRAME && len >= VDP_ECP_MIN_FRAME, "sent a %zu-octet frame",
	           len);
	struct sent *s = &sent[nsent++];
	memcpy(s->bytes, frame, len);
	s->len = len;
	int rc = vdp_ecp_frame_decode(s->bytes, len, &s->f);
	FUZZ_CHECK(rc == (int)len, "engine sent a frame that does not decode: %d", rc);
	FUZZ_CHECK(memcmp(s->f.src, local_mac, 6) == 0, "sent from another MAC");
	FUZZ_CHECK(memcmp(s->f.dst, vdp_ecp_ncb_addr, 6) == 0, "sent to another MAC");
	FUZZ_CHECK(s->f.hdr.subtype == VDP_ECP_SUBTYPE_VDP, "sent subtype %u", s->f.hdr.subtype);
	/* A send error must be survivable: fail one in a few. */
	return (frame[len - 1] ^ frame[17]) == 0x5a ? -1 : 0;
}

static void cb_done(void *ctx, void *cookie, bool acked)
{
	FUZZ_CHECK(ndone < MAXQ + 4, "too many tx_done calls in one step");
	done[ndone].cookie = (uintptr_t)cookie;
	done[ndone].acked = acked;
	ndone++;
}

/* --- the model ----------------------------------------------------------- */

struct ulpdu {
	size_t len;
	uint8_t data[VDP_ECP_MAX_ULPDU + 8];
};

static struct {
	/* transmit */
	struct ulpdu txq[MAXQ]; /* accepted, not yet reported; head in flight */
	uintptr_t cookie[MAXQ];
	unsigned tx_head, tx_count;
	uintptr_t next_cookie;
	bool busy, sent_any;
	uint16_t out_seq, first_seq;
	unsigned retries, r, rte;
	uint64_t last_tx;
	struct sent inflight; /* the request frame, for retransmissions */
	/* receive */
	struct ulpdu rxq[MAXQ];
	unsigned rx_head, rx_count;
	bool have_last;
	uint16_t last_seq;
	uint8_t last_src[6];
	size_t last_len; /* the last accepted ULPDU: a repeat carries the same */
	uint8_t last_ulpdu[VDP_ECP_MAX_ULPDU];
	/* the last VDP_ECP_ENGINE_LATE_KEEP requests given up, whose ack
	 * arriving late is reported once (VDP_ECP_IN_LATE_ACK) */
	uint16_t late_seq[VDP_ECP_ENGINE_LATE_KEEP];
	bool late_used[VDP_ECP_ENGINE_LATE_KEEP];
	unsigned late_next;
} m;

/* A stray ack: of a request given up before (first time: a late ack), or
 * of nothing the engine remembers. */
static bool late_ack(uint16_t seq)
{
	for (unsigned i = 0; i < VDP_ECP_ENGINE_LATE_KEEP; i++)
		if (m.late_used[i] && m.late_seq[i] == seq) {
			m.late_used[i] = false;
			return true;
		}
	return false;
}

static uint64_t now;

static uint64_t timeout_ns(unsigned exp)
{
	return exp >= 51 ? UINT64_MAX : 10000ULL << exp;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The engine sent the frame sent[i] as a new request: check it carries the
 * head ULPDU and take it as the one in flight. */
static void expect_new_request(unsigned i)
{
	FUZZ_CHECK(i < nsent, "no request sent although one is queued and none in flight");
	const struct sent *s = &sent[i];
	const struct ulpdu *u = &m.txq[m.tx_head];
	FUZZ_CHECK(s->f.hdr.op == VDP_ECP_OP_REQUEST, "expected a request, got op %u", s->f.hdr.op);
	/* A new request must not look like a repeat of the previous one. */
	FUZZ_CHECK(m.sent_any ? s->f.hdr.seq != m.out_seq : s->f.hdr.seq == m.first_seq,
	           "new request has seq %u (previous %u, first_seq %u)", s->f.hdr.seq, m.out_seq,
	           m.first_seq);
	FUZZ_CHECK(s->f.ulpdu_len >= u->len && memcmp(s->f.ulpdu, u->data, u->len) == 0,
	           "request does not carry the oldest queued ULPDU");
	for (size_t k = u->len; k < s->f.ulpdu_len; k++)
		FUZZ_CHECK(s->f.ulpdu[k] == 0, "request padding is not zero");
	m.busy = m.sent_any = true;
	m.out_seq = s->f.hdr.seq;
	m.retries = 0;
	m.last_tx = now;
	m.inflight = *s;
}

/* After the head was reported: the next queued ULPDU (if any) goes out as
 * sent[i].  Returns the index of the next unexamined frame. */
static unsigned after_head_done(unsigned i, bool acked)
{
	FUZZ_CHECK(ndone >= 1, "head request not reported");
	FUZZ_CHECK(done[0].cookie == m.cookie[m.tx_head] && done[0].acked == acked,
	           "tx_done(%lu, %d), expected (%lu, %d)", (unsigned long)done[0].cookie,
	           done[0].acked, (unsigned long)m.cookie[m.tx_head], acked);
	m.tx_head = (m.tx_head + 1) % MAXQ;
	m.tx_count--;
	m.busy = false;
	if (m.tx_count) {
		expect_new_request(i);
		i++;
	}
	return i;
}

static void rx_expect(const struct vdp_ecp_frame *f)
{
	struct ulpdu *u = &m.rxq[(m.rx_head + m.rx_count) % MAXQ];
	u->len = f->ulpdu_len;
	memcpy(u->data, f->ulpdu, f->ulpdu_len);
	m.rx_count++;
}

static void expect_ack_sent(uint16_t seq)
{
	FUZZ_CHECK(nsent == 1, "%u frames sent in answer to a request, expected one ack", nsent);
	FUZZ_CHECK(sent[0].f.hdr.op == VDP_ECP_OP_ACK && sent[0].f.hdr.seq == seq,
	           "answer is op %u seq %u, expected an ack of %u", sent[0].f.hdr.op,
	           sent[0].f.hdr.seq, seq);
	FUZZ_CHECK(sent[0].f.ulpdu_len == VDP_ECP_MIN_FRAME - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN,
	           "ack is not a bare padded frame");
}

/* Feeds one frame and checks the verdict and the consequences. */
static void input(struct vdp_ecp_engine *e, const uint8_t *frame, size_t len)
{
	struct vdp_ecp_frame f;
	int dec = vdp_ecp_frame_decode(frame, len, &f);
	int rc = vdp_ecp_engine_input(e, frame, len, now);

	if (dec < 0) {
		FUZZ_CHECK(rc == dec, "input of an undecodable frame returned %d, decode %d", rc,
		           dec);
		FUZZ_CHECK(nsent == 0 && ndone == 0, "engine acted on an undecodable frame");
		return;
	}
	bool for_us = memcmp(f.dst, vdp_ecp_ncb_addr, 6) == 0 || memcmp(f.dst, local_mac, 6) == 0;
	if (!for_us || memcmp(f.src, local_mac, 6) == 0) {
		FUZZ_CHECK(rc == VDP_ECP_IN_FOREIGN, "foreign frame: verdict %d", rc);
		FUZZ_CHECK(nsent == 0 && ndone == 0, "engine acted on a foreign frame");
		return;
	}
	if (f.hdr.subtype != VDP_ECP_SUBTYPE_VDP) {
		FUZZ_CHECK(rc == VDP_ECP_IN_SUBTYPE, "subtype %u: verdict %d", f.hdr.subtype, rc);
		FUZZ_CHECK(nsent == 0 && ndone == 0, "engine acted on another subtype");
		return;
	}
	if (f.hdr.op == VDP_ECP_OP_ACK) {
		if (!m.busy || f.hdr.seq != m.out_seq) {
			int want = late_ack(f.hdr.seq) ? VDP_ECP_IN_LATE_ACK : VDP_ECP_IN_BAD_ACK;
			FUZZ_CHECK(rc == want, "stray ack of %u: verdict %d, expected %d",
			           f.hdr.seq, rc, want);
			FUZZ_CHECK(nsent == 0 && ndone == 0, "engine acted on a stray ack");
			return;
		}
		FUZZ_CHECK(rc == VDP_ECP_IN_ACK, "ack of the request in flight: verdict %d", rc);
		unsigned i = after_head_done(0, true);
		FUZZ_CHECK(i == nsent && ndone == 1, "ack: %u frames, %u reports", nsent, ndone);
		return;
	}
	bool dup = m.have_last && f.hdr.seq == m.last_seq && memcmp(f.src, m.last_src, 6) == 0 &&
	           f.ulpdu_len == m.last_len && memcmp(f.ulpdu, m.last_ulpdu, f.ulpdu_len) == 0;
	if (dup) {
		FUZZ_CHECK(rc == VDP_ECP_IN_DUPLICATE, "repeat of seq %u: verdict %d", f.hdr.seq,
		           rc);
		expect_ack_sent(f.hdr.seq);
	} else if (f.ulpdu_len > VDP_ECP_MAX_ULPDU) {
		FUZZ_CHECK(rc == VDP_ECP_IN_OVERSIZE, "%zu-octet ULPDU: verdict %d", f.ulpdu_len,
		           rc);
		FUZZ_CHECK(nsent == 0, "oversized request acked");
	} else if (m.rx_count == RXQ_DEPTH) {
		FUZZ_CHECK(rc == VDP_ECP_IN_QUEUE_FULL, "input queue full: verdict %d", rc);
		FUZZ_CHECK(nsent == 0, "request acked although the input queue is full");
	} else {
		FUZZ_CHECK(rc == VDP_ECP_IN_REQUEST, "new request: verdict %d", rc);
		expect_ack_sent(f.hdr.seq);
		rx_expect(&f);
		m.have_last = true;
		m.last_seq = f.hdr.seq;
		memcpy(m.last_src, f.src, 6);
		m.last_len = f.ulpdu_len;
		memcpy(m.last_ulpdu, f.ulpdu, f.ulpdu_len);
	}
	FUZZ_CHECK(ndone == 0, "a received request completed a transmission");
}

static size_t build_frame(uint8_t *buf, const uint8_t *dst, const uint8_t *src, unsigned op,
                          unsigned subtype, unsigned seq, const uint8_t *ulpdu, size_t ulen)
{
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	buf[12] = 0x89, buf[13] = 0x40;
	unsigned w = 1u << 12 | (op & 3) << 10 | (subtype & 0x3ff);
	buf[14] = (uint8_t)(w >> 8), buf[15] = (uint8_t)w;
	buf[16] = (uint8_t)(seq >> 8), buf[17] = (uint8_t)seq;
	if (ulen)
		memcpy(buf + 18, ulpdu, ulen);
	return 18 + ulen;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[VDP_ECP_MAX_FRAME + 64], ulpdu[VDP_ECP_MAX_ULPDU + 64],
	    buf[VDP_ECP_MAX_ULPDU];

	fuzz_set_input(data, size);
	in = data;
	in_left = size;
	memset(&m, 0, sizeof(m));
	now = 1000;
	m.r = take8() % 8;
	m.rte = take8() % 32;

	struct vdp_ecp_engine_cfg cfg = {
	    .size = sizeof(cfg),
	    .r = (uint8_t)m.r,
	    .rte = (uint8_t)m.rte,
	    .txq_depth = TXQ_DEPTH,
	    .rxq_depth = RXQ_DEPTH,
	    .fixed_seq = true,
	    .first_seq = (uint16_t)take16(),
	    .send = cb_send,
	    .tx_done = cb_done,
	};
	memcpy(cfg.local_mac, local_mac, 6);
	m.first_seq = cfg.first_seq;
	struct vdp_ecp_engine *e = vdp_ecp_engine_new(&cfg);
	FUZZ_CHECK(e != NULL, "vdp_ecp_engine_new failed");

	for (unsigned step = 0; in_left && step < 256; step++) {
		nsent = ndone = 0;
		unsigned op = take8() % 9;
		switch (op) {
		case 0: { /* a raw frame */
			size_t n = take8();
			take_bytes(frame, n);
			input(e, frame, n);
			break;
		}
		case 1: { /* a request built from a few choices */
			unsigned c = take8();
			const uint8_t *src = (c & 3) == 0   ? peer_a
			                     : (c & 3) == 1 ? peer_b
			                     : (c & 3) == 2 ? local_mac
			                                    : other;
			const uint8_t *dst = (c & 12) == 0   ? other
			                     : (c & 12) == 4 ? local_mac
			                                     : vdp_ecp_ncb_addr;
			unsigned subtype = (c & 16) ? 2 : 1;
			unsigned seq = (c & 32) ? m.last_seq : take16();
			size_t ulen = (c & 64) ? take16() % (VDP_ECP_MAX_ULPDU + 8) : take8() % 64;
			take_bytes(ulpdu, ulen);
			size_t n = build_frame(frame, dst, src, (c & 128) ? 1 : 0, subtype, seq,
			                       ulpdu, ulen);
			input(e, frame, n);
			break;
		}
		case 2: { /* the peer acks what is in flight (or a neighbour seq) */
			unsigned c = take8();
			unsigned seq = m.out_seq + (c % 3) - (c % 3 == 2 ? 3 : 0);
			size_t n = build_frame(frame, vdp_ecp_ncb_addr, peer_a, 1, 1, seq & 0xffff,
			                       NULL, 0);
			input(e, frame, n);
			break;
		}
		case 3: { /* the upper layer sends a ULPDU */
			unsigned c = take8();
			size_t ulen = (c & 1) ? take16() % (VDP_ECP_MAX_ULPDU + 8) : take8() % 64;
			take_bytes(ulpdu, ulen);
			uintptr_t cookie = ++m.next_cookie;
			bool was_busy = m.busy;
			int rc = vdp_ecp_engine_send(e, ulpdu, ulen, (void *)cookie, now);
			if (ulen > VDP_ECP_MAX_ULPDU) {
				FUZZ_CHECK(rc == VDP_E_INVAL, "oversized send returned %d", rc);
			} else if (m.tx_count == TXQ_DEPTH + 1) {
				FUZZ_CHECK(rc == VDP_E_NOSPACE, "send to a full queue returned %d",
				           rc);
			} else {
				FUZZ_CHECK(rc == 0, "send returned %d", rc);
				unsigned slot = (m.tx_head + m.tx_count) % MAXQ;
				m.txq[slot].len = ulen;
				memcpy(m.txq[slot].data, ulpdu, ulen);
				m.cookie[slot] = cookie;
				m.tx_count++;
				if (!was_busy) {
					expect_new_request(0);
					FUZZ_CHECK(nsent == 1, "send: %u frames", nsent);
					break;
				}
			}
			FUZZ_CHECK(nsent == 0 && ndone == 0,
			           "send acted while a request is in flight");
			break;
		}
		case 4: { /* time passes */
			unsigned c = take8();
			uint64_t deadline = vdp_ecp_engine_next_timeout(e);
			FUZZ_CHECK(m.busy ? deadline == add_sat(m.last_tx, timeout_ns(m.rte))
			                  : deadline == UINT64_MAX,
			           "next timeout %llu, expected %s", (unsigned long long)deadline,
			           m.busy ? "last transmission + 10 us * 2^RTE" : "none");
			if (c & 1 && m.busy && deadline != UINT64_MAX)
				now = add_sat(deadline > now ? deadline : now, c >> 1);
			else
				now = add_sat(now, (uint64_t)take16() << (c % 24));
			vdp_ecp_engine_timer(e, now);
			if (!m.busy || now < deadline) {
				FUZZ_CHECK(nsent == 0 && ndone == 0,
				           "timer acted before the deadline");
			} else if (m.retries < m.r) {
				FUZZ_CHECK(nsent == 1 && ndone == 0, "retransmission: %u frames",
				           nsent);
				FUZZ_CHECK(
				    sent[0].len == m.inflight.len &&
				        memcmp(sent[0].bytes, m.inflight.bytes, sent[0].len) == 0,
				    "retransmission differs from the original");
				m.retries++;
				m.last_tx = now;
			} else {
				m.late_seq[m.late_next] = m.out_seq;
				m.late_used[m.late_next] = true;
				m.late_next = (m.late_next + 1) % VDP_ECP_ENGINE_LATE_KEEP;
				unsigned i = after_head_done(0, false);
				FUZZ_CHECK(i == nsent && ndone == 1,
				           "failure: %u frames, %u reports", nsent, ndone);
			}
			break;
		}
		case 5: { /* the upper layer reads */
			size_t cap = take8() & 1 ? take16() % sizeof(buf) : sizeof(buf), len = 0;
			uint8_t src[6];
			int rc = vdp_ecp_engine_recv(e, buf, cap, &len, src);
			if (!m.rx_count) {
				FUZZ_CHECK(rc == 0, "recv on an empty queue returned %d", rc);
				break;
			}
			const struct ulpdu *u = &m.rxq[m.rx_head];
			FUZZ_CHECK(len == u->len, "recv length %zu, expected %zu", len, u->len);
			if (cap < u->len) {
				FUZZ_CHECK(rc == VDP_E_NOSPACE, "recv into a short buffer: %d", rc);
				break;
			}
			FUZZ_CHECK(rc == 1 && memcmp(buf, u->data, u->len) == 0,
			           "recv returned %d or other data than was acked", rc);
			m.rx_head = (m.rx_head + 1) % MAXQ;
			m.rx_count--;
			break;
		}
		case 6: { /* link change */
			unsigned n = m.tx_count;
			vdp_ecp_engine_flush(e, now);
			FUZZ_CHECK(ndone == n && nsent == 0, "flush of %u: %u reports, %u frames",
			           n, ndone, nsent);
			for (unsigned i = 0; i < n; i++) {
				FUZZ_CHECK(done[i].cookie == m.cookie[m.tx_head] && !done[i].acked,
				           "flush reported %lu/%d, expected %lu failed",
				           (unsigned long)done[i].cookie, done[i].acked,
				           (unsigned long)m.cookie[m.tx_head]);
				m.tx_head = (m.tx_head + 1) % MAXQ;
			}
			m.tx_count = 0;
			m.busy = false;
			m.have_last = false;
			break;
		}
		case 7: { /* EVB renegotiated */
			unsigned r = take8() % 10, rte = take8() % 34;
			int rc = vdp_ecp_engine_set_timers(e, r, rte);
			if (r > 7 || rte > 31) {
				FUZZ_CHECK(rc == VDP_E_INVAL, "set_timers(%u, %u) returned %d", r,
				           rte, rc);
			} else {
				FUZZ_CHECK(rc == 0, "set_timers(%u, %u) returned %d", r, rte, rc);
				m.r = r;
				m.rte = rte;
			}
			FUZZ_CHECK(nsent == 0 && ndone == 0, "set_timers acted");
			break;
		}
		case 8: { /* the peer retransmits its last request, or (a restarted
			   * peer) reuses its number for a new one */
			if (!m.have_last)
				break;
			size_t ulen;
			if (take8() & 1) {
				ulen = take8() % 64;
				take_bytes(ulpdu, ulen);
			} else {
				ulen = m.last_len;
				memcpy(ulpdu, m.last_ulpdu, ulen);
			}
			size_t n = build_frame(frame, vdp_ecp_ncb_addr, m.last_src, 0, 1,
			                       m.last_seq, ulpdu, ulen);
			input(e, frame, n);
			break;
		}
		}
		FUZZ_CHECK(vdp_ecp_engine_tx_pending(e) == m.tx_count, "tx_pending %u, model %u",
		           vdp_ecp_engine_tx_pending(e), m.tx_count);
		FUZZ_CHECK(vdp_ecp_engine_rx_pending(e) == m.rx_count, "rx_pending %u, model %u",
		           vdp_ecp_engine_rx_pending(e), m.rx_count);
	}

	/* Every accepted ULPDU is reported exactly once. */
	nsent = ndone = 0;
	unsigned n = m.tx_count;
	vdp_ecp_engine_flush(e, now);
	FUZZ_CHECK(ndone == n, "final flush reported %u of %u", ndone, n);
	vdp_ecp_engine_free(e);
	return 0;
}
