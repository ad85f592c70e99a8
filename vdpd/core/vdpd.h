/* SPDX-License-Identifier: ISC */
/* vdpd: the daemon's tables and the context that holds them.
 *
 * The tables (VSIs, VNID policy lists, the VLAN pool) are plain data.  The
 * decision code (vsi.c, policy.c) reads a request and the tables, produces
 * a response and a list of kernel operations, hands the list to the backend
 * and commits its table changes only once the kernel has accepted them.
 * Port I/O (port.c) and the event loop (main.c) sit around that core and
 * are the only parts that know about sockets and time sources.
 */
#ifndef VDPD_H
#define VDPD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <vdp/ecp.h>
#include <vdp/evb.h>
#include <vdp/tlv.h>

#include "kernel/backend.h"
#include "conf/conf.h"
#include "core/reason.h"
#include "core/vlan_pool.h"

#define VSI_MAX_FILTERS 16 /* per VSI; more is refused (insufficient resources) */

enum vsi_state {
	VSI_PREASSOC, /* in its VNID's list, disabled: resources reserved */
	VSI_ASSOC,    /* enabled: kernel programmed */
};

struct vsi_mac; /* vsi_index.c */

struct vsi {
	TAILQ_ENTRY(vsi) entry; /* d->vsis, in creation order (vdpctl show) */
	struct vsi *hnext;      /* vsi_index.c: chain by VSIID */
	size_t heap_at;         /* vsi_index.c: place in the deadline heap */
	uint64_t seq;           /* vsi_index.c: creation order */
	struct vsi_mac *macs;   /* vsi_index.c: by (port, MAC, VID), when associated */
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	unsigned port; /* index into vdpd.ports */
	uint32_t vnid;
	uint32_t type_id; /* as the station sent them, for responses */
	uint8_t type_ver;
	enum vsi_state state;
	uint8_t req_type; /* the TLV type last granted */
	uint8_t mgrid[VDP_MGRID_LEN];
	uint8_t filter_fmt;
	uint16_t nfilters;
	struct vdp_filter filters[VSI_MAX_FILTERS]; /* VIDs as granted */
	uint64_t deadline_ns;                       /* keepalive expiry (monotonic) */
	bool migrated;                              /* last request carried the M bit */
	/* Ports this VSI migrated away from (an M-bit request moved it) whose
	 * stations have not released it yet: their requests are stale and
	 * refused until their De-Associate, or until they stay silent past
	 * stale_until_ns (vdp-protocol(7), MIGRATION). */
	uint64_t stale_ports;
	uint64_t stale_until_ns;
	/* A Pre-Associate from another port while associated here: that
	 * port's reservation for the VM migrating in (nothing moves or is
	 * programmed until its Associate).  resv_until_ns 0: none. */
	unsigned resv_port;
	uint16_t resv_vid;
	bool resv_m; /* the reservation carried the M bit */
	uint64_t resv_until_ns;
};

/* Where a VNID's VLAN came from, which says when it is given back. */
enum vid_origin {
	VID_NONE,
	VID_AUTO,    /* lowest free (VID 0): released with the VNID's last VSI */
	VID_REQUEST, /* a VSI's explicit VID: released with the VNID's last VSI */
	VID_POLICY,  /* the Policy Sync's VLAN entry: released by Policy Remove */
	VID_STATIC,  /* vdpd.conf types: never released */
};

/* A VNID's policy list (VNID policy).  Ports hold it by syncing it; VSIs are
 * its members. */
struct vnid {
	TAILQ_ENTRY(vnid) entry;
	struct vnid *hnext; /* vsi_index.c: chain by VNID */
	uint32_t vnid;
	bool synced;              /* list came from a Policy Sync (else implicit) */
	uint64_t sync_ports;      /* bitmask of ports whose station synced it */
	struct vdp_policy policy; /* the list's entries (type SYNC) */
	uint16_t vid;             /* 0: none yet */
	enum vid_origin vid_origin;
	unsigned nmembers;                    /* VSIs in the list, enabled or not */
	unsigned nenabled;                    /* of which associated */
	unsigned nenabled_on[CONF_MAX_PORTS]; /* of which on each port */
	/* The ports charged for it (fairness.c): whose request made the VNID,
	 * whose took its VLAN from the pool; UINT_MAX: none. */
	unsigned vnid_port, vlan_port;
};

