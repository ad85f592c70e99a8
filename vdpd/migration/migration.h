/* SPDX-License-Identifier: ISC */
/* vdpd migration services: what follows a VM that migrated in.
 *
 * When a VSI is associated with the M bit (a VM that migrated in, not a new
 * one) on a port, the core calls migration_on_assoc() through d->hooks
 * (set by migration_attach()) and, as its VNID's
 * policy says, vdpd
 *   - DHCP snooping on (type 0x05): refreshes the VM's binding, either
 *     (leasequery mode) by DHCPLEASEQUERY to dhcp.server, by MAC and by the
 *     IP the table knows (leasequery.c), or (help mode) by a Help Request
 *     (TLV 0x09) to the station, which has the VM renew; the DHCPACK that
 *     follows is snooped (help.c, dhcp_snoop.c);
 *   - IGMP snooping on (type 0x06): sends IGMP general queries out of the
 *     VM's port in its VLAN, so that it re-reports its groups at once.
 * A VSI associated without the M bit triggers none of it.
 *
 * Everything here is plain logic over the daemon's tables and this
 * context; the sockets, captures and timers are migration_io.c's, reached
 * through struct mig_ops, so that the unit tests run it with fakes.  Work
 * is kept as a bounded set of tasks (MIG_MAX_TASKS), each with a due time;
 * migration_tick() runs what is due.  Nothing is sent from inside the VDP
 * request handler: the station must see its Associate response before the
 * Help Request, and the VM be attached before it is queried. */
#ifndef VDPD_MIGRATION_H
#define VDPD_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "migration/bindings.h"
#include "conf/conf.h"

struct vdpd;
struct vsi;
struct vnid;

/* X(id, name in text and logs, key in vdpctl's JSON, description) */
#define MIG_COUNTERS(X)                                                                            \
	X(MIGRATIONS, "migrations", "migrations",                                                  \
	  "M-bit associations with DHCP or IGMP snooping to move")                                 \
	X(DHCP_ACKS, "dhcp-acks", "dhcp_acks",                                                     \
	  "DHCPACKs snooped towards a VM: binding made or renewed")                                \
	X(DHCP_NAKS, "dhcp-naks", "dhcp_naks", "DHCPNAKs snooped towards a VM: binding removed")   \
	X(DHCP_RELEASES, "dhcp-releases", "dhcp_releases",                                         \
	  "DHCPRELEASE or DHCPDECLINE from a VM: binding removed")                                 \
	X(ROGUE_REPLIES, "rogue-server-replies", "rogue_server_replies",                           \
	  "DHCP server replies from a VM-facing port (nftables drops them)")                       \
	X(SNOOP_MALFORMED, "snoop-malformed", "snoop_malformed",                                   \
	  "captured DHCP frames that do not decode")                                               \
	X(SNOOP_NO_VSI, "snoop-no-vsi", "snoop_no_vsi",                                            \
	  "DHCPACKs for a MAC and VLAN no VSI of the port has")                                    \
	X(TABLE_FULL, "table-full", "table_full",                                                  \
	  "bindings refused: the port holds dhcp.max_bindings")                                    \
	X(EXPIRED, "expired", "expired", "bindings removed at the end of their lease")             \
	X(LQ_SENT, "lq-sent", "lq_sent", "DHCPLEASEQUERY messages sent, retransmissions included") \
	X(LQ_ACTIVE, "lq-active", "lq_active",                                                     \
	  "DHCPLEASEACTIVE answers: binding moved to the new port")                                \
	X(LQ_UNKNOWN, "lq-unknown", "lq_unknown",                                                  \
	  "DHCPLEASEUNKNOWN answers: the server knows no such client")                             \
	X(LQ_UNASSIGNED, "lq-unassigned", "lq_unassigned",                                         \
	  "DHCPLEASEUNASSIGNED answers: no active lease")                                          \
	X(LQ_TIMEOUT, "lq-timeout", "lq_timeout",                                                  \
	  "leasequeries unanswered after every retransmission")                                    \
	X(LQ_SERVER_DOWN, "lq-server-down", "lq_server_down",                                      \
	  "leasequeries refused: ICMP unreachable, no route, no server or socket")                 \
	X(LQ_MISMATCH, "lq-mismatch", "lq_mismatch",                                               \
	  "answers for another MAC, or for a VSI that left the port")                              \
	X(LQ_STRAY, "lq-stray", "lq_stray",                                                        \
	  "answers matching no query in flight, or not from dhcp.server")                          \
	X(HELP_SENT, "help-sent", "help_sent", "Help Requests sent to stations")                   \
	X(HELP_ANSWERED, "help-answered", "help_answered",                                         \
	  "Help Requests the station answered with success")                                       \
	X(HELP_REFUSED, "help-refused", "help_refused",                                            \
	  "Help Requests the station answered with an error")                                      \
	X(HELP_TIMEOUT, "help-timeout", "help_timeout",                                            \
	  "Help Requests with no answer within dhcp.help_timeout")                                 \
	X(HELP_NO_ACK, "help-no-ack", "help_no_ack",                                               \
	  "helped VMs with no DHCPACK snooped within dhcp.help_timeout")                           \
	X(HELP_MOVED, "help-moved", "help_moved",                                                  \
	  "bindings moved by the DHCPACK a Help Request brought")                                  \
	X(HELP_STRAY, "help-stray", "help_stray",                                                  \
	  "Help TLVs from stations that match no request in flight")                               \
	X(IGMP_QUERIES, "igmp-queries", "igmp_queries",                                            \
	  "IGMP general queries sent to migrated VMs")                                             \
	X(IGMP_FAILED, "igmp-failed", "igmp_failed", "IGMP queries that could not be sent")        \
	X(TASKS_FULL, "tasks-full", "tasks_full",                                                  \
	  "migration work dropped: MIG_MAX_TASKS in flight")                                       \
	X(TASKS_STALE, "tasks-stale", "tasks_stale",                                               \
	  "migration work dropped: the VSI left the port first")                                   \
	X(SAVE_FAILED, "save-failed", "save_failed", "writes of the binding table that failed")    \
	X(PARSER_RESTARTS, "parser-restarts", "parser_restarts",                                   \
	  "DHCP parser child deaths (each logged), after which it was restarted")                  \
	X(PARSER_LOST, "parser-lost", "parser_lost",                                               \
	  "captured DHCP frames not parsed: the parser child was down, behind or died")

