/* SPDX-License-Identifier: ISC */
/* common: the one hash function and chained bucket array the tree uses for
 * its O(1) lookups (the nftables model, vdpd's VSI and VNID indexes), so
 * that each index keeps only its key and its chain link.
 *
 *	h = hash_fnv(HASH_FNV_INIT, key, len);
 *	if (hash_grow((void ***)&b, &nb, n, hash_of, next_of) < 0) ...
 *	for (x = b[h & (nb - 1)]; x; x = x->next) ...
 */
#ifndef COMMON_HASH_H
#define COMMON_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_FNV_INIT 2166136261U

/* 32-bit FNV-1a of n octets, continuing from h (HASH_FNV_INIT to start). */
static inline uint32_t hash_fnv(uint32_t h, const void *p, size_t n)
{
	const uint8_t *c = p;

	while (n--)
		h = (h ^ *c++) * 16777619U;
	return h;
}

/* Doubles the bucket array *b of *nb buckets (a power of two, 64 at
 * first) when it holds n entries or more, so that chains stay short;
 * entries are rehashed through hash_of and linked through the pointer
 * next_of returns.  0, or -ENOMEM with the array left as it was. */
int hash_grow(void ***b, size_t *nb, size_t n, uint32_t (*hash_of)(const void *),
              void **(*next_of)(void *));

/* Unlinks entry p from its chain, bucket h & (nb - 1) (nb > 0): 1, or 0
 * when p was not there. */
int hash_unlink(void **b, size_t nb, uint32_t h, void *p, void **(*next_of)(void *));

#endif
