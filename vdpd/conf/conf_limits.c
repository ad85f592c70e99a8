/* SPDX-License-Identifier: ISC */
/* vdpd: fairness between ports in vdpd.conf(5): the limits = { } group
 * (the defaults every port gets) and the same limits in a port's group.
 *
 * A hypervisor is not trusted: these bound what one port can take of the
 * VLAN pool and the VNID table, and how fast it can make new VSIs, so that
 * a flood from one port leaves room and time for the others.  What 0 means
 * ("the automatic share") is decided in core/fairness.c, where the pool's
 * size is known. */
#include "conf/conf.h"
#include "conf/conf_parse.h"

void conf_limits_defaults(struct conf *c)
{
	c->new_vsi_rate = CONF_DEFAULT_NEW_VSI_RATE;
	c->new_vsi_burst = CONF_DEFAULT_NEW_VSI_BURST;
	c->rx_budget = CONF_DEFAULT_RX_BUDGET;
	c->rx_buffer = CONF_DEFAULT_RX_BUFFER;
	c->rx_rate = CONF_DEFAULT_RX_RATE;
	c->rx_burst = CONF_DEFAULT_RX_BURST;
}

struct limit_key {
	const char *key;
	long long lo, hi;
	unsigned *field;
};

static int parse_keys(struct conf_ctx *x, const config_setting_t *g, const struct limit_key *k,
                      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		long long v = *k[i].field;
		if (conf_opt_int(x, g, k[i].key, k[i].lo, k[i].hi, &v) < 0)
			return -1;
		*k[i].field = (unsigned)v;
	}
	return 0;
}

int conf_parse_port_limits(struct conf_ctx *x, const config_setting_t *s, struct conf_port *p)
{
	const struct limit_key k[] = {
	    {"max_vlans", 1, VDP_VID_MAX, &p->max_vlans},
	    {"max_vnids", 1, CONF_MAX_VNIDS_LIMIT, &p->max_vnids},
	    {"new_vsi_rate", 1, CONF_MAX_NEW_VSI_RATE, &p->new_vsi_rate},
	    {"new_vsi_burst", 1, CONF_MAX_NEW_VSI_BURST, &p->new_vsi_burst},
	};
	return parse_keys(x, s, k, sizeof(k) / sizeof(k[0]));
}

static const char *const limits_keys[] = {"port_vlans",    "port_vnids", "new_vsi_rate",
                                          "new_vsi_burst", "rx_budget",  "rx_buffer",
                                          "rx_rate",       "rx_burst",   NULL};

int conf_parse_limits(struct conf_ctx *x, const config_setting_t *root)
{
	struct conf *c = x->c;
	config_setting_t *g;
	const struct limit_key k[] = {
	    {"port_vlans", 0, VDP_VID_MAX, &c->port_max_vlans},
	    {"port_vnids", 0, CONF_MAX_VNIDS_LIMIT, &c->port_max_vnids},
	    {"new_vsi_rate", 1, CONF_MAX_NEW_VSI_RATE, &c->new_vsi_rate},
	    {"new_vsi_burst", 0, CONF_MAX_NEW_VSI_BURST, &c->new_vsi_burst},
	    {"rx_budget", 1, 4096, &c->rx_budget},
	    {"rx_buffer", 4096, 64 << 20, &c->rx_buffer},
	    {"rx_rate", 1, 1000000, &c->rx_rate},
	    {"rx_burst", 1, 1000000, &c->rx_burst},
	};
	if (conf_opt_group(x, root, "limits", limits_keys, &g) < 0)
		return -1;
	return g ? parse_keys(x, g, k, sizeof(k) / sizeof(k[0])) : 0;
}
