/* SPDX-License-Identifier: ISC */
/* vdpd: the nftables rule of each op (nft_rules.c) and the batch builders
 * it uses (nft.c). */
#ifndef VDPD_NFT_RULES_H
#define VDPD_NFT_RULES_H

#include <libnftnl/rule.h>

#include "kernel/netlink.h"

/* The set of a port's allowed VLANs is named "vids_PORT" when PORT is an
 * nftables identifier's tail ([A-Za-z0-9_.-]), and "vidsx_HEX" (the name's
 * octets in hex) otherwise: `nft list ruleset` prints set names bare, so
 * "vids_p@x" would list as text that nft -f cannot read back. */
#define NFT_VIDSET_PREFIX     "vids_"
#define NFT_VIDSET_HEX_PREFIX "vidsx_"
#define NFT_VIDSET_NAME_SIZE  (sizeof(NFT_VIDSET_HEX_PREFIX) + 2 * (size_t)IFNAMSIZ)
void nft_vidset_name(const char *port, char *name, size_t cap);
/* The port of a set name; false when name is no vidset's. */
bool nft_vidset_port(const char *name, char *port, size_t cap);
/* The name of a port's own object PREFIXPORT (prefix ends in '_'), or,
 * for a port name that is no identifier's tail, the same hex form. */
#define NFT_PORT_OBJECT_SIZE 64
void nft_port_object(const char *prefix, const char *port, char *name, size_t cap);

struct nft_vidset *nft_snap_set(struct nft_snap *s, const char *port);
struct nft_vidset *nft_snap_set_add(struct nft_snap *s, const char *port);
bool nft_vidset_has(const struct nft_vidset *vs, uint16_t vid);
int nft_vidset_put(struct nft_vidset *vs, uint16_t vid, bool add);

/* Appends r (consumed by the caller afterwards) to chain with comment as its
 * identity; s, when given, learns about it. */
int nb_rule_add(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r, const char *chain,
                const char *comment, long op);
int nb_rule_insert(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r,
                   const char *chain, const char *comment, long op);
int nb_rule_del(struct nft_batch *nb, struct nft_snap *s, struct nft_rule_ref *ref, long op);

/* A regular chain (no hook), created if missing. */
int nb_chain_add(struct nft_batch *nb, const char *name, long op);

/* The current message slot of the batch (NULL when full), then the step
 * past it once its payload is built. */
struct nlmsghdr *nb_msg(struct nft_batch *nb, uint16_t type, uint16_t flags, long op);
int nb_next(struct nft_batch *nb);

/* ---- the per-VSI sets (nft_sets.c) ---- */
const char *nft_vsiset_name(enum nft_vsiset set);
/* The set, created if missing. */
int nb_vsiset_add(struct nft_batch *nb, enum nft_vsiset set, long op);
/* A set keyed iifname . [vlan id . (unless any)] ether saddr, created if
 * missing; and a set deleted. */
int nb_set_add(struct nft_batch *nb, const char *name, bool any, const char *comment, long op);
int nb_set_del(struct nft_batch *nb, const char *name, long op);
/* The element e added or deleted; the model follows (s). */
int nb_vsi_elem(struct nft_batch *nb, struct nft_snap *s, const struct nft_elem *e, bool add,
                long op);

int nb_vidset_add(struct nft_batch *nb, const char *port, uint32_t *set_id, long op);
int nb_vidset_elem(struct nft_batch *nb, const char *port, uint16_t vid, bool add, long op);

/* A limit rule in chain of the batch's table (kcaps probe). */
int nft_rules_probe_limit(struct nft_batch *nb, const char *chain);

#endif
