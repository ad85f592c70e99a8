/* SPDX-License-Identifier: ISC */
/* libvdp internal: the station's tables, shared by station*.c.
 *
 * The core (station.c, station_ops.c, station_task.c, station_rx.c,
 * station_lldp.c, station_dhcp.c) does no I/O of its own and reads time only
 * through st->clock: frames leave through each link's send callback and
 * arrive through st_link_input().  station_io.c adds the Linux part (raw
 * sockets, epoll, timerfd) around it, so the unit tests can drive the very
 * same core with a fake link and a fake clock.
 *
 * Work is organised in three layers:
 *   op        one API call (create-vm, ...), with one task per link and the
 *             results collected for vdp_station_wait();
 *   task      the call's script on one link (Policy Sync, Associate, ...),
 *             advanced by st_tasks_kick() whenever anything completes;
 *   exchange  one request TLV, sent over ECP until the bridge answers it
 *             (matched by type and VSIID, or type and VNID) or the
 *             station gives up (station_xchg.c: the retry policy).
 * Keepalives are exchanges without a task; so are the tasks the station
 * starts on its own (a De-Associate after giving up, a re-association
 * after the bridge's De-Associate), which are tasks without an op.
 */
#ifndef VDP_STATION_INT_H
#define VDP_STATION_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <vdp/ecp_engine.h>
#include <vdp/evb.h>
#include <vdp/station.h>
#include <vdp/tlv.h>

#define ST_MAX_LINKS     VDP_STATION_MAX_LINKS
#define ST_DONE_KEEP     64    /* finished ops kept for vdp_station_wait() */
#define ST_ECP_DEPTH     1024  /* requests the ECP engine may queue per link */
#define ST_LLDP_INTERVAL 30000 /* ms between LLDPDUs (802.1AB msgTxInterval) */
#define ST_LLDP_FAST     3     /* LLDPDUs 1 s apart after a link comes up */
#define ST_ERRLEN        256
#define ST_ATTEMPTS_MAX  8   /* requests per exchange (see station_xchg.c) */
#define ST_DETAIL_LEN    160 /* vdp_station_result.detail */

typedef uint32_t st_mask; /* one bit per link index */

struct st_link {
	struct vdp_station *st;
	unsigned idx;
	char name[VDP_STATION_NAME_LEN];
	uint8_t mac[6];
	struct vdp_ecp_engine *ecp;
	vdp_station_send_fn *send;
	void *ctx;
	int fd; /* interface links: the AF_PACKET socket; else -1 */
	int ifindex;
	bool own_timers;         /* set_timers named this link */
	struct vdp_timers local; /* advertised */
	struct vdp_timers use;   /* in use: local, raised by the bridge's TLV */
	bool bridge_evb;
	struct vdp_evb_tlv bridge; /* the bridge's last EVB TLV */
	bool peer_known;           /* learnt from the first matched response */
	uint8_t peer[6];
	uint64_t next_lldp;
	unsigned lldp_fast;
	uint64_t tx_pdus, rx_pdus, tx_lldp, rx_lldp, keepalives, foreign, unmatched;
	uint64_t resends, given_up, late_acks;
};

struct st_net {
	TAILQ_ENTRY(st_net) entry;
	uint32_t vnid;
	bool plain;     /* no policy TLVs */
	bool all_links; /* served by every link, present and future */
	st_mask links;
	struct vdp_policy policy; /* type VDP_TLV_POLICY_SYNC */
	enum vdp_sync_state sync[ST_MAX_LINKS];
	bool deleted; /* delete-network under way; freed with its op */
};

struct st_vm_link {
	enum vdp_vsi_state state;
	uint16_t vid;     /* granted */
	uint8_t granted;  /* TLV type the switch granted (keepalive) */
	uint64_t next_ka; /* UINT64_MAX: no keepalive due */
	uint32_t ka_xid;  /* keepalive exchange in flight, 0 if none */
	/* When the station last re-associated the VM on its own (0: never):
	 * a De-Associate soon after that is not answered with another. */
	uint64_t reassoc_at;
	uint64_t ka_ok; /* the switch's last answer to the VM's request */
};

struct st_vm {
	TAILQ_ENTRY(st_vm) entry;
	struct vdp_vm vm;
	bool migrated; /* requests carry the M bit */
	bool gone;     /* removed by the API; freed with its tasks */
	st_mask links;
	struct st_vm_link l[ST_MAX_LINKS];
};

