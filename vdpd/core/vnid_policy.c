/* SPDX-License-Identifier: ISC */
/* vdpd: VNID policy lists (VNID policy).
 *
 * A server syncs a virtual network's policy once (Policy Sync), when the
 * VNID's first VM appears on it; the device checks that the policy fits its
 * own configuration and keeps it as the VNID's list.  VMs then join the
 * list by VNID alone (Pre-Associate: disabled, Associate: enabled).  Policy
 * Update changes the list once and reprograms every enabled member; Policy
 * Remove drops the sending port's hold on it.
 *
 * Several servers (ports) may sync the same VNID: a second Sync with the
 * same policy only adds its hold; one with a different policy is refused.
 * Policy Remove from a port de-associates the VNID's VSIs still on that
 * port (the server said its last VM left) and releases its hold; the list
 * and its kernel state go when no port holds it and no VSI uses it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "core/persist.h"
#include "core/vdpd.h"

static bool prefix_overlap(const struct vdp_prefix *a, const struct vdp_prefix *b)
{
	if (a->family == 0 || b->family == 0)
		return true;
	if (a->family != b->family)
		return false;
	unsigned plen = a->plen < b->plen ? a->plen : b->plen;
	for (unsigned bit = 0; bit < plen; bit++) {
		uint8_t m = (uint8_t)(0x80 >> (bit % 8));
		if ((a->addr[bit / 8] & m) != (b->addr[bit / 8] & m))
			return false;
	}
	return true;
}

static bool range_overlap(uint16_t alo, uint16_t ahi, uint16_t blo, uint16_t bhi)
{
	if ((alo == 0 && ahi == 0) || (blo == 0 && bhi == 0))
		return true; /* 0-0 is "any port" */
	return alo <= bhi && blo <= ahi;
}

/* Two rules contradict when they act differently on some packet both match. */
static bool acl_contradicts(const struct vdp_pol_acl *a, const struct vdp_pol_acl *b)
{
	return a->action != b->action &&
	       (a->dir == VDP_DIR_BOTH || b->dir == VDP_DIR_BOTH || a->dir == b->dir) &&
	       (!a->ethertype || !b->ethertype || a->ethertype == b->ethertype) &&
	       (!a->ip_proto || !b->ip_proto || a->ip_proto == b->ip_proto) &&
	       prefix_overlap(&a->src, &b->src) && prefix_overlap(&a->dst, &b->dst) &&
	       range_overlap(a->sport_lo, a->sport_hi, b->sport_lo, b->sport_hi) &&
	       range_overlap(a->dport_lo, a->dport_hi, b->dport_lo, b->dport_hi);
}

static const struct vdp_policy_entry *find_entry(const struct vdp_policy *p, uint8_t type)
{
	for (unsigned i = 0; i < p->nentries; i++)
		if (p->entries[i].type == type)
			return &p->entries[i];
	return NULL;
}

/* The VLAN a policy names, 0 if none (or "switch chooses"). */
static uint16_t policy_vid(const struct vdp_policy *p)
{
	const struct vdp_policy_entry *e = find_entry(p, VDP_POL_VLAN);
	return e ? e->u.vid : 0;
}

