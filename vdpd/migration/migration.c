/* SPDX-License-Identifier: ISC */
/* vdpd: migration services, what a VM that migrated in takes along (migration.h):
 * the plan made at the Associate, the task set and its clock, the IGMP
 * queries.  The leasequery and the help request are in their own files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migration/igmp.h"
#include "log.h"
#include "migration/migration.h"
#include "core/vdpd.h"

static const char *const counter_names[MIG_COUNTER_COUNT] = {
#define X(id, name, key, text) [MIG_##id] = name,
    MIG_COUNTERS(X)
#undef X
};

static const char *const counter_keys[MIG_COUNTER_COUNT] = {
#define X(id, name, key, text) [MIG_##id] = key,
    MIG_COUNTERS(X)
#undef X
};

const char *mig_counter_name(enum mig_counter c)
{
	return c < MIG_COUNTER_COUNT ? counter_names[c] : "?";
}

const char *mig_counter_key(enum mig_counter c)
{
	return c < MIG_COUNTER_COUNT ? counter_keys[c] : "?";
}

void mig_count(struct mig *m, enum mig_counter c)
{
	m->counters[c]++;
}

bool mig_log_ok(struct mig *m, enum mig_counter c, int64_t now_s)
{
	if (m->logged[c] && now_s - m->logged[c] < MIG_LOG_EVERY)
		return false;
	m->logged[c] = now_s ? now_s : 1;
	return true;
}

struct mig *mig_new(const struct mig_ops *ops, uint32_t xid_seed)
{
	struct mig *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	bindings_init(&m->tab);
	m->ops = ops;
	m->next_xid = xid_seed;
	return m;
}

void mig_free(struct mig *m)
{
	if (!m)
		return;
	bindings_free(&m->tab);
	free(m);
}

static bool policy_on(const struct vnid *n, uint8_t type)
{
	for (unsigned i = 0; i < n->policy.nentries; i++)
		if (n->policy.entries[i].type == type)
			return n->policy.entries[i].u.enable;
	return false;
}

bool mig_vnid_dhcp(const struct vnid *n)
{
	return policy_on(n, VDP_POL_DHCP_SNOOP);
}

bool mig_vnid_igmp(const struct vnid *n)
{
	return policy_on(n, VDP_POL_IGMP_SNOOP);
}

enum conf_dhcp_mode mig_dhcp_mode(const struct conf *c, uint32_t vnid)
{
	for (unsigned i = 0; i < c->ndhcp_vnids; i++)
		if (c->dhcp_vnids[i].vnid == vnid)
			return c->dhcp_vnids[i].mode;
	return c->dhcp_mode;
}

static bool has_mac(uint8_t fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

struct vsi *mig_vsi_by_mac(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid)
{
	return vdpd_vsi_by_mac(d, port, mac, vid);
}

struct mig_task *mig_task_new(struct mig *m)
{
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++)
		if (m->tasks[i].kind == MT_NONE) {
			memset(&m->tasks[i], 0, sizeof(m->tasks[i]));
			return &m->tasks[i];
		}
	mig_count(m, MIG_TASKS_FULL);
	return NULL;
}

bool mig_task_live(struct vdpd *d, const struct mig_task *t)
{
	const struct vsi *v = vdpd_vsi_find(d, t->vsiid_fmt, t->vsiid);
	return v && v->port == t->port && v->state == VSI_ASSOC;
}

void mig_task_binding(const struct mig_task *t, struct binding *b)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->mac, t->mac, 6);
	b->vid = t->vid;
	b->port = t->port;
	b->vnid = t->vnid;
	b->vsiid_fmt = t->vsiid_fmt;
	memcpy(b->vsiid, t->vsiid, VDP_VSIID_LEN);
	b->state = BIND_BOUND;
}

int mig_bind(struct vdpd *d, const struct binding *b)
{
	struct mig *m = d->mig;
	int rc = bindings_put(&m->tab, b, d->conf.dhcp_max_bindings, NULL);
	if (rc == 0) {
		m->dirty = true;
		return 0;
	}
	if (rc == BINDINGS_E_FULL)
		mig_count(m, MIG_TABLE_FULL);
	log_warn("port %s: binding of MAC %02x:%02x:%02x:%02x:%02x:%02x VLAN %u refused: %s",
	         b->port < d->nports ? d->ports[b->port].name : "?", b->mac[0], b->mac[1],
	         b->mac[2], b->mac[3], b->mac[4], b->mac[5], b->vid,
	         rc == BINDINGS_E_FULL ? "the port holds dhcp.max_bindings" : strerror(-rc));
	return rc;
}

void mig_unverified(struct vdpd *d, const struct mig_task *t)
{
	struct mig *m = d->mig;
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++) {
		const struct mig_task *o = &m->tasks[i];
		if (o != t && (o->kind == MT_LEASEQUERY || o->kind == MT_HELP) &&
		    o->vid == t->vid && memcmp(o->mac, t->mac, 6) == 0)
			return; /* another check is still under way */
	}
	struct binding *b = bindings_find(&m->tab, t->mac, t->vid);
	if (b && b->state == BIND_VERIFYING) {
		b->state = BIND_UNVERIFIED;
		m->dirty = true;
	}
}

