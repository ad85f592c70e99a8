/* SPDX-License-Identifier: ISC */
/* vdpd: `show ports|vsis|vnids|vlans|counters`, the daemon's tables as
 * vdpctl(8) prints them.  Read-only: nothing here changes a table. */
#include <stdio.h>
#include <stdlib.h>

#include <vdp/format.h>

#include "ctl/ctl.h"
#include "ctl/ctl_show.h"
#include "core/vdpd.h"

static const char *origin_name(enum vid_origin o)
{
	switch (o) {
	case VID_AUTO:
		return "auto";
	case VID_REQUEST:
		return "request";
	case VID_POLICY:
		return "policy";
	case VID_STATIC:
		return "static";
	case VID_NONE:
		break;
	}
	return NULL;
}

/* --- ports ----------------------------------------------------------- */

static uint64_t refused(const struct port *p)
{
	uint64_t n = 0;
	for (unsigned r = 0; r < REASON_COUNT; r++)
		if (reason_code((enum reason)r))
			n += p->counters[r];
	return n;
}

static uint64_t rx_errors(const struct port *p)
{
	uint64_t n = 0;
	for (unsigned e = 0; e < VDP_E_COUNT_ALL; e++)
		n += p->rx_err[e];
	return n;
}

void show_ports(struct out *o, struct vdpd *d)
{
	static const struct out_col cols[] = {
	    {"PORT", "port"},
	    {"VSIS", "vsis"},
	    {"ACCEPTED", "accepted"},
	    {"REFUSED", "refused"},
	    {"RX-ERRORS", "rx_errors"},
	    {"R", "r"},
	    {"RTE", "rte"},
	    {"RWD", "rwd"},
	    {"RKA", "rka"},
	    {"RX-PDUS", "rx_pdus"},
	    {"TX-RESPONSES", "tx_responses"},
	    {"TX-DEASSOCS", "tx_deassocs"},
	    /* Fairness (core/fairness.c): what the port holds, its caps,
	     * what the kernel dropped for it (its socket buffer full). */
	    {"VLANS", "vlans"},
	    {"MAX-VLANS", "max_vlans"},
	    {"VNIDS", "vnids"},
	    {"MAX-VNIDS", "max_vnids"},
	    {"NEW-VSI-RATE", "new_vsi_rate"},
	    {"RX-DROPS", "rx_drops"},
	    {"RX-PAUSES", "rx_pauses"},
	};
	tab_begin(o, "ports", cols, sizeof(cols) / sizeof(cols[0]));
	for (unsigned i = 0; i < d->nports; i++) {
		const struct port *p = &d->ports[i];
		row_begin(o);
		cell_str(o, p->name);
		cell_uint(o, p->nvsis);
		cell_uint(o, p->counters[REASON_OK]);
		cell_uint(o, refused(p));
		cell_uint(o, rx_errors(p));
		cell_uint(o, p->evb.r);
		cell_uint(o, p->evb.rte);
		cell_uint(o, p->evb.rwd);
		cell_uint(o, p->evb.rka);
		cell_uint(o, p->rx_pdus);
		cell_uint(o, p->tx_responses);
		cell_uint(o, p->tx_deassocs);
		cell_uint(o, p->nvlans);
		cell_uint(o, p->max_vlans);
		cell_uint(o, p->nvnids);
		cell_uint(o, p->max_vnids);
		cell_uint(o, p->new_vsi_rate);
		cell_uint(o, p->rx_drops);
		cell_uint(o, p->rx_pauses);
		row_end(o);
	}
	tab_end(o);
}

/* --- vsis ------------------------------------------------------------ */

static void cell_port_mask(struct out *o, const struct vdpd *d, uint64_t mask)
{
	cell_list_begin(o, ",");
	for (unsigned i = 0; i < d->nports && i < 64; i++)
		if (mask & (1ull << i))
			item_str(o, d->ports[i].name);
	cell_list_end(o);
}

static bool filter_has_mac(uint8_t fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

static void cell_macs(struct out *o, const struct vsi *v)
{
	char mac[18];
	cell_list_begin(o, ",");
	for (unsigned i = 0; filter_has_mac(v->filter_fmt) && i < v->nfilters; i++) {
		const uint8_t *m = v->filters[i].mac;
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3],
		         m[4], m[5]);
		item_str(o, mac);
	}
	cell_list_end(o);
}

