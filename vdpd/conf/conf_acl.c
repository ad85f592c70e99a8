/* SPDX-License-Identifier: ISC */
/* vdpd: the policy parts of vdpd.conf(5): static per-type policies
 * (types) and the device's own ACL rules (device_acls).
 *
 * A type's settings become the struct vdp_policy a Policy Sync would
 * carry, so the daemon treats a static type and a synced VNID alike; the
 * entries are checked against the limits libvdp's encoder enforces, with a
 * message that says which setting is at fault rather than "invalid".
 */
#include <arpa/inet.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "conf/conf.h"
#include "conf/conf_parse.h"
#include "ratelimit.h"

#define ETH_P_IPV4 0x0800
#define ETH_P_IPV6 0x86DD

/* --- prefixes, protocols, ports --------------------------------------------- */

/* "10.0.0.0/8", "2001:db8::/32" or a bare address (a host).  Host bits
 * must be clear: "10.0.0.1/8" is more likely a mistake for a host than a
 * wish for all of 10.0.0.0/8, which is what a rule built from it matches. */
static int parse_prefix(struct conf_ctx *x, const config_setting_t *s, struct vdp_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 8];
	unsigned long plen, bits;

	if (conf_str(x, s, text, sizeof(text)) < 0)
		return -1;
	char *slash = strchr(text, '/');
	if (slash)
		*slash = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, text, p->addr) == 1) {
		p->family = 4;
		bits = 32;
	} else if (inet_pton(AF_INET6, text, p->addr) == 1) {
		p->family = 6;
		bits = 128;
	} else {
		return conf_fail(x, s, "\"%s\" is not an IPv4 or IPv6 address or prefix",
		                 config_setting_get_string(s));
	}
	plen = bits;
	if (slash && (conf_parse_range(slash + 1, 255, &plen, &plen) < 0 || strchr(slash + 1, '-')))
		return conf_fail(x, s, "\"%s\": the prefix length is not a number",
		                 config_setting_get_string(s));
	if (plen > bits)
		return conf_fail(x, s, "\"%s\": the prefix length is more than %lu",
		                 config_setting_get_string(s), bits);
	if (!bits_clear(p->addr, (unsigned)plen, (unsigned)bits))
		return conf_fail(x, s, "\"%s\" has bits set past the prefix length",
		                 config_setting_get_string(s));
	p->plen = (uint8_t)plen;
	return 0;
}

static const struct conf_enum protos[] = {
    {"icmp", 1}, {"tcp", 6}, {"udp", 17}, {"icmpv6", 58}, {"sctp", 132}, {NULL, 0},
};

static int parse_proto(struct conf_ctx *x, const config_setting_t *s, uint8_t *out)
{
	long long v;
	int name;

	if (conf_is_int(s)) {
		if (conf_int(x, s, 0, 255, &v) < 0)
			return -1;
		*out = (uint8_t)v;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(x, s, "an integer or a string");
	if (conf_enum(x, s, protos, &name) < 0)
		return -1;
	*out = (uint8_t)name;
	return 0;
}

static int parse_l4port(struct conf_ctx *x, const config_setting_t *g, const char *key,
                        uint16_t *lo, uint16_t *hi)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	unsigned long l, h;

	if (!s)
		return 0;
	if (conf_range(x, s, 0, 65535, "port", &l, &h) < 0)
		return -1;
	*lo = (uint16_t)l;
	*hi = (uint16_t)h;
	return 0;
}

/* --- ACLs ------------------------------------------------------------------------ */

static const char *const acl_keys[] = {"action", "dir",   "ethertype", "proto", "src",
                                       "dst",    "sport", "dport",     NULL};
static const struct conf_enum acl_actions[] = {
    {"permit", VDP_ACL_PERMIT},
    {"deny", VDP_ACL_DENY},
    {NULL, 0},
};
static const struct conf_enum acl_dirs[] = {
    {"to-vm", VDP_DIR_TO_VM},
    {"from-vm", VDP_DIR_FROM_VM},
    {"both", VDP_DIR_BOTH},
    {NULL, 0},
};

