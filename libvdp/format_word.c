/* SPDX-License-Identifier: ISC */
/* libvdp: a policy entry as one command-line word, both ways (see
 * vdp/format.h): the syntax of vdp-station(8)'s POLICY words, which any
 * tool over the station API may take too.  The parser is the lenient
 * side (units, synonyms, defaults); the formatter writes the one spelling
 * the parser reads back to the same entry.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <vdp/format.h>

#include "format_int.h"

/* --- parsing ---------------------------------------------------------- */

/* A decimal (or 0x hex) number no larger than max, nothing around it. */
static int parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int bad(char *err, size_t errlen, const char *word, const char *why)
{
	snprintf(err, errlen, "policy '%s': %s", word, why);
	return -1;
}

static int on_off(const char *v, bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_prefix(const char *s, struct vdp_prefix *p)
{
	char a[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	uint32_t plen;
	if (n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, a, p->addr) == 1)
		p->family = 4;
	else if (inet_pton(AF_INET6, a, p->addr) == 1)
		p->family = 6;
	else
		return -1;
	uint32_t max = p->family == 4 ? 32 : 128;
	if (!slash)
		plen = max;
	else if (parse_u32(slash + 1, max, &plen) < 0)
		return -1;
	p->plen = (uint8_t)plen;
	return 0;
}

static int parse_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char a[16];
	uint32_t x, y;
	const char *dash = strchr(s, '-');
	size_t n = dash ? (size_t)(dash - s) : strlen(s);
	if (n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = 0;
	if (parse_u32(a, 65535, &x) < 0 || parse_u32(dash ? dash + 1 : a, 65535, &y) < 0 || x > y)
		return -1;
	*lo = (uint16_t)x;
	*hi = (uint16_t)y;
	return 0;
}

/* One ",item" of an acl word. */
static int acl_item(const char *it, struct vdp_pol_acl *a)
{
	uint32_t v;
	if (!strcmp(it, "tcp"))
		a->ip_proto = 6;
	else if (!strcmp(it, "udp"))
		a->ip_proto = 17;
	else if (!strcmp(it, "icmp"))
		a->ip_proto = 1;
	else if (!strcmp(it, "to-vm"))
		a->dir = VDP_DIR_TO_VM;
	else if (!strcmp(it, "from-vm"))
		a->dir = VDP_DIR_FROM_VM;
	else if (!strcmp(it, "both"))
		a->dir = VDP_DIR_BOTH;
	else if (!strncmp(it, "proto=", 6) && parse_u32(it + 6, 255, &v) == 0)
		a->ip_proto = (uint8_t)v;
	else if (!strncmp(it, "ethertype=", 10) && parse_u32(it + 10, 65535, &v) == 0)
		a->ethertype = (uint16_t)v;
	else if (!strncmp(it, "src=", 4))
		return parse_prefix(it + 4, &a->src);
	else if (!strncmp(it, "dst=", 4))
		return parse_prefix(it + 4, &a->dst);
	else if (!strncmp(it, "sport=", 6))
		return parse_range(it + 6, &a->sport_lo, &a->sport_hi);
	else if (!strncmp(it, "dport=", 6))
		return parse_range(it + 6, &a->dport_lo, &a->dport_hi);
	else
		return -1;
	return 0;
}

/* Splits "a,b,c" in place; returns the item count. */
static int split(char *s, char **items, int max)
{
	int n = 0;
	for (char *p = s; p && n < max;) {
		items[n++] = p;
		p = strchr(p, ',');
		if (p)
			*p++ = 0;
	}
	return n;
}

static int entry_acl(char **it, int n, struct vdp_policy_entry *e)
{
	struct vdp_pol_acl *a = &e->u.acl;
	if (!strcmp(it[0], "permit"))
		a->action = VDP_ACL_PERMIT;
	else if (!strcmp(it[0], "deny"))
		a->action = VDP_ACL_DENY;
	else
		return -1;
	a->dir = VDP_DIR_BOTH;
	for (int i = 1; i < n; i++)
		if (acl_item(it[i], a) < 0)
			return -1;
	if ((a->sport_hi || a->dport_hi) && a->ip_proto != 6 && a->ip_proto != 17)
		return -1;
	return 0;
}

/* kbit/s, or a number with a unit: 500k, 50M, 1G (bit/s, decimal). */
static int parse_rate(const char *s, uint32_t *kbps)
{
	char num[16];
	size_t n = strlen(s);
	uint64_t mult = 1;
	if (n && (s[n - 1] == 'k' || s[n - 1] == 'M' || s[n - 1] == 'G')) {
		mult = s[n - 1] == 'k' ? 1 : s[n - 1] == 'M' ? 1000 : 1000000;
		n--;
	}
	uint32_t v;
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, s, n);
	num[n] = 0;
	if (parse_u32(num, UINT32_MAX, &v) < 0 || v == 0 || v * mult > UINT32_MAX)
		return -1;
	*kbps = (uint32_t)(v * mult);
	return 0;
}

