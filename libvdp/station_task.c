/* SPDX-License-Identifier: ISC */
/* libvdp station: operations, their per-link tasks, and the exchanges they
 * send (see station_int.h for the three layers).
 *
 * Ordering rules, which keep the switch's view and ours the same:
 * - a VM's tasks on one link run one after the other, in call order (a
 *   remove issued while the create is still waiting for its response goes
 *   out after that response);
 * - a network has at most one Policy Sync or Policy Remove in flight per
 *   link; a task that needs the policy on the switch waits for it, and a
 *   failed Policy Sync fails every task that waited for it;
 * - a task that starts on a VM abandons that VM's keepalive in flight (its
 *   late answer is then simply unmatched).
 * Whether a leaving VM was its network's last on a link is decided when
 * its De-Associate has been answered, not when it was called: a VM created
 * meanwhile keeps the policy on the switch.
 *
 * A task ends on an answer, or when its exchange is given up
 * (station_xchg.c).  A given-up Associate or Pre-Associate may have been
 * programmed by the bridge all the same, so the station follows it with a
 * De-Associate of its own (TK_UNDO, itself retried the same way), and a
 * given-up Policy Sync with a Policy Remove: the bridge is left holding
 * nothing the station does not know about.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "station_int.h"

/* --- ops ----------------------------------------------------------------- */

struct st_op *st_op_new(struct vdp_station *st, enum vdp_op_kind kind)
{
	struct st_op *op = calloc(1, sizeof(*op));
	if (!op)
		return NULL;
	op->id = st->next_op++;
	if (st->next_op == 0)
		st->next_op = 1;
	op->kind = kind;
	TAILQ_INSERT_TAIL(&st->ops, op, entry);
	return op;
}

static bool vm_referenced(const struct vdp_station *st, const struct st_vm *vm)
{
	const struct st_task *t;
	TAILQ_FOREACH(t, &st->tasks, entry)
	if (t->vm == vm)
		return true;
	const struct st_op *op;
	TAILQ_FOREACH(op, &st->ops, entry)
	if (op->vm == vm)
		return true;
	return false;
}

static void vm_maybe_free(struct vdp_station *st, struct st_vm *vm)
{
	if (!vm || !vm->gone || vm_referenced(st, vm))
		return;
	TAILQ_REMOVE(&st->vms, vm, entry);
	free(vm);
}

static void op_done(struct vdp_station *st, struct st_op *op)
{
	TAILQ_REMOVE(&st->ops, op, entry);
	/* A new VM that no switch accepted is forgotten, so that the call
	 * can simply be repeated; one accepted somewhere is kept. */
	if (op->vm) {
		bool any_ok = false;
		for (unsigned i = 0; i < op->nres; i++)
			any_ok |= op->res[i].status == VDP_RESULT_OK;
		if (!any_ok)
			op->vm->gone = true;
		op->vm = NULL; /* task_finish() frees it once nothing refers to it */
	}
	if (op->net) {
		TAILQ_REMOVE(&st->nets, op->net, entry);
		free(op->net);
		op->net = NULL;
	}
	TAILQ_INSERT_TAIL(&st->done, op, entry);
	if (++st->ndone > ST_DONE_KEEP) {
		struct st_op *old = TAILQ_FIRST(&st->done);
		TAILQ_REMOVE(&st->done, old, entry);
		free(old);
		st->ndone--;
	}
}

void st_op_finish_empty(struct vdp_station *st, struct st_op *op, uint32_t vnid, const char *text)
{
	struct vdp_station_result *r = &op->res[op->nres++];
	memset(r, 0, sizeof(*r));
	r->op = op->id;
	r->kind = op->kind;
	r->link = "";
	r->vnid = vnid;
	r->status = VDP_RESULT_OK;
	r->error_text = text;
	st_post_result(st, r);
	op_done(st, op);
}

