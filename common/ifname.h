/* SPDX-License-Identifier: ISC */
/* common: which interface names vdpd takes, checked once for every way a
 * name enters (vdpd.conf, control requests).  The kernel's own rule
 * (dev_valid_name()) and then the octets no text vdpd's names reach can
 * carry back: nftables strings have no escape for '"', read '\' as an
 * escape and a '*' as a wildcard, and a control octet would forge a log
 * line. */
#ifndef COMMON_IFNAME_H
#define COMMON_IFNAME_H

#include <stdbool.h>
#include <stddef.h>

/* The kernel's IFNAMSIZ, the terminating NUL included. */
#define IFNAME_SIZE 16

/* true, or false with why ("is longer than 15 octets", ...), a phrase
 * that follows the quoted name. */
bool ifname_valid(const char *name, char *why, size_t cap);

/* name as C-style text that is safe in any log or message: octets outside
 * printable ASCII, '"' and '\\' escaped (\xNN, \", \\); truncated to fit cap. */
void ifname_quote(const char *name, char *out, size_t cap);

#endif
