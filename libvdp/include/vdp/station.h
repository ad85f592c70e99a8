/* SPDX-License-Identifier: ISC */
/* libvdp: the VDP station role and the VM-manager API (IEEE 802.1Qbg-2012
 * clause 41, with the VNID-policy policy extensions of vdp-protocol(7)).
 *
 * A hypervisor (or a VM manager acting for it) opens one station, adds the
 * links that lead to its switches, declares its virtual networks and then
 * tells the station when VMs are created, migrate in, migrate out or are
 * removed.  The station turns each call into VDP exchanges with every
 * switch that serves the VM's network:
 *
 *   create network    nothing on the wire: the policy is kept and sent
 *                     (Policy Sync) with the network's first VM on a link
 *   create VM         [Policy Sync] + Pre-Associate or Associate
 *   migrate in        the same with the M bit; the Policy Sync only when
 *                     the network has no VM on this server yet
 *   migrate out       De-Associate with the S bit, then Policy Remove when
 *                     it was the network's last VM on this server
 *   remove VM         De-Associate, then Policy Remove for the last VM
 *   update policy     Policy Update to every switch that holds the policy
 *
 * Every operation returns an id at once; its outcome arrives later, one
 * result per link, through the result callback (and vdp_station_wait()).
 * Keepalives, bridge-initiated De-Associates and Help Requests are handled
 * by the station; the last two are also reported through callbacks.
 *
 * Lost frames (libvdp(3)): a request without ECP ack or without answer is
 * sent again until the switch answers or the response wait has passed
 * since it first went out (a result within 1.25 response waits).  What
 * the VM manager can rely on after any loss pattern: a VM whose result on
 * a link is VDP_RESULT_OK is associated on that switch until it is
 * removed, unless an event says otherwise (VDP_EV_DEASSOC, then
 * VDP_EV_REASSOCIATED after the station's one automatic re-association,
 * or VDP_EV_LOST); any other result leaves the switch holding nothing of
 * it (what it may hold is undone with a De-Associate); and a switch times
 * out for lost keepalives only VMs the station reported first
 * (VDP_EV_KEEPALIVE_FAILED, VDP_EV_LOST, VDP_EV_CLEANUP_FAILED).
 *
 * Running it: the station never blocks and never sleeps on its own.  Either
 * poll vdp_station_fd() (it becomes readable when a frame arrives or a
 * timer expires) and call vdp_station_process(), or use the blocking
 * helpers vdp_station_run() and vdp_station_wait().
 *
 * Errors: functions that can fail return 0 (or a count) on success and a
 * negative errno value on failure, and leave a sentence saying what was
 * wrong in vdp_station_error().  Every argument is checked.
 *
 * Threads: a station is used from one thread at a time.  Callbacks run
 * inside libvdp calls (process, run, wait, input and the operations); they
 * may call any station function except vdp_station_free().
 *
 * See libvdp(3) for a walk through, and vdp-station(8) for the CLI.
 */
#ifndef VDP_STATION_H
#define VDP_STATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/export.h>
#include <vdp/tlv.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vdp_station;

#define VDP_STATION_MAX_LINKS 32 /* links (switches) per station */
#define VDP_STATION_NAME_LEN  16 /* link names, with the NUL (IFNAMSIZ) */

/* --- lifecycle --------------------------------------------------------- */

/* Creates a station.  mgrid is the VSI Manager ID sent in every VDPDU: a
 * name of 1..16 octets (NULL: "libvdp").  Returns NULL with errno EINVAL
 * (bad mgrid) or ENOMEM. */
VDP_API struct vdp_station *vdp_station_new(const char *mgrid);
/* Closes the links and frees everything.  Pending operations are dropped
 * without results; nothing is sent (the switches will time the VSIs out). */
VDP_API void vdp_station_free(struct vdp_station *st);

/* The last error's explanation ("" if none).  Valid until the next call. */
VDP_API const char *vdp_station_error(const struct vdp_station *st);

/* A monotonic clock in nanoseconds.  The default is CLOCK_MONOTONIC; tests
 * install a fake one.  Set it before adding links. */
