/* SPDX-License-Identifier: ISC */
/* Unit tests: vdpd.conf(5) parsing (vdpd/conf/conf.c, conf_parse.c, conf_acl.c).
 *
 * A full file parsed to exact values, the defaults, the documented example,
 * @include, and one case per error class: each must name the file, the line
 * and the setting ("FILE:LINE: PATH: message") and leave the caller's
 * struct untouched. */
#include <check.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf/conf.h"

#ifndef CONF_FIXTURES
#error "build with -DCONF_FIXTURES=\"<srcdir>/tests/unit/conf\""
#endif
#ifndef CONF_EXAMPLE
#error "build with -DCONF_EXAMPLE=\"<srcdir>/etc/vdpd.conf\""
#endif

static struct conf *c; /* large: on the heap */
static char err[1024];

static void setup(void)
{
	c = calloc(1, sizeof(*c));
	ck_assert_ptr_nonnull(c);
	err[0] = '\0';
}

static void teardown(void)
{
	free(c);
}

static const char *fixture(const char *name)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", CONF_FIXTURES, name);
	return path;
}

static void load_ok(const char *path)
{
	int rc = conf_load(path, c, err, sizeof(err));
	ck_assert_msg(rc == 0, "conf_load(%s) failed: %s", path, err);
}

/* Writes text to a fresh temporary file; the caller unlinks it. */
static void write_tmp(const char *text, char *path, size_t cap)
{
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	snprintf(path, cap, "%s/check_conf.XXXXXX", dir);
	int fd = mkstemp(path);
	ck_assert_msg(fd >= 0, "mkstemp %s", path);
	size_t len = strlen(text);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* conf_load(path) must fail with "PATH:LINE: KEY: ..." containing msg, and
 * must not have touched *c. */
static void assert_fails(const char *what, const char *path, unsigned line, const char *key,
                         const char *msg)
{
	char prefix[600];
	struct conf *before = malloc(sizeof(*before));

	ck_assert_ptr_nonnull(before);
	memset(c, 0xA5, sizeof(*c));
	memcpy(before, c, sizeof(*c));
	int rc = conf_load(path, c, err, sizeof(err));
	ck_assert_msg(rc == -1, "%s: conf_load accepted it", what);
	ck_assert_msg(memcmp(before, c, sizeof(*c)) == 0, "%s: *out changed on failure", what);
	free(before);
	snprintf(prefix, sizeof(prefix), "%s:%u: %s: ", path, line, key);
	ck_assert_msg(strncmp(err, prefix, strlen(prefix)) == 0,
	              "%s: got \"%s\", want prefix \"%s\"", what, err, prefix);
	ck_assert_msg(strstr(err, msg), "%s: got \"%s\", want it to contain \"%s\"", what, err,
	              msg);
	if (getenv("CHECK_CONF_VERBOSE"))
		fprintf(stderr, "%-36s %s\n", what, err);
}

static void assert_text_fails(const char *what, const char *text, unsigned line, const char *key,
                              const char *msg)
{
	char path[512];

	write_tmp(text, path, sizeof(path));
	assert_fails(what, path, line, key, msg);
	unlink(path);
}

/* --- a full file, value by value ---------------------------------------------- */

static void assert_acl(const struct vdp_pol_acl *a, uint8_t action, uint8_t dir, uint16_t ethertype,
                       uint8_t proto)
{
	ck_assert_uint_eq(a->action, action);
	ck_assert_uint_eq(a->dir, dir);
	ck_assert_uint_eq(a->ethertype, ethertype);
	ck_assert_uint_eq(a->ip_proto, proto);
}

static void assert_prefix(const struct vdp_prefix *p, uint8_t family, uint8_t plen,
                          const uint8_t *addr, size_t alen)
{
	uint8_t want[16] = {0};
	if (alen)
		memcpy(want, addr, alen);
	ck_assert_uint_eq(p->family, family);
	ck_assert_uint_eq(p->plen, plen);
	ck_assert_mem_eq(p->addr, want, 16);
}

START_TEST(test_full_top)
{
	load_ok(fixture("full.conf"));
	ck_assert_str_eq(c->path, fixture("full.conf"));
	ck_assert_str_eq(c->bridge, "br-lab");
	ck_assert_uint_eq(c->nports, 3);
	ck_assert_str_eq(c->ports[0].name, "veth-h1");
	ck_assert_uint_eq(c->ports[0].bandwidth_kbps, 1000000);
	ck_assert_uint_eq(c->ports[0].max_vsis, 64);
	ck_assert_str_eq(c->ports[1].name, "veth-h2");
	ck_assert_uint_eq(c->ports[1].bandwidth_kbps, 0);
	ck_assert_uint_eq(c->ports[1].max_vsis, 256);
	ck_assert_str_eq(c->ports[2].name, "veth-h3");
	ck_assert_uint_eq(c->ports[2].max_vsis, 256);
	ck_assert_uint_eq(c->ports[2].max_vlans, 10);
	ck_assert_uint_eq(c->ports[2].max_vnids, 20);
	ck_assert_uint_eq(c->ports[2].new_vsi_rate, 5);
	ck_assert_uint_eq(c->ports[2].new_vsi_burst, 7);
	ck_assert_uint_eq(c->ports[0].max_vlans, 0); /* limits = { }'s */
	ck_assert_uint_eq(c->port_max_vlans, 30);
	ck_assert_uint_eq(c->port_max_vnids, 40);
	ck_assert_uint_eq(c->new_vsi_rate, 50);
	ck_assert_uint_eq(c->new_vsi_burst, 60);
	ck_assert_uint_eq(c->rx_budget, 8);
	ck_assert_uint_eq(c->rx_buffer, 65536);
	ck_assert_uint_eq(c->nuplinks, 2);
	ck_assert_str_eq(c->uplinks[0], "eth0");
	ck_assert_str_eq(c->uplinks[1], "eth1");

	ck_assert_uint_eq(c->nranges, 3);
	ck_assert_uint_eq(c->pool[0].lo, 100);
	ck_assert_uint_eq(c->pool[0].hi, 199);
	ck_assert_uint_eq(c->pool[1].lo, 300);
	ck_assert_uint_eq(c->pool[1].hi, 310);
	ck_assert_uint_eq(c->pool[2].lo, 400);
	ck_assert_uint_eq(c->pool[2].hi, 400);
	ck_assert_uint_eq(c->nreserved, 3);
	ck_assert_uint_eq(c->reserved[0], 150);
	ck_assert_uint_eq(c->reserved[1], 152);
	ck_assert_uint_eq(c->reserved[2], 153);
	ck_assert_uint_eq(c->max_vnids, 50);

	ck_assert_uint_eq(c->r, 2);
	ck_assert_uint_eq(c->rte, 10);
	ck_assert_uint_eq(c->rwd, 21);
	ck_assert_uint_eq(c->rka, 22);
	ck_assert(!c->rrcap);
	ck_assert(c->vnid_32bit);
	ck_assert_int_eq(c->unknown_type, CONF_UNKNOWN_STATIC);
	ck_assert_int_eq(c->no_vlan_filtering, CONF_NOVF_REFUSE);
	ck_assert_int_eq(c->dhcp_mode, CONF_DHCP_LEASEQUERY);
	ck_assert_str_eq(c->dhcp_server, "10.0.0.1");
	ck_assert_uint_eq(c->igmp_version, 3);
	ck_assert_str_eq(c->state_dir, "/tmp/vdpd-state");
	ck_assert_str_eq(c->ctl_path, "/tmp/vdpd.sock");
	ck_assert_uint_eq(c->ctl_mode, 0600);
	ck_assert_str_eq(c->ctl_group, "nogroup");
	ck_assert_int_eq(c->ctl_gid, (long)getgrnam("nogroup")->gr_gid);
	ck_assert_uint_eq(c->ctl_idle_s, 2);
	ck_assert_int_eq(c->log_level, LOG_DEBUG);
}
END_TEST

START_TEST(test_full_types)
{
	static const uint8_t net10[] = {10}, v6[] = {0x20, 0x01, 0x0d, 0xb8};
	static const uint8_t mc[] = {239, 1, 2, 3};

	load_ok(fixture("full.conf"));
	ck_assert_uint_eq(c->ntypes, 3);

	const struct conf_type *t = &c->types[0];
	const struct vdp_policy_entry *e = t->policy.entries;
	ck_assert_uint_eq(t->vnid, 5);
	ck_assert_uint_eq(t->vid, 0);
	ck_assert_uint_eq(t->policy.type, VDP_TLV_POLICY_SYNC);
	ck_assert_uint_eq(t->policy.vnid, 5);
	ck_assert_uint_eq(t->policy.nentries, 6);
	ck_assert_uint_eq(e[0].type, VDP_POL_VLAN);
	ck_assert_uint_eq(e[0].u.vid, 0);
	ck_assert_uint_eq(e[1].type, VDP_POL_BANDWIDTH);
	ck_assert_uint_eq(e[1].u.bw.dir, VDP_DIR_TO_VM);
	ck_assert_uint_eq(e[1].u.bw.rate_kbps, 10000);
	ck_assert_uint_eq(e[1].u.bw.burst, 0);
	ck_assert_uint_eq(e[2].type, VDP_POL_ACL);
	assert_acl(&e[2].u.acl, VDP_ACL_DENY, VDP_DIR_BOTH, 0, 6);
	assert_prefix(&e[2].u.acl.src, 0, 0, NULL, 0);
	assert_prefix(&e[2].u.acl.dst, 4, 8, net10, sizeof(net10));
	ck_assert_uint_eq(e[2].u.acl.sport_lo, 0);
	ck_assert_uint_eq(e[2].u.acl.sport_hi, 0);
	ck_assert_uint_eq(e[2].u.acl.dport_lo, 22);
	ck_assert_uint_eq(e[2].u.acl.dport_hi, 22);
	ck_assert_uint_eq(e[3].type, VDP_POL_QOS);
	ck_assert_uint_eq(e[3].u.qos.pcp, VDP_QOS_UNSET);
	ck_assert_uint_eq(e[3].u.qos.dscp, 10);
	ck_assert_uint_eq(e[4].type, VDP_POL_DHCP_SNOOP);
	ck_assert(e[4].u.enable);
	ck_assert_uint_eq(e[5].type, VDP_POL_IGMP_SNOOP);
	ck_assert(!e[5].u.enable);

	t = &c->types[1];
	e = t->policy.entries;
	ck_assert_uint_eq(t->vnid, 3000000000u);
	ck_assert_uint_eq(t->vid, 120);
	ck_assert_uint_eq(t->policy.nentries, 5);
	ck_assert_uint_eq(e[0].type, VDP_POL_VLAN);
	ck_assert_uint_eq(e[0].u.vid, 120);
	ck_assert_uint_eq(e[1].type, VDP_POL_VN);
	ck_assert_uint_eq(e[1].u.vn.vnid, 3000000000u);
	ck_assert_uint_eq(e[1].u.vn.family, 4);
	ck_assert_mem_eq(e[1].u.vn.mcast, mc, 4);
	ck_assert_uint_eq(e[2].u.bw.dir, VDP_DIR_TO_VM);
	ck_assert_uint_eq(e[2].u.bw.rate_kbps, 50000);
	ck_assert_uint_eq(e[2].u.bw.burst, 65536);
	ck_assert_uint_eq(e[3].u.bw.dir, VDP_DIR_FROM_VM);
	ck_assert_uint_eq(e[3].u.bw.rate_kbps, 20000);
	ck_assert_uint_eq(e[4].type, VDP_POL_ACL);
	assert_acl(&e[4].u.acl, VDP_ACL_PERMIT, VDP_DIR_FROM_VM, 0x86DD, 17);
	assert_prefix(&e[4].u.acl.src, 6, 32, v6, sizeof(v6));
	ck_assert_uint_eq(e[4].u.acl.sport_lo, 1000);
	ck_assert_uint_eq(e[4].u.acl.sport_hi, 2000);

	t = &c->types[2];
	ck_assert_uint_eq(t->vnid, 7); /* no vid: no VLAN entry, and VLAN 0 */
	ck_assert_uint_eq(t->vid, 0);
	ck_assert_uint_eq(t->policy.vnid, 7);
	ck_assert_uint_eq(t->policy.nentries, 0);
}
END_TEST

START_TEST(test_full_device_acls)
{
	static const uint8_t testnet[] = {192, 0, 2, 0}, host[] = {198, 51, 100, 7};

	load_ok(fixture("full.conf"));
	ck_assert_uint_eq(c->ndevice_acls, 2);
	assert_acl(&c->device_acls[0], VDP_ACL_DENY, VDP_DIR_BOTH, 0, 0);
	assert_prefix(&c->device_acls[0].dst, 4, 24, testnet, sizeof(testnet));
	assert_acl(&c->device_acls[1], VDP_ACL_PERMIT, VDP_DIR_TO_VM, 0, 1);
	assert_prefix(&c->device_acls[1].src, 4, 32, host, sizeof(host));
}
END_TEST

/* What the daemon will send or compare: every type's policy survives
 * libvdp's encoder and decoder unchanged in count and order. */
START_TEST(test_full_policies_encode)
{
	uint8_t buf[VDP_TLV_HDR_LEN + VDP_TLV_MAX_LEN];
	static struct vdp_policy back;

	load_ok(fixture("full.conf"));
	for (unsigned i = 0; i < c->ntypes; i++) {
		int n = vdp_policy_encode(&c->types[i].policy, buf, sizeof(buf));
		ck_assert_msg(n > 0, "type %u: %d", i, n);
		ck_assert_int_eq(vdp_policy_decode(buf, (size_t)n, &back), n);
		ck_assert_uint_eq(back.vnid, c->types[i].vnid);
		ck_assert_uint_eq(back.nentries, c->types[i].policy.nentries);
		for (unsigned j = 0; j < back.nentries; j++)
			ck_assert_uint_eq(back.entries[j].type, c->types[i].policy.entries[j].type);
	}
}
END_TEST

/* The same file gives the same bytes, padding and string tails included,
 * whatever the struct held before: the daemon may memcmp two loads to see
 * whether a reload changed anything. */
START_TEST(test_full_deterministic)
{
	struct conf *again = malloc(sizeof(*again));

	ck_assert_ptr_nonnull(again);
	memset(c, 0x00, sizeof(*c));
	memset(again, 0xff, sizeof(*again));
	load_ok(fixture("full.conf"));
	ck_assert_int_eq(conf_load(fixture("full.conf"), again, err, sizeof(err)), 0);
	ck_assert_mem_eq(c, again, sizeof(*c));
	free(again);
}
END_TEST

/* --- defaults, the example, @include ---------------------------------------- */

static void assert_defaults(const struct conf *d)
{
	ck_assert_uint_eq(d->nranges, 1);
	ck_assert_uint_eq(d->pool[0].lo, 2);
	ck_assert_uint_eq(d->pool[0].hi, 4094);
	ck_assert_uint_eq(d->nreserved, 0);
	ck_assert_uint_eq(d->max_vnids, CONF_DEFAULT_MAX_VNIDS);
	ck_assert_uint_eq(d->port_max_vlans, 0); /* the automatic share */
	ck_assert_uint_eq(d->new_vsi_rate, CONF_DEFAULT_NEW_VSI_RATE);
	ck_assert_uint_eq(d->new_vsi_burst, CONF_DEFAULT_NEW_VSI_BURST);
	ck_assert_uint_eq(d->rx_budget, CONF_DEFAULT_RX_BUDGET);
	ck_assert_uint_eq(d->rx_buffer, CONF_DEFAULT_RX_BUFFER);
	ck_assert_uint_eq(d->nuplinks, 0);
	ck_assert_uint_eq(d->r, 3);
	ck_assert_uint_eq(d->rte, 8);
	ck_assert_uint_eq(d->rwd, 20);
	ck_assert_uint_eq(d->rka, 20);
	ck_assert(d->rrcap);
	ck_assert(!d->vnid_32bit);
	ck_assert_int_eq(d->unknown_type, CONF_UNKNOWN_VLAN_ONLY);
	ck_assert_uint_eq(d->ntypes, 0);
	ck_assert_uint_eq(d->ndevice_acls, 0);
	ck_assert_int_eq(d->no_vlan_filtering, CONF_NOVF_NFTABLES);
	ck_assert_int_eq(d->dhcp_mode, CONF_DHCP_LEASEQUERY);
	ck_assert_str_eq(d->dhcp_server, "");
	ck_assert_uint_eq(d->igmp_version, 2);
	/* configure's --localstatedir and --runstatedir */
	ck_assert_str_eq(d->state_dir, VDP_LOCALSTATEDIR "/lib/vdpd");
	ck_assert_str_eq(d->ctl_path, VDP_RUNSTATEDIR "/vdpd/vdpd.sock");
	ck_assert_uint_eq(d->ctl_mode, 0660);
	ck_assert_int_eq(d->ctl_gid, -1); /* root and vdpd's own user only */
	ck_assert_uint_eq(d->ctl_idle_s, CONF_DEFAULT_CTL_IDLE);
	ck_assert_int_eq(d->log_level, LOG_INFO);
}

START_TEST(test_defaults)
{
	memset(c, 0xA5, sizeof(*c));
	conf_defaults(c);
	assert_defaults(c);
	ck_assert_str_eq(c->path, CONF_DEFAULT_PATH);
	ck_assert_str_eq(c->bridge, "");
	ck_assert_uint_eq(c->nports, 0);
}
END_TEST

START_TEST(test_minimal)
{
	load_ok(fixture("minimal.conf"));
	assert_defaults(c);
	ck_assert_str_eq(c->bridge, "br0");
	ck_assert_uint_eq(c->nports, 1);
	ck_assert_str_eq(c->ports[0].name, "veth0");
	ck_assert_uint_eq(c->ports[0].bandwidth_kbps, 0);
	ck_assert_uint_eq(c->ports[0].max_vsis, 256);
}
END_TEST

/* Names the kernel takes and nftables text carries back are kept exactly,
 * however unusual (the integration tier programs them: test_values.py). */
START_TEST(test_unusual_names)
{
	char path[512];

	write_tmp(
	    "bridge = \"br.0\";\nports = [ \"p-1.x_y@\", \"q'x{;}#$\", \"\xc3\xa9t\xc3\xa9\" ];\n",
	    path, sizeof(path));
	load_ok(path);
	unlink(path);
	ck_assert_str_eq(c->bridge, "br.0");
	ck_assert_str_eq(c->ports[0].name, "p-1.x_y@");
	ck_assert_str_eq(c->ports[1].name, "q'x{;}#$");
	ck_assert_str_eq(c->ports[2].name, "\xc3\xa9t\xc3\xa9");
}
END_TEST

/* The documented sample (etc/vdpd.conf, the man page's EXAMPLE) stays valid. */
START_TEST(test_example)
{
	load_ok(CONF_EXAMPLE);
	ck_assert(c->nports > 0);
	ck_assert(c->ntypes > 0);
}
END_TEST

START_TEST(test_include)
{
	load_ok(fixture("include.conf"));
	ck_assert_uint_eq(c->ntypes, 1);
	ck_assert_uint_eq(c->types[0].vnid, 42);
	ck_assert_uint_eq(c->types[0].vid, 42);
	ck_assert_uint_eq(c->types[0].policy.nentries, 1);
	ck_assert_uint_eq(c->types[0].policy.entries[0].type, VDP_POL_VLAN);
	ck_assert_uint_eq(c->types[0].policy.entries[0].u.vid, 42);
}
END_TEST

/* An error in an included file names that file and its line. */
START_TEST(test_include_error)
{
	int rc = conf_load(fixture("include-bad.conf"), c, err, sizeof(err));
	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strstr(err, "include-bad.inc:4: types[0].vid: 4095 is out of range"),
	              "got \"%s\"", err);
}
END_TEST

