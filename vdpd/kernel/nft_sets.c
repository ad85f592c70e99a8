/* SPDX-License-Identifier: ISC */
/* vdpd: the per-VSI sets of table "bridge vdpd" (netlink.h, enum
 * nft_vsiset): a guard or a DHCP block is one element, so adding a VSI
 * costs one element whatever the size of the table, and a frame is checked
 * by one hash lookup instead of a walk of one rule per VSI.  Each set is
 * declared as `nft` declares "typeof iifname . vlan id . ether saddr", so
 * that `nft list` prints its elements as "p1" . 100 . 02:00:00:00:00:01 and
 * `nft -f` reads the listing back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Before the kernel headers: glibc's <net/if.h> must come first. */
#include "bytes.h"
#include "kernel/netlink.h"
#include "kernel/nft_rules.h"

#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

/* nft's own annotation of the key (NFTNL_UDATA_SET_KEY_TYPEOF: the
 * expressions the key was declared with), taken from nft 1.0.6's
 * "typeof iifname . vlan id . ether saddr" and "typeof iifname . ether
 * saddr". */
static const uint8_t typeof_vid[] = {
    0x00, 0x04, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x42, 0x00, 0x0e, 0x00, 0x04, 0x09, 0x00, 0x00,
    0x00, 0x01, 0x06, 0x00, 0x04, 0x06, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x00, 0x04, 0x07, 0x00,
    0x00, 0x00, 0x01, 0x12, 0x00, 0x04, 0x10, 0x00, 0x00, 0x00, 0x01, 0x04, 0x04, 0x00, 0x00,
    0x00, 0x04, 0x04, 0x0c, 0x00, 0x00, 0x00, 0x02, 0x14, 0x00, 0x04, 0x07, 0x00, 0x00, 0x00,
    0x01, 0x0c, 0x00, 0x04, 0x11, 0x00, 0x00, 0x00, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00,
};
static const uint8_t typeof_any[] = {
    0x00, 0x04, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x26, 0x00, 0x0e, 0x00, 0x04, 0x09, 0x00, 0x00, 0x00,
    0x01, 0x06, 0x00, 0x04, 0x06, 0x00, 0x00, 0x00, 0x01, 0x14, 0x00, 0x04, 0x07, 0x00, 0x00, 0x00,
    0x01, 0x0c, 0x00, 0x04, 0x11, 0x00, 0x00, 0x00, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00,
};

/* nft's key type ids: ifname (41) . integer (7) . ether_addr (9), six bits
 * each; key lengths: 16 + 4 (a vlan id padded) + 8 (a MAC padded). */
#define KEY_TYPE_VID 0x29109U
#define KEY_TYPE_ANY 0xa49U
#define KEY_LEN_VID  28U
#define KEY_LEN_ANY  24U

static const struct {
	const char *name, *comment;
	bool anyvid;
} vsisets[NFT_VSISET_COUNT] = {
    [NFT_SET_GUARD] = {"guards", "guard: frames from this VSI (port . vlan . mac) may enter",
                       false},
    [NFT_SET_GUARD_ANY] = {"guards_anyvid",
                           "guard: frames from this port . mac may enter, any VLAN", true},
    [NFT_SET_DHCP] = {"dhcp_blocks", "dhcp-block: DHCP server replies from this VSI are dropped",
                      false},
    [NFT_SET_DHCP_ANY] = {"dhcp_blocks_anyvid",
                          "dhcp-block: DHCP server replies from this port . mac, any VLAN", true},
};

const char *nft_vsiset_name(enum nft_vsiset set)
{
	return set < NFT_VSISET_COUNT ? vsisets[set].name : "?";
}

/* The set an element is in: its name, and whether its key lacks a vid. */
static const char *elem_set(const struct nft_elem *e, char *buf, size_t cap, bool *anyvid)
{
	if (e->set == NFT_SET_ACL) {
		nft_aclset_name(e->vid, e->group, buf, cap);
		*anyvid = true;
		return buf;
	}
	*anyvid = vsisets[e->set].anyvid;
	return vsisets[e->set].name;
}

