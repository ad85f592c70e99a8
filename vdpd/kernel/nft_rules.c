/* SPDX-License-Identifier: ISC */
/* vdpd: the nftables part of each op.  Each function builds the rule `nft`
 * would build for the line in its comment, so `nft list table bridge vdpd`
 * reads back as ordinary nft syntax.
 *
 * A rule's comment is its identity (the key), matched exactly or up to a
 * following space:
 *   vlan-in PORT / vlan-out PORT                     VLAN membership
 *   acl PORT vid V mac M h=HASH                      one ACL value (HASH:
 *                                                    FNV-1a of its fields)
 *   rate to-vm PORT vid V mac M class 7664:N         htb class steering
 *   rate from-vm PORT vid V mac M                    policer
 *   qos PORT vid V mac M                             DSCP marking
 *   guard-drop PORT                                  isolation: the port's drop
 *   guard-vsis / guard-vsis-anyvid                   isolation: lookups of the
 *                                                    guard sets
 *   dhcp-block-vsis / dhcp-block-vsis-anyvid         migration services: lookups
 *                                                    of the DHCP block sets
 *   trap ETHERTYPE                                   NCB control frames
 * Guards and DHCP blocks are elements of sets (nft_sets.c), not rules: one
 * element per VSI, found by the kernel with one hash lookup per frame.
 * An op whose object exists already (add) or is absent (delete) adds
 * nothing to the batch. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "bytes.h"
#include "kernel/nft_expr.h"
#include "kernel/nft_rules.h"

static const uint8_t zero_mac[6];

static void mac_str(const uint8_t *m, char *buf, size_t cap)
{
	snprintf(buf, cap, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void vsi_key(const char *what, const struct kop *op, char *buf, size_t cap)
{
	char m[18];

	mac_str(op->mac, m, sizeof(m));
	snprintf(buf, cap, "%s %s vid %u mac %s", what, op->port, op->vid, m);
}

/* ---- matches ---- */

/* iifname / oifname "PORT" */
static void m_ifname(struct nxb *b, bool in, const char *port)
{
	char name[IFNAMSIZ] = {0};

	snprintf(name, sizeof(name), "%s", port);
	nx_meta_load(b, in ? NFT_META_IIFNAME : NFT_META_OIFNAME);
	nx_cmp(b, NFT_CMP_EQ, name, sizeof(name));
}

/* ether type 8021q, then the id: "vlan id V" (or "!= @set" by the caller) */
static void m_vid_load(struct nxb *b)
{
	static const uint8_t tpid[2] = {0x81, 0x00}, mask[2] = {0x0f, 0xff}, x[2] = {0};

	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, 12, 2);
	nx_cmp(b, NFT_CMP_EQ, tpid, 2);
	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, 14, 2);
	nx_bitwise(b, 2, mask, x);
}

static void m_vid(struct nxb *b, uint16_t vid)
{
	uint8_t v[2];

	if (!vid)
		return;
	put_be16(v, vid);
	m_vid_load(b);
	nx_cmp(b, NFT_CMP_EQ, v, 2);
}

/* ether saddr / daddr M (nothing for the all-zero "any" MAC) */
static void m_mac(struct nxb *b, bool src, const uint8_t *mac)
{
	if (!memcmp(mac, zero_mac, 6))
		return;
	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, src ? 6 : 0, 6);
	nx_cmp(b, NFT_CMP_EQ, mac, 6);
}

/* ether type ET, or vlan type ET behind a tag */
static void m_ethertype(struct nxb *b, uint16_t vid, uint16_t et)
{
	uint8_t v[2];

	put_be16(v, et);
	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, vid ? 16 : 12, 2);
	nx_cmp(b, NFT_CMP_EQ, v, 2);
}

/* ip saddr A/L, ip6 daddr A/L, ... */
static void m_prefix(struct nxb *b, bool src, const struct vdp_prefix *p)
{
	uint32_t len = p->family == 6 ? 16 : 4, off;
	uint8_t mask[16] = {0}, addr[16], x[16] = {0};

	if ((p->family != 4 && p->family != 6) || !p->plen)
		return;
	off = p->family == 6 ? (src ? 8 : 24) : (src ? 12 : 16);
	for (uint32_t i = 0; i < len; i++) {
		unsigned bits = p->plen > i * 8 ? p->plen - i * 8 : 0;

		mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		addr[i] = p->addr[i] & mask[i];
	}
	nx_payload_load(b, NFT_PAYLOAD_NETWORK_HEADER, off, len);
	if (p->plen < len * 8)
		nx_bitwise(b, len, mask, x);
	nx_cmp(b, NFT_CMP_EQ, addr, len);
}

