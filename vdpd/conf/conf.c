/* SPDX-License-Identifier: ISC */
/* vdpd: vdpd.conf(5), a libconfig file, parsed into struct conf.
 *
 * Every setting is looked up by name and every group's members are checked
 * against the names it accepts, so that a typo is an error and not a
 * silently ignored line.  Every error names the file, the line, the
 * setting's path (e.g. "types[0].acl[1].dport") and the offending value.
 * The result is built in a private copy and handed over only when the whole
 * file is valid, so a reload with a bad file changes nothing.
 *
 * The generic helpers (errors, key checks, typed lookups, ranges) are in
 * conf_parse.c, the ACL and policy parsing in conf_acl.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <libconfig.h>

#include "conf/conf.h"
#include "conf/conf_parse.h"
#include "ifname.h"

/* --- bridge, ports and uplinks --------------------------------------------- */

/* A name as the kernel takes it, and one every text it reaches (nftables,
 * logs, JSON) carries back unchanged (common/ifname.h). */
static int ifname(struct conf_ctx *x, const config_setting_t *s, char *buf)
{
	const char *v = config_setting_get_string(s);
	char why[80], q[80];

	if (v && !ifname_valid(v, why, sizeof(why))) {
		ifname_quote(v, q, sizeof(q));
		return conf_fail(x, s, "\"%s\" is not a valid interface name: it %s", q, why);
	}
	if (conf_str(x, s, buf, IFNAMSIZ) < 0)
		return -1;
	return 0;
}

/* Whether name is already the bridge, a port or an uplink; the error. */
static int ifname_unique(struct conf_ctx *x, const config_setting_t *s, const char *name)
{
	const struct conf *c = x->c;

	if (strcmp(name, c->bridge) == 0)
		return conf_fail(x, s, "\"%s\" is the bridge itself", name);
	for (unsigned i = 0; i < c->nports; i++)
		if (strcmp(name, c->ports[i].name) == 0)
			return conf_fail(x, s, "\"%s\" is already a served port", name);
	for (unsigned i = 0; i < c->nuplinks; i++)
		if (strcmp(name, c->uplinks[i]) == 0)
			return conf_fail(x, s, "\"%s\" is already an uplink", name);
	return 0;
}

static const char *const port_keys[] = {"name",      "bandwidth",    "max_vsis",      "max_vlans",
                                        "max_vnids", "new_vsi_rate", "new_vsi_burst", NULL};

/* A port is "name" or { name = "..."; bandwidth = kbps; max_vsis = n; }. */
static int parse_port(struct conf_ctx *x, const config_setting_t *s, struct conf_port *p)
{
	long long v;

	/* Whole structs, padding and name tails included, are zeroed: the
	 * daemon may compare an old and a new configuration with memcmp. */
	memset(p, 0, sizeof(*p));
	p->max_vsis = CONF_DEFAULT_MAX_VSIS;
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		return ifname(x, s, p->name);
	if (!config_setting_is_group(s))
		return conf_wrong_type(x, s, "a string or a group { }");
	if (conf_check_keys(x, s, port_keys) < 0)
		return -1;
	const config_setting_t *n = config_setting_get_member(s, "name");
	if (!n)
		return conf_fail_in(x, s, "name", "missing: a port group needs a name");
	if (ifname(x, n, p->name) < 0)
		return -1;
	v = p->bandwidth_kbps;
	if (conf_opt_int(x, s, "bandwidth", 0, UINT32_MAX, &v) < 0)
		return -1;
	p->bandwidth_kbps = (uint32_t)v;
	v = p->max_vsis;
	if (conf_opt_int(x, s, "max_vsis", 1, CONF_MAX_VSIS_LIMIT, &v) < 0)
		return -1;
	p->max_vsis = (unsigned)v;
	return conf_parse_port_limits(x, s, p);
}