enum mig_counter {
#define X(id, name, key, text) MIG_##id,
	MIG_COUNTERS(X)
#undef X
	    MIG_COUNTER_COUNT
};
/* The counter's name, as vdpctl(8) shows it in text and the logs say it
 * (the texts above are its description there), and its key in vdpctl's
 * JSON: named apart, because JSON keys are the stable interface. */
const char *mig_counter_name(enum mig_counter c);
const char *mig_counter_key(enum mig_counter c);

#define MIG_MAX_TASKS     128
#define MIG_IGMP_INTERVAL 1000000000ull /* between a VM's queries, ns */

enum mig_task_kind { MT_NONE, MT_LEASEQUERY, MT_HELP, MT_IGMP };
enum mig_task_state {
	MS_DUE,        /* to send at `due` */
	MS_WAIT_REPLY, /* leasequery sent / Help Request sent, answer due by `due` */
	MS_WAIT_ACK,   /* help answered: the DHCPACK due by `due` */
};

/* One piece of work for one VSI filter (MAC, VLAN) on one port. */
struct mig_task {
	uint8_t kind, state; /* enum mig_task_kind, enum mig_task_state */
	uint64_t due;        /* CLOCK_MONOTONIC ns */
	unsigned port;
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t mgrid[VDP_MGRID_LEN];
	uint32_t vnid;
	uint8_t mac[6];
	uint16_t vid;
	uint8_t pcp;
	bool ps;
	bool by_ip;    /* leasequery by ciaddr (ip) rather than by MAC */
	uint8_t ip[4]; /* leasequery by IP, Help Request's last known IP */
	uint32_t xid;  /* leasequery */
	unsigned left; /* sends left: leasequery tries, IGMP queries */
	bool acked;    /* help: the DHCPACK came before the station's answer */
};

/* The I/O migration_io.c provides (fakes in the unit tests).  Each returns
 * 0 or a negative errno. */
struct mig_ops {
	/* The local IPv4 address the route to the server leaves from. */
	int (*lq_source)(void *arg, const uint8_t server[4], uint8_t src[4]);
	/* Sends a BOOTP message to the server's port 67. */
	int (*lq_send)(void *arg, const uint8_t server[4], const uint8_t *msg, size_t len);
	/* Sends an Ethernet frame out of a port (the IGMP query). */
	int (*port_send)(void *arg, unsigned port, const uint8_t *frame, size_t len);
	/* The port's MAC address (the query's source). */
	int (*port_mac)(void *arg, unsigned port, uint8_t mac[6]);
	/* Asks for migration_tick() at the loop's next turn. */
	void (*kick)(void *arg);
	void *arg;
};

struct mig {
	struct bindings tab;
	uint64_t counters[MIG_COUNTER_COUNT];
	struct mig_task tasks[MIG_MAX_TASKS];
	const struct mig_ops *ops;
	uint32_t next_xid;
	bool dirty;                        /* the table changed since it was saved */
	int64_t logged[MIG_COUNTER_COUNT]; /* last log line per counter, s */
};

#define MIG_LOG_EVERY 10 /* s: what hostile peers can repeat is logged that often */

