/* SPDX-License-Identifier: ISC */
/* libvdp station: the VM-manager API (VNID policy).  Each call checks its
 * arguments, changes the local tables at once (so that the next call sees
 * them), queues one task per link and lets st_tasks_kick() send what can
 * be sent now.  Results come later, through the callbacks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "station_int.h"

static const uint8_t zero16[16];

static int check_policy(struct vdp_station *st, uint32_t vnid, const struct vdp_policy *p)
{
	uint8_t buf[VDP_ECP_MAX_ULPDU];
	struct vdp_policy c = *p;
	if (p->nentries > VDP_MAX_POLICIES)
		return st_fail(st, -EINVAL, "VNID %u: %u policy entries, at most %d", vnid,
		               p->nentries, VDP_MAX_POLICIES);
	c.type = VDP_TLV_POLICY_SYNC;
	c.status = 0;
	c.vnid = vnid;
	int rc = vdp_policy_encode(&c, buf, sizeof(buf));
	if (rc < 0)
		return st_fail(st, -EINVAL, "VNID %u: the policy cannot be encoded: %s", vnid,
		               vdp_strerror(rc));
	return 0;
}

static void set_policy(struct st_net *n, const struct vdp_policy *p)
{
	n->policy = *p;
	n->policy.type = VDP_TLV_POLICY_SYNC;
	n->policy.status = 0;
	n->policy.vnid = n->vnid;
	n->policy.nskipped = 0;
}

/* A task per link of mask; on allocation failure nothing is queued. */
static int add_tasks(struct vdp_station *st, struct st_op *op, st_mask mask, enum st_task_kind kind,
                     struct st_task **first)
{
	struct st_task *last = TAILQ_LAST(&st->tasks, st_task_list);
	*first = NULL;
	for (unsigned k = 0; k < st->nlinks; k++) {
		if (!(mask & (1u << k)))
			continue;
		struct st_task *t = st_task_add(st, op, k, kind);
		if (!t) {
			struct st_task *u;
			while ((u = TAILQ_LAST(&st->tasks, st_task_list)) != last) {
				TAILQ_REMOVE(&st->tasks, u, entry);
				free(u);
			}
			op->pending = 0;
			return st_fail(st, -ENOMEM, "out of memory");
		}
		if (!*first)
			*first = t;
	}
	return 0;
}

static void op_drop(struct vdp_station *st, struct st_op *op)
{
	TAILQ_REMOVE(&st->ops, op, entry);
	free(op);
}

/* A new operation of kind with one task per link of mask (the first in
 * *first): the op, or NULL after st_fail() (out of memory), nothing
 * queued. */
static struct st_op *op_with_tasks(struct vdp_station *st, enum vdp_op_kind kind, st_mask mask,
                                   enum st_task_kind tk, struct st_task **first)
{
	struct st_op *op = st_op_new(st, kind);
	if (!op) {
		st_fail(st, -ENOMEM, "out of memory");
		return NULL;
	}
	if (add_tasks(st, op, mask, tk, first) < 0) {
		op_drop(st, op);
		return NULL;
	}
	return op;
}

/* Gives the caller the op's id and sends what can be sent now. */
static int op_start(struct vdp_station *st, struct st_op *op, uint32_t *opid)
{
	if (opid)
		*opid = op->id;
	st_enter(st);
	st_tasks_kick(st);
	st_leave(st);
	return 0;
}

/* --- networks ---------------------------------------------------------- */

