/* SPDX-License-Identifier: ISC */
/* vdpd: the tables' records in the state directory (persist.h): their
 * codecs, the hooks that queue them, and the load at start. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "log.h"
#include "core/persist.h"
#include "core/vdpd.h"

#define NAME_LEN     16 /* IFNAMSIZ, NUL padded */
#define VSI_FIXED    46
#define FILTER_LEN   16
#define VNID_FIXED   37
#define NO_PORT_NAME ""

static void put_name(uint8_t *p, const char *name)
{
	memset(p, 0, NAME_LEN);
	memcpy(p, name, strnlen(name, NAME_LEN - 1));
}

static void put_port(const struct vdpd *d, uint8_t *p, unsigned port)
{
	put_name(p, port < d->nports ? d->ports[port].name : NO_PORT_NAME);
}

/* The index of the port named at p; UINT_MAX for the empty name; -1 when
 * the name is not NUL-terminated or not a configured port. */
static int get_port(const struct vdpd *d, const uint8_t *p, unsigned *port)
{
	if (p[NAME_LEN - 1])
		return -1;
	if (!p[0]) {
		*port = UINT_MAX;
		return 0;
	}
	int i = vdpd_port_find(d, (const char *)p);
	if (i < 0)
		return -1;
	*port = (unsigned)i;
	return 0;
}

static int refuse(char *why, size_t cap, const char *what)
{
	snprintf(why, cap, "%s", what);
	return -1;
}

int persist_vsi_encode(const struct vdpd *d, const struct vsi *v, struct persist_rec *out)
{
	if (v->nfilters > VSI_MAX_FILTERS)
		return -1;
	out->kind = PERSIST_VSI;
	out->keylen = 1 + VDP_VSIID_LEN;
	out->key[0] = v->vsiid_fmt;
	memcpy(out->key + 1, v->vsiid, VDP_VSIID_LEN);
	uint8_t *p = out->val;
	put_port(d, p, v->port);
	put_be32(p + 16, v->vnid);
	put_be32(p + 20, v->type_id);
	p[24] = v->type_ver;
	p[25] = (uint8_t)v->state;
	p[26] = v->req_type;
	p[27] = v->migrated;
	memcpy(p + 28, v->mgrid, VDP_MGRID_LEN);
	p[44] = v->filter_fmt;
	p[45] = (uint8_t)v->nfilters;
	for (unsigned i = 0; i < v->nfilters; i++) {
		const struct vdp_filter *f = &v->filters[i];
		uint8_t *q = p + VSI_FIXED + (size_t)i * FILTER_LEN;
		memset(q, 0, FILTER_LEN);
		put_be32(q, f->group);
		memcpy(q + 4, f->mac, 6);
		q[10] = f->ps;
		q[11] = f->pcp;
		put_be16(q + 12, f->vid);
	}
	out->vallen = VSI_FIXED + v->nfilters * FILTER_LEN;
	return 0;
}

static int vsi_fields_ok(const uint8_t *p, unsigned nf)
{
	if (p[25] > VSI_ASSOC || !vdp_is_vsi_type(p[26]) || p[26] == VDP_TLV_DEASSOC || p[27] > 1)
		return 0;
	for (unsigned i = 0; i < nf; i++) {
		const uint8_t *q = p + VSI_FIXED + (size_t)i * FILTER_LEN;
		if (q[10] > 1 || q[11] > 7 || get_be16(q + 12) > 4094 || q[14] || q[15])
			return 0;
	}
	return 1;
}

int persist_vsi_decode(const struct vdpd *d, const struct rec *r, struct vsi *out, char *why,
                       size_t cap)
{
	const uint8_t *p = r->val;
	if (r->kind != PERSIST_VSI || r->keylen != 1 + VDP_VSIID_LEN)
		return refuse(why, cap, "not a VSI key");
	if (r->vallen < VSI_FIXED)
		return refuse(why, cap, "VSI value too short");
	unsigned nf = p[45], port;
	if (nf == 0 || nf > VSI_MAX_FILTERS || r->vallen != VSI_FIXED + nf * FILTER_LEN)
		return refuse(why, cap, "VSI filter count and length disagree");
	if (get_port(d, p, &port) < 0 || port == UINT_MAX)
		return refuse(why, cap, "VSI on a port not in vdpd.conf");
	if (!vsi_fields_ok(p, nf))
		return refuse(why, cap, "VSI field out of range");
	memset(out, 0, sizeof(*out));
	out->vsiid_fmt = r->key[0];
	memcpy(out->vsiid, r->key + 1, VDP_VSIID_LEN);
	out->port = port;
	out->vnid = get_be32(p + 16);
	out->type_id = get_be32(p + 20);
	out->type_ver = p[24];
	out->state = p[25] ? VSI_ASSOC : VSI_PREASSOC;
	out->req_type = p[26];
	out->migrated = p[27];
	memcpy(out->mgrid, p + 28, VDP_MGRID_LEN);
	out->filter_fmt = p[44];
	out->nfilters = (uint16_t)nf;
	for (unsigned i = 0; i < nf; i++) {
		const uint8_t *q = p + VSI_FIXED + (size_t)i * FILTER_LEN;
		struct vdp_filter *f = &out->filters[i];
		f->group = get_be32(q);
		memcpy(f->mac, q + 4, 6);
		f->ps = q[10];
		f->pcp = q[11];
		f->vid = get_be16(q + 12);
	}
	return 0;
}