typedef uint64_t vdp_station_clock_fn(void *arg);
VDP_API int vdp_station_set_clock(struct vdp_station *st, vdp_station_clock_fn *fn, void *arg);

/* --- links -------------------------------------------------------------- */

/* Adds a link on a Linux interface: an AF_PACKET socket that sends and
 * receives ECP (EtherType 0x8940) and LLDP on it.  Needs CAP_NET_RAW.
 * -ENODEV (no such interface), -EEXIST, -ENOSPC (too many links), -EPERM. */
VDP_API int vdp_station_add_interface(struct vdp_station *st, const char *ifname);

/* Adds a link whose frames the caller carries: libvdp calls send() with
 * whole Ethernet frames (ECP, LLDP and the help handler's DHCP frames) and
 * the caller feeds received frames to vdp_station_input().  For user-space
 * switches, and for tests.  send() returns 0 or a negative value. */
typedef int vdp_station_send_fn(void *ctx, const uint8_t *frame, size_t len);
VDP_API int vdp_station_add_link(struct vdp_station *st, const char *name, const uint8_t mac[6],
                                 vdp_station_send_fn *send, void *ctx);

/* Hands one received frame to a link added with vdp_station_add_link().
 * Frames of other EtherTypes are ignored.  Returns 0 or -ENOENT. */
VDP_API int vdp_station_input(struct vdp_station *st, const char *link, const uint8_t *frame,
                              size_t len);

/* --- timers (EVB) ----------------------------------------------------- */

/* The EVB exponents of IEEE 802.1Qbg D.2.12: R retransmissions (0..7), ECP
 * ack timeout 10us*2^RTE, resource wait 10us*2^RWD, keepalive 10us*2^RKA
 * (each exponent 0..31). */
struct vdp_timers {
	uint8_t r, rte, rwd, rka;
};

/* Sets the timers the station advertises and, until a bridge EVB TLV
 * says otherwise, runs with, on one link (NULL: every link, and the ones
 * added later).  Default: R 3, RTE 8, RWD 20, RKA 20.  A bridge EVB TLV
 * (see LLDP below) raises each to the larger of the two values.
 * -EINVAL when a value is out of range. */
VDP_API int vdp_station_set_timers(struct vdp_station *st, const char *link,
                                   const struct vdp_timers *t);

/* How the station EVB TLV reaches the bridge and the bridge's reaches us.
 *   VDP_LLDP_BUILTIN  libvdp sends its own LLDPDUs (Chassis ID, Port ID,
 *                     TTL, EVB TLV) to the nearest-customer-bridge address
 *                     every interval (fast at start), and reads the
 *                     bridge's EVB TLV from the LLDPDUs it receives.  For
 *                     hosts without an LLDP agent (the default).
 *   VDP_LLDP_EXTERNAL an LLDP agent of the host (lldpd) carries the TLV:
 *                     libvdp sends no LLDPDU; give the agent
 *                     vdp_station_evb_tlv()'s octets and feed the bridge's
 *                     TLV to vdp_station_evb_input().  lldpd does this with
 *                     `lldpcli configure lldp custom-tlv oui 00,80,c2
 *                     subtype 13 oui-info ...`; vdp-station(8) does it with
 *                     liblldpctl (--lldp lldpd).  See libvdp(3).
 * LLDPDUs received are read in both modes.  interval_ms: 1000..3600000, or 0
 * for the default 30000. */
enum vdp_lldp_mode { VDP_LLDP_BUILTIN = 0, VDP_LLDP_EXTERNAL = 1 };
VDP_API int vdp_station_set_lldp(struct vdp_station *st, enum vdp_lldp_mode mode,
                                 unsigned interval_ms);

/* The whole 11-octet EVB TLV the station advertises on a link now. */
VDP_API int vdp_station_evb_tlv(struct vdp_station *st, const char *link, uint8_t tlv[11]);
/* The bridge's EVB TLV on a link as an LLDP agent received it: the 5 info
 * octets after OUI and subtype.  A TLV in station mode is ignored (another
 * station's, seen through a bridge that floods).  -EINVAL if malformed. */