static int parse_interfaces(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	const config_setting_t *b = config_setting_get_member(root, "bridge");
	config_setting_t *ports, *ups;

	if (!b)
		return conf_fail_in(x, root, "bridge", "missing: name the bridge to serve");
	if (ifname(x, b, c->bridge) < 0)
		return -1;
	if (conf_opt_seq(x, root, "ports", CONF_MAX_PORTS, &ports) < 0)
		return -1;
	if (!ports)
		return conf_fail_in(x, root, "ports", "missing: name at least one port to serve");
	if (config_setting_length(ports) == 0)
		return conf_fail(x, ports, "empty: name at least one port to serve");
	for (int i = 0; i < config_setting_length(ports); i++) {
		const config_setting_t *s = config_setting_get_elem(ports, (unsigned)i);
		struct conf_port p;
		if (parse_port(x, s, &p) < 0 || ifname_unique(x, s, p.name) < 0)
			return -1;
		c->ports[c->nports++] = p;
	}
	if (conf_opt_seq(x, root, "uplinks", CONF_MAX_UPLINKS, &ups) < 0)
		return -1;
	for (int i = 0; ups && i < config_setting_length(ups); i++) {
		const config_setting_t *s = config_setting_get_elem(ups, (unsigned)i);
		char name[IFNAMSIZ] = "";
		if (ifname(x, s, name) < 0 || ifname_unique(x, s, name) < 0)
			return -1;
		memcpy(c->uplinks[c->nuplinks++], name, IFNAMSIZ);
	}
	return 0;
}

/* --- VLANs ----------------------------------------------------------------- */

static int parse_pool(struct conf_ctx *x, const config_setting_t *pool)
{
	struct conf *c = x->c;

	if (config_setting_length(pool) == 0)
		return conf_fail(x, pool, "empty: the pool needs at least one VLAN");
	c->nranges = 0;
	for (int i = 0; i < config_setting_length(pool); i++) {
		const config_setting_t *s = config_setting_get_elem(pool, (unsigned)i);
		unsigned long lo, hi;
		if (conf_range(x, s, 1, VDP_VID_MAX, "VLAN ID", &lo, &hi) < 0)
			return -1;
		for (unsigned j = 0; j < c->nranges; j++)
			if (lo <= c->pool[j].hi && hi >= c->pool[j].lo)
				return conf_fail(x, s, "%lu-%lu overlaps %u-%u (pool[%u])", lo, hi,
				                 c->pool[j].lo, c->pool[j].hi, j);
		c->pool[c->nranges++] = (struct conf_range){(uint16_t)lo, (uint16_t)hi};
	}
	return 0;
}

static bool in_pool(const struct conf *c, unsigned vid)
{
	for (unsigned i = 0; i < c->nranges; i++)
		if (vid >= c->pool[i].lo && vid <= c->pool[i].hi)
			return true;
	return false;
}

static bool is_reserved(const struct conf *c, unsigned vid)
{
	for (unsigned i = 0; i < c->nreserved; i++)
		if (c->reserved[i] == vid)
			return true;
	return false;
}

/* Reserved VLANs are pool members the allocator must skip; entries may be
 * ranges, expanded here. */
static int parse_reserved(struct conf_ctx *x, const config_setting_t *res)
{
	struct conf *c = x->c;

	for (int i = 0; i < config_setting_length(res); i++) {
		const config_setting_t *s = config_setting_get_elem(res, (unsigned)i);
		unsigned long lo, hi;
		if (conf_range(x, s, 1, VDP_VID_MAX, "VLAN ID", &lo, &hi) < 0)
			return -1;
		for (unsigned long v = lo; v <= hi; v++) {
			if (!in_pool(c, (unsigned)v))
				return conf_fail(x, s, "VLAN %lu is not in the pool", v);
			if (is_reserved(c, (unsigned)v))
				return conf_fail(x, s, "VLAN %lu is reserved twice", v);
			if (c->nreserved == CONF_MAX_RESERVED)
				return conf_fail(x, s, "too many reserved VLANs (at most %d)",
				                 CONF_MAX_RESERVED);
			c->reserved[c->nreserved++] = (uint16_t)v;
		}
	}
	return 0;
}

