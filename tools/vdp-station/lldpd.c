/* SPDX-License-Identifier: ISC */
/* vdp-station: the EVB TLV through the host's lldpd (--lldp lldpd).
 *
 * libvdp's station, in VDP_LLDP_EXTERNAL mode, sends no LLDPDU of its own;
 * this glue carries its EVB TLV instead: every LLDPD_PERIOD it has lldpd
 * advertise each link's station TLV as a custom TLV (OUI 00-80-C2, subtype
 * 0x0D, replacing any earlier one) and hands the EVB TLVs of lldpd's
 * neighbours on that link to vdp_station_evb_input().  EVB lives on the
 * nearest-customer-bridge agent, and lldpd has one agent type for all its
 * ports, so the glue sets lldpd's agent type to that (and says so).
 *
 * liblldpctl's synchronous mode is enough here: lldpd answers over a local
 * socket in well under a millisecond, and the daemon has nothing else to do
 * meanwhile that cannot wait that long.  When lldpd is absent or goes away
 * the glue warns once and retries every period; VDP carries on with the
 * timers it has.  On exit the TLVs are withdrawn.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <lldp-const.h>
#include <lldpctl.h>

#include <vdp/evb.h>

#include "vdp-station.h"

static const uint8_t evb_oui[3] = {VDP_EVB_OUI_0, VDP_EVB_OUI_1, VDP_EVB_OUI_2};

static struct {
	bool on;
	char path[108];
	lldpctl_conn_t *conn;
	bool agent_set;
	bool warned;
	bool adv[VDP_STATION_MAX_LINKS];
	uint8_t info[VDP_STATION_MAX_LINKS][VDP_EVB_INFO_LEN];
} g;

static void (*say)(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

int lldpd_glue_init(const char *path, void (*log)(int, const char *, ...))
{
	const char *p = path && *path ? path : lldpctl_get_default_transport();
	if (strlen(p) >= sizeof(g.path))
		return -1;
	snprintf(g.path, sizeof(g.path), "%s", p);
	g.on = true;
	say = log;
	return 0;
}

static void drop(const char *what)
{
	if (!g.warned)
		say(LOG_WARNING,
		    "lldpd at %s: %s: %s; the EVB TLV is not exchanged until it answers", g.path,
		    what, g.conn ? lldpctl_last_strerror(g.conn) : "cannot connect");
	g.warned = true;
	if (g.conn)
		lldpctl_release(g.conn);
	g.conn = NULL;
	g.agent_set = false;
	memset(g.adv, 0, sizeof(g.adv));
}

static bool is_evb(lldpctl_atom_t *t)
{
	size_t n = 0;
	const uint8_t *oui = lldpctl_atom_get_buffer(t, lldpctl_k_custom_tlv_oui, &n);
	return oui && n == 3 && memcmp(oui, evb_oui, 3) == 0 &&
	       lldpctl_atom_get_int(t, lldpctl_k_custom_tlv_oui_subtype) == VDP_EVB_SUBTYPE;
}

static int set_agent(void)
{
	lldpctl_atom_t *cfg = lldpctl_get_configuration(g.conn);
	if (!cfg)
		return -1;
	long now = lldpctl_atom_get_int(cfg, lldpctl_k_config_lldp_agent_type);
	int rc = 0;
	if (now != LLDP_AGENT_TYPE_NEAREST_CUSTOMER_BRIDGE) {
		if (!lldpctl_atom_set_int(cfg, lldpctl_k_config_lldp_agent_type,
		                          LLDP_AGENT_TYPE_NEAREST_CUSTOMER_BRIDGE))
			rc = -1;
		else
			say(LOG_NOTICE,
			    "lldpd at %s: agent type set to nearest customer bridge (for all its "
			    "ports): EVB is exchanged there",
			    g.path);
	}
	lldpctl_atom_dec_ref(cfg);
	return rc;
}

/* Our TLV on one lldpd port: set it when it differs from what we set. */
static int advertise(struct vdp_station *st, unsigned i, const char *name, lldpctl_atom_t *port,
                     bool withdraw)
{
	uint8_t tlv[VDP_EVB_TLV_LEN];
	if (!withdraw && vdp_station_evb_tlv(st, name, tlv) < 0)
		return 0;
	if (!withdraw && g.adv[i] && memcmp(g.info[i], tlv + 6, VDP_EVB_INFO_LEN) == 0)
		return 0;
	lldpctl_atom_t *list = lldpctl_atom_get(port, lldpctl_k_custom_tlvs);
	lldpctl_atom_t *t = list ? lldpctl_atom_create(list) : NULL;
	bool ok =
	    t && lldpctl_atom_set_buffer(t, lldpctl_k_custom_tlv_oui, evb_oui, 3) &&
	    lldpctl_atom_set_int(t, lldpctl_k_custom_tlv_oui_subtype, VDP_EVB_SUBTYPE) &&
	    (withdraw || lldpctl_atom_set_buffer(t, lldpctl_k_custom_tlv_oui_info_string, tlv + 6,
	                                         VDP_EVB_INFO_LEN)) &&
	    lldpctl_atom_set_str(t, lldpctl_k_custom_tlv_op, withdraw ? "remove" : "replace") &&
	    lldpctl_atom_set(port, lldpctl_k_custom_tlv, t);
	if (t)
		lldpctl_atom_dec_ref(t);
	if (list)
		lldpctl_atom_dec_ref(list);
	if (!ok)
		return -1;
	g.adv[i] = !withdraw;
	if (!withdraw) {
		memcpy(g.info[i], tlv + 6, VDP_EVB_INFO_LEN);
		say(LOG_INFO, "%s: lldpd advertises the station EVB TLV %02x %02x %02x %02x %02x",
		    name, tlv[6], tlv[7], tlv[8], tlv[9], tlv[10]);
	}
	return 0;
}

