/* SPDX-License-Identifier: ISC */
/* vdpd: is a Policy Sync or Update's list one vdpd can take as it is?
 *
 * Checked entry by entry, before the adaptability check (vnid_policy.c)
 * and before anything is programmed, so that a list is refused at sync
 * with a reason naming the entry instead of accepted and then failing
 * every Associate:
 *   policy-value        a field out of range (libvdp's own ranges,
 *                       vdp_policy_entry_check()), a burst the kernel
 *                       would not hold as given (common/ratelimit.h:
 *                       4294967295 octets became "burst 0b"), host bits set in a
 *                       prefix, a unicast address as the VN's multicast
 *                       group, a second entry for what takes one
 *                       (bandwidth per direction, QoS, VLAN, snooping);
 *   policy-unsupported  an entry the kernel backend cannot program: the
 *                       very check the backend makes of every op
 *                       (kop_check(), through kprog_entry_check()).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "core/vdpd.h"
#include "ratelimit.h"

static bool prefix_canonical(const struct vdp_prefix *p, char *text, size_t cap)
{
	if (bits_clear(p->addr, p->plen, 128))
		return true;
	if (!inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->addr, text, (socklen_t)cap))
		snprintf(text, cap, "?");
	return false;
}

/* Prefixes are matched as sent: 10.1.2.3/8 would silently mean 10.0.0.0/8
 * (nftables masks the address), more likely a mistake than a wish. */
static bool acl_prefixes_ok(const struct vdp_pol_acl *a, char *why, size_t cap)
{
	char t[INET6_ADDRSTRLEN];
	for (int i = 0; i < 2; i++) {
		const struct vdp_prefix *p = i ? &a->dst : &a->src;
		if (!prefix_canonical(p, t, sizeof(t))) {
			snprintf(why, cap, "%s prefix %s/%u has bits set past its length",
			         i ? "destination" : "source", t, p->plen);
			return false;
		}
	}
	return true;
}

static bool vn_group_ok(const struct vdp_pol_vn *vn, char *why, size_t cap)
{
	char t[INET6_ADDRSTRLEN];
	bool v6 = vn->family == 6;
	if (v6 ? vn->mcast[0] == 0xff : (vn->mcast[0] & 0xf0) == 0xe0)
		return true;
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, vn->mcast, t, sizeof(t)))
		snprintf(t, sizeof(t), "?");
	snprintf(why, cap, "group %s is not a multicast address", t);
	return false;
}

/* Entries a list may hold once (bandwidth: once per direction). */
static bool same_slot(const struct vdp_policy_entry *a, const struct vdp_policy_entry *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case VDP_POL_BANDWIDTH:
		return a->u.bw.dir == b->u.bw.dir;
	case VDP_POL_QOS:
	case VDP_POL_VLAN:
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		return true;
	default:
		return false;
	}
}

static bool unique(const struct vdp_policy *pol, unsigned i, char *why, size_t cap)
{
	for (unsigned j = 0; j < i; j++)
		if (same_slot(&pol->entries[j], &pol->entries[i])) {
			snprintf(why, cap, "a second %s entry (the first is entry %u)",
			         pol->entries[i].type == VDP_POL_BANDWIDTH
			             ? (pol->entries[i].u.bw.dir ? "from-vm bandwidth"
			                                         : "to-vm bandwidth")
			             : vdp_policy_type_name(pol->entries[i].type),
			         j);
			return false;
		}
	return true;
}

/* One entry: REASON_OK, or the reason with what is wrong in why. */
static enum reason entry_check(const struct vdp_policy *pol, unsigned i, char *why, size_t cap)
{
	const struct vdp_policy_entry *e = &pol->entries[i];
	if (vdp_policy_entry_check(e, why, cap) < 0)
		return REASON_POLICY_VALUE;
	if (e->type == VDP_POL_BANDWIDTH &&
	    rate_burst_check(e->u.bw.dir == VDP_DIR_TO_VM, e->u.bw.rate_kbps, e->u.bw.burst, why,
	                     cap) < 0)
		return REASON_POLICY_VALUE;
	if (e->type == VDP_POL_ACL && !acl_prefixes_ok(&e->u.acl, why, cap))
		return REASON_POLICY_VALUE;
	if (e->type == VDP_POL_VN && !vn_group_ok(&e->u.vn, why, cap))
		return REASON_POLICY_VALUE;
	if (!unique(pol, i, why, cap))
		return REASON_POLICY_VALUE;
	if (kprog_entry_check(e, why, cap) < 0)
		return REASON_POLICY_UNSUPPORTED;
	return REASON_OK;
}

enum reason policy_check(const struct vdp_policy *pol, char *why, size_t cap)
{
	char what[128];
	for (unsigned i = 0; i < pol->nentries; i++) {
		enum reason r = entry_check(pol, i, what, sizeof(what));
		if (r != REASON_OK) {
			snprintf(why, cap, "entry %u (%s): %s", i,
			         vdp_policy_type_name(pol->entries[i].type), what);
			return r;
		}
	}
	return REASON_OK;
}
