/* SPDX-License-Identifier: ISC */
/* libvdp station: exchanges, and what the station does when frames are
 * lost.
 *
 * An exchange is one request TLV and the bridge's answer to it.  A request
 * that ECP could not deliver (no ack after the first try and R
 * retransmissions) or that the bridge acknowledged but did not answer is
 * not an answer: the bridge may have acted on it (the request arrived, the
 * ack or the response was lost, or came late from a busy bridge).  So the
 * exchange goes on:
 *   - after a request without ECP ack, the same request is sent again as a
 *     new ECP PDU after a backoff of (R + 1) x 10 us x 2^RTE (one request's
 *     worth of ECP tries: 10.24 ms with the default timers), doubling with
 *     every unacknowledged request, at most a quarter of the response wait;
 *   - after an acknowledged request without answer for a quarter of the
 *     response wait (3.9 s by default), it is sent again at once;
 *   - any answer, to any of the requests, decides (the requests are the
 *     same, and VDP requests are idempotent at the bridge), and so does an
 *     ECP ack that comes after ECP gave up (the bridge was slow, not
 *     absent): the answer is then awaited as after a normal ack;
 *   - the station gives up once the response wait, 1.5 x ((2R + 1) x 2^RTE
 *     + 2^RWD) x 10 us (15.8 s by default: what the standard gives a bridge
 *     to answer), has passed since the first request went out and an
 *     attempt ends, or ST_ATTEMPTS_MAX requests have gone out and the
 *     response wait has passed.  An exchange therefore ends at most 1.25
 *     response waits after its first transmission, and a request the
 *     bridge may hold is repeated at least every quarter response wait,
 *     well within the bridge's keepalive timeout.
 * What happens to a given-up request (a De-Associate for an Associate, an
 * event for a keepalive) is the task's business (station_task.c,
 * station_keep.c).
 *
 * Ordering: each link's ECP engine sends one request at a time, in the
 * order they were queued, and the bridge reads them in that order; a
 * request sent again goes behind what was queued meanwhile, and a VM's
 * next task starts only after this one's exchange ended, so the bridge
 * never sees a VM's requests out of call order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station_int.h"

/* --- the timers of the retry policy ----------------------------------------- */

static uint64_t response_wait(const struct vdp_station *st, const struct st_xchg *x)
{
	return st_response_wait_ns(&st->links[x->link]->use);
}

/* An acknowledged request's answer is awaited this long. */
static uint64_t answer_window(const struct vdp_station *st, const struct st_xchg *x)
{
	return (response_wait(st, x) + 3) / 4; /* four windows reach the response wait */
}

/* The wait before sending again after the n-th request without ECP ack. */
static uint64_t backoff(const struct vdp_station *st, const struct st_xchg *x, unsigned n)
{
	const struct vdp_timers *t = &st->links[x->link]->use;
	uint64_t b = (t->r + 1ull) * vdp_ecp_timeout_ns(t->rte), cap = answer_window(st, x);
	for (unsigned i = 1; i < n && b < cap; i++)
		b *= 2;
	return b < cap ? b : cap;
}

/* The response wait after the first transmission; for a keepalive also
 * halfway between its due time and the bridge's keepalive timeout after
 * the bridge last confirmed the request, so that the station reports
 * (and re-associates) before the bridge may time the VM out. */
static uint64_t give_up_at(const struct vdp_station *st, const struct st_xchg *x, uint64_t now)
{
	uint64_t end = (x->first_tx ? x->first_tx : now) + response_wait(st, x);
	if (x->kind == XK_KEEPALIVE && x->confirmed) {
		const struct vdp_timers *t = &st->links[x->link]->use;
		uint64_t k = x->confirmed + (st_keepalive_ns(t) + st_bridge_keepalive_ns(t)) / 2;
		end = k < end ? k : end;
	}
	return end;
}

const char *st_dur(uint64_t ns, char *buf, size_t cap)
{
	if (ns >= 1000000000ull)
		snprintf(buf, cap, "%.3g s", (double)ns / 1e9);
	else if (ns >= 1000000ull)
		snprintf(buf, cap, "%.3g ms", (double)ns / 1e6);
	else
		snprintf(buf, cap, "%.3g us", (double)ns / 1e3);
	return buf;
}

