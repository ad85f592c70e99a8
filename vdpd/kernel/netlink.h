/* SPDX-License-Identifier: ISC */
/* vdpd: internals of the netlink backend, shared by its files:
 *   netlink.c  open / apply / flush / close and the undo log
 *   vlan.c     bridge links and port VLANs over rtnetlink
 *   tc.c       htb qdisc and classes (tc) built with libnl-route
 *   nft.c      table "bridge vdpd": snapshot, rules, sets, batch
 *   nft_expr.c         nftables expression builders
 *   kcaps.c            what the running kernel can do
 * Nothing here is part of the backend's interface (backend.h). */
#ifndef VDPD_BACKEND_NL_H
#define VDPD_BACKEND_NL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "kernel/backend.h"
#include "kernel/kcaps.h"
#include "kernel/nlsock.h"
#include "ratelimit.h"

/* The handle major of the root htb qdisc vdpd puts on a port ("7664:" is
 * "vd"), which is also how flush_owned recognises what it owns. */
#define VDPD_TC_MAJOR    0x7664U
#define VDPD_TC_HANDLE   (VDPD_TC_MAJOR << 16)
#define VDPD_TC_MINOR_LO 0x10U /* first per-VSI class minor */

#define VDPD_NFT_TABLE "vdpd"

/* Burst of a rate (bytes): the policy's, or the default (common/ratelimit.h).
 * Shared by the htb class and the from-VM policer. */
static inline uint32_t backend_burst(const struct vdp_pol_bandwidth *bw)
{
	return bw->burst ? bw->burst : rate_burst_default(bw->rate_kbps);
}

/* ---- bridge links and VLANs (vlan.c) ---- */

struct rtlink {
	int ifindex;
	int master;         /* 0 if none */
	char kind[16];      /* IFLA_INFO_KIND, "" if none */
	int vlan_filtering; /* bridges: 0/1, -1 when the kernel does not say */
};

int rtlink_get(struct nlsock *rt, const char *name, struct rtlink *out, struct nlans *ans);
int rtlink_bridge_create(struct nlsock *rt, const char *name, struct nlans *ans);
int rtlink_bridge_set_filtering(struct nlsock *rt, int ifindex, bool on, struct nlans *ans);
int rtlink_del(struct nlsock *rt, int ifindex, struct nlans *ans);
/* RTM_SETLINK / RTM_DELLINK AF_BRIDGE with one IFLA_BRIDGE_VLAN_INFO. */
int rtlink_vlan(struct nlsock *rt, int ifindex, bool add, uint16_t vid, uint16_t flags,
                struct nlans *ans);

/* Port VLAN memberships of every bridge port, read at the start of a batch
 * and kept up to date while it runs. */
struct vlan_ent {
	int ifindex;
	uint16_t vid, flags;
};
struct vlan_tab {
	struct vlan_ent *v;
	size_t n, cap;
};
int vlan_tab_load(struct nlsock *rt, struct vlan_tab *t, struct nlans *ans);
struct vlan_ent *vlan_tab_find(struct vlan_tab *t, int ifindex, uint16_t vid);
int vlan_tab_add(struct vlan_tab *t, int ifindex, uint16_t vid, uint16_t flags);
void vlan_tab_remove(struct vlan_tab *t, struct vlan_ent *e);
void vlan_tab_free(struct vlan_tab *t);

/* ---- tc (tc.c) ---- */

struct tc_class {
	uint32_t handle;
	uint64_t rate;  /* bytes/s */
	uint32_t burst; /* bytes */
};
/* Ensures the root qdisc of ifindex is vdpd's htb.  *created tells the
 * caller to undo it.  Refuses (-EEXIST) a root qdisc someone else put. */
int tc_root_ensure(struct nlsock *rt, int ifindex, bool *created, struct nlans *ans, char *why,
                   size_t whycap);