int vdp_station_create_network(struct vdp_station *st, uint32_t vnid,
                               const struct vdp_policy *policy, const char *const *links)
{
	if (!st)
		return -EINVAL;
	if (st_net_find(st, vnid))
		return st_fail(st, -EEXIST, "network %u exists already", vnid);
	struct st_net *n;
	TAILQ_FOREACH(n, &st->nets, entry)
	if (n->vnid == vnid)
		return st_fail(st, -EBUSY, "network %u is being deleted; wait for that", vnid);
	if (policy && check_policy(st, vnid, policy) < 0)
		return -EINVAL;
	st_mask mask = 0;
	if (links) {
		if (!links[0])
			return st_fail(st, -EINVAL, "network %u: the link list is empty", vnid);
		for (unsigned i = 0; links[i]; i++) {
			struct st_link *l = st_link_find(st, links[i]);
			if (!l)
				return st_fail(st, -ENOENT, "network %u: no link named '%s'", vnid,
				               links[i]);
			mask |= 1u << l->idx;
		}
	}
	if (!(n = calloc(1, sizeof(*n))))
		return st_fail(st, -ENOMEM, "out of memory");
	n->vnid = vnid;
	n->plain = !policy;
	n->all_links = !links;
	n->links = mask;
	if (policy)
		set_policy(n, policy);
	TAILQ_INSERT_TAIL(&st->nets, n, entry);
	return 0;
}

static bool net_has_vms(const struct vdp_station *st, uint32_t vnid)
{
	const struct st_vm *v;
	TAILQ_FOREACH(v, &st->vms, entry)
	if (v->vm.vnid == vnid)
		return true;
	return false;
}

/* The links whose switch holds the network's policy. */
static st_mask net_held(const struct vdp_station *st, const struct st_net *n)
{
	st_mask held = 0, m = st_net_links(st, n);
	for (unsigned k = 0; k < st->nlinks; k++)
		if ((m & (1u << k)) && n->sync[k] != VDP_SYNC_NONE)
			held |= 1u << k;
	return held;
}

static void net_tasks(struct st_task *t, struct st_net *n)
{
	for (; t; t = TAILQ_NEXT(t, entry)) {
		t->net = n;
		t->vnid = n->vnid;
		t->res.vnid = n->vnid;
	}
}

int vdp_station_delete_network(struct vdp_station *st, uint32_t vnid, uint32_t *opid)
{
	if (!st)
		return -EINVAL;
	struct st_net *n = st_net_find(st, vnid);
	if (!n)
		return st_fail(st, -ENOENT, "no network %u", vnid);
	if (net_has_vms(st, vnid))
		return st_fail(st, -EBUSY, "network %u still has VMs (or VMs being removed)", vnid);
	st_mask held = net_held(st, n);
	if (!held) {
		TAILQ_REMOVE(&st->nets, n, entry);
		free(n);
		if (opid)
			*opid = 0;
		return 0;
	}
	struct st_task *t;
	struct st_op *op = op_with_tasks(st, VDP_OP_DELETE_NETWORK, held, TK_NET_REMOVE, &t);
	if (!op)
		return -ENOMEM;
	net_tasks(t, n);
	n->deleted = true;
	op->net = n;
	return op_start(st, op, opid);
}

int vdp_station_update_policy(struct vdp_station *st, uint32_t vnid,
                              const struct vdp_policy *policy, uint32_t *opid)
{
	if (!st)
		return -EINVAL;
	struct st_net *n = st_net_find(st, vnid);
	if (!n)
		return st_fail(st, -ENOENT, "no network %u: create it first", vnid);
	if (n->plain)
		return st_fail(st, -EINVAL,
		               "network %u is a plain 802.1Qbg network: it has no policy to update",
		               vnid);
	if (!policy)
		return st_fail(st, -EINVAL, "network %u: no policy given", vnid);
	if (check_policy(st, vnid, policy) < 0)
		return -EINVAL;
	st_mask held = net_held(st, n);
	struct st_task *t;
	struct st_op *op = op_with_tasks(st, VDP_OP_UPDATE_POLICY, held, TK_UPDATE, &t);
	if (!op)
		return -ENOMEM;
	set_policy(n, policy);
	net_tasks(t, n);
	if (opid)
		*opid = op->id;
	st_enter(st);
	if (!held)
		st_op_finish_empty(
		    st, op, vnid,
		    "no switch holds the policy yet: it goes with the network's first VM");
	st_tasks_kick(st);
	st_leave(st);
	return 0;
}