enum st_task_kind {
	TK_UP,         /* create / migrate-in / associate: [sync] + (pre)assoc */
	TK_DOWN,       /* remove / migrate-out: deassoc + [policy remove] */
	TK_UPDATE,     /* Policy Update */
	TK_NET_REMOVE, /* delete-network: Policy Remove where still held */
	TK_UNDO,       /* no op: De-Associate (vm) or Policy Remove (net only)
	                  for a request given up, which the bridge may hold */
};

enum st_phase { PH_START, PH_SYNC_WAIT, PH_XCHG, PH_DONE };

struct st_op;

struct st_task {
	TAILQ_ENTRY(st_task) entry;
	struct st_op *op;
	unsigned link;
	enum st_task_kind kind;
	enum st_phase phase;
	struct st_vm *vm; /* TK_UP, TK_DOWN */
	struct st_net *net;
	uint32_t vnid;
	uint8_t fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t vsi_type;        /* TK_UP: ASSOC or PREASSOC; TK_DOWN: DEASSOC */
	uint8_t vsi_status;      /* M or S bit */
	enum vdp_vsi_state prev; /* TK_UP: the state a KEEP refusal restores */
	uint32_t xid;            /* exchange in flight */
	bool auto_up;            /* TK_UP without op: re-association (events) */
	bool resynced;           /* the policy was re-sent once for this task */
	struct vdp_station_result res;
};

struct st_op {
	TAILQ_ENTRY(st_op) entry;
	uint32_t id;
	enum vdp_op_kind kind;
	unsigned pending;   /* tasks not finished */
	struct st_vm *vm;   /* create-vm / migrate-in: forgotten if every link fails */
	struct st_net *net; /* delete-network: freed when done */
	bool failed;
	unsigned nres;
	struct vdp_station_result res[ST_MAX_LINKS];
};

enum st_xkind { XK_TASK, XK_KEEPALIVE };

/* Where an exchange stands between the bridge's answers (station_xchg.c). */
enum st_xwait {
	XW_ECP,     /* a request is with the ECP engine, not acknowledged yet */
	XW_ANSWER,  /* acknowledged: the answer is awaited until deadline */
	XW_BACKOFF, /* unacknowledged: sent again at deadline */
	XW_LINGER,  /* no more requests: answers are awaited until deadline */
};

struct st_xchg {
	TAILQ_ENTRY(st_xchg) entry;
	uint32_t id; /* the ECP cookie of each of its requests */
	enum st_xkind kind;
	unsigned link;
	uint8_t type; /* request TLV type */
	uint32_t vnid;
	uint8_t fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	struct st_task *task; /* XK_TASK */
	/* The request, kept to be sent again (VDP requests are idempotent at
	 * the bridge: a repeat is answered as the first was). */
	size_t len;
	uint8_t pdu[VDP_ECP_MAX_ULPDU];
	enum st_xwait wait;
	uint64_t deadline;  /* XW_ANSWER, XW_BACKOFF, XW_LINGER; else UINT64_MAX */
	uint64_t queued;    /* when the first request was handed to ECP */
	uint64_t first_tx;  /* the first request's first transmission, 0 until known */
	unsigned attempts;  /* requests handed to ECP */
	unsigned in_ecp;    /* of those, still queued or in flight */
	bool acked;         /* one of them was acknowledged */
	unsigned noacks;    /* ... were given up by ECP */
	unsigned timeouts;  /* ... were acknowledged and not answered in time */
	unsigned late_acks; /* ... were acknowledged after ECP gave up */
	unsigned retransmits;
	unsigned noack_tries; /* the last unacknowledged one's tries */
	uint64_t ack_timeout; /* ... and the ack timeout of each */
	uint64_t last_noack;  /* when ECP last gave up, 0 if never */
	uint64_t late_by;     /* the last late ack: how late */
	/* XK_KEEPALIVE: when the bridge last showed it had the VM's request
	 * (an answer before this exchange, or an ack of it): its keepalive
	 * timer runs from about then. */
	uint64_t confirmed;
};

/* A callback waiting to be delivered (see st_leave()). */
struct st_note {
	int what; /* 0 result, 1 event */
	struct vdp_station_result res;
	struct vdp_station_event ev;
	char text[256]; /* events carry a result's detail and more */
};

TAILQ_HEAD(st_net_list, st_net);
TAILQ_HEAD(st_vm_list, st_vm);
TAILQ_HEAD(st_task_list, st_task);
TAILQ_HEAD(st_op_list, st_op);
TAILQ_HEAD(st_xchg_list, st_xchg);

