/* SPDX-License-Identifier: ISC */
/* vdpd: least privilege.  After start-up vdpd keeps only CAP_NET_RAW (its
 * ECP sockets) and CAP_NET_ADMIN (netlink programming of bridge VLANs,
 * nftables and tc), and can never regain anything else. */
#include <errno.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"

#define KEEP_MASK ((1ull << CAP_NET_RAW) | (1ull << CAP_NET_ADMIN))

int privs_drop(char *err, size_t errlen)
{
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		/* Under a unit's CapabilityBoundingSet= the others are gone
		 * already, and dropping needs CAP_SETPCAP, which is gone too. */
		if ((KEEP_MASK & (1ull << cap)) || prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
			snprintf(err, errlen, "dropping capability %d from the bounding set: %s",
			         cap, strerror(errno));
			return -1;
		}
	}
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	/* Both capabilities are below 32: they live in the first word. */
	data[0].effective = data[0].permitted = (uint32_t)KEEP_MASK;
	if (syscall(SYS_capset, &hdr, data) < 0) {
		snprintf(err, errlen, "capset: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errlen, "no_new_privs: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int privs_check(char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	if (syscall(SYS_capget, &hdr, data) < 0) {
		snprintf(err, errlen, "capget: %s", strerror(errno));
		return -1;
	}
	if ((data[0].effective & KEEP_MASK) != KEEP_MASK) {
		snprintf(err, errlen,
		         "vdpd needs CAP_NET_RAW and CAP_NET_ADMIN (run it as root or "
		         "grant them, e.g. with systemd's AmbientCapabilities)");
		return -1;
	}
	return 0;
}
