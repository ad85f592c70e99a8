/* SPDX-License-Identifier: ISC */
/* libvdp: the ECP engine (IEEE 802.1Qbg-2012 clause 43), one per port/link.
 *
 * A pure state machine in liblldpctl's style: it does no I/O and keeps no
 * clock.  The caller hands it received frames, upper-layer PDUs and the time
 * (monotonic nanoseconds); the engine asks the caller to send whole Ethernet
 * frames through cfg.send and says when it next wants to be woken through
 * vdp_ecp_engine_next_timeout().  vdpd drives it from libev, libvdp's station role
 * from whatever loop the hypervisor runs.
 *
 * Behaviour (the standard, plus fixes for what lldpad gets wrong):
 * - Stop-and-wait per direction: one unacknowledged request in flight; later
 *   ULPDUs wait in a bounded FIFO.  A full FIFO is an error returned to the
 *   caller and counted, never a silent drop.
 * - The ack timeout is 10 us * 2^RTE; a request is retransmitted up to R
 *   times, then reported failed through cfg.tx_done with its cookie (lldpad
 *   never tells its upper layer).  Acked requests are reported too.
 *   cfg.tx_report says more: how many tries, when, and an ack that arrives
 *   for a request already given up (the peer was slow, not absent): the
 *   engine remembers the last VDP_ECP_ENGINE_LATE_KEEP given-up requests.
 * - A new request is acked only once it is safely in the bounded input queue;
 *   if that queue is full it is not acked, so the peer retransmits (lldpad
 *   acks and then overwrites its single buffer).  A repeat of the last
 *   accepted sequence number is acked again but not queued twice.
 *
 * Duplicate detection remembers the last accepted sequence number, source
 * and a fingerprint of its ULPDU: a repeat must match all three, so that a
 * restarted peer reusing a number is not mistaken for a retransmission.
 * A link that delivered a stale retransmission after the peer's next
 * request would defeat it; Ethernet links do not reorder.
 *
 * Rules for the caller: after every call into the engine, re-read
 * vdp_ecp_engine_next_timeout() and re-arm the wake-up.  Callbacks may call
 * vdp_ecp_engine_send(), but must not free the engine.  All calls for one engine
 * come from one thread.
 */
#ifndef VDP_ECP_ENGINE_H
#define VDP_ECP_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/ecp.h>
#include <vdp/error.h>
#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDP_ECP_ENGINE_DEFAULT_DEPTH 32       /* txq_depth / rxq_depth when 0 */
#define VDP_ECP_ENGINE_MAX_R         7        /* R is a 3-bit field in the EVB TLV */
#define VDP_ECP_ENGINE_MAX_RTE       31       /* RTE is a 5-bit field */
#define VDP_ECP_TIMER_UNIT_NS        10000ULL /* 802.1Qbg timers count 10 us * 2^exp */

#define VDP_ECP_ENGINE_LATE_KEEP 8 /* given-up requests remembered */

/* Frames are at most this long: Ethernet and ECP headers plus a full ULPDU. */
#define VDP_ECP_MAX_FRAME (VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU)

/* 10 us * 2^exp in nanoseconds (saturating): the ECP ack timeout for
 * exp = RTE, and the unit of VDP's RWD/RKA timers. */
VDP_API uint64_t vdp_ecp_timeout_ns(unsigned exp);

/* What became of a request (cfg.tx_report). */
enum vdp_ecp_tx_fate {
	VDP_ECP_TX_ACKED = 0, /* acknowledged */
	VDP_ECP_TX_GAVE_UP,   /* no ack after the first try and R retransmissions */
	VDP_ECP_TX_FLUSHED,   /* failed by vdp_ecp_engine_flush() */
	VDP_ECP_TX_LATE_ACK,  /* an ack for a request reported GAVE_UP before */
};

/* Growable (libvdp(3)): in the callback, size is libvdp's sizeof; see
 * VDP_HAS_FIELD().  Times are the caller's monotonic ns. */
struct vdp_ecp_tx_report {
	size_t size;
	void *cookie; /* as queued */
	enum vdp_ecp_tx_fate fate;
	uint16_t seq;        /* its ECP sequence number */
	unsigned tries;      /* transmissions: the first and the retransmissions */
	uint64_t timeout_ns; /* the ack timeout of each try (10 us * 2^RTE) */
	uint64_t first_tx;   /* when it was first transmitted (0: never, FLUSHED) */
	uint64_t last_tx;    /* when it was last transmitted */
	uint64_t gave_up;    /* LATE_ACK: when it was given up; else 0 */
	uint64_t when;       /* now: the ack's arrival, the give-up, the flush */
};

