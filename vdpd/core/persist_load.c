/* SPDX-License-Identifier: ISC */
/* vdpd: the tables back from the state directory at start (persist.h).
 * Records are replayed into bare tables (last record per key wins); only
 * then are the derived counts, the pool, the fairness charges and the
 * kernel state rebuilt from them, through the same kprog path a request
 * takes, so that a loaded VSI is programmed exactly as a granted one. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "core/persist.h"
#include "core/vdpd.h"

struct load_ctx {
	struct vdpd *d;
	unsigned dropped;
};

static void drop_vsi(struct vdpd *d, const uint8_t *key)
{
	struct vsi *v = vdpd_vsi_find(d, key[0], key + 1);
	if (v) {
		vsi_index_del(d, v);
		TAILQ_REMOVE(&d->vsis, v, entry);
		free(v);
	}
}

static void drop_vnid(struct vdpd *d, uint32_t vnid)
{
	struct vnid *n = vdpd_vnid_find(d, vnid);
	if (n) {
		vnid_index_del(d, n);
		TAILQ_REMOVE(&d->vnids, n, entry);
		free(n);
	}
}

static void load_vsi(struct load_ctx *c, const struct rec *r)
{
	static struct vsi nv;
	char why[96];
	if (r->keylen != 1 + VDP_VSIID_LEN) {
		c->dropped++;
		return;
	}
	drop_vsi(c->d, r->key);
	if (r->op == REC_DEL)
		return;
	struct vsi *v;
	snprintf(why, sizeof(why), "out of memory");
	if (persist_vsi_decode(c->d, r, &nv, why, sizeof(why)) < 0 || vsi_index_reserve(c->d) < 0 ||
	    !(v = malloc(sizeof(*v)))) {
		log_warn("state: a VSI record dropped: %s", why);
		c->dropped++;
		return;
	}
	*v = nv;
	/* The indexes' links are the table's, not the record's. */
	v->hnext = NULL;
	v->macs = NULL;
	TAILQ_INSERT_TAIL(&c->d->vsis, v, entry);
	vsi_index_add(c->d, v); /* creation order: the order of the records */
	/* Into the deadline heap now, where vsi_index_reserve() made room;
	 * restore() sets the deadline once the VSI is kept. */
	vsi_deadline_set(c->d, v, 0);
}

static void load_vnid(struct load_ctx *c, const struct rec *r)
{
	static struct vnid nn;
	char why[96];
	if (r->keylen != 4) {
		c->dropped++;
		return;
	}
	uint32_t vnid = (uint32_t)r->key[0] << 24 | (uint32_t)r->key[1] << 16 |
	                (uint32_t)r->key[2] << 8 | r->key[3];
	drop_vnid(c->d, vnid);
	if (r->op == REC_DEL)
		return;
	struct vnid *n;
	snprintf(why, sizeof(why), "out of memory");
	if (persist_vnid_decode(c->d, r, &nn, why, sizeof(why)) < 0 || !(n = malloc(sizeof(*n)))) {
		log_warn("state: VNID %u record dropped: %s", vnid, why);
		c->dropped++;
		return;
	}
	*n = nn;
	n->hnext = NULL;
	if (vnid_index_add(c->d, n) < 0) {
		log_warn("state: VNID %u record dropped: out of memory", vnid);
		free(n);
		c->dropped++;
		return;
	}
	TAILQ_INSERT_TAIL(&c->d->vnids, n, entry);
}

static void load(void *ctx, const struct rec *r)
{
	struct load_ctx *c = ctx;
	if (r->kind == PERSIST_VSI)
		load_vsi(c, r);
	else if (r->kind == PERSIST_VNID)
		load_vnid(c, r);
	else
		c->dropped++; /* a kind of a later version: not ours to guess */
}

static int dump(void *ctx, struct store *st)
{
	static struct persist_rec r;
	struct load_ctx *c = ctx;
	struct vnid *n;
	struct vsi *v;
	TAILQ_FOREACH(n, &c->d->vnids, entry)
	{
		if (persist_vnid_encode(c->d, n, &r) < 0 ||
		    store_snap_put(st, r.kind, r.key, r.keylen, r.val, r.vallen) < 0)
			return -1;
	}
	TAILQ_FOREACH(v, &c->d->vsis, entry)
	{
		if (persist_vsi_encode(c->d, v, &r) < 0 ||
		    store_snap_put(st, r.kind, r.key, r.keylen, r.val, r.vallen) < 0)
			return -1;
	}
	return 0;
}

