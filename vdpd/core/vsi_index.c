/* SPDX-License-Identifier: ISC */
/* vdpd: the indexes over the tables, so that a request or a keepalive tick
 * costs the same with 10 VSIs or 100,000 (issue 12): VSIs by VSIID and
 * VNIDs by id in hash tables (common/hash.h), and the VSIs' keepalive
 * deadlines in a min-heap that knows each VSI's place, so a refresh moves
 * one entry and a tick looks only at the VSIs that expired. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "hash.h"
#include "core/vdpd.h"

#define NOT_IN_HEAP SIZE_MAX

static uint32_t vsiid_hash(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	return hash_fnv(hash_fnv(HASH_FNV_INIT, &fmt, 1), id, VDP_VSIID_LEN);
}

static uint32_t vsi_hash_of(const void *p)
{
	const struct vsi *v = p;

	return vsiid_hash(v->vsiid_fmt, v->vsiid);
}

static void **vsi_next_of(void *p)
{
	return (void **)&((struct vsi *)p)->hnext;
}

static uint32_t vnid_hash(uint32_t vnid)
{
	return hash_fnv(HASH_FNV_INIT, &vnid, sizeof(vnid));
}

static uint32_t vnid_hash_of(const void *p)
{
	return vnid_hash(((const struct vnid *)p)->vnid);
}

static void **vnid_next_of(void *p)
{
	return (void **)&((struct vnid *)p)->hnext;
}

/* The VSI, and how many entries the search examined. */
static struct vsi *vsi_lookup(const struct vdpd *d, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN],
                              uint64_t *steps)
{
	if (!d->vsi_nb)
		return NULL;
	for (struct vsi *v = d->vsi_b[vsiid_hash(fmt, id) & (d->vsi_nb - 1)]; v; v = v->hnext) {
		++*steps;
		if (v->vsiid_fmt == fmt && memcmp(v->vsiid, id, VDP_VSIID_LEN) == 0)
			return v;
	}
	return NULL;
}

struct vsi *vdpd_vsi_find(struct vdpd *d, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	return vsi_lookup(d, fmt, id, &d->idx_steps);
}

const struct vsi *vdpd_vsi_get(const struct vdpd *d, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN])
{
	uint64_t steps = 0;

	return vsi_lookup(d, fmt, id, &steps);
}

struct vnid *vdpd_vnid_find(struct vdpd *d, uint32_t vnid)
{
	if (!d->vnid_nb)
		return NULL;
	for (struct vnid *n = d->vnid_b[vnid_hash(vnid) & (d->vnid_nb - 1)]; n; n = n->hnext) {
		d->idx_steps++;
		if (n->vnid == vnid)
			return n;
	}
	return NULL;
}

int vsi_index_reserve(struct vdpd *d)
{
	/* The heap is an array of pointers: sizeof(struct vsi *) is meant. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	if (ARRAY_GROW(d->heap, d->heap_cap, d->heap_n + 1) < 0)
		return -ENOMEM;
	/* A failed doubling only lengthens chains, once there are buckets. */
	if (hash_grow((void ***)&d->vsi_b, &d->vsi_nb, d->vsi_n + 1, vsi_hash_of, vsi_next_of) <
	        0 &&
	    !d->vsi_nb)
		return -ENOMEM;
	return 0;
}

void vsi_index_add(struct vdpd *d, struct vsi *v)
{
	v->seq = ++d->vsi_seq;
	struct vsi **b = &d->vsi_b[vsi_hash_of(v) & (d->vsi_nb - 1)];

	v->hnext = *b;
	*b = v;
	d->vsi_n++;
	v->heap_at = NOT_IN_HEAP;
}

/* ---- the deadline heap ---- */

static void heap_put(struct vdpd *d, size_t at, struct vsi *v)
{
	d->heap[at] = v;
	v->heap_at = at;
	d->heap_steps++;
}

static void sift_up(struct vdpd *d, size_t at)
{
	struct vsi *v = d->heap[at];

	while (at > 0) {
		size_t up = (at - 1) / 2;

		if (d->heap[up]->deadline_ns <= v->deadline_ns)
			break;
		heap_put(d, at, d->heap[up]);
		at = up;
	}
	heap_put(d, at, v);
}

static void sift_down(struct vdpd *d, size_t at)
{
	struct vsi *v = d->heap[at];

	for (;;) {
		size_t c = 2 * at + 1;

		if (c >= d->heap_n)
			break;
		if (c + 1 < d->heap_n && d->heap[c + 1]->deadline_ns < d->heap[c]->deadline_ns)
			c++;
		if (v->deadline_ns <= d->heap[c]->deadline_ns)
			break;
		heap_put(d, at, d->heap[c]);
		at = c;
	}
	heap_put(d, at, v);
}

void vsi_deadline_set(struct vdpd *d, struct vsi *v, uint64_t deadline_ns)
{
	v->deadline_ns = deadline_ns;
	if (v->heap_at == NOT_IN_HEAP) {
		/* vsi_index_reserve() made the room. */
		d->heap[d->heap_n] = v;
		v->heap_at = d->heap_n++;
	}
	sift_up(d, v->heap_at);
	sift_down(d, v->heap_at);
}

struct vsi *vsi_deadline_first(struct vdpd *d)
{
	d->idx_steps++;
	return d->heap_n ? d->heap[0] : NULL;
}

