/* SPDX-License-Identifier: ISC */
/* libvdp station: keeping VMs associated.
 *
 * Keepalives (802.1Qbg 41.5.5.4): every keepalive period (after the
 * association's answer, then after the previous keepalive was due), each
 * settled VM's current request is sent again,
 * with the VLAN the switch granted and the M bit if it migrated in.  A
 * keepalive is an exchange like any other (station_xchg.c): one whose
 * frames are lost is sent again within milliseconds, not a period later,
 * because the bridge de-associates a VSI whose keepalives stop for
 * 1.5 x ((2R + 1) x 2^RTE + 2^RKA) x 10 us (15.8 s by default, only about
 * 5 s more than the period).  A keepalive is given up halfway between the
 * period and that timeout after the bridge last confirmed the request (an
 * answer, or an ECP ack of the keepalive), so that the station reports it
 * before the bridge may have timed the VM out.
 *
 * A VM that the station reported associated is never dropped silently.
 * When the switch de-associates it on its own (an unsolicited
 * De-Associate: keepalive timeout, a race, an administrator), or when its
 * keepalives go unanswered for the whole response wait, the station says
 * so (VDP_EV_DEASSOC, VDP_EV_KEEPALIVE_FAILED) and re-associates the VM
 * once, on its own; the outcome is VDP_EV_REASSOCIATED, or VDP_EV_LOST
 * when the switch refused (a definite answer) or never answered (given
 * up, and undone with a De-Associate as any given-up request).  A LOST VM
 * gets no keepalives and no further automatic attempt: there is no loop,
 * and a switch de-associating the VM again within one keepalive period of
 * its re-association leaves it LOST too.  A keepalive the switch refuses
 * is a definite answer as well: LOST at once.
 */
#include <stdio.h>
#include <string.h>

#include "station_int.h"

static bool settled(enum vdp_vsi_state s)
{
	return s == VDP_VSI_ASSOC || s == VDP_VSI_PREASSOC;
}

static uint64_t period(const struct vdp_station *st, unsigned link)
{
	return st_keepalive_ns(&st->links[link]->use);
}

void st_vm_event(struct vdp_station *st, enum vdp_event_kind kind, const struct st_vm *vm,
                 unsigned link, uint8_t code, const char *text)
{
	struct vdp_station_event ev = {.kind = kind,
	                               .link = st->links[link]->name,
	                               .vnid = vm->vm.vnid,
	                               .vsiid_fmt = vm->vm.vsiid_fmt,
	                               .error = code,
	                               .text = text};
	memcpy(ev.vsiid, vm->vm.vsiid, VDP_VSIID_LEN);
	st_post_event(st, &ev);
}

void st_abandon_keepalive(struct vdp_station *st, struct st_vm *vm, unsigned link)
{
	struct st_vm_link *vl = &vm->l[link];
	struct st_xchg *x = vl->ka_xid ? st_xchg_find(st, vl->ka_xid) : NULL;
	if (x)
		st_xchg_drop(st, x);
	vl->ka_xid = 0;
	vl->next_ka = UINT64_MAX;
}

static void lost(struct vdp_station *st, struct st_vm *vm, unsigned link, uint8_t code,
                 const char *text)
{
	vm->l[link].state = VDP_VSI_LOST;
	vm->l[link].next_ka = UINT64_MAX;
	st_vm_event(st, VDP_EV_LOST, vm, link, code, text);
}

/* Queues the one automatic re-association: the request the VM had (M bit
 * included), asking for its own VLAN as associate() does. */
static void reassociate(struct vdp_station *st, struct st_vm *vm, unsigned link)
{
	struct st_vm_link *vl = &vm->l[link];
	struct st_task *t = st_task_auto(st, link, TK_UP, vm, st_net_find(st, vm->vm.vnid));
	if (!t || !t->net) {
		if (t)
			st_task_end(st, t);
		return lost(st, vm, link, 0, "cannot re-associate: out of memory or no network");
	}
	t->auto_up = true;
	t->vsi_type = vl->granted ? vl->granted : VDP_TLV_ASSOC;
	t->vsi_status = vm->migrated ? VDP_REQ_M : 0;
}