/* Fields that libvdp would carry but no kernel rule could express: ports
 * without a protocol that has ports, an IPv6 prefix on an IPv4 rule. */
static int acl_consistent(struct conf_ctx *x, const config_setting_t *g,
                          const struct vdp_pol_acl *a)
{
	unsigned fam = a->src.family ? a->src.family : a->dst.family;
	bool ports = a->sport_hi || a->dport_hi;

	if (a->src.family && a->dst.family && a->src.family != a->dst.family)
		return conf_fail_in(x, g, "dst", "IPv%u, but src is IPv%u", a->dst.family,
		                    a->src.family);
	if (fam && a->ethertype && a->ethertype != (fam == 4 ? ETH_P_IPV4 : ETH_P_IPV6))
		return conf_fail_in(x, g, "ethertype", "0x%04x does not match the IPv%u prefix",
		                    a->ethertype, fam);
	if (a->ip_proto && a->ethertype && a->ethertype != ETH_P_IPV4 && a->ethertype != ETH_P_IPV6)
		return conf_fail_in(x, g, "proto",
		                    "needs ethertype 0x0800, 0x86dd or none, not 0x%04x",
		                    a->ethertype);
	if (ports && a->ip_proto != 6 && a->ip_proto != 17 && a->ip_proto != 132)
		return conf_fail_in(x, g, a->dport_hi ? "dport" : "sport",
		                    "ports need proto \"tcp\", \"udp\" or \"sctp\"");
	return 0;
}

static int parse_acl(struct conf_ctx *x, const config_setting_t *g, struct vdp_pol_acl *a)
{
	const config_setting_t *s;
	long long et = 0;
	int action, dir = VDP_DIR_BOTH;

	memset(a, 0, sizeof(*a));
	if (!config_setting_is_group(g))
		return conf_wrong_type(x, g, "a group { }");
	if (conf_check_keys(x, g, acl_keys) < 0)
		return -1;
	if (!(s = config_setting_get_member(g, "action")))
		return conf_fail_in(x, g, "action", "missing: \"permit\" or \"deny\"");
	if (conf_enum(x, s, acl_actions, &action) < 0 ||
	    conf_opt_enum(x, g, "dir", acl_dirs, &dir) < 0 ||
	    conf_opt_int(x, g, "ethertype", 0, 0xffff, &et) < 0)
		return -1;
	a->action = (uint8_t)action;
	a->dir = (uint8_t)dir;
	a->ethertype = (uint16_t)et;
	if ((s = config_setting_get_member(g, "proto")) && parse_proto(x, s, &a->ip_proto) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "src")) && parse_prefix(x, s, &a->src) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "dst")) && parse_prefix(x, s, &a->dst) < 0)
		return -1;
	if (parse_l4port(x, g, "sport", &a->sport_lo, &a->sport_hi) < 0 ||
	    parse_l4port(x, g, "dport", &a->dport_lo, &a->dport_hi) < 0)
		return -1;
	return acl_consistent(x, g, a);
}

int conf_parse_device_acls(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	config_setting_t *l;

	if (conf_opt_seq(x, root, "device_acls", CONF_MAX_DEVICE_ACLS, &l) < 0)
		return -1;
	for (int i = 0; l && i < config_setting_length(l); i++)
		if (parse_acl(x, config_setting_get_elem(l, (unsigned)i),
		              &c->device_acls[c->ndevice_acls++]) < 0)
			return -1;
	return 0;
}

/* --- one type's policy -------------------------------------------------------------- */

/* "bandwidth" and "acl" take one group or a list of groups. */
static int group_count(struct conf_ctx *x, const config_setting_t *s)
{
	if (config_setting_is_group(s))
		return 1;
	if (!config_setting_is_list(s))
		return conf_wrong_type(x, s, "a group { } or a list ( ) of groups");
	return config_setting_length(s);
}

static const config_setting_t *group_at(const config_setting_t *s, int i)
{
	return config_setting_is_group(s) ? s : config_setting_get_elem(s, (unsigned)i);
}

