/* SPDX-License-Identifier: ISC */
/* libvdp: names of VDP values, and a policy entry as an operator's text
 * and as fields for a caller's JSON writer (see vdp/format.h).  The word
 * form is in format_word.c. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <vdp/format.h>

#include "format_int.h"

/* --- names ------------------------------------------------------------ */

static const char *const vsiid_formats[] = {
    [VDP_VSIID_IPV4] = "ipv4",   [VDP_VSIID_IPV6] = "ipv6", [VDP_VSIID_MAC] = "mac",
    [VDP_VSIID_LOCAL] = "local", [VDP_VSIID_UUID] = "uuid",
};

#define NAME_AT(table, i) ((i) < sizeof(table) / sizeof(table[0]) ? table[i] : NULL)

const char *vdp_vsiid_format_name(unsigned fmt)
{
	return NAME_AT(vsiid_formats, fmt);
}

/* The format whose name is the n octets at name, or -1. */
static int format_by_name(const char *name, size_t n)
{
	for (unsigned f = 0; f < sizeof(vsiid_formats) / sizeof(vsiid_formats[0]); f++)
		if (vsiid_formats[f] && strlen(vsiid_formats[f]) == n &&
		    strncmp(name, vsiid_formats[f], n) == 0)
			return (int)f;
	return -1;
}

int vdp_vsiid_format_parse(const char *name)
{
	return format_by_name(name, strlen(name));
}

int vdp_vsiid_format_prefix(const char *text, const char **rest)
{
	const char *colon = strchr(text, ':');
	int f = colon ? format_by_name(text, (size_t)(colon - text)) : -1;
	*rest = f > 0 ? colon + 1 : text;
	return f > 0 ? f : 0;
}

const char *vdp_filter_format_name(unsigned fmt)
{
	static const char *const names[] = {
	    [VDP_FILTER_VID] = "vid",
	    [VDP_FILTER_MAC_VID] = "mac-vid",
	    [VDP_FILTER_GROUP_VID] = "group-vid",
	    [VDP_FILTER_GROUP_MAC_VID] = "group-mac-vid",
	};
	return NAME_AT(names, fmt);
}

const char *vdp_dir_name(unsigned dir)
{
	static const char *const names[] = {
	    [VDP_DIR_TO_VM] = "to-vm", [VDP_DIR_FROM_VM] = "from-vm", [VDP_DIR_BOTH] = "both"};
	return NAME_AT(names, dir);
}

const char *vdp_acl_action_name(unsigned action)
{
	static const char *const names[] = {[VDP_ACL_DENY] = "deny", [VDP_ACL_PERMIT] = "permit"};
	return NAME_AT(names, action);
}

/* --- bounded text ----------------------------------------------------- */

void fmt_put(struct fmt_text *t, const char *fmt, ...)
{
	va_list ap;
	size_t room = t->len < t->cap ? t->cap - t->len : 0;
	va_start(ap, fmt);
	int n = vsnprintf(room ? t->buf + t->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n; /* counts what did not fit too, as snprintf */
}

void fmt_start(struct fmt_text *t, char *buf, size_t cap)
{
	*t = (struct fmt_text){buf, cap, 0};
	if (cap)
		buf[0] = '\0';
}

/* "10.0.0.0/8", or false for a prefix of no known family. */
bool fmt_prefix(const struct vdp_prefix *p, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	if ((p->family != 4 && p->family != 6) ||
	    !inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a)))
		return false;
	snprintf(buf, cap, "%s/%u", a, p->plen);
	return true;
}

/* An entry's direction; a value out of range reads as such. */
static const char *dir_text(unsigned dir)
{
	return vdp_dir_name(dir) ? vdp_dir_name(dir) : "bad-dir";
}

static const char *action_text(unsigned action)
{
	return action == VDP_ACL_PERMIT ? "permit" : "deny";
}