/* --- exchanges ----------------------------------------------------------------- */

static struct st_xchg *xchg_new(struct vdp_station *st, unsigned link, enum st_xkind kind,
                                uint8_t type)
{
	struct st_xchg *x = calloc(1, sizeof(*x));
	if (!x) {
		st_fail(st, -ENOMEM, "out of memory");
		return NULL;
	}
	x->id = st->next_xid++;
	if (st->next_xid == 0)
		st->next_xid = 1;
	x->kind = kind;
	x->link = link;
	x->type = type;
	x->wait = XW_ECP;
	x->deadline = UINT64_MAX;
	TAILQ_INSERT_TAIL(&st->xchgs, x, entry);
	return x;
}

struct st_xchg *st_xchg_find(const struct vdp_station *st, uint32_t id)
{
	struct st_xchg *x;
	TAILQ_FOREACH(x, &st->xchgs, entry)
	if (x->id == id)
		return x;
	return NULL;
}

struct st_xchg *st_xchg_match(const struct vdp_station *st, unsigned link, uint8_t type,
                              uint32_t vnid, uint8_t fmt, const uint8_t *vsiid)
{
	struct st_xchg *x;
	TAILQ_FOREACH(x, &st->xchgs, entry)
	{
		if (x->link != link || x->type != type)
			continue;
		if (vsiid ? (x->fmt == fmt && memcmp(x->vsiid, vsiid, VDP_VSIID_LEN) == 0)
		          : x->vnid == vnid)
			return x;
	}
	return NULL;
}

void st_xchg_drop(struct vdp_station *st, struct st_xchg *x)
{
	TAILQ_REMOVE(&st->xchgs, x, entry);
	free(x);
}

/* Hands the request to ECP once more; -errno when its queue is full. */
static int send_request(struct vdp_station *st, struct st_xchg *x)
{
	struct st_link *l = st->links[x->link];
	int rc = st_ecp_send(st, l, x->pdu, x->len, x->id);
	if (rc < 0)
		return rc;
	if (x->attempts++)
		l->resends++;
	else
		x->queued = st_now(st);
	x->in_ecp++;
	x->wait = XW_ECP;
	x->deadline = UINT64_MAX;
	return 0;
}

static struct st_xchg *first_send(struct vdp_station *st, struct st_xchg *x, const uint8_t *pdu,
                                  int len)
{
	if (len < 0) {
		st_fail(st, -EINVAL, "cannot encode the %s request: %s", vdp_tlv_type_name(x->type),
		        vdp_strerror(len));
		st_xchg_drop(st, x);
		return NULL;
	}
	x->len = (size_t)len;
	memcpy(x->pdu, pdu, x->len);
	if (send_request(st, x) < 0) {
		st_xchg_drop(st, x);
		return NULL;
	}
	return x;
}

