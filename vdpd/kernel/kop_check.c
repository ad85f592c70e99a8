/* SPDX-License-Identifier: ISC */
/* vdpd: which op values the kernel backend can program.  One function,
 * kop_check(), so that the backend (every op, in backend_apply()) and the
 * VNID policy decisions (every entry of a Policy Sync or Update) refuse the
 * same things: a policy accepted at sync must never fail every Associate
 * afterwards.  Ranges the wire format already bounds (libvdp) are checked
 * again here because an op can also come from vdpd.conf or a test. */
#include <errno.h>
#include <stdio.h>

#include "kernel/backend.h"
#include "ratelimit.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86DD

/* The IP protocols whose headers start with 16-bit source and destination
 * ports, which is what nftables' "th sport / th dport" reads. */
static bool has_ports(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 33 || proto == 132; /* tcp udp dccp sctp */
}

uint16_t kop_acl_ethertype(const struct vdp_pol_acl *a)
{
	uint8_t fam = a->src.family ? a->src.family : a->dst.family;

	if (a->ethertype || !fam)
		return a->ethertype;
	return fam == 6 ? ETH_P_IPV6 : ETH_P_IPV4;
}

static int acl_check(const struct vdp_pol_acl *a, char *why, size_t cap)
{
	uint8_t fam = a->src.family ? a->src.family : a->dst.family;
	bool ports = a->sport_lo || a->sport_hi || a->dport_lo || a->dport_hi;

	if (a->dir > VDP_DIR_BOTH)
		return snprintf(why, cap, "bad direction %u", a->dir), -EINVAL;
	if (a->src.family && a->dst.family && a->src.family != a->dst.family)
		return snprintf(why, cap, "source prefix IPv%u, destination IPv%u", a->src.family,
		                a->dst.family),
		       -EINVAL;
	if (fam && kop_acl_ethertype(a) != (fam == 6 ? ETH_P_IPV6 : ETH_P_IPV4))
		return snprintf(why, cap, "ethertype 0x%04x with an IPv%u prefix", a->ethertype,
		                fam),
		       -EINVAL;
	if (ports && !has_ports(a->ip_proto))
		return snprintf(why, cap, "ports need proto tcp, udp, sctp or dccp, not %u",
		                a->ip_proto),
		       -EINVAL;
	return 0;
}

int kop_check(const struct kop *op, char *why, size_t cap)
{
	bool vlan = op->kind == KOP_VLAN_ADD || op->kind == KOP_VLAN_DEL;

	if (op->vid > VDP_VID_MAX || (vlan && !op->vid))
		return snprintf(why, cap, "VLAN id %u out of range", op->vid), -EINVAL;
	switch (op->kind) {
	case KOP_ACL_ADD:
	case KOP_ACL_DEL: /* the rule's identity is built from the same fields */
		return acl_check(&op->u.acl, why, cap);
	case KOP_RATE_SET:
	case KOP_RATE_CLEAR:
		if (op->u.bw.dir != VDP_DIR_TO_VM && op->u.bw.dir != VDP_DIR_FROM_VM)
			return snprintf(why, cap, "rate direction must be to-vm or from-vm"),
			       -EINVAL;
		if (op->kind == KOP_RATE_SET &&
		    rate_burst_check(op->u.bw.dir == VDP_DIR_TO_VM, op->u.bw.rate_kbps,
		                     op->u.bw.burst, why, cap) < 0)
			return -EINVAL;
		return 0;
	case KOP_QOS_SET:
		if (op->u.qos.dscp > 63 && op->u.qos.dscp != VDP_QOS_UNSET)
			return snprintf(why, cap, "dscp %u above 63", op->u.qos.dscp), -EINVAL;
		/* Refused rather than shown and not done: the bridge keeps a
		 * frame's VLAN tag outside its data, which nftables cannot
		 * rewrite before Linux 6.10, and skb priority does not reach
		 * the tag the bridge adds. */
		if (op->u.qos.pcp != VDP_QOS_UNSET)
			return snprintf(why, cap,
			                "PCP marking (pcp %u) is not supported: vdpd cannot "
			                "rewrite the VLAN tag; use dscp",
			                op->u.qos.pcp),
			       -EOPNOTSUPP;
		return 0;
	default:
		return (unsigned)op->kind < KOP_KIND_COUNT
		           ? 0
		           : (snprintf(why, cap, "unknown op kind %d", (int)op->kind), -EINVAL);
	}
}