/* --- text ------------------------------------------------------------- */

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 1:
		return "icmp";
	case 6:
		return "tcp";
	case 17:
		return "udp";
	case 58:
		return "icmpv6";
	case 132:
		return "sctp";
	}
	return NULL;
}

static void put_prefix(struct fmt_text *t, const char *tag, const struct vdp_prefix *p)
{
	char a[INET6_ADDRSTRLEN + 4];
	if (p->family != 4 && p->family != 6)
		return;
	if (!fmt_prefix(p, a, sizeof(a)))
		snprintf(a, sizeof(a), "?/%u", p->plen);
	fmt_put(t, " %s %s", tag, a);
}

static void put_ports(struct fmt_text *t, const char *tag, uint16_t lo, uint16_t hi)
{
	if (lo == 0 && hi == 0)
		return;
	if (lo == hi)
		fmt_put(t, " %s %u", tag, lo);
	else
		fmt_put(t, " %s %u-%u", tag, lo, hi);
}

/* The ethertype says nothing a prefix of the same family does not say
 * already ("ip dst 10.0.0.0/8"), so it is only spelt out otherwise. */
static void put_ethertype(struct fmt_text *t, const struct vdp_pol_acl *a)
{
	int fam = a->ethertype == 0x0800 ? 4 : a->ethertype == 0x86dd ? 6 : 0;
	if (!a->ethertype || (fam && (a->src.family == fam || a->dst.family == fam)))
		return;
	if (fam)
		fmt_put(t, " %s", fam == 4 ? "ip" : "ip6");
	else if (a->ethertype == 0x0806)
		fmt_put(t, " arp");
	else
		fmt_put(t, " ethertype 0x%04x", a->ethertype);
}

static void put_acl(struct fmt_text *t, const struct vdp_pol_acl *a)
{
	fmt_put(t, " %s", action_text(a->action));
	if (a->dir != VDP_DIR_BOTH)
		fmt_put(t, " %s", dir_text(a->dir));
	put_ethertype(t, a);
	if (a->ip_proto && proto_name(a->ip_proto))
		fmt_put(t, " %s", proto_name(a->ip_proto));
	else if (a->ip_proto)
		fmt_put(t, " proto %u", a->ip_proto);
	put_prefix(t, "src", &a->src);
	put_prefix(t, "dst", &a->dst);
	put_ports(t, "sport", a->sport_lo, a->sport_hi);
	put_ports(t, "dport", a->dport_lo, a->dport_hi);
}

static void put_vn(struct fmt_text *t, const struct vdp_pol_vn *vn)
{
	char a[INET6_ADDRSTRLEN];
	fmt_put(t, " vnid %u", vn->vnid);
	if (inet_ntop(vn->family == 6 ? AF_INET6 : AF_INET, vn->mcast, a, sizeof(a)))
		fmt_put(t, " mcast %s", a);
}