/* The adaptability check (VNID policy): does the policy fit this device? */
static enum reason adaptable(struct vdpd *d, unsigned port, const struct vdp_policy *pol,
                             const struct vnid *n, char *why, size_t whylen)
{
	uint16_t vid = policy_vid(pol);
	if (vid) {
		int rc = vlan_pool_check(&d->pool, vid, pol->vnid);
		uint32_t owner = 0;
		if (rc == -EEXIST && vlan_pool_owner(&d->pool, vid, &owner)) {
			snprintf(why, whylen, "VLAN %u is owned by VNID %u", vid, owner);
			return REASON_VID_OWNED;
		}
		if (rc < 0) {
			snprintf(why, whylen, "VLAN %u is outside the pool or reserved", vid);
			return REASON_VID_OUTSIDE_POOL;
		}
		if (n && n->vid && n->vid != vid && n->nmembers) {
			snprintf(why, whylen, "VNID uses VLAN %u for %u VSIs, policy asks %u",
			         n->vid, n->nmembers, vid);
			return REASON_VLAN_CHANGE;
		}
		/* A VLAN new to the VNID is charged to this port (take_vid),
		 * unless it only replaces one charged to it already. */
		bool adds = !n || !n->vid || n->vlan_port != port;
		if ((!n || vid != n->vid) && adds && fair_vlan_check(d, port) != REASON_OK) {
			snprintf(why, whylen, "port %s holds %u pool VLANs, its limit",
			         d->ports[port].name, d->ports[port].nvlans);
			return REASON_PORT_VLAN_LIMIT;
		}
	}
	uint32_t cap = d->ports[port].conf->bandwidth_kbps;
	for (unsigned i = 0; i < pol->nentries; i++) {
		const struct vdp_policy_entry *e = &pol->entries[i];
		if (e->type == VDP_POL_BANDWIDTH && cap && e->u.bw.rate_kbps > cap) {
			snprintf(why, whylen, "bandwidth %u kbit/s beyond port %s's %u kbit/s",
			         e->u.bw.rate_kbps, d->ports[port].name, cap);
			return REASON_BANDWIDTH;
		}
		if (e->type != VDP_POL_ACL)
			continue;
		for (unsigned j = 0; j < d->conf.ndevice_acls; j++)
			if (acl_contradicts(&e->u.acl, &d->conf.device_acls[j])) {
				snprintf(why, whylen, "ACL entry %u contradicts device rule %u", i,
				         j);
				return REASON_ACL_CONFLICT;
			}
	}
	return REASON_OK;
}

static bool same_policy(const struct vdp_policy *a, const struct vdp_policy *b)
{
	return a->nentries == b->nentries &&
	       memcmp(a->entries, b->entries, a->nentries * sizeof(a->entries[0])) == 0;
}

static struct vnid *vnid_new(struct vdpd *d, uint32_t vnid, unsigned port)
{
	struct vnid *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->vnid = vnid;
	if (vnid_index_add(d, n) < 0) {
		free(n);
		return NULL;
	}
	n->policy.type = VDP_TLV_POLICY_SYNC;
	n->policy.vnid = vnid;
	fair_vnid_charge(d, n, port);
	TAILQ_INSERT_TAIL(&d->vnids, n, entry);
	return n;
}

struct vnid *policy_vnid_get(struct vdpd *d, unsigned port, uint32_t vnid, enum reason *why)
{
	struct vnid *n = vdpd_vnid_find(d, vnid);
	if (n)
		return n;
	const struct conf_type *t = conf_type(&d->conf, vnid);
	if ((d->conf.unknown_type == CONF_UNKNOWN_STATIC && !t) ||
	    d->conf.unknown_type == CONF_UNKNOWN_REFUSE) {
		*why = REASON_VNID_UNKNOWN;
		return NULL;
	}
	if (d->conf.max_vnids && d->vnid_n >= d->conf.max_vnids) {
		*why = REASON_VNID_LIMIT;
		return NULL;
	}
	if ((*why = fair_vnid_check(d, port)) != REASON_OK)
		return NULL;
	n = vnid_new(d, vnid, port);
	if (!n) {
		*why = REASON_KERNEL;
		return NULL;
	}
	if (t && d->conf.unknown_type == CONF_UNKNOWN_STATIC) {
		n->policy = t->policy;
		n->policy.type = VDP_TLV_POLICY_SYNC;
		n->policy.vnid = vnid;
		if (t->vid) {
			n->vid = t->vid;
			n->vid_origin = VID_STATIC;
		}
	}
	return n;
}

/* Gives back what a VNID no longer needs once its members are gone. */
void policy_vnid_put(struct vdpd *d, struct vnid *n)
{
	if (n->nmembers)
		return;
	if (n->vid && (n->vid_origin == VID_AUTO || n->vid_origin == VID_REQUEST)) {
		log_info("VNID %u: VLAN %u released (last VSI gone)", n->vnid, n->vid);
		vlan_pool_release(&d->pool, n->vid);
		fair_vlan_uncharge(d, n);
		n->vid = 0;
		n->vid_origin = VID_NONE;
		if (n->synced)
			persist_vnid_put(d, n);
	}
	if (n->synced)
		return;
	if (n->vid && n->vid_origin == VID_POLICY)
		vlan_pool_release(&d->pool, n->vid);
	fair_vnid_uncharge(d, n);
	persist_vnid_del(d, n);
	TAILQ_REMOVE(&d->vnids, n, entry);
	vnid_index_del(d, n);
	free(n);
}

