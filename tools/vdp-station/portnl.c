/* SPDX-License-Identifier: ISC */
/* vdp-station: the port-profile netlink codec (portnl.h), with libmnl.
 * Every attribute length is checked before it is read: the messages come
 * from another process, and a malformed one is refused with a reason, not
 * read past. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "portnl.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The header and the ifinfomsg every link message starts with. */
static const struct ifinfomsg *link_head(const struct nlmsghdr *nlh, size_t len, char *err,
                                         size_t errlen)
{
	if (len < sizeof(*nlh) || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct ifinfomsg))) {
		fail(err, errlen, "message of %zu octets shorter than its header", len);
		return NULL;
	}
	/* libmnl walks the attributes up to the aligned length: the buffer
	 * must hold it (the receiver pads what it read). */
	if (MNL_ALIGN(nlh->nlmsg_len) > len) {
		fail(err, errlen, "message of %u octets in %zu", nlh->nlmsg_len, len);
		return NULL;
	}
	return mnl_nlmsg_get_payload(nlh);
}

static int get_ifname(const struct nlattr *a, char ifname[IFNAMSIZ], char *err, size_t errlen)
{
	size_t n = mnl_attr_get_payload_len(a);
	const char *s = mnl_attr_get_payload(a);
	size_t l = strnlen(s, n);
	if (l == 0 || l >= IFNAMSIZ)
		return fail(err, errlen, "IFLA_IFNAME of %zu characters", l);
	memcpy(ifname, s, l);
	ifname[l] = '\0';
	return 0;
}

/* IFLA_VFINFO_LIST { IFLA_VF_INFO { IFLA_VF_MAC, IFLA_VF_VLAN } }: the
 * first VF's MAC and VLAN (libvirt sends one, for the port itself). */
static int vfinfo_list(const struct nlattr *list, struct portnl_req *r, char *err, size_t errlen)
{
	const struct nlattr *info, *a;
	mnl_attr_for_each_nested(info, list)
	{
		if (mnl_attr_get_type(info) != IFLA_VF_INFO)
			return fail(err, errlen, "IFLA_VFINFO_LIST holds attribute %u",
			            mnl_attr_get_type(info));
		mnl_attr_for_each_nested(a, info)
		{
			size_t n = mnl_attr_get_payload_len(a);
			if (mnl_attr_get_type(a) == IFLA_VF_MAC) {
				if (n < sizeof(struct ifla_vf_mac))
					return fail(err, errlen, "IFLA_VF_MAC of %zu octets", n);
				const struct ifla_vf_mac *m = mnl_attr_get_payload(a);
				memcpy(r->mac, m->mac, 6);
				r->has_mac = true;
			} else if (mnl_attr_get_type(a) == IFLA_VF_VLAN) {
				if (n < sizeof(struct ifla_vf_vlan))
					return fail(err, errlen, "IFLA_VF_VLAN of %zu octets", n);
				const struct ifla_vf_vlan *v = mnl_attr_get_payload(a);
				if (v->vlan > 4094)
					return fail(err, errlen, "VLAN %u out of range", v->vlan);
				r->vlan = (uint16_t)v->vlan;
				r->has_vlan = true;
			}
		}
		return 0; /* the first VF_INFO is the port's */
	}
	return 0;
}

static int port_attrs(const struct nlattr *port, struct portnl_req *r, bool *uuid, bool *req,
                      char *err, size_t errlen)
{
	const struct nlattr *a;
	mnl_attr_for_each_nested(a, port)
	{
		size_t n = mnl_attr_get_payload_len(a);
		const uint8_t *p = mnl_attr_get_payload(a);
		switch (mnl_attr_get_type(a)) {
		case IFLA_PORT_VSI_TYPE:
			if (n < sizeof(struct ifla_port_vsi))
				return fail(err, errlen, "IFLA_PORT_VSI_TYPE of %zu octets", n);
			const struct ifla_port_vsi *v = (const void *)p;
			r->mgr_id = v->vsi_mgr_id;
			/* libvirt and lldpad put the type id's low octet first. */
			r->type_id = (uint32_t)v->vsi_type_id[2] << 16 |
			             (uint32_t)v->vsi_type_id[1] << 8 | v->vsi_type_id[0];
			r->type_ver = v->vsi_type_version;
			break;
		case IFLA_PORT_INSTANCE_UUID:
			if (n != 16)
				return fail(err, errlen, "IFLA_PORT_INSTANCE_UUID of %zu octets",
				            n);
			memcpy(r->uuid, p, 16);
			*uuid = true;
			break;
		case IFLA_PORT_REQUEST:
			if (n < 1)
				return fail(err, errlen, "empty IFLA_PORT_REQUEST");
			if (p[0] > PORTNL_DISASSOCIATE)
				return fail(err, errlen, "IFLA_PORT_REQUEST %u unknown", p[0]);
			r->request = p[0];
			*req = true;
			break;
		default:
			break; /* VF, profile (802.1Qbh), host UUID: not ours */
		}
	}
	return 0;
}