int persist_vnid_encode(const struct vdpd *d, const struct vnid *n, struct persist_rec *out)
{
	static struct vdp_policy pol; /* large: not on the stack */
	out->kind = PERSIST_VNID;
	out->keylen = 4;
	put_be32(out->key, n->vnid);
	uint8_t *p = out->val;
	p[0] = n->synced;
	p[1] = (uint8_t)n->vid_origin;
	put_be16(p + 2, n->vid);
	put_port(d, p + 4, n->vnid_port);
	put_port(d, p + 20, n->vlan_port);
	size_t off = VNID_FIXED;
	unsigned k = 0;
	for (unsigned i = 0; i < d->nports; i++)
		if (n->sync_ports & (1ull << i)) {
			put_port(d, p + off, i);
			off += NAME_LEN;
			k++;
		}
	p[36] = (uint8_t)k;
	pol = n->policy;
	pol.type = VDP_TLV_POLICY_SYNC;
	pol.status = 0;
	pol.vnid = 0; /* the key holds it, all 32 bits */
	pol.nskipped = 0;
	int len = vdp_policy_encode(&pol, p + off + 2, PERSIST_VAL_MAX - off - 2);
	if (len < 0)
		return -1;
	put_be16(p + off, (uint16_t)len);
	out->vallen = (uint32_t)(off + 2 + (size_t)len);
	return 0;
}

/* The ports named from p (k of them) as a bitmask; -1 for an unknown one. */
static int get_ports(const struct vdpd *d, const uint8_t *p, unsigned k, uint64_t *mask)
{
	*mask = 0;
	for (unsigned i = 0; i < k; i++) {
		unsigned port;
		if (get_port(d, p + (size_t)i * NAME_LEN, &port) < 0 || port == UINT_MAX)
			return -1;
		*mask |= 1ull << port;
	}
	return 0;
}

int persist_vnid_decode(const struct vdpd *d, const struct rec *r, struct vnid *out, char *why,
                        size_t cap)
{
	static struct vdp_policy pol;
	const uint8_t *p = r->val;
	if (r->kind != PERSIST_VNID || r->keylen != 4)
		return refuse(why, cap, "not a VNID key");
	if (r->vallen < VNID_FIXED)
		return refuse(why, cap, "VNID value too short");
	size_t off = VNID_FIXED + (size_t)p[36] * NAME_LEN;
	if (r->vallen < off + 2 || r->vallen != off + 2 + get_be16(p + off))
		return refuse(why, cap, "VNID policy length and value length disagree");
	unsigned vnid_port, vlan_port;
	uint64_t sync_ports;
	if (get_port(d, p + 4, &vnid_port) < 0 || get_port(d, p + 20, &vlan_port) < 0 ||
	    get_ports(d, p + VNID_FIXED, p[36], &sync_ports) < 0)
		return refuse(why, cap, "VNID held by a port not in vdpd.conf");
	uint16_t vid = get_be16(p + 2);
	if (p[0] > 1 || p[1] > VID_STATIC || vid > 4094 || (vid != 0) != (p[1] != VID_NONE))
		return refuse(why, cap, "VNID field out of range");
	int rc = vdp_policy_decode(p + off + 2, get_be16(p + off), &pol);
	if (rc < 0 || (size_t)rc != get_be16(p + off) || pol.type != VDP_TLV_POLICY_SYNC)
		return refuse(why, cap, "VNID policy list undecodable");
	memset(out, 0, sizeof(*out));
	out->vnid = get_be32(r->key);
	out->synced = p[0];
	out->sync_ports = sync_ports;
	out->policy = pol;
	out->policy.vnid = out->vnid;
	out->vid = vid;
	out->vid_origin = (enum vid_origin)p[1];
	out->vnid_port = vnid_port;
	out->vlan_port = vlan_port;
	return 0;
}

static void put_rec(struct vdpd *d, const struct persist_rec *r, const char *what)
{
	if (store_put(d->store, r->kind, r->key, r->keylen, r->val, r->vallen) < 0)
		log_err("state: %s record too large, not stored", what);
}

void persist_vsi_put(struct vdpd *d, const struct vsi *v)
{
	static struct persist_rec r;
	if (!d->store)
		return;
	if (persist_vsi_encode(d, v, &r) < 0)
		log_err("state: VSI record cannot be encoded, not stored");
	else
		put_rec(d, &r, "VSI");
}

void persist_vsi_del(struct vdpd *d, const struct vsi *v)
{
	uint8_t key[1 + VDP_VSIID_LEN];
	if (!d->store)
		return;
	key[0] = v->vsiid_fmt;
	memcpy(key + 1, v->vsiid, VDP_VSIID_LEN);
	store_del(d->store, PERSIST_VSI, key, sizeof(key));
}

void persist_vnid_put(struct vdpd *d, const struct vnid *n)
{
	static struct persist_rec r;
	if (!d->store)
		return;
	if (persist_vnid_encode(d, n, &r) < 0)
		log_err("state: VNID %u record cannot be encoded, not stored", n->vnid);
	else
		put_rec(d, &r, "VNID");
}

void persist_vnid_del(struct vdpd *d, const struct vnid *n)
{
	uint8_t key[4];
	if (!d->store)
		return;
	put_be32(key, n->vnid);
	store_del(d->store, PERSIST_VNID, key, sizeof(key));
}
