/* SPDX-License-Identifier: ISC */
/* vdpd: the netlink backend (backend.h), the one that programs the kernel.
 *
 * An apply() runs in two phases so that it is all or nothing:
 *   1. op by op, the requests that cannot be batched are sent at once:
 *      bridge VLANs (rtnetlink) and htb classes (tc).  Each one that changed
 *      something pushes its inverse on an undo log.
 *   2. everything nftables (ACLs, marks, policers, the VLAN fallback) was
 *      collected into one batch, which the kernel commits atomically.
 * A failure in either phase replays the undo log backwards.  Adds of what is
 * present and deletes of what is absent change nothing and log no undo.
 *
 * VLAN membership: kernel VLAN filtering when the served bridge has it (it
 * is switched on at open unless opts->leave_vlan_filtering); otherwise, per
 * opts->novlan, nftables sets and rules (backend.h) or a refusal to open.
 * PCP marking is not done: nftables cannot rewrite the VLAN tag the kernel
 * keeps outside the frame data before Linux 6.10, and a blind payload write
 * would corrupt the frame; it is logged once and ignored. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <linux/netlink.h>

#include "array.h"
#include "kernel/netlink.h"

enum undo_kind { UNDO_VLAN_ADD, UNDO_VLAN_DEL, UNDO_QDISC_DEL, UNDO_CLASS_SET, UNDO_CLASS_DEL };

struct undo {
	enum undo_kind kind;
	int ifindex;
	uint16_t vid, flags;
	struct tc_class cls;
};

struct undolog {
	struct undo *v;
	size_t n, cap;
};

static int undo_push(struct undolog *u, struct undo e)
{
	if (ARRAY_GROW(u->v, u->cap, u->n + 1) < 0)
		return -ENOMEM;
	u->v[u->n++] = e;
	return 0;
}

/* Best effort: a failure here leaves state the daemon's reconciliation
 * will see; say so in the log. */
static void undo_run(struct backend *be, struct undolog *u)
{
	struct nlbe *nb = be->priv;
	struct nlans ans;
	char e[256];

	while (u->n) {
		struct undo *x = &u->v[--u->n];
		int r = 0;

		switch (x->kind) {
		case UNDO_VLAN_ADD:
		case UNDO_VLAN_DEL:
			r = rtlink_vlan(&nb->rt, x->ifindex, x->kind == UNDO_VLAN_ADD, x->vid,
			                x->flags, &ans);
			break;
		case UNDO_QDISC_DEL:
			r = tc_root_del(&nb->rt, x->ifindex, &ans);
			break;
		case UNDO_CLASS_SET:
			r = tc_class_set(&nb->rt, x->ifindex, &x->cls, &ans);
			break;
		case UNDO_CLASS_DEL:
			r = tc_class_del(&nb->rt, x->ifindex, x->cls.handle, &ans);
			break;
		}
		if (r < 0)
			backend_logf(be, LOG_ERR, "undo on ifindex %d failed: %s", x->ifindex,
			             nlans_str(&ans, e, sizeof(e)));
	}
	free(u->v);
	u->v = NULL;
	u->cap = 0;
}

/* ---- open ---- */

static int open_err(struct backend *be, struct backend_err *err, int code, const char *msg)
{
	be->ops->close(be);
	return backend_errf(err, code, -1, "%s", msg);
}