void st_ops_free(struct vdp_station *st)
{
	struct st_task *t;
	while ((t = TAILQ_FIRST(&st->tasks))) {
		TAILQ_REMOVE(&st->tasks, t, entry);
		free(t);
	}
	struct st_op *op;
	while ((op = TAILQ_FIRST(&st->ops))) {
		TAILQ_REMOVE(&st->ops, op, entry);
		if (op->net) {
			TAILQ_REMOVE(&st->nets, op->net, entry);
			free(op->net);
		}
		free(op);
	}
	while ((op = TAILQ_FIRST(&st->done))) {
		TAILQ_REMOVE(&st->done, op, entry);
		free(op);
	}
}

/* --- tasks -------------------------------------------------------------- */

static struct st_task *task_new(struct vdp_station *st, unsigned link, enum st_task_kind kind)
{
	struct st_task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->link = link;
	t->kind = kind;
	t->res.link = st->links[link]->name;
	t->res.status = VDP_RESULT_OK;
	t->res.error_text = "success";
	TAILQ_INSERT_TAIL(&st->tasks, t, entry);
	return t;
}

struct st_task *st_task_add(struct vdp_station *st, struct st_op *op, unsigned link,
                            enum st_task_kind kind)
{
	struct st_task *t = task_new(st, link, kind);
	if (!t)
		return NULL;
	t->op = op;
	t->res.op = op->id;
	t->res.kind = op->kind;
	op->pending++;
	return t;
}

