/* SPDX-License-Identifier: ISC */
/* vdpd: the migration services' I/O under the daemon's libev loop (migration.h):
 *   - per served port, two libpcap captures with the BPF filter below, one
 *     for frames leaving the port (towards the VM) and one for frames
 *     arriving from it, handed to the DHCP parser child (parser_link.c),
 *     whose answers feed dhcp_snoop_decoded();
 *   - a UDP socket on port 67 (a relay agent's port: RFC 4388 servers
 *     answer a leasequery to giaddr:67) with IP_RECVERR, so that an ICMP
 *     unreachable from the server's host is seen as "server down" at once;
 *   - an AF_PACKET socket that sends the IGMP queries out of a port;
 *   - the clock: migration_tick() every TICK seconds and on demand, and the
 *     binding table saved (atomically, at most once per second) when it
 *     changed, and at the end.
 * Port 67 needs CAP_NET_BIND_SERVICE, which vdpd drops: migration_open()
 * runs before privs_drop(). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <vdp/rawsock.h>

#include "log.h"
#include "migration/migration.h"
#include "migration/parser_link.h"
#include "ports/port.h"
#include "core/vdpd.h"

#define SNOOP_FILTER "udp port 67 or udp port 68 or (vlan and (udp port 67 or udp port 68))"
#define TICK         0.2 /* seconds */
#define SAVE_EVERY   1.0 /* seconds, at most */
#define SNAPLEN      1600
#define PCAP_BUFSIZE (128 * 1024) /* per capture, two per port */

struct capture {
	struct vdpd *d;
	unsigned port;
	bool out;
	pcap_t *p;
	ev_io w;
};

struct mio {
	struct vdpd *d;
	struct ev_loop *loop;
	struct capture cap[CONF_MAX_PORTS][2];
	int ifindex[CONF_MAX_PORTS];
	uint8_t mac[CONF_MAX_PORTS][6];
	int udp, raw;
	ev_io udp_w;
	ev_timer tick, kick;
	double saved_at;
	bool save_failing;
	struct mig_ops ops;
};

static struct mio *mio; /* one daemon, one loop */

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* --- ops ---------------------------------------------------------------- */

static int lq_source(void *arg, const uint8_t server[4], uint8_t src[4])
{
	(void)arg;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(67)};
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;
	memcpy(&sa.sin_addr, server, 4);
	/* A connected UDP socket is a route lookup: its local address is ours. */
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		rc = -errno;
	else
		memcpy(src, &sa.sin_addr, 4);
	if (fd >= 0)
		close(fd);
	return rc;
}

static void read_errors(struct mio *io);

static int lq_send(void *arg, const uint8_t server[4], const uint8_t *msg, size_t len)
{
	struct mio *io = arg;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(67)};
	if (io->udp < 0)
		return -ENOTCONN;
	memcpy(&sa.sin_addr, server, 4);
	ssize_t n = sendto(io->udp, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	if (n < 0 && (errno == ECONNREFUSED || errno == EHOSTUNREACH || errno == ENETUNREACH)) {
		/* Most likely the ICMP error of an earlier query, pending on the
		 * socket: give it to that query, then send this one. */
		read_errors(io);
		n = sendto(io->udp, msg, len, 0, (struct sockaddr *)&sa, sizeof(sa));
	}
	return n < 0 ? -errno : 0;
}

static int port_send(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
	struct mio *io = arg;
	struct vdp_rawsock rs = {.fd = io->raw, .ifindex = io->ifindex[port]};
	if (io->raw < 0)
		return -ENOTCONN;
	return vdp_rawsock_send(&rs, frame, len);
}

static int port_mac(void *arg, unsigned port, uint8_t mac[6])
{
	struct mio *io = arg;
	memcpy(mac, io->mac[port], 6);
	return 0;
}

static void kick(void *arg)
{
	struct mio *io = arg;
	ev_timer_stop(io->loop, &io->kick);
	ev_timer_set(&io->kick, 0., 0.);
	ev_timer_start(io->loop, &io->kick);
}

/* --- the clock and the state file ---------------------------------------- */

static void save(struct mio *io, bool force)
{
	struct vdpd *d = io->d;
	static char names[CONF_MAX_PORTS][IFNAMSIZ];
	char err[700];
	double now = ev_now(io->loop);
	if (!d->mig->dirty || (!force && now - io->saved_at < SAVE_EVERY))
		return;
	for (unsigned i = 0; i < d->nports; i++)
		memcpy(names[i], d->ports[i].name, IFNAMSIZ);
	io->saved_at = now;
	if (bindings_save(&d->mig->tab, d->conf.state_dir, (const char(*)[IFNAMSIZ])names,
	                  d->nports, err, sizeof(err)) < 0) {
		mig_count(d->mig, MIG_SAVE_FAILED);
		if (!io->save_failing)
			log_err("DHCP-snooping bindings not saved: %s", err);
		io->save_failing = true;
		return;
	}
	if (io->save_failing)
		log_notice("DHCP-snooping bindings saved again in %s", d->conf.state_dir);
	io->save_failing = false;
	d->mig->dirty = false;
}

