/* SPDX-License-Identifier: ISC */
/* common: big-endian loads and stores on byte buffers, for the daemon and
 * the tools (packet codecs, netlink keys, capture headers).  libvdp keeps
 * its own internal copy (libvdp/wire.h): a public library that links
 * nothing of the tree.  Callers check lengths first; these never do. */
#ifndef COMMON_BYTES_H
#define COMMON_BYTES_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get_be24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | get_be24(p + 1);
}

static inline uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put_be24(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 16);
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	put_be24(p + 1, v);
}

static inline void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

/* Whether bits from .. to-1 of p are all zero, bit 0 being the top bit of
 * p[0]: the host bits of an address past its prefix length. */
static inline bool bits_clear(const uint8_t *p, unsigned from, unsigned to)
{
	for (unsigned i = from; i < to; i++)
		if (p[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

#endif
