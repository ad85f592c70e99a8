/* SPDX-License-Identifier: ISC */
/* common: notifications to the service manager (see notify.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef HAVE_LIBSYSTEMD
#include <systemd/sd-daemon.h>
#endif

#include "notify.h"

bool notify_wanted(void)
{
#ifdef HAVE_LIBSYSTEMD
	return getenv("NOTIFY_SOCKET") != NULL;
#else
	return false;
#endif
}

void notify(const char *fmt, ...)
{
#ifdef HAVE_LIBSYSTEMD
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* 0: keep NOTIFY_SOCKET, vdpd notifies again on reload and stop.  A
	 * failure is not worth a log line: the unit's timeout says it. */
	(void)sd_notify(0, buf);
#else
	(void)fmt;
#endif
}