VDP_API int vdp_station_evb_input(struct vdp_station *st, const char *link, const uint8_t info[5]);

/* --- networks (station_ops.c) -------------------------------------------- */

/* Declares a virtual network.  vnid: 0..2^32-1 (the low 24 bits travel as
 * the VSI Type ID, the high 8 as the VSI Type Version).  policy: the
 * entries to sync (its type, status and vnid fields are ignored), or NULL
 * for a plain 802.1Qbg network that sends no policy TLVs at all (for
 * switches without the VNID-policy extensions, such as lldpad).  links: a
 * NULL-terminated list of link names that serve the network, or NULL for
 * every link of the station (also the ones added later).
 * Nothing is sent now.  -EEXIST, -ENOENT (unknown link), -EINVAL. */
VDP_API int vdp_station_create_network(struct vdp_station *st, uint32_t vnid,
                                       const struct vdp_policy *policy, const char *const *links);

/* Forgets a network that has no VMs; a switch that still holds its policy
 * is sent a Policy Remove (*op then names that operation; 0 when nothing
 * had to be sent).  -ENOENT, -EBUSY (VMs remain). */
VDP_API int vdp_station_delete_network(struct vdp_station *st, uint32_t vnid, uint32_t *op);

/* Replaces a network's policy; every switch that holds it gets a Policy
 * Update, the others will get the new policy with the network's next VM.
 * Not for plain networks (-EINVAL). */
VDP_API int vdp_station_update_policy(struct vdp_station *st, uint32_t vnid,
                                      const struct vdp_policy *policy, uint32_t *op);

/* --- VMs (station_ops.c) ------------------------------------------------- */

struct vdp_vm {
	uint32_t vnid;                /* a network created before */
	uint8_t vsiid_fmt;            /* VDP_VSIID_IPV4 .. VDP_VSIID_UUID */
	uint8_t vsiid[VDP_VSIID_LEN]; /* as vdp-protocol(7) lays it out */
	uint8_t mac[6];               /* the VM's MAC: unicast, not zero */
	uint16_t vid;                 /* 0: the switch chooses; 1..4094 */
	uint8_t ipv4[4];              /* last known address, 0.0.0.0 if none */
	bool preassoc;                /* Pre-Associate instead of Associate */
};

/* A new VM: [Policy Sync] then Associate (or Pre-Associate) on each link of
 * its network.  -ENOENT (no such network), -EEXIST (VSIID known),
 * -EINVAL (a field out of range), -ENODEV (the network has no link). */
VDP_API int vdp_station_create_vm(struct vdp_station *st, const struct vdp_vm *vm, uint32_t *op);
/* A VM that has just migrated in: as create, with the M bit set in this
 * and every later request for it (keepalives included). */
VDP_API int vdp_station_migrate_in(struct vdp_station *st, const struct vdp_vm *vm, uint32_t *op);
/* Associates a known VM again: turns a Pre-Associate into an Associate,
 * or restores a VM the switch de-associated or that failed on some link. */
VDP_API int vdp_station_associate(struct vdp_station *st, uint8_t vsiid_fmt,
                                  const uint8_t vsiid[VDP_VSIID_LEN], uint32_t *op);
/* The VM leaves this server: De-Associate with the S bit, and a Policy
 * Remove when it was its network's last VM here.  The VM is forgotten at
 * once (no more keepalives) whatever the switches answer. */
VDP_API int vdp_station_migrate_out(struct vdp_station *st, uint8_t vsiid_fmt,
                                    const uint8_t vsiid[VDP_VSIID_LEN], uint32_t *op);
/* The VM is deleted: as migrate out, without the S bit. */
VDP_API int vdp_station_remove_vm(struct vdp_station *st, uint8_t vsiid_fmt,
                                  const uint8_t vsiid[VDP_VSIID_LEN], uint32_t *op);
/* Records the VM's IPv4 address (for the Help Request handler). */
VDP_API int vdp_station_set_vm_ip(struct vdp_station *st, uint8_t vsiid_fmt,
                                  const uint8_t vsiid[VDP_VSIID_LEN], const uint8_t ipv4[4]);

