/* SPDX-License-Identifier: ISC */
/* vdpd: the model of table "bridge vdpd" (netlink.h): what vdpd programmed,
 * read from the kernel once and then kept up to date by each batch, so that
 * finding an object costs a hash lookup, not a dump of the table.  Also the
 * comparison of the model with a fresh read of the kernel (tests, restart
 * reconciliation). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Before the kernel headers: glibc's <net/if.h> must come first. */
#include "array.h"
#include "bytes.h"
#include "hash.h"
#include "kernel/netlink.h"
#include "kernel/nft_rules.h"

#include <libnftnl/common.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

/* A rule's identity: its comment up to " class " (a rate's class is a
 * value, not part of what the rule is). */
static size_t ident_len(const char *comment)
{
	const char *c = strstr(comment, " class ");

	return c ? (size_t)(c - comment) : strlen(comment);
}

static uint32_t rule_hash(const char *key, size_t len)
{
	return hash_fnv(HASH_FNV_INIT, key, len);
}

static uint32_t elem_hash(const struct nft_elem *e)
{
	uint32_t h = hash_fnv(HASH_FNV_INIT, &e->set, 1);

	h = hash_fnv(h, &e->vid, sizeof(e->vid));
	h = hash_fnv(h, &e->group, sizeof(e->group));
	h = hash_fnv(h, e->mac, 6);
	return hash_fnv(h, e->port, strnlen(e->port, sizeof(e->port)));
}

static uint32_t rule_hash_of(const void *p)
{
	const struct nft_rule_ref *r = p;

	return rule_hash(r->comment, ident_len(r->comment));
}

static void **rule_next_of(void *p)
{
	return (void **)&((struct nft_rule_ref *)p)->next;
}

static uint32_t elem_hash_of(const void *p)
{
	return elem_hash(p);
}

static void **elem_next_of(void *p)
{
	return (void **)&((struct nft_elem *)p)->next;
}

/* ---- rules ---- */

static struct nft_rule_ref *rule_new(struct nft_snap *s, const char *chain, const char *comment)
{
	struct nft_rule_ref *r;
	size_t at;

	if (hash_grow((void ***)&s->rb, &s->nrb, s->nrules, rule_hash_of, rule_next_of) < 0 ||
	    !(r = calloc(1, sizeof(*r))))
		return NULL;
	snprintf(r->chain, sizeof(r->chain), "%s", chain);
	snprintf(r->comment, sizeof(r->comment), "%s", comment);
	at = rule_hash_of(r) & (s->nrb - 1);
	r->next = s->rb[at];
	s->rb[at] = r;
	s->nrules++;
	return r;
}

struct nft_rule_ref *nft_snap_rule(struct nft_snap *s, const char *key)
{
	size_t klen = strlen(key);

	if (!s->nrb)
		return NULL;
	for (struct nft_rule_ref *r = s->rb[rule_hash(key, klen) & (s->nrb - 1)]; r; r = r->next)
		if (!r->gone && ident_len(r->comment) == klen && !memcmp(r->comment, key, klen))
			return r;
	return NULL;
}

int nft_snap_pending(struct nft_snap *s, const char *chain, const char *comment, uint32_t id)
{
	struct nft_rule_ref *r;

	if (!(r = rule_new(s, chain, comment)))
		return -ENOMEM;
	r->rule_id = id;
	r->pending_next = s->pending;
	s->pending = r;
	return 0;
}

void nft_snap_unlink(struct nft_snap *s, struct nft_rule_ref *ref)
{
	struct nft_rule_ref **p = &s->rb[rule_hash_of(ref) & (s->nrb - 1)];

	while (*p && *p != ref)
		p = &(*p)->next;
	if (!*p)
		return;
	*p = ref->next;
	s->nrules--;
	/* Kept until the batch ends: pending may still point at it. */
	ref->gone = true;
	ref->next = s->dead;
	s->dead = ref;
}

void nft_snap_committed(struct nft_snap *s)
{
	for (struct nft_rule_ref *r = s->pending; r; r = r->pending_next) {
		if (!r->gone && !r->handle)
			s->stale = true;
		r->rule_id = 0;
	}
	s->pending = NULL;
	while (s->dead) {
		struct nft_rule_ref *r = s->dead;

		s->dead = r->next;
		free(r);
	}
}