/* The next free entry of the type's policy; NULL (and the error) when the
 * Policy Sync TLV could not carry another. */
static struct vdp_policy_entry *new_entry(struct conf_ctx *x, const config_setting_t *s,
                                          struct vdp_policy *pol, uint8_t type)
{
	if (pol->nentries == VDP_MAX_POLICIES) {
		conf_fail(x, s, "too many policy entries for one type (at most %d)",
		          VDP_MAX_POLICIES);
		return NULL;
	}
	struct vdp_policy_entry *e = &pol->entries[pol->nentries++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

static const char *const bw_keys[] = {"dir", "rate", "burst", NULL};
static const struct conf_enum bw_dirs[] = {
    {"to-vm", VDP_DIR_TO_VM},
    {"from-vm", VDP_DIR_FROM_VM},
    {NULL, 0},
};

static int parse_bandwidth(struct conf_ctx *x, const config_setting_t *s, struct vdp_policy *pol)
{
	int n = group_count(x, s);
	bool seen[2] = {false, false};

	for (int i = 0; i < n; i++) {
		const config_setting_t *g = group_at(s, i), *d;
		long long rate, burst = 0;
		int dir;
		if (!config_setting_is_group(g))
			return conf_wrong_type(x, g, "a group { }");
		if (conf_check_keys(x, g, bw_keys) < 0)
			return -1;
		if (!(d = config_setting_get_member(g, "dir")))
			return conf_fail_in(x, g, "dir", "missing: \"to-vm\" or \"from-vm\"");
		if (conf_enum(x, d, bw_dirs, &dir) < 0)
			return -1;
		if (seen[dir])
			return conf_fail(x, d, "a second limit for \"%s\"", bw_dirs[dir].name);
		seen[dir] = true;
		if (!config_setting_get_member(g, "rate"))
			return conf_fail_in(x, g, "rate", "missing: the rate in kbit/s");
		if (conf_opt_int(x, g, "rate", 1, UINT32_MAX, &rate) < 0 ||
		    conf_opt_int(x, g, "burst", 0, UINT32_MAX, &burst) < 0)
			return -1;
		char why[160];
		if (rate_burst_check(dir == VDP_DIR_TO_VM, (uint32_t)rate, (uint32_t)burst, why,
		                     sizeof(why)) < 0)
			return conf_fail(x, config_setting_get_member(g, burst ? "burst" : "rate"),
			                 "%s", why);
		struct vdp_policy_entry *e = new_entry(x, g, pol, VDP_POL_BANDWIDTH);
		if (!e)
			return -1;
		e->u.bw = (struct vdp_pol_bandwidth){(uint8_t)dir, (uint32_t)rate, (uint32_t)burst};
	}
	return n < 0 ? -1 : 0;
}

static int parse_type_acls(struct conf_ctx *x, const config_setting_t *s, struct vdp_policy *pol)
{
	int n = group_count(x, s);

	for (int i = 0; i < n; i++) {
		const config_setting_t *g = group_at(s, i);
		struct vdp_pol_acl a;
		if (parse_acl(x, g, &a) < 0)
			return -1;
		struct vdp_policy_entry *e = new_entry(x, g, pol, VDP_POL_ACL);
		if (!e)
			return -1;
		e->u.acl = a;
	}
	return n < 0 ? -1 : 0;
}

static const char *const qos_keys[] = {"pcp", "dscp", NULL};

static int parse_qos(struct conf_ctx *x, const config_setting_t *g, struct vdp_policy *pol)
{
	long long pcp = VDP_QOS_UNSET, dscp = VDP_QOS_UNSET;

	if (!config_setting_is_group(g))
		return conf_wrong_type(x, g, "a group { }");
	if (conf_check_keys(x, g, qos_keys) < 0 || conf_opt_int(x, g, "pcp", 0, 7, &pcp) < 0 ||
	    conf_opt_int(x, g, "dscp", 0, 63, &dscp) < 0)
		return -1;
	if (pcp == VDP_QOS_UNSET && dscp == VDP_QOS_UNSET)
		return conf_fail(x, g, "empty: give pcp, dscp or both");
	/* As for a station's policy (kop_check()): refused, not ignored. */
	if (pcp != VDP_QOS_UNSET)
		return conf_fail(
		    x, g,
		    "pcp: PCP marking is not supported (vdpd cannot rewrite the VLAN tag "
		    "the bridge keeps outside the frame); use dscp");
	struct vdp_policy_entry *e = new_entry(x, g, pol, VDP_POL_QOS);
	if (!e)
		return -1;
	e->u.qos = (struct vdp_pol_qos){(uint8_t)pcp, (uint8_t)dscp};
	return 0;
}

static int parse_snoop(struct conf_ctx *x, const config_setting_t *g, const char *key, uint8_t type,
                       struct vdp_policy *pol)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	bool on = false;

	if (!s)
		return 0;
	if (conf_opt_bool(x, g, key, &on) < 0)
		return -1;
	struct vdp_policy_entry *e = new_entry(x, s, pol, type);
	if (!e)
		return -1;
	e->u.enable = on;
	return 0;
}

/* The virtual network's multicast group (the VN policy entry). */
static int parse_mcast(struct conf_ctx *x, const config_setting_t *s, struct vdp_policy *pol)
{
	char text[INET6_ADDRSTRLEN];
	uint8_t a[16] = {0};
	uint8_t fam;

	if (conf_str(x, s, text, sizeof(text)) < 0)
		return -1;
	if (inet_pton(AF_INET, text, a) == 1 && (a[0] & 0xf0) == 0xe0)
		fam = 4;
	else if (inet_pton(AF_INET6, text, a) == 1 && a[0] == 0xff)
		fam = 6;
	else
		return conf_fail(x, s, "\"%s\" is not an IPv4 or IPv6 multicast address", text);
	struct vdp_policy_entry *e = new_entry(x, s, pol, VDP_POL_VN);
	if (!e)
		return -1;
	e->u.vn.vnid = pol->vnid;
	e->u.vn.family = fam;
	memcpy(e->u.vn.mcast, a, sizeof(a));
	return 0;
}

/* The octets an entry's info takes on the wire (vdp-protocol(7)). */
static size_t info_len(const struct vdp_policy_entry *e)
{
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		return 9;
	case VDP_POL_ACL:
		return 49;
	case VDP_POL_QOS:
		return 2;
	case VDP_POL_VN:
		return e->u.vn.family == 6 ? 21 : 9;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		return 1;
	case VDP_POL_VLAN:
		return 2;
	default:
		return 0;
	}
}