/* --- results -------------------------------------------------------------- */

enum vdp_op_kind {
	VDP_OP_CREATE_VM = 1,
	VDP_OP_MIGRATE_IN,
	VDP_OP_ASSOCIATE,
	VDP_OP_MIGRATE_OUT,
	VDP_OP_REMOVE_VM,
	VDP_OP_UPDATE_POLICY,
	VDP_OP_DELETE_NETWORK,
};
VDP_API const char *vdp_op_kind_name(enum vdp_op_kind k); /* "create-vm", ... */

/* NO_ACK and TIMEOUT are not the first lost frame: a request without an
 * answer is sent again until the switch answers or the station gives up
 * (libvdp(3), "Lost frames"); they say why it gave up. */
enum vdp_result_status {
	VDP_RESULT_OK = 0,  /* the switch accepted every request */
	VDP_RESULT_REFUSED, /* the switch answered with an error code */
	VDP_RESULT_NO_ACK,  /* given up: ECP acknowledged none of the requests */
	VDP_RESULT_TIMEOUT, /* given up: acknowledged, but never answered */
	VDP_RESULT_ERROR,   /* not sent: a local failure (see error_text) */
};
VDP_API const char *vdp_result_status_name(enum vdp_result_status s); /* "ok", ... */

/* One operation's outcome on one link.  Growable (libvdp(3)): in a
 * callback, size is libvdp's sizeof; see VDP_HAS_FIELD(). */
struct vdp_station_result {
	size_t size;
	uint32_t op; /* what the call returned in *op */
	enum vdp_op_kind kind;
	const char *link; /* link name; "" when no link was involved */
	uint32_t vnid;
	uint8_t vsiid_fmt; /* 0 for network operations */
	uint8_t vsiid[VDP_VSIID_LEN];
	enum vdp_result_status status;
	/* The TLV type of the exchange that decided the status: the failing
	 * one, or the last one sent (0 if nothing was sent). */
	uint8_t stage;
	uint8_t error;          /* the switch's error code (VDP_ST_*) */
	bool keep, hard;        /* the response's KEEP and HARD bits */
	const char *error_text; /* "success", vdp_status_err_name(), or why
	                           (a static string: valid forever) */
	uint16_t vid;           /* the VLAN the switch assigned, 0 if none */
	uint16_t sent;          /* bit (1 << TLV type) per request type sent */
	unsigned links_pending; /* results still to come for this op */
	/* Requests sent again, each as a new ECP PDU, because an earlier one
	 * went unacknowledged or unanswered; and ECP retransmissions. */
	unsigned resends, retransmits;
	/* What happened on the way, for people: "no ECP ack after 4 tries of
	 * 2.56 ms; the switch answered 9 ms later"; "" when nothing notable. */
	char detail[160];
};

/* --- events --------------------------------------------------------------- */

enum vdp_event_kind {
	VDP_EV_DEASSOC = 1,      /* the switch de-associated a VM: unsolicited
	                            (the station re-associates it once, see
	                            REASSOCIATED and LOST), or a keepalive it
	                            refused (LOST at once) */
	VDP_EV_KEEPALIVE_FAILED, /* keepalives went unanswered so long that the
	                            switch may time the VM out: the VM is
	                            re-associated as after a DEASSOC */
	VDP_EV_EVB,              /* a bridge EVB TLV changed the link's timers */
	VDP_EV_HELP,             /* a Help Request was answered (see help) */
	VDP_EV_REASSOCIATED,     /* the automatic re-association succeeded */
	VDP_EV_LOST,             /* it was refused or unanswered: the VM is LOST
	                            on the link until vdp_station_associate() */
	VDP_EV_CLEANUP_FAILED,   /* a De-Associate the station sent on its own,
	                            after giving up a request, went unanswered:
	                            the switch may hold the VM until its
	                            keepalive timeout */
	VDP_EV_RESYNCED,         /* the switch refused a request for want of the
	                            network's policy (error 3: it lost it, e.g.
	                            restarted without its state): the station
	                            sent Policy Sync again and retries the
	                            request once; the request's result says
	                            how that went */
};
VDP_API const char *vdp_event_kind_name(enum vdp_event_kind k);