/* The DHCP-snooping and IGMP-snooping entries of a VNID's policy. */
bool mig_vnid_dhcp(const struct vnid *n);
bool mig_vnid_igmp(const struct vnid *n);
/* The mode for a VNID: its dhcp.vnids entry, else dhcp.mode. */
enum conf_dhcp_mode mig_dhcp_mode(const struct conf *c, uint32_t vnid);
/* The VSI of port with a filter for (mac, vid), or NULL. */
struct vsi *mig_vsi_by_mac(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid);

/* migration.c */
struct mig *mig_new(const struct mig_ops *ops, uint32_t xid_seed);
void mig_free(struct mig *m);
/* Gives d the migration services m (NULL: none): sets d->mig and the hooks
 * the core calls (d->hooks). */
void migration_attach(struct vdpd *d, struct mig *m);
/* The migrated_in hook: v was just (re)associated on its port with the M bit. */
void migration_on_assoc(struct vdpd *d, const struct vsi *v, const struct vnid *n, uint64_t now_ns);
/* Runs due tasks, times out answers, expires leases. */
void migration_tick(struct vdpd *d, uint64_t now_ns, int64_t now_s);
/* A free task slot, counted and NULL when there is none. */
struct mig_task *mig_task_new(struct mig *m);
/* Whether the task's VSI is still associated on the task's port. */
bool mig_task_live(struct vdpd *d, const struct mig_task *t);
void mig_count(struct mig *m, enum mig_counter c);
/* Whether a line about counter c may be logged now (at most one per
 * MIG_LOG_EVERY seconds of clock now_s); for events peers can repeat. */
bool mig_log_ok(struct mig *m, enum mig_counter c, int64_t now_s);
/* Puts b into the table (dhcp.max_bindings per port); counts and logs a
 * refusal.  0 or a bindings_put() error. */
int mig_bind(struct vdpd *d, const struct binding *b);
/* The task's identity as a binding (ip, lease and source still to fill). */
void mig_task_binding(const struct mig_task *t, struct binding *b);
/* A leasequery or help failed for t: the binding of its MAC and VLAN, if
 * still being checked and no other task checks it, becomes unverified. */
void mig_unverified(struct vdpd *d, const struct mig_task *t);

/* leasequery.c */
/* Makes t a query by MAC and, when t->ip is known, adds a sibling task by
 * that address; both are sent when due (lq_step). */
void lq_start(struct vdpd *d, struct mig_task *t, uint64_t now_ns);
/* Sends t, or sends it again, or gives it up (lq-timeout). */
void lq_step(struct vdpd *d, struct mig_task *t, uint64_t now_ns);
/* A datagram from src's port 67 to ours: taken from dhcp.server only. */
void lq_on_reply(struct vdpd *d, const uint8_t src[4], const uint8_t *msg, size_t len,
                 int64_t now_s);
/* The network refused a query we sent (ICMP error, errno err); msg is the
 * BOOTP message the error quotes. */
void lq_on_error(struct vdpd *d, const uint8_t *msg, size_t len, int err);

/* help_request.c */
/* Sends t's Help Request, or times out its answer or its DHCPACK. */
void help_step(struct vdpd *d, struct mig_task *t, uint64_t now_ns);
/* The help_answer hook: a station answered with a well-formed Help TLV. */
void migration_help_answer(struct vdpd *d, unsigned port, const struct vdp_help *h,
                           uint64_t now_ns);
/* dhcp_snoop.c saw a DHCPACK for (mac, vid) on port: a pending help is done.
 * True if one was. */
bool help_on_ack(struct vdpd *d, unsigned port, const uint8_t mac[6], uint16_t vid);

/* dhcp_snoop.c: one captured frame of port; out: leaving towards the VM.
 * dhcp_snoop_frame() decodes it here (the unit tests); the daemon has the
 * parser child decode it (parser_link.c) and then calls
 * dhcp_snoop_decoded() with what the child read, or dhcp_snoop_malformed()
 * with the decoder's error for a frame of len octets. */
void dhcp_snoop_frame(struct vdpd *d, unsigned port, bool out, const uint8_t *frame, size_t len,
                      int64_t now_s);
struct dhcp_frame;
void dhcp_snoop_decoded(struct vdpd *d, unsigned port, bool out, const struct dhcp_frame *f,
                        int64_t now_s);
void dhcp_snoop_malformed(struct vdpd *d, unsigned port, size_t len, int err);

/* migration_io.c (the daemon only) */
struct ev_loop;
/* Loads the saved bindings, opens the captures and sockets; before
 * privileges are dropped (port 67).  0 or -1 with err filled. */
int migration_open(struct vdpd *d, struct ev_loop *loop, char *err, size_t errlen);
/* Saves the bindings and closes everything; a no-op if never opened. */
void migration_close(struct vdpd *d);

#endif
