/* SPDX-License-Identifier: ISC */
/* vdpd: what kernel state a VSI needs, as a list of backend operations.
 *
 * An enabled (associated) VSI on port P in VNID N with VLAN V needs:
 *   - P a tagged member of V, while any enabled VSI of N is on P;
 *   - every uplink a member of V, while any enabled VSI of N is on the device;
 *   - per filter, a guard letting (P, V, MAC) into the bridge: a port with
 *     guards admits nothing else (isolation: default deny between VMs);
 *   - per filter MAC, N's ACL, bandwidth and QoS entries scoped to (P, V, MAC).
 * Pre-associated VSIs need nothing: their resources are reserved in the
 * tables only (VNID policy: mapping present but disabled).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "log.h"
#include "core/vdpd.h"

void kop_list_free(struct kop_list *l)
{
	free(l->ops);
	memset(l, 0, sizeof(*l));
}

int kop_list_push(struct kop_list *l, const struct kop *op)
{
	if (ARRAY_GROW(l->ops, l->cap, l->n + 1) < 0)
		return -ENOMEM;
	l->ops[l->n++] = *op;
	return 0;
}

/* Enabled VSIs of VNID n other than v (by VSIID), on port (or anywhere
 * when port < 0): n's counts, less the listed VSI v names if it counts. */
static unsigned enabled_others(const struct vdpd *d, const struct vsi *v, const struct vnid *n,
                               int port)
{
	unsigned c = port < 0 ? n->nenabled : n->nenabled_on[port];
	const struct vsi *o = vdpd_vsi_get(d, v->vsiid_fmt, v->vsiid);
	if (o && o->state == VSI_ASSOC && o->vnid == n->vnid &&
	    (port < 0 || o->port == (unsigned)port))
		c--;
	return c;
}

static int push_vlan(struct kop_list *l, const char *port, uint16_t vid, uint32_t vnid, bool add)
{
	struct kop op;
	memset(&op, 0, sizeof(op));
	op.kind = add ? KOP_VLAN_ADD : KOP_VLAN_DEL;
	memcpy(op.port, port, IFNAMSIZ);
	op.vid = vid;
	op.vnid = vnid;
	return kop_list_push(l, &op);
}

int kprog_vlan(const struct vdpd *d, const struct vsi *v, const struct vnid *n, bool add,
               struct kop_list *l)
{
	int rc = 0;
	if (!n->vid)
		return 0;
	if (enabled_others(d, v, n, (int)v->port) == 0)
		rc = push_vlan(l, d->ports[v->port].name, n->vid, n->vnid, add);
	if (rc == 0 && enabled_others(d, v, n, -1) == 0)
		for (unsigned i = 0; i < d->conf.nuplinks && rc == 0; i++)
			rc = push_vlan(l, d->conf.uplinks[i], n->vid, n->vnid, add);
	return rc;
}

/* The kop for one policy entry on one filter, or false if the entry
 * programs nothing (VN, snooping and VLAN entries work elsewhere). */
static bool entry_op(const struct vdp_policy_entry *e, bool add, struct kop *op)
{
	switch (e->type) {
	case VDP_POL_ACL:
		op->kind = add ? KOP_ACL_ADD : KOP_ACL_DEL;
		op->u.acl = e->u.acl;
		return true;
	case VDP_POL_BANDWIDTH:
		op->kind = add ? KOP_RATE_SET : KOP_RATE_CLEAR;
		op->u.bw = e->u.bw;
		return true;
	case VDP_POL_QOS:
		op->kind = add ? KOP_QOS_SET : KOP_QOS_CLEAR;
		op->u.qos = e->u.qos;
		return true;
	case VDP_POL_DHCP_SNOOP: /* migration services: no DHCP server behind a VM */
		if (!e->u.enable)
			return false;
		op->kind = add ? KOP_DHCP_BLOCK : KOP_DHCP_UNBLOCK;
		return true;
	default:
		return false;
	}
}

int kprog_entry_check(const struct vdp_policy_entry *e, char *why, size_t cap)
{
	struct kop op;
	memset(&op, 0, sizeof(op));
	return entry_op(e, true, &op) ? kop_check(&op, why, cap) : 0;
}

static bool vsi_has_mac(const struct vsi *v)
{
	return v->filter_fmt == VDP_FILTER_MAC_VID || v->filter_fmt == VDP_FILTER_GROUP_MAC_VID;
}

/* The (port, VLAN, MAC) objects a VSI's state is scoped to: one per filter
 * MAC, or one for all MACs when the filters carry VIDs only. */
static unsigned vsi_targets(const struct vsi *v)
{
	return vsi_has_mac(v) ? v->nfilters : (v->nfilters ? 1u : 0u);
}