/* Decides how VLAN membership is enforced; 0 or an error for open. */
static int vlan_mode(struct backend *be, const struct rtlink *br, const struct backend_opts *o,
                     char *msg, size_t cap)
{
	struct nlbe *nb = be->priv;
	struct nlans ans;
	char reason[256];
	bool filtering = br->vlan_filtering == 1;

	if (!filtering && nb->caps.have[KCAP_VLAN_FILTERING] && !o->leave_vlan_filtering) {
		if (rtlink_bridge_set_filtering(&nb->rt, nb->br_ifindex, true, &ans) == 0) {
			backend_logf(be, LOG_INFO, "bridge %s: vlan_filtering switched on",
			             nb->bridge);
			filtering = true;
		} else {
			nb->caps.have[KCAP_VLAN_FILTERING] = false;
			nlans_str(&ans, nb->caps.why[KCAP_VLAN_FILTERING], sizeof(nb->caps.why[0]));
		}
	}
	if (filtering) {
		kcaps_log(be, &nb->caps, NULL);
		return 0;
	}
	if (!nb->caps.have[KCAP_VLAN_FILTERING])
		snprintf(reason, sizeof(reason), "the kernel lacks bridge VLAN filtering (%s: %s)",
		         kcap_option(KCAP_VLAN_FILTERING), nb->caps.why[KCAP_VLAN_FILTERING]);
	else
		snprintf(reason, sizeof(reason),
		         "its vlan_filtering is off and leave_vlan_filtering is set");
	if (o->novlan == BACKEND_NOVLAN_REFUSE) {
		kcaps_log(be, &nb->caps, "refusing to start (no-vlan-filtering mode refuse)");
		snprintf(msg, cap,
		         "bridge %s cannot filter VLANs: %s; rebuild the kernel with %s=y or "
		         "select the nftables fallback",
		         nb->bridge, reason, kcap_option(KCAP_VLAN_FILTERING));
		return -EOPNOTSUPP;
	}
	if (!nb->caps.have[KCAP_NFT_BRIDGE]) {
		kcaps_log(be, &nb->caps, "and the nftables fallback is unavailable");
		snprintf(
		    msg, cap,
		    "bridge %s cannot filter VLANs (%s) and the nftables fallback needs %s: %s",
		    nb->bridge, reason, kcap_option(KCAP_NFT_BRIDGE),
		    nb->caps.why[KCAP_NFT_BRIDGE]);
		return -EOPNOTSUPP;
	}
	kcaps_log(be, &nb->caps,
	          "VLAN membership is enforced with nftables (table bridge vdpd, sets vids_PORT)");
	if (nb->caps.have[KCAP_VLAN_FILTERING]) /* else kcaps_log said it */
		backend_logf(be, LOG_WARNING,
		             "bridge %s: %s; VLAN membership is enforced with nftables", nb->bridge,
		             reason);
	nb->vlan_nft = true;
	return 0;
}

/* Reads table bridge vdpd into the model (the only time the backend
 * dumps it: at open, and after a batch failed), then declares the table,
 * its chains, sets and static rules in one batch: all idempotent, so a
 * table that is complete is left as it is. */
static int model_sync(struct backend *be, struct backend_err *err)
{
	struct nlbe *nb = be->priv;
	struct nft_batch b;
	struct nlans ans;
	long at;
	char e[200];
	int r;

	nb->model_ok = false;
	if ((r = nft_snap_load(&nb->nf, &nb->model, &ans)) < 0)
		return backend_errf(err, r, -1, "reading table bridge %s: nftables answers: %s",
		                    VDPD_NFT_TABLE, nlans_str(&ans, e, sizeof(e)));
	if ((r = nft_batch_start(&b, &nb->nf)) < 0 || (r = nft_batch_table(&b, -1)) < 0 ||
	    (r = nft_static_rules(&b, &nb->model)) < 0) {
		nft_batch_free(&b);
		return backend_errf(err, r, -1, "building the nftables batch: %s", strerror(-r));
	}
	r = nft_batch_commit(&b, &nb->nf, &nb->model, &at, &ans);
	nft_batch_free(&b);
	if (r < 0)
		return backend_errf(err, r, -1, "table bridge %s: nftables answers: %s",
		                    VDPD_NFT_TABLE, nlans_str(&ans, e, sizeof(e)));
	nft_snap_committed(&nb->model);
	nb->model_ok = !nb->model.stale;
	return 0;
}

static int nl_open(struct backend *be, const char *bridge, const struct backend_opts *o,
                   struct backend_err *err)
{
	struct nlbe *nb = calloc(1, sizeof(*nb));
	struct rtlink br;
	struct nlans ans;
	char msg[512], e[256];
	int r;

	if (!nb)
		return backend_errf(err, -ENOMEM, -1, "netlink backend: out of memory");
	be->priv = nb;
	snprintf(nb->bridge, sizeof(nb->bridge), "%s", bridge);
	if ((r = nlsock_open(&nb->rt, NETLINK_ROUTE)) < 0 ||
	    (r = nlsock_open(&nb->nf, NETLINK_NETFILTER)) < 0) {
		snprintf(msg, sizeof(msg), "netlink socket: %s", strerror(-r));
		return open_err(be, err, r, msg);
	}
	if ((r = rtlink_get(&nb->rt, bridge, &br, &ans)) < 0) {
		snprintf(msg, sizeof(msg), "bridge %s: RTNETLINK answers: %s", bridge,
		         nlans_str(&ans, e, sizeof(e)));
		return open_err(be, err, r, msg);
	}
	if (strcmp(br.kind, "bridge") != 0) {
		snprintf(msg, sizeof(msg), "%s is not a bridge (kind \"%s\")", bridge, br.kind);
		return open_err(be, err, -EINVAL, msg);
	}
	nb->br_ifindex = br.ifindex;
	kcaps_probe(&nb->rt, &nb->nf, &nb->caps);
	if ((r = vlan_mode(be, &br, o, msg, sizeof(msg))) < 0)
		return open_err(be, err, r, msg);
	/* Table bridge vdpd read once into the model, and declared; an older
	 * vdpd's chain "vlan" goes first (mostly -ENOENT: there is none). */
	if (nb->caps.have[KCAP_NFT_BRIDGE])
		(void)nft_drop_old_chains(&nb->nf);
	if (nb->caps.have[KCAP_NFT_BRIDGE] && (r = model_sync(be, err)) < 0) {
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return open_err(be, err, r, msg);
	}
	return 0;
}

