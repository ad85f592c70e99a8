/* SPDX-License-Identifier: ISC */
/* vdpd: the kernel programming backend.
 *
 * Kernel changes are values.  The decision code (VLAN pool, VNID policy
 * lists, ...) produces an array of struct kop and hands it to a backend,
 * which applies it.  Two backends implement struct backend_ops:
 *
 *   backend_netlink_ops  the product: bridge VLANs over rtnetlink, ACLs and
 *                        markings in the nftables table "bridge vdpd", per-VSI
 *                        bandwidth with an htb qdisc on the port (tc).
 *   backend_record_ops   a test double for unit tests of decisions: it keeps
 *                        the ops in memory and programs nothing.
 *
 * Contract of apply():
 *   - ops are applied in array order;
 *   - all or nothing: when an op fails, the ops of the same call that were
 *     already applied are undone before apply() returns the error;
 *   - idempotent: adding what is there or deleting what is not is success;
 *   - on failure, err names the op (index and text), the object and the
 *     kernel's answer, e.g. "vlan-add vethA vid 100: RTNETLINK answers:
 *     Operation not supported".
 *
 * backend_open() on failure leaves nothing to close.  Errors are negative
 * errnos; struct backend_err says which op failed and why.
 *
 * Identity of an object: VLAN = (port, vid); ACL = (port, vid, mac, acl
 * value); rate = (port, vid, mac, bw.dir); QoS = (port, vid, mac); guard =
 * (port, vid, mac); DHCP block = (port, vid, mac).
 *
 * Guards (isolation, default deny between VMs): once a port has one, only
 * frames matching one of its guards' (vid, source mac) enter the bridge
 * from it, so a VM cannot reach another VNID's VLAN by tagging its frames
 * with it, nor speak with another VM's MAC.  vid 0
 * in an ACL/rate/QoS op means "any VLAN", an all-zero mac "any MAC".
 */
#ifndef VDPD_BACKEND_H
#define VDPD_BACKEND_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/tlv.h>

enum kop_kind {
	KOP_VLAN_ADD,   /* port becomes a tagged member of vid */
	KOP_VLAN_DEL,   /* and stops being one */
	KOP_ACL_ADD,    /* u.acl, scoped to (port, vid, mac) */
	KOP_ACL_DEL,    /* the same value removes it */
	KOP_RATE_SET,   /* u.bw: to-VM shaped by htb, from-VM policed by nft */
	KOP_RATE_CLEAR, /* u.bw.dir says which direction */
	KOP_QOS_SET,    /* u.qos: DSCP marking of the VSI's traffic */
	KOP_QOS_CLEAR,
	KOP_GUARD_ADD, /* frames from (port, vid, mac) may enter the bridge */
	KOP_GUARD_DEL,
	KOP_DHCP_BLOCK, /* migration services: DHCP server replies (UDP source port 67)
	                 * from (port, vid, mac) are dropped */
	KOP_DHCP_UNBLOCK,
	KOP_KIND_COUNT
};

struct kop {
	enum kop_kind kind;
	char port[IFNAMSIZ];
	uint16_t vid;
	uint8_t mac[6];
	uint32_t vnid; /* for logs only */
	union {
		struct vdp_pol_acl acl;
		struct vdp_pol_bandwidth bw;
		struct vdp_pol_qos qos;
	} u;
};

/* What to do when the served bridge cannot filter VLANs (kernel built
 * without CONFIG_BRIDGE_VLAN_FILTERING, or leave_vlan_filtering set on a
 * bridge whose vlan_filtering is off):
 *   NFTABLES  enforce membership in table "bridge vdpd": per port a set
 *             vids_PORT of allowed VLAN ids and two rules dropping tagged
 *             frames whose id is not in it, entering (iifname) and leaving
 *             (oifname) the port.  Untagged frames are not touched.
 *   REFUSE    open() fails and names CONFIG_BRIDGE_VLAN_FILTERING. */
enum backend_novlan {
	BACKEND_NOVLAN_NFTABLES = 0,
	BACKEND_NOVLAN_REFUSE,
};

/* prio is a syslog level (LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG). */
typedef void backend_log_fn(void *arg, int prio, const char *msg);

struct backend_opts {
	enum backend_novlan novlan;
	/* false (default): turn vlan_filtering on on the served bridge when
	 * the kernel can; true: leave the bridge as it is. */
	bool leave_vlan_filtering;
	backend_log_fn *log; /* NULL: lines go to stderr */
	void *log_arg;
};