static void on_tick(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct mio *io = w->data;
	(void)loop;
	(void)revents;
	migration_tick(io->d, port_now_ns(), now_s());
	save(io, false);
}

/* --- captures ------------------------------------------------------------- */

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	const struct capture *c = (const struct capture *)user;
	(void)c->d;
	parser_link_frame(c->port, c->out, bytes, h->caplen);
}

static void on_capture(struct ev_loop *loop, ev_io *w, int revents)
{
	struct capture *c = w->data;
	(void)loop;
	(void)revents;
	/* Bounded: a flood cannot keep the loop here. */
	if (pcap_dispatch(c->p, 64, on_frame, (u_char *)c) < 0)
		log_warn("port %s: DHCP capture: %s", c->d->ports[c->port].name, pcap_geterr(c->p));
}

static int open_capture(struct mio *io, unsigned port, bool out, char *err, size_t errlen)
{
	struct capture *c = &io->cap[port][out];
	const char *name = io->d->ports[port].name;
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	c->d = io->d;
	c->port = port;
	c->out = out;
	c->p = pcap_create(name, ebuf);
	if (!c->p) {
		snprintf(err, errlen, "port %s: DHCP capture: %s", name, ebuf);
		return -1;
	}
	int rc = pcap_set_snaplen(c->p, SNAPLEN) || pcap_set_immediate_mode(c->p, 1) ||
	                 pcap_set_buffer_size(c->p, PCAP_BUFSIZE)
	             ? -1
	             : pcap_activate(c->p);
	if (rc >= 0)
		rc = pcap_setdirection(c->p, out ? PCAP_D_OUT : PCAP_D_IN);
	if (rc >= 0 &&
	    (rc = pcap_compile(c->p, &prog, SNOOP_FILTER, 1, PCAP_NETMASK_UNKNOWN)) >= 0) {
		rc = pcap_setfilter(c->p, &prog);
		pcap_freecode(&prog);
	}
	if (rc >= 0)
		rc = pcap_setnonblock(c->p, 1, ebuf);
	int fd = rc < 0 ? -1 : pcap_get_selectable_fd(c->p);
	if (fd < 0) {
		snprintf(err, errlen, "port %s: DHCP capture: %s", name,
		         ebuf[0] ? ebuf : pcap_geterr(c->p));
		pcap_close(c->p);
		c->p = NULL;
		return -1;
	}
	ev_io_init(&c->w, on_capture, fd, EV_READ);
	c->w.data = c;
	ev_io_start(io->loop, &c->w);
	return 0;
}

/* --- the leasequery socket ----------------------------------------------------- */

static void read_errors(struct mio *io)
{
	uint8_t buf[1500], ctl[512];
	for (int i = 0; i < 16; i++) {
		memset(ctl, 0, sizeof(ctl));
		struct iovec iov = {buf, sizeof(buf)};
		struct msghdr mh = {.msg_iov = &iov,
		                    .msg_iovlen = 1,
		                    .msg_control = ctl,
		                    .msg_controllen = sizeof(ctl)};
		ssize_t n = recvmsg(io->udp, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
		if (n < 0)
			return;
		for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
			if (cm->cmsg_level != SOL_IP || cm->cmsg_type != IP_RECVERR)
				continue;
			const struct sock_extended_err *ee = (const void *)CMSG_DATA(cm);
			lq_on_error(io->d, buf, (size_t)n, (int)ee->ee_errno);
		}
	}
}

static void on_udp(struct ev_loop *loop, ev_io *w, int revents)
{
	struct mio *io = w->data;
	uint8_t buf[1500];
	(void)loop;
	(void)revents;
	read_errors(io);
	for (int i = 0; i < 16; i++) {
		struct sockaddr_in sa = {0};
		socklen_t sl = sizeof(sa);
		ssize_t n =
		    recvfrom(io->udp, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&sa, &sl);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				read_errors(io);
			return;
		}
		if (sa.sin_family == AF_INET && ntohs(sa.sin_port) == 67)
			lq_on_reply(io->d, (const uint8_t *)&sa.sin_addr, buf, (size_t)n, now_s());
	}
}

