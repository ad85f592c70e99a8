/* SPDX-License-Identifier: ISC */
/* vdpd: kernel capability probe.
 *
 * Asking is not enough (a bridge accepts IFLA_BR_VLAN_FILTERING only when
 * built with CONFIG_BRIDGE_VLAN_FILTERING; nf_tables may lack the bridge
 * family; qdisc kinds are modules), so each feature is tried:
 *   - a throwaway bridge "vdpdprobeNNNNN" is created, vlan_filtering is
 *     switched on on it and an htb root qdisc put on it; it is then deleted;
 *   - a throwaway nftables table "bridge vdpd_probe" with a forward base
 *     chain (and then a rule using `limit`) is created and deleted in one
 *     transaction, so nothing of it is ever committed.
 * The served bridge is not touched here. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "kernel/netlink.h"
#include "kernel/kcaps.h"

static const struct {
	const char *name, *option, *use;
} info[KCAP_COUNT] = {
    [KCAP_BRIDGE] = {"Linux bridge", "CONFIG_BRIDGE", "every bridge operation"},
    [KCAP_VLAN_FILTERING] = {"bridge VLAN filtering", "CONFIG_BRIDGE_VLAN_FILTERING",
                             "VLAN membership of bridge ports"},
    [KCAP_NFT_BRIDGE] = {"nftables bridge family", "CONFIG_NF_TABLES_BRIDGE",
                         "ACLs, QoS marking and bandwidth steering"},
    [KCAP_NFT_LIMIT] = {"nftables limit expression", "CONFIG_NFT_LIMIT",
                        "from-VM bandwidth limits"},
    [KCAP_HTB] = {"tc htb qdisc", "CONFIG_NET_SCH_HTB", "to-VM bandwidth limits"},
};

const char *kcap_name(enum kcap c)
{
	return info[c].name;
}

const char *kcap_option(enum kcap c)
{
	return info[c].option;
}

static void miss(struct kcaps *k, enum kcap c, const struct nlans *ans, const char *what)
{
	k->have[c] = false;
	if (ans)
		nlans_str(ans, k->why[c], sizeof(k->why[c]));
	else
		snprintf(k->why[c], sizeof(k->why[c]), "%s", what);
}

static void probe_bridge(struct nlsock *rt, struct kcaps *k)
{
	char name[IFNAMSIZ];
	struct rtlink l;
	struct nlans ans;

	snprintf(name, sizeof(name), "vdpdprobe%d", (int)(getpid() % 100000));
	if (rtlink_bridge_create(rt, name, &ans) == -EEXIST) {
		/* Left over by a process that died mid-probe. */
		if (rtlink_get(rt, name, &l, &ans) == 0)
			rtlink_del(rt, l.ifindex, &ans);
		rtlink_bridge_create(rt, name, &ans);
	}
	if (ans.err < 0) {
		miss(k, KCAP_BRIDGE, &ans, NULL);
		miss(k, KCAP_VLAN_FILTERING, NULL, "no bridge to try it on");
		miss(k, KCAP_HTB, NULL, "no bridge to try it on");
		return;
	}
	if (rtlink_get(rt, name, &l, &ans) < 0) {
		miss(k, KCAP_VLAN_FILTERING, &ans, NULL);
		miss(k, KCAP_HTB, &ans, NULL);
		return;
	}
	if (rtlink_bridge_set_filtering(rt, l.ifindex, true, &ans) < 0)
		miss(k, KCAP_VLAN_FILTERING, &ans, NULL);
	if (tc_probe_htb(rt, l.ifindex, &ans) < 0)
		miss(k, KCAP_HTB, &ans, NULL);
	rtlink_del(rt, l.ifindex, &ans);
}

void kcaps_probe(struct nlsock *rt, struct nlsock *nf, struct kcaps *k)
{
	struct nlans ans;

	memset(k, 0, sizeof(*k));
	for (int c = 0; c < KCAP_COUNT; c++)
		k->have[c] = true;
	probe_bridge(rt, k);
	if (nft_probe(nf, false, &ans) < 0) {
		miss(k, KCAP_NFT_BRIDGE, &ans, NULL);
		miss(k, KCAP_NFT_LIMIT, NULL, "no nftables bridge family to try it in");
	} else if (nft_probe(nf, true, &ans) < 0) {
		miss(k, KCAP_NFT_LIMIT, &ans, NULL);
	}
}

void kcaps_log(const struct backend *be, const struct kcaps *k, const char *vlan_effect)
{
	for (int c = 0; c < KCAP_COUNT; c++) {
		char effect[128];

		if (k->have[c])
			continue;
		if (c == KCAP_VLAN_FILTERING && vlan_effect)
			snprintf(effect, sizeof(effect), "%s", vlan_effect);
		else
			snprintf(effect, sizeof(effect), "%s will fail", info[c].use);
		backend_logf(be, LOG_WARNING, "kernel lacks %s (%s): %s; %s", info[c].name,
		             info[c].option, k->why[c], effect);
	}
}