struct vdp_station {
	struct vdp_mgrid mgrid;
	char err[ST_ERRLEN];
	vdp_station_clock_fn *clock;
	void *clock_arg;

	unsigned nlinks;
	struct st_link *links[ST_MAX_LINKS];
	struct vdp_timers timers; /* default for links without their own */
	enum vdp_lldp_mode lldp;
	unsigned lldp_interval_ms;
	uint8_t dhcp_server[4];

	struct st_net_list nets;
	struct st_vm_list vms;
	struct st_task_list tasks;
	struct st_op_list ops, done;
	unsigned ndone;
	struct st_xchg_list xchgs;
	uint32_t next_op, next_xid;
	unsigned finished; /* tasks finished so far (st_tasks_kick) */

	vdp_station_result_fn *on_result;
	void *result_arg;
	vdp_station_event_fn *on_event;
	void *event_arg;
	vdp_station_help_fn *on_help;
	void *help_arg;

	/* Callbacks are queued and delivered when the outermost libvdp call
	 * returns, so that the tables are consistent when they run and a
	 * callback may call back into the station. */
	unsigned depth;
	struct st_note *notes;
	size_t nnotes, notes_cap;

	/* station_io.c */
	int epfd, tfd;
	bool brk;
};

/* station.c */
uint64_t st_now(const struct vdp_station *st);
int st_fail(struct vdp_station *st, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void st_enter(struct vdp_station *st);
void st_leave(struct vdp_station *st);
void st_post_result(struct vdp_station *st, const struct vdp_station_result *r);
void st_post_event(struct vdp_station *st, const struct vdp_station_event *ev);
struct st_link *st_link_find(const struct vdp_station *st, const char *name);
struct st_net *st_net_find(const struct vdp_station *st, uint32_t vnid);
/* The live (not removed) VM with this VSIID. */
struct st_vm *st_vm_find(const struct vdp_station *st, uint8_t fmt,
                         const uint8_t vsiid[VDP_VSIID_LEN]);
st_mask st_net_links(const struct vdp_station *st, const struct st_net *n);
int st_link_new(struct vdp_station *st, const char *name, const uint8_t mac[6],
                vdp_station_send_fn *send, void *ctx, struct st_link **out);
void st_link_free(struct st_link *l);
void st_link_set_use(struct st_link *l); /* recomputes l->use, tells ECP */
uint64_t st_response_wait_ns(const struct vdp_timers *t);
uint64_t st_keepalive_ns(const struct vdp_timers *t);
uint64_t st_bridge_keepalive_ns(const struct vdp_timers *t); /* its timeout */
void st_timers_to_evb(const struct vdp_timers *t, struct vdp_evb_tlv *e);

/* station_task.c */
struct st_op *st_op_new(struct vdp_station *st, enum vdp_op_kind kind);
/* A task without an op (TK_UNDO, automatic TK_UP), or NULL (no memory). */
struct st_task *st_task_auto(struct vdp_station *st, unsigned link, enum st_task_kind kind,
                             struct st_vm *vm, struct st_net *net);
struct st_task *st_task_add(struct vdp_station *st, struct st_op *op, unsigned link,
                            enum st_task_kind kind);
/* Finishes an op that got no task (nothing to send): one result, no link. */
void st_op_finish_empty(struct vdp_station *st, struct st_op *op, uint32_t vnid, const char *text);
void st_tasks_kick(struct vdp_station *st);
/* An exchange ended: r is the response TLV's status (and, for VSI TLVs,
 * the granted VID), or the status NO_ACK / TIMEOUT / ERROR when the
 * station gave up; detail says what happened (may be ""). */
struct st_reply {
	enum vdp_result_status status;
	uint8_t code;
	bool keep, hard;
	uint16_t vid;
	const char *text;
	unsigned resends, retransmits;
	const char *detail;
};
void st_xchg_done(struct vdp_station *st, struct st_xchg *x, const struct st_reply *r);
void st_task_end(struct vdp_station *st, struct st_task *t);
uint64_t st_task_deadline(const struct vdp_station *st);
void st_ops_free(struct vdp_station *st);

/* station_xchg.c: exchanges and the retry policy */
struct st_xchg *st_xchg_find(const struct vdp_station *st, uint32_t id);
struct st_xchg *st_xchg_match(const struct vdp_station *st, unsigned link, uint8_t type,
                              uint32_t vnid, uint8_t fmt, const uint8_t *vsiid);
void st_xchg_drop(struct vdp_station *st, struct st_xchg *x);
/* Encodes and sends a request; returns the exchange or NULL (st->err). */
struct st_xchg *st_send_vsi(struct vdp_station *st, unsigned link, enum st_xkind kind,
                            const struct st_vm *vm, uint8_t type, uint8_t status, uint16_t vid);
struct st_xchg *st_send_policy(struct vdp_station *st, unsigned link, const struct st_net *n,
                               uint8_t type);
/* ECP's report on one of an exchange's requests (the link's tx_report). */
void st_xchg_ecp(struct vdp_station *st, struct st_link *l, const struct vdp_ecp_tx_report *r);
/* The bridge answered x: completes it, with what happened on the way. */
void st_xchg_answer(struct vdp_station *st, struct st_xchg *x, struct st_reply *r);
void st_timeouts(struct vdp_station *st, uint64_t now);
uint64_t st_xchg_deadline(const struct vdp_station *st);
/* "2.56 ms", "15.8 s": a duration for messages. */
const char *st_dur(uint64_t ns, char *buf, size_t cap);

/* station_keep.c: keepalives, and what the bridge's De-Associate does */
void st_keepalives(struct vdp_station *st, uint64_t now);
uint64_t st_keepalive_deadline(const struct vdp_station *st);
void st_keepalive_done(struct vdp_station *st, const struct st_xchg *x, const struct st_reply *r);
/* The bridge de-associated vm on link (unsolicited, or keepalives given
 * up): event, then one automatic re-association.  text: what happened. */
void st_vm_lost_contact(struct vdp_station *st, struct st_vm *vm, unsigned link, const char *text);
/* The end of an automatic re-association (TK_UP without op). */
void st_reassoc_done(struct vdp_station *st, struct st_task *t, const struct st_reply *r);
void st_abandon_keepalive(struct vdp_station *st, struct st_vm *vm, unsigned link);
void st_vm_event(struct vdp_station *st, enum vdp_event_kind kind, const struct st_vm *vm,
                 unsigned link, uint8_t code, const char *text);

/* station_pdu.c: Manager ID + one TLV, into buf; length or negative vdp_err. */
int st_pdu_vsi(const struct vdp_mgrid *m, const struct vdp_vsi *v, uint8_t *buf, size_t cap);
int st_pdu_policy(const struct vdp_mgrid *m, const struct vdp_policy *p, uint8_t *buf, size_t cap);
int st_pdu_help(const struct vdp_mgrid *m, const struct vdp_help *h, uint8_t *buf, size_t cap);
/* Sends a ULPDU through the link's ECP engine with exchange id as cookie. */
int st_ecp_send(struct vdp_station *st, struct st_link *l, const uint8_t *pdu, size_t len,
                uint32_t id);

/* station_rx.c */
void st_link_input(struct st_link *l, const uint8_t *frame, size_t len);

/* station_lldp.c */
#define ST_LLDP_ETHERTYPE 0x88CC
/* Builds the station's LLDPDU for a link; returns its length. */
size_t st_lldp_build(const struct st_link *l, unsigned ttl_s, uint8_t *buf, size_t cap);
/* Finds the EVB TLV in an LLDPDU (after the Ethernet header); 1 if found. */
int st_lldp_find_evb(const uint8_t *lldpdu, size_t len, struct vdp_evb_tlv *out);
void st_lldp_input(struct st_link *l, const uint8_t *frame, size_t len);
void st_lldp_evb(struct st_link *l, const struct vdp_evb_tlv *bridge);
void st_lldp_tick(struct vdp_station *st, uint64_t now);
uint64_t st_lldp_deadline(const struct vdp_station *st);
void st_lldp_advertise(struct st_link *l, struct vdp_evb_tlv *out);

/* station_dhcp.c */
#define ST_DHCP_FRAME_MAX 400
/* A DHCPREQUEST (RENEWING) frame from mac/ip; vid 0: untagged. */
size_t st_dhcp_request(const uint8_t mac[6], const uint8_t ip[4], const uint8_t server[4],
                       uint16_t vid, uint8_t pcp, uint32_t xid, uint8_t *buf, size_t cap);
void st_help_input(struct st_link *l, const struct vdp_help *h);

/* station_io.c */
void st_io_rearm(struct vdp_station *st);
int st_io_init(struct vdp_station *st);
void st_io_fini(struct vdp_station *st);
void st_io_link_close(struct st_link *l);

#endif
