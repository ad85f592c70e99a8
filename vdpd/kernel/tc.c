/* SPDX-License-Identifier: ISC */
/* vdpd: per-VSI bandwidth towards the VM, shaped with tc htb on the port.
 *
 * Layout on a port: root qdisc "htb 7664:" with default class 0, so that
 * traffic no rule classifies leaves unshaped; one class 7664:N (N >= 0x10)
 * per shaped VSI with rate = ceil = the policy's rate.  Frames are steered
 * into the class by an nftables rule in table bridge vdpd that sets
 * skb->priority to 7664:N (htb classifies on skb->priority before any
 * filter), so no tc filter is needed and the VSI match (port, VLAN, MAC)
 * lives with the other nftables rules.
 *
 * Messages are built by libnl-route (it computes htb's rate tables) and sent
 * through nlsock so that errors carry the kernel's text; state is read back
 * through libnl caches. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/tc.h>

#include "kernel/netlink.h"

/* A short-lived libnl socket for reading caches: the backend does few tc
 * reads, and this keeps no libnl state between batches. */
static struct nl_sock *tc_sock(void)
{
	struct nl_sock *sk = nl_socket_alloc();

	if (sk && nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		sk = NULL;
	}
	return sk;
}

/* Sends a libnl-built message through nlsock and frees it. */
static int send_built(struct nlsock *rt, struct nl_msg *msg, int build_err, struct nlans *ans)
{
	int r;

	if (build_err < 0) {
		ans->err = -EINVAL;
		snprintf(ans->ext, sizeof(ans->ext), "libnl: %s", nl_geterror(build_err));
		return ans->err;
	}
	r = nlsock_request(rt, nlmsg_hdr(msg), ans);
	nlmsg_free(msg);
	return r;
}

/* vdpd's qdisc and classes are all htb, on one interface, under one
 * parent. */
static void vdpd_tc(struct rtnl_tc *tc, int ifindex, uint32_t parent, uint32_t handle)
{
	rtnl_tc_set_ifindex(tc, ifindex);
	rtnl_tc_set_parent(tc, parent);
	rtnl_tc_set_handle(tc, handle);
	rtnl_tc_set_kind(tc, "htb");
}

static struct rtnl_qdisc *vdpd_qdisc(int ifindex)
{
	struct rtnl_qdisc *q = rtnl_qdisc_alloc();

	if (q)
		vdpd_tc(TC_CAST(q), ifindex, TC_H_ROOT, VDPD_TC_HANDLE);
	return q;
}

static int qdisc_add(struct nlsock *rt, int ifindex, struct nlans *ans)
{
	struct rtnl_qdisc *q = vdpd_qdisc(ifindex);
	struct nl_msg *msg = NULL;
	int r;

	if (!q)
		return ans->err = -ENOMEM;
	rtnl_htb_set_rate2quantum(q, 10);
	rtnl_htb_set_defcls(q, 0); /* unclassified traffic is not shaped */
	r = rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_REPLACE, &msg);
	rtnl_qdisc_put(q);
	return send_built(rt, msg, r, ans);
}

int tc_root_ensure(struct nlsock *rt, int ifindex, bool *created, struct nlans *ans, char *why,
                   size_t whycap)
{
	struct nl_sock *sk = tc_sock();
	struct nl_cache *cache = NULL;
	struct rtnl_qdisc *q;
	uint32_t handle = 0;
	char kind[32] = "";

	*created = false;
	ans->err = 0;
	ans->ext[0] = 0;
	if (!sk || rtnl_qdisc_alloc_cache(sk, &cache) < 0) {
		if (sk)
			nl_socket_free(sk);
		snprintf(why, whycap, "cannot read qdiscs");
		return ans->err = -EIO;
	}
	q = rtnl_qdisc_get_by_parent(cache, ifindex, TC_H_ROOT);
	if (q) {
		handle = rtnl_tc_get_handle(TC_CAST(q));
		snprintf(kind, sizeof(kind), "%s", rtnl_tc_get_kind(TC_CAST(q)));
		rtnl_qdisc_put(q);
	}
	nl_cache_free(cache);
	nl_socket_free(sk);
	if (handle == VDPD_TC_HANDLE && !strcmp(kind, "htb"))
		return 0;
	/* Handle 0 is the kernel's default root (noqueue, pfifo_fast, mq,
	 * fq_codel...): ours to replace.  Anything else an admin put there. */
	if (handle != 0) {
		snprintf(why, whycap, "root qdisc %s %x: is not vdpd's (htb %x:)", kind,
		         handle >> 16, VDPD_TC_MAJOR);
		return ans->err = -EEXIST;
	}
	if (qdisc_add(rt, ifindex, ans) < 0)
		return ans->err;
	*created = true;
	return 0;
}

int tc_root_del(struct nlsock *rt, int ifindex, struct nlans *ans)
{
	struct rtnl_qdisc *q = vdpd_qdisc(ifindex);
	struct nl_msg *msg = NULL;
	int r;

	if (!q)
		return ans->err = -ENOMEM;
	r = rtnl_qdisc_build_delete_request(q, &msg);
	rtnl_qdisc_put(q);
	return send_built(rt, msg, r, ans);
}

int tc_probe_htb(struct nlsock *rt, int ifindex, struct nlans *ans)
{
	return qdisc_add(rt, ifindex, ans);
}