static int comment_cb(const struct nftnl_udata *attr, void *data)
{
	char *out = data;

	if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT)
		snprintf(out, sizeof(((struct nft_rule_ref *)0)->comment), "%.*s",
		         (int)nftnl_udata_len(attr), (const char *)nftnl_udata_get(attr));
	return 0;
}

/* chain, handle and comment of a rule message; 0 or -1 */
static int rule_parse(const struct nlmsghdr *nlh, char *chain, size_t ccap, uint64_t *handle,
                      char *comment)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	const void *ud;
	uint32_t udlen = 0;
	int ret = -1;

	comment[0] = 0;
	if (r && nftnl_rule_nlmsg_parse(nlh, r) == 0 && nftnl_rule_get_str(r, NFTNL_RULE_TABLE) &&
	    !strcmp(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), VDPD_NFT_TABLE)) {
		snprintf(chain, ccap, "%s", nftnl_rule_get_str(r, NFTNL_RULE_CHAIN));
		*handle = nftnl_rule_get_u64(r, NFTNL_RULE_HANDLE);
		ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &udlen);
		if (ud)
			nftnl_udata_parse(ud, udlen, comment_cb, comment);
		ret = 0;
	}
	nftnl_rule_free(r);
	return ret;
}

int nft_snap_echo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_snap *s = data;
	char chain[64], comment[128];
	uint64_t handle;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWRULE ||
	    rule_parse(nlh, chain, sizeof(chain), &handle, comment) < 0)
		return MNL_CB_OK;
	/* Two rules may share a comment (an ACL both ways): either may take
	 * either handle, they are deleted together. */
	for (struct nft_rule_ref *r = s->pending; r; r = r->pending_next) {
		if (!r->gone && !r->handle && !strcmp(r->chain, chain) &&
		    !strcmp(r->comment, comment)) {
			r->handle = handle;
			break;
		}
	}
	return MNL_CB_OK;
}

static int snap_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_snap *s = data;
	char chain[64], comment[128];
	uint64_t handle;
	struct nft_rule_ref *r;

	if (rule_parse(nlh, chain, sizeof(chain), &handle, comment) < 0)
		return MNL_CB_OK;
	if (!(r = rule_new(s, chain, comment)))
		return MNL_CB_ERROR;
	r->handle = handle;
	return MNL_CB_OK;
}

/* ---- per-VSI set elements ---- */

static bool elem_eq(const struct nft_elem *a, const struct nft_elem *b)
{
	return a->set == b->set && a->vid == b->vid && a->group == b->group &&
	       !memcmp(a->mac, b->mac, 6) && !strncmp(a->port, b->port, sizeof(a->port));
}

struct nft_elem *nft_snap_elem(struct nft_snap *s, const struct nft_elem *key)
{
	if (!s->neb)
		return NULL;
	for (struct nft_elem *e = s->eb[elem_hash(key) & (s->neb - 1)]; e; e = e->next)
		if (elem_eq(e, key))
			return e;
	return NULL;
}

int nft_snap_elem_put(struct nft_snap *s, const struct nft_elem *key, bool add)
{
	struct nft_elem **p, *e;

	if (add) {
		if (nft_snap_elem(s, key))
			return 0;
		if (hash_grow((void ***)&s->eb, &s->neb, s->nelems, elem_hash_of, elem_next_of) <
		        0 ||
		    !(e = malloc(sizeof(*e))))
			return -ENOMEM;
		*e = *key;
		p = &s->eb[elem_hash(e) & (s->neb - 1)];
		e->next = *p;
		*p = e;
		s->nelems += key->set != NFT_SET_GROUP;
		if (key->set == NFT_SET_ACL)
			nft_snap_group(s, key->vid, key->group, 1);
		return 0;
	}
	if (!s->neb)
		return 0;
	for (p = &s->eb[elem_hash(key) & (s->neb - 1)]; *p; p = &(*p)->next)
		if (elem_eq(*p, key)) {
			e = *p;
			*p = e->next;
			free(e);
			s->nelems -= key->set != NFT_SET_GROUP;
			if (key->set == NFT_SET_ACL)
				nft_snap_group(s, key->vid, key->group, -1);
			return 0;
		}
	return 0;
}

