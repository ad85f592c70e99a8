/* SPDX-License-Identifier: ISC */
/* vdpd: least privilege.  Started as root, vdpd becomes its own system user
 * (vdpd.conf's `user`, -u) once its sockets are open, keeping only
 * CAP_NET_RAW (ECP, DHCP-snooping and IGMP sockets) and CAP_NET_ADMIN
 * (netlink programming of bridge VLANs, nftables and tc) across the change
 * of uid: without a uid of 0 it reads no root-only file.  Started as that
 * user already (the unit's User= and AmbientCapabilities=), it only drops
 * whatever else it holds.  Either way it can never regain anything
 * (bounding set, no_new_privs).  libcap-ng does the capability work. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cap-ng.h>

#include "privs.h"

#define MAX_GROUPS 64

int privs_check(char *err, size_t errlen)
{
	capng_get_caps_process();
	if (!capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_RAW) ||
	    !capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN)) {
		snprintf(err, errlen,
		         "vdpd needs CAP_NET_RAW and CAP_NET_ADMIN (run it as root or "
		         "grant them, e.g. with systemd's AmbientCapabilities)");
		return -1;
	}
	return 0;
}

int privs_user(const char *user, struct privs_id *id, char *err, size_t errlen)
{
	memset(id, 0, sizeof(*id));
	if (geteuid() != 0)
		return 0;
	errno = 0;
	const struct passwd *pw = getpwnam(user);
	if (!pw) {
		snprintf(err, errlen,
		         "user \"%s\" (vdpd.conf's user, or -u) %s; create it (the Debian "
		         "package makes _vdpd) or name another",
		         user,
		         /* getpwnam(3): these, or none, mean "no such user" */
		         errno && errno != ENOENT && errno != ESRCH && errno != EBADF &&
		                 errno != EPERM
		             ? strerror(errno)
		             : "does not exist");
		return -1;
	}
	id->change = true;
	id->uid = pw->pw_uid;
	id->gid = pw->pw_gid;
	snprintf(id->name, sizeof(id->name), "%s", user);
	return 0;
}

/* fchown of what is there, without following a link planted in its place. */
static int own(const struct privs_id *id, int dirfd, const char *name, char *err, size_t errlen,
               const char *what)
{
	if (fchownat(dirfd, name, id->uid, id->gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: cannot give it to user %s: %s", what, id->name,
		         strerror(errno));
		return -1;
	}
	return 0;
}

int privs_own_dir(const struct privs_id *id, const char *dir, const char *file, char *err,
                  size_t errlen)
{
	if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!id->change)
		return 0;
	if (own(id, AT_FDCWD, dir, err, errlen, dir) < 0)
		return -1;
	if (!file)
		return 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	int rc = own(id, fd, file, err, errlen, dir);
	close(fd);
	return rc;
}

/* The user's own groups and extra_group: initgroups() would lose the group
 * lldp.c joined, and root's groups must not stay. */
static int set_groups(const struct privs_id *id, const char *extra_group, char *err, size_t errlen)
{
	gid_t groups[MAX_GROUPS];
	int n = MAX_GROUPS - 1;
	if (getgrouplist(id->name, id->gid, groups, &n) < 0) {
		snprintf(err, errlen, "user %s is in more than %d groups", id->name,
		         MAX_GROUPS - 1);
		return -1;
	}
	const struct group *g = extra_group && extra_group[0] ? getgrnam(extra_group) : NULL;
	if (g)
		groups[n++] = g->gr_gid;
	if (setgroups((size_t)n, groups) < 0) {
		snprintf(err, errlen, "setgroups for user %s: %s", id->name, strerror(errno));
		return -1;
	}
	return 0;
}

int privs_drop(const struct privs_id *id, const char *extra_group, char *err, size_t errlen)
{
	capng_get_caps_process();
	/* Under a unit's CapabilityBoundingSet= the bounding set is already
	 * small and vdpd, without CAP_SETPCAP, cannot change it. */
	bool bounds = id->change || capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP);
	capng_clear(bounds ? CAPNG_SELECT_ALL : CAPNG_SELECT_CAPS | CAPNG_SELECT_AMBIENT);
	capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_BOUNDING_SET,
	              CAP_NET_RAW, CAP_NET_ADMIN, -1);
	int rc;
	if (id->change) {
		if (set_groups(id, extra_group, err, errlen) < 0)
			return -1;
		/* The bounding set keeps the two (CAPNG_CLEAR_BOUNDING would
		 * empty it), as under the unit's CapabilityBoundingSet=. */
		rc = capng_apply(CAPNG_SELECT_BOUNDS);
		if (rc == 0)
			rc = capng_change_id((int)id->uid, (int)id->gid, CAPNG_CLEAR_AMBIENT);
	} else {
		rc = capng_apply(bounds ? CAPNG_SELECT_ALL : CAPNG_SELECT_CAPS);
		/* The ambient set (a unit's AmbientCapabilities=) goes too:
		 * nothing vdpd could start would inherit it. */
		if (rc == 0)
			rc = prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	}
	if (rc < 0) {
		snprintf(err, errlen,
		         "%s%s: keeping CAP_NET_RAW and CAP_NET_ADMIN only failed (%d): %s",
		         id->change ? "becoming user " : "",
		         id->change ? id->name : "dropping capabilities", rc, strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}