/* --- the plan at the Associate ------------------------------------------ */

static void task_fill(struct mig_task *t, enum mig_task_kind kind, const struct vsi *v,
                      const struct vdp_filter *f, uint64_t due)
{
	t->kind = (uint8_t)kind;
	t->state = MS_DUE;
	t->due = due;
	t->port = v->port;
	t->vsiid_fmt = v->vsiid_fmt;
	memcpy(t->vsiid, v->vsiid, VDP_VSIID_LEN);
	memcpy(t->mgrid, v->mgrid, VDP_MGRID_LEN);
	t->vnid = v->vnid;
	memcpy(t->mac, f->mac, 6);
	t->vid = f->vid;
	t->pcp = f->pcp;
	t->ps = f->ps;
}

/* Marks the binding of t's MAC and VLAN as being checked. */
static void mark_verifying(struct mig *m, const struct mig_task *t, uint8_t ip[4])
{
	struct binding *b = bindings_find(&m->tab, t->mac, t->vid);
	if (!b)
		return;
	memcpy(ip, b->ip, 4);
	b->state = BIND_VERIFYING;
	m->dirty = true;
}

static void plan_dhcp(struct vdpd *d, const struct vsi *v, enum conf_dhcp_mode mode,
                      uint64_t now_ns)
{
	for (unsigned i = 0; i < v->nfilters; i++) {
		struct mig_task *t = mig_task_new(d->mig);
		if (!t)
			return;
		task_fill(t, mode == CONF_DHCP_HELP ? MT_HELP : MT_LEASEQUERY, v, &v->filters[i],
		          now_ns);
		mark_verifying(d->mig, t, t->ip);
		if (mode == CONF_DHCP_LEASEQUERY)
			lq_start(d, t, now_ns);
	}
}

static void plan_igmp(struct vdpd *d, const struct vsi *v, uint64_t now_ns)
{
	/* One VLAN per VSI: its filters all carry the VNID's. */
	struct mig_task *t = mig_task_new(d->mig);
	if (!t)
		return;
	task_fill(t, MT_IGMP, v, &v->filters[0], now_ns);
	t->left = d->conf.igmp_queries;
}

void migration_attach(struct vdpd *d, struct mig *m)
{
	static const struct vdpd_hooks hooks = {
	    .migrated_in = migration_on_assoc,
	    .help_answer = migration_help_answer,
	};
	d->mig = m;
	d->hooks = m ? &hooks : NULL;
}

void migration_on_assoc(struct vdpd *d, const struct vsi *v, const struct vnid *n, uint64_t now_ns)
{
	struct mig *m = d->mig;
	char id[VDP_VSIID_STRLEN];
	if (!m || v->state != VSI_ASSOC || !v->nfilters)
		return;
	bool dhcp = mig_vnid_dhcp(n) && has_mac(v->filter_fmt), igmp = mig_vnid_igmp(n);
	enum conf_dhcp_mode mode = mig_dhcp_mode(&d->conf, n->vnid);
	vdp_vsiid_str(v->vsiid_fmt, v->vsiid, id, sizeof(id));
	if (!dhcp && !igmp) {
		log_debug("port %s: VSI %s (VNID %u) migrated in; its policy snoops neither DHCP "
		          "nor IGMP",
		          d->ports[v->port].name, id, n->vnid);
		return;
	}
	mig_count(m, MIG_MIGRATIONS);
	log_info("port %s: VSI %s (VNID %u, VLAN %u) migrated in: %s%s%s", d->ports[v->port].name,
	         id, n->vnid, v->filters[0].vid,
	         dhcp ? (mode == CONF_DHCP_HELP ? "DHCP binding by help request"
	                                        : "DHCP binding by leasequery")
	              : "",
	         dhcp && igmp ? ", " : "", igmp ? "IGMP query" : "");
	if (dhcp)
		plan_dhcp(d, v, mode, now_ns);
	if (igmp)
		plan_igmp(d, v, now_ns);
	if (m->ops && m->ops->kick)
		m->ops->kick(m->ops->arg);
}