static struct nftnl_set *set_of(const struct nft_batch *nb, const char *name)
{
	struct nftnl_set *s = nftnl_set_alloc();

	if (!s)
		return NULL;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, nb->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	return s;
}

int nb_vsiset_add(struct nft_batch *nb, enum nft_vsiset set, long op)
{
	return nb_set_add(nb, vsisets[set].name, vsisets[set].anyvid, vsisets[set].comment, op);
}

int nb_set_del(struct nft_batch *nb, const char *name, long op)
{
	struct nftnl_set *s = set_of(nb, name);
	struct nlmsghdr *nlh = s ? nb_msg(nb, NFT_MSG_DELSET, 0, op) : NULL;

	if (nlh)
		nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return nlh ? nb_next(nb) : -ENOMEM;
}

int nb_set_add(struct nft_batch *nb, const char *name, bool any, const char *comment, long op)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(256);
	struct nftnl_set *s = set_of(nb, name);
	struct nlmsghdr *nlh = NULL;
	uint32_t order = 0; /* host byte order, as nft says for these keys */

	if (s && ud) {
		nftnl_udata_put(ud, NFTNL_UDATA_SET_KEYBYTEORDER, sizeof(order), &order);
		nftnl_udata_put(ud, NFTNL_UDATA_SET_KEY_TYPEOF,
		                any ? sizeof(typeof_any) : sizeof(typeof_vid),
		                any ? typeof_any : typeof_vid);
		nftnl_udata_put_strz(ud, NFTNL_UDATA_SET_COMMENT, comment);
		nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_BRIDGE);
		nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, any ? KEY_TYPE_ANY : KEY_TYPE_VID);
		nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, any ? KEY_LEN_ANY : KEY_LEN_VID);
		nftnl_set_set_u32(s, NFTNL_SET_ID, nb->next_id++);
		nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(ud),
		                   nftnl_udata_buf_len(ud));
		nlh = nb_msg(nb, NFT_MSG_NEWSET, NLM_F_CREATE, op);
	}
	if (nlh)
		nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_udata_buf_free(ud);
	nftnl_set_free(s);
	return nlh ? nb_next(nb) : -ENOMEM;
}

int nb_vsi_elem(struct nft_batch *nb, struct nft_snap *s, const struct nft_elem *e, bool add,
                long op)
{
	bool any;
	struct nftnl_set *set;
	struct nftnl_set_elem *el;
	struct nlmsghdr *nlh;
	uint8_t key[KEY_LEN_VID] = {0};
	char name[32];
	const char *sn = elem_set(e, name, sizeof(name), &any);
	int r;

	/* Adding what is there or deleting what is not: nothing to send (a
	 * delete of an absent element would fail the whole batch). */
	if (add == (nft_snap_elem(s, e) != NULL))
		return 0;
	set = set_of(nb, sn);
	el = nftnl_set_elem_alloc();
	if (!set || !el) {
		nftnl_set_free(set);
		nftnl_set_elem_free(el);
		return -ENOMEM;
	}
	memcpy(key, e->port, strnlen(e->port, IFNAMSIZ - 1));
	if (!any)
		put_be16(key + IFNAMSIZ, e->vid);
	memcpy(key + IFNAMSIZ + (any ? 0 : 4), e->mac, 6);
	nftnl_set_elem_set(el, NFTNL_SET_ELEM_KEY, key, any ? KEY_LEN_ANY : KEY_LEN_VID);
	nftnl_set_elem_add(set, el);
	nlh = nb_msg(nb, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, add ? NLM_F_CREATE : 0, op);
	if (nlh)
		nftnl_set_elems_nlmsg_build_payload(nlh, set);
	nftnl_set_free(set);
	if (!nlh)
		return -ENOMEM;
	if ((r = nft_snap_elem_put(s, e, add)) < 0)
		return r;
	return nb_next(nb);
}
