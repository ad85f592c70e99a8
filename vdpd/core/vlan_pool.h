/* SPDX-License-Identifier: ISC */
/* vdpd: VLAN on demand (VLAN on demand).  One VLAN per VNID, taken from the
 * configured pool: the lowest free ID when the station lets the switch
 * choose (VID 0), or an explicit ID checked against the pool and against
 * the other VNIDs.  Released with the VNID's last VSI. */
#ifndef VDPD_VLAN_POOL_H
#define VDPD_VLAN_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define VLAN_IDS 4096

struct conf;

struct vlan_pool {
	uint8_t in_pool[VLAN_IDS / 8]; /* bit set: may be given out */
	bool owned[VLAN_IDS];
	uint32_t owner[VLAN_IDS]; /* VNID, valid where owned[] */
};

void vlan_pool_init(struct vlan_pool *p, const struct conf *c);
bool vlan_pool_contains(const struct vlan_pool *p, uint16_t vid);
/* The lowest free VLAN in the pool, or 0 when none is free. */
uint16_t vlan_pool_lowest_free(const struct vlan_pool *p);
/* 0, -ERANGE (not in the pool) or -EEXIST (owned by another VNID). */
int vlan_pool_check(const struct vlan_pool *p, uint16_t vid, uint32_t vnid);
void vlan_pool_claim(struct vlan_pool *p, uint16_t vid, uint32_t vnid);
void vlan_pool_release(struct vlan_pool *p, uint16_t vid);
/* The VNID owning vid; false when none does. */
bool vlan_pool_owner(const struct vlan_pool *p, uint16_t vid, uint32_t *vnid);
unsigned vlan_pool_free_count(const struct vlan_pool *p);

#endif
