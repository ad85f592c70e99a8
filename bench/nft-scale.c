/* SPDX-License-Identifier: ISC */
/* nft-scale: programs N VSIs through vdpd's netlink backend, one apply()
 * per VSI as the daemon does for an Associate (VLAN membership of the port,
 * the VSI's guard; with --policy also an ACL and a from-VM rate), and says
 * what each apply cost: time, and what went over the nftables socket.  Run
 * it in a network namespace holding bridge BR with ports PREFIX0..; see
 * bench/nft-scale.sh, which builds one.
 *
 * usage: nft-scale --bridge BR --ports P --vsis N [--vnids V] [--policy]
 *                  [--prefix PFX] [--verify] [--every K] [--delete-table-at K]
 * Prints one line per K VSIs ("vsis 1000 median_us ... p99_us ...") and
 * a last line of key=value pairs about the last apply:
 *   last_nft_sends, last_nft_bytes, last_nft_dumps, last_rt_dumps, total_s,
 *   model_rules, model_elems, verify_diffs (-1 unless --verify).
 * --delete-table-at K deletes table bridge vdpd (`nft delete table`) behind
 * the backend's back before VSI K: the next apply must still succeed (the
 * backend reads the table again and declares it) with the VSIs from K on.
 * Exit: 0, 1 when the backend failed, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "benchutil.h"
#include "kernel/backend.h"

static void usage(void)
{
	fprintf(stderr, "usage: nft-scale --bridge BR --ports P --vsis N [--vnids V] [--policy] "
	                "[--prefix PFX] [--verify] [--every K] [--delete-table-at K]\n");
	exit(2);
}

static void print_diff(void *arg, const char *side, const char *what)
{
	(void)arg;
	fprintf(stderr, "nft-scale: %s %s\n", side, what);
}

/* The ops of VSI i: port i % ports, VLAN 100 + i % vnids, MAC from i. */
static size_t vsi_ops(struct kop *ops, unsigned long i, unsigned long ports, unsigned long vnids,
                      const char *prefix, int policy)
{
	struct kop base = {0};
	size_t n = 0;

	char port[64];

	snprintf(port, sizeof(port), "%s%lu", prefix, i % ports);
	snprintf(base.port, sizeof(base.port), "%.*s", (int)sizeof(base.port) - 1, port);
	base.vid = (uint16_t)(100 + i % vnids);
	base.vnid = (uint32_t)(5000 + i % vnids);
	base.mac[0] = 0x02;
	base.mac[2] = (uint8_t)(i >> 24);
	base.mac[3] = (uint8_t)(i >> 16);
	base.mac[4] = (uint8_t)(i >> 8);
	base.mac[5] = (uint8_t)i;
	ops[n] = base;
	ops[n++].kind = KOP_VLAN_ADD;
	ops[n] = base;
	ops[n++].kind = KOP_GUARD_ADD;
	if (policy) {
		ops[n] = base;
		ops[n].kind = KOP_ACL_ADD;
		ops[n].u.acl.action = VDP_ACL_DENY;
		ops[n].u.acl.dir = VDP_DIR_FROM_VM;
		ops[n].u.acl.ethertype = 0x0800;
		ops[n].u.acl.ip_proto = 6;
		ops[n].u.acl.dport_lo = ops[n].u.acl.dport_hi = 22;
		n++;
		ops[n] = base;
		ops[n].kind = KOP_RATE_SET;
		ops[n].u.bw.dir = VDP_DIR_FROM_VM;
		ops[n].u.bw.rate_kbps = 10000;
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *bridge = NULL, *prefix = "p";
	unsigned long ports = 1, vsis = 0, vnids = 1, every = 1000, delete_at = ~0UL;
	int policy = 0, verify = 0;
	struct backend be;
	struct backend_err err;
	struct backend_opts opts = {0};
	struct backend_nl_stats a, b;
	struct kop ops[4];
	double *lat, t0;
	long diffs = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--bridge") && i + 1 < argc)
			bridge = argv[++i];
		else if (!strcmp(argv[i], "--ports") && i + 1 < argc)
			ports = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--vsis") && i + 1 < argc)
			vsis = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--vnids") && i + 1 < argc)
			vnids = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--every") && i + 1 < argc)
			every = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--delete-table-at") && i + 1 < argc)
			delete_at = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--prefix") && i + 1 < argc)
			prefix = argv[++i];
		else if (!strcmp(argv[i], "--policy"))
			policy = 1;
		else if (!strcmp(argv[i], "--verify"))
			verify = 1;
		else
			usage();
	}
	if (!bridge || !ports || !vsis || !vnids || !every || vnids > 3900)
		usage();
	lat = calloc(vsis, sizeof(*lat));
	if (!lat || backend_open(&be, &backend_netlink_ops, bridge, &opts, &err) < 0) {
		fprintf(stderr, "nft-scale: open: %s\n", lat ? err.msg : "out of memory");
		return 1;
	}
	t0 = now_us();
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	for (unsigned long i = 0; i < vsis; i++) {
		size_t n = vsi_ops(ops, i, ports, vnids, prefix, policy);
		double s;

		if (i == delete_at && system("nft delete table bridge vdpd") != 0) {
			fprintf(stderr, "nft-scale: nft delete table bridge vdpd failed\n");
			return 1;
		}
		s = now_us();
		backend_netlink_stats(&be, &a);
		if (backend_apply(&be, ops, n, &err) < 0) {
			fprintf(stderr, "nft-scale: VSI %lu: %s\n", i, err.msg);
			backend_close(&be);
			return 1;
		}
		backend_netlink_stats(&be, &b);
		lat[i] = now_us() - s;
		if ((i + 1) % every == 0 || i + 1 == vsis) {
			unsigned long from = i + 1 > every ? i + 1 - every : 0, k = i + 1 - from;
			double *w = malloc(k * sizeof(*w));

			if (!w)
				return 1;
			memcpy(w, lat + from, k * sizeof(*w));
			qsort(w, k, sizeof(*w), cmp_d);
			printf("vsis %lu median_us %.0f p99_us %.0f elapsed_s %.2f\n", i + 1,
			       w[k / 2], w[k * 99 / 100], (now_us() - t0) / 1e6);
			fflush(stdout);
			free(w);
		}
	}
	if (verify)
		diffs = backend_netlink_verify(&be, print_diff, NULL);
	printf("last_nft_sends=%llu last_nft_bytes=%llu last_nft_dumps=%llu last_rt_dumps=%llu "
	       "total_s=%.2f model_rules=%zu model_elems=%zu verify_diffs=%ld\n",
	       (unsigned long long)(b.nft_sends - a.nft_sends),
	       (unsigned long long)(b.nft_bytes - a.nft_bytes),
	       (unsigned long long)(b.nft_dumps - a.nft_dumps),
	       (unsigned long long)(b.rt_dumps - a.rt_dumps), (now_us() - t0) / 1e6, b.model_rules,
	       b.model_elems, diffs);
	backend_close(&be);
	free(lat);
	return 0;
}