struct backend_err {
	int code; /* negative errno, 0 when there was no error */
	long op;  /* index of the failing op in the batch, -1 if none */
	char msg[320];
};

struct backend;

struct backend_ops {
	const char *name;
	int (*open)(struct backend *be, const char *bridge, const struct backend_opts *opts,
	            struct backend_err *err);
	int (*apply)(struct backend *be, const struct kop *ops, size_t n, struct backend_err *err);
	/* Removes all the state vdpd owns: table "bridge vdpd", the htb root
	 * qdiscs it created on the bridge's ports.  Bridge VLAN memberships are
	 * not owned objects (the daemon reconciles them from its tables). */
	int (*flush_owned)(struct backend *be, struct backend_err *err);
	void (*close)(struct backend *be);
};

struct backend {
	const struct backend_ops *ops;
	void *priv;
	backend_log_fn *log;
	void *log_arg;
};

extern const struct backend_ops backend_netlink_ops;
extern const struct backend_ops backend_record_ops;

/* Thin wrappers: they clear err and return 0 or a negative errno. */
int backend_open(struct backend *be, const struct backend_ops *ops, const char *bridge,
                 const struct backend_opts *opts, struct backend_err *err);
int backend_apply(struct backend *be, const struct kop *ops, size_t n, struct backend_err *err);
int backend_flush_owned(struct backend *be, struct backend_err *err);
void backend_close(struct backend *be);

/* "vlan-add", "acl-del", ... */
const char *kop_kind_name(enum kop_kind kind);
/* One line, stable, for logs, errors and the record backend:
 * "vlan-add vethA vid 100 vnid 5001",
 * "rate-set vethA vid 100 mac 02:00:00:00:00:01 to-vm 10000kbit burst 0". */
char *kop_format(const struct kop *op, char *buf, size_t cap);
/* Formats into err (code, op, msg) and returns code. */
int backend_errf(struct backend_err *err, int code, long op, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Logs through be->log or to stderr. */
void backend_logf(const struct backend *be, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- what the backend can program (kop_check.c) --- */
/* 0 when the backend can program op's values, else -EINVAL with the reason
 * in why ("ports with protocol 1: they need tcp, udp, sctp or dccp",
 * "ethertype 0x0800 with an IPv6 prefix", "rate 0").  backend_apply()
 * refuses a batch with such an op before any backend sees it, and the VNID
 * policy decisions refuse a Policy Sync or Update whose entries would make
 * one, so that both always agree. */
int kop_check(const struct kop *op, char *why, size_t cap);
/* The EtherType an ACL's rule matches: its own, else the one its prefixes
 * imply, else 0 (any). */
uint16_t kop_acl_ethertype(const struct vdp_pol_acl *a);

/* --- the netlink backend's model and counters (tests, bench/, restart
 * reconciliation) --- */
/* What the netlink backend sent and holds: each change is one nftables
 * batch of the objects it changes (the table is read only at open and
 * after a failed batch), so per apply() nft_sends grows by at most one or
 * two and nft_dumps not at all, whatever the size of the table. */
struct backend_nl_stats {
	uint64_t nft_sends, nft_bytes, nft_dumps, nft_recv_msgs;
	uint64_t rt_sends, rt_dumps;
	size_t model_rules, model_elems; /* table bridge vdpd as vdpd programmed it */
};
int backend_netlink_stats(const struct backend *be, struct backend_nl_stats *out);
/* Compares the backend's model of table bridge vdpd with the kernel's
 * (read now): fn(arg, "kernel has" | "model has", "guard p1 vid 100 mac
 * ... in set guards") per difference.  Returns how many, or a negative
 * errno (-EINVAL: not the netlink backend). */
typedef void backend_diff_fn(void *arg, const char *side, const char *what);
long backend_netlink_verify(struct backend *be, backend_diff_fn *fn, void *arg);

/* --- the recording backend, for tests (record.c) --- */
/* The log of every op applied so far. */
const struct kop *backend_record_ops_log(const struct backend *be, size_t *n);
/* Makes the next apply() fail at batch index `at` with `code` (test of
 * callers' error paths); at < 0 disarms. */
void backend_record_fail_at(struct backend *be, long at, int code);

#endif
