/* SPDX-License-Identifier: ISC */
/* libvdp station: the Linux part.  Interface links are AF_PACKET sockets;
 * one epoll descriptor gathers them and a timerfd armed for the core's next
 * deadline, so that an event loop needs to watch a single descriptor.
 *
 * The sockets listen with ETH_P_ALL and a BPF filter that passes ECP
 * (0x8940) and LLDP (0x88cc) only, like vdpd's: a station interface may
 * itself be a bridge port (a hypervisor's uplink under a Linux bridge), and
 * only ETH_P_ALL taps see such a port's frames before the bridge takes
 * them.  Our own transmissions are not input (PACKET_IGNORE_OUTGOING).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <vdp/rawsock.h>

#include "sized.h"
#include "station_int.h"

#define RX_BURST 64 /* frames read per link and process() call */

int st_io_init(struct vdp_station *st)
{
	st->epfd = epoll_create1(EPOLL_CLOEXEC);
	st->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
	if (st->epfd < 0 || st->tfd < 0 || epoll_ctl(st->epfd, EPOLL_CTL_ADD, st->tfd, &ev) < 0) {
		int e = errno;
		st_io_fini(st);
		errno = e;
		return -1;
	}
	return 0;
}

void st_io_fini(struct vdp_station *st)
{
	if (st->tfd >= 0)
		close(st->tfd);
	if (st->epfd >= 0)
		close(st->epfd);
	st->tfd = st->epfd = -1;
}

void st_io_link_close(struct st_link *l)
{
	if (l->fd < 0)
		return;
	epoll_ctl(l->st->epfd, EPOLL_CTL_DEL, l->fd, NULL);
	close(l->fd);
	l->fd = -1;
}

uint64_t vdp_station_next_deadline(const struct vdp_station *st)
{
	if (!st)
		return UINT64_MAX;
	uint64_t d = st_task_deadline(st), x = st_lldp_deadline(st);
	if (x < d)
		d = x;
	for (unsigned i = 0; i < st->nlinks; i++) {
		x = vdp_ecp_engine_next_timeout(st->links[i]->ecp);
		if (x < d)
			d = x;
	}
	return d;
}

int vdp_station_next_timeout(const struct vdp_station *st)
{
	uint64_t d = vdp_station_next_deadline(st);
	if (d == UINT64_MAX)
		return -1;
	uint64_t now = st_now(st);
	if (d <= now)
		return 0;
	uint64_t ms = (d - now + 999999) / 1000000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* Arms the timerfd for the next deadline, so that the epoll descriptor
 * wakes the caller's loop on time. */
void st_io_rearm(struct vdp_station *st)
{
	struct itimerspec its;
	memset(&its, 0, sizeof(its));
	uint64_t d = vdp_station_next_deadline(st), now = st_now(st);
	if (d != UINT64_MAX) {
		uint64_t rel = d > now ? d - now : 1;
		its.it_value.tv_sec = (time_t)(rel / 1000000000ull);
		its.it_value.tv_nsec = (long)(rel % 1000000000ull);
	}
	timerfd_settime(st->tfd, 0, &its, NULL);
}

int vdp_station_fd(const struct vdp_station *st)
{
	return st ? st->epfd : -EINVAL;
}

static int raw_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct st_link *l = ctx;
	struct vdp_rawsock rs = {.fd = l->fd, .ifindex = l->ifindex};
	return vdp_rawsock_send(&rs, frame, len);
}

/* ECP, and LLDP for the builtin EVB exchange. */
static int open_socket(struct vdp_station *st, const char *ifname, int *ifindex, uint8_t mac[6])
{
	struct vdp_rawsock rs;
	char err[160];
	int rc =
	    vdp_rawsock_open(&rs, ifname, VDP_RAWSOCK_ECP | VDP_RAWSOCK_LLDP, err, sizeof(err));
	if (rc < 0)
		return st_fail(st, rc, "%s", err);
	*ifindex = rs.ifindex;
	memcpy(mac, rs.mac, 6);
	return rs.fd;
}