/* th sport / dport LO-HI */
static void m_port(struct nxb *b, bool src, uint16_t lo, uint16_t hi)
{
	uint8_t l[2], h[2];

	if (!lo && !hi)
		return;
	put_be16(l, lo);
	put_be16(h, hi);
	nx_payload_load(b, NFT_PAYLOAD_TRANSPORT_HEADER, src ? 0 : 2, 2);
	if (lo == hi) {
		nx_cmp(b, NFT_CMP_EQ, l, 2);
	} else {
		nx_cmp(b, NFT_CMP_GTE, l, 2);
		nx_cmp(b, NFT_CMP_LTE, h, 2);
	}
}

/* The VSI: frames from it enter the bridge on PORT with its MAC as source;
 * frames to it leave on PORT with its MAC as destination. */
static void m_vsi(struct nxb *b, const struct kop *op, bool from_vm)
{
	m_ifname(b, from_vm, op->port);
	m_mac(b, from_vm, op->mac);
	m_vid(b, op->vid);
}

/* ---- one rule ---- */

static int add_rule(struct nft_batch *nb, struct nft_snap *s, struct nxb *b, const char *chain,
                    const char *key, long idx)
{
	int r = b->err ? b->err : nb_rule_add(nb, s, b->r, chain, key, idx);

	nftnl_rule_free(b->r);
	b->r = NULL;
	return r;
}

static int new_rule(struct nxb *b)
{
	b->err = 0;
	b->reg = 0;
	b->r = nftnl_rule_alloc();
	return b->r ? 0 : -ENOMEM;
}

static int del_all(struct nft_batch *nb, struct nft_snap *s, const char *key, long idx)
{
	struct nft_rule_ref *ref;
	int r = 0;

	while (!r && (ref = nft_snap_rule(s, key)))
		r = nb_rule_del(nb, s, ref, idx);
	return r;
}

/* ---- VLAN membership (fallback) ---- */

/* iifname "P" vlan id != @vids_P counter drop   (and oifname for vlan-out) */
static int vlan_guard(struct nft_batch *nb, struct nft_snap *s, const char *port, bool in,
                      uint32_t set_id, long idx)
{
	char key[64], set[NFT_VIDSET_NAME_SIZE];
	struct nxb b;

	snprintf(key, sizeof(key), "%s %s", in ? "vlan-in" : "vlan-out", port);
	if (nft_snap_rule(s, key))
		return 0;
	nft_vidset_name(port, set, sizeof(set));
	if (new_rule(&b) < 0)
		return -ENOMEM;
	m_ifname(&b, in, port);
	m_vid_load(&b);
	nx_lookup(&b, set, set_id, true);
	nx_counter(&b);
	nx_verdict(&b, NF_DROP);
	return add_rule(nb, s, &b, "vlans", key, idx);
}

static int op_vlan(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx)
{
	bool add = op->kind == KOP_VLAN_ADD;
	struct nft_vidset *vs = nft_snap_set(s, op->port);
	uint32_t set_id = 0;
	int r = 0;

	if (!add)
		return vs && nft_vidset_has(vs, op->vid)
		           ? (nft_vidset_put(vs, op->vid, false),
		              nb_vidset_elem(nb, op->port, op->vid, false, idx))
		           : 0;
	if (!vs) {
		r = nb_vidset_add(nb, op->port, &set_id, idx);
		if (!r && !(vs = nft_snap_set_add(s, op->port)))
			r = -ENOMEM;
	}
	if (!r)
		r = vlan_guard(nb, s, op->port, true, set_id, idx);
	if (!r)
		r = vlan_guard(nb, s, op->port, false, set_id, idx);
	if (r || nft_vidset_has(vs, op->vid))
		return r;
	r = nft_vidset_put(vs, op->vid, true);
	return r ? r : nb_vidset_elem(nb, op->port, op->vid, true, idx);
}