/* Whole seconds left before the keepalive timeout removes the VSI. */
static uint64_t expires_s(const struct vsi *v, uint64_t now_ns)
{
	return v->deadline_ns > now_ns ? (v->deadline_ns - now_ns) / 1000000000ull : 0;
}

static void vsi_row(struct out *o, const struct vdpd *d, const struct vsi *v, uint64_t now_ns)
{
	char id[VDP_VSIID_STRLEN];
	row_begin(o);
	cell_str(o, vdp_vsiid_str(v->vsiid_fmt, v->vsiid, id, sizeof(id)));
	cell_str(o, vdp_vsiid_format_name(v->vsiid_fmt));
	cell_str(o, v->port < d->nports ? d->ports[v->port].name : NULL);
	cell_uint(o, v->vnid);
	cell_str(o, v->state == VSI_ASSOC ? "assoc" : "preassoc");
	if (v->nfilters && v->filters[0].vid)
		cell_uint(o, v->filters[0].vid);
	else
		cell_str(o, NULL);
	cell_macs(o, v);
	cell_bool(o, v->migrated);
	cell_uint_unit(o, expires_s(v, now_ns), "s");
	/* Claims of ports the VSI migrated away from, and a reservation by a
	 * port it is migrating to (vdp-protocol(7), MIGRATION). */
	cell_port_mask(o, d, v->stale_until_ns > now_ns ? v->stale_ports : 0);
	cell_str(o, v->resv_until_ns > now_ns ? d->ports[v->resv_port].name : NULL);
	row_end(o);
}

void show_vsis(struct out *o, struct vdpd *d, uint64_t now_ns, int port)
{
	static const struct out_col cols[] = {
	    {"VSIID", "vsiid"}, {"FORMAT", "format"},     {"PORT", "port"},
	    {"VNID", "vnid"},   {"STATE", "state"},       {"VLAN", "vlan"},
	    {"MACS", "macs"},   {"MIGRATED", "migrated"}, {"EXPIRES", "expires"},
	    {"STALE", "stale"}, {"RESERVED", "reserved"},
	};
	const struct vsi *v;
	tab_begin(o, "vsis", cols, sizeof(cols) / sizeof(cols[0]));
	TAILQ_FOREACH(v, &d->vsis, entry)
	if (port < 0 || v->port == (unsigned)port)
		vsi_row(o, d, v, now_ns);
	tab_end(o);
}

/* --- vnids ----------------------------------------------------------- */

/* One field of a policy entry (libvdp's vdp_policy_entry_fields) as a
 * JSON member. */
static void policy_field_json(void *ctx, const struct vdp_field *f)
{
	struct json *j = ctx;
	json_key(j, f->key);
	switch (f->kind) {
	case VDP_FIELD_NULL:
		json_null(j);
		break;
	case VDP_FIELD_UINT:
		json_uint(j, f->u);
		break;
	case VDP_FIELD_BOOL:
		json_bool(j, f->b);
		break;
	case VDP_FIELD_STR:
		json_str(j, f->s);
		break;
	}
}

/* The entries one per line in text (vdp_policy_entry_text); in JSON an
 * object per entry with its type, that text and its fields. */
static void cell_policy(struct out *o, const struct vdp_policy *pol)
{
	char text[256];
	cell_list_begin(o, "\n");
	for (unsigned i = 0; i < pol->nentries && i < VDP_MAX_POLICIES; i++) {
		const struct vdp_policy_entry *e = &pol->entries[i];
		vdp_policy_entry_text(e, text, sizeof(text));
		item_custom(o, text);
		if (!o->json)
			continue;
		json_obj_begin(&o->j);
		vdp_policy_entry_fields(e, policy_field_json, &o->j);
		json_obj_end(&o->j);
	}
	cell_list_end(o);
}

void show_vnids(struct out *o, struct vdpd *d)
{
	static const struct out_col cols[] = {
	    {"VNID", "vnid"},       {"SYNCED", "synced"}, {"PORTS", "ports"},
	    {"VLAN", "vlan"},       {"ORIGIN", "origin"}, {"MEMBERS", "members"},
	    {"ENABLED", "enabled"}, {"POLICY", "policy"},
	};
	const struct vnid *n;
	tab_begin(o, "vnids", cols, sizeof(cols) / sizeof(cols[0]));
	TAILQ_FOREACH(n, &d->vnids, entry)
	{
		row_begin(o);
		cell_uint(o, n->vnid);
		cell_bool(o, n->synced);
		cell_port_mask(o, d, n->sync_ports);
		if (n->vid)
			cell_uint(o, n->vid);
		else
			cell_str(o, NULL);
		cell_str(o, origin_name(n->vid_origin));
		cell_uint(o, n->nmembers);
		cell_uint(o, n->nenabled);
		cell_policy(o, &n->policy);
		row_end(o);
	}
	tab_end(o);
}

