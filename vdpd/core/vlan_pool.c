/* SPDX-License-Identifier: ISC */
/* vdpd: the VLAN pool (VLAN on demand). */
#include <errno.h>
#include <string.h>

#include "conf/conf.h"
#include "core/vlan_pool.h"

static void set_bit(uint8_t *bits, unsigned i)
{
	bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static void clear_bit(uint8_t *bits, unsigned i)
{
	bits[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

void vlan_pool_init(struct vlan_pool *p, const struct conf *c)
{
	memset(p, 0, sizeof(*p));
	for (unsigned i = 0; i < c->nranges; i++)
		for (unsigned v = c->pool[i].lo; v <= c->pool[i].hi && v < VLAN_IDS - 1; v++)
			if (v > 0)
				set_bit(p->in_pool, v);
	for (unsigned i = 0; i < c->nreserved; i++)
		clear_bit(p->in_pool, c->reserved[i]);
}

bool vlan_pool_contains(const struct vlan_pool *p, uint16_t vid)
{
	return vid < VLAN_IDS && (p->in_pool[vid / 8] & (1u << (vid % 8)));
}

uint16_t vlan_pool_lowest_free(const struct vlan_pool *p)
{
	for (uint16_t v = 1; v < VLAN_IDS - 1; v++)
		if (vlan_pool_contains(p, v) && !p->owned[v])
			return v;
	return 0;
}

int vlan_pool_check(const struct vlan_pool *p, uint16_t vid, uint32_t vnid)
{
	if (!vlan_pool_contains(p, vid))
		return -ERANGE;
	if (p->owned[vid] && p->owner[vid] != vnid)
		return -EEXIST;
	return 0;
}

void vlan_pool_claim(struct vlan_pool *p, uint16_t vid, uint32_t vnid)
{
	p->owned[vid] = true;
	p->owner[vid] = vnid;
}

void vlan_pool_release(struct vlan_pool *p, uint16_t vid)
{
	if (vid < VLAN_IDS)
		p->owned[vid] = false;
}

bool vlan_pool_owner(const struct vlan_pool *p, uint16_t vid, uint32_t *vnid)
{
	if (vid >= VLAN_IDS || !p->owned[vid])
		return false;
	*vnid = p->owner[vid];
	return true;
}

unsigned vlan_pool_free_count(const struct vlan_pool *p)
{
	unsigned n = 0;
	for (uint16_t v = 1; v < VLAN_IDS - 1; v++)
		n += vlan_pool_contains(p, v) && !p->owned[v];
	return n;
}