size_t vdp_policy_entry_text(const struct vdp_policy_entry *e, char *buf, size_t cap)
{
	struct fmt_text t;
	fmt_start(&t, buf, cap);
	fmt_put(&t, "%s", vdp_policy_type_name(e->type));
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		fmt_put(&t, " %ukbit %s", e->u.bw.rate_kbps, dir_text(e->u.bw.dir));
		if (e->u.bw.burst)
			fmt_put(&t, " burst %u", e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		put_acl(&t, &e->u.acl);
		break;
	case VDP_POL_QOS:
		if (e->u.qos.pcp != VDP_QOS_UNSET)
			fmt_put(&t, " pcp %u", e->u.qos.pcp);
		if (e->u.qos.dscp != VDP_QOS_UNSET)
			fmt_put(&t, " dscp %u", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		put_vn(&t, &e->u.vn);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		fmt_put(&t, " %s", e->u.enable ? "on" : "off");
		break;
	case VDP_POL_VLAN:
		if (e->u.vid)
			fmt_put(&t, " %u", e->u.vid);
		else
			fmt_put(&t, " auto");
		break;
	default:
		fmt_put(&t, " %u", e->type);
		break;
	}
	return t.len;
}

/* --- fields ----------------------------------------------------------- */

/* One field; a value of kind VDP_FIELD_NULL matches anything or is unset. */
static void field(vdp_field_fn *fn, void *ctx, const char *key, enum vdp_field_kind kind,
                  uint64_t u, const char *s)
{
	struct vdp_field f = {.key = key, .kind = kind, .u = u, .b = u != 0, .s = s};
	fn(ctx, &f);
}

static void f_str(vdp_field_fn *fn, void *ctx, const char *key, const char *s)
{
	field(fn, ctx, key, s ? VDP_FIELD_STR : VDP_FIELD_NULL, 0, s);
}

/* any: 0 means "any" in this field, and null says so without a magic
 * number. */
static void f_uint(vdp_field_fn *fn, void *ctx, const char *key, uint64_t v, bool any)
{
	field(fn, ctx, key, any && !v ? VDP_FIELD_NULL : VDP_FIELD_UINT, v, NULL);
}

static void f_prefix(vdp_field_fn *fn, void *ctx, const char *key, const struct vdp_prefix *p)
{
	char text[INET6_ADDRSTRLEN + 4];
	f_str(fn, ctx, key, fmt_prefix(p, text, sizeof(text)) ? text : NULL);
}

static void f_qos(vdp_field_fn *fn, void *ctx, const char *key, uint8_t v)
{
	field(fn, ctx, key, v == VDP_QOS_UNSET ? VDP_FIELD_NULL : VDP_FIELD_UINT, v, NULL);
}

static void acl_fields(const struct vdp_pol_acl *a, vdp_field_fn *fn, void *ctx)
{
	f_str(fn, ctx, "action", action_text(a->action));
	f_str(fn, ctx, "dir", dir_text(a->dir));
	f_uint(fn, ctx, "ethertype", a->ethertype, true);
	f_uint(fn, ctx, "ip_proto", a->ip_proto, true);
	f_prefix(fn, ctx, "src", &a->src);
	f_prefix(fn, ctx, "dst", &a->dst);
	f_uint(fn, ctx, "sport_lo", a->sport_lo, false);
	f_uint(fn, ctx, "sport_hi", a->sport_hi, false);
	f_uint(fn, ctx, "dport_lo", a->dport_lo, false);
	f_uint(fn, ctx, "dport_hi", a->dport_hi, false);
}

void vdp_policy_entry_fields(const struct vdp_policy_entry *e, vdp_field_fn *fn, void *ctx)
{
	char text[256], a[INET6_ADDRSTRLEN];
	vdp_policy_entry_text(e, text, sizeof(text));
	f_str(fn, ctx, "type", vdp_policy_type_name(e->type));
	f_str(fn, ctx, "text", text);
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		f_str(fn, ctx, "dir", dir_text(e->u.bw.dir));
		f_uint(fn, ctx, "rate_kbps", e->u.bw.rate_kbps, false);
		f_uint(fn, ctx, "burst", e->u.bw.burst, false);
		break;
	case VDP_POL_ACL:
		acl_fields(&e->u.acl, fn, ctx);
		break;
	case VDP_POL_QOS:
		f_qos(fn, ctx, "pcp", e->u.qos.pcp);
		f_qos(fn, ctx, "dscp", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		f_uint(fn, ctx, "vnid", e->u.vn.vnid, false);
		f_str(fn, ctx, "mcast",
		      inet_ntop(e->u.vn.family == 6 ? AF_INET6 : AF_INET, e->u.vn.mcast, a,
		                sizeof(a)));
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		field(fn, ctx, "enable", VDP_FIELD_BOOL, e->u.enable, NULL);
		break;
	case VDP_POL_VLAN:
		f_uint(fn, ctx, "vlan", e->u.vid, false);
		break;
	}
}