void st_vm_lost_contact(struct vdp_station *st, struct st_vm *vm, unsigned link, const char *text)
{
	struct st_vm_link *vl = &vm->l[link];
	char msg[ST_DETAIL_LEN];
	uint64_t now = st_now(st);
	st_abandon_keepalive(st, vm, link);
	vl->state = VDP_VSI_LOST;
	bool again = vl->reassoc_at && now - vl->reassoc_at < period(st, link);
	snprintf(msg, sizeof(msg), "%s; %s", text,
	         again ? "not re-associated: it was re-associated less than a keepalive period ago"
	               : "re-associating it");
	st_vm_event(st, VDP_EV_DEASSOC, vm, link, 0, msg);
	if (again)
		return lost(st, vm, link, 0, "de-associated again right after its re-association");
	reassociate(st, vm, link);
}

void st_reassoc_done(struct vdp_station *st, struct st_task *t, const struct st_reply *r)
{
	struct st_vm *vm = t->vm;
	char msg[ST_DETAIL_LEN + 64];
	if (r->status == VDP_RESULT_OK) {
		vm->l[t->link].reassoc_at = st_now(st);
		snprintf(msg, sizeof(msg), "re-associated, VLAN %u%s%s", r->vid,
		         r->detail && *r->detail ? "; " : "", r->detail ? r->detail : "");
		st_vm_event(st, VDP_EV_REASSOCIATED, vm, t->link, 0, msg);
	} else if (r->status == VDP_RESULT_REFUSED) {
		snprintf(msg, sizeof(msg), "the switch refused the re-association: %s", r->text);
		lost(st, vm, t->link, r->code, msg);
	} else {
		snprintf(msg, sizeof(msg), "the re-association went unanswered: %s",
		         r->detail && *r->detail ? r->detail : r->text);
		lost(st, vm, t->link, 0, msg);
	}
	st_task_end(st, t);
}

void st_keepalive_done(struct vdp_station *st, const struct st_xchg *x, const struct st_reply *r)
{
	char msg[ST_DETAIL_LEN + 64];
	struct st_vm *vm = st_vm_find(st, x->fmt, x->vsiid);
	if (!vm)
		return;
	struct st_vm_link *vl = &vm->l[x->link];
	vl->ka_xid = 0;
	if (r->status == VDP_RESULT_OK) {
		if (r->vid)
			vl->vid = r->vid;
		/* The next one a period after this one was due, not after
		 * its answer: lost frames and a busy link must not stretch the
		 * bridge's interval between keepalives. */
		vl->ka_ok = st_now(st);
		vl->next_ka = (x->queued ? x->queued : vl->ka_ok) + period(st, x->link);
		return;
	}
	if (r->status == VDP_RESULT_REFUSED) {
		vl->state = VDP_VSI_LOST;
		vl->next_ka = UINT64_MAX;
		snprintf(msg, sizeof(msg),
		         "the switch refused a keepalive (%s): the VM is no longer associated",
		         r->text);
		return st_vm_event(st, VDP_EV_DEASSOC, vm, x->link, r->code, msg);
	}
	snprintf(msg, sizeof(msg), "keepalives unanswered: %s", r->detail ? r->detail : r->text);
	st_vm_event(st, VDP_EV_KEEPALIVE_FAILED, vm, x->link, 0, msg);
	st_vm_lost_contact(st, vm, x->link, "the switch may have timed the VM out");
}

/* Re-sends each settled VSI's current request, with the VLAN the switch
 * granted. */
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
				/* ECP's queue is full: soon again, not a period later
				 * (the bridge's timeout is only 1.5 periods). */
				const struct vdp_timers *t = &st->links[k]->use;
				vl->next_ka = now + (t->r + 1ull) * vdp_ecp_timeout_ns(t->rte);
				continue;
			}
			x->confirmed = vl->ka_ok;
			vl->ka_xid = x->id;
			vl->next_ka = UINT64_MAX;
			st->links[k]->keepalives++;
		}
	}
}

uint64_t st_keepalive_deadline(const struct vdp_station *st)
{
	uint64_t d = UINT64_MAX;
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