uint32_t nft_snap_group(struct nft_snap *s, uint16_t vid, uint32_t group, int delta)
{
	struct nft_elem key = {.set = NFT_SET_GROUP, .vid = vid, .group = group};
	struct nft_elem *g = nft_snap_elem(s, &key);

	if (!g && delta > 0 && nft_snap_elem_put(s, &key, true) == 0)
		g = nft_snap_elem(s, &key);
	if (!g)
		return 0;
	g->count = delta < 0 && !g->count ? 0 : g->count + (uint32_t)delta;
	if (g->count)
		return g->count;
	nft_snap_elem_put(s, &key, false);
	return 0;
}

void nft_aclset_name(uint16_t vid, uint32_t group, char *buf, size_t cap)
{
	snprintf(buf, cap, "acl_%u_%08x", vid, group);
}

void nft_elem_str(const struct nft_elem *e, char *buf, size_t cap)
{
	static const char *const what[] = {"guard", "guard", "dhcp-block", "dhcp-block", "acl"};
	const uint8_t *m = e->mac;
	size_t n;

	snprintf(buf, cap, "%s %s vid %u mac %02x:%02x:%02x:%02x:%02x:%02x",
	         e->set <= NFT_SET_ACL ? what[e->set] : "?", e->port, e->vid, m[0], m[1], m[2],
	         m[3], m[4], m[5]);
	n = strlen(buf);
	if (e->set == NFT_SET_ACL)
		snprintf(buf + n, cap - n, " h=%08x", e->group);
}

/* Calls fn with the key of each element of a set elements message. */
static int walk_elems(const struct nlmsghdr *nlh, int (*fn)(void *, const uint8_t *, uint32_t),
                      void *arg)
{
	struct nftnl_set *set = nftnl_set_alloc();
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *e;
	int r = MNL_CB_OK;

	if (!set)
		return MNL_CB_ERROR;
	if (nftnl_set_elems_nlmsg_parse(nlh, set) < 0 || !(it = nftnl_set_elems_iter_create(set))) {
		nftnl_set_free(set);
		return MNL_CB_OK;
	}
	for (e = nftnl_set_elems_iter_next(it); e && r == MNL_CB_OK;
	     e = nftnl_set_elems_iter_next(it)) {
		uint32_t len = 0;
		const uint8_t *k = nftnl_set_elem_get(e, NFTNL_SET_ELEM_KEY, &len);

		if (k)
			r = fn(arg, k, len);
	}
	nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(set);
	return r;
}

struct elem_ctx {
	struct nft_snap *s;
	uint8_t set;
	uint16_t vid;   /* NFT_SET_ACL */
	uint32_t group; /* NFT_SET_ACL */
};