int tc_root_del(struct nlsock *rt, int ifindex, struct nlans *ans);
/* 1 and *out when vdpd's class handle exists on ifindex, 0 if not. */
int tc_class_get(int ifindex, uint32_t handle, struct tc_class *out);
/* Lowest free minor >= VDPD_TC_MINOR_LO under vdpd's qdisc, or 0. */
uint32_t tc_class_free_minor(int ifindex);
int tc_class_set(struct nlsock *rt, int ifindex, const struct tc_class *c, struct nlans *ans);
int tc_class_del(struct nlsock *rt, int ifindex, uint32_t handle, struct nlans *ans);
/* Probe: can an htb root qdisc be put on ifindex? */
int tc_probe_htb(struct nlsock *rt, int ifindex, struct nlans *ans);
/* Root qdiscs with vdpd's handle, on every link of the netns, deleted. */
int tc_flush_owned(struct nlsock *rt, struct nlans *ans, char *what, size_t cap);

/* ---- nftables (nft.c) ---- */

struct nft_rule_ref {
	char chain[16];
	uint64_t handle;
	char comment[128];
	uint32_t rule_id; /* added by the batch being built: its NFTA_RULE_ID */
	bool gone;        /* deleted by the batch being built */
};
struct nft_vidset {
	char port[IFNAMSIZ];
	uint16_t *vids;
	size_t n, cap;
};
struct nft_snap {
	struct nft_rule_ref *rules;
	size_t nrules, rcap;
	struct nft_vidset *sets;
	size_t nsets, scap;
};

/* A batch under construction: which op produced each message, so that an
 * error can be traced back to it. */
struct nft_batch {
	char *buf;
	size_t cap;
	struct mnl_nlmsg_batch *b;
	uint32_t seq0, nmsg;
	long *opidx;
	size_t opcap;
	uint32_t next_id; /* batch-local ids of new sets and rules */
	const char *table;
};

int nft_snap_load(struct nlsock *nf, struct nft_snap *s, struct nlans *ans);
void nft_snap_free(struct nft_snap *s);
/* First live rule whose comment starts with key ("" match all), or NULL. */
struct nft_rule_ref *nft_snap_rule(struct nft_snap *s, const char *key);

int nft_batch_start(struct nft_batch *nb, struct nlsock *nf);
void nft_batch_free(struct nft_batch *nb);
/* Sends it; on error *failed_op is the op of the failing message or -1. */
int nft_batch_commit(struct nft_batch *nb, struct nlsock *nf, long *failed_op, struct nlans *ans);

/* Table "bridge vdpd" and its chains: created if missing (idempotent). */
int nft_batch_table(struct nft_batch *nb, long op);
int nft_batch_del_table(struct nft_batch *nb, long op);
/* The op's nft part, appended to the batch; the snapshot follows along.
 * 0, or a negative errno with why filled (invalid op). */
/* The rules every table has: ECP and LLDP frames for the nearest-customer-
 * bridge address are not forwarded (with STP off a Linux bridge floods
 * 01:80:C2:00:00:00; each station must hear only its own bridge port). */
int nft_trap_rules(struct nft_batch *nb, struct nft_snap *s);
int nft_batch_op(struct nft_batch *nb, struct nft_snap *s, const struct kop *op, long idx,
                 uint32_t classid, char *why, size_t whycap);
/* Key under which a rate's mark rule is stored; carries the class. */
void nft_rate_key(const struct kop *op, char *buf, size_t cap);
/* The class handle a to-VM rate rule points at, 0 if none. */
uint32_t nft_rate_class(struct nft_snap *s, const struct kop *op);

/* Probe: can a bridge-family base chain be created?  And a limit rule? */
int nft_probe(struct nlsock *nf, bool with_limit, struct nlans *ans);

/* ---- the backend's private state (netlink.c) ---- */

struct nlbe {
	char bridge[IFNAMSIZ];
	int br_ifindex;
	struct nlsock rt, nf;
	struct kcaps caps;
	bool vlan_nft; /* VLAN membership enforced by nftables */
	bool pcp_warned;
};

#endif