struct port_io; /* port.c: socket, ECP engine, timers */
struct mig;     /* migration/migration.h: bindings, leasequery, help, IGMP */
struct store;   /* state/store.h: the tables on disk (persist.h) */
struct vdp_help;
struct vdpd;

/* The migration services (vdpd/migration/) sit above the core and hook in
 * here, so that the core never calls a folder above it.  Both are set by
 * migration_attach(), with d->mig; NULL hooks mean no migration services. */
struct vdpd_hooks {
	/* A VSI was (pre-)associated with the M bit: move its services. */
	void (*migrated_in)(struct vdpd *d, const struct vsi *v, const struct vnid *n,
	                    uint64_t now_ns);
	/* A well-formed Help TLV with the response bit: a station's answer. */
	void (*help_answer)(struct vdpd *d, unsigned port, const struct vdp_help *h,
	                    uint64_t now_ns);
};

struct port {
	char name[IFNAMSIZ];
	unsigned index;
	const struct conf_port *conf;
	struct vdp_evb_tlv evb; /* timers in use (configured, or negotiated) */
	unsigned nvsis;
	uint64_t counters[REASON_COUNT];
	uint64_t rx_err[VDP_E_COUNT_ALL]; /* TLVs dropped, by decode error */
	uint64_t rx_pdus, tx_responses, tx_deassocs;
	uint64_t rx_drops;  /* frames the kernel dropped: socket buffer full */
	uint64_t rx_pauses; /* times the port spent its frame budget (port.c) */
	/* Fairness (fairness.c): caps in force, what is charged to the port,
	 * its new-VSI token bucket, its refusal log quota. */
	unsigned max_vlans, max_vnids, new_vsi_rate, new_vsi_burst;
	unsigned nvlans, nvnids;
	uint64_t new_vsi_tat;
	uint64_t log_window_ns, log_suppressed;
	unsigned log_lines;
	struct port_io *io;
};

TAILQ_HEAD(vsi_list, vsi);
TAILQ_HEAD(vnid_list, vnid);

/* Sends a bridge-initiated VDPDU (unsolicited De-Associate) on a port. */
typedef void vdpd_send_fn(void *arg, unsigned port, const uint8_t *pdu, size_t len);

struct vdpd {
	struct conf conf;
	struct backend be;
	bool backend_ready;
	struct vlan_pool pool;
	struct vsi_list vsis;
	struct vnid_list vnids;
	unsigned nports;
	struct port ports[CONF_MAX_PORTS];
	unsigned nvnids_synced;
	uint64_t counters[REASON_COUNT]; /* device-wide totals */
	vdpd_send_fn *send;
	void *send_arg;
	struct mig *mig; /* migration services; NULL until migration_attach() */
	const struct vdpd_hooks *hooks;
	uint64_t now_ns;     /* the time of the request being handled */
	struct store *store; /* NULL: tables not persisted (persist.h) */
	/* vsi_index.c: VSIs by VSIID, VNIDs by id, VSIs by keepalive
	 * deadline, so that no request or tick walks the tables. */
	struct vsi **vsi_b;
	size_t vsi_nb, vsi_n;
	struct vnid **vnid_b;
	size_t vnid_nb, vnid_n;
	struct vsi_mac **mac_b; /* associated VSIs' MAC filters by (port, MAC, VID) */
	size_t mac_nb, mac_n;
	bool mac_broken; /* out of memory once: vdpd_vsi_by_mac() scans */
	uint64_t vsi_seq;
	struct vsi **heap; /* min-heap on deadline_ns; v->heap_at is v's place */
	size_t heap_n, heap_cap;
	/* What the indexes cost, for tests (check_scale.c): entries examined
	 * by lookups and expiry (constant per request, whatever the table
	 * size), and heap entries moved (at most 2 log2 n per change). */
	uint64_t idx_steps, heap_steps;
};

/* The VNID a VSI Type ID and version name (vnid.bits in vdpd.conf). */
static inline uint32_t vdpd_vnid_of(const struct vdpd *d, uint32_t type_id, uint8_t ver)
{
	return d->conf.vnid_32bit ? (type_id | (uint32_t)ver << 24) : type_id;
}