/* --- VMs ---------------------------------------------------------------- */

static int check_vsiid(struct vdp_station *st, uint8_t fmt, const uint8_t *vsiid)
{
	if (fmt < VDP_VSIID_IPV4 || fmt > VDP_VSIID_UUID)
		return st_fail(st, -EINVAL, "VSIID format %u is not 1 (IPv4) .. 5 (UUID)", fmt);
	if (!vsiid)
		return st_fail(st, -EINVAL, "VSIID: NULL");
	if (memcmp(vsiid, zero16, VDP_VSIID_LEN) == 0)
		return st_fail(st, -EINVAL, "the VSIID is all zero");
	return 0;
}

static int check_vm(struct vdp_station *st, const struct vdp_vm *vm, struct st_net **net)
{
	if (!vm)
		return st_fail(st, -EINVAL, "VM: NULL");
	int rc = check_vsiid(st, vm->vsiid_fmt, vm->vsiid);
	if (rc < 0)
		return rc;
	if (memcmp(vm->mac, zero16, 6) == 0 || (vm->mac[0] & 1))
		return st_fail(st, -EINVAL, "the VM's MAC must be unicast and not zero");
	if (vm->vid > VDP_VID_MAX)
		return st_fail(st, -EINVAL, "VID %u is above %d (0 lets the switch choose)",
		               vm->vid, VDP_VID_MAX);
	char id[VDP_VSIID_STRLEN];
	if (st_vm_find(st, vm->vsiid_fmt, vm->vsiid))
		return st_fail(st, -EEXIST, "VM %s exists already",
		               vdp_vsiid_str(vm->vsiid_fmt, vm->vsiid, id, sizeof(id)));
	if (!(*net = st_net_find(st, vm->vnid)))
		return st_fail(st, -ENOENT, "no network %u: create the network first", vm->vnid);
	if (!st_net_links(st, *net))
		return st_fail(st, -ENODEV, "network %u has no link to a switch (add an interface)",
		               vm->vnid);
	return 0;
}

