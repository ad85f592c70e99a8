/* SPDX-License-Identifier: ISC */
/* vdpd: table "bridge vdpd": its chains and sets, and the batch that
 * changes it.
 *
 * Layout (all base chains: type filter, hook forward, policy accept):
 *   chain ctl   priority -300  NCB control frames, DHCP blocks
 *   chain guard priority -250  isolation: per-VSI guards, per-port drop
 *   chain vlans priority -200  VLAN membership when the bridge cannot filter
 *   chain acl   priority 0     per-VSI ACL rules
 *   chain qos   priority 100   per-VSI marks: htb class, from-VM policer, DSCP
 *   set guards, guards_anyvid, dhcp_blocks, dhcp_blocks_anyvid
 *                              per-VSI facts, one element each (netlink.h)
 *   set vids_PORT              allowed VLAN ids of PORT (fallback mode only)
 * Every rule carries a comment that is its identity (see nft_rules.c), so
 * that a restarted daemon reading the table back knows what each rule is.
 *
 * One apply() is one nftables batch: the kernel commits it whole or not at
 * all.  Deleting what is not there fails a batch, so deletions are decided
 * against the model (nft_model.c); added rules are echoed back by the
 * kernel with their handles, which is how the model can delete them later
 * without reading the table again. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Before the kernel headers: glibc's <net/if.h> must come first. */
#include "bytes.h"
#include "array.h"
#include "kernel/netlink.h"
#include "kernel/nft_rules.h"

#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter_bridge.h>
#include <sys/socket.h>

#define BATCH_LIMIT (1U << 20)

static const struct {
	const char *name;
	int prio;
} chains[] = {{"ctl", -300}, {"guard", -250}, {"vlans", -200}, {"acl", 0}, {"qos", 100}};

/* The fallback's chain was named "vlan" before, an nftables keyword that
 * made `nft list ruleset` impossible to read back: flushed and deleted at
 * open, in a batch of its own whose failure (no such chain) is nothing. */
#define OLD_VLAN_CHAIN "vlan"