static int entry_bw(char **it, int n, struct vdp_policy_entry *e)
{
	uint32_t v;
	if (parse_rate(it[0], &e->u.bw.rate_kbps) < 0)
		return -1;
	e->u.bw.dir = VDP_DIR_TO_VM;
	for (int i = 1; i < n; i++) {
		if (!strcmp(it[i], "to-vm"))
			e->u.bw.dir = VDP_DIR_TO_VM;
		else if (!strcmp(it[i], "from-vm"))
			e->u.bw.dir = VDP_DIR_FROM_VM;
		else if (!strncmp(it[i], "burst=", 6) && parse_u32(it[i] + 6, UINT32_MAX, &v) == 0)
			e->u.bw.burst = v;
		else
			return -1;
	}
	return 0;
}

static int entry_qos(char **it, int n, struct vdp_policy_entry *e)
{
	uint32_t v;
	e->u.qos.pcp = e->u.qos.dscp = VDP_QOS_UNSET;
	for (int i = 0; i < n; i++) {
		if (!strncmp(it[i], "pcp=", 4) && parse_u32(it[i] + 4, 7, &v) == 0)
			e->u.qos.pcp = (uint8_t)v;
		else if (!strncmp(it[i], "dscp=", 5) && parse_u32(it[i] + 5, 63, &v) == 0)
			e->u.qos.dscp = (uint8_t)v;
		else
			return -1;
	}
	return 0;
}

static const struct {
	const char *name;
	uint8_t type;
	const char *syntax;
} kinds[] = {
    {"vlan", VDP_POL_VLAN, "vlan=VID (0..4094, 0: the switch chooses)"},
    {"bandwidth", VDP_POL_BANDWIDTH,
     "bandwidth=RATE[,to-vm|from-vm][,burst=OCTETS] (RATE: kbit/s, or 500k, 50M, 1G)"},
    {"acl", VDP_POL_ACL,
     "acl=permit|deny[,tcp|udp|icmp|proto=N][,to-vm|from-vm|both][,src=PREFIX]"
     "[,dst=PREFIX][,sport=P[-Q]][,dport=P[-Q]][,ethertype=N]"},
    {"qos", VDP_POL_QOS, "qos=pcp=0..7[,dscp=0..63]"},
    {"vn", VDP_POL_VN, "vn=MULTICAST-GROUP (IPv4 or IPv6)"},
    {"dhcp-snooping", VDP_POL_DHCP_SNOOP, "dhcp-snooping=on|off"},
    {"igmp-snooping", VDP_POL_IGMP_SNOOP, "igmp-snooping=on|off"},
};

static int fill_entry(uint8_t type, char *val, uint32_t vnid, struct vdp_policy_entry *e)
{
	char *it[16];
	uint32_t v;
	int n = split(val, it, 16);
	switch (type) {
	case VDP_POL_VLAN:
		if (n != 1 || parse_u32(it[0], VDP_VID_MAX, &v) < 0)
			return -1;
		e->u.vid = (uint16_t)v;
		return 0;
	case VDP_POL_BANDWIDTH:
		return entry_bw(it, n, e);
	case VDP_POL_ACL:
		return entry_acl(it, n, e);
	case VDP_POL_QOS:
		return entry_qos(it, n, e);
	case VDP_POL_VN:
		e->u.vn.vnid = vnid;
		if (n == 1 && inet_pton(AF_INET, it[0], e->u.vn.mcast) == 1)
			e->u.vn.family = 4;
		else if (n == 1 && inet_pton(AF_INET6, it[0], e->u.vn.mcast) == 1)
			e->u.vn.family = 6;
		else
			return -1;
		return 0;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		return n == 1 ? on_off(it[0], &e->u.enable) : -1;
	}
	return -1;
}

