/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's protocol, as the daemon and its clients
 * (tools/vdpctl) both need it: where the socket is, how long a request and
 * an answer may be, how a client asks for JSON and how an error answer
 * starts.  Constants only, no daemon types, so that vdpctl includes this
 * header instead of repeating the numbers; vdpctl(8) documents them.
 */
#ifndef VDPD_CTL_PROTO_H
#define VDPD_CTL_PROTO_H

#include <stddef.h>

#include "config.h" /* VDP_RUNSTATEDIR: configure's --runstatedir */

#define CTL_SOCKET_DEFAULT VDP_RUNSTATEDIR "/vdpd/vdpd.sock"
#define CTL_SOCKET_ENV     "VDPD_SOCKET" /* what vdpctl reads when -s is not given */

/* Octets in a request line, the newline excluded. */
#define CTL_REQ_MAX 1024
/* Octets in an answer: a larger one is replaced by an error answer. */
#define CTL_ANSWER_MAX ((size_t)4 << 20)

/* The version of the answers' format.  Every JSON answer carries it as
 * its member "format_version"; `help` and `version` show it in text.
 * Within one version keys are only ever added; removing or renaming a
 * key, or changing what a value means, takes the next version (vdpctl(8),
 * STABILITY).  Text answers are for people and may change. */
#define CTL_FORMAT_VERSION 1

/* A request's last word asking for the answer in JSON. */
#define CTL_JSON_WORD "json"
/* How an error answer starts, in text and in JSON. */
#define CTL_ERROR_PREFIX      "error: "
#define CTL_JSON_ERROR_PREFIX "{\"error\":"

#endif
