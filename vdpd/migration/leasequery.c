/* SPDX-License-Identifier: ISC */
/* vdpd: migration services in leasequery mode: DHCP Leasequery (RFC 4388) for a VM
 * that migrated in.
 *
 * For each MAC filter of the VSI one DHCPLEASEQUERY by MAC address goes to
 * dhcp.server and, when the table knows the MAC's address, a second one by
 * that address.  giaddr is our address on the route to the server, which
 * answers there, to port 67.  A query is retransmitted with the same xid
 * every dhcp.timeout ms, dhcp.retries times, then counted as lq-timeout.
 * Answers:
 *   DHCPLEASEACTIVE      for the query's MAC: the binding moves to the VSI's
 *                        new port with the server's address and remaining
 *                        lease time (lq-active); for another MAC: lq-mismatch
 *   DHCPLEASEUNKNOWN     logged, counted (lq-unknown)
 *   DHCPLEASEUNASSIGNED  logged, counted (lq-unassigned)
 * A failed check leaves the binding where it was, marked unverified.
 * Answers are accepted from dhcp.server only. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "migration/dhcp_wire.h"
#include "log.h"
#include "migration/migration.h"
#include "core/vdpd.h"

#define MS 1000000ull

static const char *ipstr(const uint8_t ip[4], char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
	return buf;
}

static const char *macstr(const uint8_t m[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

static const char *by(const struct mig_task *t, char *buf)
{
	char a[18];
	if (t->by_ip)
		return ipstr(t->ip, buf);
	snprintf(buf, 24, "MAC %s", macstr(t->mac, a));
	return buf;
}

static uint32_t new_xid(struct mig *m)
{
	/* xorshift32: distinct, unpredictable enough xids from a random seed */
	uint32_t x = m->next_xid ? m->next_xid : 0x9e3779b9u;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return m->next_xid = x;
}

void lq_start(struct vdpd *d, struct mig_task *t, uint64_t now_ns)
{
	static const uint8_t none[4];
	struct mig *m = d->mig;
	t->xid = new_xid(m);
	t->left = d->conf.dhcp_retries + 1;
	if (memcmp(t->ip, none, 4) == 0)
		return;
	/* The address the table knows: ask about it too. */
	struct mig_task *s = mig_task_new(m);
	if (!s)
		return;
	*s = *t;
	s->by_ip = true;
	s->xid = new_xid(m);
	s->due = now_ns;
}

static void finish(struct vdpd *d, struct mig_task *t, bool failed)
{
	struct mig_task done = *t;
	t->kind = MT_NONE;
	if (failed)
		mig_unverified(d, &done);
}

static int server_addr(const struct vdpd *d, uint8_t a[4])
{
	return d->conf.dhcp_server[0] && inet_pton(AF_INET, d->conf.dhcp_server, a) == 1
	           ? 0
	           : -EDESTADDRREQ;
}

static int send_query(struct vdpd *d, const struct mig_task *t)
{
	const struct mig_ops *ops = d->mig->ops;
	uint8_t server[4], gi[4], buf[DHCP_MIN_LEN + 64];
	struct dhcp_msg q;
	int rc = server_addr(d, server);
	if (rc == 0)
		rc = ops->lq_source(ops->arg, server, gi);
	if (rc < 0)
		return rc;
	dhcp_leasequery(t->xid, gi, t->mac, t->by_ip ? t->ip : NULL, &q);
	int len = dhcp_encode(&q, buf, sizeof(buf));
	if (len < 0)
		return -EINVAL;
	return ops->lq_send(ops->arg, server, buf, (size_t)len);
}

void lq_step(struct vdpd *d, struct mig_task *t, uint64_t now_ns)
{
	struct mig *m = d->mig;
	char q[24];
	if (t->left == 0) {
		mig_count(m, MIG_LQ_TIMEOUT);
		log_warn("port %s: leasequery by %s (VNID %u VLAN %u) unanswered after %u tries: "
		         "is DHCP server %s down? binding left as it was",
		         d->ports[t->port].name, by(t, q), t->vnid, t->vid,
		         d->conf.dhcp_retries + 1, d->conf.dhcp_server);
		return finish(d, t, true);
	}
	int rc = send_query(d, t);
	if (t->kind != MT_LEASEQUERY)
		return; /* an ICMP error for its earlier transmission settled it meanwhile */
	if (rc < 0) {
		mig_count(m, MIG_LQ_SERVER_DOWN);
		log_warn("port %s: leasequery by %s (VNID %u VLAN %u) not sent to DHCP server "
		         "\"%s\": %s; binding left as it was",
		         d->ports[t->port].name, by(t, q), t->vnid, t->vid, d->conf.dhcp_server,
		         rc == -EDESTADDRREQ ? "no dhcp.server configured"
		         : rc == -ENOTCONN
		             ? "no socket on UDP port 67 (dhcp.server unset when vdpd "
		               "started, or the port taken): restart vdpd"
		             : strerror(-rc));
		return finish(d, t, true);
	}
	mig_count(m, MIG_LQ_SENT);
	log_debug("port %s: DHCPLEASEQUERY xid 0x%08x by %s sent to %s", d->ports[t->port].name,
	          t->xid, by(t, q), d->conf.dhcp_server);
	t->left--;
	t->state = MS_WAIT_REPLY;
	t->due = now_ns + d->conf.dhcp_timeout_ms * MS;
}