static bool ident_tail(const char *port)
{
	return port[strspn(
	           port, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")] == 0;
}

void nft_port_object(const char *prefix, const char *port, char *name, size_t cap)
{
	size_t o, pl = strlen(prefix);

	if (ident_tail(port)) {
		snprintf(name, cap, "%s%s", prefix, port);
		return;
	}
	/* "vids_" -> "vidsx_", "qos_in_" -> "qos_inx_": then the octets in hex */
	o = (size_t)snprintf(name, cap, "%.*sx_", (int)(pl ? pl - 1 : 0), prefix);
	for (const unsigned char *p = (const unsigned char *)port; *p && o + 3 <= cap; p++)
		o += (size_t)snprintf(name + o, cap - o, "%02x", *p);
}

void nft_vidset_name(const char *port, char *name, size_t cap)
{
	nft_port_object(NFT_VIDSET_PREFIX, port, name, cap);
}

bool nft_vidset_port(const char *name, char *port, size_t cap)
{
	size_t hp = strlen(NFT_VIDSET_HEX_PREFIX), n;
	const char *hex = name + hp;
	unsigned v;

	if (strncmp(name, NFT_VIDSET_PREFIX, strlen(NFT_VIDSET_PREFIX)) == 0)
		return snprintf(port, cap, "%s", name + strlen(NFT_VIDSET_PREFIX)) < (int)cap;
	if (strncmp(name, NFT_VIDSET_HEX_PREFIX, hp) != 0 || (n = strlen(hex)) % 2 || n / 2 >= cap)
		return false;
	for (size_t i = 0; i < n / 2; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return false;
		port[i] = (char)v;
	}
	port[n / 2] = 0;
	return true;
}

/* ---- the batch ---- */

/* Reserves the current message slot; returns NULL when the batch is full. */
struct nlmsghdr *nb_msg(struct nft_batch *nb, uint16_t type, uint16_t flags, long op)
{
	struct nlmsghdr *nlh;

	if (ARRAY_GROW(nb->opidx, nb->opcap, nb->nmsg + 1) < 0)
		return NULL;
	nlh = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(nb->b), type, NFPROTO_BRIDGE,
	                            flags | NLM_F_ACK, nb->seq0 + nb->nmsg);
	nb->opidx[nb->nmsg] = op;
	return nlh;
}

int nb_next(struct nft_batch *nb)
{
	nb->nmsg++;
	return mnl_nlmsg_batch_next(nb->b) ? 0 : -E2BIG;
}

int nft_batch_start(struct nft_batch *nb, struct nlsock *nf)
{
	memset(nb, 0, sizeof(*nb));
	/* Room past the limit for the message that overflows it. */
	nb->cap = BATCH_LIMIT + 2 * MNL_SOCKET_BUFFER_SIZE;
	nb->buf = malloc(nb->cap);
	if (!nb->buf)
		return -ENOMEM;
	nb->b = mnl_nlmsg_batch_start(nb->buf, BATCH_LIMIT);
	/* Numbering: begin, then our messages from seq0, then end. */
	nb->seq0 = nf->seq + 1;
	nftnl_batch_begin(mnl_nlmsg_batch_current(nb->b), nb->seq0 - 1);
	mnl_nlmsg_batch_next(nb->b);
	nb->next_id = 1;
	nb->table = VDPD_NFT_TABLE;
	return 0;
}

void nft_batch_free(struct nft_batch *nb)
{
	if (nb->b)
		mnl_nlmsg_batch_stop(nb->b);
	free(nb->buf);
	free(nb->opidx);
	memset(nb, 0, sizeof(*nb));
}

int nft_batch_commit(struct nft_batch *nb, struct nlsock *nf, struct nft_snap *s, long *failed_op,
                     struct nlans *ans)
{
	size_t len;
	int r;

	*failed_op = -1;
	ans->err = 0;
	nftnl_batch_end(mnl_nlmsg_batch_current(nb->b), nb->seq0 + nb->nmsg);
	/* Nothing else used nf while the batch was built: take its seqs. */
	nf->seq = nb->seq0 + nb->nmsg + 1;
	mnl_nlmsg_batch_next(nb->b);
	len = mnl_nlmsg_batch_size(nb->b);
	if (len > 200000) {
		/* Past the default socket send buffer: grow it for this one. */
		int sz = (int)len + 4096;

		setsockopt(mnl_socket_get_fd(nf->nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz));
	}
	r = nlsock_talk_cb(nf, mnl_nlmsg_batch_head(nb->b), len, nb->seq0, nb->nmsg,
	                   s ? nft_snap_echo_cb : NULL, s, ans);
	if (r < 0 && ans->seq - nb->seq0 < nb->nmsg)
		*failed_op = nb->opidx[ans->seq - nb->seq0];
	return r;
}

/* ---- table, chains, rules, sets ---- */

static int nb_table(struct nft_batch *nb, uint16_t type, uint16_t flags, long op)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t)
		return -ENOMEM;
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, nb->table);
	nlh = nb_msg(nb, type, flags, op);
	if (!nlh) {
		nftnl_table_free(t);
		return -ENOMEM;
	}
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	return nb_next(nb);
}

static int nb_chain(struct nft_batch *nb, const char *name, int prio, long op)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nb->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
	nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, NF_BR_FORWARD);
	nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	nlh = nb_msg(nb, NFT_MSG_NEWCHAIN, NLM_F_CREATE, op);
	if (!nlh) {
		nftnl_chain_free(c);
		return -ENOMEM;
	}
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return nb_next(nb);
}

int nb_chain_add(struct nft_batch *nb, const char *name, long op)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh = NULL;

	if (c) {
		nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nb->table);
		nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
		nlh = nb_msg(nb, NFT_MSG_NEWCHAIN, NLM_F_CREATE, op);
	}
	if (nlh)
		nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	return nlh ? nb_next(nb) : -ENOMEM;
}