/* core.c */
int vdpd_init(struct vdpd *d, const struct conf *c, const struct backend_ops *be_ops, char *err,
              size_t errlen);
void vdpd_fini(struct vdpd *d);
/* Swaps in a checked configuration with the same bridge and ports. */
void vdpd_reconfigure(struct vdpd *d, const struct conf *c);
int vdpd_port_find(const struct vdpd *d, const char *name);
void vdpd_count(struct vdpd *d, unsigned port, enum reason r);

/* vsi_index.c: the indexes of struct vdpd.  Lookups are O(1), deadline
 * changes O(log n). */
struct vsi *vdpd_vsi_find(struct vdpd *d, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN]);
struct vnid *vdpd_vnid_find(struct vdpd *d, uint32_t vnid);
/* vdpd_vsi_find() for a caller that holds the tables read-only. */
const struct vsi *vdpd_vsi_get(const struct vdpd *d, uint8_t fmt, const uint8_t id[VDP_VSIID_LEN]);
/* Room for one more VSI (so that vsi_index_add cannot fail): 0 or -ENOMEM. */
int vsi_index_reserve(struct vdpd *d);
/* Indexes v by VSIID (already set), outside the deadline heap. */
void vsi_index_add(struct vdpd *d, struct vsi *v);
/* Drops v from the indexes. */
void vsi_index_del(struct vdpd *d, struct vsi *v);
/* Indexes an associated VSI's MAC filters (after any change of its port,
 * state or filters), or drops them (before). */
void vsi_mac_link(struct vdpd *d, struct vsi *v);
void vsi_mac_unlink(struct vdpd *d, struct vsi *v);
/* The associated VSI on port with a MAC filter (mac, vid), the oldest if
 * several; NULL: none. */
struct vsi *vdpd_vsi_by_mac(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid);
/* Sets v's keepalive deadline, in the heap. */
void vsi_deadline_set(struct vdpd *d, struct vsi *v, uint64_t deadline_ns);
/* The VSI whose deadline comes first; NULL: none. */
struct vsi *vsi_deadline_first(struct vdpd *d);
/* Indexes n by VNID: 0 or -ENOMEM. */
int vnid_index_add(struct vdpd *d, struct vnid *n);
void vnid_index_del(struct vdpd *d, struct vnid *n);
void vdpd_index_free(struct vdpd *d);

/* fairness.c: what one port may take (caps, new-VSI rate, log quota). */
unsigned fair_share(unsigned n);
/* Sets each port's caps and rates from its conf, limits = { }, the pool. */
void fair_init_ports(struct vdpd *d);
/* A token bucket of rate tokens a second, burst deep, as the time *tat
 * at which it is full again: takes a token, or says there is none. */
bool fair_take(uint64_t *tat, unsigned rate, unsigned burst, uint64_t now_ns);
/* Whether fair_take() would let one through, taking nothing. */
bool fair_ready(uint64_t tat, unsigned rate, unsigned burst, uint64_t now_ns);
/* How long from now_ns until the bucket holds tokens + 1 tokens. */
uint64_t fair_wait_ns(uint64_t tat, unsigned rate, unsigned burst, unsigned tokens,
                      uint64_t now_ns);
/* Takes a token for a new VSI on port; false: refuse (new-vsi-rate). */
bool fair_new_vsi(struct vdpd *d, unsigned port, uint64_t now_ns);
/* REASON_OK, or the cap port has reached. */
enum reason fair_vlan_check(const struct vdpd *d, unsigned port);
enum reason fair_vnid_check(const struct vdpd *d, unsigned port);
void fair_vlan_charge(struct vdpd *d, struct vnid *n, unsigned port);
void fair_vlan_uncharge(struct vdpd *d, struct vnid *n);
void fair_vnid_charge(struct vdpd *d, struct vnid *n, unsigned port);
void fair_vnid_uncharge(struct vdpd *d, struct vnid *n);
/* Whether a refusal on port may be logged now (d->now_ns): LOG_QUOTA a
 * second, the rest counted and summed up once the second is over. */
bool fair_log_ok(struct vdpd *d, unsigned port);

