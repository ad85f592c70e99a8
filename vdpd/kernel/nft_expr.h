/* SPDX-License-Identifier: ISC */
/* vdpd: nftables expression builders, one function per expression, all on
 * register 1 (16 bytes: wide enough for an interface name), so that the
 * rule code in nft.c reads like the nft rule it makes.  A failed
 * allocation is remembered in b->err and checked once per rule. */
#ifndef VDPD_NFT_EXPR_H
#define VDPD_NFT_EXPR_H

#include <stdbool.h>
#include <stdint.h>

#include <libnftnl/rule.h>

struct nxb {
	struct nftnl_rule *r;
	int err;
	/* 0: register 1.  A concatenation loads its later parts into the
	 * 32-bit registers behind the first (NFT_REG32_04, ...), then looks
	 * the whole up from register 1. */
	uint32_t reg;
};

void nx_meta_load(struct nxb *b, uint32_t key);
void nx_payload_load(struct nxb *b, uint32_t base, uint32_t off, uint32_t len);
void nx_cmp(struct nxb *b, uint32_t op, const void *data, uint32_t len);
void nx_bitwise(struct nxb *b, uint32_t len, const void *mask, const void * xor);
void nx_range(struct nxb *b, const void *lo, const void *hi, uint32_t len);
void nx_lookup(struct nxb *b, const char *set, uint32_t set_id, bool inv);
void nx_counter(struct nxb *b);
void nx_verdict(struct nxb *b, int verdict);
void nx_jump(struct nxb *b, const char *chain);
/* limit rate [over] rate_bps bytes/second burst burst bytes */
void nx_limit_bytes(struct nxb *b, uint64_t rate_bps, uint32_t burst, bool over);
void nx_meta_set_u32(struct nxb *b, uint32_t key, uint32_t value);
void nx_payload_write(struct nxb *b, uint32_t base, uint32_t off, uint32_t len, uint32_t csum_type,
                      uint32_t csum_off);

#endif
