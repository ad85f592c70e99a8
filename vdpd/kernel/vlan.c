/* SPDX-License-Identifier: ISC */
/* vdpd: bridge links and port VLAN membership over rtnetlink, the requests
 * `ip link` and `bridge vlan` send:
 *   port VLAN add/del  RTM_SETLINK / RTM_DELLINK, family AF_BRIDGE, on the
 *                      port, IFLA_AF_SPEC { IFLA_BRIDGE_VLAN_INFO }
 *   VLAN read-back     RTM_GETLINK dump, AF_BRIDGE, IFLA_EXT_MASK
 *                      RTEXT_FILTER_BRVLAN (one entry per vid)
 *   vlan_filtering     RTM_NEWLINK IFLA_LINKINFO { "bridge",
 *                      IFLA_INFO_DATA { IFLA_BR_VLAN_FILTERING } }
 * Built with libmnl so that each request's kernel error comes back with its
 * extack text (nlsock.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "array.h"
#include "kernel/netlink.h"

static struct nlmsghdr *link_msg(char *buf, uint16_t type, uint16_t flags, uint8_t family,
                                 int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = family;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* ---- one link: index, master, kind, vlan_filtering ---- */

static int info_data_cb(const struct nlattr *a, void *data)
{
	struct rtlink *l = data;

	if (mnl_attr_get_type(a) == IFLA_BR_VLAN_FILTERING &&
	    mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
		l->vlan_filtering = mnl_attr_get_u8(a);
	return MNL_CB_OK;
}

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct rtlink *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_INFO_KIND:
		if (mnl_attr_validate(a, MNL_TYPE_STRING) >= 0)
			snprintf(l->kind, sizeof(l->kind), "%.*s", (int)mnl_attr_get_payload_len(a),
			         (const char *)mnl_attr_get_payload(a));
		break;
	case IFLA_INFO_DATA:
		mnl_attr_parse_nested(a, info_data_cb, l);
		break;
	}
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct rtlink *l = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_MASTER:
		if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
			l->master = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_cb, l);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtlink *l = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	l->ifindex = ifi->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, l);
}

int rtlink_get(struct nlsock *rt, const char *name, struct rtlink *out, struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], rb[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, AF_UNSPEC, 0);
	ssize_t n;

	memset(out, 0, sizeof(*out));
	out->vlan_filtering = -1;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	nlh->nlmsg_seq = nlsock_seq(rt, 1);
	ans->err = 0;
	ans->ext[0] = 0;
	if (mnl_socket_sendto(rt->nl, nlh, nlh->nlmsg_len) < 0)
		return ans->err = -errno;
	/* A GETLINK answers with the link or with an error, never both. */
	n = mnl_socket_recvfrom(rt->nl, rb, sizeof(rb));
	if (n < 0)
		return ans->err = -errno;
	if (mnl_cb_run(rb, (size_t)n, nlh->nlmsg_seq, rt->portid, link_cb, out) < 0)
		return ans->err = -errno;
	return 0;
}

/* ---- create / configure / delete a bridge ---- */

static void put_bridge_linkinfo(struct nlmsghdr *nlh, int vlan_filtering)
{
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);

	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	if (vlan_filtering >= 0) {
		struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);

		mnl_attr_put_u8(nlh, IFLA_BR_VLAN_FILTERING, (uint8_t)vlan_filtering);
		mnl_attr_nest_end(nlh, d);
	}
	mnl_attr_nest_end(nlh, li);
}

int rtlink_bridge_create(struct nlsock *rt, const char *name, struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, AF_UNSPEC, 0);

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	put_bridge_linkinfo(nlh, -1);
	return nlsock_request(rt, nlh, ans);
}

int rtlink_bridge_set_filtering(struct nlsock *rt, int ifindex, bool on, struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, AF_UNSPEC, ifindex);

	put_bridge_linkinfo(nlh, on);
	return nlsock_request(rt, nlh, ans);
}

int rtlink_del(struct nlsock *rt, int ifindex, struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return nlsock_request(rt, link_msg(buf, RTM_DELLINK, 0, AF_UNSPEC, ifindex), ans);
}

/* ---- port VLANs ---- */

int rtlink_vlan(struct nlsock *rt, int ifindex, bool add, uint16_t vid, uint16_t flags,
                struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh =
	    link_msg(buf, add ? RTM_SETLINK : RTM_DELLINK, 0, AF_BRIDGE, ifindex);
	struct bridge_vlan_info vi = {.flags = flags, .vid = vid};
	struct nlattr *spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);

	/* No IFLA_BRIDGE_FLAGS: the request is for the port's master (the
	 * bridge), as `bridge vlan add dev PORT vid V` sends it. */
	mnl_attr_put(nlh, IFLA_BRIDGE_VLAN_INFO, sizeof(vi), &vi);
	mnl_attr_nest_end(nlh, spec);
	return nlsock_request(rt, nlh, ans);
}

struct vlan_walk {
	struct vlan_tab *t;
	int ifindex;
	int err;
};

static int vlan_info_cb(const struct nlattr *a, void *data)
{
	struct vlan_walk *w = data;
	const struct bridge_vlan_info *vi;

	if (mnl_attr_get_type(a) != IFLA_BRIDGE_VLAN_INFO ||
	    mnl_attr_get_payload_len(a) < sizeof(*vi))
		return MNL_CB_OK;
	vi = mnl_attr_get_payload(a);
	if (vlan_tab_add(w->t, w->ifindex, vi->vid, vi->flags) < 0) {
		w->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int vlan_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_AF_SPEC)
		return mnl_attr_parse_nested(a, vlan_info_cb, data);
	return MNL_CB_OK;
}

static int vlan_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct vlan_walk *w = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	w->ifindex = ifi->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifi), vlan_attr_cb, w);
}

int vlan_tab_load(struct nlsock *rt, struct vlan_tab *t, struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, AF_BRIDGE, 0);
	struct vlan_walk w = {.t = t};
	int r;

	t->n = 0;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_BRVLAN);
	r = nlsock_dump(rt, nlh, vlan_link_cb, &w, ans);
	return w.err ? w.err : r;
}

struct vlan_ent *vlan_tab_find(struct vlan_tab *t, int ifindex, uint16_t vid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].ifindex == ifindex && t->v[i].vid == vid)
			return &t->v[i];
	return NULL;
}

int vlan_tab_add(struct vlan_tab *t, int ifindex, uint16_t vid, uint16_t flags)
{
	if (ARRAY_GROW(t->v, t->cap, t->n + 1) < 0)
		return -ENOMEM;
	t->v[t->n++] = (struct vlan_ent){.ifindex = ifindex, .vid = vid, .flags = flags};
	return 0;
}

void vlan_tab_remove(struct vlan_tab *t, struct vlan_ent *e)
{
	*e = t->v[--t->n];
}

void vlan_tab_free(struct vlan_tab *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
