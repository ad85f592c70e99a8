/* vdpd: per-port I/O.  One AF_PACKET socket and one ECP engine per served
 * port, driven by the daemon's libev loop.
 *
 * The socket listens with ETH_P_ALL and a BPF filter for EtherType 0x8940
 * rather than binding to 0x8940: with STP off, a Linux bridge forwards
 * frames for the nearest-customer-bridge address 01:80:C2:00:00:00 instead
 * of passing them up, and only ETH_P_ALL taps see a bridge port's frames
 * before the bridge takes them.  The backend keeps the bridge from flooding
 * them to the other ports.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <vdp/ecp_engine.h>

#include "log.h"
#include "port.h"
#include "vdpd.h"

struct port_io {
	struct vdpd *d;
	struct ev_loop *loop;
	unsigned port;
	int fd;
	int ifindex;
	uint8_t mac[6];
	struct ecp_engine *ecp;
	ev_io rx;
	ev_timer tmo;
};

uint64_t port_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void rearm(struct port_io *io)
{
	uint64_t next = ecp_engine_next_timeout(io->ecp), now = port_now_ns();
	ev_timer_stop(io->loop, &io->tmo);
	if (next == UINT64_MAX)
		return;
	ev_timer_set(&io->tmo, next > now ? (double)(next - now) / 1e9 : 0., 0.);
	ev_timer_start(io->loop, &io->tmo);
}

static int raw_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct port_io *io = ctx;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_ifindex = io->ifindex,
				  .sll_halen = 6};
	memcpy(sll.sll_addr, frame, 6);
	if (sendto(io->fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		log_warn("port %s: send: %s", io->d->ports[io->port].name, strerror(errno));
		return -1;
	}
	return 0;
}

static void tx_done(void *ctx, void *cookie, bool acked)
{
	struct port_io *io = ctx;
	(void)cookie;
	if (acked)
		return;
	vdpd_count(io->d, io->port, REASON_TX_FAILED);
	log_warn("port %s: station did not acknowledge a VDPDU after %u retries",
		 io->d->ports[io->port].name, io->d->ports[io->port].evb.r);
}

static void send_pdu(struct port_io *io, const uint8_t *pdu, size_t len)
{
	if (ecp_engine_send(io->ecp, pdu, len, NULL, port_now_ns()) < 0) {
		vdpd_count(io->d, io->port, REASON_TX_QUEUE_FULL);
		log_warn("port %s: ECP send queue full, VDPDU dropped", io->d->ports[io->port].name);
	}
}

/* vdpd_send_fn: bridge-initiated VDPDUs (unsolicited De-Associate). */
void port_send_pdu(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	struct vdpd *d = arg;
	struct port_io *io = d->ports[port].io;
	if (!io)
		return;
	send_pdu(io, pdu, len);
	rearm(io);
}

static void handle_queued(struct port_io *io)
{
	static uint8_t pdu[ECP_MAX_ULPDU], resp[ECP_MAX_ULPDU];
	size_t len;
	while (ecp_engine_recv(io->ecp, pdu, sizeof(pdu), &len, NULL) == 1) {
		size_t n = vdpd_handle_pdu(io->d, io->port, pdu, len, port_now_ns(), resp,
					   sizeof(resp));
		if (n)
			send_pdu(io, resp, n);
	}
}

static void on_rx(struct ev_loop *loop, ev_io *w, int revents)
{
	struct port_io *io = w->data;
	uint8_t frame[ECP_MAX_FRAME + 64];
	(void)loop;
	(void)revents;
	/* Bounded: a flood cannot keep the loop here forever. */
	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(io->fd, frame, sizeof(frame), MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				log_warn("port %s: recv: %s", io->d->ports[io->port].name,
					 strerror(errno));
			break;
		}
		int rc = ecp_engine_input(io->ecp, frame, (size_t)n, port_now_ns());
		if (rc < 0) {
			io->d->ports[io->port].rx_err[-rc]++;
			vdpd_count(io->d, io->port, REASON_MALFORMED);
		}
		handle_queued(io);
	}
	rearm(io);
}

static void on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct port_io *io = w->data;
	(void)loop;
	(void)revents;
	ecp_engine_timer(io->ecp, port_now_ns());
	rearm(io);
}

/* ETH_P_ALL, but only EtherType 0x8940 reaches user space. */
static int attach_filter(int fd)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ECP_ETHERTYPE, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {.len = sizeof(code) / sizeof(code[0]), .filter = code};
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int open_socket(struct port_io *io, const char *name, char *err, size_t errlen)
{
	int one = 1;
	io->ifindex = (int)if_nametoindex(name);
	if (!io->ifindex) {
		snprintf(err, errlen, "port %s: no such interface", name);
		return -1;
	}
	io->fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (io->fd < 0) {
		snprintf(err, errlen, "port %s: AF_PACKET socket: %s (vdpd needs CAP_NET_RAW)",
			 name, strerror(errno));
		return -1;
	}
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = io->ifindex};
	struct packet_mreq mr = {.mr_ifindex = io->ifindex,
				 .mr_type = PACKET_MR_MULTICAST,
				 .mr_alen = 6};
	memcpy(mr.mr_address, ecp_ncb_addr, 6);
	if (attach_filter(io->fd) < 0 || ioctl(io->fd, SIOCGIFHWADDR, &ifr) < 0 ||
	    bind(io->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0 ||
	    setsockopt(io->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0) {
		snprintf(err, errlen, "port %s: setting up the ECP socket: %s", name,
			 strerror(errno));
		return -1;
	}
	/* Our own transmissions are not input. */
	(void)setsockopt(io->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	memcpy(io->mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
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
	io->fd = -1;
	if (open_socket(io, p->name, err, errlen) < 0)
		goto fail;
	struct ecp_engine_cfg cfg = {.r = p->evb.r,
				     .rte = p->evb.rte,
				     .send = raw_send,
				     .tx_done = tx_done,
				     .ctx = io};
	memcpy(cfg.local_mac, io->mac, 6);
	io->ecp = ecp_engine_new(&cfg);
	if (!io->ecp) {
		snprintf(err, errlen, "port %s: ECP engine: %s", p->name, strerror(errno));
		goto fail;
	}
	ev_io_init(&io->rx, on_rx, io->fd, EV_READ);
	io->rx.data = io;
	ev_init(&io->tmo, on_timeout);
	io->tmo.data = io;
	ev_io_start(loop, &io->rx);
	p->io = io;
	log_info("port %s: serving VDP (ifindex %d, R %u, RTE %u, RKA %u)", p->name, io->ifindex,
		 p->evb.r, p->evb.rte, p->evb.rka);
	return 0;
fail:
	if (io->fd >= 0)
		close(io->fd);
	free(io);
	return -1;
}

void port_set_timers(struct vdpd *d, unsigned port)
{
	struct port_io *io = d->ports[port].io;
	if (io && ecp_engine_set_timers(io->ecp, d->ports[port].evb.r, d->ports[port].evb.rte) == 0)
		rearm(io);
}

const struct ecp_engine_counters *port_ecp_counters(const struct vdpd *d, unsigned port)
{
	const struct port_io *io = d->ports[port].io;
	return io ? ecp_engine_counters(io->ecp) : NULL;
}

void port_close(struct vdpd *d, unsigned port)
{
	struct port_io *io = d->ports[port].io;
	if (!io)
		return;
	ev_io_stop(io->loop, &io->rx);
	ev_timer_stop(io->loop, &io->tmo);
	ecp_engine_free(io->ecp);
	close(io->fd);
	free(io);
	d->ports[port].io = NULL;
}
