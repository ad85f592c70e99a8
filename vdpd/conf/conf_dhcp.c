/* SPDX-License-Identifier: ISC */
/* vdpd: vdpd.conf(5)'s migration settings beyond dhcp.mode, dhcp.server and
 * igmp.version (which conf.c parses):
 *
 *   dhcp = { timeout = 1000; retries = 2; help_timeout = 5000;
 *            max_bindings = 256;
 *            vnids = ( { vnid = 61; mode = "help"; } ); };
 *   igmp = { max_response = 5; queries = 2; };
 */
#include <arpa/inet.h>
#include <string.h>

#include "conf/conf.h"
#include "conf/conf_parse.h"

void conf_migration_defaults(struct conf *c)
{
	c->dhcp_timeout_ms = 1000;
	c->dhcp_retries = 2;
	c->dhcp_help_timeout_ms = 5000;
	c->dhcp_max_bindings = 256;
	c->ndhcp_vnids = 0;
	c->igmp_max_response = 5;
	c->igmp_queries = 2;
}

static const char *const vnid_keys[] = {"vnid", "mode", NULL};
static const struct conf_enum modes[] = {
    {"leasequery", CONF_DHCP_LEASEQUERY},
    {"help", CONF_DHCP_HELP},
    {NULL, 0},
};

/* Leasequery is DHCPv4: a VNID in that mode needs an IPv4 dhcp.server. */
static bool server_is_ipv4(const config_setting_t *dhcp)
{
	const config_setting_t *s = config_setting_get_member(dhcp, "server");
	const char *t = s ? config_setting_get_string(s) : NULL;
	uint8_t a[4];
	return !t || inet_pton(AF_INET, t, a) == 1;
}

static int vnid_entry(struct conf_ctx *x, const config_setting_t *dhcp, const config_setting_t *e)
{
	struct conf *c = x->c;
	const config_setting_t *v = config_setting_get_member(e, "vnid");
	long long vnid;
	int mode = (int)c->dhcp_mode;

	if (!config_setting_is_group(e))
		return conf_wrong_type(x, e, "a group { vnid = N; mode = \"...\"; }");
	if (conf_check_keys(x, e, vnid_keys) < 0)
		return -1;
	if (!v)
		return conf_fail_in(x, e, "vnid", "missing: name the VNID");
	if (conf_int(x, v, 0, c->vnid_32bit ? UINT32_MAX : 0xffffff, &vnid) < 0 ||
	    conf_opt_enum(x, e, "mode", modes, &mode) < 0)
		return -1;
	for (unsigned i = 0; i < c->ndhcp_vnids; i++)
		if (c->dhcp_vnids[i].vnid == (uint32_t)vnid)
			return conf_fail(x, v, "VNID %lld is listed twice", vnid);
	if (mode == CONF_DHCP_LEASEQUERY && !server_is_ipv4(dhcp))
		return conf_fail(x, e, "leasequery (DHCPv4) needs an IPv4 dhcp.server");
	c->dhcp_vnids[c->ndhcp_vnids].vnid = (uint32_t)vnid;
	c->dhcp_vnids[c->ndhcp_vnids].mode = (enum conf_dhcp_mode)mode;
	c->ndhcp_vnids++;
	return 0;
}

int conf_parse_dhcp_more(struct conf_ctx *x, const config_setting_t *dhcp)
{
	struct conf *c = x->c;
	const struct {
		const char *key;
		long long lo, hi;
		unsigned *field;
	} n[] = {
	    {"timeout", 10, 60000, &c->dhcp_timeout_ms},
	    {"retries", 0, 10, &c->dhcp_retries},
	    {"help_timeout", 100, 600000, &c->dhcp_help_timeout_ms},
	    {"max_bindings", 1, 65535, &c->dhcp_max_bindings},
	};
	config_setting_t *vnids;

	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++) {
		long long v = *n[i].field;
		if (conf_opt_int(x, dhcp, n[i].key, n[i].lo, n[i].hi, &v) < 0)
			return -1;
		*n[i].field = (unsigned)v;
	}
	if (conf_opt_seq(x, dhcp, "vnids", CONF_MAX_DHCP_VNIDS, &vnids) < 0)
		return -1;
	c->ndhcp_vnids = 0;
	for (int i = 0; vnids && i < config_setting_length(vnids); i++)
		if (vnid_entry(x, dhcp, config_setting_get_elem(vnids, (unsigned)i)) < 0)
			return -1;
	return 0;
}

int conf_parse_igmp_more(struct conf_ctx *x, const config_setting_t *igmp)
{
	long long mr = x->c->igmp_max_response, q = x->c->igmp_queries;

	/* Max Resp Code 1..127 is linear (tenths of a second) in both versions. */
	if (conf_opt_int(x, igmp, "max_response", 1, 127, &mr) < 0 ||
	    conf_opt_int(x, igmp, "queries", 1, 5, &q) < 0)
		return -1;
	x->c->igmp_max_response = (uint8_t)mr;
	x->c->igmp_queries = (uint8_t)q;
	return 0;
}