/* ---- ACL ---- */

static uint32_t fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n--)
		h = (h ^ *c++) * 16777619U;
	return h;
}

static uint32_t acl_hash(const struct vdp_pol_acl *a)
{
	uint16_t ports[4] = {a->sport_lo, a->sport_hi, a->dport_lo, a->dport_hi};
	uint32_t h = 2166136261U;

	/* Field by field: struct padding must not change the identity. */
	h = fnv(h, &a->action, 1);
	h = fnv(h, &a->dir, 1);
	h = fnv(h, &a->ethertype, 2);
	h = fnv(h, &a->ip_proto, 1);
	for (int i = 0; i < 2; i++) {
		const struct vdp_prefix *p = i ? &a->dst : &a->src;

		h = fnv(h, &p->family, 1);
		h = fnv(h, &p->plen, 1);
		h = fnv(h, p->addr, sizeof(p->addr));
	}
	return fnv(h, ports, sizeof(ports));
}

/* iifname . ether saddr @SET [vlan id V] (to the VM: oifname . ether
 * daddr): the frame is from (to) one of the VSIs in SET.  The MAC before
 * the tag, as m_vsi(), else nft lists ether daddr as raw payload. */
static void m_members(struct nxb *b, const struct kop *op, bool from_vm, const char *set)
{
	nx_meta_load(b, from_vm ? NFT_META_IIFNAME : NFT_META_OIFNAME);
	b->reg = NFT_REG32_04;
	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, from_vm ? 6 : 0, 6);
	b->reg = 0;
	nx_lookup(b, set, 0, false);
	m_vid(b, op->vid);
}

/* iifname "P" ether saddr M vlan id V, or with set: iifname . ether saddr
 *	@SET vlan id V; then [vlan type ip] [meta l4proto N] [ip saddr A/L]
 *	[ip daddr A/L] [th sport ..] [th dport ..] counter accept|drop */
static int acl_rule(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, bool from_vm,
                    uint16_t et, const char *set, const char *key, long idx)
{
	const struct vdp_pol_acl *a = &op->u.acl;
	struct nxb b;

	if (new_rule(&b) < 0)
		return -ENOMEM;
	if (set)
		m_members(&b, op, from_vm, set);
	else
		m_vsi(&b, op, from_vm);
	if (et)
		m_ethertype(&b, op->vid, et);
	if (a->ip_proto) {
		nx_meta_load(&b, NFT_META_L4PROTO);
		nx_cmp(&b, NFT_CMP_EQ, &a->ip_proto, 1);
	}
	m_prefix(&b, true, &a->src);
	m_prefix(&b, false, &a->dst);
	m_port(&b, true, a->sport_lo, a->sport_hi);
	m_port(&b, false, a->dport_lo, a->dport_hi);
	nx_counter(&b);
	nx_verdict(&b, a->action == VDP_ACL_PERMIT ? NF_ACCEPT : NF_DROP);
	return add_rule(nb, s, &b, "acl", key, idx);
}

/* The ACL's rules, one per direction, looking up set (NULL: matching
 * the op's port and MAC). */
static int acl_rules(struct nft_batch *nb, struct nft_snap *s, const struct kop *op,
                     const char *set, const char *key, long idx)
{
	uint16_t et = kop_acl_ethertype(&op->u.acl);
	uint8_t dir = op->u.acl.dir;
	int r = 0;

	if (dir == VDP_DIR_FROM_VM || dir == VDP_DIR_BOTH)
		r = acl_rule(nb, s, op, true, et, set, key, idx);
	if (!r && (dir == VDP_DIR_TO_VM || dir == VDP_DIR_BOTH))
		r = acl_rule(nb, s, op, false, et, set, key, idx);
	return r;
}

/* An ACL of one VSI is a membership: the VSI (port . mac) is an element of
 * set acl_V_HASH, which the ACL's rules (comment "acl vid V h=HASH") look up
 * for every VSI of VLAN V with that ACL value.  The set and its rules come
 * with the first member and go with the last, so chain acl holds one rule
 * per (VNID, policy entry), not per VSI. */