/* Strings in an event are valid during the callback only.  Growable
 * (libvdp(3)): size is libvdp's sizeof; see VDP_HAS_FIELD(). */
struct vdp_station_event {
	size_t size;
	enum vdp_event_kind kind;
	const char *link;
	uint32_t vnid; /* VM events */
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t error;            /* DEASSOC by a refused keepalive: its code;
	                             HELP: the code answered */
	const char *text;         /* what happened, for logs */
	struct vdp_timers timers; /* EVB: the timers now in use */
};

/* --- help requests (migration services) --------------------------------------------- */

/* Growable (libvdp(3)): in the callback, size is libvdp's sizeof; one
 * built for vdp_station_help_default() sets it to its own sizeof. */
struct vdp_station_help {
	size_t size;
	const char *link;
	uint8_t flags; /* VDP_HELP_DHCP */
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t mac[6]; /* the VM's MAC (ours if known, else the switch's) */
	uint16_t vid;   /* the VM's VLAN on this link */
	uint8_t pcp;
	bool ps;
	uint8_t ipv4[4]; /* ours if set, else the switch's */
	bool known;      /* the VSIID is a VM of this station */
};

/* Return VDP_HELP_DEFAULT to run the built-in handler, or the error code to
 * answer with (0 = done, VDP_ST_*). */
#define VDP_HELP_DEFAULT (-1)
typedef int vdp_station_help_fn(void *arg, struct vdp_station *st,
                                const struct vdp_station_help *h);

/* The built-in handler: for a known VM with an IPv4 address, sends a
 * DHCPREQUEST (RFC 2131 RENEWING: ciaddr = the VM's address, chaddr = its
 * MAC) from the VM's MAC and address, tagged with its VLAN, to the DHCP
 * server (vdp_station_set_dhcp_server(); default 255.255.255.255) on the
 * link the request came from, and returns 0.  Returns VDP_ST_OTHER_FAILURE
 * (4) for a VM this station does not have, one without an address, or a
 * frame that cannot be sent. */
VDP_API int vdp_station_help_default(struct vdp_station *st, const struct vdp_station_help *h);
VDP_API int vdp_station_set_dhcp_server(struct vdp_station *st, const char *ipv4);

/* --- callbacks ---------------------------------------------------------- */

typedef void vdp_station_result_fn(void *arg, const struct vdp_station_result *r);
typedef void vdp_station_event_fn(void *arg, const struct vdp_station_event *ev);
VDP_API int vdp_station_on_result(struct vdp_station *st, vdp_station_result_fn *fn, void *arg);
VDP_API int vdp_station_on_event(struct vdp_station *st, vdp_station_event_fn *fn, void *arg);
VDP_API int vdp_station_on_help(struct vdp_station *st, vdp_station_help_fn *fn, void *arg);

/* --- running it ---------------------------------------------------------- */

/* A descriptor that polls readable when vdp_station_process() has work
 * (a frame on an interface link, or an expired timer). */
VDP_API int vdp_station_fd(const struct vdp_station *st);
/* Milliseconds until the next timer (rounded up), -1 if none. */
VDP_API int vdp_station_next_timeout(const struct vdp_station *st);
/* The same as an absolute time of the station's clock; UINT64_MAX if none. */
VDP_API uint64_t vdp_station_next_deadline(const struct vdp_station *st);
/* Reads pending frames, runs expired timers and delivers callbacks.
 * Never blocks.  Returns 0 or a negative errno of a socket error. */
VDP_API int vdp_station_process(struct vdp_station *st);

/* Blocks, processing, for timeout_ms (-1: until vdp_station_break()). */
VDP_API int vdp_station_run(struct vdp_station *st, int timeout_ms);
VDP_API void vdp_station_break(struct vdp_station *st);

