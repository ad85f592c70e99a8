/* SPDX-License-Identifier: ISC */
/* vdpd: per-port I/O.  One AF_PACKET socket and one ECP engine per served
 * port, driven by the daemon's libev loop.
 *
 * The socket (vdp/rawsock.h) sees the port's ECP frames before the bridge
 * does; the backend's trap keeps the bridge from flooding them to the other
 * ports.
 *
 * A station may flood its port; the others must not notice (fairness
 * between ports, vdpd(8)).  So each port's socket is read at most
 * limits.rx_budget frames per loop turn, after which the loop serves the
 * other ports' sockets, the timers and the control socket (libev calls
 * every ready watcher once a turn: round robin); and the socket's receive
 * buffer is limits.rx_buffer octets, so that what a flood sends beyond
 * that is dropped by the kernel, counted (PACKET_STATISTICS, rx_drops),
 * rather than queued as work.  The socket's BPF filter drops every frame
 * that is not ECP before it is queued.
 *
 * Group commit: the VDPDUs a loop turn produces (responses, unsolicited
 * De-Associates) wait in their port's queue; before the loop sleeps again
 * (ev_prepare) one store_commit() makes the turn's table changes durable,
 * then the queues are sent.  A grant never leaves before its record is on
 * disk.  If the commit fails, the turn's VDPDUs are dropped (counted
 * state-write): the tables keep the change, the records stay queued, and
 * the station's retry is answered once a commit succeeds.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <ev.h>
#include <vdp/ecp_engine.h>
#include <vdp/rawsock.h>

#include "array.h"
#include "bytes.h"
#include "log.h"
#include "ports/port.h"
#include "state/store.h"
#include "core/vdpd.h"

struct port_io {
	struct vdpd *d;
	struct ev_loop *loop;
	unsigned port;
	struct vdp_rawsock sock;
	struct vdp_ecp_engine *ecp;
	ev_io rx;
	ev_timer tmo;
	ev_timer rx_pause; /* rx stopped: the port spent its frame budget */
	uint64_t rx_tat;   /* the port's frame bucket (fair_take()) */
	/* VDPDUs waiting for the turn's commit: u16 length, then the PDU. */
	uint8_t *outq;
	size_t outlen, outcap;
};

static ev_prepare commit_w; /* one for the daemon: the group commit */

uint64_t port_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void rearm(struct port_io *io)
{
	uint64_t next = vdp_ecp_engine_next_timeout(io->ecp), now = port_now_ns();
	ev_timer_stop(io->loop, &io->tmo);
	if (next == UINT64_MAX)
		return;
	ev_timer_set(&io->tmo, next > now ? (double)(next - now) / 1e9 : 0., 0.);
	ev_timer_start(io->loop, &io->tmo);
}

static int raw_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct port_io *io = ctx;
	int rc = vdp_rawsock_send(&io->sock, frame, len);
	if (rc < 0)
		log_warn("port %s: send: %s", io->d->ports[io->port].name, strerror(-rc));
	return rc;
}

static void tx_done(void *ctx, void *cookie, bool acked)
{
	struct port_io *io = ctx;
	(void)cookie;
	if (acked)
		return;
	vdpd_count(io->d, io->port, REASON_TX_FAILED);
	if (fair_log_ok(io->d, io->port))
		log_warn("port %s: station did not acknowledge a VDPDU after %u retries",
		         io->d->ports[io->port].name, io->d->ports[io->port].evb.r);
}

static void send_pdu(struct port_io *io, const uint8_t *pdu, size_t len)
{
	if (vdp_ecp_engine_send(io->ecp, pdu, len, NULL, port_now_ns()) < 0) {
		vdpd_count(io->d, io->port, REASON_TX_QUEUE_FULL);
		if (fair_log_ok(io->d, io->port))
			log_warn("port %s: ECP send queue full, VDPDU dropped",
			         io->d->ports[io->port].name);
	}
}

/* Queues a VDPDU until the turn's commit (flush_all()). */
static void queue_pdu(struct port_io *io, const uint8_t *pdu, size_t len)
{
	if (ARRAY_GROW(io->outq, io->outcap, io->outlen + 2 + len) < 0) {
		vdpd_count(io->d, io->port, REASON_TX_QUEUE_FULL);
		return;
	}
	put_be16(io->outq + io->outlen, (uint16_t)len);
	memcpy(io->outq + io->outlen + 2, pdu, len);
	io->outlen += 2 + len;
}