/* ---- apply ---- */

struct run {
	struct backend *be;
	struct nlbe *nb;
	struct undolog undo;
	struct vlan_tab vlans;
	bool vlans_loaded;
	struct nft_batch batch;
	uint32_t *classid; /* per op: the htb class its nft half steers to */
	struct backend_err *err;
};

static int fail_kernel(struct run *x, const struct kop *op, long i, const char *who,
                       const struct nlans *ans)
{
	char t[160], e[200];

	return backend_errf(x->err, ans->err, i, "%s: %s answers: %s", kop_format(op, t, sizeof(t)),
	                    who, nlans_str(ans, e, sizeof(e)));
}

static int fail_why(struct run *x, const struct kop *op, long i, int code, const char *why)
{
	char t[160];

	return backend_errf(x->err, code, i, "%s: %s", kop_format(op, t, sizeof(t)),
	                    why[0] ? why : strerror(-code));
}

/* The op's port must be a port of the served bridge. */
static int check_port(struct run *x, const struct kop *op, long i, int *ifindex)
{
	struct rtlink l;
	struct nlans ans;
	char why[128];

	if (rtlink_get(&x->nb->rt, op->port, &l, &ans) < 0)
		return fail_kernel(x, op, i, "RTNETLINK", &ans);
	if (l.master != x->nb->br_ifindex) {
		snprintf(why, sizeof(why), "%s is not a port of bridge %s", op->port,
		         x->nb->bridge);
		return fail_why(x, op, i, -EINVAL, why);
	}
	/* The op's values were checked by kop_check() (backend_apply()). */
	*ifindex = l.ifindex;
	return 0;
}

static int kernel_vlan(struct run *x, const struct kop *op, long i, int ifindex)
{
	bool add = op->kind == KOP_VLAN_ADD;
	struct vlan_ent *e;
	struct nlans ans;
	struct undo u = {.kind = add ? UNDO_VLAN_DEL : UNDO_VLAN_ADD, .ifindex = ifindex};

	if (!x->vlans_loaded) {
		if (vlan_tab_load(&x->nb->rt, &x->vlans, &ans) < 0)
			return fail_kernel(x, op, i, "RTNETLINK", &ans);
		x->vlans_loaded = true;
	}
	e = vlan_tab_find(&x->vlans, ifindex, op->vid);
	if (add == (e != NULL))
		return 0;
	if (rtlink_vlan(&x->nb->rt, ifindex, add, op->vid, 0, &ans) < 0)
		return fail_kernel(x, op, i, "RTNETLINK", &ans);
	u.vid = op->vid;
	u.flags = e ? e->flags : 0;
	if (add)
		vlan_tab_add(&x->vlans, ifindex, op->vid, 0);
	else
		vlan_tab_remove(&x->vlans, e);
	return undo_push(&x->undo, u);
}