struct st_task *st_task_auto(struct vdp_station *st, unsigned link, enum st_task_kind kind,
                             struct st_vm *vm, struct st_net *net)
{
	struct st_task *t = task_new(st, link, kind);
	if (!t)
		return NULL;
	t->vm = vm;
	t->net = net;
	t->vnid = vm ? vm->vm.vnid : net ? net->vnid : 0;
	t->res.vnid = t->vnid;
	if (vm) {
		t->fmt = vm->vm.vsiid_fmt;
		memcpy(t->vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
		t->res.vsiid_fmt = t->fmt;
		memcpy(t->res.vsiid, t->vsiid, VDP_VSIID_LEN);
	}
	return t;
}

/* Ends a task; one with an op posts its result (a task without an op has
 * said what it had to through events). */
static void task_finish(struct vdp_station *st, struct st_task *t)
{
	struct st_op *op = t->op;
	struct st_vm *vm = t->vm;
	t->phase = PH_DONE;
	st->finished++;
	TAILQ_REMOVE(&st->tasks, t, entry);
	if (op) {
		t->res.links_pending = --op->pending;
		op->res[op->nres++] = t->res;
		op->failed |= t->res.status != VDP_RESULT_OK;
		st_post_result(st, &t->res);
	}
	free(t);
	if (op && op->pending == 0)
		op_done(st, op);
	vm_maybe_free(st, vm);
}

/* Records one exchange's outcome in the task's result: the first failure
 * decides; while everything succeeds the last exchange does.  Lost
 * frames add up over the exchanges; the detail is the last one's that had
 * something to say. */
static void task_record(struct st_task *t, uint8_t type, const struct st_reply *r)
{
	t->res.resends += r->resends;
	t->res.retransmits += r->retransmits;
	if (r->detail && *r->detail && t->res.status == VDP_RESULT_OK)
		snprintf(t->res.detail, sizeof(t->res.detail), "%s: %s", vdp_tlv_type_name(type),
		         r->detail);
	if (t->res.status != VDP_RESULT_OK)
		return;
	t->res.status = r->status;
	t->res.stage = type;
	t->res.error = r->code;
	t->res.keep = r->keep;
	t->res.hard = r->hard;
	t->res.error_text = r->text;
	if (vdp_is_vsi_type(type))
		t->res.vid = r->vid;
}

/* An answer, as opposed to giving up: the bridge's state is known. */
static bool definite(const struct st_reply *r)
{
	return r->status == VDP_RESULT_OK || r->status == VDP_RESULT_REFUSED;
}

static void task_fail_local(struct vdp_station *st, struct st_task *t)
{
	static const struct st_reply r = {.status = VDP_RESULT_ERROR,
	                                  .code = VDP_ST_OTHER_FAILURE,
	                                  .text = "could not be sent (see vdp_station_error)"};
	task_record(t, t->res.stage, &r);
	if (t->auto_up)
		return st_reassoc_done(st, t, &r);
	task_finish(st, t);
}

static bool same_vm(const struct st_task *a, const struct st_task *b)
{
	return a->vm && b->vm && a->vm->vm.vsiid_fmt == b->vm->vm.vsiid_fmt &&
	       memcmp(a->vm->vm.vsiid, b->vm->vm.vsiid, VDP_VSIID_LEN) == 0;
}

static bool is_vm_task(const struct st_task *t)
{
	return t->vm != NULL;
}

/* Whether an earlier task on the same link and subject is unfinished. */
static bool earlier_busy(const struct vdp_station *st, const struct st_task *t)
{
	const struct st_task *u;
	TAILQ_FOREACH(u, &st->tasks, entry)
	{
		if (u == t)
			return false;
		if (u->link != t->link)
			continue;
		if (is_vm_task(t) && is_vm_task(u) && same_vm(t, u))
			return true;
		if (!is_vm_task(t) && !is_vm_task(u) && u->vnid == t->vnid)
			return true;
	}
	return false;
}

/* --- the steps of each task kind ------------------------------------------ */

static bool settled(enum vdp_vsi_state s)
{
	return s == VDP_VSI_ASSOC || s == VDP_VSI_PREASSOC;
}

static void start_xchg(struct st_task *t, struct st_xchg *x)
{
	t->phase = PH_XCHG;
	t->xid = x->id;
	x->task = t;
	t->res.sent |= (uint16_t)(1u << x->type);
	t->res.stage = x->type;
}

static void send_vsi_step(struct vdp_station *st, struct st_task *t)
{
	struct st_vm *vm = t->vm;
	/* A VM that holds a VLAN keeps asking for it (a Pre-Associate turning
	 * into an Associate stays on its VLAN); otherwise the VM's own. */
	bool down = t->kind == TK_DOWN || t->kind == TK_UNDO;
	uint16_t vid = settled(t->prev) || down ? vm->l[t->link].vid : 0;
	if (!vid)
		vid = vm->vm.vid;
	struct st_xchg *x = st_send_vsi(st, t->link, XK_TASK, vm, t->vsi_type, t->vsi_status, vid);
	if (!x)
		return task_fail_local(st, t);
	start_xchg(t, x);
}

static void send_policy_step(struct vdp_station *st, struct st_task *t, uint8_t type)
{
	struct st_xchg *x = st_send_policy(st, t->link, t->net, type);
	if (!x)
		return task_fail_local(st, t);
	if (type == VDP_TLV_POLICY_SYNC)
		t->net->sync[t->link] = VDP_SYNC_SYNCING;
	else if (type == VDP_TLV_POLICY_REMOVE)
		t->net->sync[t->link] = VDP_SYNC_REMOVING;
	start_xchg(t, x);
}

/* create / migrate-in / associate: the policy on the switch first. */
static void step_up(struct vdp_station *st, struct st_task *t)
{
	struct st_vm_link *vl = &t->vm->l[t->link];
	if (t->phase == PH_START) {
		if (t->vm->gone) {
			static const struct st_reply r = {
			    .status = VDP_RESULT_ERROR,
			    .code = VDP_ST_OTHER_FAILURE,
			    .text = "VM removed before its request was sent"};
			task_record(t, 0, &r);
			return task_finish(st, t);
		}
		st_abandon_keepalive(st, t->vm, t->link);
		t->prev = vl->state;
		vl->state = VDP_VSI_PENDING;
		t->phase = PH_SYNC_WAIT;
	}
	if (t->net->plain)
		return send_vsi_step(st, t);
	switch (t->net->sync[t->link]) {
	case VDP_SYNC_SYNCED:
		return send_vsi_step(st, t);
	case VDP_SYNC_NONE:
		return send_policy_step(st, t, VDP_TLV_POLICY_SYNC);
	case VDP_SYNC_SYNCING:
	case VDP_SYNC_REMOVING:
		return; /* st_xchg_done() moves us on */
	}
}

static void step_down(struct vdp_station *st, struct st_task *t)
{
	st_abandon_keepalive(st, t->vm, t->link);
	t->prev = t->vm->l[t->link].state;
	t->vm->l[t->link].state = VDP_VSI_PENDING;
	send_vsi_step(st, t);
}

static void step_net(struct vdp_station *st, struct st_task *t)
{
	static const struct st_reply none = {
	    .status = VDP_RESULT_OK,
	    .text = "the switch does not hold the policy: nothing to send"};
	switch (t->net->sync[t->link]) {
	case VDP_SYNC_SYNCING:
	case VDP_SYNC_REMOVING:
		return; /* wait */
	case VDP_SYNC_NONE:
		task_record(t, 0, &none);
		return task_finish(st, t);
	case VDP_SYNC_SYNCED:
		return send_policy_step(
		    st, t, t->kind == TK_UPDATE ? VDP_TLV_POLICY_UPDATE : VDP_TLV_POLICY_REMOVE);
	}
}

/* The station's own De-Associate or Policy Remove after giving up. */
static void step_undo(struct vdp_station *st, struct st_task *t)
{
	if (t->vm)
		return send_vsi_step(st, t);
	struct st_xchg *x = st_send_policy(st, t->link, t->net, VDP_TLV_POLICY_REMOVE);
	if (!x) {
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	}
	start_xchg(t, x);
}

/* Advances one task as far as it can go now. */
static void step(struct vdp_station *st, struct st_task *t)
{
	if (t->phase == PH_XCHG || t->phase == PH_DONE)
		return;
	if (t->phase == PH_START && earlier_busy(st, t))
		return;
	switch (t->kind) {
	case TK_UP:
		return step_up(st, t);
	case TK_DOWN:
		return step_down(st, t);
	case TK_UPDATE:
	case TK_NET_REMOVE:
		return step_net(st, t);
	case TK_UNDO:
		return step_undo(st, t);
	}
}

/* Runs every task, in call order, until a pass finishes none.  A step only
 * ever finishes its own task, so the saved next pointer stays valid; a
 * task that finishes may let later ones of the same subject start. */
void st_tasks_kick(struct vdp_station *st)
{
	unsigned finished;
	do {
		finished = st->finished;
		struct st_task *t, *next;
		for (t = TAILQ_FIRST(&st->tasks); t; t = next) {
			next = TAILQ_NEXT(t, entry);
			step(st, t);
		}
	} while (finished != st->finished);
}

/* --- completion --------------------------------------------------------- */

/* Whether the network still needs its policy on this link. */
static bool net_in_use(const struct vdp_station *st, const struct st_net *n, unsigned link)
{
	const struct st_vm *v;
	TAILQ_FOREACH(v, &st->vms, entry)
	if (!v->gone && v->vm.vnid == n->vnid && (v->links & (1u << link)))
		return true;
	return false;
}

/* A De-Associate (vm) or Policy Remove (net) of the station's own for
 * what the given-up task `failed` may have left on the bridge, unless the
 * VM's own De-Associate is queued anyway.  It takes the failed task's
 * place in the queue, so that what was called after it (an associate(),
 * a Policy Update) runs after the undo, not before. */
static void undo(struct vdp_station *st, struct st_task *failed, struct st_vm *vm,
                 struct st_net *net)
{
	unsigned link = failed->link;
	const struct st_task *u;
	TAILQ_FOREACH(u, &st->tasks, entry)
	if (vm && u->vm == vm && u->link == link && u->kind == TK_DOWN)
		return;
	struct st_task *t = st_task_auto(st, link, TK_UNDO, vm, net);
	if (!t)
		return; /* no memory: the bridge times the VSI out */
	TAILQ_REMOVE(&st->tasks, t, entry);
	TAILQ_INSERT_AFTER(&st->tasks, failed, t, entry);
	t->vsi_type = VDP_TLV_DEASSOC;
	if (!vm && net)
		net->sync[link] = VDP_SYNC_REMOVING; /* new VMs wait for it */
}

/* A task's VM request ended: the VM's state on the link. */
static void up_state(struct vdp_station *st, struct st_task *t, const struct st_reply *r)
{
	struct st_vm_link *vl = &t->vm->l[t->link];
	if (definite(r))
		vl->state = r->keep && settled(t->prev) ? t->prev : VDP_VSI_FAILED;
	else
		vl->state = VDP_VSI_FAILED; /* unknown: undone */
	if (settled(vl->state))
		vl->next_ka = st_now(st) + st_keepalive_ns(&st->links[t->link]->use);
}

/* Ends a TK_UP that did not get its VSI: an automatic one says so with
 * events, one of the API's with its result. */
static void up_failed(struct vdp_station *st, struct st_task *t, const struct st_reply *r)
{
	up_state(st, t, r);
	if (t->auto_up)
		return st_reassoc_done(st, t, r);
	task_finish(st, t);
}

static void fail_sync_waiters(struct vdp_station *st, const struct st_task *owner,
                              const struct st_reply *r)
{
	struct st_task *t, *next;
	for (t = TAILQ_FIRST(&st->tasks); t; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t == owner || t->kind != TK_UP || t->phase != PH_SYNC_WAIT ||
		    t->link != owner->link || t->net != owner->net)
			continue;
		struct st_reply w = *r; /* the owner's lost frames are not theirs */
		w.resends = w.retransmits = 0;
		task_record(t, VDP_TLV_POLICY_SYNC, &w);
		up_failed(st, t, &w);
		next = TAILQ_FIRST(&st->tasks); /* an automatic one may add tasks */
	}
}

