/* SPDX-License-Identifier: ISC */
/* vdpd: the VDP bridge role for VSI TLVs (802.1Qbg-2012 clause 41).
 *
 * Pre-Associate and Pre-Associate-RR put a VSI into its VNID's list
 * disabled: its VLAN is allocated and its port slot taken, nothing is
 * programmed.  Associate enables it: the kernel is programmed.  A repeat of
 * the current request is a keepalive.  Every refusal keeps the VSI's
 * previous state (KEEP) and names a reason.
 *
 * A VSI lives on one port at a time.  How a request from another port is
 * taken is the migration state table of vdp-protocol(7), MIGRATION:
 *   - an M-bit request moves the VSI, and the port it left keeps a stale
 *     claim: its requests (the old host's keepalives, with or without the
 *     M bit) are refused "migrated-away" until its De-Associate releases
 *     the claim or it stays silent for a keepalive timeout;
 *   - a De-Associate from a port the VSI is not on never removes it;
 *   - a Pre-Associate from another port while the VSI is associated is a
 *     reservation for the VM migrating in: nothing moves until that port's
 *     Associate, and if the VSI goes first the reservation becomes the VSI;
 *   - any other request from another port moves the VSI (plain 802.1Qbg
 *     stations without the M bit: the last request wins).
 *
 * Each request is decided against the tables, its kernel changes applied as
 * one batch, and the tables changed only once the kernel has accepted it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "core/persist.h"
#include "core/vdpd.h"

uint64_t vsi_keepalive_ns(const struct vdp_evb_tlv *t)
{
	/* 1.5 * ((2R + 1) * 2^RTE + 2^RKA) units of 10 us */
	uint64_t units = (2ull * t->r + 1) * (1ull << t->rte) + (1ull << t->rka);
	return units * 15000ull; /* 10 us * 1.5 = 15000 ns */
}

static const char *vsiid_text(uint8_t fmt, const uint8_t *id)
{
	static char buf[VDP_VSIID_STRLEN];
	return vdp_vsiid_str(fmt, id, buf, sizeof(buf));
}

/* A request's VLAN: the one all its non-zero filter VIDs agree on, 0 if
 * they all leave the choice to the switch, -1 if they disagree. */
static int request_vid(const struct vdp_vsi *req)
{
	int vid = 0;
	for (unsigned i = 0; i < req->nfilters; i++) {
		int f = req->filters[i].vid;
		if (f && vid && f != vid)
			return -1;
		if (f)
			vid = f;
	}
	return vid;
}

