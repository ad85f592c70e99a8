/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket that vdpctl(8) talks to.
 *
 * Protocol: a client connects to the unix stream socket, sends one request
 * line ("show vsis", "show vsis json", "deassoc VSIID", "impact port P"),
 * and reads the answer until the daemon closes the connection.  A trailing
 * word "json" asks for JSON.  An answer that reports a failure starts with
 * "error: " in text and is {"error":"...","format_version":N} in JSON.
 * The constants are in ctl_proto.h and the commands in ctl_commands.h,
 * which vdpctl includes too; vdpctl(8) documents the commands and their
 * output.
 *
 * The server lives on the daemon's libev loop and never blocks it: the
 * socket is set up and the request read with common/ctlsock's guards and
 * size limit, under a deadline; the answer (built in
 * memory, at most CTL_ANSWER_MAX) is written as the client drains it, and
 * at most CTL_MAX_CLIENTS connections are served at once.
 *
 * ctl_exec() is the whole command interpreter without any I/O, which is
 * what the unit tests drive.
 */
#ifndef VDPD_CTL_H
#define VDPD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl/ctl_out.h"
#include "ctl/ctl_proto.h"

struct ev_loop;
struct vdpd;

#define CTL_MAX_CLIENTS   16
#define CTL_WRITE_TIMEOUT 10.0 /* seconds to take the whole answer */

/* Who a client is, from its credentials (SO_PEERCRED): root or vdpd's own
 * uid run every command; a member of control.group (vdpd.conf(5)) the
 * read-only ones; anyone else is turned away at connect.  The last free
 * slot is only ever given to an admin, so no number of idle unprivileged
 * clients locks root out. */
enum ctl_role { CTL_ROLE_READ, CTL_ROLE_ADMIN };

/* The control socket's own refusals, in `show counters`. */
struct ctl_counters {
	uint64_t idle_dropped;    /* no whole request within control.idle_timeout */
	uint64_t slow_dropped;    /* did not take its answer within CTL_WRITE_TIMEOUT */
	uint64_t refused_full;    /* no slot for it (the last is kept for an admin) */
	uint64_t refused_peer;    /* neither an admin nor in control.group */
	uint64_t refused_command; /* a command that changes state, from a reader */
};
extern struct ctl_counters ctl_counters;

/* --- the server on the daemon's loop (ctl.c) --------------------------- */

/* Listens on a unix stream socket at path with permissions mode (e.g.
 * 0660).  A socket file left behind by a dead vdpd is replaced; one that a
 * live process still answers on, or a path that is not a socket, is an
 * error (written into err).  0 or -1. */
int ctl_open(struct vdpd *d, struct ev_loop *loop, const char *path, unsigned mode, char *err,
             size_t errlen);
/* The group (vdpd.conf control.group, -1: none) ctl_open() gives the
 * socket file: called before it, as the configuration reaches the daemon's
 * tables only after the socket is open. */
void ctl_set_group(long gid);
/* Drops every client, stops listening and removes the socket file. */
void ctl_close(void);
/* Test hooks: shorter deadlines than control.idle_timeout / CTL_WRITE_TIMEOUT
 * (0: those);
 * a fixed clock for the keepalive times shown (NULL: CLOCK_MONOTONIC). */
void ctl_set_timeouts(double read_s, double write_s);
void ctl_set_clock(uint64_t (*now_ns)(void));

/* --- the command interpreter (ctl_cmd.c), no I/O ----------------------- */

/* Runs one request line (without its newline) against d and writes the
 * answer into out (emptied first).  now_ns is CLOCK_MONOTONIC, for the
 * keepalive deadlines shown.  Returns 0, or -1 when the answer is an error
 * answer. */
int ctl_exec(struct vdpd *d, const char *line, uint64_t now_ns, struct strbuf *out);
/* The same for a client of the given role: a command that changes state
 * (deassoc) from a reader is refused, the answer saying why. */
int ctl_exec_as(struct vdpd *d, const char *line, uint64_t now_ns, struct strbuf *out,
                enum ctl_role role);
/* Writes an error answer into out (emptied first); returns -1. */
int ctl_error(struct strbuf *out, bool json, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