static void open_udp(struct mio *io)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(67)};
	int one = 1;
	io->udp = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (io->udp < 0 || setsockopt(io->udp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(io->udp, SOL_IP, IP_RECVERR, &one, sizeof(one)) < 0 ||
	    bind(io->udp, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		/* Not fatal: VDP goes on; every leasequery counts lq-server-down. */
		log_err("leasequery: UDP port 67: %s; leasequeries will fail", strerror(errno));
		if (io->udp >= 0)
			close(io->udp);
		io->udp = -1;
		return;
	}
	ev_io_init(&io->udp_w, on_udp, io->udp, EV_READ);
	io->udp_w.data = io;
	ev_io_start(io->loop, &io->udp_w);
}

/* --- open / close ------------------------------------------------------------ */

static int port_addr(struct mio *io, unsigned port, char *err, size_t errlen)
{
	struct ifreq ifr;
	const char *name = io->d->ports[port].name;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	io->ifindex[port] = (int)if_nametoindex(name);
	if (!io->ifindex[port] || ioctl(io->raw, SIOCGIFHWADDR, &ifr) < 0) {
		snprintf(err, errlen, "port %s: %s", name, strerror(errno));
		return -1;
	}
	memcpy(io->mac[port], ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static void load(struct vdpd *d)
{
	static char names[CONF_MAX_PORTS][IFNAMSIZ];
	struct bindings_load_stats st;
	char err[700];
	for (unsigned i = 0; i < d->nports; i++)
		memcpy(names[i], d->ports[i].name, IFNAMSIZ);
	if (bindings_load(&d->mig->tab, d->conf.state_dir, (const char(*)[IFNAMSIZ])names,
	                  d->nports, now_s(), d->conf.dhcp_max_bindings, &st, err,
	                  sizeof(err)) < 0) {
		log_err("DHCP-snooping bindings not restored: %s", err);
		return;
	}
	log_info("DHCP-snooping bindings: %u restored from %s/bindings (skipped: %u expired, %u "
	         "on unknown ports, %u malformed, %u over dhcp.max_bindings)",
	         st.loaded, d->conf.state_dir, st.expired, st.unknown_port, st.malformed, st.full);
	d->mig->dirty = st.expired || st.unknown_port || st.malformed || st.full;
}

int migration_open(struct vdpd *d, struct ev_loop *loop, char *err, size_t errlen)
{
	uint32_t seed = (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
	if (!(mio = calloc(1, sizeof(*mio)))) {
		snprintf(err, errlen, "migration services: out of memory");
		return -1;
	}
	mio->udp = mio->raw = -1;
	migration_attach(d, mig_new(&mio->ops, seed));
	if (!d->mig) {
		snprintf(err, errlen, "migration services: out of memory");
		return -1;
	}
	mio->d = d;
	mio->loop = loop;
	mio->ops = (struct mig_ops){lq_source, lq_send, port_send, port_mac, kick, mio};
	load(d);
	mio->raw = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (mio->raw < 0) {
		snprintf(err, errlen, "IGMP query socket: %s", strerror(errno));
		return -1;
	}
	for (unsigned i = 0; i < d->nports; i++)
		if (port_addr(mio, i, err, errlen) < 0 ||
		    open_capture(mio, i, false, err, errlen) < 0 ||
		    open_capture(mio, i, true, err, errlen) < 0)
			return -1;
	if (d->conf.dhcp_server[0])
		open_udp(mio);
	ev_timer_init(&mio->tick, on_tick, TICK, TICK);
	mio->tick.data = mio;
	ev_timer_start(loop, &mio->tick);
	ev_init(&mio->kick, on_tick);
	mio->kick.data = mio;
	log_info("DHCP snooping on %u ports (filter \"%s\"), leasequery %s", d->nports,
	         SNOOP_FILTER,
	         mio->udp >= 0            ? "socket on UDP port 67"
	         : d->conf.dhcp_server[0] ? "off (UDP port 67 could not be bound, see above)"
	                                  : "off (no dhcp.server)");
	return 0;
}

void migration_close(struct vdpd *d)
{
	if (!mio)
		return;
	parser_link_stop();
	if (d->mig) {
		d->mig->dirty = true; /* the file ends as the table is, whatever happened */
		save(mio, true);
	}
	for (unsigned i = 0; i < CONF_MAX_PORTS; i++)
		for (int k = 0; k < 2; k++)
			if (mio->cap[i][k].p) {
				ev_io_stop(mio->loop, &mio->cap[i][k].w);
				pcap_close(mio->cap[i][k].p);
			}
	if (mio->udp >= 0) {
		ev_io_stop(mio->loop, &mio->udp_w);
		close(mio->udp);
	}
	if (mio->raw >= 0)
		close(mio->raw);
	ev_timer_stop(mio->loop, &mio->tick);
	ev_timer_stop(mio->loop, &mio->kick);
	mig_free(d->mig);
	migration_attach(d, NULL);
	free(mio);
	mio = NULL;
}