/* The policy must fit one Policy Sync TLV (511 octets) and pass libvdp's
 * encoder, or no station could ever sync the same policy. */
static int policy_fits(struct conf_ctx *x, const config_setting_t *g, const struct vdp_policy *pol)
{
	uint8_t buf[VDP_TLV_HDR_LEN + VDP_TLV_MAX_LEN];
	size_t len = VDP_POLICY_FIXED_LEN;

	for (unsigned i = 0; i < pol->nentries; i++)
		len += VDP_POLICY_ENTRY_HDR + info_len(&pol->entries[i]);
	if (len > VDP_TLV_MAX_LEN)
		return conf_fail(x, g,
		                 "the policy takes %zu octets, more than a Policy Sync TLV "
		                 "carries (%d): use fewer ACL entries",
		                 len, VDP_TLV_MAX_LEN);
	int rc = vdp_policy_encode(pol, buf, sizeof(buf));
	if (rc < 0)
		return conf_fail(x, g, "the policy of type %u is invalid (%s)", pol->vnid,
		                 vdp_err_name(rc));
	return 0;
}

/* --- types ------------------------------------------------------------------------------ */

static const char *const type_keys[] = {
    "vnid", "vid", "mcast", "bandwidth", "acl", "qos", "dhcp_snooping", "igmp_snooping", NULL};