/* --- vlans ----------------------------------------------------------- */

/* What carries each VLAN, the way kprog.c programs it: a port while an
 * associated VSI of the owning VNID is on it, the uplinks while one is
 * anywhere on the device. */
struct vlan_use {
	const struct vnid *vnid[VLAN_IDS];
	uint64_t ports[VLAN_IDS];
	bool enabled[VLAN_IDS];
};

static void vlan_use_fill(struct vlan_use *u, struct vdpd *d)
{
	const struct vnid *n;
	const struct vsi *v;
	TAILQ_FOREACH(n, &d->vnids, entry)
	if (n->vid && n->vid < VLAN_IDS)
		u->vnid[n->vid] = n;
	TAILQ_FOREACH(v, &d->vsis, entry)
	{
		const struct vnid *vn = vdpd_vnid_find(d, v->vnid);
		if (v->state != VSI_ASSOC || !vn || !vn->vid || vn->vid >= VLAN_IDS)
			continue;
		u->enabled[vn->vid] = true;
		if (v->port < 64)
			u->ports[vn->vid] |= 1ull << v->port;
	}
}

static void vlan_row(struct out *o, const struct vdpd *d, const struct vlan_use *u, uint16_t vid)
{
	const struct vnid *n = u->vnid[vid];
	uint32_t owner = 0;
	bool owned = vlan_pool_owner(&d->pool, vid, &owner);
	enum vid_origin origin = n ? n->vid_origin : VID_NONE;

	/* A static type's VLAN is set aside at start, before its VNID exists. */
	if (!n && owned && conf_type(&d->conf, owner))
		origin = VID_STATIC;
	row_begin(o);
	cell_uint(o, vid);
	cell_uint(o, n ? n->vnid : owner);
	cell_str(o, origin_name(origin));
	cell_list_begin(o, ",");
	for (unsigned i = 0; i < d->nports && i < 64; i++)
		if (u->ports[vid] & (1ull << i))
			item_str(o, d->ports[i].name);
	for (unsigned i = 0; u->enabled[vid] && i < d->conf.nuplinks; i++)
		item_str(o, d->conf.uplinks[i]);
	cell_list_end(o);
	row_end(o);
}

void show_vlans(struct out *o, struct vdpd *d)
{
	static const struct out_col cols[] = {
	    {"VLAN", "vlan"}, {"VNID", "vnid"}, {"ORIGIN", "origin"}, {"PORTS", "ports"}};
	struct vlan_use *u = calloc(1, sizeof(*u));
	uint32_t owner;

	if (!u) {
		o->sb->overflow = true;
		return;
	}
	vlan_use_fill(u, d);
	tab_begin(o, "vlans", cols, sizeof(cols) / sizeof(cols[0]));
	for (uint16_t vid = 1; vid < VLAN_IDS - 1; vid++)
		if (u->vnid[vid] || vlan_pool_owner(&d->pool, vid, &owner))
			vlan_row(o, d, u, vid);
	tab_end(o);
	free(u);
	out_blank(o);
	out_kv_uint(o, "pool-free", "pool_free", vlan_pool_free_count(&d->pool));
}

/* --- counters -------------------------------------------------------- */

/* The control socket's own (ctl.h), named as in `show counters`. */
static const struct {
	const char *name;
	const uint64_t *n;
} ctl_counter_list[] = {
    {"idle-dropped", &ctl_counters.idle_dropped},
    {"slow-dropped", &ctl_counters.slow_dropped},
    {"refused-full", &ctl_counters.refused_full},
    {"refused-peer", &ctl_counters.refused_peer},
    {"refused-command", &ctl_counters.refused_command},
};
#define NCTL_COUNTERS (sizeof(ctl_counter_list) / sizeof(ctl_counter_list[0]))

