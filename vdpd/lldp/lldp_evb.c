/* SPDX-License-Identifier: ISC */
/* vdpd: the EVB decisions of the lldpd glue.  Each served port advertises
 * the bridge's EVB TLV built from the configuration until a station's EVB
 * TLV shows up in lldpd's neighbour table; then both are negotiated
 * (vdp_evb_negotiate: the larger of each exponent, RRCTR when the station asks
 * RRREQ and the bridge has RRCAP), the port runs ECP and VDP with the
 * result and advertises it.  When the station's neighbour entry goes, its
 * VSIs go with it.
 */
#include <stdio.h>
#include <string.h>

#include <vdp/error.h>

#include "lldp/lldp_evb.h"
#include "log.h"
#include "ports/port.h"
#include "core/vdpd.h"

static const uint8_t evb_oui[3] = {VDP_EVB_OUI_0, VDP_EVB_OUI_1, VDP_EVB_OUI_2};

struct vdp_evb_tlv lldp_evb_local(const struct vdpd *d)
{
	const struct conf *c = &d->conf;
	return (struct vdp_evb_tlv){.mode = VDP_EVB_MODE_BRIDGE,
	                            .bgid = c->bgid,
	                            .rrcap = c->rrcap,
	                            .r = c->r,
	                            .rte = c->rte,
	                            .rwd = c->rwd,
	                            .rka = c->rka};
}

bool lldp_evb_is_evb(lldpctl_atom_t *custom)
{
	size_t n = 0;
	const uint8_t *oui = lldpctl_atom_get_buffer(custom, lldpctl_k_custom_tlv_oui, &n);
	return oui && n == sizeof(evb_oui) && memcmp(oui, evb_oui, n) == 0 &&
	       lldpctl_atom_get_int(custom, lldpctl_k_custom_tlv_oui_subtype) == VDP_EVB_SUBTYPE;
}

/* The neighbour's EVB TLV: 1 found, 0 none, a negative VDP_E_* if it is
 * malformed. */
static int neighbour_tlv(lldpctl_atom_t *nb, struct vdp_evb_tlv *out)
{
	lldpctl_atom_t *list = lldpctl_atom_get(nb, lldpctl_k_custom_tlvs);
	int rc = 0;
	for (lldpctl_atom_iter_t *it = lldpctl_atom_iter(list); it && rc == 0;
	     it = lldpctl_atom_iter_next(list, it)) {
		lldpctl_atom_t *t = lldpctl_atom_iter_value(list, it);
		if (lldp_evb_is_evb(t)) {
			size_t n = 0;
			const uint8_t *info =
			    lldpctl_atom_get_buffer(t, lldpctl_k_custom_tlv_oui_info_string, &n);
			/* Exactly 5 octets: a longer TLV is malformed too. */
			rc = !info || n != VDP_EVB_INFO_LEN ? VDP_E_TLV_LENGTH
			                                    : vdp_evb_info_decode(info, n, out);
			rc = rc < 0 ? rc : 1;
		}
		lldpctl_atom_dec_ref(t);
	}
	lldpctl_atom_dec_ref(list);
	return rc;
}

static void neighbour_who(lldpctl_atom_t *nb, char *buf, size_t cap)
{
	const char *chassis = lldpctl_atom_get_str(nb, lldpctl_k_chassis_id);
	const char *port = lldpctl_atom_get_str(nb, lldpctl_k_port_id);
	snprintf(buf, cap, "%s/%s", chassis ? chassis : "?", port ? port : "?");
}

static bool same_timers(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b)
{
	return a->r == b->r && a->rte == b->rte && a->rwd == b->rwd && a->rka == b->rka;
}

/* Puts t in force on port i: ECP retransmission (R, RTE) at once, the
 * keepalive timeout (RKA) for every later refresh.  When the timeout grows,
 * the port's VSIs get the extra time now: the station has just been told
 * it may refresh less often. */
static void apply(struct vdpd *d, struct lldp_evb *e, unsigned i, const struct vdp_evb_tlv *t,
                  const char *why)
{
	struct port *p = &d->ports[i];
	bool changed = !same_timers(&e->cur, t) || e->cur.rrctr != t->rrctr;
	uint64_t old_ka = vsi_keepalive_ns(&e->cur), new_ka = vsi_keepalive_ns(t);

	e->cur = *t;
	p->evb = *t; /* also after a reload, which reset it to the configuration */
	if (!changed)
		return;
	port_set_timers(d, i);
	if (new_ka > old_ka) {
		struct vsi *v;
		TAILQ_FOREACH(v, &d->vsis, entry)
		if (v->port == i)
			vsi_deadline_set(d, v, v->deadline_ns + (new_ka - old_ka));
	}
	log_notice("port %s: EVB timers R %u RTE %u RWD %u RKA %u, reflective relay %s "
	           "(keepalive timeout %.1f s): %s",
	           p->name, t->r, t->rte, t->rwd, t->rka, t->rrctr ? "on" : "off",
	           (double)new_ka / 1e9, why);
}