/* Calls fn for the class cache of ifindex. */
static int with_classes(int ifindex, void (*fn)(struct nl_cache *, int, void *), void *arg)
{
	struct nl_sock *sk = tc_sock();
	struct nl_cache *cache = NULL;

	if (!sk)
		return -ENOMEM;
	if (rtnl_class_alloc_cache(sk, ifindex, &cache) < 0) {
		nl_socket_free(sk);
		return -EIO;
	}
	fn(cache, ifindex, arg);
	nl_cache_free(cache);
	nl_socket_free(sk);
	return 0;
}

struct class_q {
	uint32_t handle;
	struct tc_class *out;
	int found;
};

static void class_get_fn(struct nl_cache *cache, int ifindex, void *arg)
{
	struct class_q *cq = arg;
	struct rtnl_class *cl = rtnl_class_get(cache, ifindex, cq->handle);
	uint64_t rate = 0;

	if (!cl)
		return;
	cq->found = 1;
	if (cq->out) {
		rtnl_htb_get_rate64(cl, &rate);
		cq->out->handle = cq->handle;
		cq->out->rate = rate;
		cq->out->burst = rtnl_htb_get_rbuffer(cl);
	}
	rtnl_class_put(cl);
}

int tc_class_get(int ifindex, uint32_t handle, struct tc_class *out)
{
	struct class_q cq = {.handle = handle, .out = out};
	int r = with_classes(ifindex, class_get_fn, &cq);

	return r < 0 ? r : cq.found;
}

static void free_minor_fn(struct nl_cache *cache, int ifindex, void *arg)
{
	uint32_t *minor = arg;

	for (uint32_t m = VDPD_TC_MINOR_LO; m < 0xffff; m++) {
		struct rtnl_class *cl = rtnl_class_get(cache, ifindex, VDPD_TC_HANDLE | m);

		if (!cl) {
			*minor = m;
			return;
		}
		rtnl_class_put(cl);
	}
}

uint32_t tc_class_free_minor(int ifindex)
{
	uint32_t minor = 0;

	with_classes(ifindex, free_minor_fn, &minor);
	return minor;
}

static struct rtnl_class *vdpd_class(int ifindex, uint32_t handle)
{
	struct rtnl_class *cl = rtnl_class_alloc();

	if (cl)
		vdpd_tc(TC_CAST(cl), ifindex, VDPD_TC_HANDLE, handle);
	return cl;
}

int tc_class_set(struct nlsock *rt, int ifindex, const struct tc_class *c, struct nlans *ans)
{
	struct rtnl_class *cl = vdpd_class(ifindex, c->handle);
	struct nl_msg *msg = NULL;
	uint64_t q = c->rate / 10; /* htb's own r2q = 10, kept in its sane range */
	int r;

	if (!cl)
		return ans->err = -ENOMEM;
	rtnl_htb_set_rate64(cl, c->rate);
	rtnl_htb_set_ceil64(cl, c->rate);
	rtnl_htb_set_rbuffer(cl, c->burst);
	rtnl_htb_set_cbuffer(cl, c->burst);
	rtnl_htb_set_quantum(cl, q < 1600 ? 1600 : q > 200000 ? 200000 : (uint32_t)q);
	/* NLM_F_CREATE without EXCL: creates the class or changes its rate. */
	r = rtnl_class_build_add_request(cl, NLM_F_CREATE, &msg);
	rtnl_class_put(cl);
	return send_built(rt, msg, r, ans);
}

int tc_class_del(struct nlsock *rt, int ifindex, uint32_t handle, struct nlans *ans)
{
	struct rtnl_class *cl = vdpd_class(ifindex, handle);
	struct nl_msg *msg = NULL;
	int r;

	if (!cl)
		return ans->err = -ENOMEM;
	r = rtnl_class_build_delete_request(cl, &msg);
	rtnl_class_put(cl);
	return send_built(rt, msg, r, ans);
}

struct flush_ctx {
	struct nlsock *rt;
	struct nlans *ans;
	int err;
	char *what;
	size_t cap;
};

static void flush_one(struct nl_object *obj, void *arg)
{
	struct flush_ctx *f = arg;
	struct rtnl_tc *tc = TC_CAST(obj);
	int ifindex = rtnl_tc_get_ifindex(tc);

	if (rtnl_tc_get_parent(tc) != TC_H_ROOT || rtnl_tc_get_handle(tc) != VDPD_TC_HANDLE)
		return;
	if (tc_root_del(f->rt, ifindex, f->ans) < 0 && f->ans->err != -ENOENT && !f->err) {
		f->err = f->ans->err;
		snprintf(f->what, f->cap, "qdisc htb %x: on ifindex %d", VDPD_TC_MAJOR, ifindex);
	}
}

int tc_flush_owned(struct nlsock *rt, struct nlans *ans, char *what, size_t cap)
{
	struct nl_sock *sk = tc_sock();
	struct nl_cache *cache = NULL;
	struct flush_ctx f = {.rt = rt, .ans = ans, .what = what, .cap = cap};

	ans->err = 0;
	ans->ext[0] = 0;
	if (!sk || rtnl_qdisc_alloc_cache(sk, &cache) < 0) {
		if (sk)
			nl_socket_free(sk);
		snprintf(what, cap, "reading qdiscs");
		return ans->err = -EIO;
	}
	nl_cache_foreach(cache, flush_one, &f);
	nl_cache_free(cache);
	nl_socket_free(sk);
	return ans->err = f.err;
}