static int parse_type_vnid(struct conf_ctx *x, const config_setting_t *g, uint32_t *vnid)
{
	const config_setting_t *s = config_setting_get_member(g, "vnid");
	long long max = x->c->vnid_32bit ? UINT32_MAX : 0xffffff;
	long long v;

	if (!s)
		return conf_fail_in(x, g, "vnid", "missing: the VSI Type ID this policy is for");
	if (conf_int(x, s, LLONG_MIN, LLONG_MAX, &v) < 0)
		return -1;
	if (v < 0 || v > max)
		return conf_fail(x, s, "%lld is out of range 0..%lld (vnid.bits = %d)", v, max,
		                 x->c->vnid_32bit ? 32 : 24);
	for (unsigned i = 0; i < x->c->ntypes; i++)
		if (x->c->types[i].vnid == (uint32_t)v)
			return conf_fail(x, s, "%lld is already defined (types[%u])", v, i);
	*vnid = (uint32_t)v;
	return 0;
}

/* An explicit VLAN must be one the pool could hand out, and only this
 * VNID's: two VNIDs on one VLAN would not be isolated. */
static int parse_type_vid(struct conf_ctx *x, const config_setting_t *g, uint16_t *vid)
{
	const config_setting_t *s = config_setting_get_member(g, "vid");
	long long v = 0;

	if (!s)
		return 0;
	if (conf_int(x, s, 0, VDP_VID_MAX, &v) < 0)
		return -1;
	if (v == 0)
		return 0;
	if (!conf_vid_in_pool(x->c, (uint16_t)v)) {
		bool reserved = false;
		for (unsigned i = 0; i < x->c->nreserved; i++)
			reserved |= x->c->reserved[i] == v;
		return conf_fail(x, s, "VLAN %lld is %s", v,
		                 reserved ? "reserved" : "not in the pool");
	}
	for (unsigned i = 0; i < x->c->ntypes; i++)
		if (x->c->types[i].vid == v)
			return conf_fail(x, s,
			                 "VLAN %lld is already the VLAN of VNID %u (types[%u])", v,
			                 x->c->types[i].vnid, i);
	*vid = (uint16_t)v;
	return 0;
}

static int parse_type(struct conf_ctx *x, const config_setting_t *g, struct conf_type *t)
{
	struct vdp_policy *pol = &t->policy;
	const config_setting_t *s;

	memset(t, 0, sizeof(*t));
	if (!config_setting_is_group(g))
		return conf_wrong_type(x, g, "a group { }");
	if (conf_check_keys(x, g, type_keys) < 0 || parse_type_vnid(x, g, &t->vnid) < 0 ||
	    parse_type_vid(x, g, &t->vid) < 0)
		return -1;
	pol->type = VDP_TLV_POLICY_SYNC;
	pol->vnid = t->vnid;
	/* Exactly the entries the type names, as a station's Policy Sync of
	 * the same settings would carry them: a VLAN entry only when "vid" is
	 * written (0: the switch chooses), so that the two compare equal. */
	if (config_setting_get_member(g, "vid"))
		new_entry(x, g, pol, VDP_POL_VLAN)->u.vid = t->vid;
	if ((s = config_setting_get_member(g, "mcast")) && parse_mcast(x, s, pol) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "bandwidth")) && parse_bandwidth(x, s, pol) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "acl")) && parse_type_acls(x, s, pol) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "qos")) && parse_qos(x, s, pol) < 0)
		return -1;
	if (parse_snoop(x, g, "dhcp_snooping", VDP_POL_DHCP_SNOOP, pol) < 0 ||
	    parse_snoop(x, g, "igmp_snooping", VDP_POL_IGMP_SNOOP, pol) < 0)
		return -1;
	return policy_fits(x, g, pol);
}

int conf_parse_types(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	config_setting_t *l;

	if (conf_opt_seq(x, root, "types", CONF_MAX_TYPES, &l) < 0)
		return -1;
	for (int i = 0; l && i < config_setting_length(l); i++) {
		/* ntypes grows only after the type is whole, so the duplicate
		 * checks above never see a half-parsed entry. */
		if (parse_type(x, config_setting_get_elem(l, (unsigned)i), &c->types[c->ntypes]) <
		    0)
			return -1;
		c->ntypes++;
	}
	return 0;
}
