/* vdpd: VNID policy entries in the words an operator reads them in, for
 * `vdpctl show vnids`: the same vocabulary as vdpd.conf(5) types, in the
 * order an nft rule would list the matches. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "ctl/ctl_show.h"

struct textbuf {
	char *buf;
	size_t cap, len;
};

static void put(struct textbuf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct textbuf *t, const char *fmt, ...)
{
	va_list ap;
	if (t->len >= t->cap)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

static const char *dir_name(uint8_t dir)
{
	switch (dir) {
	case VDP_DIR_TO_VM: return "to-vm";
	case VDP_DIR_FROM_VM: return "from-vm";
	case VDP_DIR_BOTH: return "both";
	}
	return "bad-dir";
}

static const char *proto_name(uint8_t p)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	}
	return NULL;
}

static void put_prefix(struct textbuf *t, const char *tag, const struct vdp_prefix *p)
{
	char a[INET6_ADDRSTRLEN];
	if (p->family != 4 && p->family != 6)
		return;
	if (!inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	put(t, " %s %s/%u", tag, a, p->plen);
}

static void put_ports(struct textbuf *t, const char *tag, uint16_t lo, uint16_t hi)
{
	if (lo == 0 && hi == 0)
		return;
	if (lo == hi)
		put(t, " %s %u", tag, lo);
	else
		put(t, " %s %u-%u", tag, lo, hi);
}

/* The ethertype says nothing a prefix of the same family does not say
 * already ("ip dst 10.0.0.0/8"), so it is only spelt out otherwise. */
static void put_ethertype(struct textbuf *t, const struct vdp_pol_acl *a)
{
	int fam = a->ethertype == 0x0800 ? 4 : a->ethertype == 0x86dd ? 6 : 0;
	if (!a->ethertype || (fam && (a->src.family == fam || a->dst.family == fam)))
		return;
	if (fam)
		put(t, " %s", fam == 4 ? "ip" : "ip6");
	else if (a->ethertype == 0x0806)
		put(t, " arp");
	else
		put(t, " ethertype 0x%04x", a->ethertype);
}

static void put_acl(struct textbuf *t, const struct vdp_pol_acl *a)
{
	put(t, " %s", a->action == VDP_ACL_PERMIT ? "permit" : "deny");
	if (a->dir != VDP_DIR_BOTH)
		put(t, " %s", dir_name(a->dir));
	put_ethertype(t, a);
	if (a->ip_proto && proto_name(a->ip_proto))
		put(t, " %s", proto_name(a->ip_proto));
	else if (a->ip_proto)
		put(t, " proto %u", a->ip_proto);
	put_prefix(t, "src", &a->src);
	put_prefix(t, "dst", &a->dst);
	put_ports(t, "sport", a->sport_lo, a->sport_hi);
	put_ports(t, "dport", a->dport_lo, a->dport_hi);
}

static void put_vn(struct textbuf *t, const struct vdp_pol_vn *vn)
{
	char a[INET6_ADDRSTRLEN];
	put(t, " vnid %u", vn->vnid);
	if (inet_ntop(vn->family == 6 ? AF_INET6 : AF_INET, vn->mcast, a, sizeof(a)))
		put(t, " mcast %s", a);
}

char *ctl_policy_text(const struct vdp_policy_entry *e, char *buf, size_t cap)
{
	struct textbuf t = {buf, cap, 0};
	if (!cap)
		return buf;
	buf[0] = '\0';
	put(&t, "%s", vdp_policy_type_name(e->type));
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		put(&t, " %ukbit %s", e->u.bw.rate_kbps, dir_name(e->u.bw.dir));
		if (e->u.bw.burst)
			put(&t, " burst %u", e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		put_acl(&t, &e->u.acl);
		break;
	case VDP_POL_QOS:
		if (e->u.qos.pcp != VDP_QOS_UNSET)
			put(&t, " pcp %u", e->u.qos.pcp);
		if (e->u.qos.dscp != VDP_QOS_UNSET)
			put(&t, " dscp %u", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		put_vn(&t, &e->u.vn);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		put(&t, " %s", e->u.enable ? "on" : "off");
		break;
	case VDP_POL_VLAN:
		if (e->u.vid)
			put(&t, " %u", e->u.vid);
		else
			put(&t, " auto");
		break;
	default:
		put(&t, " %u", e->type);
		break;
	}
	return buf;
}

/* --- JSON: the text above plus each field, for scripts ---------------- */

static void json_prefix(struct json *j, const char *key, const struct vdp_prefix *p)
{
	char a[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 4];
	json_key(j, key);
	if ((p->family != 4 && p->family != 6) ||
	    !inet_ntop(p->family == 6 ? AF_INET6 : AF_INET, p->addr, a, sizeof(a))) {
		json_null(j);
		return;
	}
	snprintf(text, sizeof(text), "%s/%u", a, p->plen);
	json_str(j, text);
}

/* 0 means "any" in these fields: null says so without a magic number. */
static void json_uint_or_null(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	if (v)
		json_uint(j, v);
	else
		json_null(j);
}

static void json_acl(struct json *j, const struct vdp_pol_acl *a)
{
	json_key(j, "action");
	json_str(j, a->action == VDP_ACL_PERMIT ? "permit" : "deny");
	json_key(j, "dir");
	json_str(j, dir_name(a->dir));
	json_uint_or_null(j, "ethertype", a->ethertype);
	json_uint_or_null(j, "ip_proto", a->ip_proto);
	json_prefix(j, "src", &a->src);
	json_prefix(j, "dst", &a->dst);
	json_key(j, "sport_lo");
	json_uint(j, a->sport_lo);
	json_key(j, "sport_hi");
	json_uint(j, a->sport_hi);
	json_key(j, "dport_lo");
	json_uint(j, a->dport_lo);
	json_key(j, "dport_hi");
	json_uint(j, a->dport_hi);
}

static void json_qos_field(struct json *j, const char *key, uint8_t v)
{
	json_key(j, key);
	if (v == VDP_QOS_UNSET)
		json_null(j);
	else
		json_uint(j, v);
}

static void json_fields(struct json *j, const struct vdp_policy_entry *e)
{
	char a[INET6_ADDRSTRLEN];
	switch (e->type) {
	case VDP_POL_BANDWIDTH:
		json_key(j, "dir");
		json_str(j, dir_name(e->u.bw.dir));
		json_key(j, "rate_kbps");
		json_uint(j, e->u.bw.rate_kbps);
		json_key(j, "burst");
		json_uint(j, e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		json_acl(j, &e->u.acl);
		break;
	case VDP_POL_QOS:
		json_qos_field(j, "pcp", e->u.qos.pcp);
		json_qos_field(j, "dscp", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		json_key(j, "vnid");
		json_uint(j, e->u.vn.vnid);
		json_key(j, "mcast");
		json_str(j, inet_ntop(e->u.vn.family == 6 ? AF_INET6 : AF_INET, e->u.vn.mcast, a,
				      sizeof(a)));
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		json_key(j, "enable");
		json_bool(j, e->u.enable);
		break;
	case VDP_POL_VLAN:
		json_key(j, "vlan");
		json_uint(j, e->u.vid);
		break;
	}
}

void ctl_policy_json(struct json *j, const struct vdp_policy_entry *e)
{
	char text[256];
	json_obj_begin(j);
	json_key(j, "type");
	json_str(j, vdp_policy_type_name(e->type));
	json_key(j, "text");
	json_str(j, ctl_policy_text(e, text, sizeof(text)));
	json_fields(j, e);
	json_obj_end(j);
}