/* Sends (ok) or drops the port's queued VDPDUs. */
static void flush_port(struct port_io *io, bool ok)
{
	for (size_t off = 0; off < io->outlen;) {
		size_t len = get_be16(io->outq + off);
		if (ok)
			send_pdu(io, io->outq + off + 2, len);
		else
			vdpd_count(io->d, io->port, REASON_STATE_WRITE);
		off += 2 + len;
	}
	io->outlen = 0;
	rearm(io);
}

/* Before the loop sleeps: one commit for the turn, then its VDPDUs. */
static void on_commit(struct ev_loop *loop, ev_prepare *w, int revents)
{
	static bool failing; /* log a failure once, and its end */
	struct vdpd *d = w->data;
	char err[512];
	bool ok = true;
	(void)loop;
	(void)revents;
	if (d->store && store_pending(d->store)) {
		ok = store_commit(d->store, err, sizeof(err)) == 0;
		if (!ok && !failing)
			log_err("state: %s: responses withheld until a write succeeds", err);
		else if (ok && failing)
			log_notice("state: writes succeed again");
		failing = !ok;
		if (ok && store_wants_compact(d->store) &&
		    store_compact(d->store, err, sizeof(err)) < 0)
			log_warn("state: compaction: %s (the journal goes on)", err);
	}
	for (unsigned i = 0; i < d->nports; i++)
		if (d->ports[i].io && d->ports[i].io->outlen)
			flush_port(d->ports[i].io, ok);
}

/* vdpd_send_fn: bridge-initiated VDPDUs (unsolicited De-Associate). */
void port_send_pdu(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	struct vdpd *d = arg;
	struct port_io *io = d->ports[port].io;
	if (io)
		queue_pdu(io, pdu, len);
}

static void handle_queued(struct port_io *io)
{
	static uint8_t pdu[VDP_ECP_MAX_ULPDU], resp[VDP_ECP_MAX_ULPDU];
	size_t len;
	while (vdp_ecp_engine_recv(io->ecp, pdu, sizeof(pdu), &len, NULL) == 1) {
		size_t n =
		    vdpd_handle_pdu(io->d, io->port, pdu, len, port_now_ns(), resp, sizeof(resp));
		if (n)
			queue_pdu(io, resp, n);
	}
}

/* Adds what the kernel dropped since the last call (reading resets it). */
static void count_drops(struct port_io *io)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);
	if (getsockopt(io->sock.fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		io->d->ports[io->port].rx_drops += st.tp_drops;
}

/* A port that spent its frame budget is read again once this many frames
 * of it are back (8 ms at the default rate): short pauses, so that a
 * station only briefly over its rate waits milliseconds, not the time a
 * deep bucket takes to refill, and few enough timer wake-ups. */
#define RX_RESUME_FRAMES 16u

/* The port's frame bucket: limits.rx_rate a second, rx_burst deep. */
static void rx_bucket(const struct port_io *io, unsigned *rate, unsigned *burst)
{
	const struct conf *c = &io->d->conf;
	*rate = c->rx_rate ? c->rx_rate : CONF_DEFAULT_RX_RATE;
	*burst = c->rx_burst ? c->rx_burst : CONF_DEFAULT_RX_BURST;
}

/* Whether the port's budget has a frame left; without one the port is not
 * read until RX_RESUME_FRAMES are back, and what its station sends
 * meanwhile waits in, or is dropped from, its socket buffer: a flood costs
 * vdpd a bounded share of its time. */
static bool frame_ready(struct port_io *io, uint64_t now)
{
	unsigned rate, burst;
	rx_bucket(io, &rate, &burst);
	if (fair_ready(io->rx_tat, rate, burst, now))
		return true;
	unsigned resume = RX_RESUME_FRAMES < burst ? RX_RESUME_FRAMES : burst;
	uint64_t wait = fair_wait_ns(io->rx_tat, rate, burst, resume, now);
	ev_io_stop(io->loop, &io->rx);
	ev_timer_set(&io->rx_pause, (double)wait / 1e9, 0.);
	ev_timer_start(io->loop, &io->rx_pause);
	io->d->ports[io->port].rx_pauses++;
	return false;
}

/* Pays for a frame read: only frames are charged, not the read that finds
 * the socket empty (which would halve a quiet station's rate). */
static void take_frame(struct port_io *io, uint64_t now)
{
	unsigned rate, burst;
	rx_bucket(io, &rate, &burst);
	(void)fair_take(&io->rx_tat, rate, burst, now);
}

static void on_rx_pause(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct port_io *io = w->data;
	(void)revents;
	ev_io_start(loop, &io->rx);
}

static void on_rx(struct ev_loop *loop, ev_io *w, int revents)
{
	struct port_io *io = w->data;
	uint8_t frame[VDP_ECP_MAX_FRAME + 64];
	(void)loop;
	(void)revents;
	/* Bounded: a flood cannot keep the loop here, the other ports wait. */
	unsigned budget = io->d->conf.rx_budget ? io->d->conf.rx_budget : CONF_DEFAULT_RX_BUDGET;
	for (unsigned i = 0; i < budget; i++) {
		uint64_t now = port_now_ns();
		if (!frame_ready(io, now))
			break;
		ssize_t n = recv(io->sock.fd, frame, sizeof(frame), MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("port %s: recv: %s", io->d->ports[io->port].name,
				         strerror(errno));
			break;
		}
		take_frame(io, now);
		int rc = vdp_ecp_engine_input(io->ecp, frame, (size_t)n, port_now_ns());
		if (rc < 0) {
			io->d->ports[io->port].rx_err[-rc]++;
			vdpd_count(io->d, io->port, REASON_UNDECODABLE);
		} else if (rc == VDP_ECP_IN_SUBTYPE) {
			/* PECSP (2) or anything not VDP: not served, but seen. */
			vdpd_count(io->d, io->port, REASON_ECP_SUBTYPE);
		}
		handle_queued(io);
	}
	count_drops(io);
	rearm(io);
}

static void on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct port_io *io = w->data;
	(void)loop;
	(void)revents;
	vdp_ecp_engine_timer(io->ecp, port_now_ns());
	rearm(io);
}

