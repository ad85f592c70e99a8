/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's server side (see ctl.h for the protocol).
 *
 * Every client costs at most one slot, CTL_REQ_MAX octets of request and
 * CTL_ANSWER_MAX of answer, and lives at most CTL_READ_TIMEOUT +
 * CTL_WRITE_TIMEOUT seconds; nothing here ever waits on a client, so a
 * stuck or hostile vdpctl cannot stall VDP on the ports.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "ctl/ctl.h"
#include "ctlsock.h"
#include "log.h"
#include "core/vdpd.h"

struct client {
	ev_io io;
	ev_timer tmo;
	int fd; /* -1: slot free */
	size_t reqlen;
	char req[CTL_REQ_MAX + 2]; /* one more than allowed, to see "too long" */
	struct strbuf ans;
	size_t sent;
};

static struct {
	struct vdpd *d;
	struct ev_loop *loop;
	ev_io lio;
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	double read_s, write_s;
	uint64_t (*now_ns)(void);
	struct client clients[CTL_MAX_CLIENTS];
} ctl = {.fd = -1, .read_s = CTL_READ_TIMEOUT, .write_s = CTL_WRITE_TIMEOUT};

void ctl_set_timeouts(double read_s, double write_s)
{
	ctl.read_s = read_s;
	ctl.write_s = write_s;
}

void ctl_set_clock(uint64_t (*now_ns)(void))
{
	ctl.now_ns = now_ns;
}

/* The clock of the keepalive deadlines (see port_now_ns). */
static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	if (ctl.now_ns)
		return ctl.now_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* --- clients --------------------------------------------------------- */

static void client_close(struct client *c)
{
	ev_io_stop(ctl.loop, &c->io);
	ev_timer_stop(ctl.loop, &c->tmo);
	close(c->fd);
	c->fd = -1;
	sb_free(&c->ans);
}

static void on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct client *c = w->data;
	log_info("control socket: client too slow, dropped at the %s deadline",
	         c->ans.len ? "answer's" : "request's");
	client_close(c);
}

/* Sends what the client will take now; closes once all is out. */
static void client_flush(struct client *c)
{
	while (c->sent < c->ans.len) {
		ssize_t n = send(c->fd, c->ans.buf + c->sent, c->ans.len - c->sent,
		                 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* wait for EV_WRITE */
		if (n <= 0) {
			log_info("control socket: client went away: %s", strerror(errno));
			break;
		}
		c->sent += (size_t)n;
	}
	client_close(c);
}

static void on_writable(struct ev_loop *loop, ev_io *w, int revents)
{
	client_flush(w->data);
}

/* Runs the request and switches the connection to writing the answer. */
static void client_answer(struct client *c)
{
	char *nl = memchr(c->req, '\n', c->reqlen);
	size_t len = nl ? (size_t)(nl - c->req) : c->reqlen;
	if (len && c->req[len - 1] == '\r') /* socat and telnet send CRLF */
		len--;
	c->req[len] = '\0';
	/* A NUL would cut the line short and run a command nobody typed. */
	if (memchr(c->req, '\0', len))
		ctl_error(&c->ans, false, "request contains control characters");
	else
		ctl_exec(ctl.d, c->req, monotonic_ns(), &c->ans);
	ev_io_stop(ctl.loop, &c->io);
	ev_io_set(&c->io, c->fd, EV_WRITE);
	ev_set_cb(&c->io, on_writable);
	ev_io_start(ctl.loop, &c->io);
	ev_timer_stop(ctl.loop, &c->tmo);
	ev_timer_set(&c->tmo, ctl.write_s, 0.);
	ev_timer_start(ctl.loop, &c->tmo);
	client_flush(c);
}

static void on_readable(struct ev_loop *loop, ev_io *w, int revents)
{
	struct client *c = w->data;

	/* A request ends at its newline, at the client's EOF (printf 'show
	 * vsis' | socat ...), or when it is longer than allowed (the buffer
	 * holds one octet more than CTL_REQ_MAX, to tell). */
	switch (ctlsock_read(c->fd, c->req, sizeof(c->req), &c->reqlen, "\n")) {
	case CTLSOCK_AGAIN:
	case CTLSOCK_MORE:
		return;
	case CTLSOCK_EOF:
		if (c->reqlen)
			client_answer(c);
		else
			client_close(c); /* connected and left: nothing to say */
		return;
	case CTLSOCK_ERROR:
		client_close(c);
		return;
	case CTLSOCK_DONE:
	case CTLSOCK_FULL:
		client_answer(c);
		return;
	}
}

static struct client *client_slot(void)
{
	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl.clients[i].fd < 0)
			return &ctl.clients[i];
	return NULL;
}

/* Best effort, never blocks: the client is turned away either way. */
static void refuse(int fd)
{
	static const char msg[] = "error: too many control clients, try again\n";
	if (send(fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("control socket: refusing a client: %s", strerror(errno));
	close(fd);
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	/* Bounded, so a connection storm cannot keep the loop here. */
	for (unsigned k = 0; k < CTL_MAX_CLIENTS; k++) {
		int fd = accept4(ctl.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("control socket %s: accept: %s", ctl.path,
				         strerror(errno));
			return;
		}
		struct client *c = client_slot();
		if (!c) {
			log_notice("control socket %s: %d clients already, one refused", ctl.path,
			           CTL_MAX_CLIENTS);
			refuse(fd);
			continue;
		}
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		ev_io_init(&c->io, on_readable, fd, EV_READ);
		c->io.data = c;
		ev_timer_init(&c->tmo, on_timeout, ctl.read_s, 0.);
		c->tmo.data = c;
		ev_io_start(loop, &c->io);
		ev_timer_start(loop, &c->tmo);
	}
}

/* --- the listening socket -------------------------------------------- */

int ctl_open(struct vdpd *d, struct ev_loop *loop, const char *path, unsigned mode, char *err,
             size_t errlen)
{
	bool replaced;

	if (ctl.fd >= 0) {
		snprintf(err, errlen, "control socket already open on %s", ctl.path);
		return -1;
	}
	int fd = ctlsock_listen(path, mode, CTL_MAX_CLIENTS, "vdpd", &replaced, err, errlen);
	if (fd < 0)
		return -1;
	if (replaced)
		log_info("control socket %s: replaced a stale socket", path);
	ctl.d = d;
	ctl.loop = loop;
	ctl.fd = fd;
	snprintf(ctl.path, sizeof(ctl.path), "%s", path); /* fits: ctlsock_listen checked */
	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		ctl.clients[i].fd = -1;
	ev_io_init(&ctl.lio, on_accept, fd, EV_READ);
	ev_io_start(loop, &ctl.lio);
	log_info("control socket %s (mode %04o)", path, mode & 07777);
	return 0;
}

void ctl_close(void)
{
	if (ctl.fd < 0)
		return;
	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl.clients[i].fd >= 0)
			client_close(&ctl.clients[i]);
	ev_io_stop(ctl.loop, &ctl.lio);
	close(ctl.fd);
	ctl.fd = -1;
	/* After privileges are dropped this may fail on a root-owned
	 * directory; the next start replaces the stale socket anyway. */
	if (unlink(ctl.path) < 0 && errno != ENOENT)
		log_debug("control socket %s: not removed: %s", ctl.path, strerror(errno));
}
