/* SPDX-License-Identifier: ISC */
/* vdpd: what every backend shares: the wrappers, op names and the text form
 * of an op used in logs, errors and by the record backend. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "kernel/backend.h"

static const char *const kind_names[KOP_KIND_COUNT] = {
    [KOP_VLAN_ADD] = "vlan-add",     [KOP_VLAN_DEL] = "vlan-del",
    [KOP_ACL_ADD] = "acl-add",       [KOP_ACL_DEL] = "acl-del",
    [KOP_RATE_SET] = "rate-set",     [KOP_RATE_CLEAR] = "rate-clear",
    [KOP_QOS_SET] = "qos-set",       [KOP_QOS_CLEAR] = "qos-clear",
    [KOP_GUARD_ADD] = "guard-add",   [KOP_GUARD_DEL] = "guard-del",
    [KOP_DHCP_BLOCK] = "dhcp-block", [KOP_DHCP_UNBLOCK] = "dhcp-unblock",
};

const char *kop_kind_name(enum kop_kind kind)
{
	return (unsigned)kind < KOP_KIND_COUNT ? kind_names[kind] : "unknown-op";
}

static const char *dir_name(uint8_t dir)
{
	switch (dir) {
	case VDP_DIR_TO_VM:
		return "to-vm";
	case VDP_DIR_FROM_VM:
		return "from-vm";
	case VDP_DIR_BOTH:
		return "both";
	}
	return "bad-dir";
}

/* Appends to buf at *off, never past cap. */
static void app(char *buf, size_t cap, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void app(char *buf, size_t cap, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, cap - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n;
}

static void app_prefix(char *buf, size_t cap, size_t *off, const char *tag,
                       const struct vdp_prefix *p)
{
	char a[64];
	int af = p->family == 6 ? AF_INET6 : AF_INET;

	if (p->family != 4 && p->family != 6)
		return;
	if (!inet_ntop(af, p->addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	app(buf, cap, off, " %s %s/%u", tag, a, p->plen);
}

static void app_acl(char *buf, size_t cap, size_t *off, const struct vdp_pol_acl *a)
{
	app(buf, cap, off, " %s %s", a->action == VDP_ACL_PERMIT ? "permit" : "deny",
	    dir_name(a->dir));
	if (a->ethertype)
		app(buf, cap, off, " ethertype 0x%04x", a->ethertype);
	if (a->ip_proto)
		app(buf, cap, off, " proto %u", a->ip_proto);
	app_prefix(buf, cap, off, "src", &a->src);
	app_prefix(buf, cap, off, "dst", &a->dst);
	if (a->sport_lo || a->sport_hi)
		app(buf, cap, off, " sport %u-%u", a->sport_lo, a->sport_hi);
	if (a->dport_lo || a->dport_hi)
		app(buf, cap, off, " dport %u-%u", a->dport_lo, a->dport_hi);
}

char *kop_format(const struct kop *op, char *buf, size_t cap)
{
	static const uint8_t zero[6];
	size_t off = 0;

	if (!cap)
		return buf;
	buf[0] = 0;
	app(buf, cap, &off, "%s %s", kop_kind_name(op->kind), op->port);
	if (op->vid)
		app(buf, cap, &off, " vid %u", op->vid);
	if (memcmp(op->mac, zero, 6) != 0)
		app(buf, cap, &off, " mac %02x:%02x:%02x:%02x:%02x:%02x", op->mac[0], op->mac[1],
		    op->mac[2], op->mac[3], op->mac[4], op->mac[5]);
	if (op->vnid)
		app(buf, cap, &off, " vnid %u", op->vnid);
	switch (op->kind) {
	case KOP_ACL_ADD:
	case KOP_ACL_DEL:
		app_acl(buf, cap, &off, &op->u.acl);
		break;
	case KOP_RATE_SET:
		app(buf, cap, &off, " %s %ukbit burst %u", dir_name(op->u.bw.dir),
		    op->u.bw.rate_kbps, op->u.bw.burst);
		break;
	case KOP_RATE_CLEAR:
		app(buf, cap, &off, " %s", dir_name(op->u.bw.dir));
		break;
	case KOP_QOS_SET:
		if (op->u.qos.pcp != VDP_QOS_UNSET)
			app(buf, cap, &off, " pcp %u", op->u.qos.pcp);
		if (op->u.qos.dscp != VDP_QOS_UNSET)
			app(buf, cap, &off, " dscp %u", op->u.qos.dscp);
		break;
	default:
		break;
	}
	return buf;
}

int backend_errf(struct backend_err *err, int code, long op, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	err->op = op;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void backend_logf(const struct backend *be, int prio, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (be && be->log)
		be->log(be->log_arg, prio, line);
	else
		fprintf(stderr, "vdpd: %s\n", line);
}

static void err_clear(struct backend_err *err)
{
	if (err) {
		err->code = 0;
		err->op = -1;
		err->msg[0] = 0;
	}
}

int backend_open(struct backend *be, const struct backend_ops *ops, const char *bridge,
                 const struct backend_opts *opts, struct backend_err *err)
{
	static const struct backend_opts defaults;

	err_clear(err);
	if (!opts)
		opts = &defaults;
	be->ops = ops;
	be->priv = NULL;
	be->log = opts->log;
	be->log_arg = opts->log_arg;
	return ops->open(be, bridge, opts, err);
}

/* Every backend gets only ops it can program: the netlink one would fail
 * halfway through a batch, the recording one must fail like it. */
int backend_apply(struct backend *be, const struct kop *ops, size_t n, struct backend_err *err)
{
	err_clear(err);
	for (size_t i = 0; i < n; i++) {
		char why[160], t[160];
		int r = kop_check(&ops[i], why, sizeof(why));
		if (r < 0)
			return backend_errf(err, r, (long)i, "%s: %s",
			                    kop_format(&ops[i], t, sizeof(t)), why);
	}
	return n ? be->ops->apply(be, ops, n, err) : 0;
}

int backend_flush_owned(struct backend *be, struct backend_err *err)
{
	err_clear(err);
	return be->ops->flush_owned(be, err);
}

void backend_close(struct backend *be)
{
	if (be->ops)
		be->ops->close(be);
	be->ops = NULL;
	be->priv = NULL;
}