/* ifname (16) [. vid (2, padded to 4)] . mac (6, padded to 8) */
static int vsi_elem_key(void *arg, const uint8_t *k, uint32_t len)
{
	struct elem_ctx *c = arg;
	bool anyvid = c->set != NFT_SET_GUARD && c->set != NFT_SET_DHCP;
	struct nft_elem x = {.set = c->set, .vid = c->vid, .group = c->group};

	if (len < (anyvid ? 22U : 26U))
		return MNL_CB_OK;
	memcpy(x.port, k, IFNAMSIZ - 1);
	if (!anyvid)
		x.vid = get_be16(k + IFNAMSIZ);
	memcpy(x.mac, k + IFNAMSIZ + (anyvid ? 0 : 4), 6);
	return nft_snap_elem_put(c->s, &x, true) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int snap_elem_cb(const struct nlmsghdr *nlh, void *data)
{
	return walk_elems(nlh, vsi_elem_key, data);
}

/* ---- VLAN fallback sets ---- */

struct nft_vidset *nft_snap_set(struct nft_snap *s, const char *port)
{
	for (size_t i = 0; i < s->nsets; i++)
		if (!strcmp(s->sets[i].port, port))
			return &s->sets[i];
	return NULL;
}

struct nft_vidset *nft_snap_set_add(struct nft_snap *s, const char *port)
{
	struct nft_vidset *vs;

	if (ARRAY_GROW(s->sets, s->scap, s->nsets + 1) < 0)
		return NULL;
	vs = &s->sets[s->nsets++];
	memset(vs, 0, sizeof(*vs));
	snprintf(vs->port, sizeof(vs->port), "%s", port);
	return vs;
}

bool nft_vidset_has(const struct nft_vidset *vs, uint16_t vid)
{
	for (size_t i = 0; i < vs->n; i++)
		if (vs->vids[i] == vid)
			return true;
	return false;
}

int nft_vidset_put(struct nft_vidset *vs, uint16_t vid, bool add)
{
	if (!add) {
		for (size_t i = 0; i < vs->n; i++)
			if (vs->vids[i] == vid)
				vs->vids[i] = vs->vids[--vs->n];
		return 0;
	}
	if (ARRAY_GROW(vs->vids, vs->cap, vs->n + 1) < 0)
		return -ENOMEM;
	vs->vids[vs->n++] = vid;
	return 0;
}

static int snap_set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nft_snap *s = data;
	struct nftnl_set *set = nftnl_set_alloc();
	const char *name;
	int r = MNL_CB_OK;

	if (!set)
		return MNL_CB_ERROR;
	if (nftnl_set_nlmsg_parse(nlh, set) == 0 &&
	    (name = nftnl_set_get_str(set, NFTNL_SET_NAME))) {
		unsigned vid, group;
		char end;

		for (int i = 0; i < NFT_VSISET_COUNT; i++)
			if (!strcmp(name, nft_vsiset_name(i)))
				s->vsiset[i] = true;
		if (sscanf(name, "acl_%u_%8x%c", &vid, &group, &end) == 2 && vid < 4096) {
			if (ARRAY_GROW(s->aclsets, s->aclcap, s->naclsets + 1) < 0)
				r = MNL_CB_ERROR;
			else
				s->aclsets[s->naclsets++] = (struct nft_elem){
				    .set = NFT_SET_ACL, .vid = (uint16_t)vid, .group = group};
		}
		char port[IFNAMSIZ];
		if (nft_vidset_port(name, port, sizeof(port)) && !nft_snap_set_add(s, port))
			r = MNL_CB_ERROR;
	}
	nftnl_set_free(set);
	return r;
}