int port_open(struct vdpd *d, unsigned port, struct ev_loop *loop, char *err, size_t errlen)
{
	struct port *p = &d->ports[port];
	struct port_io *io = calloc(1, sizeof(*io));
	if (!io) {
		snprintf(err, errlen, "port %s: out of memory", p->name);
		return -1;
	}
	io->d = d;
	io->loop = loop;
	io->port = port;
	if (vdp_rawsock_open(&io->sock, p->name, VDP_RAWSOCK_ECP, err, errlen) < 0)
		goto fail;
	struct vdp_ecp_engine_cfg cfg = {.size = sizeof(cfg),
	                                 .r = p->evb.r,
	                                 .rte = p->evb.rte,
	                                 .send = raw_send,
	                                 .tx_done = tx_done,
	                                 .ctx = io};
	memcpy(cfg.local_mac, io->sock.mac, 6);
	int rcvbuf = (int)d->conf.rx_buffer;
	if (rcvbuf && setsockopt(io->sock.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		log_warn("port %s: receive buffer of %d octets: %s", p->name, rcvbuf,
		         strerror(errno));
	io->ecp = vdp_ecp_engine_new(&cfg);
	if (!io->ecp) {
		snprintf(err, errlen, "port %s: ECP engine: %s", p->name, strerror(errno));
		goto fail;
	}
	ev_io_init(&io->rx, on_rx, io->sock.fd, EV_READ);
	io->rx.data = io;
	ev_init(&io->tmo, on_timeout);
	io->tmo.data = io;
	ev_init(&io->rx_pause, on_rx_pause);
	io->rx_pause.data = io;
	ev_io_start(loop, &io->rx);
	if (!ev_is_active(&commit_w)) {
		ev_prepare_init(&commit_w, on_commit);
		commit_w.data = d;
		ev_prepare_start(loop, &commit_w);
	}
	p->io = io;
	log_info("port %s: serving VDP (ifindex %d, R %u, RTE %u, RKA %u)", p->name,
	         io->sock.ifindex, p->evb.r, p->evb.rte, p->evb.rka);
	return 0;
fail:
	vdp_rawsock_close(&io->sock);
	free(io);
	return -1;
}

void port_set_timers(struct vdpd *d, unsigned port)
{
	struct port_io *io = d->ports[port].io;
	if (io &&
	    vdp_ecp_engine_set_timers(io->ecp, d->ports[port].evb.r, d->ports[port].evb.rte) == 0)
		rearm(io);
}

void port_close(struct vdpd *d, unsigned port)
{
	struct port_io *io = d->ports[port].io;
	if (!io)
		return;
	ev_io_stop(io->loop, &io->rx);
	ev_timer_stop(io->loop, &io->tmo);
	ev_timer_stop(io->loop, &io->rx_pause);
	d->ports[port].io = NULL;
	/* The group commit serves every port: it stops with the last one. */
	bool last = true;
	for (unsigned i = 0; i < d->nports; i++)
		last = last && !d->ports[i].io;
	if (last)
		ev_prepare_stop(io->loop, &commit_w);
	vdp_ecp_engine_free(io->ecp);
	free(io->outq);
	vdp_rawsock_close(&io->sock);
	free(io);
}