static const char *const vlans_keys[] = {"pool", "reserved", "max_vnids", NULL};

static int parse_vlans(struct conf_ctx *x, const config_setting_t *root)
{
	config_setting_t *g, *pool, *res;
	long long v = x->c->max_vnids;

	if (conf_opt_group(x, root, "vlans", vlans_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if (conf_opt_seq(x, g, "pool", CONF_MAX_RANGES, &pool) < 0)
		return -1;
	if (pool && parse_pool(x, pool) < 0)
		return -1;
	if (conf_opt_seq(x, g, "reserved", CONF_MAX_RESERVED, &res) < 0)
		return -1;
	if (res && parse_reserved(x, res) < 0)
		return -1;
	if (conf_opt_int(x, g, "max_vnids", 0, VDP_VID_MAX, &v) < 0)
		return -1;
	x->c->max_vnids = (unsigned)v;
	return 0;
}

/* --- timers, VNIDs, kernel, DHCP, IGMP -------------------------------------- */

static const char *const timers_keys[] = {"r", "rte", "rwd", "rka", NULL};

static int parse_timers(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	const struct {
		const char *key;
		long long max; /* the width of the EVB TLV field */
		uint8_t *field;
	} t[] = {{"r", 7, &c->r}, {"rte", 31, &c->rte}, {"rwd", 31, &c->rwd}, {"rka", 31, &c->rka}};
	config_setting_t *g;

	if (conf_opt_bool(x, root, "rrcap", &c->rrcap) < 0 ||
	    conf_opt_bool(x, root, "bgid", &c->bgid) < 0)
		return -1;
	if (conf_opt_group(x, root, "timers", timers_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		long long v = *t[i].field;
		if (conf_opt_int(x, g, t[i].key, 0, t[i].max, &v) < 0)
			return -1;
		*t[i].field = (uint8_t)v;
	}
	return 0;
}

static const char *const vnid_keys[] = {"bits", "unknown_type", NULL};
static const struct conf_enum unknown_types[] = {
    {"static", CONF_UNKNOWN_STATIC},
    {"vlan-only", CONF_UNKNOWN_VLAN_ONLY},
    {"refuse", CONF_UNKNOWN_REFUSE},
    {NULL, 0},
};

static int parse_vnid(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	config_setting_t *g;
	int ut = (int)c->unknown_type;
	const config_setting_t *s;

	if (conf_opt_group(x, root, "vnid", vnid_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if ((s = config_setting_get_member(g, "bits"))) {
		long long bits;
		if (conf_int(x, s, LLONG_MIN, LLONG_MAX, &bits) < 0)
			return -1;
		if (bits != 24 && bits != 32)
			return conf_fail(x, s, "must be 24 or 32, not %lld", bits);
		c->vnid_32bit = bits == 32;
	}
	if (conf_opt_enum(x, g, "unknown_type", unknown_types, &ut) < 0)
		return -1;
	c->unknown_type = (enum conf_unknown_type)ut;
	return 0;
}

static const char *const kernel_keys[] = {"no_vlan_filtering", NULL};
static const struct conf_enum novf_modes[] = {
    {"nftables", CONF_NOVF_NFTABLES},
    {"refuse", CONF_NOVF_REFUSE},
    {NULL, 0},
};

static int parse_kernel(struct conf_ctx *x, const config_setting_t *root)
{
	config_setting_t *g;
	int v = (int)x->c->no_vlan_filtering;

	if (conf_opt_group(x, root, "kernel", kernel_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if (conf_opt_enum(x, g, "no_vlan_filtering", novf_modes, &v) < 0)
		return -1;
	x->c->no_vlan_filtering = (enum conf_no_vlan_filtering)v;
	return 0;
}

static const char *const dhcp_keys[] = {"mode",         "server",       "timeout", "retries",
                                        "help_timeout", "max_bindings", "vnids",   NULL};
static const struct conf_enum dhcp_modes[] = {
    {"leasequery", CONF_DHCP_LEASEQUERY},
    {"help", CONF_DHCP_HELP},
    {NULL, 0},
};

static int parse_dhcp(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	config_setting_t *g;
	int mode = (int)c->dhcp_mode;
	uint8_t a[16];

	if (conf_opt_group(x, root, "dhcp", dhcp_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if (conf_opt_enum(x, g, "mode", dhcp_modes, &mode) < 0)
		return -1;
	c->dhcp_mode = (enum conf_dhcp_mode)mode;
	if (conf_parse_dhcp_more(x, g) < 0) /* conf_dhcp.c */
		return -1;
	const config_setting_t *s = config_setting_get_member(g, "server");
	if (!s)
		return 0;
	if (conf_str(x, s, c->dhcp_server, sizeof(c->dhcp_server)) < 0)
		return -1;
	/* RFC 4388 leasequery is DHCPv4; the help request only passes the
	 * address on to the station, which may use DHCPv6. */
	if (c->dhcp_mode == CONF_DHCP_LEASEQUERY && inet_pton(AF_INET, c->dhcp_server, a) != 1)
		return conf_fail(x, s, "\"%s\" is not an IPv4 address (leasequery is DHCPv4)",
		                 c->dhcp_server);
	if (inet_pton(AF_INET, c->dhcp_server, a) != 1 &&
	    inet_pton(AF_INET6, c->dhcp_server, a) != 1)
		return conf_fail(x, s, "\"%s\" is not an IP address", c->dhcp_server);
	return 0;
}

static const char *const igmp_keys[] = {"version", "max_response", "queries", NULL};

static int parse_igmp(struct conf_ctx *x, const config_setting_t *root)
{
	config_setting_t *g;
	long long v = x->c->igmp_version;

	if (conf_opt_group(x, root, "igmp", igmp_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if (conf_opt_int(x, g, "version", 2, 3, &v) < 0)
		return -1;
	x->c->igmp_version = (uint8_t)v;
	return conf_parse_igmp_more(x, g); /* conf_dhcp.c */
}

/* --- files, control socket, logging ----------------------------------------- */

static int abs_path(struct conf_ctx *x, const config_setting_t *s, char *buf, size_t cap)
{
	if (conf_str(x, s, buf, cap) < 0)
		return -1;
	if (buf[0] != '/')
		return conf_fail(x, s, "\"%s\" is not an absolute path", buf);
	return 0;
}

/* "0660": a string, because libconfig reads 0660 as the decimal 660. */
static int parse_mode(struct conf_ctx *x, const config_setting_t *s, unsigned *mode)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(x, s, "a string of octal digits such as \"0660\"");
	const char *t = config_setting_get_string(s);
	size_t n = strspn(t, "01234567");
	if (n == 0 || t[n] != '\0')
		return conf_fail(x, s, "\"%s\" is not an octal mode such as \"0660\"", t);
	unsigned long v = strtoul(t, NULL, 8);
	if (v > 0777)
		return conf_fail(x, s, "\"%s\" is not a permission mode (at most \"0777\")", t);
	*mode = (unsigned)v;
	return 0;
}

static const char *const control_keys[] = {"path", "mode", "group", "idle_timeout", NULL};

/* control.group: a group that exists now (its gid is what the daemon
 * compares a client's credentials with). */
static int parse_ctl_group(struct conf_ctx *x, const config_setting_t *s)
{
	struct conf *c = x->c;
	const struct group *gr;

	if (conf_str(x, s, c->ctl_group, sizeof(c->ctl_group)) < 0)
		return -1;
	errno = 0;
	if (!(gr = getgrnam(c->ctl_group)))
		return conf_fail(x, s, "no group \"%s\"%s%s", c->ctl_group, errno ? ": " : "",
		                 errno ? strerror(errno) : "");
	c->ctl_gid = (long)gr->gr_gid;
	return 0;
}

static int parse_control(struct conf_ctx *x, const config_setting_t *g)
{
	struct conf *c = x->c;
	const config_setting_t *s;
	long long v = c->ctl_idle_s;

	if ((s = config_setting_get_member(g, "path")) &&
	    abs_path(x, s, c->ctl_path, sizeof(c->ctl_path)) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "mode")) && parse_mode(x, s, &c->ctl_mode) < 0)
		return -1;
	if ((s = config_setting_get_member(g, "group")) && parse_ctl_group(x, s) < 0)
		return -1;
	if (conf_opt_int(x, g, "idle_timeout", 1, CONF_MAX_CTL_IDLE, &v) < 0)
		return -1;
	c->ctl_idle_s = (unsigned)v;
	return 0;
}
static const char *const lldp_keys[] = {"enabled", "socket", "group", NULL};
static const char *const log_keys[] = {"level", NULL};
static const struct conf_enum log_levels[] = {
    {"debug", LOG_DEBUG},     {"info", LOG_INFO}, {"notice", LOG_NOTICE},
    {"warning", LOG_WARNING}, {"err", LOG_ERR},   {NULL, 0},
};

static int parse_files(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	const config_setting_t *s = config_setting_get_member(root, "state_dir");
	config_setting_t *g;

	if (s && abs_path(x, s, c->state_dir, sizeof(c->state_dir)) < 0)
		return -1;
	if (conf_opt_str(x, root, "user", c->user, sizeof(c->user)) < 0)
		return -1;
	if (conf_opt_group(x, root, "control", control_keys, &g) < 0)
		return -1;
	if (g && parse_control(x, g) < 0)
		return -1;
	if (conf_opt_group(x, root, "log", log_keys, &g) < 0)
		return -1;
	return g ? conf_opt_enum(x, g, "level", log_levels, &c->log_level) : 0;
}

/* lldp = { enabled; socket; group; }: how vdpd reaches lldpd (vdpd/lldp/lldp.c). */
static int parse_lldp(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	const config_setting_t *s;
	config_setting_t *g;

	if (conf_opt_group(x, root, "lldp", lldp_keys, &g) < 0)
		return -1;
	if (!g)
		return 0;
	if (conf_opt_bool(x, g, "enabled", &c->lldp_enabled) < 0 ||
	    conf_opt_str(x, g, "group", c->lldp_group, sizeof(c->lldp_group)) < 0)
		return -1;
	s = config_setting_get_member(g, "socket");
	return s ? abs_path(x, s, c->lldp_socket, sizeof(c->lldp_socket)) : 0;
}

/* --- the whole file ------------------------------------------------------------- */

static const char *const top_keys[] = {
    "bridge",  "ports", "uplinks",     "vlans",  "timers", "rrcap", "bgid",
    "vnid",    "types", "device_acls", "kernel", "dhcp",   "igmp",  "state_dir",
    "control", "lldp",  "log",         "limits", "user",   NULL,
};

static int parse_root(struct conf_ctx *x, const config_setting_t *root)
{
	/* The order matters: types are checked against the pool and the VNID
	 * width, so those come first whatever their order in the file. */
	if (conf_check_keys(x, root, top_keys) < 0 || parse_interfaces(x, root) < 0 ||
	    parse_vlans(x, root) < 0 || parse_timers(x, root) < 0 || parse_vnid(x, root) < 0 ||
	    parse_kernel(x, root) < 0 || parse_dhcp(x, root) < 0 || parse_igmp(x, root) < 0 ||
	    parse_files(x, root) < 0 || parse_lldp(x, root) < 0 || conf_parse_limits(x, root) < 0)
		return -1;
	return conf_parse_types(x, root) < 0 || conf_parse_device_acls(x, root) < 0 ? -1 : 0;
}

/* libconfig says only "file I/O error" when it cannot open the file. */
static int check_readable(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
		return -1;
	}
	fclose(f);
	return 0;
}

static int read_config(config_t *cf, const char *path, char *err, size_t errlen)
{
	char dir[256];

	if (check_readable(path, err, errlen) < 0)
		return -1;
	/* @include "x.conf" is relative to the main file's directory, not to
	 * the daemon's working directory ("/" once daemonized).  libconfig
	 * 1.5 prefixes absolute names too: vdpd.conf(5) BUGS says so. */
	snprintf(dir, sizeof(dir), "%s", path);
	config_set_include_dir(cf, dirname(dir));
	if (config_read_file(cf, path))
		return 0;
	const char *file = config_error_file(cf);
	snprintf(err, errlen, "%s:%d: %s", file ? file : path, config_error_line(cf),
	         config_error_text(cf));
	return -1;
}

void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", CONF_DEFAULT_PATH);
	c->nranges = 1;
	c->pool[0] = (struct conf_range){2, VDP_VID_MAX};
	c->r = VDP_EVB_DEFAULT_R;
	c->rte = VDP_EVB_DEFAULT_RTE;
	c->rwd = VDP_EVB_DEFAULT_RWD;
	c->rka = VDP_EVB_DEFAULT_RKA;
	c->rrcap = true;
	c->unknown_type = CONF_UNKNOWN_VLAN_ONLY;
	c->no_vlan_filtering = CONF_NOVF_NFTABLES;
	c->dhcp_mode = CONF_DHCP_LEASEQUERY;
	c->igmp_version = 2;
	conf_migration_defaults(c); /* conf_dhcp.c */
	conf_limits_defaults(c);    /* conf_limits.c */
	c->max_vnids = CONF_DEFAULT_MAX_VNIDS;
	snprintf(c->state_dir, sizeof(c->state_dir), "%s", CONF_DEFAULT_STATE_DIR);
	snprintf(c->user, sizeof(c->user), "%s", VDPD_USER);
	snprintf(c->ctl_path, sizeof(c->ctl_path), "%s", CONF_DEFAULT_CTL_PATH);
	c->ctl_mode = 0660;
	c->ctl_gid = -1;
	c->ctl_idle_s = CONF_DEFAULT_CTL_IDLE;
	c->lldp_enabled = true;
	snprintf(c->lldp_socket, sizeof(c->lldp_socket), "%s", CONF_DEFAULT_LLDP_SOCKET);
	snprintf(c->lldp_group, sizeof(c->lldp_group), "%s", CONF_DEFAULT_LLDP_GROUP);
	c->log_level = LOG_INFO;
}

int conf_load(const char *path, struct conf *out, char *err, size_t errlen)
{
	config_t cf;
	int rc = -1;

	if (strlen(path) >= sizeof(out->path)) {
		snprintf(err, errlen, "%s: the path is too long", path);
		return -1;
	}
	/* Built aside and copied at the end: the caller's struct is either the
	 * old one or the complete new one, never a mixture. */
	struct conf *c = malloc(sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	conf_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", path);
	config_init(&cf);
	if (read_config(&cf, path, err, errlen) == 0) {
		struct conf_ctx x = {path, err, errlen, c};
		rc = parse_root(&x, config_root_setting(&cf));
	}
	config_destroy(&cf);
	if (rc == 0)
		*out = *c;
	free(c);
	return rc;
}

/* --- queries ------------------------------------------------------------------------ */

const struct conf_port *conf_port(const struct conf *c, const char *name)
{
	for (unsigned i = 0; i < c->nports; i++)
		if (strcmp(c->ports[i].name, name) == 0)
			return &c->ports[i];
	return NULL;
}

bool conf_vid_in_pool(const struct conf *c, uint16_t vid)
{
	return vid >= 1 && vid <= VDP_VID_MAX && in_pool(c, vid) && !is_reserved(c, vid);
}

const struct conf_type *conf_type(const struct conf *c, uint32_t vnid)
{
	for (unsigned i = 0; i < c->ntypes; i++)
		if (c->types[i].vnid == vnid)
			return &c->types[i];
	return NULL;
}