/* The bridge EVB TLVs lldpd heard on the port, to the station. */
static void neighbours(struct vdp_station *st, const char *name, lldpctl_atom_t *port)
{
	lldpctl_atom_t *nbs = lldpctl_atom_get(port, lldpctl_k_port_neighbors);
	for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(nbs); it;
	     it = lldpctl_atom_iter_next(nbs, it)) {
		lldpctl_atom_t *nb = lldpctl_atom_iter_value(nbs, it);
		lldpctl_atom_t *list = lldpctl_atom_get(nb, lldpctl_k_custom_tlvs);
		for (lldpctl_atom_iter_t *jt = lldpctl_atom_iter(list); jt;
		     jt = lldpctl_atom_iter_next(list, jt)) {
			lldpctl_atom_t *t = lldpctl_atom_iter_value(list, jt);
			size_t n = 0;
			const uint8_t *info =
			    lldpctl_atom_get_buffer(t, lldpctl_k_custom_tlv_oui_info_string, &n);
			if (is_evb(t) && info && n == VDP_EVB_INFO_LEN &&
			    vdp_station_evb_input(st, name, info) < 0)
				say(LOG_WARNING, "%s: %s", name, vdp_station_error(st));
			lldpctl_atom_dec_ref(t);
		}
		lldpctl_atom_dec_ref(list);
		lldpctl_atom_dec_ref(nb);
	}
	lldpctl_atom_dec_ref(nbs);
}

/* One pass over the station's links; withdraw: remove our TLVs instead. */
static void pass(struct vdp_station *st, bool withdraw)
{
	if (!g.conn && !(g.conn = lldpctl_new_name(g.path, NULL, NULL, NULL)))
		return drop("connecting");
	if (!withdraw && !g.agent_set) {
		if (set_agent() < 0)
			return drop("setting the agent type");
		g.agent_set = true;
	}
	lldpctl_atom_t *ifaces = lldpctl_get_interfaces(g.conn);
	if (!ifaces)
		return drop("listing interfaces");
	if (g.warned)
		say(LOG_NOTICE, "lldpd at %s answers again", g.path);
	g.warned = false;
	struct vdp_station_link_info li = {.size = sizeof(li)};
	for (unsigned i = 0; vdp_station_link_at(st, i, &li) == 0; i++) {
		if (withdraw && !g.adv[i])
			continue;
		lldpctl_atom_t *found = NULL;
		for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(ifaces); it && !found;
		     it = lldpctl_atom_iter_next(ifaces, it)) {
			lldpctl_atom_t *ifc = lldpctl_atom_iter_value(ifaces, it);
			const char *n = lldpctl_atom_get_str(ifc, lldpctl_k_interface_name);
			if (n && !strcmp(n, li.name))
				found = ifc;
			else
				lldpctl_atom_dec_ref(ifc);
		}
		lldpctl_atom_t *port = found ? lldpctl_get_port(found) : NULL;
		if (port) {
			if (!withdraw)
				neighbours(st, li.name, port);
			if (advertise(st, i, li.name, port, withdraw) < 0)
				say(LOG_WARNING, "%s: lldpd refused the EVB TLV: %s", li.name,
				    lldpctl_last_strerror(g.conn));
			lldpctl_atom_dec_ref(port);
		}
		if (found)
			lldpctl_atom_dec_ref(found);
	}
	lldpctl_atom_dec_ref(ifaces);
}

void lldpd_glue_tick(struct vdp_station *st)
{
	if (g.on)
		pass(st, false);
}

void lldpd_glue_fini(struct vdp_station *st)
{
	if (!g.on)
		return;
	if (g.conn)
		pass(st, true);
	if (g.conn)
		lldpctl_release(g.conn);
	g.conn = NULL;
	g.on = false;
}
