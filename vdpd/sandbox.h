/* SPDX-License-Identifier: ISC */
/* vdpd: the seccomp allow-lists of its two processes (sandbox.c). */
#ifndef VDPD_SANDBOX_H
#define VDPD_SANDBOX_H

#include <stddef.h>

/* The daemon, once initialised: a system call outside its list fails with
 * EPERM (the kernel logs it), the daemon goes on. */
int sandbox_daemon(char *err, size_t errlen);
/* The DHCP parser child: it may read and write its socket and exit; any
 * other system call kills it (SIGSYS), and the daemon logs and restarts it. */
int sandbox_parser(char *err, size_t errlen);

#endif