void lldp_evb_init(struct vdpd *d, struct lldp_evb *ports)
{
	struct vdp_evb_tlv local = lldp_evb_local(d);
	for (unsigned i = 0; i < d->nports; i++) {
		memset(&ports[i], 0, sizeof(ports[i]));
		ports[i].cur = local;
		d->ports[i].evb = local;
		ports[i].dirty = true;
	}
}

void lldp_evb_negotiate(struct vdpd *d, struct lldp_evb *ports, unsigned i, const char *why)
{
	struct lldp_evb *e = &ports[i];
	struct vdp_evb_tlv local = lldp_evb_local(d), out;

	if (e->station)
		vdp_evb_negotiate(&local, &e->remote, &out);
	else
		out = local;
	apply(d, e, i, &out, why);
	e->dirty = true;
}

static bool same_tlv(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b)
{
	uint8_t x[VDP_EVB_INFO_LEN], y[VDP_EVB_INFO_LEN];
	return vdp_evb_info_encode(a, x, sizeof(x)) == VDP_EVB_INFO_LEN &&
	       vdp_evb_info_encode(b, y, sizeof(y)) == VDP_EVB_INFO_LEN &&
	       memcmp(x, y, sizeof(x)) == 0;
}

void lldp_evb_neighbour(struct vdpd *d, struct lldp_evb *ports, unsigned i, lldpctl_atom_t *nb)
{
	struct lldp_evb *e = &ports[i];
	const char *port = d->ports[i].name;
	char who[LLDP_WHO_LEN];
	struct vdp_evb_tlv t;
	int rc = neighbour_tlv(nb, &t);

	neighbour_who(nb, who, sizeof(who));
	if (rc == 0) {
		if (e->station && strcmp(e->who, who) == 0)
			log_info("port %s: station %s no longer sends the EVB TLV; timers kept "
			         "until it leaves",
			         port, who);
		return;
	}
	if (rc < 0) {
		log_warn("port %s: neighbour %s sent a malformed EVB TLV (%s); ignored", port, who,
		         vdp_strerror(rc));
		return;
	}
	if (t.mode != VDP_EVB_MODE_STATION) {
		log_warn("port %s: neighbour %s advertises an EVB TLV in %s mode, not a station's; "
		         "ignored",
		         port, who, t.mode == VDP_EVB_MODE_BRIDGE ? "bridge" : "unknown");
		return;
	}
	bool same_station = e->station && strcmp(e->who, who) == 0;
	if (same_station && same_tlv(&e->remote, &t))
		return;
	logmsg(same_station ? LOG_INFO : LOG_NOTICE,
	       "port %s: EVB station %s%s: R %u RTE %u RWD %u RKA %u, RRREQ %s", port, who,
	       same_station ? " changed its TLV" : "", t.r, t.rte, t.rwd, t.rka,
	       t.rrreq ? "yes" : "no");
	e->station = true;
	e->remote = t;
	snprintf(e->who, sizeof(e->who), "%s", who);
	lldp_evb_negotiate(d, ports, i, "negotiated with the station");
}

void lldp_evb_neighbour_gone(struct vdpd *d, struct lldp_evb *ports, unsigned i, lldpctl_atom_t *nb)
{
	struct lldp_evb *e = &ports[i];
	char who[LLDP_WHO_LEN];
	struct vsi *v, *next;

	neighbour_who(nb, who, sizeof(who));
	if (!e->station || strcmp(e->who, who) != 0)
		return;
	log_notice("port %s: EVB station %s went away (LLDP neighbour removed: TTL expiry, link "
	           "down or LLDP shutdown); de-associating its %u VSIs",
	           d->ports[i].name, who, d->ports[i].nvsis);
	for (v = TAILQ_FIRST(&d->vsis); v; v = next) {
		next = TAILQ_NEXT(v, entry);
		if (v->port != i)
			continue;
		vdpd_count(d, v->port, REASON_STATION_GONE);
		vsi_remove(d, v, false, "station went away (LLDP)");
	}
	e->station = false;
	e->who[0] = '\0';
	lldp_evb_negotiate(d, ports, i, "no station: configured values");
}