/* Blocks until operation op has a result on every link or timeout_ms
 * passes (-1: no limit; an operation's result comes at most 1.25 response
 * waits after its request first went out).  Copies up to cap results into res (may be NULL) and
 * sets *n. res[0].size must be sizeof(struct vdp_station_result): libvdp takes it as the array's
 * element size and sets every element's size to it. Returns 0 if every link succeeded, -EIO if one
 * failed, -ETIMEDOUT, or -ENOENT for an op that never existed or whose results were already
 * collected (the last 64 finished operations are kept); -EINVAL, with
 * nothing collected, when res[0].size is not set. */
VDP_API int vdp_station_wait(struct vdp_station *st, uint32_t op, int timeout_ms,
                             struct vdp_station_result *res, size_t cap, size_t *n);

/* --- looking at the state -------------------------------------------- */

enum vdp_vsi_state {
	VDP_VSI_NONE = 0, /* nothing granted on this link */
	VDP_VSI_PENDING,  /* a request is under way */
	VDP_VSI_PREASSOC, /* pre-associated */
	VDP_VSI_ASSOC,    /* associated */
	VDP_VSI_LOST,     /* de-associated by the switch, not re-associated */
	VDP_VSI_FAILED,   /* refused or unanswered; see associate() */
};
VDP_API const char *vdp_vsi_state_name(enum vdp_vsi_state s);

struct vdp_station_vm_link {
	const char *link;
	enum vdp_vsi_state state;
	uint16_t vid; /* as granted */
};

/* The *_info structures are growable (libvdp(3)): set size to their
 * sizeof before the call; libvdp fills in no more than that. */
struct vdp_station_vm_info {
	size_t size;
	struct vdp_vm vm; /* as created (vid: as requested) */
	bool migrated;    /* created by migrate-in (M bit) */
	unsigned nlinks;
	struct vdp_station_vm_link links[VDP_STATION_MAX_LINKS];
};

enum vdp_sync_state {
	VDP_SYNC_NONE = 0, /* the switch does not hold the policy */
	VDP_SYNC_SYNCING,  /* Policy Sync under way */
	VDP_SYNC_SYNCED,   /* the switch holds it */
	VDP_SYNC_REMOVING, /* Policy Remove under way */
};
VDP_API const char *vdp_sync_state_name(enum vdp_sync_state s);

struct vdp_station_net_info {
	size_t size;
	uint32_t vnid;
	bool plain; /* no policy TLVs (plain 802.1Qbg) */
	struct vdp_policy policy;
	unsigned nvms;
	unsigned nlinks;
	struct {
		const char *link;
		enum vdp_sync_state sync;
	} links[VDP_STATION_MAX_LINKS];
};

struct vdp_station_link_info {
	size_t size;
	const char *name;
	uint8_t mac[6];
	bool interface;           /* a Linux interface (else caller's I/O) */
	struct vdp_timers local;  /* advertised */
	struct vdp_timers timers; /* in use */
	bool bridge_evb;          /* a bridge EVB TLV was received */
	bool peer_known;          /* the bridge's MAC is known */
	uint8_t peer[6];
	uint64_t tx_pdus, rx_pdus, tx_lldp, rx_lldp, keepalives, foreign, unmatched;
	/* Lost frames: requests sent again (new ECP PDUs), exchanges given
	 * up, acks after ECP gave up, and ECP's own retransmissions and
	 * requests it gave up. */
	uint64_t resends, given_up, late_acks, retransmits, ecp_failures;
};

/* Each fills one entry by position (0..) and returns 0, -ENOENT past the
 * last, or -EINVAL when out->size is not set.  Strings point into the
 * station; valid until it changes. */
VDP_API int vdp_station_vm_at(const struct vdp_station *st, unsigned i,
                              struct vdp_station_vm_info *out);
VDP_API int vdp_station_net_at(const struct vdp_station *st, unsigned i,
                               struct vdp_station_net_info *out);
VDP_API int vdp_station_link_at(const struct vdp_station *st, unsigned i,
                                struct vdp_station_link_info *out);

#ifdef __cplusplus
}
#endif

#endif