int vdp_station_add_interface(struct vdp_station *st, const char *ifname)
{
	if (!st)
		return -EINVAL;
	if (!ifname || !*ifname || strlen(ifname) >= VDP_STATION_NAME_LEN)
		return st_fail(st, -EINVAL, "interface name '%s' is empty or too long",
		               ifname ? ifname : "(NULL)");
	if (st_link_find(st, ifname))
		return st_fail(st, -EEXIST, "link %s exists already", ifname);
	int ifindex = 0;
	uint8_t mac[6];
	int fd = open_socket(st, ifname, &ifindex, mac);
	if (fd < 0)
		return fd;
	struct st_link *l;
	st_enter(st);
	int rc = st_link_new(st, ifname, mac, raw_send, NULL, &l);
	if (rc == 0) {
		l->ctx = l;
		l->fd = fd;
		l->ifindex = ifindex;
		struct epoll_event ev = {.events = EPOLLIN, .data.ptr = l};
		if (epoll_ctl(st->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
			rc = st_fail(st, -errno, "%s: epoll: %s", ifname, strerror(errno));
	} else {
		close(fd);
	}
	st_leave(st);
	return rc;
}

static int read_link(struct st_link *l)
{
	uint8_t frame[VDP_ECP_MAX_FRAME + 64];
	for (int i = 0; i < RX_BURST; i++) {
		struct sockaddr_ll from = {0};
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(l->fd, frame, sizeof(frame), MSG_DONTWAIT,
		                     (struct sockaddr *)&from, &flen);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -errno;
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		st_link_input(l, frame, (size_t)n);
	}
	return 0;
}

int vdp_station_process(struct vdp_station *st)
{
	if (!st)
		return -EINVAL;
	uint64_t expirations;
	int rc = 0;
	st_enter(st);
	while (read(st->tfd, &expirations, sizeof(expirations)) > 0)
		;
	for (unsigned i = 0; i < st->nlinks; i++) {
		struct st_link *l = st->links[i];
		int r = l->fd >= 0 ? read_link(l) : 0;
		if (r < 0 && !rc)
			rc = st_fail(st, r, "%s: receive: %s", l->name, strerror(-r));
	}
	uint64_t now = st_now(st);
	for (unsigned i = 0; i < st->nlinks; i++)
		vdp_ecp_engine_timer(st->links[i]->ecp, now);
	st_timeouts(st, now);
	st_lldp_tick(st, now);
	st_keepalives(st, now);
	st_tasks_kick(st);
	st_leave(st);
	return rc;
}

static int wait_once(struct vdp_station *st, int timeout_ms)
{
	int t = vdp_station_next_timeout(st);
	if (t < 0 || (timeout_ms >= 0 && timeout_ms < t))
		t = timeout_ms;
	struct pollfd p = {.fd = st->epfd, .events = POLLIN};
	if (poll(&p, 1, t) < 0 && errno != EINTR)
		return st_fail(st, -errno, "poll: %s", strerror(errno));
	return vdp_station_process(st);
}

static int remaining_ms(const struct vdp_station *st, uint64_t end)
{
	if (end == UINT64_MAX)
		return -1;
	uint64_t now = st_now(st);
	return now >= end ? 0 : (int)((end - now + 999999) / 1000000);
}

int vdp_station_run(struct vdp_station *st, int timeout_ms)
{
	if (!st)
		return -EINVAL;
	uint64_t end = timeout_ms < 0 ? UINT64_MAX : st_now(st) + (uint64_t)timeout_ms * 1000000ull;
	st->brk = false;
	while (!st->brk) {
		int left = remaining_ms(st, end);
		if (left == 0)
			break;
		int rc = wait_once(st, left);
		if (rc < 0)
			return rc;
	}
	return 0;
}

void vdp_station_break(struct vdp_station *st)
{
	if (st)
		st->brk = true;
}

static struct st_op *op_in(struct st_op_list *l, uint32_t id)
{
	struct st_op *op;
	TAILQ_FOREACH(op, l, entry)
	if (op->id == id)
		return op;
	return NULL;
}

/* Copies k results into the caller's array, whose element size is the
 * one res[0].size says (a program built against another libvdp has
 * another sizeof). */
static void results_out(struct vdp_station_result *res, const struct vdp_station_result *r,
                        size_t k)
{
	size_t stride = res->size;
	for (size_t i = 0; i < k; i++) {
		void *o = (char *)res + i * stride;
		memcpy(o, &stride, sizeof(stride));
		sized_out(o, &r[i], sizeof(r[i]));
	}
}

int vdp_station_wait(struct vdp_station *st, uint32_t id, int timeout_ms,
                     struct vdp_station_result *res, size_t cap, size_t *n)
{
	if (!st)
		return -EINVAL;
	if (n)
		*n = 0;
	if (res && cap && res->size < sizeof(res->size))
		return st_fail(st, -EINVAL, "wait: res[0].size is not set (sizeof *res)");
	uint64_t end = timeout_ms < 0 ? UINT64_MAX : st_now(st) + (uint64_t)timeout_ms * 1000000ull;
	for (;;) {
		struct st_op *op = op_in(&st->done, id);
		if (op) {
			size_t k = op->nres < cap ? op->nres : cap;
			if (res && k)
				results_out(res, op->res, k);
			if (n)
				*n = res ? k : 0;
			int rc =
			    op->failed ? st_fail(st, -EIO, "operation %u failed on a link", id) : 0;
			TAILQ_REMOVE(&st->done, op, entry);
			st->ndone--;
			free(op);
			return rc;
		}
		if (!op_in(&st->ops, id))
			return st_fail(st, -ENOENT,
			               "no operation %u (or its results were collected)", id);
		int left = remaining_ms(st, end);
		if (left == 0)
			return st_fail(st, -ETIMEDOUT, "operation %u: no result within %d ms", id,
			               timeout_ms);
		int rc = wait_once(st, left);
		if (rc < 0)
			return rc;
	}
}
