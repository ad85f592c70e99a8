/* SPDX-License-Identifier: ISC */
/* vdpd: fairness between ports.  A hypervisor is not trusted, so no port
 * may take what the others need:
 *   - the VLANs a port's requests take from the pool, and the VNIDs they
 *     make, are charged to that port, up to its caps (port-vlan-limit,
 *     port-vnid-limit); by default a quarter of the pool, so that it takes
 *     four ports to exhaust it;
 *   - new VSIs (a VSIID the tables do not hold) come out of a per-port
 *     token bucket (new-vsi-rate): a flood of made-up VSIs is refused after
 *     the burst, before any table is searched for a VLAN; keepalives and
 *     requests for known VSIs cost nothing;
 *   - refusal messages are logged at most LOG_QUOTA a second per port, the
 *     rest counted and summed up, so that a flood does not become a flood
 *     of log lines.
 * The clock is the request's now_ns: tests drive it. */
#include <limits.h>

#include "log.h"
#include "core/vdpd.h"

#define LOG_QUOTA 20 /* refusal lines per port per second */
#define NS        1000000000ull

/* The automatic share of n things: a quarter, but not less than 16 (a
 * hypervisor with 16 networks is ordinary) unless that would leave no room
 * for the others: then all but one.  A single thing goes to who asks. */
unsigned fair_share(unsigned n)
{
	unsigned share = n / 4 > 16 ? n / 4 : 16;
	if (share > n - (n > 1))
		share = n - (n > 1);
	return share ? share : 1;
}

static unsigned pool_size(const struct vdpd *d)
{
	unsigned n = 0;
	for (uint16_t v = 1; v < VLAN_IDS - 1; v++)
		n += vlan_pool_contains(&d->pool, v);
	return n;
}

static unsigned pick(unsigned own, unsigned global, unsigned automatic)
{
	return own ? own : global ? global : automatic;
}

void fair_init_ports(struct vdpd *d)
{
	const struct conf *c = &d->conf;
	unsigned vlans = fair_share(pool_size(d));
	unsigned vnids = fair_share(c->max_vnids ? c->max_vnids : CONF_DEFAULT_MAX_VNIDS);
	for (unsigned i = 0; i < d->nports; i++) {
		struct port *p = &d->ports[i];
		p->max_vlans = pick(p->conf->max_vlans, c->port_max_vlans, vlans);
		p->max_vnids = pick(p->conf->max_vnids, c->port_max_vnids, vnids);
		p->new_vsi_rate = pick(p->conf->new_vsi_rate, c->new_vsi_rate, 1);
		/* A hypervisor may fill its port at once (boot its VMs);
		 * refused attempts pay too, hence the floor. */
		unsigned fill = p->conf->max_vsis > 256 ? p->conf->max_vsis : 256;
		p->new_vsi_burst = pick(p->conf->new_vsi_burst, c->new_vsi_burst, fill);
	}
}

/* GCRA, the token bucket as one time: *tat is when the bucket would be
 * full again.  A token costs 1/rate s; one is let through when the bucket,
 * after paying, would be at most burst tokens below full. */
bool fair_ready(uint64_t tat, unsigned rate, unsigned burst, uint64_t now_ns)
{
	uint64_t cost = NS / (rate ? rate : 1);
	uint64_t t = tat > now_ns ? tat : now_ns;
	return t + cost - now_ns <= cost * burst;
}

bool fair_take(uint64_t *tat, unsigned rate, unsigned burst, uint64_t now_ns)
{
	if (!fair_ready(*tat, rate, burst, now_ns))
		return false;
	uint64_t t = *tat > now_ns ? *tat : now_ns;
	*tat = t + NS / (rate ? rate : 1);
	return true;
}

uint64_t fair_wait_ns(uint64_t tat, unsigned rate, unsigned burst, unsigned tokens, uint64_t now_ns)
{
	uint64_t cost = NS / (rate ? rate : 1);
	uint64_t ready = tat + cost * tokens; /* tokens more than the first one */
	uint64_t room = cost * burst;
	return ready > now_ns + room ? ready - now_ns - room + cost : cost;
}

bool fair_new_vsi(struct vdpd *d, unsigned port, uint64_t now_ns)
{
	struct port *p = &d->ports[port];
	return fair_take(&p->new_vsi_tat, p->new_vsi_rate, p->new_vsi_burst, now_ns);
}

enum reason fair_vlan_check(const struct vdpd *d, unsigned port)
{
	const struct port *p = &d->ports[port];
	return p->nvlans >= p->max_vlans ? REASON_PORT_VLAN_LIMIT : REASON_OK;
}

enum reason fair_vnid_check(const struct vdpd *d, unsigned port)
{
	const struct port *p = &d->ports[port];
	return p->nvnids >= p->max_vnids ? REASON_PORT_VNID_LIMIT : REASON_OK;
}

void fair_vlan_charge(struct vdpd *d, struct vnid *n, unsigned port)
{
	fair_vlan_uncharge(d, n);
	n->vlan_port = port;
	d->ports[port].nvlans++;
}

void fair_vlan_uncharge(struct vdpd *d, struct vnid *n)
{
	if (n->vlan_port < d->nports)
		d->ports[n->vlan_port].nvlans--;
	n->vlan_port = UINT_MAX;
}

void fair_vnid_charge(struct vdpd *d, struct vnid *n, unsigned port)
{
	n->vnid_port = port;
	n->vlan_port = UINT_MAX;
	if (port < d->nports)
		d->ports[port].nvnids++;
}

void fair_vnid_uncharge(struct vdpd *d, struct vnid *n)
{
	fair_vlan_uncharge(d, n);
	if (n->vnid_port < d->nports)
		d->ports[n->vnid_port].nvnids--;
	n->vnid_port = UINT_MAX;
}

bool fair_log_ok(struct vdpd *d, unsigned port)
{
	if (port >= d->nports)
		return true;
	struct port *p = &d->ports[port];
	if (d->now_ns >= p->log_window_ns + NS || d->now_ns < p->log_window_ns) {
		if (p->log_suppressed)
			log_notice("port %s: %llu more refusal messages not logged (see vdpctl "
			           "show counters)",
			           p->name, (unsigned long long)p->log_suppressed);
		p->log_window_ns = d->now_ns;
		p->log_lines = 0;
		p->log_suppressed = 0;
	}
	if (p->log_lines < LOG_QUOTA) {
		p->log_lines++;
		return true;
	}
	p->log_suppressed++;
	return false;
}