static int acl_member(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx,
                      uint32_t h)
{
	struct nft_elem e = {.set = NFT_SET_ACL, .vid = op->vid, .group = h};
	bool add = op->kind == KOP_ACL_ADD;
	char key[64], set[32];
	int r = 0;

	memcpy(e.mac, op->mac, 6);
	snprintf(e.port, sizeof(e.port), "%s", op->port);
	snprintf(key, sizeof(key), "acl vid %u h=%08x", op->vid, h);
	nft_aclset_name(op->vid, h, set, sizeof(set));
	if (add == (nft_snap_elem(s, &e) != NULL))
		return 0;
	if (add && !nft_snap_rule(s, key)) {
		r = nb_set_add(nb, set, true, "acl: the VSIs (port . mac) this ACL applies to",
		               idx);
		if (!r)
			r = acl_rules(nb, s, op, set, key, idx);
	}
	if (!r)
		r = nb_vsi_elem(nb, s, &e, add, idx);
	if (r || add || nft_snap_group(s, op->vid, h, 0))
		return r;
	r = del_all(nb, s, key, idx);
	return r ? r : nb_set_del(nb, set, idx);
}

static int op_acl(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx)
{
	char key[128];
	uint32_t h = acl_hash(&op->u.acl);
	size_t n;

	if (memcmp(op->mac, zero_mac, 6) != 0)
		return acl_member(nb, s, op, idx, h);
	/* Any MAC: the port's own rules (one per port, not per VSI). */
	vsi_key("acl", op, key, sizeof(key));
	n = strlen(key);
	snprintf(key + n, sizeof(key) - n, " h=%08x", h);
	if (op->kind == KOP_ACL_DEL)
		return del_all(nb, s, key, idx);
	if (nft_snap_rule(s, key))
		return 0;
	return acl_rules(nb, s, op, NULL, key, idx);
}

/* ---- rate ---- */

void nft_rate_key(const struct kop *op, char *buf, size_t cap)
{
	vsi_key(op->u.bw.dir == VDP_DIR_TO_VM ? "rate to-vm" : "rate from-vm", op, buf, cap);
}

uint32_t nft_rate_class(struct nft_snap *s, const struct kop *op)
{
	char key[128];
	struct nft_rule_ref *ref;
	const char *c;
	unsigned maj, min;

	nft_rate_key(op, key, sizeof(key));
	ref = nft_snap_rule(s, key);
	if (!ref || !(c = strstr(ref->comment + strlen(key), " class ")) ||
	    sscanf(c, " class %x:%x", &maj, &min) != 2)
		return 0;
	return maj << 16 | (min & 0xffff);
}

/* The port's chain of per-VSI marks in one direction, qos_in_P (frames from
 * its VMs) or qos_out_P (to them), created on first use with its jump from
 * chain qos ("iifname P jump qos_in_P", comment "qos-in P"): a commit that
 * adds or removes a VSI's mark rebuilds that port's chain only, not one
 * chain holding a rule per VSI of the switch. */
static int port_chain(struct nft_batch *nb, struct nft_snap *s, const char *port, bool in,
                      char *chain, size_t cap, long idx)
{
	char key[48];
	struct nxb b;
	int r;

	nft_port_object(in ? "qos_in_" : "qos_out_", port, chain, cap);
	snprintf(key, sizeof(key), "qos-%s %s", in ? "in" : "out", port);
	if (nft_snap_rule(s, key))
		return 0;
	if ((r = nb_chain_add(nb, chain, idx)) < 0)
		return r;
	if (new_rule(&b) < 0)
		return -ENOMEM;
	m_ifname(&b, in, port);
	nx_jump(&b, chain);
	return add_rule(nb, s, &b, "qos", key, idx);
}

/* In chain qos_out_P / qos_in_P (port_chain()):
 * to-vm:   oifname "P" ether daddr M vlan id V meta priority set 7664:N
 * from-vm: iifname "P" ether saddr M vlan id V limit rate over R bytes/second
 *	    burst B bytes counter drop */