static void up_done(struct vdp_station *st, struct st_task *t, uint8_t type,
                    const struct st_reply *r)
{
	struct st_vm_link *vl = &t->vm->l[t->link];
	bool ok = r->status == VDP_RESULT_OK;
	if (type == VDP_TLV_POLICY_SYNC) {
		t->net->sync[t->link] = ok ? VDP_SYNC_SYNCED : VDP_SYNC_NONE;
		if (ok) {
			t->phase = PH_SYNC_WAIT; /* the kick sends the VSI request */
			return;
		}
		if (!definite(r))
			undo(st, t, NULL, t->net);
		fail_sync_waiters(st, t, r);
		return up_failed(st, t, r);
	}
	if (!ok) {
		if (!definite(r))
			undo(st, t, t->vm, NULL);
		return up_failed(st, t, r);
	}
	vl->state = type == VDP_TLV_ASSOC ? VDP_VSI_ASSOC : VDP_VSI_PREASSOC;
	vl->granted = type;
	vl->vid = r->vid;
	vl->ka_ok = st_now(st);
	vl->next_ka = vl->ka_ok + st_keepalive_ns(&st->links[t->link]->use);
	if (t->auto_up)
		return st_reassoc_done(st, t, r);
	task_finish(st, t);
}

static void down_done(struct vdp_station *st, struct st_task *t, uint8_t type)
{
	if (type == VDP_TLV_POLICY_REMOVE) {
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	}
	/* Answered or given up, the VM is no longer this station's on the
	 * link; its network's policy goes when no VM needs it (a Policy
	 * Remove also de-associates at vdpd what a lost De-Associate left). */
	t->vm->l[t->link].state = VDP_VSI_NONE;
	struct st_net *n = t->net;
	if (n && !n->plain && n->sync[t->link] == VDP_SYNC_SYNCED && !net_in_use(st, n, t->link))
		return send_policy_step(st, t, VDP_TLV_POLICY_REMOVE);
	task_finish(st, t);
}