static void refuse(struct vdpd *d, unsigned port, struct vdp_policy *resp, enum reason r, bool keep,
                   const char *why)
{
	resp->status = (uint8_t)(VDP_RESP | (keep ? VDP_RESP_KEEP : 0) |
	                         (reason_hard(r) ? VDP_RESP_HARD : 0) | reason_code(r));
	vdpd_count(d, port, r);
	if (!fair_log_ok(d, port))
		return;
	log_notice("port %s: %s VNID %u refused (%s): %s", d->ports[port].name,
	           vdp_tlv_type_name(resp->type), resp->vnid, reason_name(r), why);
}

/* Reprograms every enabled member of n from policy `from` to policy `to`,
 * as one batch. */
static int reprogram(struct vdpd *d, unsigned port, struct vnid *n, const struct vdp_policy *from,
                     const struct vdp_policy *to)
{
	struct kop_list l = {0};
	int rc = 0;
	struct vsi *v;
	TAILQ_FOREACH(v, &d->vsis, entry)
	{
		if (v->vnid != n->vnid || v->state != VSI_ASSOC)
			continue;
		rc = kprog_policy(d, v, n, from, false, &l);
		if (rc == 0)
			rc = kprog_policy(d, v, n, to, true, &l);
		if (rc < 0)
			break;
	}
	char what[64];
	snprintf(what, sizeof(what), "policy of VNID %u", n->vnid);
	if (rc == 0)
		rc = kprog_apply(d, port, &l, what);
	kop_list_free(&l);
	return rc;
}

/* Takes the policy's VLAN for the VNID (adaptable() has checked it). */
static void take_vid(struct vdpd *d, unsigned port, struct vnid *n, const struct vdp_policy *pol)
{
	uint16_t vid = policy_vid(pol);
	if (!vid || vid == n->vid)
		return;
	if (n->vid && n->vid_origin != VID_STATIC)
		vlan_pool_release(&d->pool, n->vid);
	n->vid = vid;
	n->vid_origin = VID_POLICY;
	vlan_pool_claim(&d->pool, vid, n->vnid);
	fair_vlan_charge(d, n, port);
}

static void sync_policy(struct vdpd *d, unsigned port, const struct vdp_policy *req,
                        struct vdp_policy *resp)
{
	char why[160] = "";
	struct vnid *n = vdpd_vnid_find(d, req->vnid);
	uint64_t bit = 1ull << port;

	if (n && n->synced) {
		if (!same_policy(&n->policy, req))
			return refuse(d, port, resp, REASON_POLICY_CONFLICT, true,
			              "already synced with a different policy; use Policy Update");
		n->sync_ports |= bit;
		persist_vnid_put(d, n);
		log_info("port %s: VNID %u policy sync (same policy, %u VSIs)", d->ports[port].name,
		         n->vnid, n->nmembers);
		return;
	}
	if (!n && d->conf.max_vnids && d->vnid_n >= d->conf.max_vnids)
		return refuse(d, port, resp, REASON_VNID_LIMIT, false, "VNID limit reached");
	if (!n && fair_vnid_check(d, port) != REASON_OK)
		return refuse(d, port, resp, REASON_PORT_VNID_LIMIT, false,
		              "the port made its limit of VNIDs");
	enum reason r = adaptable(d, port, req, n, why, sizeof(why));
	if (r != REASON_OK)
		return refuse(d, port, resp, r, n != NULL, why);

	/* A VNID already in use without a synced list (vlan-only or static
	 * VSIs) takes the new policy: its enabled members are reprogrammed. */
	if (n && reprogram(d, port, n, &n->policy, req) < 0)
		return refuse(d, port, resp, REASON_KERNEL, true, "kernel refused the policy");
	if (!n && !(n = vnid_new(d, req->vnid, port)))
		return refuse(d, port, resp, REASON_KERNEL, false, "out of memory");
	n->policy = *req;
	n->policy.type = VDP_TLV_POLICY_SYNC;
	n->policy.nskipped = 0;
	n->synced = true;
	n->sync_ports |= bit;
	take_vid(d, port, n, req);
	d->nvnids_synced++;
	persist_vnid_put(d, n);
	log_info("port %s: VNID %u policy synced: %u entries%s, VLAN %u", d->ports[port].name,
	         n->vnid, n->policy.nentries, req->nskipped ? " (unknown types skipped)" : "",
	         n->vid);
}

