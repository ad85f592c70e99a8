/* SPDX-License-Identifier: ISC */
/* vdpd: what the running kernel can do for the netlink backend.  Probed
 * once at open, in the current network namespace, by trying each feature on
 * throwaway objects (kcaps.c); each missing one is logged in one line that
 * names the kernel option. */
#ifndef VDPD_KCAPS_H
#define VDPD_KCAPS_H

#include <stdbool.h>

#include "kernel/backend.h"
#include "kernel/nlsock.h"

enum kcap {
	KCAP_BRIDGE,         /* Linux bridge */
	KCAP_VLAN_FILTERING, /* bridge VLAN filtering: port VLAN membership */
	KCAP_NFT_BRIDGE,     /* nf_tables bridge family: ACLs, marks, fallback */
	KCAP_NFT_LIMIT,      /* nft limit: from-VM bandwidth */
	KCAP_HTB,            /* tc htb: to-VM bandwidth */
	KCAP_COUNT
};

struct kcaps {
	bool have[KCAP_COUNT];
	char why[KCAP_COUNT][160]; /* the kernel's answer when missing */
};

const char *kcap_name(enum kcap c);   /* "bridge VLAN filtering" */
const char *kcap_option(enum kcap c); /* "CONFIG_BRIDGE_VLAN_FILTERING" */

void kcaps_probe(struct nlsock *rt, struct nlsock *nf, struct kcaps *out);
/* One line per missing feature; `vlan_effect` says what the backend does
 * without VLAN filtering. */
void kcaps_log(const struct backend *be, const struct kcaps *c, const char *vlan_effect);

#endif