static void undo_done(struct vdp_station *st, struct st_task *t, const struct st_reply *r)
{
	if (!t->vm) {
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	}
	if (!definite(r))
		st_vm_event(st, VDP_EV_CLEANUP_FAILED, t->vm, t->link, 0, r->detail);
	task_finish(st, t);
}

/* Whether the switch refused the task's request because it no longer
 * holds the network's policy, which the station synced: error 3 to a
 * Policy Update, or to a VSI request of a policy network.  A switch that
 * restarted without its state answers so; the cure is to sync again. */
static bool policy_lost(const struct st_task *t, uint8_t type, const struct st_reply *r)
{
	if (t->resynced || !t->net || t->net->plain || r->status != VDP_RESULT_REFUSED ||
	    r->code != VDP_ST_NO_VSI_MANAGER || t->net->sync[t->link] != VDP_SYNC_SYNCED)
		return false;
	if (t->kind == TK_UPDATE)
		return type == VDP_TLV_POLICY_UPDATE;
	return t->kind == TK_UP && (type == VDP_TLV_ASSOC || type == VDP_TLV_PREASSOC);
}

/* Sends the network's Policy Sync again, then (TK_UP) the VSI request. */
static void resync(struct vdp_station *st, struct st_task *t, const struct st_reply *r)
{
	struct st_link *l = st->links[t->link];
	char text[160];
	snprintf(text, sizeof(text),
	         "the switch no longer holds network %u's policy (%s): sending Policy Sync again",
	         t->net->vnid, r->text ? r->text : "error 3");
	struct vdp_station_event ev = {.size = sizeof(ev),
	                               .kind = VDP_EV_RESYNCED,
	                               .link = l->name,
	                               .vnid = t->net->vnid,
	                               .error = r->code,
	                               .text = text};
	if (t->vm) {
		ev.vsiid_fmt = t->vm->vm.vsiid_fmt;
		memcpy(ev.vsiid, t->vm->vm.vsiid, VDP_VSIID_LEN);
	}
	t->resynced = true;
	t->res.resends += r->resends;
	t->res.retransmits += r->retransmits;
	snprintf(t->res.detail, sizeof(t->res.detail), "network %u's policy synced again",
	         t->net->vnid);
	t->net->sync[t->link] = VDP_SYNC_NONE;
	st_post_event(st, &ev);
	if (t->kind == TK_UPDATE)
		return send_policy_step(st, t, VDP_TLV_POLICY_SYNC);
	t->phase = PH_SYNC_WAIT; /* the kick syncs, then sends the request again */
}

