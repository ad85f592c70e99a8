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
 */
#include <errno.h>
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

struct st_task *st_task_add(struct vdp_station *st, struct st_op *op, unsigned link,
                            enum st_task_kind kind)
{
	struct st_task *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->op = op;
	t->link = link;
	t->kind = kind;
	t->res.op = op->id;
	t->res.kind = op->kind;
	t->res.link = st->links[link]->name;
	t->res.status = VDP_RESULT_OK;
	t->res.error_text = "success";
	op->pending++;
	TAILQ_INSERT_TAIL(&st->tasks, t, entry);
	return t;
}

static void task_finish(struct vdp_station *st, struct st_task *t)
{
	struct st_op *op = t->op;
	struct st_vm *vm = t->vm;
	t->phase = PH_DONE;
	st->finished++;
	TAILQ_REMOVE(&st->tasks, t, entry);
	t->res.links_pending = --op->pending;
	op->res[op->nres++] = t->res;
	op->failed |= t->res.status != VDP_RESULT_OK;
	st_post_result(st, &t->res);
	free(t);
	if (op->pending == 0)
		op_done(st, op);
	vm_maybe_free(st, vm);
}

/* Records one exchange's outcome in the task's result: the first failure
 * decides; while everything succeeds the last exchange does. */
static void task_record(struct st_task *t, uint8_t type, const struct st_reply *r)
{
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

static void task_fail_local(struct vdp_station *st, struct st_task *t)
{
	static const struct st_reply r = {.status = VDP_RESULT_ERROR,
	                                  .code = VDP_ST_OTHER_FAILURE,
	                                  .text = "could not be sent (see vdp_station_error)"};
	task_record(t, t->res.stage, &r);
	task_finish(st, t);
}

static bool same_vm(const struct st_task *a, const struct st_task *b)
{
	return a->vm && b->vm && a->vm->vm.vsiid_fmt == b->vm->vm.vsiid_fmt &&
	       memcmp(a->vm->vm.vsiid, b->vm->vm.vsiid, VDP_VSIID_LEN) == 0;
}

static bool is_vm_task(const struct st_task *t)
{
	return t->kind == TK_UP || t->kind == TK_DOWN;
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

/* --- exchanges -------------------------------------------------------- */

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

static struct st_xchg *send_pdu(struct vdp_station *st, struct st_xchg *x, const uint8_t *pdu,
                                int len)
{
	if (len < 0) {
		st_fail(st, -EINVAL, "cannot encode the %s request: %s", vdp_tlv_type_name(x->type),
		        vdp_strerror(len));
		st_xchg_drop(st, x);
		return NULL;
	}
	if (st_ecp_send(st, st->links[x->link], pdu, (size_t)len, x->id) < 0) {
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
	return send_pdu(st, x, pdu, st_pdu_vsi(&st->mgrid, &v, pdu, sizeof(pdu)));
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
	return send_pdu(st, x, pdu, st_pdu_policy(&st->mgrid, &p, pdu, sizeof(pdu)));
}

/* --- the steps of each task kind ------------------------------------------ */

static void abandon_keepalive(struct vdp_station *st, struct st_vm *vm, unsigned link)
{
	struct st_vm_link *vl = &vm->l[link];
	struct st_xchg *x = vl->ka_xid ? st_xchg_find(st, vl->ka_xid) : NULL;
	if (x)
		st_xchg_drop(st, x);
	vl->ka_xid = 0;
	vl->next_ka = UINT64_MAX;
}

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
	uint16_t vid = settled(t->prev) || t->kind == TK_DOWN ? vm->l[t->link].vid : 0;
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
		abandon_keepalive(st, t->vm, t->link);
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
	abandon_keepalive(st, t->vm, t->link);
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

static void fail_sync_waiters(struct vdp_station *st, const struct st_task *owner,
                              const struct st_reply *r)
{
	struct st_task *t, *next;
	for (t = TAILQ_FIRST(&st->tasks); t; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t == owner || t->kind != TK_UP || t->phase != PH_SYNC_WAIT ||
		    t->link != owner->link || t->net != owner->net)
			continue;
		task_record(t, VDP_TLV_POLICY_SYNC, r);
		struct st_vm_link *vl = &t->vm->l[t->link];
		vl->state = settled(t->prev) ? t->prev : VDP_VSI_FAILED;
		task_finish(st, t);
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
		vl->state = settled(t->prev) ? t->prev : VDP_VSI_FAILED;
		fail_sync_waiters(st, t, r);
		return task_finish(st, t);
	}
	if (ok) {
		vl->state = type == VDP_TLV_ASSOC ? VDP_VSI_ASSOC : VDP_VSI_PREASSOC;
		vl->granted = type;
		vl->vid = r->vid;
		vl->next_ka = st_now(st) + st_keepalive_ns(&st->links[t->link]->use);
	} else {
		vl->state = r->keep && settled(t->prev) ? t->prev : VDP_VSI_FAILED;
		if (settled(vl->state))
			vl->next_ka = st_now(st) + st_keepalive_ns(&st->links[t->link]->use);
	}
	task_finish(st, t);
}

static void down_done(struct vdp_station *st, struct st_task *t, uint8_t type)
{
	if (type == VDP_TLV_POLICY_REMOVE) {
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	}
	t->vm->l[t->link].state = VDP_VSI_NONE;
	struct st_net *n = t->net;
	if (n && !n->plain && n->sync[t->link] == VDP_SYNC_SYNCED && !net_in_use(st, n, t->link))
		return send_policy_step(st, t, VDP_TLV_POLICY_REMOVE);
	task_finish(st, t);
}

static void keepalive_done(struct vdp_station *st, const struct st_xchg *x,
                           const struct st_reply *r)
{
	struct st_vm *vm = st_vm_find(st, x->fmt, x->vsiid);
	if (!vm)
		return;
	struct st_vm_link *vl = &vm->l[x->link];
	struct st_link *l = st->links[x->link];
	vl->ka_xid = 0;
	struct vdp_station_event ev = {
	    .link = l->name, .vnid = vm->vm.vnid, .vsiid_fmt = vm->vm.vsiid_fmt, .error = r->code};
	memcpy(ev.vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
	if (r->status == VDP_RESULT_OK) {
		if (r->vid)
			vl->vid = r->vid;
		vl->next_ka = st_now(st) + st_keepalive_ns(&l->use);
		return;
	}
	if (r->status == VDP_RESULT_REFUSED) {
		vl->state = VDP_VSI_LOST;
		vl->next_ka = UINT64_MAX;
		ev.kind = VDP_EV_DEASSOC;
		ev.text = "the switch refused a keepalive: the VM is no longer associated";
	} else {
		vl->next_ka = st_now(st) + st_keepalive_ns(&l->use);
		ev.kind = VDP_EV_KEEPALIVE_FAILED;
		ev.text = r->text;
	}
	st_post_event(st, &ev);
}

void st_xchg_done(struct vdp_station *st, struct st_xchg *x, const struct st_reply *r)
{
	struct st_xchg copy = *x;
	st_xchg_drop(st, x);
	if (copy.kind == XK_KEEPALIVE)
		return keepalive_done(st, &copy, r);
	if (copy.kind != XK_TASK || !copy.task)
		return;
	struct st_task *t = copy.task;
	t->xid = 0;
	task_record(t, copy.type, r);
	switch (t->kind) {
	case TK_UP:
		return up_done(st, t, copy.type, r);
	case TK_DOWN:
		return down_done(st, t, copy.type);
	case TK_UPDATE:
		return task_finish(st, t);
	case TK_NET_REMOVE:
		t->net->sync[t->link] = VDP_SYNC_NONE;
		return task_finish(st, t);
	}
}

/* --- timers ---------------------------------------------------------------- */

void st_timeouts(struct vdp_station *st, uint64_t now)
{
	static const struct st_reply r = {
	    .status = VDP_RESULT_TIMEOUT,
	    .code = VDP_ST_OTHER_FAILURE,
	    .text = "acknowledged, but no VDP response within the response wait"};
	struct st_xchg *x, *next;
	for (x = TAILQ_FIRST(&st->xchgs); x; x = next) {
		next = TAILQ_NEXT(x, entry);
		if (x->acked && x->deadline <= now) {
			st_xchg_done(st, x, &r);
			next = TAILQ_FIRST(&st->xchgs); /* completion may drop others */
		}
	}
}

/* Re-sends each settled VSI's current request (802.1Qbg 41.5.5.4), with
 * the VLAN the switch granted. */
void st_keepalives(struct vdp_station *st, uint64_t now)
{
	struct st_vm *vm;
	TAILQ_FOREACH(vm, &st->vms, entry)
	{
		if (vm->gone)
			continue;
		for (unsigned k = 0; k < st->nlinks; k++) {
			struct st_vm_link *vl = &vm->l[k];
			if (!(vm->links & (1u << k)) || !settled(vl->state) || vl->ka_xid ||
			    vl->next_ka > now)
				continue;
			uint8_t status = vm->migrated ? VDP_REQ_M : 0;
			struct st_xchg *x = st_send_vsi(st, k, XK_KEEPALIVE, vm, vl->granted,
			                                status, vl->vid ? vl->vid : vm->vm.vid);
			if (!x) {
				vl->next_ka = now + st_keepalive_ns(&st->links[k]->use);
				continue;
			}
			vl->ka_xid = x->id;
			vl->next_ka = UINT64_MAX;
			st->links[k]->keepalives++;
		}
	}
}

uint64_t st_task_deadline(const struct vdp_station *st)
{
	uint64_t d = UINT64_MAX;
	const struct st_xchg *x;
	TAILQ_FOREACH(x, &st->xchgs, entry)
	if (x->acked && x->deadline < d)
		d = x->deadline;
	const struct st_vm *vm;
	TAILQ_FOREACH(vm, &st->vms, entry)
	{
		if (vm->gone)
			continue;
		for (unsigned k = 0; k < st->nlinks; k++)
			if ((vm->links & (1u << k)) && settled(vm->l[k].state) &&
			    !vm->l[k].ka_xid && vm->l[k].next_ka < d)
				d = vm->l[k].next_ka;
	}
	return d;
}
