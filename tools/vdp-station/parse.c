/* vdp-station: command words to values and back.  Policy words mirror the
 * policy types of vdp-protocol(7); the syntax is in vdp-station(8):
 *
 *   vlan=VID                      bandwidth=RATE[,to-vm|from-vm][,burst=OCTETS]
 *   qos=pcp=N[,dscp=N]            vn=GROUP (multicast group, IPv4 or IPv6)
 *   dhcp-snooping=on|off          igmp-snooping=on|off
 *   acl=permit|deny[,tcp|udp|icmp|proto=N][,to-vm|from-vm|both]
 *       [,src=PREFIX][,dst=PREFIX][,sport=P[-Q]][,dport=P[-Q]][,ethertype=N]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-station.h"

/* --- scalars -------------------------------------------------------------- */

int parse_u32(const char *s, uint32_t max, uint32_t *out)
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

int parse_vnid(const char *s, uint32_t *out, char *err, size_t errlen)
{
	if (parse_u32(s, UINT32_MAX, out) < 0) {
		snprintf(err, errlen, "'%s' is not a VNID (a number, 0..4294967295)", s);
		return -1;
	}
	return 0;
}

const char *vsiid_fmt_name(uint8_t fmt)
{
	switch (fmt) {
	case VDP_VSIID_IPV4: return "ipv4";
	case VDP_VSIID_IPV6: return "ipv6";
	case VDP_VSIID_MAC: return "mac";
	case VDP_VSIID_LOCAL: return "local";
	case VDP_VSIID_UUID: return "uuid";
	}
	return "unknown";
}

/* "uuid:..", "mac:..", "ipv4:..", "ipv6:..", "local:HEX", or the bare
 * text, tried as a UUID, a MAC, an IPv4 and an IPv6 address in turn. */
int parse_vsiid(const char *s, uint8_t *fmt, uint8_t id[VDP_VSIID_LEN], char *err, size_t errlen)
{
	static const uint8_t order[] = {VDP_VSIID_UUID, VDP_VSIID_MAC, VDP_VSIID_IPV4,
					VDP_VSIID_IPV6};
	const char *colon = strchr(s, ':');
	for (uint8_t f = VDP_VSIID_IPV4; colon && f <= VDP_VSIID_UUID; f++) {
		size_t n = strlen(vsiid_fmt_name(f));
		if ((size_t)(colon - s) == n && strncmp(s, vsiid_fmt_name(f), n) == 0) {
			if (vdp_vsiid_parse(f, colon + 1, id) == 0) {
				*fmt = f;
				return 0;
			}
			snprintf(err, errlen, "'%s' is not a valid %s VSIID", colon + 1,
				 vsiid_fmt_name(f));
			return -1;
		}
	}
	for (size_t i = 0; i < sizeof(order); i++)
		if (vdp_vsiid_parse(order[i], s, id) == 0) {
			*fmt = order[i];
			return 0;
		}
	snprintf(err, errlen,
		 "'%s' is not a VSIID: give a UUID (00112233-4455-6677-8899-aabbccddeeff), "
		 "a MAC, an IP address, or local:32-HEX-DIGITS",
		 s);
	return -1;
}

int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errlen)
{
	unsigned v[6];
	char tail;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6 ||
	    strlen(s) != 17) {
		snprintf(err, errlen, "'%s' is not a MAC address (like 52:54:00:12:34:56)", s);
		return -1;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	if (mac[0] & 1) {
		snprintf(err, errlen, "%s is a multicast MAC address; a VM's MAC is unicast", s);
		return -1;
	}
	return 0;
}

int parse_ipv4(const char *s, uint8_t ip[4], char *err, size_t errlen)
{
	if (inet_pton(AF_INET, s, ip) != 1) {
		snprintf(err, errlen, "'%s' is not an IPv4 address", s);
		return -1;
	}
	return 0;
}

/* --- policy words ------------------------------------------------------------- */

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
	case VDP_POL_BANDWIDTH: return entry_bw(it, n, e);
	case VDP_POL_ACL: return entry_acl(it, n, e);
	case VDP_POL_QOS: return entry_qos(it, n, e);
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
	case VDP_POL_IGMP_SNOOP: return n == 1 ? on_off(it[0], &e->u.enable) : -1;
	}
	return -1;
}