int nft_batch_table(struct nft_batch *nb, long op)
{
	int r = nb_table(nb, NFT_MSG_NEWTABLE, NLM_F_CREATE, op);

	for (size_t i = 0; !r && i < sizeof(chains) / sizeof(chains[0]); i++)
		r = nb_chain(nb, chains[i].name, chains[i].prio, op);
	for (int i = 0; !r && i < NFT_VSISET_COUNT; i++)
		r = nb_vsiset_add(nb, (enum nft_vsiset)i, op);
	return r;
}

int nft_batch_del_table(struct nft_batch *nb, long op)
{
	return nb_table(nb, NFT_MSG_DELTABLE, 0, op);
}

static int rule_add(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r,
                    const char *chain, const char *comment, long op, uint16_t where);

int nb_rule_add(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r, const char *chain,
                const char *comment, long op)
{
	return rule_add(nb, s, r, chain, comment, op, NLM_F_APPEND);
}

/* At the head of the chain: before the chain's catch-all rules. */
int nb_rule_insert(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r,
                   const char *chain, const char *comment, long op)
{
	return rule_add(nb, s, r, chain, comment, op, 0);
}

static int rule_add(struct nft_batch *nb, struct nft_snap *s, struct nftnl_rule *r,
                    const char *chain, const char *comment, long op, uint16_t where)
{
	struct nftnl_udata_buf *ud = nftnl_udata_buf_alloc(256);
	struct nlmsghdr *nlh;
	uint32_t id = nb->next_id++;

	if (!ud)
		return -ENOMEM;
	if (s && nft_snap_pending(s, chain, comment, id) < 0) {
		nftnl_udata_buf_free(ud);
		return -ENOMEM;
	}
	nftnl_rule_set_u32(r, NFTNL_RULE_ID, id);
	nftnl_udata_put_strz(ud, NFTNL_UDATA_RULE_COMMENT, comment);
	nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(ud),
	                    nftnl_udata_buf_len(ud));
	nftnl_udata_buf_free(ud);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, nb->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	/* Echoed back with its handle, which the model keeps. */
	nlh = nb_msg(nb, NFT_MSG_NEWRULE, NLM_F_CREATE | where | (s ? NLM_F_ECHO : 0), op);
	if (!nlh)
		return -ENOMEM;
	nftnl_rule_nlmsg_build_payload(nlh, r);
	return nb_next(nb);
}

int nb_rule_del(struct nft_batch *nb, struct nft_snap *s, struct nft_rule_ref *ref, long op)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!r)
		return -ENOMEM;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, nb->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, ref->chain);
	if (ref->rule_id)
		nftnl_rule_set_u32(r, NFTNL_RULE_ID, ref->rule_id);
	else
		nftnl_rule_set_u64(r, NFTNL_RULE_HANDLE, ref->handle);
	nlh = nb_msg(nb, NFT_MSG_DELRULE, 0, op);
	if (!nlh) {
		nftnl_rule_free(r);
		return -ENOMEM;
	}
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nft_snap_unlink(s, ref);
	return nb_next(nb);
}

/* nft's own annotation of a "typeof vlan id" set (key byte order, then the
 * expression the key was declared with): with it, `nft list` prints the
 * elements as VLAN ids and the set as "typeof vlan id". */
static const uint8_t vidset_udata[] = {
    0x00, 0x04, 0x02, 0x00, 0x00, 0x00, 0x03, 0x1a, 0x00, 0x04, 0x07, 0x00,
    0x00, 0x00, 0x01, 0x12, 0x00, 0x04, 0x10, 0x00, 0x00, 0x00, 0x01, 0x04,
    0x04, 0x00, 0x00, 0x00, 0x04, 0x04, 0x0c, 0x00, 0x00, 0x00,
};

static struct nftnl_set *vidset(const char *port)
{
	struct nftnl_set *s = nftnl_set_alloc();
	char name[NFT_VIDSET_NAME_SIZE];

