/* SPDX-License-Identifier: ISC */
/* vdpd: the daemon's side of the DHCP parser child (parser_child.c): starts
 * it, sends it the captured frames over a SOCK_SEQPACKET socketpair and
 * takes its answers (parser_msg.h) as hostile input: a message that does
 * not decode, is of the wrong type, or does not answer the oldest frame
 * in flight kills the child.  When the child dies (killed by its seccomp
 * filter, by that, or otherwise) the daemon logs it, counts it
 * (parser-restarts) and starts another, at most PARSER_MAX_RESTARTS times;
 * past that DHCP snooping stops, said in the log. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>

#include "log.h"
#include "migration/migration.h"
#include "migration/parser_child.h"
#include "migration/parser_link.h"
#include "migration/parser_msg.h"
#include "ports/port.h"
#include "core/vdpd.h"

#define RING                256 /* frames in flight to the child */
#define PARSER_MAX_RESTARTS 32
#define RESTART_DELAY       0.2 /* s */

struct inflight {
	uint8_t port;
	bool out;
	uint16_t len;
};

static struct plink {
	struct vdpd *d;
	struct ev_loop *loop;
	int (*confine)(char *, size_t);
	bool trap;
	int fd;
	pid_t pid;
	ev_io io;
	ev_child child;
	ev_timer restart;
	unsigned restarts;
	uint32_t next_seq, ack_seq; /* sent, answered */
	struct inflight ring[RING];
} pl = {.fd = -1};

static void on_answer(struct ev_loop *loop, ev_io *w, int revents);
static void on_exit_status(struct ev_loop *loop, ev_child *w, int revents);

static int spawn(char *err, size_t errlen)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		snprintf(err, errlen, "DHCP parser child: socketpair: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "DHCP parser child: fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0)
		parser_child_main(sv[1], pl.confine, pl.trap);
	close(sv[1]);
	pl.fd = sv[0];
	pl.pid = pid;
	pl.next_seq = pl.ack_seq = 0;
	ev_io_init(&pl.io, on_answer, pl.fd, EV_READ);
	ev_io_start(pl.loop, &pl.io);
	ev_child_init(&pl.child, on_exit_status, pid, 0);
	ev_child_start(pl.loop, &pl.child);
	log_info("DHCP parser child started (pid %ld)", (long)pid);
	return 0;
}

/* The child is gone or to go: its socket closes, what was in flight is lost. */
static void drop_link(void)
{
	if (pl.fd < 0)
		return;
	ev_io_stop(pl.loop, &pl.io);
	close(pl.fd);
	pl.fd = -1;
	if (pl.d && pl.d->mig)
		pl.d->mig->counters[MIG_PARSER_LOST] += pl.next_seq - pl.ack_seq;
}

static void on_restart(struct ev_loop *loop, ev_timer *w, int revents)
{
	char err[256];
	(void)loop;
	(void)w;
	(void)revents;
	if (spawn(err, sizeof(err)) < 0)
		log_err("%s; DHCP snooping stops", err);
}

static void describe(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(buf, len,
		         "was killed by SIGSYS: a system call outside its seccomp allow-list");
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else if (WEXITSTATUS(status) == PARSER_EXIT_CONFINE)
		snprintf(buf, len, "could not drop its capabilities or load its seccomp filter");
	else if (WEXITSTATUS(status) == PARSER_EXIT_PROTOCOL)
		snprintf(buf, len, "was sent a message that is not a frame");
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
}

static void on_exit_status(struct ev_loop *loop, ev_child *w, int revents)
{
	char why[128];
	(void)revents;
	ev_child_stop(loop, w);
	drop_link();
	describe(w->rstatus, why, sizeof(why));
	pl.pid = 0;
	mig_count(pl.d->mig, MIG_PARSER_RESTARTS);
	if (pl.restarts >= PARSER_MAX_RESTARTS) {
		log_err("DHCP parser child (pid %d) %s; not restarted (%u restarts already): DHCP "
		        "snooping stops",
		        w->rpid, why, pl.restarts);
		return;
	}
	pl.restarts++;
	log_err("DHCP parser child (pid %d) %s; restarting it (restart %u of at most %u)", w->rpid,
	        why, pl.restarts, PARSER_MAX_RESTARTS);
	ev_timer_init(&pl.restart, on_restart, RESTART_DELAY, 0.);
	ev_timer_start(loop, &pl.restart);
}