static void heap_del(struct vdpd *d, struct vsi *v)
{
	size_t at = v->heap_at;

	if (at == NOT_IN_HEAP)
		return;
	v->heap_at = NOT_IN_HEAP;
	if (at == --d->heap_n)
		return;
	struct vsi *m = d->heap[d->heap_n];
	d->heap[at] = m;
	m->heap_at = at;
	sift_up(d, at);
	sift_down(d, m->heap_at);
}

void vsi_index_del(struct vdpd *d, struct vsi *v)
{
	if (hash_unlink((void **)d->vsi_b, d->vsi_nb, vsi_hash_of(v), v, vsi_next_of))
		d->vsi_n--;
	heap_del(d, v);
}

/* ---- associated VSIs by (port, MAC, VID): DHCP snooping's question ---- */

struct vsi_mac {
	struct vsi_mac *next;
	struct vsi *v;
	unsigned port;
	uint16_t vid;
	uint8_t mac[6];
};

static bool has_mac(uint8_t fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

static uint32_t mac_hash(unsigned port, const uint8_t mac[6], uint16_t vid)
{
	uint32_t h = hash_fnv(HASH_FNV_INIT, &port, sizeof(port));

	return hash_fnv(hash_fnv(h, &vid, sizeof(vid)), mac, 6);
}

static uint32_t mac_hash_of(const void *p)
{
	const struct vsi_mac *m = p;

	return mac_hash(m->port, m->mac, m->vid);
}

static void **mac_next_of(void *p)
{
	return (void **)&((struct vsi_mac *)p)->next;
}

void vsi_mac_link(struct vdpd *d, struct vsi *v)
{
	if (v->state != VSI_ASSOC || !has_mac(v->filter_fmt) || !v->nfilters || d->mac_broken)
		return;
	if ((hash_grow((void ***)&d->mac_b, &d->mac_nb, d->mac_n + v->nfilters, mac_hash_of,
	               mac_next_of) < 0 &&
	     !d->mac_nb) ||
	    !(v->macs = calloc(v->nfilters, sizeof(*v->macs)))) {
		/* Lookups scan the table from now on: slower, never wrong. */
		d->mac_broken = true;
		return;
	}
	for (unsigned i = 0; i < v->nfilters; i++) {
		struct vsi_mac *m = &v->macs[i];
		m->v = v;
		m->port = v->port;
		m->vid = v->filters[i].vid;
		memcpy(m->mac, v->filters[i].mac, 6);
		struct vsi_mac **b = &d->mac_b[mac_hash_of(m) & (d->mac_nb - 1)];
		m->next = *b;
		*b = m;
		d->mac_n++;
	}
}

void vsi_mac_unlink(struct vdpd *d, struct vsi *v)
{
	if (!v->macs)
		return;
	for (unsigned i = 0; i < v->nfilters; i++)
		if (hash_unlink((void **)d->mac_b, d->mac_nb, mac_hash_of(&v->macs[i]), &v->macs[i],
		                mac_next_of))
			d->mac_n--;
	free(v->macs);
	v->macs = NULL;
}

/* The oldest match, as the scan of d->vsis (in creation order) finds. */
struct vsi *vdpd_vsi_by_mac(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid)
{
	struct vsi *best = NULL;

	if (d->mac_broken) {
		struct vsi *v;
		TAILQ_FOREACH(v, &d->vsis, entry)
		{
			if (v->port != port || v->state != VSI_ASSOC || !has_mac(v->filter_fmt))
				continue;
			for (unsigned i = 0; i < v->nfilters; i++)
				if (v->filters[i].vid == vid &&
				    memcmp(v->filters[i].mac, mac, 6) == 0)
					return v;
		}
		return NULL;
	}
	if (!d->mac_nb)
		return NULL;
	for (struct vsi_mac *m = d->mac_b[mac_hash(port, mac, vid) & (d->mac_nb - 1)]; m;
	     m = m->next) {
		d->idx_steps++;
		if (m->port == port && m->vid == vid && memcmp(m->mac, mac, 6) == 0 &&
		    (!best || m->v->seq < best->seq))
			best = m->v;
	}
	return best;
}

int vnid_index_add(struct vdpd *d, struct vnid *n)
{
	if (hash_grow((void ***)&d->vnid_b, &d->vnid_nb, d->vnid_n + 1, vnid_hash_of,
	              vnid_next_of) < 0 &&
	    !d->vnid_nb)
		return -ENOMEM;
	struct vnid **b = &d->vnid_b[vnid_hash_of(n) & (d->vnid_nb - 1)];
	n->hnext = *b;
	*b = n;
	d->vnid_n++;
	return 0;
}

void vnid_index_del(struct vdpd *d, struct vnid *n)
{
	if (hash_unlink((void **)d->vnid_b, d->vnid_nb, vnid_hash_of(n), n, vnid_next_of))
		d->vnid_n--;
}

void vdpd_index_free(struct vdpd *d)
{
	free(d->vsi_b);
	free(d->vnid_b);
	free(d->mac_b);
	d->mac_b = NULL;
	d->mac_nb = d->mac_n = 0;
	d->mac_broken = false;
	free(d->heap);
	d->vsi_b = NULL;
	d->vnid_b = NULL;
	d->heap = NULL;
	d->vsi_nb = d->vnid_nb = d->vsi_n = d->vnid_n = d->heap_n = d->heap_cap = 0;
}