int portnl_parse_setlink(const struct nlmsghdr *nlh, size_t len, struct portnl_req *out, char *err,
                         size_t errlen)
{
	const struct ifinfomsg *ifi = link_head(nlh, len, err, errlen);
	if (!ifi)
		return -1;
	if (nlh->nlmsg_type != RTM_SETLINK)
		return fail(err, errlen, "message type %u, not RTM_SETLINK", nlh->nlmsg_type);
	memset(out, 0, sizeof(*out));
	out->ifindex = ifi->ifi_index;
	bool uuid = false, req = false, ports = false;
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		int rc = 0;
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			rc = get_ifname(a, out->ifname, err, errlen);
			break;
		case IFLA_VFINFO_LIST:
			rc = vfinfo_list(a, out, err, errlen);
			break;
		case IFLA_VF_PORTS: {
			const struct nlattr *port;
			mnl_attr_for_each_nested(port, a)
			{
				if (mnl_attr_get_type(port) != IFLA_VF_PORT)
					continue;
				ports = true;
				if ((rc = port_attrs(port, out, &uuid, &req, err, errlen)) < 0)
					break;
				break; /* libvirt sends one port */
			}
			break;
		}
		case IFLA_PORT_SELF:
			return fail(err, errlen,
			            "IFLA_PORT_SELF: an 802.1Qbh request (for the "
			            "kernel driver), not 802.1Qbg");
		default:
			break;
		}
		if (rc < 0)
			return -1;
	}
	if (!ports)
		return fail(err, errlen, "no IFLA_VF_PORTS / IFLA_VF_PORT");
	if (!uuid)
		return fail(err, errlen, "no IFLA_PORT_INSTANCE_UUID");
	if (!req)
		return fail(err, errlen, "no IFLA_PORT_REQUEST");
	if (out->request != PORTNL_DISASSOCIATE && !out->has_mac)
		return fail(err, errlen, "no IFLA_VF_MAC: the VM's MAC is needed");
	return 0;
}

int portnl_parse_getlink(const struct nlmsghdr *nlh, size_t len, int *ifindex,
                         char ifname[IFNAMSIZ], char *err, size_t errlen)
{
	const struct ifinfomsg *ifi = link_head(nlh, len, err, errlen);
	if (!ifi)
		return -1;
	if (nlh->nlmsg_type != RTM_GETLINK)
		return fail(err, errlen, "message type %u, not RTM_GETLINK", nlh->nlmsg_type);
	*ifindex = ifi->ifi_index;
	ifname[0] = '\0';
	const struct nlattr *a;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		if (mnl_attr_get_type(a) == IFLA_IFNAME && get_ifname(a, ifname, err, errlen) < 0)
			return -1;
	}
	return 0;
}

static struct nlmsghdr *answer_head(uint8_t *buf, size_t cap, const struct nlmsghdr *req,
                                    uint16_t type)
{
	if (cap < MNL_NLMSG_HDRLEN)
		return NULL;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_seq = req->nlmsg_seq;
	nlh->nlmsg_pid = req->nlmsg_pid;
	return nlh;
}

size_t portnl_build_ack(uint8_t *buf, size_t cap, const struct nlmsghdr *req, int error)
{
	size_t need = MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct nlmsgerr));
	if (cap < need)
		return 0;
	struct nlmsghdr *nlh = answer_head(buf, cap, req, NLMSG_ERROR);
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = error;
	e->msg = *req;
	return nlh->nlmsg_len;
}

size_t portnl_build_status(uint8_t *buf, size_t cap, const struct nlmsghdr *req, int ifindex,
                           const struct portnl_status *st, size_t n)
{
	if (cap < MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct ifinfomsg)))
		return 0;
	/* RTM_NEWLINK, as the kernel answers a GETLINK; libvirt also takes
	 * lldpad's NLMSG_DONE. */
	struct nlmsghdr *nlh = answer_head(buf, cap, req, RTM_NEWLINK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	struct nlattr *ports = mnl_attr_nest_start_check(nlh, cap, IFLA_VF_PORTS);
	if (!ports)
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct nlattr *port = mnl_attr_nest_start_check(nlh, cap, IFLA_VF_PORT);
		if (!port ||
		    !mnl_attr_put_check(nlh, cap, IFLA_PORT_INSTANCE_UUID, 16, st[i].uuid) ||
		    !mnl_attr_put_u32_check(nlh, cap, IFLA_PORT_VF, PORT_SELF_VF) ||
		    (st[i].respond &&
		     !mnl_attr_put_u16_check(nlh, cap, IFLA_PORT_RESPONSE, st[i].response)))
			return 0;
		mnl_attr_nest_end(nlh, port);
	}
	mnl_attr_nest_end(nlh, ports);
	return nlh->nlmsg_len;
}