/* --- IGMP ------------------------------------------------------------------- */

static void igmp_step(struct vdpd *d, struct mig_task *t, uint64_t now_ns)
{
	struct mig *m = d->mig;
	struct igmp_query q = {.version = d->conf.igmp_version,
	                       .vid = t->vid,
	                       .pcp = t->pcp,
	                       .max_resp = d->conf.igmp_max_response,
	                       .qrv = 2,
	                       .qqic = 125};
	uint8_t frame[128];
	const char *why = NULL;
	int rc = m->ops->port_mac(m->ops->arg, t->port, q.src_mac);
	int len = rc < 0 ? rc : igmp_query_encode(&q, frame, sizeof(frame));
	if (len < 0)
		why = rc < 0 ? strerror(-rc) : igmp_strerror(len);
	else if ((rc = m->ops->port_send(m->ops->arg, t->port, frame, (size_t)len)) < 0)
		why = strerror(-rc);
	if (why) {
		mig_count(m, MIG_IGMP_FAILED);
		log_warn("port %s: IGMPv%u query for VNID %u VLAN %u not sent: %s",
		         d->ports[t->port].name, q.version, t->vnid, t->vid, why);
	} else {
		mig_count(m, MIG_IGMP_QUERIES);
		log_info("port %s: IGMPv%u general query sent in VLAN %u (VNID %u, migrated VM "
		         "%02x:%02x:%02x:%02x:%02x:%02x)",
		         d->ports[t->port].name, q.version, t->vid, t->vnid, t->mac[0], t->mac[1],
		         t->mac[2], t->mac[3], t->mac[4], t->mac[5]);
	}
	if (t->left > 1) {
		t->left--;
		t->due = now_ns + MIG_IGMP_INTERVAL;
	} else {
		t->kind = MT_NONE;
	}
}

/* --- the clock -------------------------------------------------------------- */

static void run_task(struct vdpd *d, struct mig_task *t, uint64_t now_ns)
{
	if (t->state == MS_DUE && !mig_task_live(d, t)) {
		mig_count(d->mig, MIG_TASKS_STALE);
		log_info("port %s: migration work for VNID %u dropped: the VSI left the port",
		         d->ports[t->port].name, t->vnid);
		t->kind = MT_NONE;
		return;
	}
	switch (t->kind) {
	case MT_LEASEQUERY:
		lq_step(d, t, now_ns);
		break;
	case MT_HELP:
		help_step(d, t, now_ns);
		break;
	case MT_IGMP:
		igmp_step(d, t, now_ns);
		break;
	default:
		t->kind = MT_NONE;
	}
}

static void expired(void *arg, const struct binding *b)
{
	struct vdpd *d = arg;
	char ip[16];
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", b->ip[0], b->ip[1], b->ip[2], b->ip[3]);
	mig_count(d->mig, MIG_EXPIRED);
	log_info("port %s: binding %s for MAC %02x:%02x:%02x:%02x:%02x:%02x VLAN %u expired",
	         b->port < d->nports ? d->ports[b->port].name : "?", ip, b->mac[0], b->mac[1],
	         b->mac[2], b->mac[3], b->mac[4], b->mac[5], b->vid);
}

void migration_tick(struct vdpd *d, uint64_t now_ns, int64_t now_s)
{
	struct mig *m = d->mig;
	if (!m)
		return;
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++)
		if (m->tasks[i].kind != MT_NONE && m->tasks[i].due <= now_ns)
			run_task(d, &m->tasks[i], now_ns);
	if (bindings_expire(&m->tab, now_s, expired, d))
		m->dirty = true;
}
