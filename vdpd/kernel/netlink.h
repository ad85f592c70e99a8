/* SPDX-License-Identifier: ISC */
/* vdpd: internals of the netlink backend, shared by its files:
 *   netlink.c  open / apply / flush / close and the undo log
 *   vlan.c     bridge links and port VLANs over rtnetlink
 *   tc.c       htb qdisc and classes (tc) built with libnl-route
 *   nft_model.c        what vdpd programmed in table "bridge vdpd"
 *   nft.c      table "bridge vdpd": chains, rules, sets, the batch
 *   nft_rules.c        the nftables part of each op
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

/* ---- nftables: the model (nft_model.c) and the batch (nft.c) ---- */

/* The model is what vdpd programmed in table "bridge vdpd", read from the
 * kernel once (at open, and again only after a batch failed or the table
 * vanished) and then kept up to date by each batch, so that a change costs
 * the objects it changes, not a read of the table.  Rules are found by
 * their identity (the comment, up to a " class " suffix), elements of the
 * per-VSI sets by (set, port, vid, mac); both hash-indexed. */
struct nft_rule_ref {
	struct nft_rule_ref *next;         /* hash chain, or the batch's dead list */
	struct nft_rule_ref *pending_next; /* the batch's pending list */
	char chain[64];                    /* NFT_PORT_OBJECT_SIZE */
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

/* The per-VSI sets: a fact about one VSI is one element, looked up by one
 * rule (nft_rules.c).  The _ANY sets hold the facts whose vid is 0 (any VLAN,
 * tagged or not): their key has no vlan id. */
enum nft_vsiset {
	NFT_SET_GUARD,     /* guards:            iifname . vlan id . ether saddr */
	NFT_SET_GUARD_ANY, /* guards_anyvid:     iifname . ether saddr */
	NFT_SET_DHCP,      /* dhcp_blocks:       iifname . vlan id . ether saddr */
	NFT_SET_DHCP_ANY,  /* dhcp_blocks_anyvid: iifname . ether saddr */
	NFT_VSISET_COUNT,
	/* An ACL's members: the VSIs of VLAN vid (0: any) with ACL value
	 * `group` (its hash), set acl_VID_HASH keyed iifname . ether saddr,
	 * looked up by the ACL's one rule per direction (nft_rules.c). */
	NFT_SET_ACL = NFT_VSISET_COUNT,
	NFT_SET_GROUP, /* not an element: the member count of one ACL set */
};
struct nft_elem {
	struct nft_elem *next;
	uint8_t set; /* enum nft_vsiset */
	uint16_t vid;
	uint8_t mac[6];
	char port[IFNAMSIZ];
	uint32_t group; /* NFT_SET_ACL, NFT_SET_GROUP: the ACL's hash */
	uint32_t count; /* NFT_SET_GROUP: members */
};

struct nft_snap {
	struct nft_rule_ref **rb; /* rule buckets */
	size_t nrb, nrules;
	struct nft_elem **eb; /* element buckets */
	size_t neb, nelems;
	struct nft_vidset *sets;
	size_t nsets, scap;
	bool table;                    /* the table was there when read */
	bool vsiset[NFT_VSISET_COUNT]; /* and these sets in it */
	struct nft_elem *aclsets;      /* and these ACL sets (while read) */
	size_t naclsets, aclcap;
	/* The batch being built: the rules it adds (their handles come back
	 * in the kernel's echo) and the ones it deletes (freed at its end). */
	struct nft_rule_ref *pending; /* newest first */
	struct nft_rule_ref *dead;
	bool stale; /* a rule's handle is unknown: read the table again */
};

/* Deletes the older layout's chain "vlan" (its rules first); 0 or -errno
 * (-ENOENT: there was none). */
int nft_drop_old_chains(struct nlsock *nf);
/* Reads the table (rules, sets, elements): the only dumps the backend does. */
int nft_snap_load(struct nlsock *nf, struct nft_snap *s, struct nlans *ans);
void nft_snap_free(struct nft_snap *s);
/* First live rule whose identity is key, or NULL. */
struct nft_rule_ref *nft_snap_rule(struct nft_snap *s, const char *key);
/* Records a rule the batch being built adds. */
int nft_snap_pending(struct nft_snap *s, const char *chain, const char *comment, uint32_t id);
/* Takes ref out of the model (the batch deletes it). */
void nft_snap_unlink(struct nft_snap *s, struct nft_rule_ref *ref);
/* The batch was committed: pending rules without a handle from the echo make
 * the model stale; deleted ones are freed. */
void nft_snap_committed(struct nft_snap *s);
/* The kernel's echo of one added rule (an mnl_cb_t over struct nft_snap):
 * gives the pending rule its handle. */
int nft_snap_echo_cb(const struct nlmsghdr *nlh, void *data);
struct nft_elem *nft_snap_elem(struct nft_snap *s, const struct nft_elem *key);
int nft_snap_elem_put(struct nft_snap *s, const struct nft_elem *key, bool add);
/* Members of ACL set (vid, group) after adding delta (+1, -1, 0). */
uint32_t nft_snap_group(struct nft_snap *s, uint16_t vid, uint32_t group, int delta);
/* "acl_100_766f6b34" */
void nft_aclset_name(uint16_t vid, uint32_t group, char *buf, size_t cap);
/* Calls fn for every rule (or element) of one model missing from the other,
 * e.g. the model against a fresh read of the kernel: "kernel has" / "model
 * has" and the object's text.  Returns the number of differences. */

size_t nft_snap_diff(const struct nft_snap *model, const struct nft_snap *kernel,
                     backend_diff_fn *fn, void *arg);
/* "guard p1 vid 100 mac 02:00:00:00:00:01" */
void nft_elem_str(const struct nft_elem *e, char *buf, size_t cap);

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

int nft_batch_start(struct nft_batch *nb, struct nlsock *nf);
void nft_batch_free(struct nft_batch *nb);
/* Sends it; on error *failed_op is the op of the failing message or -1.
 * s (unless NULL) learns the handles of the rules the batch added. */
int nft_batch_commit(struct nft_batch *nb, struct nlsock *nf, struct nft_snap *s, long *failed_op,
                     struct nlans *ans);

/* Table "bridge vdpd", its chains and per-VSI sets: created if missing
 * (idempotent); sent at open and after the table vanished, not per change. */
int nft_batch_table(struct nft_batch *nb, long op);
int nft_batch_del_table(struct nft_batch *nb, long op);
/* The rules every table has, added when the model lacks them: ECP and LLDP
 * frames for the nearest-customer-bridge address are not forwarded (with
 * STP off a Linux bridge floods 01:80:C2:00:00:00; each station must hear
 * only its own bridge port), and the lookups of the per-VSI sets.  Rules
 * of the per-VSI-rule layout of older versions become elements. */
int nft_static_rules(struct nft_batch *nb, struct nft_snap *s);
/* The op's nft part, appended to the batch; the model follows along.
 * 0, or a negative errno with why filled (invalid op). */
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
	struct nft_snap model; /* table "bridge vdpd" as programmed */
	bool model_ok;         /* else read it again before the next batch */
};

#endif