/* Growable (libvdp(3)): set size to sizeof(struct vdp_ecp_engine_cfg);
 * fields past the caller's size count as zero. */
struct vdp_ecp_engine_cfg {
	size_t size;
	uint8_t local_mac[6]; /* source of every frame sent */
	/* Destination of every frame sent; all zeroes means the
	 * nearest-customer-bridge group address (vdp_ecp_ncb_addr). */
	uint8_t peer_mac[6];
	uint8_t r;          /* max retransmissions, 0..7 (EVB negotiated) */
	uint8_t rte;        /* retransmission exponent, 0..31 */
	uint16_t subtype;   /* ECP subtype handled; 0 means VDP_ECP_SUBTYPE_VDP */
	unsigned txq_depth; /* ULPDUs that may wait behind the one in flight */
	unsigned rxq_depth; /* received ULPDUs awaiting the upper layer */
	/* The first request's sequence number is first_seq when fixed_seq is
	 * set, else random, so that a restarted sender is not taken for a
	 * duplicate of its previous life's last request. */
	bool fixed_seq;
	uint16_t first_seq;

	/* Required: put one whole frame on the wire.  A negative return is
	 * counted (tx_send_errors) and treated as a lost frame: a request is
	 * retransmitted on its timer, an ack is re-sent when the peer
	 * retransmits.  Must not call back into the engine. */
	int (*send)(void *ctx, const uint8_t *frame, size_t len);
	/* Optional: the request queued with `cookie` was acked (acked = true)
	 * or given up after R retransmissions or a flush (acked = false). */
	void (*tx_done)(void *ctx, void *cookie, bool acked);
	/* Optional, used by vdp_ecp_engine_deliver(): hand one received ULPDU to
	 * the upper layer.  Return 0 once it is consumed, non-zero if the upper
	 * layer is busy: the ULPDU then stays at the head of the input queue. */
	int (*deliver)(void *ctx, const uint8_t *ulpdu, size_t len, const uint8_t src[6]);
	void *ctx; /* passed to the callbacks */
	/* Optional: what became of a request, with the facts (struct
	 * vdp_ecp_tx_report); called after tx_done for the same event, and
	 * alone for VDP_ECP_TX_LATE_ACK.  The same rules as tx_done. */
	void (*tx_report)(void *ctx, const struct vdp_ecp_tx_report *r);
};

/* Growable (libvdp(3)): set size before vdp_ecp_engine_get_counters().
 * rx_bad_acks does not count late acks (rx_late_acks does). */
struct vdp_ecp_engine_counters {
	size_t size;
	uint64_t tx_requests;           /* requests sent for the first time */
	uint64_t tx_retransmits;        /* repeats after an ack timeout */
	uint64_t tx_failures;           /* requests given up after R retransmissions */
	uint64_t tx_flushed;            /* requests failed by vdp_ecp_engine_flush() */
	uint64_t tx_acks;               /* acks sent, including repeats for duplicates */
	uint64_t tx_queue_full;         /* vdp_ecp_engine_send() refused: send queue full */
	uint64_t tx_send_errors;        /* cfg.send returned an error */
	uint64_t rx_requests;           /* new requests acked and queued */
	uint64_t rx_duplicates;         /* repeats of the last accepted request */
	uint64_t rx_queue_full;         /* new requests not acked: input queue full */
	uint64_t rx_oversize;           /* requests whose ULPDU exceeds VDP_ECP_MAX_ULPDU */
	uint64_t rx_acks;               /* acks of the outstanding request */
	uint64_t rx_bad_acks;           /* acks when nothing or another seq is outstanding */
	uint64_t rx_subtype;            /* well-formed frames of another ECP subtype */
	uint64_t rx_foreign;            /* frames for another MAC, or our own looped back */
	uint64_t rx_errors;             /* frames that failed to decode, in total */
	uint64_t rx_error[VDP_E_SLOTS]; /* ... and by code, indexed by -vdp_err */
	uint64_t rx_late_acks;          /* acks of a request given up before */
};

/* What vdp_ecp_engine_input() did with a well-formed frame. */
enum vdp_ecp_input {
	VDP_ECP_IN_REQUEST = 0, /* new request: acked, queued for the upper layer */
	VDP_ECP_IN_DUPLICATE,   /* repeat of the last accepted request: acked again */
	VDP_ECP_IN_QUEUE_FULL,  /* new request dropped unacked; the peer will retry */
	VDP_ECP_IN_OVERSIZE,    /* request too long to keep; dropped unacked */
	VDP_ECP_IN_ACK,         /* ack of the outstanding request: tx_done called */
	VDP_ECP_IN_BAD_ACK,     /* stray or stale ack, ignored */
	VDP_ECP_IN_SUBTYPE,     /* another ECP subtype, ignored */
	VDP_ECP_IN_FOREIGN,     /* not addressed to us, or sent by us; ignored */
	VDP_ECP_IN_LATE_ACK,    /* ack of a request given up before: tx_report called */
};