static struct mig_task *by_xid(struct mig *m, uint32_t xid)
{
	for (unsigned i = 0; i < MIG_MAX_TASKS; i++)
		if (m->tasks[i].kind == MT_LEASEQUERY && m->tasks[i].state == MS_WAIT_REPLY &&
		    m->tasks[i].xid == xid)
			return &m->tasks[i];
	return NULL;
}

static void active(struct vdpd *d, struct mig_task *t, const struct dhcp_msg *r, int64_t now_s)
{
	struct mig *m = d->mig;
	char a[18], b[18], ip[16], q[24];
	if (r->htype != 1 || r->hlen != 6 || memcmp(r->chaddr, t->mac, 6) != 0) {
		mig_count(m, MIG_LQ_MISMATCH);
		log_notice("port %s: DHCPLEASEACTIVE for %s names MAC %s, not the VM's %s: binding "
		           "not moved",
		           d->ports[t->port].name, by(t, q), macstr(r->chaddr, a),
		           macstr(t->mac, b));
		return finish(d, t, true);
	}
	if (!r->has_lease || !mig_task_live(d, t)) {
		mig_count(m, MIG_LQ_MISMATCH);
		log_notice(
		    "port %s: DHCPLEASEACTIVE for %s ignored: %s", d->ports[t->port].name, by(t, q),
		    r->has_lease ? "the VSI left the port meanwhile" : "it carries no lease time");
		return finish(d, t, true);
	}
	struct binding nb, *old = bindings_find(&m->tab, t->mac, t->vid);
	unsigned from = old ? old->port : t->port;
	mig_task_binding(t, &nb);
	memcpy(nb.ip, r->ciaddr, 4);
	nb.expires = now_s + r->lease_s;
	nb.updated = now_s;
	nb.src = BIND_LEASEQUERY;
	bool here =
	    old && old->port == nb.port && old->state == BIND_BOUND && !memcmp(old->ip, nb.ip, 4);
	mig_count(m, MIG_LQ_ACTIVE);
	finish(d, t, false);
	if (mig_bind(d, &nb) < 0)
		return;
	if (here) /* the other query's answer came first */
		log_info("port %s: binding %s for MAC %s VLAN %u confirmed by DHCPLEASEACTIVE, "
		         "lease %u s left",
		         d->ports[nb.port].name, ipstr(nb.ip, ip), macstr(nb.mac, a), nb.vid,
		         r->lease_s);
	else
		log_info("port %s: binding %s for MAC %s VLAN %u moved from port %s by "
		         "DHCPLEASEACTIVE, lease %u s left",
		         d->ports[nb.port].name, ipstr(nb.ip, ip), macstr(nb.mac, a), nb.vid,
		         d->ports[from].name, r->lease_s);
}

void lq_on_reply(struct vdpd *d, const uint8_t src[4], const uint8_t *msg, size_t len,
                 int64_t now_s)
{
	struct mig *m = d->mig;
	struct dhcp_msg r;
	uint8_t server[4];
	char q[24];
	if (server_addr(d, server) < 0 || memcmp(src, server, 4) != 0) {
		mig_count(m, MIG_LQ_STRAY);
		if (mig_log_ok(m, MIG_LQ_STRAY, now_s))
			log_notice("leasequery: a datagram from %s:67 dropped: not dhcp.server "
			           "\"%s\" (logged every %d s)",
			           ipstr(src, q), d->conf.dhcp_server, MIG_LOG_EVERY);
		return;
	}
	int rc = dhcp_decode(msg, len, &r);
	struct mig_task *t = rc < 0 || r.op != DHCP_BOOTREPLY ? NULL : by_xid(m, r.xid);
	if (!t) {
		mig_count(m, MIG_LQ_STRAY);
		if (mig_log_ok(m, MIG_LQ_STRAY, now_s))
			log_notice("leasequery: %s from DHCP server %s dropped: %s (logged every "
			           "%d s)",
			           rc < 0 ? "a datagram" : dhcp_type_name(r.type),
			           d->conf.dhcp_server,
			           rc < 0 ? dhcp_strerror(rc) : "no query in flight has its xid",
			           MIG_LOG_EVERY);
		return;
	}
	switch (r.type) {
	case DHCPLEASEACTIVE:
		return active(d, t, &r, now_s);
	case DHCPLEASEUNKNOWN:
	case DHCPLEASEUNASSIGNED:
		mig_count(m, r.type == DHCPLEASEUNKNOWN ? MIG_LQ_UNKNOWN : MIG_LQ_UNASSIGNED);
		log_notice("port %s: DHCP server %s answered %s for %s (VNID %u VLAN %u): binding "
		           "left as it was, unverified",
		           d->ports[t->port].name, d->conf.dhcp_server, dhcp_type_name(r.type),
		           by(t, q), t->vnid, t->vid);
		return finish(d, t, true);
	default:
		mig_count(m, MIG_LQ_STRAY);
		log_notice("port %s: %s answering the leasequery by %s ignored",
		           d->ports[t->port].name, dhcp_type_name(r.type), by(t, q));
	}
}

void lq_on_error(struct vdpd *d, const uint8_t *msg, size_t len, int err)
{
	struct mig *m = d->mig;
	char q[24];
	struct mig_task *t = len >= 8 ? by_xid(m, get_be32(msg + 4)) : NULL;
	if (!t)
		return; /* an error about a query already settled */
	mig_count(m, MIG_LQ_SERVER_DOWN);
	log_warn("port %s: leasequery by %s (VNID %u VLAN %u): DHCP server %s unreachable: %s; "
	         "binding left as it was",
	         d->ports[t->port].name, by(t, q), t->vnid, t->vid, d->conf.dhcp_server,
	         strerror(err));
	finish(d, t, true);
}
