/* SPDX-License-Identifier: ISC */
/* vdpd: least privilege: the user vdpd runs as and the capabilities it
 * keeps (privs.c). */
#ifndef VDPD_PRIVS_H
#define VDPD_PRIVS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Who vdpd becomes.  change is false when vdpd did not start as root (a
 * unit's User= already chose): it then stays who it is. */
struct privs_id {
	bool change;
	uid_t uid;
	gid_t gid;
	char name[64];
};

/* Fails, naming them, when CAP_NET_RAW or CAP_NET_ADMIN is missing. */
int privs_check(char *err, size_t errlen);
/* Started as root: looks user up into *id (an error names a user that does
 * not exist).  Started as anyone else: id->change = false. */
int privs_user(const char *user, struct privs_id *id, char *err, size_t errlen);
/* Makes dir (one level) if missing and, when vdpd is to change user, gives
 * it and the file `file` in it (if any, may be NULL) to that user.  A
 * symbolic link is never followed. */
int privs_own_dir(const struct privs_id *id, const char *dir, const char *file, char *err,
                  size_t errlen);
/* Becomes id (its groups, plus the group named extra_group if it exists,
 * e.g. lldpd's), keeping CAP_NET_RAW and CAP_NET_ADMIN and nothing else,
 * for good (bounding set, no ambient set, no_new_privs). */
int privs_drop(const struct privs_id *id, const char *extra_group, char *err, size_t errlen);

#endif
