/* SPDX-License-Identifier: ISC */
/* backend-drive: drives vdpd's kernel backend from the command line, for the
 * kernel test tier (tests/kernel/scenarios) until the daemon can be driven
 * end to end.  All ops of one invocation form ONE apply() batch, in order.
 *
 * usage: backend-drive [options] --bridge BR [OP ...] [flush]
 * options:
 *   --backend netlink|record   default netlink; record prints its log
 *   --novlan nftables|refuse   behaviour without bridge VLAN filtering
 *   --leave-vlan-filtering     do not switch vlan_filtering on
 * ops (MAC "any" = all-zero; VID 0 = any VLAN for acl/rate/qos):
 *   vlan-add PORT VID             vlan-del PORT VID
 *   acl-add PORT VID MAC permit|deny to-vm|from-vm|both [ethertype N]
 *           [proto N] [src A/L] [dst A/L] [sport LO[-HI]] [dport LO[-HI]]
 *   acl-del (same arguments)
 *   rate-set PORT VID MAC to-vm|from-vm KBIT [burst BYTES]
 *   rate-clear PORT VID MAC to-vm|from-vm
 *   qos-set PORT VID MAC [pcp N] [dscp N]    qos-clear PORT VID MAC
 *   flush                          flush_owned() after the batch
 * exit: 0 done, 1 the backend failed (message on stderr), 2 usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/backend.h"

#define MAX_OPS 256

static void usage(const char *why)
{
	fprintf(stderr, "backend-drive: %s (see the comment at the top of backend-drive.c)\n", why);
	exit(2);
}

static unsigned long num(const char *s, unsigned long max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max) {
		fprintf(stderr, "backend-drive: bad %s \"%s\"\n", what, s);
		exit(2);
	}
	return v;
}

static void mac(const char *s, uint8_t out[6])
{
	unsigned m[6];

	memset(out, 0, 6);
	if (!strcmp(s, "any"))
		return;
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
		usage("bad MAC");
	for (int i = 0; i < 6; i++)
		out[i] = (uint8_t)m[i];
}

static void prefix(const char *s, struct vdp_prefix *p)
{
	char a[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= sizeof(a))
		usage("bad prefix");
	memcpy(a, s, n);
	a[n] = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, a, p->addr) == 1)
		p->family = 4;
	else if (inet_pton(AF_INET6, a, p->addr) == 1)
		p->family = 6;
	else
		usage("bad prefix address");
	p->plen = (uint8_t)(slash ? num(slash + 1, p->family == 4 ? 32 : 128, "prefix length")
	                          : (p->family == 4 ? 32 : 128));
}

static void range(const char *s, uint16_t *lo, uint16_t *hi)
{
	char a[16];
	const char *dash = strchr(s, '-');

	if (!dash) {
		*lo = *hi = (uint16_t)num(s, 65535, "port");
		return;
	}
	snprintf(a, sizeof(a), "%.*s", (int)(dash - s), s);
	*lo = (uint16_t)num(a, 65535, "port");
	*hi = (uint16_t)num(dash + 1, 65535, "port");
}

static uint8_t dir(const char *s)
{
	if (!strcmp(s, "to-vm"))
		return VDP_DIR_TO_VM;
	if (!strcmp(s, "from-vm"))
		return VDP_DIR_FROM_VM;
	if (!strcmp(s, "both"))
		return VDP_DIR_BOTH;
	usage("direction is to-vm, from-vm or both");
	return 0;
}

static int kind_of(const char *s)
{
	for (int k = 0; k < KOP_KIND_COUNT; k++)
		if (!strcmp(s, kop_kind_name(k)))
			return k;
	return -1;
}

/* Parses one op at argv[*i]; returns with *i past its arguments. */
static void parse_op(int argc, char **argv, int *i, struct kop *op)
{
	int k = kind_of(argv[*i]);
	int need = (k == KOP_VLAN_ADD || k == KOP_VLAN_DEL) ? 2 : 3;

	memset(op, 0, sizeof(*op));
	op->kind = k;
	if (*i + need >= argc)
		usage("missing arguments");
	snprintf(op->port, sizeof(op->port), "%s", argv[++*i]);
	op->vid = (uint16_t)num(argv[++*i], 4095, "VID");
	if (need == 3)
		mac(argv[++*i], op->mac);
	op->u.qos.pcp = op->u.qos.dscp = VDP_QOS_UNSET;
	if (k == KOP_ACL_ADD || k == KOP_ACL_DEL) {
		struct vdp_pol_acl *a = &op->u.acl;

		memset(a, 0, sizeof(*a));
		if (*i + 2 >= argc)
			usage("acl needs permit|deny and a direction");
		a->action = !strcmp(argv[++*i], "permit") ? VDP_ACL_PERMIT : VDP_ACL_DENY;
		a->dir = dir(argv[++*i]);
		while (*i + 2 < argc && kind_of(argv[*i + 1]) < 0 &&
		       strcmp(argv[*i + 1], "flush")) {
			const char *key = argv[++*i], *v = argv[++*i];

			if (!strcmp(key, "ethertype"))
				a->ethertype = (uint16_t)num(v, 65535, "ethertype");
			else if (!strcmp(key, "proto"))
				a->ip_proto = (uint8_t)num(v, 255, "proto");
			else if (!strcmp(key, "src"))
				prefix(v, &a->src);
			else if (!strcmp(key, "dst"))
				prefix(v, &a->dst);
			else if (!strcmp(key, "sport"))
				range(v, &a->sport_lo, &a->sport_hi);
			else if (!strcmp(key, "dport"))
				range(v, &a->dport_lo, &a->dport_hi);
			else
				usage("unknown acl field");
		}
	} else if (k == KOP_RATE_SET || k == KOP_RATE_CLEAR) {
		if (*i + 1 >= argc)
			usage("rate needs a direction");
		op->u.bw.dir = dir(argv[++*i]);
		if (k == KOP_RATE_SET) {
			if (*i + 1 >= argc)
				usage("rate-set needs a rate in kbit/s");
			op->u.bw.rate_kbps = (uint32_t)num(argv[++*i], UINT32_MAX, "rate");
			if (*i + 2 < argc && !strcmp(argv[*i + 1], "burst")) {
				*i += 2;
				op->u.bw.burst = (uint32_t)num(argv[*i], UINT32_MAX, "burst");
			}
		}
	} else if (k == KOP_QOS_SET) {
		while (*i + 2 < argc &&
		       (!strcmp(argv[*i + 1], "pcp") || !strcmp(argv[*i + 1], "dscp"))) {
			bool pcp = !strcmp(argv[++*i], "pcp");
			uint8_t v = (uint8_t)num(argv[++*i], pcp ? 7 : 63, "qos value");

			if (pcp)
				op->u.qos.pcp = v;
			else
				op->u.qos.dscp = v;
		}
	}
	++*i;
}