static void target_op(const struct vdpd *d, const struct vsi *v, const struct vnid *n, unsigned f,
                      struct kop *op)
{
	memset(op, 0, sizeof(*op));
	memcpy(op->port, d->ports[v->port].name, IFNAMSIZ);
	op->vid = n->vid;
	op->vnid = n->vnid;
	if (vsi_has_mac(v))
		memcpy(op->mac, v->filters[f].mac, 6);
}

/* Policy-derived state only: ACL, bandwidth, QoS, DHCP blocking per target. */
int kprog_policy(const struct vdpd *d, const struct vsi *v, const struct vnid *n,
                 const struct vdp_policy *pol, bool add, struct kop_list *l)
{
	for (unsigned f = 0; f < vsi_targets(v); f++) {
		for (unsigned i = 0; i < pol->nentries; i++) {
			struct kop op;
			target_op(d, v, n, f, &op);
			if (!entry_op(&pol->entries[i], add, &op))
				continue;
			int rc = kop_list_push(l, &op);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int kprog_guard(const struct vdpd *d, const struct vsi *v, const struct vnid *n, bool add,
                       struct kop_list *l)
{
	for (unsigned f = 0; f < vsi_targets(v); f++) {
		struct kop op;
		target_op(d, v, n, f, &op);
		op.kind = add ? KOP_GUARD_ADD : KOP_GUARD_DEL;
		int rc = kop_list_push(l, &op);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int kprog_vsi(const struct vdpd *d, const struct vsi *v, const struct vnid *n,
              const struct vdp_policy *pol, bool add, struct kop_list *l)
{
	/* VLAN, then the guard, then the rules that use them; and the other
	 * way round when the VSI goes. */
	int rc = 0;
	if (add) {
		rc = kprog_vlan(d, v, n, true, l);
		if (rc == 0)
			rc = kprog_guard(d, v, n, true, l);
		if (rc == 0)
			rc = kprog_policy(d, v, n, pol, true, l);
	} else {
		rc = kprog_policy(d, v, n, pol, false, l);
		if (rc == 0)
			rc = kprog_guard(d, v, n, false, l);
		if (rc == 0)
			rc = kprog_vlan(d, v, n, false, l);
	}
	return rc;
}

static int inverse_kind(enum kop_kind k)
{
	switch (k) {
	case KOP_VLAN_DEL:
		return KOP_VLAN_ADD;
	case KOP_ACL_DEL:
		return KOP_ACL_ADD;
	case KOP_RATE_CLEAR:
		return KOP_RATE_SET;
	case KOP_QOS_CLEAR:
		return KOP_QOS_SET;
	case KOP_GUARD_DEL:
		return KOP_GUARD_ADD;
	case KOP_DHCP_UNBLOCK:
		return KOP_DHCP_BLOCK;
	default:
		return -1;
	}
}

/* Every kop here is memset to zero before it is filled, so comparing the
 * union's bytes compares its members and zero padding. */
static bool same_object(const struct kop *a, const struct kop *b)
{
	if (strcmp(a->port, b->port) != 0 || a->vid != b->vid || memcmp(a->mac, b->mac, 6) != 0)
		return false;
	// NOLINTNEXTLINE(bugprone-suspicious-memory-comparison)
	return memcmp(&a->u, &b->u, sizeof(a->u)) == 0;
}

/* A removal followed later by the same addition (a VSI re-associating, or
 * moving while its VNID stays on the uplinks) would only blink the state:
 * drop both. */
void kop_list_cancel_pairs(struct kop_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		int inv = inverse_kind(l->ops[i].kind);
		if (inv < 0)
			continue;
		for (size_t j = i + 1; j < l->n; j++) {
			if ((int)l->ops[j].kind != inv || !same_object(&l->ops[i], &l->ops[j]))
				continue;
			memmove(&l->ops[j], &l->ops[j + 1], (l->n - j - 1) * sizeof(*l->ops));
			memmove(&l->ops[i], &l->ops[i + 1], (l->n - i - 2) * sizeof(*l->ops));
			l->n -= 2;
			i--;
			break;
		}
	}
}

int kprog_apply(struct vdpd *d, unsigned port, struct kop_list *l, const char *what)
{
	kop_list_cancel_pairs(l);
	if (l->n == 0)
		return 0;
	struct backend_err err;
	int rc = backend_apply(&d->be, l->ops, l->n, &err);
	if (rc < 0) {
		log_err("port %s: kernel refused %s, nothing applied: %s",
		        port < d->nports ? d->ports[port].name : "-", what, err.msg);
		return rc; /* the caller counts it, with its own reason */
	}
	for (size_t i = 0; i < l->n; i++) {
		char buf[200];
		log_debug("kernel: %s (%s)", kop_format(&l->ops[i], buf, sizeof(buf)), what);
	}
	return 0;
}
