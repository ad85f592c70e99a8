/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's server side (see ctl.h for the protocol).
 *
 * Every client costs at most one slot, CTL_REQ_MAX octets of request and
 * CTL_ANSWER_MAX of answer, and lives at most control.idle_timeout +
 * CTL_WRITE_TIMEOUT seconds (one libev timer each, no scan); nothing here
 * ever waits on a client, so a stuck or hostile vdpctl cannot stall VDP on
 * the ports.  Who may connect and run what: ctl.h, enum ctl_role.
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
	enum ctl_role role;
	size_t reqlen;
	char req[CTL_REQ_MAX + 2]; /* one more than allowed, to see "too long" */
	struct strbuf ans;
	size_t sent;
};

static struct {
	struct vdpd *d;
	struct ev_loop *loop;
	ev_io lio;
	long gid; /* control.group for the socket file, -1: none (ctl_set_group) */
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	double read_s, write_s;
	uint64_t (*now_ns)(void);
	struct client clients[CTL_MAX_CLIENTS];
} ctl = {.fd = -1, .gid = -1};

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

/* The deadlines: a test's, or vdpd.conf's control.idle_timeout (read at
 * each connect, so a reload applies to the next client). */
static double read_deadline(void)
{
	unsigned conf_s = ctl.d->conf.ctl_idle_s;
	return ctl.read_s > 0 ? ctl.read_s : conf_s ? conf_s : CONF_DEFAULT_CTL_IDLE;
}

static double write_deadline(void)
{
	return ctl.write_s > 0 ? ctl.write_s : CTL_WRITE_TIMEOUT;
}

static void on_timeout(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct client *c = w->data;
	if (c->ans.len)
		ctl_counters.slow_dropped++;
	else
		ctl_counters.idle_dropped++;
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
		ctl_exec_as(ctl.d, c->req, monotonic_ns(), &c->ans, c->role);
	ev_io_stop(ctl.loop, &c->io);
	ev_io_set(&c->io, c->fd, EV_WRITE);
	ev_set_cb(&c->io, on_writable);
	ev_io_start(ctl.loop, &c->io);
	ev_timer_stop(ctl.loop, &c->tmo);
	ev_timer_set(&c->tmo, write_deadline(), 0.);
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

/* A free slot for a client of role, or NULL: the last free slot is an
 * admin's only. */
static struct client *client_slot(enum ctl_role role)
{
	struct client *free_slot = NULL;
	unsigned nfree = 0;

	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++)
		if (ctl.clients[i].fd < 0) {
			nfree++;
			free_slot = &ctl.clients[i];
		}
	return nfree > (role == CTL_ROLE_ADMIN ? 0u : 1u) ? free_slot : NULL;
}

/* Best effort, never blocks: the client is turned away either way. */
static void refuse(int fd, const char *msg)
{
	if (send(fd, msg, strlen(msg), MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		log_debug("control socket: refusing a client: %s", strerror(errno));
	close(fd);
}

/* Whether the peer is in control.group: its primary group, or one of its
 * supplementary groups (SO_PEERGROUPS, Linux 4.13). */
static bool peer_in_group(int fd, const struct ucred *cr, gid_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (cr->gid == gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false;
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* The role of the peer on fd; -1 (and *cr) when it may not talk to vdpd. */
static int peer_role(int fd, struct ucred *cr)
{
	socklen_t len = sizeof(*cr);
	long gid = ctl.d->conf.ctl_gid;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, cr, &len) < 0) {
		log_warn("control socket %s: SO_PEERCRED: %s", ctl.path, strerror(errno));
		return -1;
	}
	/* The daemon's own uid: vdpd may run as its own user (vdpd(8)). */
	if (cr->uid == 0 || cr->uid == geteuid())
		return CTL_ROLE_ADMIN;
	if (gid >= 0 && peer_in_group(fd, cr, (gid_t)gid))
		return CTL_ROLE_READ;
	return -1;
}

/* Admits fd, or turns it away saying why; false when it was turned away. */
static bool admit(int fd, struct client **out)
{
	struct ucred cr = {0};
	int role = peer_role(fd, &cr);

	if (role < 0) {
		ctl_counters.refused_peer++;
		log_notice("control socket %s: uid %u gid %u refused: not root, not vdpd's user, "
		           "not in control.group",
		           ctl.path, (unsigned)cr.uid, (unsigned)cr.gid);
		refuse(fd, "error: permission denied: only root, vdpd's own user and members of "
		           "control.group (vdpd.conf(5)) may use this socket\n");
		return false;
	}
	if (!(*out = client_slot((enum ctl_role)role))) {
		ctl_counters.refused_full++;
		log_notice("control socket %s: uid %u refused: %s", ctl.path, (unsigned)cr.uid,
		           role == CTL_ROLE_ADMIN ? "every slot taken"
		                                  : "the last slot is kept for root");
		refuse(fd, role == CTL_ROLE_ADMIN
		               ? "error: too many control clients, try again\n"
		               : "error: too many control clients (the last slot is kept for "
		                 "root), try again\n");
		return false;
	}
	(*out)->role = (enum ctl_role)role;
	return true;
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
	/* Bounded, so a connection storm cannot keep the loop here. */
	for (unsigned k = 0; k < CTL_MAX_CLIENTS; k++) {
		int fd = accept4(ctl.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct client *c;
		if (fd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				log_warn("control socket %s: accept: %s", ctl.path,
				         strerror(errno));
			return;
		}
		if (!admit(fd, &c))
			continue;
		enum ctl_role role = c->role;
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->role = role;
		ev_io_init(&c->io, on_readable, fd, EV_READ);
		c->io.data = c;
		ev_timer_init(&c->tmo, on_timeout, read_deadline(), 0.);
		c->tmo.data = c;
		ev_io_start(loop, &c->io);
		ev_timer_start(loop, &c->tmo);
	}
}

/* --- the listening socket -------------------------------------------- */

void ctl_set_group(long gid)
{
	ctl.gid = gid;
}

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
	/* control.group reaches the socket through its file's group; the
	 * mode (0660 by default) gives that group the right to connect.  Done
	 * here, while vdpd may still change a file's group. */
	if (ctl.gid >= 0 && chown(path, (uid_t)-1, (gid_t)ctl.gid) < 0) {
		snprintf(err, errlen, "%s: cannot give it group %ld (control.group): %s", path,
		         ctl.gid, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}

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
