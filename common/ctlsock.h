/* SPDX-License-Identifier: ISC */
/* common: the control socket's server side that does not depend on an
 * event loop, for vdpd (libev) and the vdp-station daemon (poll), and the
 * clients' connect (vdpctl, vdp-station's commands):
 *
 *   - setting up the listening unix socket without ever harming what is
 *     at its path: a path that is not a socket is refused, a socket some
 *     live process answers on is refused, only a stale socket (its server
 *     died) is removed; the socket is created with its final permissions
 *     (no window in which it is wider), and a path that does not fit in
 *     sun_path is refused with a message naming it;
 *   - reading a client's request with a size limit, piece by piece as the
 *     loop reports it readable, until an end marker.
 */
#ifndef COMMON_CTLSOCK_H
#define COMMON_CTLSOCK_H

#include <stdbool.h>
#include <stddef.h>

/* Listens on a unix stream socket at path, with permissions mode (e.g.
 * 0660) and the given backlog.  `who` names the expected owner in the
 * message for a live socket ("vdpd" gives "... (vdpd already running?)").
 * *replaced (if not NULL) tells whether a stale socket was removed.
 * Returns the listening descriptor (non-blocking, close-on-exec), or -1
 * with a message in err. */
int ctlsock_listen(const char *path, unsigned mode, int backlog, const char *who, bool *replaced,
                   char *err, size_t errlen);

/* Connects to the unix stream socket at path, with send and receive
 * timeouts of timeout_s seconds (0: none), so that a server that stopped
 * answering cannot hang a script.  The descriptor, or -1 with errno
 * (ENAMETOOLONG: path does not fit in sun_path). */
int ctlsock_connect(const char *path, int timeout_s);

enum ctlsock_rd {
	CTLSOCK_AGAIN, /* nothing to read now */
	CTLSOCK_MORE,  /* read something; the request is not complete yet */
	CTLSOCK_DONE,  /* the end marker has arrived */
	CTLSOCK_FULL,  /* the buffer is full without it: the request is too long */
	CTLSOCK_EOF,   /* the client closed its side (maybe after sending something) */
	CTLSOCK_ERROR, /* recv failed (errno) */
};

/* Reads what fd has now, without blocking, into buf[*len .. cap - 1) and
 * advances *len; buf stays NUL-terminated, so at most cap - 1 octets are
 * kept.  `end` is the marker that completes a request ("\n" for vdpd,
 * "\n\n" for vdp-station), found even when it straddles two reads. */
enum ctlsock_rd ctlsock_read(int fd, char *buf, size_t cap, size_t *len, const char *end);

#endif
