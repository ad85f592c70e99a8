/* SPDX-License-Identifier: ISC */
/* vdpd: the DHCP parser child's entry point (parser_child.c) and its exit
 * statuses, which the daemon (parser_link.c) names in its log. */
#ifndef VDPD_PARSER_CHILD_H
#define VDPD_PARSER_CHILD_H

#include <stdbool.h>
#include <stddef.h>

#define PARSER_EXIT_CONFINE  3 /* dropping capabilities or the filter failed */
#define PARSER_EXIT_PROTOCOL 4 /* the daemon sent something not a frame */

/* In a freshly forked child: keeps only fd (a SOCK_SEQPACKET socket to the
 * daemon), calls confine (drop every capability, load the seccomp filter),
 * then answers frames until the socket closes.  Never returns. */
_Noreturn void parser_child_main(int fd, int (*confine)(char *err, size_t errlen), bool trap);

#endif