/* The tc half of a to-VM rate; *classid is what the nft half steers to. */
static int tc_rate(struct run *x, const struct kop *op, long i, int ifindex, uint32_t *classid)
{
	struct tc_class old, cls;
	struct nlans ans = {0};
	char why[160] = "";
	bool created;
	uint32_t h = nft_rate_class(&x->nb->model, op);
	int have = h ? tc_class_get(ifindex, h, &old) : 0;

	if (op->kind == KOP_RATE_CLEAR) {
		if (have <= 0)
			return 0;
		if (tc_class_del(&x->nb->rt, ifindex, h, &ans) < 0)
			return fail_kernel(x, op, i, "RTNETLINK", &ans);
		return undo_push(
		    &x->undo,
		    (struct undo){.kind = UNDO_CLASS_SET, .ifindex = ifindex, .cls = old});
	}
	if (tc_root_ensure(&x->nb->rt, ifindex, &created, &ans, why, sizeof(why)) < 0)
		return why[0] ? fail_why(x, op, i, ans.err, why)
		              : fail_kernel(x, op, i, "RTNETLINK", &ans);
	if (created &&
	    undo_push(&x->undo, (struct undo){.kind = UNDO_QDISC_DEL, .ifindex = ifindex}) < 0)
		return -ENOMEM;
	if (have <= 0)
		h = VDPD_TC_HANDLE | tc_class_free_minor(ifindex);
	if (h == VDPD_TC_HANDLE)
		return fail_why(x, op, i, -ENOSPC, "no free htb class minor on the port");
	cls = (struct tc_class){.handle = h,
	                        .rate = (uint64_t)op->u.bw.rate_kbps * 125,
	                        .burst = backend_burst(&op->u.bw)};
	if (tc_class_set(&x->nb->rt, ifindex, &cls, &ans) < 0)
		return fail_kernel(x, op, i, "RTNETLINK", &ans);
	*classid = h;
	if (have > 0)
		return undo_push(
		    &x->undo,
		    (struct undo){.kind = UNDO_CLASS_SET, .ifindex = ifindex, .cls = old});
	return undo_push(&x->undo,
	                 (struct undo){.kind = UNDO_CLASS_DEL, .ifindex = ifindex, .cls = cls});
}

static int nft_op(struct run *x, const struct kop *op, long i)
{
	char why[160] = "";
	int r = nft_batch_op(&x->batch, &x->nb->model, op, i, x->classid[i], why, sizeof(why));

	return r < 0 ? fail_why(x, op, i, r, why) : 0;
}

static int one_op(struct run *x, const struct kop *op, long i)
{
	int ifindex = 0, r = check_port(x, op, i, &ifindex);

	if (r < 0)
		return r;
	switch (op->kind) {
	case KOP_VLAN_ADD:
	case KOP_VLAN_DEL:
		if (!x->nb->vlan_nft)
			return kernel_vlan(x, op, i, ifindex);
		break;
	case KOP_RATE_SET:
	case KOP_RATE_CLEAR:
		if (op->u.bw.dir == VDP_DIR_TO_VM &&
		    (r = tc_rate(x, op, i, ifindex, &x->classid[i])) < 0)
			return r;
		break;
	case KOP_QOS_SET:
		if (op->u.qos.pcp != VDP_QOS_UNSET && !x->nb->pcp_warned) {
			x->nb->pcp_warned = true;
			backend_logf(x->be, LOG_WARNING,
			             "%s: PCP marking is not supported by this backend; ignored",
			             op->port);
		}
		break;
	default:
		break;
	}
	return nft_op(x, op, i);
}

static int commit(struct run *x, const struct kop *ops, struct nlans *ans)
{
	struct nft_snap *m = &x->nb->model;
	long at;
	char e[200];

	if (x->batch.nmsg == 0)
		return 0; /* nothing for nftables in this batch */
	if (nft_batch_commit(&x->batch, &x->nb->nf, m, &at, ans) == 0) {
		nft_snap_committed(m);
		x->nb->model_ok = !m->stale;
		return 0;
	}
	if (at < 0)
		return backend_errf(x->err, ans->err, -1, "table bridge %s: nftables answers: %s",
		                    VDPD_NFT_TABLE, nlans_str(ans, e, sizeof(e)));
	return fail_kernel(x, &ops[at], at, "nftables", ans);
}

/* The table, a chain, a set or a rule the model has was deleted behind
 * vdpd's back (nft flush ruleset, ...): the batch failed whole with ENOENT.
 * Read the table again, declare what is missing and build the batch anew
 * (the rtnetlink and tc parts are done already). */
static int retry_nft(struct run *x, const struct kop *ops, size_t n, struct nlans *ans)
{
	int r;

	backend_logf(x->be, LOG_WARNING,
	             "table bridge %s differs from what vdpd programmed; read again",
	             VDPD_NFT_TABLE);
	nft_batch_free(&x->batch);
	if ((r = model_sync(x->be, x->err)) < 0)
		return r;
	if ((r = nft_batch_start(&x->batch, &x->nb->nf)) < 0)
		return backend_errf(x->err, r, -1, "building the nftables batch: %s", strerror(-r));
	for (size_t i = 0; i < n && r == 0; i++)
		r = nft_op(x, &ops[i], (long)i);
	return r ? r : commit(x, ops, ans);
}