static int op_rate(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx,
                   uint32_t classid)
{
	bool to_vm = op->u.bw.dir == VDP_DIR_TO_VM;
	char key[128], chain[NFT_PORT_OBJECT_SIZE];
	struct nxb b;
	int r;

	nft_rate_key(op, key, sizeof(key));
	r = del_all(nb, s, key, idx);
	if (r || op->kind == KOP_RATE_CLEAR)
		return r;
	if ((r = port_chain(nb, s, op->port, !to_vm, chain, sizeof(chain), idx)) < 0)
		return r;
	if (new_rule(&b) < 0)
		return -ENOMEM;
	m_vsi(&b, op, !to_vm);
	if (to_vm) {
		size_t n = strlen(key);

		nx_meta_set_u32(&b, NFT_META_PRIORITY, classid);
		snprintf(key + n, sizeof(key) - n, " class %x:%x", classid >> 16, classid & 0xffff);
	} else {
		nx_limit_bytes(&b, (uint64_t)op->u.bw.rate_kbps * 125, backend_burst(&op->u.bw),
		               true);
		nx_counter(&b);
		nx_verdict(&b, NF_DROP);
	}
	return add_rule(nb, s, &b, chain, key, idx);
}

/* ---- QoS ---- */

/* iifname "P" ether saddr M vlan id V vlan type ip ip dscp set D
 * (and the same for ip6).  PCP is not rewritten here: see netlink.c. */
static int dscp_rule(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, bool v6,
                     const char *chain, const char *key, long idx)
{
	uint8_t d = op->u.qos.dscp;
	uint8_t mask4[2] = {0xff, 0x03}, x4[2] = {0, (uint8_t)(d << 2)};
	uint8_t mask6[2] = {0xf0, 0x3f}, x6[2] = {(uint8_t)(d >> 2), (uint8_t)(d << 6)};
	struct nxb b;

	if (new_rule(&b) < 0)
		return -ENOMEM;
	m_vsi(&b, op, true);
	m_ethertype(&b, op->vid, v6 ? 0x86dd : 0x0800);
	nx_payload_load(&b, NFT_PAYLOAD_NETWORK_HEADER, 0, 2);
	nx_bitwise(&b, 2, v6 ? mask6 : mask4, v6 ? x6 : x4);
	/* IPv4 carries a header checksum (offset 10) to fix up. */
	nx_payload_write(&b, NFT_PAYLOAD_NETWORK_HEADER, 0, 2,
	                 v6 ? NFT_PAYLOAD_CSUM_NONE : NFT_PAYLOAD_CSUM_INET, v6 ? 0 : 10);
	return add_rule(nb, s, &b, chain, key, idx);
}

static int op_qos(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx)
{
	char key[128], chain[NFT_PORT_OBJECT_SIZE];
	int r;

	vsi_key("qos", op, key, sizeof(key));
	r = del_all(nb, s, key, idx);
	if (r || op->kind == KOP_QOS_CLEAR || op->u.qos.dscp == VDP_QOS_UNSET)
		return r;
	if ((r = port_chain(nb, s, op->port, true, chain, sizeof(chain), idx)) < 0)
		return r;
	r = dscp_rule(nb, s, op, false, chain, key, idx);
	return r ? r : dscp_rule(nb, s, op, true, chain, key, idx);
}

/* ---- guards (isolation) ---- */

/* iifname "P" counter drop, appended: after every guard of P. */
static int guard_drop(struct nft_batch *nb, struct nft_snap *s, const char *port, long idx)
{
	char key[64];
	struct nxb b;

	snprintf(key, sizeof(key), "guard-drop %s", port);
	if (nft_snap_rule(s, key))
		return 0;
	if (new_rule(&b) < 0)
		return -ENOMEM;
	m_ifname(&b, true, port);
	nx_counter(&b);
	nx_verdict(&b, NF_DROP);
	return add_rule(nb, s, &b, "guard", key, idx);
}

/* The VSI's element in the guard or DHCP block set: the _anyvid set when
 * its vid is 0 (any VLAN, tagged or not, as a rule without "vlan id"). */
static int vsi_elem(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx,
                    enum nft_vsiset tagged, bool add)
{
	struct nft_elem e = {.set = (uint8_t)(op->vid ? tagged : tagged + 1), .vid = op->vid};

	memcpy(e.mac, op->mac, 6);
	snprintf(e.port, sizeof(e.port), "%s", op->port);
	return nb_vsi_elem(nb, s, &e, add, idx);
}