static bool has_mac(uint8_t fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

static bool macs_ok(const struct vdp_vsi *req)
{
	static const uint8_t zero[6];
	if (!has_mac(req->filter_fmt))
		return true;
	for (unsigned i = 0; i < req->nfilters; i++)
		if (memcmp(req->filters[i].mac, zero, 6) == 0 || (req->filters[i].mac[0] & 1))
			return false;
	return true;
}

struct decision {
	enum reason reason;
	char why[160];
	uint16_t vid;           /* granted VLAN */
	enum vid_origin origin; /* when the VNID gets its VLAN now */
};

static enum reason fail(struct decision *dc, enum reason r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum reason fail(struct decision *dc, enum reason r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dc->why, sizeof(dc->why), fmt, ap);
	va_end(ap);
	dc->reason = r;
	return r;
}

/* Chooses the VSI's VLAN: the VNID's, or the requested one checked against
 * the pool and the other VNIDs, or the lowest free one (VLAN on demand). */
static enum reason choose_vid(struct vdpd *d, unsigned port, const struct vnid *n, int req_vid,
                              struct decision *dc)
{
	if (n->vid) {
		if (req_vid && req_vid != n->vid)
			return fail(dc, REASON_VID_MISMATCH, "VNID's VLAN is %u, request asks %u",
			            n->vid, (unsigned)req_vid);
		dc->vid = n->vid;
		return REASON_OK;
	}
	/* From here the VNID takes a VLAN from the pool, charged to port. */
	const struct port *p = &d->ports[port];
	if (req_vid) {
		int rc = vlan_pool_check(&d->pool, (uint16_t)req_vid, n->vnid);
		uint32_t owner = 0;
		if (rc < 0 && vlan_pool_owner(&d->pool, (uint16_t)req_vid, &owner))
			return fail(dc, REASON_VID_OWNED, "VLAN %u is owned by VNID %u",
			            (unsigned)req_vid, owner);
		if (rc < 0)
			return fail(dc, REASON_VID_OUTSIDE_POOL,
			            "VLAN %u is outside the pool or reserved", (unsigned)req_vid);
		if (fair_vlan_check(d, port) != REASON_OK)
			return fail(dc, REASON_PORT_VLAN_LIMIT,
			            "port holds %u pool VLANs, its limit", p->nvlans);
		dc->vid = (uint16_t)req_vid;
		dc->origin = VID_REQUEST;
		return REASON_OK;
	}
	if (fair_vlan_check(d, port) != REASON_OK)
		return fail(dc, REASON_PORT_VLAN_LIMIT, "port holds %u pool VLANs, its limit",
		            p->nvlans);
	dc->vid = vlan_pool_lowest_free(&d->pool);
	if (!dc->vid)
		return fail(dc, REASON_POOL_EXHAUSTED, "no free VLAN in the pool");
	dc->origin = VID_AUTO;
	return REASON_OK;
}

static enum reason check_request(struct vdpd *d, unsigned port, const struct vdp_vsi *req,
                                 const struct vsi *old, const struct vnid *n, struct decision *dc)
{
	if (req->nfilters == 0)
		return fail(dc, REASON_NO_FILTERS, "no filter entries");
	if (req->nfilters > VSI_MAX_FILTERS)
		return fail(dc, REASON_TOO_MANY_FILTERS, "%u filter entries, at most %u",
		            req->nfilters, VSI_MAX_FILTERS);
	if (!macs_ok(req))
		return fail(dc, REASON_BAD_MAC, "a filter MAC is zero or multicast");
	int req_vid = request_vid(req);
	if (req_vid < 0)
		return fail(dc, REASON_VID_MISMATCH, "filters name different VLANs");
	const struct port *p = &d->ports[port];
	if ((!old || old->port != port) && p->conf->max_vsis && p->nvsis >= p->conf->max_vsis)
		return fail(dc, REASON_PORT_LIMIT, "port has %u VSIs, limit %u", p->nvsis,
		            p->conf->max_vsis);
	return choose_vid(d, port, n, req_vid, dc);
}

static void vsi_fill(struct vsi *v, unsigned port, uint32_t vnid, const struct vdp_vsi *req,
                     const uint8_t mgrid[VDP_MGRID_LEN], uint16_t vid)
{
	v->vsiid_fmt = req->vsiid_fmt;
	memcpy(v->vsiid, req->vsiid, VDP_VSIID_LEN);
	v->port = port;
	v->vnid = vnid;
	v->type_id = req->type_id;
	v->type_ver = req->type_ver;
	v->state = req->type == VDP_TLV_ASSOC ? VSI_ASSOC : VSI_PREASSOC;
	v->req_type = req->type;
	memcpy(v->mgrid, mgrid, VDP_MGRID_LEN);
	v->filter_fmt = req->filter_fmt;
	v->nfilters = req->nfilters;
	memcpy(v->filters, req->filters, req->nfilters * sizeof(req->filters[0]));
	for (unsigned i = 0; i < v->nfilters; i++)
		v->filters[i].vid = vid;
	v->migrated = req->status & VDP_REQ_M;
}

/* Whether a request from port for v (on another port) is a stale one: port
 * is one the VSI migrated away from and has not released it.  The claims
 * lapse together once those ports have been silent a keepalive timeout. */
static bool stale_claim(struct vsi *v, unsigned port, uint64_t now_ns)
{
	if (!(v->stale_ports & (1ull << port)))
		return false;
	if (now_ns < v->stale_until_ns)
		return true;
	v->stale_ports = 0;
	return false;
}

static bool reservation_live(const struct vsi *v, uint64_t now_ns)
{
	return v->resv_until_ns > now_ns;
}

/* A Pre-Associate (or -RR) for a VSI associated on another port, in the
 * same VNID: the destination of a migration reserving it (802.1Qbg's
 * pre-association), while the VM still runs at the source. */
static bool is_reservation(const struct vsi *old, unsigned port, const struct vdp_vsi *req,
                           uint32_t vnid)
{
	return old && old->port != port && old->state == VSI_ASSOC && old->vnid == vnid &&
	       req->type != VDP_TLV_ASSOC;
}

/* Same port, VNID, state and filters: a keepalive, nothing to program. */
static bool is_refresh(const struct vsi *old, const struct vsi *nv)
{
	return old->port == nv->port && old->vnid == nv->vnid && old->state == nv->state &&
	       old->filter_fmt == nv->filter_fmt && old->nfilters == nv->nfilters &&
	       memcmp(old->filters, nv->filters, nv->nfilters * sizeof(nv->filters[0])) == 0;
}

static void member_add(struct vdpd *d, struct vnid *n, const struct vsi *v)
{
	n->nmembers++;
	n->nenabled += v->state == VSI_ASSOC;
	n->nenabled_on[v->port] += v->state == VSI_ASSOC;
	d->ports[v->port].nvsis++;
}

static void member_del(struct vdpd *d, struct vnid *n, const struct vsi *v)
{
	n->nmembers--;
	n->nenabled -= v->state == VSI_ASSOC;
	n->nenabled_on[v->port] -= v->state == VSI_ASSOC;
	d->ports[v->port].nvsis--;
}

static void respond(struct vdp_vsi *resp, const struct vsi *old, enum reason r)
{
	resp->status = (uint8_t)(VDP_RESP | reason_code(r) | (old ? VDP_RESP_KEEP : 0) |
	                         (reason_hard(r) ? VDP_RESP_HARD : 0));
}

/* Builds the kernel batch for old -> nv and applies it. */
static int program(struct vdpd *d, const struct vsi *old, struct vnid *old_n, const struct vsi *nv,
                   struct vnid *n)
{
	struct kop_list l = {0};
	int rc = 0;
	if (old && old->state == VSI_ASSOC)
		rc = kprog_vsi(d, old, old_n, &old_n->policy, false, &l);
	if (rc == 0 && nv->state == VSI_ASSOC) {
		/* The new VSI's VLAN must be known to kprog while n->vid may
		 * still be unset (first VSI of an auto VLAN). */
		struct vnid tmp = *n;
		tmp.vid = nv->filters[0].vid;
		rc = kprog_vsi(d, nv, &tmp, &n->policy, true, &l);
	}
	char what[96];
	snprintf(what, sizeof(what), "VSI %s", vsiid_text(nv->vsiid_fmt, nv->vsiid));
	if (rc == 0)
		rc = kprog_apply(d, nv->port, &l, what);
	kop_list_free(&l);
	return rc;
}

static void refuse_vsi(struct vdpd *d, unsigned port, const struct vdp_vsi *req, uint32_t vnid,
                       const struct vsi *old, const struct decision *dc, struct vdp_vsi *resp)
{
	respond(resp, old, dc->reason);
	vdpd_count(d, port, dc->reason);
	if (!fair_log_ok(d, port))
		return;
	log_notice("port %s: %s VSI %s VNID %u refused (%s): %s", d->ports[port].name,
	           vdp_tlv_type_name(req->type), vsiid_text(req->vsiid_fmt, req->vsiid), vnid,
	           reason_name(dc->reason), dc->why);
}

/* A stale request (see stale_claim()) is refused without KEEP: the VSI is
 * not this port's any more.  Each one keeps the claim alive a keepalive
 * timeout longer, so a De-Associate that follows it still finds it. */
static void refuse_stale(struct vdpd *d, unsigned port, const struct vdp_vsi *req, uint32_t vnid,
                         struct vsi *v, uint64_t now_ns, struct vdp_vsi *resp)
{
	struct decision dc = {.reason = REASON_MIGRATED_AWAY};
	uint64_t until = now_ns + vsi_keepalive_ns(&d->ports[port].evb);
	if (until > v->stale_until_ns)
		v->stale_until_ns = until;
	snprintf(dc.why, sizeof(dc.why),
	         "it migrated to port %s (M bit) and this port has not "
	         "released it (De-Associate)",
	         d->ports[v->port].name);
	refuse_vsi(d, port, req, vnid, NULL, &dc, resp);
}

/* Records port's reservation of v (is_reservation()) and grants it. */
static void reserve(struct vdpd *d, unsigned port, const struct vdp_vsi *req, struct vsi *v,
                    const struct decision *dc, uint64_t now_ns, struct vdp_vsi *resp)
{
	bool fresh = !reservation_live(v, now_ns) || v->resv_port != port;
	v->resv_port = port;
	v->resv_vid = dc->vid;
	v->resv_m = req->status & VDP_REQ_M;
	v->resv_until_ns = now_ns + vsi_keepalive_ns(&d->ports[port].evb);
	for (unsigned i = 0; i < resp->nfilters; i++)
		resp->filters[i].vid = dc->vid;
	respond(resp, NULL, REASON_OK);
	vdpd_count(d, port, REASON_OK);
	if (!fresh)
		return;
	vdpd_count(d, port, REASON_RESERVED);
	log_info("port %s: VSI %s reserved in VNID %u, VLAN %u, while associated on port %s%s",
	         d->ports[port].name, vsiid_text(v->vsiid_fmt, v->vsiid), v->vnid, dc->vid,
	         d->ports[v->port].name, v->resv_m ? " (M bit)" : "");
}

/* What nv (the granted request) keeps of old's claims: a move with the M
 * bit leaves the old port a stale claim; a move to the reserving port
 * ends its reservation; the other claims stay. */
static void carry_claims(const struct vdpd *d, const struct vsi *old, struct vsi *nv,
                         uint64_t now_ns)
{
	uint64_t bit = 1ull << nv->port;
	nv->stale_ports = old->stale_ports & ~bit;
	nv->stale_until_ns = old->stale_until_ns;
	if (old->port != nv->port && nv->migrated) {
		uint64_t until = now_ns + vsi_keepalive_ns(&d->ports[old->port].evb);
		nv->stale_ports |= 1ull << old->port;
		if (until > nv->stale_until_ns)
			nv->stale_until_ns = until;
	}
	if (reservation_live(old, now_ns) && old->resv_port != nv->port) {
		nv->resv_port = old->resv_port;
		nv->resv_vid = old->resv_vid;
		nv->resv_m = old->resv_m;
		nv->resv_until_ns = old->resv_until_ns;
	}
}

void vsi_refuse_malformed(struct vdpd *d, unsigned port, int err, struct vdp_vsi *head)
{
	/* VID 4095 is 802.1Q's reserved VID: the standard's code for it is 5,
	 * as for the VIDs the pool reserves. */
	struct decision dc = {.reason =
	                          err == VDP_E_VID ? REASON_VID_OUTSIDE_POOL : REASON_MALFORMED};
	snprintf(dc.why, sizeof(dc.why), "%s (%s)", vdp_strerror(err), vdp_err_name(err));
	const struct vsi *old = vdpd_vsi_find(d, head->vsiid_fmt, head->vsiid);
	refuse_vsi(d, port, head, vdpd_vnid_of(d, head->type_id, head->type_ver), old, &dc, head);
}

/* charge: a new VSI costs port a token (fairness.c); a reservation taken
 * over (take_reservation()) was paid for when it was made. */
static void associate(struct vdpd *d, unsigned port, const struct vdp_vsi *req,
                      const uint8_t mgrid[VDP_MGRID_LEN], uint64_t now_ns, bool charge,
                      struct vdp_vsi *resp)
{
	struct decision dc = {.reason = REASON_OK};
	uint32_t vnid = vdpd_vnid_of(d, req->type_id, req->type_ver);
	struct vsi *old = vdpd_vsi_find(d, req->vsiid_fmt, req->vsiid);
	if (old && old->port != port && stale_claim(old, port, now_ns))
		return refuse_stale(d, port, req, vnid, old, now_ns, resp);
	if (!old && charge && !fair_new_vsi(d, port, now_ns)) {
		fail(&dc, REASON_NEW_VSI_RATE, "more than %u new VSIs a second (burst %u)",
		     d->ports[port].new_vsi_rate, d->ports[port].new_vsi_burst);
		return refuse_vsi(d, port, req, vnid, NULL, &dc, resp);
	}
	/* Every VSI in the table has its VNID's entry (member_add/del keep
	 * that true), so old_n is set whenever old is. */
	struct vnid *old_n = old ? vdpd_vnid_find(d, old->vnid) : NULL;
	struct vnid *n = policy_vnid_get(d, port, vnid, &dc.reason);

	if (!n || (old && !old_n)) {
		if (n)
			dc.reason = REASON_KERNEL;
		snprintf(dc.why, sizeof(dc.why), "no policy for VNID %u", vnid);
		return refuse_vsi(d, port, req, vnid, old, &dc, resp);
	}
	check_request(d, port, req, old, n, &dc);
	if (dc.reason == REASON_OK && is_reservation(old, port, req, vnid))
		return reserve(d, port, req, old, &dc, now_ns, resp);

	struct vsi nv;
	memset(&nv, 0, sizeof(nv));
	if (dc.reason == REASON_OK) {
		vsi_fill(&nv, port, vnid, req, mgrid, dc.vid);
		if (!(old && is_refresh(old, &nv)) && program(d, old, old_n, &nv, n) < 0) {
			dc.reason = REASON_KERNEL;
			snprintf(dc.why, sizeof(dc.why), "kernel refused the change");
		}
	}
	if (dc.reason != REASON_OK) {
		refuse_vsi(d, port, req, vnid, old, &dc, resp);
		policy_vnid_put(d, n); /* drops an implicit VNID made just now */
		return;
	}

	/* Commit. */
	if (dc.origin != VID_NONE) {
		n->vid = dc.vid;
		n->vid_origin = dc.origin;
		vlan_pool_claim(&d->pool, dc.vid, n->vnid);
		fair_vlan_charge(d, n, port);
		log_info("VNID %u: VLAN %u %s", vnid, dc.vid,
		         dc.origin == VID_AUTO ? "allocated (lowest free)" : "taken as requested");
	}
	bool refresh = old && is_refresh(old, &nv);
	struct vsi *v = old;
	if (old) {
		carry_claims(d, old, &nv, now_ns);
		if (old->port != port) {
			vdpd_count(d, old->port, REASON_MOVED);
			log_info(
			    "VSI %s moved from port %s to %s%s", vsiid_text(nv.vsiid_fmt, nv.vsiid),
			    d->ports[old->port].name, d->ports[port].name,
			    nv.migrated ? " (M bit): the old port's requests are stale until it "
			                  "de-associates"
			                : "");
		}
		member_del(d, old_n, old);
	} else if (vsi_index_reserve(d) < 0 || !(v = calloc(1, sizeof(*v)))) {
		log_err("out of memory for VSI %s", vsiid_text(nv.vsiid_fmt, nv.vsiid));
		return respond(resp, NULL, REASON_KERNEL);
	} else {
		TAILQ_INSERT_TAIL(&d->vsis, v, entry);
	}
	/* A keepalive keeps port, state and filters: its MAC index entries
	 * stay as they are (no free and rehash per refresh). */
	if (!refresh)
		vsi_mac_unlink(d, v);
	nv.entry = v->entry;
	nv.hnext = v->hnext;
	nv.heap_at = v->heap_at;
	nv.seq = v->seq;
	nv.macs = refresh ? v->macs : NULL;
	*v = nv;
	if (!old)
		vsi_index_add(d, v);
	if (!refresh)
		vsi_mac_link(d, v);
	vsi_deadline_set(d, v, now_ns + vsi_keepalive_ns(&d->ports[port].evb));
	member_add(d, n, v);
	if (old_n && old_n != n)
		policy_vnid_put(d, old_n);

	memcpy(resp->filters, v->filters, v->nfilters * sizeof(v->filters[0]));
	respond(resp, NULL, REASON_OK);
	vdpd_count(d, port, REASON_OK);
	if (!refresh) {
		persist_vnid_put(d, n);
		persist_vsi_put(d, v);
		log_info("port %s: VSI %s %s in VNID %u, VLAN %u%s", d->ports[port].name,
		         vsiid_text(v->vsiid_fmt, v->vsiid),
		         v->state == VSI_ASSOC ? "associated" : "pre-associated", vnid, dc.vid,
		         v->migrated ? ", migrated in (M bit)" : "");
	}
	if ((req->status & VDP_REQ_M) && !refresh && d->hooks)
		d->hooks->migrated_in(d, v, n, now_ns); /* move its DHCP binding, IGMP */
}

/* An unsolicited De-Associate for v: the station learns its VSI is gone. */
static void notify_deassoc(struct vdpd *d, const struct vsi *v)
{
	uint8_t pdu[VDP_TLV_HDR_LEN * 2 + VDP_MGRID_LEN + VDP_TLV_MAX_LEN];
	struct vdp_mgrid m;
	static struct vdp_vsi t;

	if (!d->send)
		return;
	memcpy(m.id, v->mgrid, VDP_MGRID_LEN);
	memset(&t, 0, sizeof(t));
	t.type = VDP_TLV_DEASSOC;
	t.status = 0;
	t.type_id = v->type_id;
	t.type_ver = v->type_ver;
	t.vsiid_fmt = v->vsiid_fmt;
	memcpy(t.vsiid, v->vsiid, VDP_VSIID_LEN);
	t.filter_fmt = v->filter_fmt;
	t.nfilters = v->nfilters;
	memcpy(t.filters, v->filters, v->nfilters * sizeof(v->filters[0]));
	int a = vdp_mgrid_encode(&m, pdu, sizeof(pdu));
	int b = a < 0 ? a : vdp_vsi_encode(&t, pdu + a, sizeof(pdu) - (size_t)a);
	if (b < 0) {
		log_err("VSI %s: cannot encode De-Associate: %s",
		        vsiid_text(v->vsiid_fmt, v->vsiid), vdp_strerror(b));
		return;
	}
	d->ports[v->port].tx_deassocs++;
	d->send(d->send_arg, v->port, pdu, (size_t)a + (size_t)b);
}

int vsi_remove(struct vdpd *d, struct vsi *v, bool notify, const char *why)
{
	struct vnid *n = vdpd_vnid_find(d, v->vnid);
	int rc = 0;
	if (v->state == VSI_ASSOC && n) {
		struct kop_list l = {0};
		rc = kprog_vsi(d, v, n, &n->policy, false, &l);
		char what[96];
		snprintf(what, sizeof(what), "removal of VSI %s",
		         vsiid_text(v->vsiid_fmt, v->vsiid));
		if (rc == 0)
			rc = kprog_apply(d, v->port, &l, what);
		if (rc < 0)
			vdpd_count(d, v->port, REASON_KERNEL);
		kop_list_free(&l);
		/* The station considers the VSI gone whatever the kernel says:
		 * keeping it would only make the tables lie too. */
	}
	log_info("port %s: VSI %s de-associated from VNID %u: %s", d->ports[v->port].name,
	         vsiid_text(v->vsiid_fmt, v->vsiid), v->vnid, why);
	if (notify)
		notify_deassoc(d, v);
	persist_vsi_del(d, v);
	TAILQ_REMOVE(&d->vsis, v, entry);
	vsi_index_del(d, v);
	vsi_mac_unlink(d, v);
	if (n) {
		member_del(d, n, v);
		policy_vnid_put(d, n);
	} else {
		d->ports[v->port].nvsis--;
	}
	free(v);
	return rc;
}

/* A VSI that goes while another port holds a live reservation for it
 * becomes that port's pre-associated VSI, as its station believes. */
static void take_reservation(struct vdpd *d, const struct vsi *gone, uint64_t now_ns)
{
	static struct vdp_vsi req, resp; /* 4 KiB each; single-threaded */
	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_PREASSOC;
	req.status = gone->resv_m ? VDP_REQ_M : 0;
	req.type_id = gone->type_id;
	req.type_ver = gone->type_ver;
	req.vsiid_fmt = gone->vsiid_fmt;
	memcpy(req.vsiid, gone->vsiid, VDP_VSIID_LEN);
	req.filter_fmt = gone->filter_fmt;
	req.nfilters = gone->nfilters;
	memcpy(req.filters, gone->filters, gone->nfilters * sizeof(gone->filters[0]));
	for (unsigned i = 0; i < req.nfilters; i++)
		req.filters[i].vid = gone->resv_vid;
	log_info("port %s: VSI %s left port %s: its reservation becomes the VSI",
	         d->ports[gone->resv_port].name, vsiid_text(gone->vsiid_fmt, gone->vsiid),
	         d->ports[gone->port].name);
	associate(d, gone->resv_port, &req, gone->mgrid, now_ns, false, &resp);
}

/* Removes v; a live reservation by another port takes its place. */
static void remove_or_hand_over(struct vdpd *d, struct vsi *v, bool notify, const char *why,
                                uint64_t now_ns)
{
	static struct vsi saved; /* struct vsi holds the filters: not on the stack */
	bool hand_over = reservation_live(v, now_ns);
	if (hand_over)
		saved = *v;
	vsi_remove(d, v, notify, why);
	if (hand_over)
		take_reservation(d, &saved, now_ns);
}

/* A De-Associate from a port the VSI is not on: that port's own claim
 * goes (a stale one after a migration, or a reservation), never the VSI. */
static void release_claim(struct vdpd *d, unsigned port, struct vsi *v, uint64_t now_ns)
{
	const char *id = vsiid_text(v->vsiid_fmt, v->vsiid);
	uint64_t bit = 1ull << port;
	if (v->stale_ports & bit) {
		v->stale_ports &= ~bit;
		vdpd_count(d, port, REASON_RELEASED);
		log_info("port %s: released VSI %s, which migrated to port %s", d->ports[port].name,
		         id, d->ports[v->port].name);
	} else if (reservation_live(v, now_ns) && v->resv_port == port) {
		v->resv_until_ns = 0;
		log_info("port %s: reservation of VSI %s (associated on port %s) withdrawn",
		         d->ports[port].name, id, d->ports[v->port].name);
	} else {
		log_info("port %s: De-Associate for VSI %s ignored: it is on port %s",
		         d->ports[port].name, id, d->ports[v->port].name);
	}
}

static void deassociate(struct vdpd *d, unsigned port, const struct vdp_vsi *req, uint64_t now_ns,
                        struct vdp_vsi *resp)
{
	struct vsi *v = vdpd_vsi_find(d, req->vsiid_fmt, req->vsiid);
	/* Unknown VSI: already gone, which is what the station wants. */
	if (v && v->port != port) {
		release_claim(d, port, v, now_ns);
	} else if (v) {
		memcpy(resp->filters, v->filters,
		       (v->nfilters < resp->nfilters ? v->nfilters : resp->nfilters) *
		           sizeof(v->filters[0]));
		remove_or_hand_over(d, v, false,
		                    req->status & VDP_REQ_S
		                        ? "station de-associated (S bit: migrating away)"
		                        : "station de-associated",
		                    now_ns);
	}
	respond(resp, NULL, REASON_OK);
	vdpd_count(d, port, REASON_OK);
}

void vsi_handle(struct vdpd *d, unsigned port, const struct vdp_vsi *req,
                const uint8_t mgrid[VDP_MGRID_LEN], uint64_t now_ns, struct vdp_vsi *resp)
{
	*resp = *req;
	d->now_ns = now_ns;
	if (req->type == VDP_TLV_DEASSOC)
		deassociate(d, port, req, now_ns, resp);
	else
		associate(d, port, req, mgrid, now_ns, true, resp);
}

unsigned vsi_expire(struct vdpd *d, uint64_t now_ns)
{
	unsigned n = 0;
	/* Only the VSIs that expired, earliest first; a reservation taking a
	 * VSI's place gets a deadline after now_ns, so the loop ends. */
	struct vsi *v;
	while ((v = vsi_deadline_first(d)) && v->deadline_ns <= now_ns) {
		vdpd_count(d, v->port, REASON_KEEPALIVE);
		remove_or_hand_over(d, v, true, "keepalive timeout", now_ns);
		n++;
	}
	return n;
}
