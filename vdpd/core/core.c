/* SPDX-License-Identifier: ISC */
/* vdpd: the context and its tables: creation, lookups, counters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "core/vdpd.h"

static void backend_log(void *arg, int prio, const char *msg)
{
	(void)arg;
	logmsg(prio, "%s", msg);
}

static void ports_init(struct vdpd *d)
{
	d->nports = d->conf.nports;
	for (unsigned i = 0; i < d->nports; i++) {
		struct port *p = &d->ports[i];
		memset(p, 0, sizeof(*p));
		snprintf(p->name, sizeof(p->name), "%s", d->conf.ports[i].name);
		p->index = i;
		p->conf = &d->conf.ports[i];
		p->evb = (struct vdp_evb_tlv){.mode = VDP_EVB_MODE_BRIDGE,
		                              .bgid = false,
		                              .rrcap = d->conf.rrcap,
		                              .r = d->conf.r,
		                              .rte = d->conf.rte,
		                              .rwd = d->conf.rwd,
		                              .rka = d->conf.rka};
	}
}

/* Static per-type VLANs are set aside for their VNID from the start, so
 * that no other VNID can take them first. */
static void pool_init(struct vdpd *d)
{
	vlan_pool_init(&d->pool, &d->conf);
	for (unsigned i = 0; i < d->conf.ntypes; i++)
		if (d->conf.types[i].vid)
			vlan_pool_claim(&d->pool, d->conf.types[i].vid, d->conf.types[i].vnid);
	struct vnid *n;
	TAILQ_FOREACH(n, &d->vnids, entry)
	if (n->vid)
		vlan_pool_claim(&d->pool, n->vid, n->vnid);
}

int vdpd_init(struct vdpd *d, const struct conf *c, const struct backend_ops *be_ops, char *err,
              size_t errlen)
{
	memset(d, 0, sizeof(*d));
	d->conf = *c;
	TAILQ_INIT(&d->vsis);
	TAILQ_INIT(&d->vnids);
	ports_init(d);
	pool_init(d);
	fair_init_ports(d);

	struct backend_opts opts = {
	    .novlan = c->no_vlan_filtering == CONF_NOVF_REFUSE ? BACKEND_NOVLAN_REFUSE
	                                                       : BACKEND_NOVLAN_NFTABLES,
	    .log = backend_log,
	};
	struct backend_err be_err;
	if (backend_open(&d->be, be_ops, c->bridge, &opts, &be_err) < 0) {
		snprintf(err, errlen, "bridge %s: %s", c->bridge, be_err.msg);
		return -1;
	}
	d->backend_ready = true;
	return 0;
}

void vdpd_reconfigure(struct vdpd *d, const struct conf *c)
{
	d->conf = *c;
	for (unsigned i = 0; i < d->nports; i++) {
		struct port *p = &d->ports[i];
		p->conf = &d->conf.ports[i];
		p->evb.rrcap = c->rrcap;
		p->evb.r = c->r;
		p->evb.rte = c->rte;
		p->evb.rwd = c->rwd;
		p->evb.rka = c->rka;
	}
	/* VLANs in use stay with their VNIDs even if the new pool no longer
	 * holds them; they go back when released. */
	pool_init(d);
	fair_init_ports(d);
}

void vdpd_fini(struct vdpd *d)
{
	if (!d->backend_ready)
		return;
	struct vsi *v;
	while ((v = TAILQ_FIRST(&d->vsis)))
		vsi_remove(d, v, false, "vdpd stopping");
	struct vnid *n;
	while ((n = TAILQ_FIRST(&d->vnids))) {
		TAILQ_REMOVE(&d->vnids, n, entry);
		vnid_index_del(d, n);
		free(n);
	}
	vdpd_index_free(d);
	struct backend_err be_err;
	if (backend_flush_owned(&d->be, &be_err) < 0)
		log_warn("bridge %s: removing vdpd's kernel state: %s", d->conf.bridge, be_err.msg);
	backend_close(&d->be);
	d->backend_ready = false;
}

int vdpd_port_find(const struct vdpd *d, const char *name)
{
	for (unsigned i = 0; i < d->nports; i++)
		if (strcmp(d->ports[i].name, name) == 0)
			return (int)i;
	return -1;
}

void vdpd_count(struct vdpd *d, unsigned port, enum reason r)
{
	d->counters[r]++;
	if (port < d->nports)
		d->ports[port].counters[r]++;
}