/* guards: "P" . V . M (frames from the VSI may enter), and the port's drop */
static int op_guard(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx)
{
	bool add = op->kind == KOP_GUARD_ADD;
	int r = vsi_elem(nb, s, op, idx, NFT_SET_GUARD, add);

	return r || !add ? r : guard_drop(nb, s, op->port, idx);
}

/* dhcp_blocks: "P" . V . M (its DHCP server replies are dropped) */
static int op_dhcp(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx)
{
	return vsi_elem(nb, s, op, idx, NFT_SET_DHCP, op->kind == KOP_DHCP_BLOCK);
}

/* [ether type 8021q] iifname . [vlan id .] ether saddr @SET: the set's key
 * loaded as nft loads a concatenation (registers 1, 32-bit 4, 32-bit 5). */
static void m_vsi_lookup(struct nxb *b, enum nft_vsiset set)
{
	bool any = set == NFT_SET_GUARD_ANY || set == NFT_SET_DHCP_ANY;
	static const uint8_t mask[2] = {0x0f, 0xff}, x[2] = {0};

	if (!any) {
		static const uint8_t tpid[2] = {0x81, 0x00};

		nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, 12, 2);
		nx_cmp(b, NFT_CMP_EQ, tpid, 2);
	}
	nx_meta_load(b, NFT_META_IIFNAME);
	b->reg = NFT_REG32_04;
	if (!any) {
		nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, 14, 2);
		nx_bitwise(b, 2, mask, x);
		b->reg = NFT_REG32_05;
	}
	nx_payload_load(b, NFT_PAYLOAD_LL_HEADER, 6, 6);
	b->reg = 0;
	nx_lookup(b, nft_vsiset_name(set), 0, false);
}

/* guard-vsis:  iifname . vlan id . ether saddr @guards accept
 * dhcp-block-vsis: udp sport 67 iifname . vlan id . ether saddr
 *		    @dhcp_blocks counter drop        (and the _anyvid ones)
 * The guard lookups go at the head of chain guard, before the per-port
 * drops; the DHCP ones in chain ctl, before the guards' accepts (an accept
 * only ends its own base chain, a drop ends them all).  Tagged frames reach
 * the bridge with their tag outside the data, so the transport header is
 * found either way. */
static int lookup_rule(struct nft_batch *nb, struct nft_snap *s, enum nft_vsiset set)
{
	static const char *const keys[NFT_VSISET_COUNT] = {
	    "guard-vsis", "guard-vsis-anyvid", "dhcp-block-vsis", "dhcp-block-vsis-anyvid"};
	static const uint8_t udp = 17;
	bool guard = set == NFT_SET_GUARD || set == NFT_SET_GUARD_ANY;
	struct nxb b;
	int r;

	if (nft_snap_rule(s, keys[set]))
		return 0;
	if (new_rule(&b) < 0)
		return -ENOMEM;
	if (!guard) {
		nx_meta_load(&b, NFT_META_L4PROTO);
		nx_cmp(&b, NFT_CMP_EQ, &udp, 1);
		m_port(&b, true, 67, 67);
	}
	m_vsi_lookup(&b, set);
	if (!guard)
		nx_counter(&b);
	nx_verdict(&b, guard ? NF_ACCEPT : NF_DROP);
	if (!guard)
		return add_rule(nb, s, &b, "ctl", keys[set], -1);
	r = b.err ? b.err : nb_rule_insert(nb, s, b.r, "guard", keys[set], -1);
	nftnl_rule_free(b.r);
	return r;
}

/* A rule of the older layout, one per VSI ("guard P vid V mac M",
 * "dhcp-block P vid V mac M"), deleted and made an element: an upgraded
 * daemon keeps what the old one programmed.  A VSI's ACL rule of that
 * layout ("acl P vid V mac M h=H", M not 00:..) cannot be made a
 * membership (its comment does not carry the ACL): it is deleted, and
 * comes back as one when the daemon programs the VSI again. */