/* The pool and the ports' charges, as the requests that made n left them. */
static void vnid_restore(struct vdpd *d, struct vnid *n, struct persist_counts *pc)
{
	unsigned vlan_port = n->vlan_port;
	n->nmembers = n->nenabled = 0;
	memset(n->nenabled_on, 0, sizeof(n->nenabled_on));
	fair_vnid_charge(d, n, n->vnid_port); /* sets vlan_port to none */
	if (n->vid) {
		vlan_pool_claim(&d->pool, n->vid, n->vnid);
		pc->vlans++;
		if (vlan_port < d->nports)
			fair_vlan_charge(d, n, vlan_port);
	}
	if (n->synced) {
		d->nvnids_synced++;
		pc->synced++;
	}
	pc->vnids++;
}

/* Programs an associated VSI (counts before it, as kprog expects), then
 * counts it as a member; its keepalive starts now. */
static void vsi_restore(struct vdpd *d, struct vsi *v, struct vnid *n, uint64_t now_ns)
{
	if (v->state == VSI_ASSOC) {
		struct kop_list l = {0};
		char what[64];
		snprintf(what, sizeof(what), "restored VSI of VNID %u", v->vnid);
		if (kprog_vsi(d, v, n, &n->policy, true, &l) < 0 ||
		    kprog_apply(d, v->port, &l, what) < 0)
			log_err("state: %s on port %s: kernel refused it (kept in the tables)",
			        what, d->ports[v->port].name);
		kop_list_free(&l);
	}
	n->nmembers++;
	n->nenabled += v->state == VSI_ASSOC;
	n->nenabled_on[v->port] += v->state == VSI_ASSOC;
	d->ports[v->port].nvsis++;
	vsi_mac_link(d, v);
	vsi_deadline_set(d, v, now_ns + vsi_keepalive_ns(&d->ports[v->port].evb));
}

static void restore(struct vdpd *d, uint64_t now_ns, struct persist_counts *pc)
{
	struct vnid *n, *nnext;
	struct vsi *v, *next;
	TAILQ_FOREACH(n, &d->vnids, entry)
	vnid_restore(d, n, pc);
	for (v = TAILQ_FIRST(&d->vsis); v; v = next) {
		next = TAILQ_NEXT(v, entry);
		if (!(n = vdpd_vnid_find(d, v->vnid))) {
			log_warn("state: VSI of VNID %u dropped: the VNID's record is missing",
			         v->vnid);
			persist_vsi_del(d, v);
			vsi_index_del(d, v);
			TAILQ_REMOVE(&d->vsis, v, entry);
			free(v);
			pc->dropped++;
			continue;
		}
		vsi_restore(d, v, n, now_ns);
		pc->vsis++;
	}
	/* A VNID no VSI and no sync holds would have gone with its last VSI. */
	for (n = TAILQ_FIRST(&d->vnids); n; n = nnext) {
		nnext = TAILQ_NEXT(n, entry);
		if (!n->synced && !n->nmembers && n->vid_origin != VID_STATIC)
			policy_vnid_put(d, n);
	}
}

int persist_open(struct vdpd *d, const char *dir, uint64_t now_ns, struct persist_counts *pc,
                 char *err, size_t errlen)
{
	static struct load_ctx c; /* the store keeps it for its compactions */
	struct store *st;
	c.d = d;
	c.dropped = 0;
	memset(pc, 0, sizeof(*pc));
	if (store_open(&st, dir, load, dump, &c, err, errlen) < 0)
		return -1;
	d->store = st;
	pc->dropped = c.dropped;
	restore(d, now_ns, pc);
	return 0;
}

void persist_close(struct vdpd *d)
{
	char err[256];
	if (!d->store)
		return;
	if (store_pending(d->store) && store_commit(d->store, err, sizeof(err)) < 0)
		log_err("state: %s", err);
	store_close(d->store);
	d->store = NULL;
}