int main(int argc, char **argv)
{
	static struct kop ops[MAX_OPS];
	struct backend_opts opts = {0};
	const struct backend_ops *bops = &backend_netlink_ops;
	const char *bridge = NULL;
	struct backend be;
	struct backend_err err;
	size_t n = 0;
	bool flush = false;
	char line[256];
	int i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--bridge") && i + 1 < argc)
			bridge = argv[++i];
		else if (!strcmp(argv[i], "--backend") && i + 1 < argc)
			bops = !strcmp(argv[++i], "record") ? &backend_record_ops
			                                    : &backend_netlink_ops;
		else if (!strcmp(argv[i], "--novlan") && i + 1 < argc)
			opts.novlan = !strcmp(argv[++i], "refuse") ? BACKEND_NOVLAN_REFUSE
			                                           : BACKEND_NOVLAN_NFTABLES;
		else if (!strcmp(argv[i], "--leave-vlan-filtering"))
			opts.leave_vlan_filtering = true;
		else
			usage("unknown option");
	}
	if (!bridge)
		usage("--bridge is required");
	while (i < argc) {
		if (!strcmp(argv[i], "flush")) {
			flush = true;
			i++;
			continue;
		}
		if (kind_of(argv[i]) < 0)
			usage("unknown op");
		if (n == MAX_OPS)
			usage("too many ops");
		parse_op(argc, argv, &i, &ops[n++]);
	}
	if (backend_open(&be, bops, bridge, &opts, &err) < 0) {
		fprintf(stderr, "backend-drive: open: %s\n", err.msg);
		return 1;
	}
	if (backend_apply(&be, ops, n, &err) < 0) {
		fprintf(stderr, "backend-drive: apply failed at op %ld: %s\n", err.op, err.msg);
		backend_close(&be);
		return 1;
	}
	if (bops == &backend_record_ops) {
		size_t m;
		const struct kop *log = backend_record_ops_log(&be, &m);

		for (size_t j = 0; j < m; j++)
			printf("%s\n", kop_format(&log[j], line, sizeof(line)));
	}
	if (flush && backend_flush_owned(&be, &err) < 0) {
		fprintf(stderr, "backend-drive: flush: %s\n", err.msg);
		backend_close(&be);
		return 1;
	}
	backend_close(&be);
	printf("backend-drive: %zu op(s) applied%s\n", n, flush ? ", owned state flushed" : "");
	return 0;
}