	if (!s)
		return NULL;
	nft_vidset_name(port, name, sizeof(name));
	nftnl_set_set_str(s, NFTNL_SET_TABLE, VDPD_NFT_TABLE);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	return s;
}

int nb_vidset_add(struct nft_batch *nb, const char *port, uint32_t *set_id, long op)
{
	struct nftnl_set *s = vidset(port);
	struct nlmsghdr *nlh;

	if (!s)
		return -ENOMEM;
	*set_id = nb->next_id++;
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_BRIDGE);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, 4); /* nft's "integer" */
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, 2);
	nftnl_set_set_u32(s, NFTNL_SET_ID, *set_id);
	nftnl_set_set_data(s, NFTNL_SET_USERDATA, vidset_udata, sizeof(vidset_udata));
	nlh = nb_msg(nb, NFT_MSG_NEWSET, NLM_F_CREATE, op);
	if (!nlh) {
		nftnl_set_free(s);
		return -ENOMEM;
	}
	nftnl_set_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return nb_next(nb);
}

int nb_vidset_elem(struct nft_batch *nb, const char *port, uint16_t vid, bool add, long op)
{
	struct nftnl_set *s = vidset(port);
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	uint8_t key[2];
	struct nlmsghdr *nlh;

	if (!s || !e) {
		nftnl_set_free(s);
		nftnl_set_elem_free(e);
		return -ENOMEM;
	}
	put_be16(key, vid);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, key, sizeof(key));
	nftnl_set_elem_add(s, e);
	nlh = nb_msg(nb, add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, add ? NLM_F_CREATE : 0, op);
	if (!nlh) {
		nftnl_set_free(s);
		return -ENOMEM;
	}
	nftnl_set_elems_nlmsg_build_payload(nlh, s);
	nftnl_set_free(s);
	return nb_next(nb);
}

/* ---- probe ---- */

int nft_probe(struct nlsock *nf, bool with_limit, struct nlans *ans)
{
	struct nft_batch nb;
	long failed;
	int r = nft_batch_start(&nb, nf);

	if (r < 0)
		return ans->err = r;
	/* A throwaway table created, given a base chain, and deleted in the
	 * same transaction: the kernel checks it all and keeps nothing. */
	nb.table = "vdpd_probe";
	r = nb_table(&nb, NFT_MSG_NEWTABLE, NLM_F_CREATE, 0);
	if (!r)
		r = nb_chain(&nb, "probe", 0, 0);
	if (!r && with_limit)
		r = nft_rules_probe_limit(&nb, "probe");
	if (!r)
		r = nb_table(&nb, NFT_MSG_DELTABLE, 0, 0);
	if (!r)
		r = nft_batch_commit(&nb, nf, NULL, &failed, ans);
	else
		ans->err = r;
	nft_batch_free(&nb);
	return r;
}

int nft_drop_old_chains(struct nlsock *nf)
{
	struct nft_batch b;
	struct nlans ans;
	long at;
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;
	int rc = -ENOMEM;

	if (!r || !c || nft_batch_start(&b, nf) < 0)
		goto out;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, b.table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, OLD_VLAN_CHAIN);
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, b.table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, OLD_VLAN_CHAIN);
	if ((nlh = nb_msg(&b, NFT_MSG_DELRULE, 0, -1))) {
		nftnl_rule_nlmsg_build_payload(nlh, r);
		rc = nb_next(&b);
	}
	if (!rc && (nlh = nb_msg(&b, NFT_MSG_DELCHAIN, 0, -1))) {
		nftnl_chain_nlmsg_build_payload(nlh, c);
		rc = nb_next(&b);
	}
	if (!rc)
		rc = nft_batch_commit(&b, nf, NULL, &at, &ans);
	nft_batch_free(&b);
out:
	nftnl_rule_free(r);
	nftnl_chain_free(c);
	return rc;
}
