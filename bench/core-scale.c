/* SPDX-License-Identifier: ISC */
/* core-scale: what an Associate costs in vdpd's core as the table grows
 * (issue 12), without the wire or the kernel: VSIs go straight to
 * vsi_handle() with the recording backend, one Associate each, VSI i in
 * VNID 1000 + i % VNIDS on port i % PORTS.  Prints, per block of VSIs
 * (--every), Associates/s and the median and p99 latency of one
 * Associate, then at the final size the cost of a keepalive refresh and of
 * a keepalive tick with nothing due.
 *
 * usage: core-scale [--vsis N] [--ports P] [--vnids V] [--every K]
 * Exit: 0, 1 when a request was refused, 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "core/vdpd.h"
#include "log.h"

static struct vdpd d;
static const uint8_t mgrid[VDP_MGRID_LEN] = "bench";

static void usage(void)
{
	fprintf(stderr, "usage: core-scale [--vsis N] [--ports P] [--vnids V] [--every K]\n");
	exit(2);
}

static int assoc(unsigned long i, unsigned long ports, unsigned long vnids, uint64_t now)
{
	static struct vdp_vsi req, resp;

	memset(&req, 0, sizeof(req));
	req.type = VDP_TLV_ASSOC;
	req.type_id = (uint32_t)(1000 + i % vnids);
	req.vsiid_fmt = VDP_VSIID_UUID;
	for (unsigned b = 0; b < 4; b++)
		req.vsiid[15 - b] = (uint8_t)(i >> (8 * b));
	req.filter_fmt = VDP_FILTER_MAC_VID;
	req.nfilters = 1;
	memcpy(req.filters[0].mac,
	       (uint8_t[]){0x52, 0x54, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i, 1}, 6);
	vsi_handle(&d, (unsigned)(i % ports), &req, mgrid, now, &resp);
	return resp.status == VDP_RESP ? 0 : -1;
}

static void conf_make(struct conf *c, unsigned long ports, unsigned long vsis, unsigned long vnids)
{
	conf_defaults(c);
	snprintf(c->bridge, sizeof(c->bridge), "br0");
	c->nports = (unsigned)ports;
	for (unsigned i = 0; i < ports; i++) {
		snprintf(c->ports[i].name, IFNAMSIZ, "p%u", i);
		c->ports[i].max_vsis = (unsigned)(vsis / ports + 1);
	}
	c->nranges = 1;
	c->pool[0] = (struct conf_range){2, 4094};
	c->new_vsi_rate = 1000000000;
	c->new_vsi_burst = (unsigned)vsis;
	c->port_max_vnids = (unsigned)vnids;
	c->port_max_vlans = (unsigned)vnids;
}

int main(int argc, char **argv)
{
	unsigned long vsis = 100000, ports = 48, vnids = 1000, every = 0;
	struct conf c;
	char err[256];

	for (int i = 1; i < argc; i++) {
		unsigned long *to = NULL;
		if (!strcmp(argv[i], "--vsis"))
			to = &vsis;
		else if (!strcmp(argv[i], "--ports"))
			to = &ports;
		else if (!strcmp(argv[i], "--vnids"))
			to = &vnids;
		else if (!strcmp(argv[i], "--every"))
			to = &every;
		if (!to || ++i == argc)
			usage();
		*to = strtoul(argv[i], NULL, 10);
	}
	if (!vsis || !ports || ports > CONF_MAX_PORTS || !vnids || vnids > 4000)
		usage();
	if (!every)
		every = vsis < 1000 ? vsis : 1000;
	log_set_level(LOG_ERR);
	conf_make(&c, ports, vsis, vnids);
	if (vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) < 0) {
		fprintf(stderr, "core-scale: %s\n", err);
		return 1;
	}
	double *w = calloc(every, sizeof(*w));
	if (!w)
		return 1;
	uint64_t now = 1000000000ull;
	unsigned long k = 0;
	for (unsigned long i = 0; i < vsis; i++) {
		double t0 = now_us();
		if (assoc(i, ports, vnids, now) < 0) {
			fprintf(stderr, "core-scale: VSI %lu refused\n", i);
			free(w);
			return 1;
		}
		w[k++] = now_us() - t0;
		if (k == every || i + 1 == vsis) {
			double sum = 0;
			for (unsigned long j = 0; j < k; j++)
				sum += w[j];
			double med = quantile(w, k, 0.5), p99 = quantile(w, k, 0.99);
			printf("vsis %lu assoc_per_s %.0f median_us %.2f p99_us %.2f\n", i + 1,
			       (double)k / sum * 1e6, med, p99);
			k = 0;
		}
	}
	/* Keepalive refreshes of VSIs spread over the table. */
	unsigned long n = every;
	for (unsigned long j = 0; j < n; j++) {
		double t0 = now_us();
		assoc((j * 7919u) % vsis, ports, vnids, now);
		w[j] = now_us() - t0;
	}
	printf("refresh at %lu: median_us %.2f p99_us %.2f\n", vsis, quantile(w, n, 0.5),
	       quantile(w, n, 0.99));
	double t0 = now_us();
	for (unsigned long j = 0; j < n; j++)
		vsi_expire(&d, now);
	printf("tick with nothing due at %lu: %.3f us\n", vsis, (now_us() - t0) / (double)n);
	free(w);
	vdpd_fini(&d);
	return 0;
}