static int vid_key(void *arg, const uint8_t *k, uint32_t len)
{
	if (len >= 2 && nft_vidset_put(arg, get_be16(k), true) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static int snap_vids_cb(const struct nlmsghdr *nlh, void *data)
{
	return walk_elems(nlh, vid_key, data);
}

/* ---- reading the table ---- */

static int dump_table(struct nlsock *nf, uint16_t type, const char *set, mnl_cb_t cb, void *data,
                      struct nlans *ans)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = nftnl_nlmsg_build_hdr(buf, type, NFPROTO_BRIDGE, NLM_F_DUMP, 0);
	int r;

	if (type == NFT_MSG_GETRULE) {
		struct nftnl_rule *rl = nftnl_rule_alloc();

		if (!rl)
			return -ENOMEM;
		nftnl_rule_set_str(rl, NFTNL_RULE_TABLE, VDPD_NFT_TABLE);
		nftnl_rule_nlmsg_build_payload(nlh, rl);
		nftnl_rule_free(rl);
	} else {
		struct nftnl_set *s = nftnl_set_alloc();

		if (!s)
			return -ENOMEM;
		nftnl_set_set_str(s, NFTNL_SET_TABLE, VDPD_NFT_TABLE);
		if (set)
			nftnl_set_set_str(s, NFTNL_SET_NAME, set);
		if (type == NFT_MSG_GETSETELEM)
			nftnl_set_elems_nlmsg_build_payload(nlh, s);
		else
			nftnl_set_nlmsg_build_payload(nlh, s);
		nftnl_set_free(s);
	}
	r = nlsock_dump(nf, nlh, cb, data, ans);
	/* No table yet: nothing of ours is there. */
	return r == -ENOENT ? (ans->err = 0, 1) : r;
}

int nft_snap_load(struct nlsock *nf, struct nft_snap *s, struct nlans *ans)
{
	int r;

	nft_snap_free(s);
	r = dump_table(nf, NFT_MSG_GETRULE, NULL, snap_rule_cb, s, ans);
	s->table = r == 0;
	if (r == 1)
		return 0;
	if (!r)
		r = dump_table(nf, NFT_MSG_GETSET, NULL, snap_set_cb, s, ans);
	for (size_t i = 0; r >= 0 && i < s->nsets; i++) {
		char name[NFT_VIDSET_NAME_SIZE];

		nft_vidset_name(s->sets[i].port, name, sizeof(name));
		r = dump_table(nf, NFT_MSG_GETSETELEM, name, snap_vids_cb, &s->sets[i], ans);
	}
	for (int i = 0; r >= 0 && i < NFT_VSISET_COUNT; i++) {
		struct elem_ctx c = {.s = s, .set = (uint8_t)i};

		if (s->vsiset[i])
			r = dump_table(nf, NFT_MSG_GETSETELEM, nft_vsiset_name(i), snap_elem_cb, &c,
			               ans);
	}
	for (size_t i = 0; r >= 0 && i < s->naclsets; i++) {
		struct nft_elem *a = &s->aclsets[i];
		struct elem_ctx c = {.s = s, .set = NFT_SET_ACL, .vid = a->vid, .group = a->group};
		char name[32];

		nft_aclset_name(a->vid, a->group, name, sizeof(name));
		r = dump_table(nf, NFT_MSG_GETSETELEM, name, snap_elem_cb, &c, ans);
	}
	return r < 0 ? r : 0;
}

void nft_snap_free(struct nft_snap *s)
{
	nft_snap_committed(s); /* frees the dead */
	for (size_t i = 0; i < s->nrb; i++)
		while (s->rb[i]) {
			struct nft_rule_ref *r = s->rb[i];

			s->rb[i] = r->next;
			free(r);
		}
	for (size_t i = 0; i < s->neb; i++)
		while (s->eb[i]) {
			struct nft_elem *e = s->eb[i];

			s->eb[i] = e->next;
			free(e);
		}
	for (size_t i = 0; i < s->nsets; i++)
		free(s->sets[i].vids);
	free(s->sets);
	free(s->rb);
	free(s->eb);
	free(s->aclsets);
	memset(s, 0, sizeof(*s));
}

/* ---- model against kernel ---- */

/* Rules with the same chain and comment, in a's bucket of r. */
static size_t rule_count(const struct nft_snap *a, const struct nft_rule_ref *r)
{
	size_t n = 0;

	if (!a->nrb)
		return 0;
	for (const struct nft_rule_ref *x = a->rb[rule_hash_of(r) & (a->nrb - 1)]; x; x = x->next)
		n += !strcmp(x->chain, r->chain) && !strcmp(x->comment, r->comment);
	return n;
}

static size_t diff_side(const struct nft_snap *a, const struct nft_snap *b, const char *side,
                        backend_diff_fn *fn, void *arg)
{
	char t[256];
	size_t n = 0;

	for (size_t i = 0; i < a->nrb; i++)
		for (const struct nft_rule_ref *r = a->rb[i]; r; r = r->next)
			if (rule_count(a, r) > rule_count(b, r)) {
				snprintf(t, sizeof(t), "rule in chain %s: %s", r->chain,
				         r->comment);
				fn(arg, side, t);
				n++;
			}
	for (size_t i = 0; i < a->neb; i++)
		for (const struct nft_elem *e = a->eb[i]; e; e = e->next)
			if (e->set != NFT_SET_GROUP && !nft_snap_elem((struct nft_snap *)b, e)) {
				char set[32];

				if (e->set == NFT_SET_ACL)
					nft_aclset_name(e->vid, e->group, set, sizeof(set));
				else
					snprintf(set, sizeof(set), "%s", nft_vsiset_name(e->set));
				nft_elem_str(e, t, sizeof(t));
				snprintf(t + strlen(t), sizeof(t) - strlen(t), " in set %s", set);
				fn(arg, side, t);
				n++;
			}
	for (size_t i = 0; i < a->nsets; i++) {
		const struct nft_vidset *o = nft_snap_set((struct nft_snap *)b, a->sets[i].port);

		for (size_t j = 0; j < a->sets[i].n; j++)
			if (!o || !nft_vidset_has(o, a->sets[i].vids[j])) {
				char set[NFT_VIDSET_NAME_SIZE];
				nft_vidset_name(a->sets[i].port, set, sizeof(set));
				snprintf(t, sizeof(t), "vid %u in set %s", a->sets[i].vids[j], set);
				fn(arg, side, t);
				n++;
			}
	}
	return n;
}

size_t nft_snap_diff(const struct nft_snap *model, const struct nft_snap *kernel,
                     backend_diff_fn *fn, void *arg)
{
	return diff_side(kernel, model, "kernel has", fn, arg) +
	       diff_side(model, kernel, "model has", fn, arg);
}