void st_xchg_done(struct vdp_station *st, struct st_xchg *x, const struct st_reply *r)
{
	struct st_xchg copy = *x;
	st_xchg_drop(st, x);
	if (copy.kind == XK_KEEPALIVE)
		return st_keepalive_done(st, &copy, r);
	if (!copy.task)
		return;
	struct st_task *t = copy.task;
	t->xid = 0;
	if (policy_lost(t, copy.type, r))
		return resync(st, t, r);
	task_record(t, copy.type, r);
	switch (t->kind) {
	case TK_UP:
		return up_done(st, t, copy.type, r);
	case TK_DOWN:
		return down_done(st, t, copy.type);
	case TK_UPDATE:
		if (copy.type == VDP_TLV_POLICY_SYNC) /* the update, healed */
			t->net->sync[t->link] =
			    r->status == VDP_RESULT_OK ? VDP_SYNC_SYNCED : VDP_SYNC_NONE;
		return task_finish(st, t);
	case TK_NET_REMOVE:
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	case TK_UNDO:
		return undo_done(st, t, r);
	}
}

/* Finishes a task whose end its caller has handled (station_keep.c). */
void st_task_end(struct vdp_station *st, struct st_task *t)
{
	task_finish(st, t);
}

uint64_t st_task_deadline(const struct vdp_station *st)
{
	uint64_t d = st_xchg_deadline(st), k = st_keepalive_deadline(st);
	return k < d ? k : d;
}