static void vm_tasks(struct st_task *t, struct st_vm *vm, struct st_net *n, uint8_t type,
                     uint8_t status)
{
	for (; t; t = TAILQ_NEXT(t, entry)) {
		t->vm = vm;
		t->net = n;
		t->vnid = vm->vm.vnid;
		t->vsi_type = type;
		t->vsi_status = status;
		t->fmt = vm->vm.vsiid_fmt;
		memcpy(t->vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
		t->res.vnid = vm->vm.vnid;
		t->res.vsiid_fmt = vm->vm.vsiid_fmt;
		memcpy(t->res.vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
	}
}

static int vm_up(struct vdp_station *st, const struct vdp_vm *in, bool migrated,
                 enum vdp_op_kind kind, uint32_t *opid)
{
	struct st_net *n = NULL;
	if (!st)
		return -EINVAL;
	int rc = check_vm(st, in, &n);
	if (rc < 0)
		return rc;
	struct st_vm *vm = calloc(1, sizeof(*vm));
	struct st_task *t = NULL;
	struct st_op *op = vm ? op_with_tasks(st, kind, st_net_links(st, n), TK_UP, &t) : NULL;
	if (!op) {
		free(vm);
		return st_fail(st, -ENOMEM, "out of memory");
	}
	vm->vm = *in;
	vm->migrated = migrated;
	vm->links = st_net_links(st, n);
	for (unsigned k = 0; k < ST_MAX_LINKS; k++)
		vm->l[k].next_ka = UINT64_MAX;
	TAILQ_INSERT_TAIL(&st->vms, vm, entry);
	op->vm = vm;
	vm_tasks(t, vm, n, in->preassoc ? VDP_TLV_PREASSOC : VDP_TLV_ASSOC,
	         migrated ? VDP_REQ_M : 0);
	return op_start(st, op, opid);
}

int vdp_station_create_vm(struct vdp_station *st, const struct vdp_vm *vm, uint32_t *op)
{
	return vm_up(st, vm, false, VDP_OP_CREATE_VM, op);
}

int vdp_station_migrate_in(struct vdp_station *st, const struct vdp_vm *vm, uint32_t *op)
{
	return vm_up(st, vm, true, VDP_OP_MIGRATE_IN, op);
}

/* The live VM with this VSIID, or NULL with *rc and the error text set. */
static struct st_vm *known_vm(struct vdp_station *st, uint8_t fmt, const uint8_t *vsiid, int *rc)
{
	char id[VDP_VSIID_STRLEN];
	if ((*rc = check_vsiid(st, fmt, vsiid)) < 0)
		return NULL;
	struct st_vm *vm = st_vm_find(st, fmt, vsiid);
	if (!vm)
		*rc = st_fail(st, -ENOENT, "no VM %s on this station",
		              vdp_vsiid_str(fmt, vsiid, id, sizeof(id)));
	return vm;
}

/* Stops a VM's keepalives: it is gone, and its VSIID is free for a new VM
 * (whose requests queue behind its De-Associates). */
static void vm_gone(struct vdp_station *st, struct st_vm *vm)
{
	vm->gone = true;
	for (unsigned k = 0; k < st->nlinks; k++)
		st_abandon_keepalive(st, vm, k);
}

/* An operation on a VM the station has: Associate it (again), or
 * De-Associate it because it migrated out (S bit) or was removed. */
static int vm_known_op(struct vdp_station *st, uint8_t fmt, const uint8_t *vsiid,
                       enum vdp_op_kind kind, uint32_t *opid)
{
	bool up = kind == VDP_OP_ASSOCIATE;
	struct st_task *t;
	int rc;
	if (!st)
		return -EINVAL;
	struct st_vm *vm = known_vm(st, fmt, vsiid, &rc);
	if (!vm)
		return rc;
	struct st_net *n = st_net_find(st, vm->vm.vnid);
	struct st_op *op = op_with_tasks(st, kind, vm->links, up ? TK_UP : TK_DOWN, &t);
	if (!op)
		return -ENOMEM;
	if (up) {
		vm->vm.preassoc = false;
		vm_tasks(t, vm, n, VDP_TLV_ASSOC, vm->migrated ? VDP_REQ_M : 0);
	} else {
		vm_gone(st, vm);
		vm_tasks(t, vm, n, VDP_TLV_DEASSOC, kind == VDP_OP_MIGRATE_OUT ? VDP_REQ_S : 0);
	}
	return op_start(st, op, opid);
}

int vdp_station_associate(struct vdp_station *st, uint8_t fmt, const uint8_t vsiid[VDP_VSIID_LEN],
                          uint32_t *op)
{
	return vm_known_op(st, fmt, vsiid, VDP_OP_ASSOCIATE, op);
}

int vdp_station_migrate_out(struct vdp_station *st, uint8_t fmt, const uint8_t vsiid[VDP_VSIID_LEN],
                            uint32_t *op)
{
	return vm_known_op(st, fmt, vsiid, VDP_OP_MIGRATE_OUT, op);
}

int vdp_station_remove_vm(struct vdp_station *st, uint8_t fmt, const uint8_t vsiid[VDP_VSIID_LEN],
                          uint32_t *op)
{
	return vm_known_op(st, fmt, vsiid, VDP_OP_REMOVE_VM, op);
}

int vdp_station_set_vm_ip(struct vdp_station *st, uint8_t fmt, const uint8_t vsiid[VDP_VSIID_LEN],
                          const uint8_t ipv4[4])
{
	if (!st)
		return -EINVAL;
	if (!ipv4)
		return st_fail(st, -EINVAL, "IPv4 address: NULL");
	int rc;
	struct st_vm *vm = known_vm(st, fmt, vsiid, &rc);
	if (!vm)
		return rc;
	memcpy(vm->vm.ipv4, ipv4, 4);
	return 0;
}
