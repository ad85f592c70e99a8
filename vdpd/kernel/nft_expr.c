/* SPDX-License-Identifier: ISC */
/* vdpd: nftables expression builders (see nft_expr.h). */
#include <errno.h>
#include <stdio.h> /* libnftnl/expr.h uses FILE */

#include <libnftnl/expr.h>
#include <linux/netfilter/nf_tables.h>

#include "kernel/nft_expr.h"

static struct nftnl_expr *nx_new(struct nxb *b, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e)
		b->err = -ENOMEM;
	return e;
}

/* The register loads, compares and bitwise work on: b->reg, else 1. */
static uint32_t nx_reg(const struct nxb *b)
{
	return b->reg ? b->reg : NFT_REG_1;
}

static void nx_add(struct nxb *b, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(b->r, e);
}

void nx_meta_load(struct nxb *b, uint32_t key)
{
	struct nftnl_expr *e = nx_new(b, "meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, nx_reg(b));
	nx_add(b, e);
}

void nx_payload_load(struct nxb *b, uint32_t base, uint32_t off, uint32_t len)
{
	struct nftnl_expr *e = nx_new(b, "payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, nx_reg(b));
	nx_add(b, e);
}

void nx_cmp(struct nxb *b, uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nx_new(b, "cmp");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, nx_reg(b));
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	nx_add(b, e);
}

void nx_bitwise(struct nxb *b, uint32_t len, const void *mask, const void * xor)
{
	struct nftnl_expr *e = nx_new(b, "bitwise");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, nx_reg(b));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, nx_reg(b));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, len);
	nx_add(b, e);
}

void nx_range(struct nxb *b, const void *lo, const void *hi, uint32_t len)
{
	struct nftnl_expr *e = nx_new(b, "range");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, NFT_RANGE_EQ);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, lo, len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, hi, len);
	nx_add(b, e);
}

void nx_lookup(struct nxb *b, const char *set, uint32_t set_id, bool inv)
{
	struct nftnl_expr *e = nx_new(b, "lookup");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, set);
	if (set_id)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, set_id);
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
	nx_add(b, e);
}

void nx_counter(struct nxb *b)
{
	struct nftnl_expr *e = nx_new(b, "counter");

	if (e)
		nx_add(b, e);
}

void nx_verdict(struct nxb *b, int verdict)
{
	struct nftnl_expr *e = nx_new(b, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	nx_add(b, e);
}

void nx_jump(struct nxb *b, const char *chain)
{
	struct nftnl_expr *e = nx_new(b, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)NFT_JUMP);
	nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
	nx_add(b, e);
}

void nx_limit_bytes(struct nxb *b, uint64_t rate_bps, uint32_t burst, bool over)
{
	struct nftnl_expr *e = nx_new(b, "limit");

	if (!e)
		return;
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, rate_bps);
	nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, 1); /* per second */
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, burst);
	nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKT_BYTES);
	if (over)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, NFT_LIMIT_F_INV);
	nx_add(b, e);
}

void nx_meta_set_u32(struct nxb *b, uint32_t key, uint32_t value)
{
	struct nftnl_expr *imm = nx_new(b, "immediate"), *e;

	if (!imm)
		return;
	nftnl_expr_set_u32(imm, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
	nftnl_expr_set(imm, NFTNL_EXPR_IMM_DATA, &value, sizeof(value));
	nx_add(b, imm);
	e = nx_new(b, "meta");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
	nx_add(b, e);
}

void nx_payload_write(struct nxb *b, uint32_t base, uint32_t off, uint32_t len, uint32_t csum_type,
                      uint32_t csum_off)
{
	struct nftnl_expr *e = nx_new(b, "payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, csum_type);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, csum_off);
	nx_add(b, e);
}