int vdp_policy_entry_parse_word(const char *word, uint32_t vnid, struct vdp_policy_entry *e,
                                char *err, size_t errlen)
{
	char tmp[256];
	const char *eq = strchr(word, '=');
	if (!eq || strlen(word) >= sizeof(tmp))
		return bad(err, errlen, word,
		           "expected KIND=VALUE with KIND one of vlan, bandwidth, acl, qos, vn, "
		           "dhcp-snooping, igmp-snooping");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strlen(kinds[k].name) != (size_t)(eq - word) ||
		    strncmp(word, kinds[k].name, (size_t)(eq - word)) != 0)
			continue;
		memset(e, 0, sizeof(*e));
		e->type = kinds[k].type;
		snprintf(tmp, sizeof(tmp), "%s", eq + 1);
		if (fill_entry(kinds[k].type, tmp, vnid, e) < 0) {
			char why[320];
			snprintf(why, sizeof(why), "expected %s", kinds[k].syntax);
			return bad(err, errlen, word, why);
		}
		return 0;
	}
	return bad(
	    err, errlen, word,
	    "unknown kind; use vlan, bandwidth, acl, qos, vn, dhcp-snooping or igmp-snooping");
}

/* --- formatting ------------------------------------------------------- */

static void word_prefix(struct fmt_text *t, const char *key, const struct vdp_prefix *p)
{
	char a[INET6_ADDRSTRLEN + 4];
	if (fmt_prefix(p, a, sizeof(a)))
		fmt_put(t, ",%s=%s", key, a);
}

static void word_range(struct fmt_text *t, const char *key, uint16_t lo, uint16_t hi)
{
	if (!lo && !hi)
		return;
	if (lo == hi)
		fmt_put(t, ",%s=%u", key, lo);
	else
		fmt_put(t, ",%s=%u-%u", key, lo, hi);
}

/* The parser's default for a value out of range is both ways. */
static const char *dir_word(uint8_t d)
{
	return d == VDP_DIR_TO_VM ? "to-vm" : d == VDP_DIR_FROM_VM ? "from-vm" : "both";
}

static void acl_word(struct fmt_text *t, const struct vdp_pol_acl *acl)
{
	fmt_put(t, "acl=%s", acl->action == VDP_ACL_PERMIT ? "permit" : "deny");
	if (acl->ip_proto)
		fmt_put(t, ",proto=%u", acl->ip_proto);
	fmt_put(t, ",%s", dir_word(acl->dir));
	if (acl->ethertype)
		fmt_put(t, ",ethertype=0x%04x", acl->ethertype);
	word_prefix(t, "src", &acl->src);
	word_prefix(t, "dst", &acl->dst);
	word_range(t, "sport", acl->sport_lo, acl->sport_hi);
	word_range(t, "dport", acl->dport_lo, acl->dport_hi);
}

size_t vdp_policy_entry_word(const struct vdp_policy_entry *e, char *buf, size_t cap)
{
	char a[INET6_ADDRSTRLEN];
	struct fmt_text t;
	fmt_start(&t, buf, cap);
	switch (e->type) {
	case VDP_POL_VLAN:
		fmt_put(&t, "vlan=%u", e->u.vid);
		break;
	case VDP_POL_BANDWIDTH:
		fmt_put(&t, "bandwidth=%u,%s", e->u.bw.rate_kbps, dir_word(e->u.bw.dir));
		if (e->u.bw.burst)
			fmt_put(&t, ",burst=%u", e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		acl_word(&t, &e->u.acl);
		break;
	case VDP_POL_QOS:
		fmt_put(&t, "qos=");
		if (e->u.qos.pcp != VDP_QOS_UNSET)
			fmt_put(&t, "pcp=%u%s", e->u.qos.pcp,
			        e->u.qos.dscp != VDP_QOS_UNSET ? "," : "");
		if (e->u.qos.dscp != VDP_QOS_UNSET)
			fmt_put(&t, "dscp=%u", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		if (!inet_ntop(e->u.vn.family == 4 ? AF_INET : AF_INET6, e->u.vn.mcast, a,
		               sizeof(a)))
			snprintf(a, sizeof(a), "?");
		fmt_put(&t, "vn=%s", a);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		fmt_put(&t, "%s=%s", vdp_policy_type_name(e->type), e->u.enable ? "on" : "off");
		break;
	default:
		fmt_put(&t, "%s", vdp_policy_type_name(e->type));
		break;
	}
	return t.len;
}