static void update_policy(struct vdpd *d, unsigned port, const struct vdp_policy *req,
                          struct vdp_policy *resp)
{
	char why[160] = "";
	struct vnid *n = vdpd_vnid_find(d, req->vnid);
	if (!n || !n->synced)
		return refuse(d, port, resp, REASON_VNID_UNKNOWN, false,
		              "no synced policy to update");
	enum reason r = adaptable(d, port, req, n, why, sizeof(why));
	if (r != REASON_OK)
		return refuse(d, port, resp, r, true, why);
	if (reprogram(d, port, n, &n->policy, req) < 0)
		return refuse(d, port, resp, REASON_KERNEL, true, "kernel refused the policy");
	n->policy = *req;
	n->policy.type = VDP_TLV_POLICY_SYNC;
	n->policy.nskipped = 0;
	take_vid(d, port, n, req);
	persist_vnid_put(d, n);
	log_info("port %s: VNID %u policy updated: %u entries, %u VSIs reprogrammed",
	         d->ports[port].name, n->vnid, n->policy.nentries, n->nenabled);
}

static void remove_policy(struct vdpd *d, unsigned port, const struct vdp_policy *req)
{
	struct vnid *n = vdpd_vnid_find(d, req->vnid);
	if (!n) {
		log_info("port %s: VNID %u policy remove: not known, nothing to do",
		         d->ports[port].name, req->vnid);
		return;
	}
	/* The server's last VM of the VNID left: VSIs still on its port are
	 * stale, tell the station and clean up. */
	struct vsi *v, *next;
	for (v = TAILQ_FIRST(&d->vsis); v; v = next) {
		next = TAILQ_NEXT(v, entry);
		if (v->vnid == n->vnid && v->port == port)
			vsi_remove(d, v, true, "policy removed by its port");
	}
	/* vsi_remove may have freed an unsynced VNID along with its last VSI. */
	if (!(n = vdpd_vnid_find(d, req->vnid)))
		return;
	n->sync_ports &= ~(1ull << port);
	if (n->sync_ports == 0 && n->synced) {
		n->synced = false;
		d->nvnids_synced--;
		log_info("port %s: VNID %u policy removed%s", d->ports[port].name, n->vnid,
		         n->nmembers ? " (list kept for VSIs on other ports)" : "");
	}
	/* policy_vnid_put() deletes the record again if the list goes. */
	persist_vnid_put(d, n);
	if (!n->synced && n->nmembers == 0)
		policy_vnid_put(d, n);
}

void policy_refuse_malformed(struct vdpd *d, unsigned port, int err, struct vdp_policy *head)
{
	const struct vnid *n = vdpd_vnid_find(d, head->vnid);
	char why[96];
	snprintf(why, sizeof(why), "%s (%s)", vdp_strerror(err), vdp_err_name(err));
	refuse(d, port, head, REASON_MALFORMED, n && n->synced, why);
}

/* A list with an entry vdpd cannot take as it is (policy_check.c) is
 * refused whole; its answer carries no entries, which could not be
 * encoded anyway when a value is out of range. */
static bool list_ok(struct vdpd *d, unsigned port, const struct vdp_policy *req,
                    struct vdp_policy *resp)
{
	char why[192];
	enum reason r = policy_check(req, why, sizeof(why));
	if (r == REASON_OK)
		return true;
	const struct vnid *n = vdpd_vnid_find(d, req->vnid);
	resp->nentries = 0;
	refuse(d, port, resp, r, n && n->synced, why);
	return false;
}

void policy_handle(struct vdpd *d, unsigned port, const struct vdp_policy *req,
                   struct vdp_policy *resp)
{
	*resp = *req;
	resp->status = VDP_RESP;
	if (req->type != VDP_TLV_POLICY_REMOVE && !list_ok(d, port, req, resp))
		return;
	switch (req->type) {
	case VDP_TLV_POLICY_SYNC:
		sync_policy(d, port, req, resp);
		break;
	case VDP_TLV_POLICY_UPDATE:
		update_policy(d, port, req, resp);
		break;
	case VDP_TLV_POLICY_REMOVE:
		remove_policy(d, port, req);
		break;
	}
	if ((resp->status & VDP_STATUS_ERR_MASK) == 0)
		vdpd_count(d, port, REASON_OK);
}