struct vdp_ecp_engine;

/* Allocates the engine and its queues (the only allocation it ever makes).
 * Returns NULL with errno EINVAL for a bad configuration (size not set, no
 * send callback, r or rte out of range) or ENOMEM. */
VDP_API struct vdp_ecp_engine *vdp_ecp_engine_new(const struct vdp_ecp_engine_cfg *cfg);
/* Frees the engine; queued requests are dropped without callbacks (call
 * vdp_ecp_engine_flush() first to report them). */
VDP_API void vdp_ecp_engine_free(struct vdp_ecp_engine *e);

/* Queues one ULPDU (copied) and, if nothing is in flight, sends it now.
 * Returns 0, VDP_E_INVAL if len > VDP_ECP_MAX_ULPDU, or VDP_E_NOSPACE if the send
 * queue is full (counted in tx_queue_full; the ULPDU is not taken). */
VDP_API int vdp_ecp_engine_send(struct vdp_ecp_engine *e, const uint8_t *ulpdu, size_t len,
                                void *cookie, uint64_t now);

/* Processes one received Ethernet frame.  Returns an enum vdp_ecp_input, or the
 * negative vdp_err from vdp_ecp_frame_decode() (counted in rx_error[]). */
VDP_API int vdp_ecp_engine_input(struct vdp_ecp_engine *e, const uint8_t *frame, size_t len,
                                 uint64_t now);

/* Pops the oldest received ULPDU into buf.  Returns 1 and sets *len and src
 * (src may be NULL), 0 if the input queue is empty, or VDP_E_NOSPACE if cap
 * is too small (*len says how much is needed; the ULPDU stays queued).
 * A padded request's ULPDU includes its zero padding. */
VDP_API int vdp_ecp_engine_recv(struct vdp_ecp_engine *e, uint8_t *buf, size_t cap, size_t *len,
                                uint8_t src[6]);
/* Hands queued ULPDUs to cfg.deliver, oldest first, until the queue is
 * empty or deliver reports busy.  Returns how many were consumed. */
VDP_API unsigned vdp_ecp_engine_deliver(struct vdp_ecp_engine *e);

/* Absolute deadline (the caller's monotonic ns) of the pending ack timeout,
 * UINT64_MAX when nothing is in flight. */
VDP_API uint64_t vdp_ecp_engine_next_timeout(const struct vdp_ecp_engine *e);
/* Handles an expired ack timeout (does nothing before the deadline):
 * retransmits, or reports failure and starts the next queued request. */
VDP_API void vdp_ecp_engine_timer(struct vdp_ecp_engine *e, uint64_t now);

/* Changes R and RTE, e.g. after EVB negotiation.  The request in flight
 * keeps its retransmission count; its deadline becomes its last
 * transmission time plus the new timeout (possibly already past: the next
 * vdp_ecp_engine_timer() call handles it).  Returns 0 or VDP_E_INVAL (nothing
 * changed) if r > 7 or rte > 31. */
VDP_API int vdp_ecp_engine_set_timers(struct vdp_ecp_engine *e, unsigned r, unsigned rte);
/* Changes the destination of frames built from now on (all zeroes: the
 * NCB group address); the request in flight is retransmitted unchanged. */
VDP_API void vdp_ecp_engine_set_peer(struct vdp_ecp_engine *e, const uint8_t peer_mac[6]);

/* Fails every queued request, the one in flight included, with
 * tx_done(cookie, false), oldest first (e.g. when the link goes down).
 * ULPDUs that tx_done queues meanwhile are kept and the first is sent at
 * `now`.  Also forgets the peer's last sequence number, since after a link
 * change the next request must not be mistaken for a duplicate. */
VDP_API void vdp_ecp_engine_flush(struct vdp_ecp_engine *e, uint64_t now);

/* Requests queued, the one in flight included; ULPDUs awaiting recv. */
VDP_API unsigned vdp_ecp_engine_tx_pending(const struct vdp_ecp_engine *e);
VDP_API unsigned vdp_ecp_engine_rx_pending(const struct vdp_ecp_engine *e);

/* Copies the counters into *out, as far as out->size reaches.  Returns 0,
 * or VDP_E_INVAL when out->size is not set. */
VDP_API int vdp_ecp_engine_get_counters(const struct vdp_ecp_engine *e,
                                        struct vdp_ecp_engine_counters *out);

#ifdef __cplusplus
}
#endif

#endif