int parse_policy_word(const char *w, uint32_t vnid, struct vdp_policy *p, char *err, size_t errlen)
{
	char tmp[256];
	const char *eq = strchr(w, '=');
	if (!eq || strlen(w) >= sizeof(tmp))
		return bad(err, errlen, w,
			   "expected KIND=VALUE with KIND one of vlan, bandwidth, acl, qos, vn, "
			   "dhcp-snooping, igmp-snooping");
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strlen(kinds[k].name) != (size_t)(eq - w) ||
		    strncmp(w, kinds[k].name, (size_t)(eq - w)) != 0)
			continue;
		if (p->nentries >= VDP_MAX_POLICIES)
			return bad(err, errlen, w, "too many policy entries (at most 32)");
		struct vdp_policy_entry *e = &p->entries[p->nentries];
		memset(e, 0, sizeof(*e));
		e->type = kinds[k].type;
		snprintf(tmp, sizeof(tmp), "%s", eq + 1);
		if (fill_entry(kinds[k].type, tmp, vnid, e) < 0) {
			char why[320];
			snprintf(why, sizeof(why), "expected %s", kinds[k].syntax);
			return bad(err, errlen, w, why);
		}
		p->nentries++;
		return 0;
	}
	return bad(err, errlen, w,
		   "unknown kind; use vlan, bandwidth, acl, qos, vn, dhcp-snooping or igmp-snooping");
}

static void fmt_prefix(struct strbuf *b, const char *key, const struct vdp_prefix *p)
{
	char a[INET6_ADDRSTRLEN];
	if (!p->family)
		return;
	inet_ntop(p->family == 4 ? AF_INET : AF_INET6, p->addr, a, sizeof(a));
	sb_printf(b, ",%s=%s/%u", key, a, p->plen);
}

static void fmt_range(struct strbuf *b, const char *key, uint16_t lo, uint16_t hi)
{
	if (!lo && !hi)
		return;
	if (lo == hi)
		sb_printf(b, ",%s=%u", key, lo);
	else
		sb_printf(b, ",%s=%u-%u", key, lo, hi);
}

static const char *dir_word(uint8_t d)
{
	return d == VDP_DIR_TO_VM ? "to-vm" : d == VDP_DIR_FROM_VM ? "from-vm" : "both";
}

void format_policy_entry(struct strbuf *b, const struct vdp_policy_entry *e)
{
	char a[INET6_ADDRSTRLEN];
	const struct vdp_pol_acl *acl = &e->u.acl;
	switch (e->type) {
	case VDP_POL_VLAN: sb_printf(b, "vlan=%u", e->u.vid); break;
	case VDP_POL_BANDWIDTH:
		sb_printf(b, "bandwidth=%u,%s", e->u.bw.rate_kbps, dir_word(e->u.bw.dir));
		if (e->u.bw.burst)
			sb_printf(b, ",burst=%u", e->u.bw.burst);
		break;
	case VDP_POL_ACL:
		sb_printf(b, "acl=%s", acl->action == VDP_ACL_PERMIT ? "permit" : "deny");
		if (acl->ip_proto)
			sb_printf(b, ",proto=%u", acl->ip_proto);
		sb_printf(b, ",%s", dir_word(acl->dir));
		if (acl->ethertype)
			sb_printf(b, ",ethertype=0x%04x", acl->ethertype);
		fmt_prefix(b, "src", &acl->src);
		fmt_prefix(b, "dst", &acl->dst);
		fmt_range(b, "sport", acl->sport_lo, acl->sport_hi);
		fmt_range(b, "dport", acl->dport_lo, acl->dport_hi);
		break;
	case VDP_POL_QOS:
		sb_printf(b, "qos=");
		if (e->u.qos.pcp != VDP_QOS_UNSET)
			sb_printf(b, "pcp=%u%s", e->u.qos.pcp, e->u.qos.dscp != VDP_QOS_UNSET ? "," : "");
		if (e->u.qos.dscp != VDP_QOS_UNSET)
			sb_printf(b, "dscp=%u", e->u.qos.dscp);
		break;
	case VDP_POL_VN:
		inet_ntop(e->u.vn.family == 4 ? AF_INET : AF_INET6, e->u.vn.mcast, a, sizeof(a));
		sb_printf(b, "vn=%s", a);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		sb_printf(b, "%s=%s", vdp_policy_type_name(e->type), e->u.enable ? "on" : "off");
		break;
	default: sb_printf(b, "%s", vdp_policy_type_name(e->type)); break;
	}
}

const char *tlv_word(uint8_t type)
{
	switch (type) {
	case VDP_TLV_PREASSOC: return "pre-associate";
	case VDP_TLV_PREASSOC_RR: return "pre-associate-rr";
	case VDP_TLV_ASSOC: return "associate";
	case VDP_TLV_DEASSOC: return "de-associate";
	case VDP_TLV_POLICY_SYNC: return "policy-sync";
	case VDP_TLV_POLICY_UPDATE: return "policy-update";
	case VDP_TLV_POLICY_REMOVE: return "policy-remove";
	case VDP_TLV_HELP: return "help";
	}
	return "none";
}
