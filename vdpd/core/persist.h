/* SPDX-License-Identifier: ISC */
/* vdpd: what the tables mean in the state directory (state/store.h holds
 * the bytes).  Two kinds of record, keyed by object:
 *
 *   PERSIST_VSI   key fmt + VSIID; value: port name, VNID, Type ID and
 *                 version, state (pre-assoc/assoc), the TLV type granted,
 *                 the M bit, manager ID, filter format and filters with
 *                 the VLAN granted
 *   PERSIST_VNID  key VNID; value: synced, the ports holding the synced
 *                 list (by name), the VLAN allocation (VID, origin, the
 *                 port charged for it, the port charged for the VNID) and
 *                 the policy list as libvdp encodes a Policy Sync TLV
 *
 * Ports are named, not numbered, so a restart with reordered ports loads
 * the same tables.  Not stored: keepalive deadlines (restarted from load
 * time, a full period), the migration claims of other ports (stale claims
 * and reservations: their stations retry), counters.
 *
 * The tables change through the hooks below (no-ops without a store); the
 * records are made durable by store_commit() in port.c, once per loop turn,
 * before that turn's responses leave. */
#ifndef VDPD_PERSIST_H
#define VDPD_PERSIST_H

#include <stddef.h>
#include <stdint.h>

#include "state/record.h"
#include "state/store.h"

struct vdpd;
struct vsi;
struct vnid;

enum persist_kind { PERSIST_VSI = 1, PERSIST_VNID = 2 };

#define PERSIST_KEY_MAX 20
#define PERSIST_VAL_MAX 2048

struct persist_rec {
	uint8_t kind;
	uint16_t keylen;
	uint32_t vallen;
	uint8_t key[PERSIST_KEY_MAX];
	uint8_t val[PERSIST_VAL_MAX];
};

/* Pure codecs.  Encoders return 0, or -1 when the object cannot be
 * written (a value too large: a bug).  Decoders return 0 with *out filled,
 * or -1 with why, and never fill half an object: a value that is short,
 * long, or names an unknown port or an impossible field is refused. */
int persist_vsi_encode(const struct vdpd *d, const struct vsi *v, struct persist_rec *out);
int persist_vsi_decode(const struct vdpd *d, const struct rec *r, struct vsi *out, char *why,
                       size_t cap);
int persist_vnid_encode(const struct vdpd *d, const struct vnid *n, struct persist_rec *out);
int persist_vnid_decode(const struct vdpd *d, const struct rec *r, struct vnid *out, char *why,
                        size_t cap);

/* Table hooks: queue the object's record (no-ops when d->store is NULL). */
void persist_vsi_put(struct vdpd *d, const struct vsi *v);
void persist_vsi_del(struct vdpd *d, const struct vsi *v);
void persist_vnid_put(struct vdpd *d, const struct vnid *n);
void persist_vnid_del(struct vdpd *d, const struct vnid *n);

struct persist_counts {
	unsigned vsis, vnids, synced, vlans, dropped;
};

/* persist_load.c: the tables back at start.
 * Opens DIR's store, loads the tables into d (which holds none yet),
 * programs the kernel for them, restarts every keepalive from now_ns and
 * leaves d->store set.  0, or -1 with err (the store could not be opened:
 * the files are fine, the directory is not). */
int persist_open(struct vdpd *d, const char *dir, uint64_t now_ns, struct persist_counts *c,
                 char *err, size_t errlen);
void persist_close(struct vdpd *d);

#endif
