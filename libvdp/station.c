/* SPDX-License-Identifier: ISC */
/* libvdp station: the object, its settings and links, callback delivery,
 * and the read-only views (vdp_station_*_at).  See station_int.h for the
 * layout of the core. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sized.h"
#include "station_int.h"

/* --- names ------------------------------------------------------------ */

const char *vdp_op_kind_name(enum vdp_op_kind k)
{
	switch (k) {
	case VDP_OP_CREATE_VM:
		return "create-vm";
	case VDP_OP_MIGRATE_IN:
		return "migrate-in";
	case VDP_OP_ASSOCIATE:
		return "associate";
	case VDP_OP_MIGRATE_OUT:
		return "migrate-out";
	case VDP_OP_REMOVE_VM:
		return "remove-vm";
	case VDP_OP_UPDATE_POLICY:
		return "update-policy";
	case VDP_OP_DELETE_NETWORK:
		return "delete-network";
	}
	return "unknown";
}

const char *vdp_result_status_name(enum vdp_result_status s)
{
	switch (s) {
	case VDP_RESULT_OK:
		return "ok";
	case VDP_RESULT_REFUSED:
		return "refused";
	case VDP_RESULT_NO_ACK:
		return "no-ack";
	case VDP_RESULT_TIMEOUT:
		return "timeout";
	case VDP_RESULT_ERROR:
		return "error";
	}
	return "unknown";
}

const char *vdp_event_kind_name(enum vdp_event_kind k)
{
	switch (k) {
	case VDP_EV_DEASSOC:
		return "deassociated";
	case VDP_EV_KEEPALIVE_FAILED:
		return "keepalive-failed";
	case VDP_EV_EVB:
		return "evb";
	case VDP_EV_HELP:
		return "help";
	case VDP_EV_REASSOCIATED:
		return "reassociated";
	case VDP_EV_LOST:
		return "lost";
	case VDP_EV_CLEANUP_FAILED:
		return "cleanup-failed";
	case VDP_EV_RESYNCED:
		return "resynced";
	}
	return "unknown";
}

const char *vdp_vsi_state_name(enum vdp_vsi_state s)
{
	switch (s) {
	case VDP_VSI_NONE:
		return "none";
	case VDP_VSI_PENDING:
		return "pending";
	case VDP_VSI_PREASSOC:
		return "preassoc";
	case VDP_VSI_ASSOC:
		return "assoc";
	case VDP_VSI_LOST:
		return "lost";
	case VDP_VSI_FAILED:
		return "failed";
	}
	return "unknown";
}

const char *vdp_sync_state_name(enum vdp_sync_state s)
{
	switch (s) {
	case VDP_SYNC_NONE:
		return "none";
	case VDP_SYNC_SYNCING:
		return "syncing";
	case VDP_SYNC_SYNCED:
		return "synced";
	case VDP_SYNC_REMOVING:
		return "removing";
	}
	return "unknown";
}

/* --- errors and time --------------------------------------------------- */

int st_fail(struct vdp_station *st, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof(st->err), fmt, ap);
	va_end(ap);
	return err;
}

const char *vdp_station_error(const struct vdp_station *st)
{
	return st ? st->err : "no station (NULL)";
}

