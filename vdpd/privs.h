/* SPDX-License-Identifier: ISC */
/* vdpd: capabilities. */
#ifndef VDPD_PRIVS_H
#define VDPD_PRIVS_H

#include <stddef.h>

/* Fails, naming them, when CAP_NET_RAW or CAP_NET_ADMIN is missing. */
int privs_check(char *err, size_t errlen);
/* Keeps CAP_NET_RAW and CAP_NET_ADMIN, drops everything else for good. */
int privs_drop(char *err, size_t errlen);

#endif
