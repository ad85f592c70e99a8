/* SPDX-License-Identifier: ISC */
/* vdpd: `show bindings` (ctl_bindings.h).  Read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctl/ctl_bindings.h"
#include "ctl/ctl_show.h"
#include "migration/migration.h"
#include "core/vdpd.h"

static int64_t (*wallclock)(void);

void ctl_bindings_set_clock(int64_t (*now_s)(void))
{
	wallclock = now_s;
}

static int cmp(const void *a, const void *b)
{
	const struct binding *x = a, *y = b;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->vid != y->vid)
		return x->vid < y->vid ? -1 : 1;
	return memcmp(x->mac, y->mac, 6);
}

static void row(struct out *o, const struct vdpd *d, const struct binding *b, int64_t now)
{
	char mac[18], ip[16], id[VDP_VSIID_STRLEN];
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", b->mac[0], b->mac[1], b->mac[2],
	         b->mac[3], b->mac[4], b->mac[5]);
	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", b->ip[0], b->ip[1], b->ip[2], b->ip[3]);
	row_begin(o);
	cell_str(o, b->port < d->nports ? d->ports[b->port].name : NULL);
	cell_str(o, mac);
	cell_uint(o, b->vid);
	cell_str(o, ip);
	cell_uint(o, b->vnid);
	cell_str(o, b->vsiid_fmt ? vdp_vsiid_str(b->vsiid_fmt, b->vsiid, id, sizeof(id)) : NULL);
	cell_uint_unit(o, b->expires > now ? (uint64_t)(b->expires - now) : 0, "s");
	cell_str(o, binding_src_name(b->src));
	cell_str(o, binding_state_name(b->state));
	row_end(o);
}

void show_bindings(struct out *o, struct vdpd *d, uint64_t now_ns)
{
	static const struct out_col cols[] = {
	    {"PORT", "port"},   {"MAC", "mac"},       {"VLAN", "vlan"},
	    {"IP", "ip"},       {"VNID", "vnid"},     {"VSIID", "vsiid"},
	    {"LEASE", "lease"}, {"SOURCE", "source"}, {"STATE", "state"},
	};
	const struct mig *m = d->mig;
	int64_t now = wallclock ? wallclock() : (int64_t)time(NULL);
	size_t n = m ? m->tab.n : 0;
	struct binding *v = n ? malloc(n * sizeof(*v)) : NULL; /* a sorted copy */
	(void)now_ns;
	if (v) {
		memcpy(v, m->tab.v, n * sizeof(*v));
		qsort(v, n, sizeof(*v), cmp);
	}
	tab_begin(o, "bindings", cols, sizeof(cols) / sizeof(cols[0]));
	for (size_t i = 0; i < n; i++) /* unsorted if there was no memory to sort */
		row(o, d, v ? &v[i] : &m->tab.v[i], now);
	tab_end(o);
	free(v);
	out_blank(o);
	for (unsigned c = 0; c < MIG_COUNTER_COUNT; c++)
		out_kv_uint(o, mig_counter_name((enum mig_counter)c),
		            mig_counter_key((enum mig_counter)c), m ? m->counters[c] : 0);
}