static uint64_t mono_ns(void *arg)
{
	struct timespec ts;
	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t st_now(const struct vdp_station *st)
{
	return st->clock(st->clock_arg);
}

int vdp_station_set_clock(struct vdp_station *st, vdp_station_clock_fn *fn, void *arg)
{
	if (!st)
		return -EINVAL;
	if (st->nlinks)
		return st_fail(st, -EBUSY, "set the clock before adding links");
	st->clock = fn ? fn : mono_ns;
	st->clock_arg = fn ? arg : NULL;
	return 0;
}

/* --- timers ---------------------------------------------------------- */

static uint64_t units_ns(uint64_t units)
{
	return units * VDP_ECP_TIMER_UNIT_NS;
}

uint64_t st_response_wait_ns(const struct vdp_timers *t)
{
	/* 1.5 * ((2R + 1) * 2^RTE + 2^RWD) units of 10 us */
	uint64_t units = (2ull * t->r + 1) * (1ull << t->rte) + (1ull << t->rwd);
	return units_ns(units) * 3 / 2;
}

uint64_t st_keepalive_ns(const struct vdp_timers *t)
{
	return units_ns(1ull << t->rka);
}

uint64_t st_bridge_keepalive_ns(const struct vdp_timers *t)
{
	/* 1.5 * ((2R + 1) * 2^RTE + 2^RKA) units of 10 us */
	uint64_t units = (2ull * t->r + 1) * (1ull << t->rte) + (1ull << t->rka);
	return units_ns(units) * 3 / 2;
}

void st_timers_to_evb(const struct vdp_timers *t, struct vdp_evb_tlv *e)
{
	e->r = t->r;
	e->rte = t->rte;
	e->rwd = t->rwd;
	e->rka = t->rka;
}

static int timers_check(struct vdp_station *st, const struct vdp_timers *t)
{
	if (!t)
		return st_fail(st, -EINVAL, "timers: NULL");
	if (t->r > 7)
		return st_fail(st, -EINVAL, "timers: R %u is above 7", t->r);
	if (t->rte > 31 || t->rwd > 31 || t->rka > 31)
		return st_fail(st, -EINVAL, "timers: exponents are 0..31 (RTE %u RWD %u RKA %u)",
		               t->rte, t->rwd, t->rka);
	return 0;
}

/* In use: the advertised values, each raised to the bridge's (D.2.12). */
void st_link_set_use(struct st_link *l)
{
	struct vdp_timers u = l->own_timers ? l->local : l->st->timers;
	l->local = u;
	if (l->bridge_evb) {
		u.r = u.r > l->bridge.r ? u.r : l->bridge.r;
		u.rte = u.rte > l->bridge.rte ? u.rte : l->bridge.rte;
		u.rwd = u.rwd > l->bridge.rwd ? u.rwd : l->bridge.rwd;
		u.rka = u.rka > l->bridge.rka ? u.rka : l->bridge.rka;
	}
	l->use = u;
	vdp_ecp_engine_set_timers(l->ecp, u.r, u.rte);
}

int vdp_station_set_timers(struct vdp_station *st, const char *link, const struct vdp_timers *t)
{
	if (!st)
		return -EINVAL;
	int rc = timers_check(st, t);
	if (rc < 0)
		return rc;
	st_enter(st);
	if (link) {
		struct st_link *l = st_link_find(st, link);
		if (!l) {
			rc = st_fail(st, -ENOENT, "timers: no link named '%s'", link);
		} else {
			l->own_timers = true;
			l->local = *t;
			st_link_set_use(l);
		}
	} else {
		st->timers = *t;
		for (unsigned i = 0; i < st->nlinks; i++)
			if (!st->links[i]->own_timers)
				st_link_set_use(st->links[i]);
	}
	st_leave(st);
	return rc;
}

/* --- lifecycle ----------------------------------------------------------- */

struct vdp_station *vdp_station_new(const char *mgrid)
{
	const char *name = mgrid ? mgrid : "libvdp";
	size_t n = strlen(name);
	if (n == 0 || n > VDP_MGRID_LEN) {
		errno = EINVAL;
		return NULL;
	}
	struct vdp_station *st = calloc(1, sizeof(*st));
	if (!st)
		return NULL;
	memcpy(st->mgrid.id, name, n);
	st->clock = mono_ns;
	st->timers = (struct vdp_timers){VDP_EVB_DEFAULT_R, VDP_EVB_DEFAULT_RTE,
	                                 VDP_EVB_DEFAULT_RWD, VDP_EVB_DEFAULT_RKA};
	st->lldp = VDP_LLDP_BUILTIN;
	st->lldp_interval_ms = ST_LLDP_INTERVAL;
	memset(st->dhcp_server, 0xff, 4);
	st->next_op = 1;
	st->next_xid = 1;
	TAILQ_INIT(&st->nets);
	TAILQ_INIT(&st->vms);
	TAILQ_INIT(&st->tasks);
	TAILQ_INIT(&st->ops);
	TAILQ_INIT(&st->done);
	TAILQ_INIT(&st->xchgs);
	if (st_io_init(st) < 0) {
		int e = errno;
		free(st);
		errno = e;
		return NULL;
	}
	return st;
}

void vdp_station_free(struct vdp_station *st)
{
	if (!st)
		return;
	struct st_xchg *x;
	while ((x = TAILQ_FIRST(&st->xchgs)))
		st_xchg_drop(st, x);
	st_ops_free(st);
	struct st_vm *v;
	while ((v = TAILQ_FIRST(&st->vms))) {
		TAILQ_REMOVE(&st->vms, v, entry);
		free(v);
	}
	struct st_net *n;
	while ((n = TAILQ_FIRST(&st->nets))) {
		TAILQ_REMOVE(&st->nets, n, entry);
		free(n);
	}
	for (unsigned i = 0; i < st->nlinks; i++)
		st_link_free(st->links[i]);
	st_io_fini(st);
	free(st->notes);
	free(st);
}

/* --- callbacks ---------------------------------------------------------- */

int vdp_station_on_result(struct vdp_station *st, vdp_station_result_fn *fn, void *arg)
{
	if (!st)
		return -EINVAL;
	st->on_result = fn;
	st->result_arg = arg;
	return 0;
}

int vdp_station_on_event(struct vdp_station *st, vdp_station_event_fn *fn, void *arg)
{
	if (!st)
		return -EINVAL;
	st->on_event = fn;
	st->event_arg = arg;
	return 0;
}

int vdp_station_on_help(struct vdp_station *st, vdp_station_help_fn *fn, void *arg)
{
	if (!st)
		return -EINVAL;
	st->on_help = fn;
	st->help_arg = arg;
	return 0;
}

static struct st_note *note_new(struct vdp_station *st)
{
	if (st->nnotes == st->notes_cap) {
		size_t cap = st->notes_cap ? st->notes_cap * 2 : 16;
		struct st_note *n = realloc(st->notes, cap * sizeof(*n));
		if (!n)
			return NULL; /* the callback is lost; the state is not */
		st->notes = n;
		st->notes_cap = cap;
	}
	struct st_note *n = &st->notes[st->nnotes++];
	memset(n, 0, sizeof(*n));
	return n;
}

void st_post_result(struct vdp_station *st, const struct vdp_station_result *r)
{
	struct st_note *n = note_new(st);
	if (!n)
		return;
	n->what = 0;
	n->res = *r; /* its error_text is always a static string, detail an array */
	n->res.size = sizeof(n->res);
}

void st_post_event(struct vdp_station *st, const struct vdp_station_event *ev)
{
	struct st_note *n = note_new(st);
	if (!n)
		return;
	n->what = 1;
	n->ev = *ev;
	n->ev.size = sizeof(n->ev);
	if (ev->text)
		snprintf(n->text, sizeof(n->text), "%s", ev->text);
}

void st_enter(struct vdp_station *st)
{
	st->depth++;
}

/* The outermost call delivers what its work queued.  Notes queued by a
 * callback are delivered by the same loop, after the ones before them. */
void st_leave(struct vdp_station *st)
{
	if (st->depth > 1) {
		st->depth--;
		return;
	}
	for (size_t i = 0; i < st->nnotes; i++) {
		struct st_note n = st->notes[i]; /* the array may move */
		if (n.what == 0 && st->on_result) {
			st->on_result(st->result_arg, &n.res);
		} else if (n.what == 1 && st->on_event) {
			n.ev.text = n.text;
			st->on_event(st->event_arg, &n.ev);
		}
	}
	st->nnotes = 0;
	st->depth--;
	st_io_rearm(st);
}

/* --- lookups ------------------------------------------------------------ */

struct st_link *st_link_find(const struct vdp_station *st, const char *name)
{
	for (unsigned i = 0; name && i < st->nlinks; i++)
		if (strcmp(st->links[i]->name, name) == 0)
			return st->links[i];
	return NULL;
}

struct st_net *st_net_find(const struct vdp_station *st, uint32_t vnid)
{
	struct st_net *n;
	TAILQ_FOREACH(n, &st->nets, entry)
	if (n->vnid == vnid && !n->deleted)
		return n;
	return NULL;
}

struct st_vm *st_vm_find(const struct vdp_station *st, uint8_t fmt,
                         const uint8_t vsiid[VDP_VSIID_LEN])
{
	struct st_vm *v;
	TAILQ_FOREACH(v, &st->vms, entry)
	if (!v->gone && v->vm.vsiid_fmt == fmt && memcmp(v->vm.vsiid, vsiid, VDP_VSIID_LEN) == 0)
		return v;
	return NULL;
}

st_mask st_net_links(const struct vdp_station *st, const struct st_net *n)
{
	if (!n->all_links)
		return n->links;
	return st->nlinks >= 32 ? 0xffffffffu : (1u << st->nlinks) - 1;
}

/* --- links ----------------------------------------------------------------- */

static int ecp_send_cb(void *ctx, const uint8_t *frame, size_t len)
{
	struct st_link *l = ctx;
	return l->send(l->ctx, frame, len);
}

static void ecp_report_cb(void *ctx, const struct vdp_ecp_tx_report *r)
{
	struct st_link *l = ctx;
	st_xchg_ecp(l->st, l, r);
}

int st_link_new(struct vdp_station *st, const char *name, const uint8_t mac[6],
                vdp_station_send_fn *send, void *ctx, struct st_link **out)
{
	static const uint8_t zero[6];
	if (!name || !*name)
		return st_fail(st, -EINVAL, "link name is empty");
	if (strlen(name) >= VDP_STATION_NAME_LEN)
		return st_fail(st, -EINVAL, "link name '%s' is longer than %d characters", name,
		               VDP_STATION_NAME_LEN - 1);
	if (!mac || memcmp(mac, zero, 6) == 0 || (mac[0] & 1))
		return st_fail(st, -EINVAL, "link %s: the MAC address must be unicast and not zero",
		               name);
	if (!send)
		return st_fail(st, -EINVAL, "link %s: no send function", name);
	if (st_link_find(st, name))
		return st_fail(st, -EEXIST, "link %s exists already", name);
	if (st->nlinks == ST_MAX_LINKS)
		return st_fail(st, -ENOSPC, "a station has at most %d links", ST_MAX_LINKS);
	struct st_link *l = calloc(1, sizeof(*l));
	if (!l)
		return st_fail(st, -ENOMEM, "out of memory");
	l->st = st;
	l->idx = st->nlinks;
	snprintf(l->name, sizeof(l->name), "%s", name);
	memcpy(l->mac, mac, 6);
	l->send = send;
	l->ctx = ctx;
	l->fd = -1;
	l->local = st->timers;
	l->use = st->timers;
	struct vdp_ecp_engine_cfg cfg = {.size = sizeof(cfg),
	                                 .r = l->use.r,
	                                 .rte = l->use.rte,
	                                 .txq_depth = ST_ECP_DEPTH,
	                                 .send = ecp_send_cb,
	                                 .tx_report = ecp_report_cb,
	                                 .ctx = l};
	memcpy(cfg.local_mac, mac, 6);
	l->ecp = vdp_ecp_engine_new(&cfg);
	if (!l->ecp) {
		free(l);
		return st_fail(st, -ENOMEM, "link %s: cannot create the ECP engine", name);
	}
	/* LLDP: the first LLDPDU goes out at once, then ST_LLDP_FAST more a
	 * second apart, so that a bridge waiting for an EVB TLV starts soon. */
	l->next_lldp = st_now(st);
	l->lldp_fast = ST_LLDP_FAST;
	st->links[st->nlinks++] = l;
	*out = l;
	return 0;
}

void st_link_free(struct st_link *l)
{
	st_io_link_close(l);
	vdp_ecp_engine_free(l->ecp);
	free(l);
}

int vdp_station_add_link(struct vdp_station *st, const char *name, const uint8_t mac[6],
                         vdp_station_send_fn *send, void *ctx)
{
	if (!st)
		return -EINVAL;
	struct st_link *l;
	st_enter(st);
	int rc = st_link_new(st, name, mac, send, ctx, &l);
	st_leave(st);
	return rc;
}

int vdp_station_input(struct vdp_station *st, const char *link, const uint8_t *frame, size_t len)
{
	if (!st)
		return -EINVAL;
	struct st_link *l = st_link_find(st, link);
	if (!l)
		return st_fail(st, -ENOENT, "input: no link named '%s'", link ? link : "(NULL)");
	if (!frame && len)
		return st_fail(st, -EINVAL, "input: NULL frame");
	st_enter(st);
	st_link_input(l, frame, len);
	st_tasks_kick(st);
	st_leave(st);
	return 0;
}

/* --- views ---------------------------------------------------------------- */

/* Each view fills in libvdp's layout of its structure, then hands over
 * what the caller's (its size) has room for. */

int vdp_station_vm_at(const struct vdp_station *st, unsigned i, struct vdp_station_vm_info *out)
{
	if (!st || !out)
		return -EINVAL;
	const struct st_vm *v;
	TAILQ_FOREACH(v, &st->vms, entry)
	{
		if (v->gone || i--)
			continue;
		struct vdp_station_vm_info vi = {.vm = v->vm, .migrated = v->migrated};
		for (unsigned k = 0; k < st->nlinks; k++) {
			if (!(v->links & (1u << k)))
				continue;
			struct vdp_station_vm_link *o = &vi.links[vi.nlinks++];
			o->link = st->links[k]->name;
			o->state = v->l[k].state;
			o->vid = v->l[k].vid;
		}
		return sized_out(out, &vi, sizeof(vi)) ? 0 : -EINVAL;
	}
	return -ENOENT;
}

int vdp_station_net_at(const struct vdp_station *st, unsigned i, struct vdp_station_net_info *out)
{
	if (!st || !out)
		return -EINVAL;
	const struct st_net *n;
	TAILQ_FOREACH(n, &st->nets, entry)
	{
		if (i--)
			continue;
		struct vdp_station_net_info ni = {
		    .vnid = n->vnid, .plain = n->plain, .policy = n->policy};
		const struct st_vm *v;
		TAILQ_FOREACH(v, &st->vms, entry)
		ni.nvms += !v->gone && v->vm.vnid == n->vnid;
		st_mask m = st_net_links(st, n);
		for (unsigned k = 0; k < st->nlinks; k++) {
			if (!(m & (1u << k)))
				continue;
			ni.links[ni.nlinks].link = st->links[k]->name;
			ni.links[ni.nlinks++].sync = n->sync[k];
		}
		return sized_out(out, &ni, sizeof(ni)) ? 0 : -EINVAL;
	}
	return -ENOENT;
}

int vdp_station_link_at(const struct vdp_station *st, unsigned i, struct vdp_station_link_info *out)
{
	if (!st || !out)
		return -EINVAL;
	if (i >= st->nlinks)
		return -ENOENT;
	const struct st_link *l = st->links[i];
	struct vdp_station_link_info li = {.name = l->name,
	                                   .interface = l->fd >= 0,
	                                   .local = l->local,
	                                   .timers = l->use,
	                                   .bridge_evb = l->bridge_evb,
	                                   .peer_known = l->peer_known,
	                                   .tx_pdus = l->tx_pdus,
	                                   .rx_pdus = l->rx_pdus,
	                                   .tx_lldp = l->tx_lldp,
	                                   .rx_lldp = l->rx_lldp,
	                                   .keepalives = l->keepalives,
	                                   .foreign = l->foreign,
	                                   .unmatched = l->unmatched,
	                                   .resends = l->resends,
	                                   .given_up = l->given_up,
	                                   .late_acks = l->late_acks};
	struct vdp_ecp_engine_counters c = {.size = sizeof(c)};
	if (vdp_ecp_engine_get_counters(l->ecp, &c) == 0) {
		li.retransmits = c.tx_retransmits;
		li.ecp_failures = c.tx_failures;
	}
	memcpy(li.mac, l->mac, 6);
	memcpy(li.peer, l->peer, 6);
	return sized_out(out, &li, sizeof(li)) ? 0 : -EINVAL;
}