/* vdpdu.c: one received VDPDU in, one response VDPDU out (0 if none). */
size_t vdpd_handle_pdu(struct vdpd *d, unsigned port, const uint8_t *pdu, size_t len,
                       uint64_t now_ns, uint8_t *resp, size_t cap);

/* vsi.c: the bridge role for VSI TLVs. */
void vsi_handle(struct vdpd *d, unsigned port, const struct vdp_vsi *req,
                const uint8_t mgrid[VDP_MGRID_LEN], uint64_t now_ns, struct vdp_vsi *resp);
/* A request vdp_vsi_decode() refused with err, whose fixed part head (from
 * vdp_vsi_head_decode()) names its VSI: counted, logged, and head's status
 * set to the answer (error 1, or 5 for VID 4095; HARD; KEEP when the VSI
 * is known).  Nothing else changes. */
void vsi_refuse_malformed(struct vdpd *d, unsigned port, int err, struct vdp_vsi *head);
/* Removes a VSI (and, for the VNID's last one, the VNID's kernel state),
 * telling the station with an unsolicited De-Associate when `notify`. */
int vsi_remove(struct vdpd *d, struct vsi *v, bool notify, const char *why);
/* De-associates every VSI whose keepalive deadline has passed. */
unsigned vsi_expire(struct vdpd *d, uint64_t now_ns);
/* Bridge keepalive timeout for a port's timers, in ns. */
uint64_t vsi_keepalive_ns(const struct vdp_evb_tlv *t);

/* vnid_policy.c: the VNID policy lists. */
void policy_handle(struct vdpd *d, unsigned port, const struct vdp_policy *req,
                   struct vdp_policy *resp);
/* A Policy TLV the decoder refused with err, whose fixed part head (from
 * vdp_policy_head_decode(), VNID mapped) names the VNID: counted, logged,
 * head's status set to the answer (error 1, HARD; KEEP when the VNID has a
 * synced list).  Nothing else changes. */
void policy_refuse_malformed(struct vdpd *d, unsigned port, int err, struct vdp_policy *head);
/* The VNID's list, made (and charged to port) when new; NULL with why. */
struct vnid *policy_vnid_get(struct vdpd *d, unsigned port, uint32_t vnid, enum reason *why);
void policy_vnid_put(struct vdpd *d, struct vnid *n);

/* policy_check.c: whether a Policy Sync or Update's entries can be taken
 * as they are.  REASON_OK, or REASON_POLICY_VALUE / _UNSUPPORTED with why
 * naming the entry ("entry 1 (acl): ports with protocol 1: ..."). */
enum reason policy_check(const struct vdp_policy *pol, char *why, size_t cap);

/* kprog.c: the kernel state a VSI or VNID needs, as operations. */
struct kop_list {
	size_t n, cap;
	struct kop *ops;
};
void kop_list_free(struct kop_list *l);
int kop_list_push(struct kop_list *l, const struct kop *op);
/* Appends what enabling (add) or disabling (!add) VSI v with VNID n's
 * policy on its port takes, given the counts before the change. */
int kprog_vsi(const struct vdpd *d, const struct vsi *v, const struct vnid *n,
              const struct vdp_policy *pol, bool add, struct kop_list *l);
/* Only the policy-derived part (ACL, bandwidth, QoS), for Policy Update. */
int kprog_policy(const struct vdpd *d, const struct vsi *v, const struct vnid *n,
                 const struct vdp_policy *pol, bool add, struct kop_list *l);
/* Whether the backend could program policy entry e on any VSI: kop_check()
 * of the op kprog_policy() makes of it.  0, or -EINVAL with why. */
int kprog_entry_check(const struct vdp_policy_entry *e, char *why, size_t cap);
/* Drops DEL/ADD pairs of the same object within the list. */
void kop_list_cancel_pairs(struct kop_list *l);
/* Port and uplink VLAN membership changes for one VSI being enabled or
 * disabled (only at the first / last user of the VLAN). */
int kprog_vlan(const struct vdpd *d, const struct vsi *v, const struct vnid *n, bool add,
               struct kop_list *l);
/* Applies l; logs and counts a failure.  0 or a negative errno. */
int kprog_apply(struct vdpd *d, unsigned port, struct kop_list *l, const char *what);

#endif