static int legacy_rule(struct nft_batch *nb, struct nft_snap *s, struct nft_rule_ref *ref)
{
	char what[16], port[IFNAMSIZ], rest[16];
	unsigned vid, m[6];
	struct kop op = {0};
	int r, n = sscanf(ref->comment, "%15s %15s vid %u mac %x:%x:%x:%x:%x:%x %15s", what, port,
	                  &vid, &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], rest);

	if (n == 10 && !strcmp(what, "acl") && !strncmp(rest, "h=", 2) &&
	    (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return nb_rule_del(nb, s, ref, -1);
	if (n != 9 || vid > 4095 || (strcmp(what, "guard") != 0 && strcmp(what, "dhcp-block") != 0))
		return 0;
	snprintf(op.port, sizeof(op.port), "%s", port);
	op.vid = (uint16_t)vid;
	for (int i = 0; i < 6; i++)
		op.mac[i] = (uint8_t)m[i];
	r = nb_rule_del(nb, s, ref, -1);
	return r ? r
	         : vsi_elem(nb, s, &op, -1, what[0] == 'g' ? NFT_SET_GUARD : NFT_SET_DHCP, true);
}

static int legacy_rules(struct nft_batch *nb, struct nft_snap *s)
{
	int r = 0;

	for (size_t i = 0; !r && i < s->nrb; i++) {
		struct nft_rule_ref *ref = s->rb[i], *next;

		for (; !r && ref; ref = next) {
			next = ref->next; /* legacy_rule may unlink ref */
			if (!ref->rule_id)
				r = legacy_rule(nb, s, ref);
		}
	}
	return r;
}

int nft_batch_op(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx,
                 uint32_t classid, char *why, size_t whycap)
{
	switch (op->kind) {
	case KOP_VLAN_ADD:
	case KOP_VLAN_DEL:
		return op_vlan(nb, s, op, idx);
	case KOP_ACL_ADD:
	case KOP_ACL_DEL:
		return op_acl(nb, s, op, idx);
	case KOP_RATE_SET:
	case KOP_RATE_CLEAR:
		return op_rate(nb, s, op, idx, classid);
	case KOP_QOS_SET:
	case KOP_QOS_CLEAR:
		return op_qos(nb, s, op, idx);
	case KOP_GUARD_ADD:
	case KOP_GUARD_DEL:
		return op_guard(nb, s, op, idx);
	case KOP_DHCP_BLOCK:
	case KOP_DHCP_UNBLOCK:
		return op_dhcp(nb, s, op, idx);
	default:
		snprintf(why, whycap, "unknown op kind %d", (int)op->kind);
		return -EINVAL;
	}
}

int nft_rules_probe_limit(struct nft_batch *nb, const char *chain)
{
	struct nxb b;

	if (new_rule(&b) < 0)
		return -ENOMEM;
	nx_limit_bytes(&b, 125000, 10000, true);
	nx_verdict(&b, NF_DROP);
	return add_rule(nb, NULL, &b, chain, "probe", 0);
}

static int trap_rules(struct nft_batch *nb, struct nft_snap *s)
{
	static const uint16_t types[] = {0x8940, 0x88cc};
	static const uint8_t ncb[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00};
	char key[32];
	struct nxb b;
	int r = 0;

	for (size_t i = 0; !r && i < sizeof(types) / sizeof(types[0]); i++) {
		snprintf(key, sizeof(key), "trap 0x%04x", types[i]);
		if (nft_snap_rule(s, key))
			continue;
		if (new_rule(&b) < 0)
			return -ENOMEM;
		m_mac(&b, false, ncb);
		m_ethertype(&b, 0, types[i]);
		nx_counter(&b);
		nx_verdict(&b, NF_DROP);
		r = add_rule(nb, s, &b, "ctl", key, -1);
	}
	return r;
}

int nft_static_rules(struct nft_batch *nb, struct nft_snap *s)
{
	int r = trap_rules(nb, s);

	/* A port's VLAN set without its two rules (the older layout's chain
	 * "vlan" was dropped at open): they go to chain vlans again. */
	for (size_t i = 0; !r && i < s->nsets; i++) {
		r = vlan_guard(nb, s, s->sets[i].port, true, 0, -1);
		if (!r)
			r = vlan_guard(nb, s, s->sets[i].port, false, 0, -1);
	}

	for (int i = NFT_VSISET_COUNT - 1; !r && i >= 0; i--)
		r = lookup_rule(nb, s, (enum nft_vsiset)i);
	return r ? r : legacy_rules(nb, s);
}