static void counter_row(struct out *o, const char *port, const char *kind, const char *name,
                        uint64_t n)
{
	row_begin(o);
	cell_str(o, port);
	cell_str(o, kind);
	cell_str(o, name);
	cell_uint(o, n);
	row_end(o);
}

static uint64_t total_drops(const struct vdpd *d)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < d->nports; i++)
		n += d->ports[i].rx_drops;
	return n;
}

/* Text: one row per non-zero counter, so that the table says what
 * happened rather than listing forty zeros. */
static void counters_text(struct out *o, struct vdpd *d, const uint64_t *total_err)
{
	/* Text only: JSON lists every counter by name (counters_json). */
	static const struct out_col cols[] = {
	    {"PORT", "port"}, {"KIND", "kind"}, {"NAME", "name"}, {"COUNT", "count"}};
	tab_begin(o, "counters", cols, 4);
	for (unsigned i = 0; i < d->nports; i++) {
		const struct port *p = &d->ports[i];
		for (unsigned r = 0; r < REASON_COUNT; r++)
			if (p->counters[r])
				counter_row(o, p->name, "reason", reason_name((enum reason)r),
				            p->counters[r]);
		for (unsigned e = 1; e < VDP_E_COUNT_ALL; e++)
			if (p->rx_err[e])
				counter_row(o, p->name, "rx-error", vdp_err_name(-(int)e),
				            p->rx_err[e]);
		if (p->rx_drops)
			counter_row(o, p->name, "rx", "kernel-drops", p->rx_drops);
	}
	for (unsigned r = 0; r < REASON_COUNT; r++)
		if (d->counters[r])
			counter_row(o, "total", "reason", reason_name((enum reason)r),
			            d->counters[r]);
	for (unsigned e = 1; e < VDP_E_COUNT_ALL; e++)
		if (total_err[e])
			counter_row(o, "total", "rx-error", vdp_err_name(-(int)e), total_err[e]);
	if (total_drops(d))
		counter_row(o, "total", "rx", "kernel-drops", total_drops(d));
	for (unsigned i = 0; i < NCTL_COUNTERS; i++)
		if (*ctl_counter_list[i].n)
			counter_row(o, "control", "control", ctl_counter_list[i].name,
			            *ctl_counter_list[i].n);
	tab_end(o);
}

/* JSON: every counter, zeros included, so that a script can read any
 * key without checking for its presence. */
static void counters_json_set(struct json *j, const uint64_t *reasons, const uint64_t *errs,
                              uint64_t drops)
{
	json_kv_uint(j, "rx_drops", drops);
	json_key(j, "reasons");
	json_obj_begin(j);
	for (unsigned r = 0; r < REASON_COUNT; r++)
		json_kv_uint(j, reason_name((enum reason)r), reasons[r]);
	json_obj_end(j);
	json_key(j, "rx_errors");
	json_obj_begin(j);
	for (unsigned e = 1; e < VDP_E_COUNT_ALL; e++)
		json_kv_uint(j, vdp_err_name(-(int)e), errs[e]);
	json_obj_end(j);
}

static void counters_json(struct out *o, struct vdpd *d, const uint64_t *total_err)
{
	struct json *j = &o->j;
	json_key(j, "ports");
	json_arr_begin(j);
	for (unsigned i = 0; i < d->nports; i++) {
		json_obj_begin(j);
		json_kv_str(j, "port", d->ports[i].name);
		counters_json_set(j, d->ports[i].counters, d->ports[i].rx_err,
		                  d->ports[i].rx_drops);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "total");
	json_obj_begin(j);
	counters_json_set(j, d->counters, total_err, total_drops(d));
	json_obj_end(j);
	json_key(j, "control");
	json_obj_begin(j);
	for (unsigned i = 0; i < NCTL_COUNTERS; i++)
		json_kv_uint(j, ctl_counter_list[i].name, *ctl_counter_list[i].n);
	json_obj_end(j);
}

void show_counters(struct out *o, struct vdpd *d)
{
	/* rx errors are only kept per port: the total is their sum. */
	uint64_t total_err[VDP_E_COUNT_ALL] = {0};
	for (unsigned i = 0; i < d->nports; i++)
		for (unsigned e = 0; e < VDP_E_COUNT_ALL; e++)
			total_err[e] += d->ports[i].rx_err[e];
	if (o->json)
		counters_json(o, d, total_err);
	else
		counters_text(o, d, total_err);
}
