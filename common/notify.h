/* SPDX-License-Identifier: ISC */
/* common: telling the service manager how a daemon is doing (systemd's
 * Type=notify, sd_notify(3)): READY=1 once it serves, STATUS= lines,
 * RELOADING=1 and STOPPING=1.  Without libsystemd at build time, or
 * outside systemd (no NOTIFY_SOCKET), every call does nothing.  Not part
 * of libvdp_common.la: only the two daemons link it (and libsystemd). */
#ifndef COMMON_NOTIFY_H
#define COMMON_NOTIFY_H

#include <stdbool.h>

/* One notification, sd_notify's "KEY=VALUE\n..." text, printf-style. */
void notify(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Whether anyone listens (NOTIFY_SOCKET is set): for a STATUS= that costs
 * something to compute. */
bool notify_wanted(void);

#endif
