/* SPDX-License-Identifier: ISC */
/* vdp-station: the port-profile netlink messages libvirt exchanges with
 * lldpad for <virtualport type='802.1Qbg'> (IFLA_VF_PORTS, linux/if_link.h),
 * as a pure codec: bytes in, values out, and the answers built into a
 * buffer.  The I/O and the state behind the answers are libvirt.c's.
 *
 * libvirt sends, to the netlink port whose number is in lldpad's pid file:
 *   RTM_SETLINK  ifinfomsg (the macvtap's lower device), IFLA_IFNAME,
 *                IFLA_VFINFO_LIST { IFLA_VF_INFO { IFLA_VF_MAC, IFLA_VF_VLAN } },
 *                IFLA_VF_PORTS { IFLA_VF_PORT { IFLA_PORT_VSI_TYPE,
 *                IFLA_PORT_INSTANCE_UUID, IFLA_PORT_REQUEST } }
 *                answered by an NLMSG_ERROR (0: taken);
 *   RTM_GETLINK  ifinfomsg, [IFLA_IFNAME], polled every 1/8 s until the
 *                IFLA_VF_PORT with its instance UUID carries an
 *                IFLA_PORT_RESPONSE (none yet: in progress).
 */
#ifndef VDP_STATION_PORTNL_H
#define VDP_STATION_PORTNL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

/* PORT_REQUEST_* of linux/if_link.h */
enum portnl_request {
	PORTNL_PREASSOCIATE = 0,
	PORTNL_PREASSOCIATE_RR = 1,
	PORTNL_ASSOCIATE = 2,
	PORTNL_DISASSOCIATE = 3,
};

/* A SETLINK request, decoded. */
struct portnl_req {
	int ifindex;
	char ifname[IFNAMSIZ]; /* "" when the request has none */
	bool has_mac, has_vlan;
	uint8_t mac[6];
	uint16_t vlan; /* 0: the switch chooses */
	uint8_t mgr_id;
	uint32_t type_id; /* 24 bits */
	uint8_t type_ver;
	uint8_t uuid[16];
	uint8_t request; /* enum portnl_request */
};

/* One VM's status in a GETLINK answer.  respond false: no
 * IFLA_PORT_RESPONSE (libvirt reads it as in progress). */
struct portnl_status {
	uint8_t uuid[16];
	bool respond;
	uint16_t response; /* PORT_VDP_RESPONSE_* */
};

/* Each returns 0, or -1 with the reason in err.  len: the octets of the
 * buffer from nlh on, which must hold nlh's length rounded up to 4. */
int portnl_parse_setlink(const struct nlmsghdr *nlh, size_t len, struct portnl_req *out, char *err,
                         size_t errlen);
int portnl_parse_getlink(const struct nlmsghdr *nlh, size_t len, int *ifindex,
                         char ifname[IFNAMSIZ], char *err, size_t errlen);

/* The answers, built into buf (of cap octets) for the request req (its
 * sequence number and port).  Return the length, 0 if cap is too small. */
size_t portnl_build_ack(uint8_t *buf, size_t cap, const struct nlmsghdr *req, int error);
size_t portnl_build_status(uint8_t *buf, size_t cap, const struct nlmsghdr *req, int ifindex,
                           const struct portnl_status *st, size_t n);

#endif