/* --- libconfig's own errors, unreadable files ----------------------------- */

START_TEST(test_syntax_error)
{
	char want[600];

	ck_assert_int_eq(conf_load(fixture("syntax.conf"), c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: syntax error", fixture("syntax.conf"));
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_duplicate_setting)
{
	char path[512], want[600];

	write_tmp("bridge = \"br0\";\nports = [ \"p1\" ];\nbridge = \"br1\";\n", path,
	          sizeof(path));
	ck_assert_int_eq(conf_load(path, c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: duplicate setting name", path);
	unlink(path);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_missing_file)
{
	char want[600];

	ck_assert_int_eq(conf_load(fixture("no-such.conf"), c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot read: No such file or directory",
	         fixture("no-such.conf"));
	ck_assert_str_eq(err, want);
}
END_TEST

/* --- one case per error class ------------------------------------------------- */

#define BASE "bridge = \"br0\";\nports = [ \"p1\" ];\n" /* two lines */
#define X10  "xxxxxxxxxx"

static const struct bad {
	const char *what, *text;
	unsigned line;
	const char *key, *msg;
} bad[] = {
    /* unknown settings: typos are errors */
    {"unknown top-level", BASE "brigde = \"br1\";\n", 3, "brigde",
     "unknown setting (accepted here: bridge, ports, uplinks,"},
    {"unknown in vlans", BASE "vlans = {\n\tpool = [ \"100-199\" ];\n\treserverd = [ 150 ];\n};\n",
     5, "vlans.reserverd", "accepted here: pool, reserved, max_vnids"},
    {"unknown in a port", "bridge = \"br0\";\nports = (\n\t{ name = \"p1\"; bandwith = 10; }\n);\n",
     3, "ports[0].bandwith", "accepted here: name, bandwidth, max_vsis, max_vlans"},
    {"limits rate 0", BASE "limits = {\n\tnew_vsi_rate = 0; };\n", 4, "limits.new_vsi_rate",
     "0 is out of range 1..1000000"},
    {"port max_vlans 0", "bridge = \"br0\";\nports = ( { name = \"p1\";\n\tmax_vlans = 0; } );\n",
     3, "ports[0].max_vlans", "0 is out of range 1..4094"},
    {"unknown in a type", BASE "types = (\n\t{ vnid = 5;\n\t  vlan = 7; }\n);\n", 5,
     "types[0].vlan", "unknown setting"},
    {"unknown in an acl", BASE "device_acls = (\n\t{ action = \"deny\";\n\t  port = 22; }\n);\n", 5,
     "device_acls[0].port", "accepted here: action, dir, ethertype"},
    {"unknown in timers", BASE "timers = { rtx = 3; };\n", 3, "timers.rtx", "unknown setting"},
    /* wrong types */
    {"boolean as string", BASE "rrcap = \"yes\";\n", 3, "rrcap",
     "must be a boolean (true or false), not a string"},
    {"integer as string", BASE "timers = {\n\tr = \"3\";\n};\n", 4, "timers.r",
     "must be an integer, not a string"},
    {"group as integer", BASE "vlans = 5;\n", 3, "vlans", "must be a group { }, not an integer"},
    {"float", BASE "igmp = { version = 3.0; };\n", 3, "igmp.version", "not a float"},
    {"port of wrong type", "bridge = \"br0\";\nports = ( 5 );\n", 2, "ports[0]",
     "must be a string or a group { }"},
    {"types as group", BASE "types = { vnid = 5; };\n", 3, "types",
     "must be a list ( ) or an array [ ]"},
    {"acl as string", BASE "device_acls = ( \"deny\" );\n", 3, "device_acls[0]",
     "must be a group { }"},
    /* bridge and ports */
    {"bridge missing", "# no bridge\nports = [ \"p1\" ];\n", 1, "bridge", "missing"},
    {"bridge name", "bridge = \"br/0\";\nports = [ \"p1\" ];\n", 1, "bridge",
     "\"br/0\" is not a valid interface name"},
    {"ports missing", "bridge = \"br0\";\n", 1, "ports", "missing"},
    {"ports empty", "bridge = \"br0\";\nports = [ ];\n", 2, "ports", "empty"},
    {"duplicate port", "bridge = \"br0\";\nports = ( \"p1\",\n\t{ name = \"p1\"; } );\n", 3,
     "ports[1]", "\"p1\" is already a served port"},
    {"port is the bridge", "bridge = \"br0\";\nports = [ \"br0\" ];\n", 2, "ports[0]",
     "the bridge itself"},
    {"uplink is a port", BASE "uplinks = [\n\t\"p1\" ];\n", 4, "uplinks[0]",
     "already a served port"},
    {"port name too long", "bridge = \"br0\";\nports = [ \"a-very-long-name\" ];\n", 2, "ports[0]",
     "\"a-very-long-name\" is not a valid interface name: it is longer than 15 octets"},
    /* Names the kernel takes but nftables text cannot carry back, and the
     * kernel's own refusals: the name in the error is escaped. */
    {"port name with a quote", "bridge = \"br0\";\nports = [ \"q\\\"x{;}\" ];\n", 2, "ports[0]",
     "\"q\\\"x{;}\" is not a valid interface name: it holds '\"', which nftables text cannot "
     "carry back"},
    {"port name with a star", "bridge = \"br0\";\nports = [ \"p*\" ];\n", 2, "ports[0]",
     "holds '*'"},
    {"port name with a space", "bridge = \"br0\";\nports = [ \"p 1\" ];\n", 2, "ports[0]",
     "holds 'white space', which the kernel refuses"},
    {"port name dot-dot", "bridge = \"br0\";\nports = [ \"..\" ];\n", 2, "ports[0]",
     "is not a name the kernel takes"},
    {"port name empty", "bridge = \"br0\";\nports = [ \"\" ];\n", 2, "ports[0]", "it is empty"},
    {"uplink name with a control octet", BASE "uplinks = [\n\t\"u\\x01\" ];\n", 4, "uplinks[0]",
     "\"u\\x01\" is not a valid interface name: it holds control octet 0x01"},
    {"port group without name", "bridge = \"br0\";\nports = (\n\t{ max_vsis = 3; } );\n", 3,
     "ports[0].name", "missing"},
    {"max_vsis 0", "bridge = \"br0\";\nports = ( { name = \"p1\";\n\tmax_vsis = 0; } );\n", 3,
     "ports[0].max_vsis", "0 is out of range 1..65535"},
    {"negative bandwidth", "bridge = \"br0\";\nports = ( { name = \"p1\"; bandwidth = -1; } );\n",
     2, "ports[0].bandwidth", "-1 is out of range 0..4294967295"},
    /* VLANs */
    {"VLAN syntax", BASE "vlans = { pool = [\n\t\"100-\" ]; };\n", 4, "vlans.pool[0]",
     "\"100-\" is not a VLAN ID or a range (write \"1\" or \"1-4094\")"},
    {"VLAN spaces", BASE "vlans = { pool = [ \"100 - 199\" ]; };\n", 3, "vlans.pool[0]",
     "is not a VLAN ID or a range"},
    {"VLAN backwards", BASE "vlans = { pool = [ \"100-199\",\n\t\"300-200\" ]; };\n", 4,
     "vlans.pool[1]", "\"300-200\": the range is backwards"},
    {"VLAN 4095", BASE "vlans = { pool = [ \"4000-4095\" ]; };\n", 3, "vlans.pool[0]",
     "VLAN ID outside 1..4094"},
    {"VLAN 0", BASE "vlans = { pool = [ 0 ]; };\n", 3, "vlans.pool[0]",
     "0 is out of range 1..4094"},
    {"VLAN overlap", BASE "vlans = { pool = [ \"100-199\", \"150-250\" ]; };\n", 3, "vlans.pool[1]",
     "150-250 overlaps 100-199 (pool[0])"},
    {"pool empty", BASE "vlans = { pool = [ ]; };\n", 3, "vlans.pool", "empty"},
    {"reserved outside the pool",
     BASE "vlans = {\n\tpool = [ \"100-199\" ];\n\treserved = [ 99 ];\n};\n", 5,
     "vlans.reserved[0]", "VLAN 99 is not in the pool"},
    {"reserved outside the default pool", BASE "vlans = { reserved = [ 1 ]; };\n", 3,
     "vlans.reserved[0]", "VLAN 1 is not in the pool"},
    {"reserved twice",
     BASE "vlans = { pool = [ \"100-199\" ];\n\treserved = ( 150, \"149-151\" ); };\n", 4,
     "vlans.reserved[1]", "VLAN 150 is reserved twice"},
    {"max_vnids", BASE "vlans = { max_vnids = -1; };\n", 3, "vlans.max_vnids",
     "-1 is out of range 0..4094"},
    /* timers */
    {"timer r", BASE "timers = {\n\tr = 8;\n};\n", 4, "timers.r", "8 is out of range 0..7"},
    {"timer rka", BASE "timers = { rte = 8;\n\trka = 32; };\n", 4, "timers.rka",
     "32 is out of range 0..31"},
    {"timer rwd", BASE "timers = { rwd = -1; };\n", 3, "timers.rwd", "-1 is out of range 0..31"},
    /* enums list what they accept */
    {"unknown_type", BASE "vnid = {\n\tunknown_type = \"dynamic\";\n};\n", 4, "vnid.unknown_type",
     "\"dynamic\" is not one of \"static\", \"vlan-only\", \"refuse\""},
    {"no_vlan_filtering", BASE "kernel = { no_vlan_filtering = \"ignore\"; };\n", 3,
     "kernel.no_vlan_filtering", "\"ignore\" is not one of \"nftables\", \"refuse\""},
    {"dhcp mode", BASE "dhcp = { mode = \"relay\"; };\n", 3, "dhcp.mode",
     "\"relay\" is not one of \"leasequery\", \"help\""},
    {"log level", BASE "log = { level = \"verbose\"; };\n", 3, "log.level",
     "is not one of \"debug\", \"info\", \"notice\", \"warning\", \"err\""},
    /* ACLs */
    {"acl action missing", BASE "device_acls = (\n\t{ dst = \"10.0.0.0/8\"; } );\n", 4,
     "device_acls[0].action", "missing: \"permit\" or \"deny\""},
    {"acl dir", BASE "device_acls = ( { action = \"deny\"; dir = \"in\"; } );\n", 3,
     "device_acls[0].dir", "\"in\" is not one of \"to-vm\", \"from-vm\", \"both\""},
    {"acl proto", BASE "device_acls = ( { action = \"deny\"; proto = \"gre\"; } );\n", 3,
     "device_acls[0].proto", "\"gre\" is not one of \"icmp\", \"tcp\", \"udp\""},
    {"acl proto number", BASE "device_acls = ( { action = \"deny\"; proto = 256; } );\n", 3,
     "device_acls[0].proto", "256 is out of range 0..255"},
    {"acl ethertype", BASE "device_acls = ( { action = \"deny\"; ethertype = 0x10000; } );\n", 3,
     "device_acls[0].ethertype", "65536 is out of range 0..65535"},
    {"prefix address",
     BASE "device_acls = ( { action = \"deny\";\n\tdst = \"10.0.0.300/8\"; } );\n", 4,
     "device_acls[0].dst", "\"10.0.0.300/8\" is not an IPv4 or IPv6 address or prefix"},
    {"prefix length", BASE "device_acls = ( { action = \"deny\"; src = \"10.0.0.0/33\"; } );\n", 3,
     "device_acls[0].src", "\"10.0.0.0/33\": the prefix length is more than 32"},
    {"prefix length text", BASE "device_acls = ( { action = \"deny\"; src = \"10.0.0.0/x\"; } );\n",
     3, "device_acls[0].src", "the prefix length is not a number"},
    {"prefix host bits", BASE "device_acls = ( { action = \"deny\"; dst = \"10.0.0.1/8\"; } );\n",
     3, "device_acls[0].dst", "\"10.0.0.1/8\" has bits set past the prefix length"},
    {"IPv6 host bits", BASE "device_acls = ( { action = \"deny\"; dst = \"2001:db8::1/32\"; } );\n",
     3, "device_acls[0].dst", "has bits set past the prefix length"},
    {"mixed families",
     BASE "device_acls = (\n\t{ action = \"deny\"; src = \"10.0.0.0/8\"; dst = \"2001:db8::/32\"; "
          "} );\n",
     4, "device_acls[0].dst", "IPv6, but src is IPv4"},
    {"ethertype vs prefix",
     BASE
     "device_acls = ( { action = \"deny\"; ethertype = 0x0800; dst = \"2001:db8::/32\"; } );\n",
     3, "device_acls[0].ethertype", "0x0800 does not match the IPv6 prefix"},
    {"port out of range",
     BASE "device_acls = ( { action = \"deny\"; proto = \"tcp\";\n\tdport = \"70000\"; } );\n", 4,
     "device_acls[0].dport", "\"70000\": port outside 0..65535"},
    {"port backwards",
     BASE "device_acls = ( { action = \"deny\"; proto = \"udp\"; sport = \"2000-1000\"; } );\n", 3,
     "device_acls[0].sport", "the range is backwards"},
    {"port syntax", BASE "device_acls = ( { action = \"deny\"; proto = 6; dport = \"http\"; } );\n",
     3, "device_acls[0].dport", "\"http\" is not a port or a range"},
    {"proto on a non-IP ethertype",
     BASE "device_acls = ( { action = \"deny\"; ethertype = 0x0806; proto = \"tcp\"; } );\n", 3,
     "device_acls[0].proto", "needs ethertype 0x0800, 0x86dd or none, not 0x0806"},
    {"ports without proto", BASE "device_acls = ( { action = \"deny\"; dport = 22; } );\n", 3,
     "device_acls[0].dport", "ports need proto \"tcp\", \"udp\" or \"sctp\""},
    /* types */
    {"type vnid missing", BASE "types = (\n\t{ vid = 5; } );\n", 4, "types[0].vnid", "missing"},
    {"duplicate vnid", BASE "types = ( { vnid = 5; },\n\t{ vnid = 5; } );\n", 4, "types[1].vnid",
     "5 is already defined (types[0])"},
    {"vnid over 24 bits", BASE "types = ( { vnid = 16777216; } );\n", 3, "types[0].vnid",
     "16777216 is out of range 0..16777215 (vnid.bits = 24)"},
    {"vnid negative", BASE "vnid = { bits = 32; };\ntypes = ( { vnid = -1; } );\n", 4,
     "types[0].vnid", "-1 is out of range 0..4294967295 (vnid.bits = 32)"},
    {"vnid bits", BASE "vnid = { bits = 16; };\n", 3, "vnid.bits", "must be 24 or 32, not 16"},
    {"type vid outside the pool",
     BASE "vlans = { pool = [ \"100-199\" ]; };\ntypes = ( { vnid = 5;\n\tvid = 200; } );\n", 5,
     "types[0].vid", "VLAN 200 is not in the pool"},
    {"type vid reserved",
     BASE "vlans = { pool = [ \"100-199\" ]; reserved = [ 150 ]; };\ntypes = ( { vnid = 5; vid = "
          "150; } );\n",
     4, "types[0].vid", "VLAN 150 is reserved"},
    {"type vid 4095", BASE "types = ( { vnid = 5; vid = 4095; } );\n", 3, "types[0].vid",
     "4095 is out of range 0..4094"},
    {"type vid shared", BASE "types = ( { vnid = 5; vid = 120; },\n\t{ vnid = 6; vid = 120; } );\n",
     4, "types[1].vid", "VLAN 120 is already the VLAN of VNID 5 (types[0])"},
    {"bandwidth dir",
     BASE "types = ( { vnid = 5;\n\tbandwidth = { dir = \"both\"; rate = 1; }; } );\n", 4,
     "types[0].bandwidth.dir", "\"both\" is not one of \"to-vm\", \"from-vm\""},
    {"bandwidth rate 0",
     BASE "types = ( { vnid = 5;\n\tbandwidth = { dir = \"to-vm\"; rate = 0; }; } );\n", 4,
     "types[0].bandwidth.rate", "0 is out of range 1..4294967295"},
    {"bandwidth without rate",
     BASE "types = ( { vnid = 5;\n\tbandwidth = { dir = \"to-vm\"; }; } );\n", 4,
     "types[0].bandwidth.rate", "missing"},
    {"bandwidth twice",
     BASE "types = ( { vnid = 5; bandwidth = (\n\t{ dir = \"to-vm\"; rate = 1; },\n\t{ dir = "
          "\"to-vm\"; rate = 2; } ); } );\n",
     5, "types[0].bandwidth[1].dir", "a second limit for \"to-vm\""},
    {"to-VM burst beyond htb",
     BASE "types = ( { vnid = 5; bandwidth = { dir = \"to-vm\"; rate = 10000;\n\tburst = "
          "4294967295L; }; } );\n",
     4, "types[0].bandwidth.burst",
     "burst 4294967295 octets lasts more than the 274 s htb holds at 10000 kbit/s (at most "
     "343597382)"},
    {"from-VM rate beyond nftables",
     BASE "types = ( { vnid = 5; bandwidth = { dir = \"from-vm\";\n\trate = 4294967295L; }; } );\n",
     4, "types[0].bandwidth.rate", "is more than nftables' limit holds"},
    {"qos pcp", BASE "types = ( { vnid = 5; qos = { pcp = 8; }; } );\n", 3, "types[0].qos.pcp",
     "8 is out of range 0..7"},
    {"qos pcp not programmable", BASE "types = ( { vnid = 5;\n\tqos = { pcp = 3; }; } );\n", 4,
     "types[0].qos", "pcp: PCP marking is not supported"},
    {"qos dscp", BASE "types = ( { vnid = 5; qos = { dscp = 64; }; } );\n", 3, "types[0].qos.dscp",
     "64 is out of range 0..63"},
    {"qos empty", BASE "types = ( { vnid = 5;\n\tqos = { }; } );\n", 4, "types[0].qos",
     "empty: give pcp, dscp or both"},
    {"snooping not boolean", BASE "types = ( { vnid = 5; dhcp_snooping = 1; } );\n", 3,
     "types[0].dhcp_snooping", "must be a boolean"},
    {"mcast unicast", BASE "types = ( { vnid = 5; mcast = \"10.0.0.1\"; } );\n", 3,
     "types[0].mcast", "\"10.0.0.1\" is not an IPv4 or IPv6 multicast address"},
    {"type acl error",
     BASE "types = ( { vnid = 5; acl = (\n\t{ action = \"deny\" ; dst = \"::1/200\"; } ); } );\n",
     4, "types[0].acl[0].dst", "the prefix length is more than 128"},
    /* files, control socket, DHCP, IGMP */
    {"control path too long",
     BASE "control = {\n\tpath = \"/" X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 "\"; };\n", 4,
     "control.path", "is too long (at most 107 characters)"},
    {"control path relative", BASE "control = { path = \"vdpd.sock\"; };\n", 3, "control.path",
     "\"vdpd.sock\" is not an absolute path"},
    {"control group unknown", BASE "control = {\n\tgroup = \"no-such-group-vdpd\"; };\n", 4,
     "control.group", "no group \"no-such-group-vdpd\""},
    {"idle timeout 0", BASE "control = { idle_timeout = 0; };\n", 3, "control.idle_timeout",
     "0 is out of range 1..600"},
    {"mode not octal", BASE "control = { mode = \"0968\"; };\n", 3, "control.mode",
     "\"0968\" is not an octal mode"},
    {"mode as integer", BASE "control = { mode = 660; };\n", 3, "control.mode",
     "must be a string of octal digits such as \"0660\""},
    {"mode too wide", BASE "control = { mode = \"01777\"; };\n", 3, "control.mode",
     "is not a permission mode (at most \"0777\")"},
    {"state_dir relative", BASE "state_dir = \"var/lib/vdpd\";\n", 3, "state_dir",
     "not an absolute path"},
    {"dhcp server IPv6 for leasequery",
     BASE "dhcp = { mode = \"leasequery\";\n\tserver = \"2001:db8::1\"; };\n", 4, "dhcp.server",
     "\"2001:db8::1\" is not an IPv4 address"},
    {"dhcp server name", BASE "dhcp = { server = \"dhcp.example\"; };\n", 3, "dhcp.server",
     "is not an IPv4 address"},
    {"dhcp server for help", BASE "dhcp = { mode = \"help\"; server = \"dhcp\"; };\n", 3,
     "dhcp.server", "\"dhcp\" is not an IP address"},
    {"igmp version", BASE "igmp = { version = 1; };\n", 3, "igmp.version",
     "1 is out of range 2..3"},
};

START_TEST(test_bad)
{
	assert_text_fails(bad[_i].what, bad[_i].text, bad[_i].line, bad[_i].key, bad[_i].msg);
}
END_TEST

/* --- the CONF_MAX_* limits, with generated files ------------------------------ */

static void port_item(char *buf, size_t cap, unsigned i)
{
	snprintf(buf, cap, "\"p%u\"", i);
}

static void uplink_item(char *buf, size_t cap, unsigned i)
{
	snprintf(buf, cap, "\"u%u\"", i);
}

static void type_item(char *buf, size_t cap, unsigned i)
{
	snprintf(buf, cap, "{ vnid = %u; }", i);
}

static void acl_item(char *buf, size_t cap, unsigned i)
{
	snprintf(buf, cap, "{ action = \"deny\"; proto = %u; }", i);
}

/* "bridge" on line 1, then "key = ( item(0), ..., item(n - 1) );" on line
 * 2, then the rest. */
static void assert_too_many(const char *key, void (*item)(char *, size_t, unsigned), unsigned n,
                            const char *rest, const char *msg)
{
	size_t cap = 64 * 1024, len;
	char *text = malloc(cap), one[128];

	ck_assert_ptr_nonnull(text);
	len = (size_t)snprintf(text, cap, "bridge = \"br0\";\n%s = (", key);
	for (unsigned i = 0; i < n; i++) {
		item(one, sizeof(one), i);
		len += (size_t)snprintf(text + len, cap - len, "%s%s", i ? ", " : " ", one);
	}
	snprintf(text + len, cap - len, " );\n%s", rest);
	assert_text_fails(key, text, 2, key, msg);
	free(text);
}

START_TEST(test_too_many_ports)
{
	assert_too_many("ports", port_item, CONF_MAX_PORTS + 1, "",
	                "too many entries: 65 (at most 64)");
}
END_TEST

START_TEST(test_too_many_uplinks)
{
	assert_too_many("uplinks", uplink_item, CONF_MAX_UPLINKS + 1, "ports = [ \"p\" ];\n",
	                "too many entries: 9 (at most 8)");
}
END_TEST

START_TEST(test_too_many_types)
{
	assert_too_many("types", type_item, CONF_MAX_TYPES + 1, "ports = [ \"p\" ];\n",
	                "too many entries: 65 (at most 64)");
}
END_TEST

START_TEST(test_too_many_device_acls)
{
	assert_too_many("device_acls", acl_item, CONF_MAX_DEVICE_ACLS + 1, "ports = [ \"p\" ];\n",
	                "too many entries: 65 (at most 64)");
}
END_TEST

START_TEST(test_too_many_ranges)
{
	char text[2048];
	size_t len = (size_t)snprintf(text, sizeof(text), BASE "vlans = {\n\tpool = [");

	for (unsigned i = 0; i <= CONF_MAX_RANGES; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\"%u\"", i ? ", " : " ",
		                        100 + 2 * i);
	snprintf(text + len, sizeof(text) - len, " ]; };\n");
	assert_text_fails("ranges", text, 4, "vlans.pool", "too many entries: 17 (at most 16)");
}
END_TEST

/* A range expands to single reserved VLANs, which count one by one. */
START_TEST(test_too_many_reserved)
{
	assert_text_fails("reserved", BASE "vlans = {\n\treserved = [ \"100-164\" ]; };\n", 4,
	                  "vlans.reserved[0]", "too many reserved VLANs (at most 64)");
}
END_TEST

/* Ten ACLs do not fit a 511-octet Policy Sync TLV; nine do. */
START_TEST(test_policy_too_long)
{
	char text[4096];
	const char *acl = "{ action = \"deny\"; }";
	size_t len = (size_t)snprintf(text, sizeof(text), BASE "types = (\n\t{ vnid = 5; acl = (");

	for (unsigned i = 0; i < 10; i++)
		len +=
		    (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", i ? ", " : " ", acl);
	snprintf(text + len, sizeof(text) - len, " ); } );\n");
	assert_text_fails("policy size", text, 4, "types[0]",
	                  "the policy takes 527 octets, more than a Policy Sync TLV carries (511)");

	char *last = strrchr(text, '{');
	memmove(last - 2, last + strlen(acl), strlen(last + strlen(acl)) + 1);
	char path[512];
	write_tmp(text, path, sizeof(path));
	int rc = conf_load(path, c, err, sizeof(err));
	unlink(path);
	ck_assert_msg(rc == 0, "nine ACLs: %s", err);
	ck_assert_uint_eq(c->types[0].policy.nentries, 9);
}
END_TEST

/* --- queries ------------------------------------------------------------------------- */

START_TEST(test_vid_in_pool)
{
	load_ok(fixture("full.conf")); /* 100-199, 300-310, 400; reserved 150, 152, 153 */
	static const struct {
		uint16_t vid;
		bool in;
	} cases[] = {
	    {0, false},    {1, false},    {99, false},    {100, true},  {149, true}, {150, false},
	    {151, true},   {152, false},  {153, false},   {154, true},  {199, true}, {200, false},
	    {299, false},  {300, true},   {310, true},    {311, false}, {400, true}, {401, false},
	    {4094, false}, {4095, false}, {65535, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(conf_vid_in_pool(c, cases[i].vid) == cases[i].in, "VLAN %u: want %d",
		              cases[i].vid, cases[i].in);

	conf_defaults(c); /* 2-4094 */
	ck_assert(!conf_vid_in_pool(c, 0));
	ck_assert(!conf_vid_in_pool(c, 1));
	ck_assert(conf_vid_in_pool(c, 2));
	ck_assert(conf_vid_in_pool(c, 4094));
	ck_assert(!conf_vid_in_pool(c, 4095));
}
END_TEST

START_TEST(test_port_lookup)
{
	load_ok(fixture("full.conf"));
	const struct conf_port *p = conf_port(c, "veth-h1");
	ck_assert_ptr_eq(p, &c->ports[0]);
	ck_assert_uint_eq(p->max_vsis, 64);
	ck_assert_ptr_eq(conf_port(c, "veth-h3"), &c->ports[2]);
	ck_assert_ptr_null(conf_port(c, "veth-h"));
	ck_assert_ptr_null(conf_port(c, "eth0")); /* an uplink is not a served port */
	ck_assert_ptr_null(conf_port(c, "br-lab"));
	ck_assert_ptr_null(conf_port(c, ""));
}
END_TEST

START_TEST(test_type_lookup)
{
	load_ok(fixture("full.conf"));
	ck_assert_ptr_eq(conf_type(c, 5), &c->types[0]);
	ck_assert_ptr_eq(conf_type(c, 3000000000u), &c->types[1]);
	ck_assert_ptr_eq(conf_type(c, 7), &c->types[2]);
	ck_assert_ptr_null(conf_type(c, 6));
	ck_assert_ptr_null(conf_type(c, 0));
	conf_defaults(c);
	ck_assert_ptr_null(conf_type(c, 5));
}
END_TEST

/* A failed load after a good one leaves the good one in place (SIGHUP). */
START_TEST(test_failed_reload_keeps_conf)
{
	static struct conf saved;

	load_ok(fixture("full.conf"));
	memcpy(&saved, c, sizeof(saved));
	ck_assert_int_eq(conf_load(fixture("include-bad.conf"), c, err, sizeof(err)), -1);
	ck_assert_mem_eq(&saved, c, sizeof(saved));
	ck_assert_int_eq(conf_load(fixture("syntax.conf"), c, err, sizeof(err)), -1);
	ck_assert_mem_eq(&saved, c, sizeof(saved));
}
END_TEST

static Suite *conf_suite(void)
{
	Suite *s = suite_create("conf");
	TCase *tc;

	tc = tcase_create("valid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_full_top);
	tcase_add_test(tc, test_full_types);
	tcase_add_test(tc, test_full_device_acls);
	tcase_add_test(tc, test_full_policies_encode);
	tcase_add_test(tc, test_full_deterministic);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_example);
	tcase_add_test(tc, test_unusual_names);
	tcase_add_test(tc, test_include);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_include_error);
	tcase_add_test(tc, test_syntax_error);
	tcase_add_test(tc, test_duplicate_setting);
	tcase_add_test(tc, test_missing_file);
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_too_many_ports);
	tcase_add_test(tc, test_too_many_uplinks);
	tcase_add_test(tc, test_too_many_types);
	tcase_add_test(tc, test_too_many_device_acls);
	tcase_add_test(tc, test_too_many_ranges);
	tcase_add_test(tc, test_too_many_reserved);
	tcase_add_test(tc, test_policy_too_long);
	tcase_add_test(tc, test_failed_reload_keeps_conf);
	suite_add_tcase(s, tc);

	tc = tcase_create("queries");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_vid_in_pool);
	tcase_add_test(tc, test_port_lookup);
	tcase_add_test(tc, test_type_lookup);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(conf_suite());

	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