struct st_xchg *st_send_vsi(struct vdp_station *st, unsigned link, enum st_xkind kind,
                            const struct st_vm *vm, uint8_t type, uint8_t status, uint16_t vid)
{
	struct vdp_vsi v; /* 4 KiB: the station may run in any thread */
	uint8_t pdu[VDP_ECP_MAX_ULPDU];
	struct st_xchg *x = xchg_new(st, link, kind, type);
	if (!x)
		return NULL;
	x->vnid = vm->vm.vnid;
	x->fmt = vm->vm.vsiid_fmt;
	memcpy(x->vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
	memset(&v, 0, sizeof(v));
	v.type = type;
	v.status = status;
	v.type_id = vm->vm.vnid & 0xffffff;
	v.type_ver = (uint8_t)(vm->vm.vnid >> 24);
	v.vsiid_fmt = vm->vm.vsiid_fmt;
	memcpy(v.vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
	v.filter_fmt = VDP_FILTER_MAC_VID;
	v.nfilters = 1;
	memcpy(v.filters[0].mac, vm->vm.mac, 6);
	v.filters[0].vid = vid;
	return first_send(st, x, pdu, st_pdu_vsi(&st->mgrid, &v, pdu, sizeof(pdu)));
}

struct st_xchg *st_send_policy(struct vdp_station *st, unsigned link, const struct st_net *n,
                               uint8_t type)
{
	struct vdp_policy p;
	uint8_t pdu[VDP_ECP_MAX_ULPDU];
	struct st_xchg *x = xchg_new(st, link, XK_TASK, type);
	if (!x)
		return NULL;
	x->vnid = n->vnid;
	p = n->policy;
	p.type = type;
	p.status = 0;
	p.vnid = n->vnid;
	p.nskipped = 0;
	if (type == VDP_TLV_POLICY_REMOVE)
		p.nentries = 0; /* the VNID alone names the list (vdp-protocol(7)) */
	return first_send(st, x, pdu, st_pdu_policy(&st->mgrid, &p, pdu, sizeof(pdu)));
}

/* --- what happened, in words ---------------------------------------------------- */

static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t cap, size_t *o, const char *fmt, ...)
{
	va_list ap;
	if (*o >= cap)
		return;
	if (*o && *o + 2 < cap) {
		memcpy(buf + *o, "; ", 3);
		*o += 2;
	}
	va_start(ap, fmt);
	int n = vsnprintf(buf + *o, cap - *o, fmt, ap);
	va_end(ap);
	if (n > 0)
		*o += (size_t)n;
}

/* The facts of an exchange's lost frames: "" when there were none. */
static void story(const struct vdp_station *st, const struct st_xchg *x, uint64_t now,
                  bool answered, char *buf, size_t cap)
{
	char a[24], b[24];
	size_t o = 0;
	buf[0] = 0;
	/* Behind other requests on a busy link, longer than one ack timeout. */
	const struct vdp_timers *t = &st->links[x->link]->use;
	if (x->first_tx > x->queued + vdp_ecp_timeout_ns(t->rte))
		put(buf, cap, &o, "queued %s behind other requests",
		    st_dur(x->first_tx - x->queued, a, sizeof(a)));
	if (x->noacks == 1)
		put(buf, cap, &o, "no ECP ack after %u tries of %s", x->noack_tries,
		    st_dur(x->ack_timeout, a, sizeof(a)));
	else if (x->noacks > 1)
		put(buf, cap, &o, "%u requests without ECP ack (%u tries of %s each)", x->noacks,
		    x->noack_tries, st_dur(x->ack_timeout, a, sizeof(a)));
	if (x->late_acks)
		put(buf, cap, &o, "an ECP ack came %s after ECP gave up",
		    st_dur(x->late_by, a, sizeof(a)));
	if (x->timeouts)
		put(buf, cap, &o, "%u acknowledged but not answered within %s", x->timeouts,
		    st_dur(answer_window(st, x), a, sizeof(a)));
	if (answered && x->noacks && x->last_noack)
		put(buf, cap, &o, "the switch answered %s later",
		    st_dur(now - x->last_noack, a, sizeof(a)));
	else if (answered && x->attempts > 1)
		put(buf, cap, &o, "the switch answered request %u", x->attempts);
	if (!answered)
		put(buf, cap, &o, "gave up after %u requests in %s", x->attempts,
		    st_dur(x->first_tx && now > x->first_tx ? now - x->first_tx : 0, b, sizeof(b)));
	if (!answered && x->kind == XK_KEEPALIVE && x->confirmed && now > x->confirmed)
		put(buf, cap, &o, "the switch last confirmed the VM %s ago",
		    st_dur(now - x->confirmed, a, sizeof(a)));
}

static void complete(struct vdp_station *st, struct st_xchg *x, struct st_reply *r, bool answered)
{
	char detail[ST_DETAIL_LEN];
	uint64_t now = st_now(st);
	story(st, x, now, answered, detail, sizeof(detail));
	r->resends = x->attempts ? x->attempts - 1 : 0;
	r->retransmits = x->retransmits;
	r->detail = detail;
	st_xchg_done(st, x, r);
}

void st_xchg_answer(struct vdp_station *st, struct st_xchg *x, struct st_reply *r)
{
	complete(st, x, r, true);
}

static void give_up(struct vdp_station *st, struct st_xchg *x)
{
	struct st_reply r = {.status = x->acked ? VDP_RESULT_TIMEOUT : VDP_RESULT_NO_ACK,
	                     .code = VDP_ST_OTHER_FAILURE,
	                     .text = x->acked ? "acknowledged, but never answered"
	                                      : "never acknowledged"};
	st->links[x->link]->given_up++;
	complete(st, x, &r, false);
}

/* --- the retry policy ------------------------------------------------------------ */

/* A request ended without answer (after_ack: acknowledged and unanswered
 * for the window; else ECP gave up): send again, wait, or give up. */
static void next_step(struct vdp_station *st, struct st_xchg *x, uint64_t now, bool after_ack)
{
	uint64_t end = give_up_at(st, x, now);
	if (now >= end)
		return give_up(st, x);
	if (x->attempts >= ST_ATTEMPTS_MAX) {
		x->wait = XW_LINGER;
		x->deadline = end;
		return;
	}
	if (after_ack && send_request(st, x) == 0)
		return;
	uint64_t d = now + backoff(st, x, x->noacks ? x->noacks : 1);
	x->wait = XW_BACKOFF;
	x->deadline = d < end ? d : end;
}

void st_xchg_ecp(struct vdp_station *st, struct st_link *l, const struct vdp_ecp_tx_report *r)
{
	uint64_t now = r->when;
	if (r->fate == VDP_ECP_TX_LATE_ACK)
		l->late_acks++;
	struct st_xchg *x = st_xchg_find(st, (uint32_t)(uintptr_t)r->cookie);
	if (!x)
		return; /* answered already, or abandoned */
	if (!x->first_tx && r->first_tx)
		x->first_tx = r->first_tx;
	if (r->fate != VDP_ECP_TX_LATE_ACK) {
		x->in_ecp--;
		x->retransmits += r->tries ? r->tries - 1 : 0;
	}
	if (r->fate == VDP_ECP_TX_ACKED || r->fate == VDP_ECP_TX_LATE_ACK) {
		if (r->fate == VDP_ECP_TX_LATE_ACK) {
			x->late_acks++;
			x->late_by = now - r->gave_up;
		}
		x->acked = true;
		if (x->kind == XK_KEEPALIVE)
			x->confirmed = now; /* received: the bridge's timer restarted */
		if (x->wait != XW_ANSWER) {
			uint64_t end = give_up_at(st, x, now), d = now + answer_window(st, x);
			x->wait = XW_ANSWER;
			x->deadline = end > now && end < d ? end : d;
		}
		return;
	}
	x->noacks++;
	x->noack_tries = r->tries;
	x->ack_timeout = r->timeout_ns;
	x->last_noack = now;
	if (x->wait == XW_ECP && x->in_ecp == 0)
		next_step(st, x, now, false);
}

void st_timeouts(struct vdp_station *st, uint64_t now)
{
	struct st_xchg *x, *next;
	for (x = TAILQ_FIRST(&st->xchgs); x; x = next) {
		next = TAILQ_NEXT(x, entry);
		if (x->wait == XW_ECP || x->deadline > now)
			continue;
		switch (x->wait) {
		case XW_ANSWER:
			x->timeouts++;
			next_step(st, x, now, true);
			break;
		case XW_BACKOFF:
			if (now >= give_up_at(st, x, now))
				give_up(st, x);
			else if (send_request(st, x) < 0)
				x->deadline = now + backoff(st, x, 1);
			break;
		case XW_LINGER:
		case XW_ECP:
			give_up(st, x);
			break;
		}
		/* A completion may have dropped or added others. */
		next = TAILQ_FIRST(&st->xchgs);
	}
}

uint64_t st_xchg_deadline(const struct vdp_station *st)
{
	uint64_t d = UINT64_MAX;
	const struct st_xchg *x;
	TAILQ_FOREACH(x, &st->xchgs, entry)
	if (x->wait != XW_ECP && x->deadline < d)
		d = x->deadline;
	return d;
}