static int nl_apply(struct backend *be, const struct kop *ops, size_t n, struct backend_err *err)
{
	struct run x = {.be = be, .nb = be->priv, .err = err};
	struct nlans ans = {0};
	int r = 0;

	if (n && !(x.classid = calloc(n, sizeof(*x.classid))))
		return backend_errf(err, -ENOMEM, -1, "netlink backend: out of memory");
	if (!x.nb->model_ok && (r = model_sync(be, err)) < 0)
		goto out;
	if ((r = nft_batch_start(&x.batch, &x.nb->nf)) < 0) {
		backend_errf(err, r, -1, "building the nftables batch: %s", strerror(-r));
		goto out;
	}
	for (size_t i = 0; i < n && r == 0; i++)
		r = one_op(&x, &ops[i], (long)i);
	if (r == 0)
		r = commit(&x, ops, &ans);
	if (r < 0 && ans.err == -ENOENT)
		r = retry_nft(&x, ops, n, &ans);
	if (r < 0) {
		undo_run(be, &x.undo);
		/* The batch changed the model as it was built: read it again. */
		x.nb->model_ok = false;
	}
out:
	free(x.undo.v);
	free(x.classid);
	vlan_tab_free(&x.vlans);
	nft_batch_free(&x.batch);
	return r;
}

/* ---- flush, close ---- */

static int nl_flush(struct backend *be, struct backend_err *err)
{
	struct nlbe *nb = be->priv;
	struct nft_batch b;
	struct nlans ans;
	long at;
	char what[96], e[200];
	int r = nb->caps.have[KCAP_NFT_BRIDGE] ? nft_batch_start(&b, &nb->nf) : 1;

	if (r == 1)
		goto tc; /* no nftables bridge family: no table to own */
	if (r == 0)
		r = nft_batch_del_table(&b, -1);
	nb->model_ok = false; /* what is left to model is the table's absence */
	if (r == 0 && nft_batch_commit(&b, &nb->nf, NULL, &at, &ans) < 0 && ans.err != -ENOENT)
		r = backend_errf(err, ans.err, -1, "deleting table bridge %s: nftables answers: %s",
		                 VDPD_NFT_TABLE, nlans_str(&ans, e, sizeof(e)));
	nft_batch_free(&b);
	if (r < 0)
		return r;
tc:
	if (tc_flush_owned(&nb->rt, &ans, what, sizeof(what)) < 0)
		return backend_errf(err, ans.err, -1, "deleting %s: RTNETLINK answers: %s", what,
		                    nlans_str(&ans, e, sizeof(e)));
	return 0;
}

static void nl_close(struct backend *be)
{
	struct nlbe *nb = be->priv;

	if (!nb)
		return;
	nlsock_close(&nb->rt);
	nlsock_close(&nb->nf);
	nft_snap_free(&nb->model);
	free(nb);
	be->priv = NULL;
}

/* ---- for tests and bench/ ---- */

int backend_netlink_stats(const struct backend *be, struct backend_nl_stats *out)
{
	const struct nlbe *nb = be->priv;

	memset(out, 0, sizeof(*out));
	if (be->ops != &backend_netlink_ops || !nb)
		return -EINVAL;
	out->nft_sends = nb->nf.st.sends;
	out->nft_bytes = nb->nf.st.bytes;
	out->nft_dumps = nb->nf.st.dumps;
	out->nft_recv_msgs = nb->nf.st.recv_msgs;
	out->rt_sends = nb->rt.st.sends;
	out->rt_dumps = nb->rt.st.dumps;
	out->model_rules = nb->model.nrules;
	out->model_elems = nb->model.nelems;
	return 0;
}

long backend_netlink_verify(struct backend *be, backend_diff_fn *fn, void *arg)
{
	struct nlbe *nb = be->priv;
	struct nft_snap kernel = {0};
	struct nlans ans;
	long n;
	int r;

	if (be->ops != &backend_netlink_ops || !nb)
		return -EINVAL;
	if ((r = nft_snap_load(&nb->nf, &kernel, &ans)) < 0)
		return r;
	n = (long)nft_snap_diff(&nb->model, &kernel, fn, arg);
	nft_snap_free(&kernel);
	return n;
}

const struct backend_ops backend_netlink_ops = {
    .name = "netlink",
    .open = nl_open,
    .apply = nl_apply,
    .flush_owned = nl_flush,
    .close = nl_close,
};