/* A message the child should not have sent: it is not trusted any more. */
static void violation(const char *why)
{
	log_err("DHCP parser child (pid %ld) sent an invalid message (%s): killing it",
	        (long)pl.pid, why);
	drop_link();
	if (pl.pid > 0)
		kill(pl.pid, SIGKILL); /* on_exit_status restarts it */
}

static void take(const struct pmsg *m)
{
	struct vdpd *d = pl.d;
	const struct inflight *f = &pl.ring[pl.ack_seq % RING];
	pl.ack_seq++;
	if (f->port >= d->nports)
		return; /* the ports are fixed for the daemon's life: cannot happen */
	if (m->type == PMSG_REJECT)
		dhcp_snoop_malformed(d, f->port, f->len, m->err);
	else
		dhcp_snoop_decoded(d, f->port, f->out, &m->dhcp, (int64_t)time(NULL));
}

static void on_answer(struct ev_loop *loop, ev_io *w, int revents)
{
	static uint8_t buf[PMSG_MAX_LEN + 1];
	static struct pmsg m;
	char why[96];
	(void)loop;
	(void)w;
	(void)revents;
	/* Bounded: the child cannot keep the loop here. */
	for (int i = 0; i < 64 && pl.fd >= 0; i++) {
		ssize_t n = recv(pl.fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			drop_link(); /* the child is gone: on_exit_status says why */
			return;
		}
		int rc = pmsg_decode(buf, (size_t)n, &m);
		if (rc < 0)
			return violation(pmsg_strerror(rc));
		if (m.type != PMSG_DHCP && m.type != PMSG_REJECT)
			return violation("not an answer");
		if (pl.ack_seq == pl.next_seq || m.seq != pl.ack_seq) {
			snprintf(why, sizeof(why), "answers frame %u, expected %u of %u sent",
			         m.seq, pl.ack_seq, pl.next_seq);
			return violation(why);
		}
		take(&m);
	}
}

void parser_link_frame(unsigned port, bool out, const uint8_t *frame, size_t len)
{
	static uint8_t buf[PMSG_MAX_LEN];
	if (pl.fd < 0 || pl.next_seq - pl.ack_seq >= RING || port > UINT8_MAX) {
		if (pl.d && pl.d->mig)
			mig_count(pl.d->mig, MIG_PARSER_LOST);
		return;
	}
	int n = pmsg_encode_frame(pl.next_seq, frame, len, buf, sizeof(buf));
	if (n < 0) {
		mig_count(pl.d->mig, MIG_SNOOP_MALFORMED); /* empty or past the snaplen */
		return;
	}
	if (send(pl.fd, buf, (size_t)n, MSG_DONTWAIT) != n) {
		mig_count(pl.d->mig, MIG_PARSER_LOST);
		return;
	}
	pl.ring[pl.next_seq % RING] = (struct inflight){(uint8_t)port, out, (uint16_t)len};
	pl.next_seq++;
}

int parser_link_start(struct vdpd *d, struct ev_loop *loop, int (*confine)(char *, size_t),
                      bool trap, char *err, size_t errlen)
{
	pl.d = d;
	pl.loop = loop;
	pl.confine = confine;
	pl.trap = trap;
	pl.restarts = 0;
	ev_init(&pl.restart, on_restart);
	return spawn(err, errlen);
}

void parser_link_stop(void)
{
	if (!pl.loop)
		return;
	ev_timer_stop(pl.loop, &pl.restart);
	drop_link(); /* the child reads the end of its socket and exits */
	if (pl.pid > 0) {
		ev_child_stop(pl.loop, &pl.child);
		kill(pl.pid, SIGKILL); /* were it stuck in a frame */
		/* libev may have reaped it already (ECHILD). */
		if (waitpid(pl.pid, NULL, 0) < 0 && errno != ECHILD)
			log_warn("DHCP parser child (pid %ld): %s", (long)pl.pid, strerror(errno));
		pl.pid = 0;
	}
	pl.loop = NULL;
}
