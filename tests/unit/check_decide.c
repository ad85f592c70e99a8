/* SPDX-License-Identifier: ISC */
/* Unit tests of vdpd's decisions: VDPDUs in, response bytes and kernel
 * operations out, with the recording backend standing in for the kernel.
 * The real backend is tested against real kernels in tests/kernel and
 * tests/integration. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/vdpd.h"

static struct vdpd d;
static size_t ops_seen;  /* record log entries already looked at */
static bool show_guards; /* new_ops() leaves isolation guards out unless set */

/* Unsolicited De-Associates the daemon sends. */
static struct {
	unsigned n;
	unsigned port[8];
	struct vdp_vsi vsi[8];
} sent;

static void capture_send(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	(void)arg;
	struct vdp_mgrid m;
	int a = vdp_mgrid_decode(pdu, len, &m);
	ck_assert_int_eq(a, 18);
	ck_assert_uint_lt(sent.n, 8);
	sent.port[sent.n] = port;
	ck_assert_int_gt(vdp_vsi_decode(pdu + a, len - (size_t)a, &sent.vsi[sent.n]), 0);
	sent.n++;
}

static void base_conf(struct conf *c)
{
	conf_defaults(c);
	snprintf(c->bridge, sizeof(c->bridge), "br0");
	c->nports = 2;
	snprintf(c->ports[0].name, IFNAMSIZ, "p0");
	snprintf(c->ports[1].name, IFNAMSIZ, "p1");
	c->ports[0].max_vsis = c->ports[1].max_vsis = 4;
	c->ports[0].bandwidth_kbps = 100000;
	c->nranges = 1;
	c->pool[0] = (struct conf_range){100, 103};
	c->nreserved = 1;
	c->reserved[0] = 102; /* the pool gives out 100, 101, 103 */
	c->nuplinks = 1;
	snprintf(c->uplinks[0], IFNAMSIZ, "up0");
	/* The device's own rule: nothing may reach 192.0.2.0/24 on TCP 23. */
	c->ndevice_acls = 1;
	struct vdp_pol_acl *a = &c->device_acls[0];
	a->action = VDP_ACL_DENY;
	a->dir = VDP_DIR_BOTH;
	a->ip_proto = 6;
	a->dst.family = 4;
	a->dst.plen = 24;
	memcpy(a->dst.addr, (uint8_t[]){192, 0, 2, 0}, 4);
	a->dport_lo = a->dport_hi = 23;
}

static void start_with(const struct conf *c)
{
	char err[256];
	show_guards = false;
	memset(&sent, 0, sizeof(sent));
	ops_seen = 0;
	ck_assert_msg(vdpd_init(&d, c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
	d.send = capture_send;
}

static void setup(void)
{
	struct conf c;
	base_conf(&c);
	start_with(&c);
}

static void teardown(void)
{
	vdpd_fini(&d);
}

/* --- building requests ------------------------------------------------ */

static void vsi_req(struct vdp_vsi *v, uint8_t type, uint32_t vnid, uint8_t id, uint16_t vid)
{
	memset(v, 0, sizeof(*v));
	v->type = type;
	v->type_id = vnid;
	v->type_ver = 0;
	v->vsiid_fmt = VDP_VSIID_UUID;
	v->vsiid[15] = id;
	v->filter_fmt = VDP_FILTER_MAC_VID;
	v->nfilters = 1;
	memcpy(v->filters[0].mac, (uint8_t[]){0x52, 0x54, 0, 0, 0, id}, 6);
	v->filters[0].vid = vid;
}

static size_t pdu_with(uint8_t *buf, size_t cap, int (*enc)(const void *, uint8_t *, size_t),
                       const void *tlv)
{
	struct vdp_mgrid m = {.id = "mgr"};
	int a = vdp_mgrid_encode(&m, buf, cap);
	int b = enc(tlv, buf + a, cap - (size_t)a);
	ck_assert_int_gt(b, 0);
	return (size_t)(a + b);
}

static int enc_vsi(const void *t, uint8_t *b, size_t c)
{
	return vdp_vsi_encode(t, b, c);
}

static int enc_pol(const void *t, uint8_t *b, size_t c)
{
	return vdp_policy_encode(t, b, c);
}

static uint64_t now_ns = 1000000000ull;

/* Sends a VSI request on port; returns the response TLV decoded. */
static void send_vsi(unsigned port, const struct vdp_vsi *req, struct vdp_vsi *resp)
{
	uint8_t pdu[600], out[1500];
	size_t len = pdu_with(pdu, sizeof(pdu), enc_vsi, req);
	size_t n = vdpd_handle_pdu(&d, port, pdu, len, now_ns, out, sizeof(out));
	ck_assert_uint_gt(n, 18);
	struct vdp_mgrid m;
	ck_assert_int_eq(vdp_mgrid_decode(out, n, &m), 18);
	ck_assert_str_eq((char *)m.id, "mgr");
	ck_assert_int_eq(vdp_vsi_decode(out + 18, n - 18, resp), (int)(n - 18));
	ck_assert_uint_eq(resp->type, req->type);
	ck_assert(resp->status & VDP_RESP);
}

static uint8_t send_policy(unsigned port, const struct vdp_policy *req)
{
	uint8_t pdu[600], out[1500];
	static struct vdp_policy resp;
	size_t len = pdu_with(pdu, sizeof(pdu), enc_pol, req);
	size_t n = vdpd_handle_pdu(&d, port, pdu, len, now_ns, out, sizeof(out));
	ck_assert_uint_gt(n, 18);
	ck_assert_int_eq(vdp_policy_decode(out + 18, n - 18, &resp), (int)(n - 18));
	ck_assert_uint_eq(resp.vnid, req->vnid);
	ck_assert(resp.status & VDP_RESP);
	return resp.status;
}

/* " vnid N" is only for logs: drop it so expectations stay short (the
 * VNID of ops is checked in vid0_gets_lowest_free_and_skips_reserved). */
static void strip_vnid(char *line)
{
	char *p = strstr(line, " vnid ");
	if (!p)
		return;
	char *end = p + 6;
	while (*end >= '0' && *end <= '9')
		end++;
	memmove(p, end, strlen(end) + 1);
}

/* The ops recorded since the last call, formatted one per line. */
static const char *new_ops(void)
{
	static char buf[4096];
	size_t n, o = 0;
	const struct kop *ops = backend_record_ops_log(&d.be, &n);
	buf[0] = 0;
	for (size_t i = ops_seen; i < n; i++) {
		char line[256];
		if (!show_guards && (ops[i].kind == KOP_GUARD_ADD || ops[i].kind == KOP_GUARD_DEL))
			continue;
		kop_format(&ops[i], line, sizeof(line));
		strip_vnid(line);
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s", o ? "\n" : "", line);
	}
	ops_seen = n;
	return buf;
}

static uint16_t assoc(unsigned port, uint32_t vnid, uint8_t id, uint16_t vid, uint8_t *status)
{
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_ASSOC, vnid, id, vid);
	send_vsi(port, &req, &resp);
	*status = resp.status;
	return resp.filters[0].vid;
}

static void policy(struct vdp_policy *p, uint8_t type, uint32_t vnid)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->vnid = vnid;
}

static struct vdp_policy_entry *add_entry(struct vdp_policy *p, uint8_t type)
{
	struct vdp_policy_entry *e = &p->entries[p->nentries++];
	e->type = type;
	return e;
}

static void add_bw(struct vdp_policy *p, uint32_t kbps)
{
	struct vdp_policy_entry *e = add_entry(p, VDP_POL_BANDWIDTH);
	e->u.bw.dir = VDP_DIR_TO_VM;
	e->u.bw.rate_kbps = kbps;
}

static void add_acl(struct vdp_policy *p, uint8_t action, uint16_t dport)
{
	struct vdp_policy_entry *e = add_entry(p, VDP_POL_ACL);
	e->u.acl.action = action;
	e->u.acl.dir = VDP_DIR_BOTH;
	e->u.acl.ip_proto = 6;
	e->u.acl.dport_lo = e->u.acl.dport_hi = dport;
}

/* --- VLAN on demand: VLAN on demand ---------------------------------------- */

START_TEST(vid0_gets_lowest_free_and_skips_reserved)
{
	uint8_t st;
	ck_assert_uint_eq(assoc(0, 10, 1, 0, &st), 100);
	ck_assert_uint_eq(st, VDP_RESP);
	size_t n;
	const struct kop *ops = backend_record_ops_log(&d.be, &n);
	ck_assert_uint_eq(n, 3); /* port VLAN, uplink VLAN, guard */
	ck_assert_uint_eq(ops[0].vnid, 10);
	ck_assert_uint_eq(ops[1].vnid, 10);
	ck_assert_str_eq(new_ops(), "vlan-add p0 vid 100\nvlan-add up0 vid 100");
	ck_assert_uint_eq(assoc(0, 20, 2, 0, &st), 101);
	ck_assert_uint_eq(assoc(1, 30, 3, 0, &st), 103); /* 102 is reserved */
	ck_assert_str_eq(new_ops(), "vlan-add p0 vid 101\nvlan-add up0 vid 101\n"
	                            "vlan-add p1 vid 103\nvlan-add up0 vid 103");
	/* Same VNID, another VSI: the same VLAN, the port is already a member. */
	ck_assert_uint_eq(assoc(0, 10, 4, 0, &st), 100);
	ck_assert_str_eq(new_ops(), "");
}
END_TEST

START_TEST(pool_exhausted_is_error_2_and_changes_nothing)
{
	uint8_t st;
	/* p0 takes two (its share of three, check_fairness.c), p1 the last. */
	assoc(0, 10, 1, 0, &st);
	assoc(0, 20, 2, 0, &st);
	assoc(1, 30, 3, 0, &st);
	new_ops();
	assoc(1, 40, 4, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP | VDP_ST_INSUFFICIENT_RESOURCES);
	ck_assert_str_eq(new_ops(), "");
	ck_assert_ptr_null(vdpd_vnid_find(&d, 40));
	ck_assert_uint_eq(d.counters[REASON_POOL_EXHAUSTED], 1);
}
END_TEST

START_TEST(explicit_vid_checks_pool_and_owner)
{
	uint8_t st;
	ck_assert_uint_eq(assoc(0, 10, 1, 101, &st), 101);
	ck_assert_uint_eq(st, VDP_RESP);
	/* Owned by VNID 10: error 5, permanent. */
	assoc(0, 20, 2, 101, &st);
	ck_assert_uint_eq(st, VDP_RESP | VDP_RESP_HARD | VDP_ST_INVALID_VID);
	/* Outside the pool, and reserved. */
	assoc(0, 20, 2, 200, &st);
	ck_assert_uint_eq(st & VDP_STATUS_ERR_MASK, VDP_ST_INVALID_VID);
	assoc(0, 20, 2, 102, &st);
	ck_assert_uint_eq(st & VDP_STATUS_ERR_MASK, VDP_ST_INVALID_VID);
	ck_assert_uint_eq(d.counters[REASON_VID_OWNED], 1);
	ck_assert_uint_eq(d.counters[REASON_VID_OUTSIDE_POOL], 2);
	/* VID 0 for VNID 20 now takes the lowest free: 100. */
	ck_assert_uint_eq(assoc(0, 20, 2, 0, &st), 100);
}
END_TEST

START_TEST(vlan_released_with_last_vsi)
{
	uint8_t st;
	struct vdp_vsi req, resp;
	assoc(0, 10, 1, 0, &st);
	assoc(1, 10, 2, 0, &st);
	new_ops();
	vsi_req(&req, VDP_TLV_DEASSOC, 10, 1, 0);
	send_vsi(0, &req, &resp);
	ck_assert_uint_eq(resp.status, VDP_RESP);
	ck_assert_uint_eq(resp.filters[0].vid, 100);        /* the VID it had */
	ck_assert_str_eq(new_ops(), "vlan-del p0 vid 100"); /* uplink still needed */
	vsi_req(&req, VDP_TLV_DEASSOC, 10, 2, 0);
	send_vsi(1, &req, &resp);
	ck_assert_str_eq(new_ops(), "vlan-del p1 vid 100\nvlan-del up0 vid 100");
	ck_assert_ptr_null(vdpd_vnid_find(&d, 10));
	/* 100 is free again. */
	ck_assert_uint_eq(assoc(0, 50, 3, 0, &st), 100);
}
END_TEST

/* --- VDP bridge role -------------------------------------------------- */

START_TEST(guards_follow_vsis)
{
	/* Isolation: each enabled VSI's (port, VLAN, MAC) is let into the
	 * bridge; nothing else from a served port is. */
	show_guards = true;
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	ck_assert_str_eq(new_ops(), "vlan-add p0 vid 100\nvlan-add up0 vid 100\n"
	                            "guard-add p0 vid 100 mac 52:54:00:00:00:01");
	assoc(1, 10, 1, 0, &st); /* moves to p1 */
	ck_assert_str_eq(new_ops(), "guard-del p0 vid 100 mac 52:54:00:00:00:01\n"
	                            "vlan-del p0 vid 100\nvlan-add p1 vid 100\n"
	                            "guard-add p1 vid 100 mac 52:54:00:00:00:01");
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_DEASSOC, 10, 1, 0);
	send_vsi(1, &req, &resp);
	ck_assert_str_eq(new_ops(), "guard-del p1 vid 100 mac 52:54:00:00:00:01\n"
	                            "vlan-del p1 vid 100\nvlan-del up0 vid 100");
}
END_TEST

START_TEST(keepalive_refresh_programs_nothing)
{
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	new_ops();
	now_ns += 5000000000ull;
	assoc(0, 10, 1, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP);
	ck_assert_str_eq(new_ops(), "");
	struct vsi *v = vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 1});
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->deadline_ns, now_ns + vsi_keepalive_ns(&d.ports[0].evb));
}
END_TEST

START_TEST(keepalive_timeout_deassociates_and_notifies)
{
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	new_ops();
	uint64_t ka = vsi_keepalive_ns(&d.ports[0].evb);
	/* R=3 RTE=8 RKA=20: 1.5 * (7 * 256 + 1048576) * 10 us = 15.755 s */
	ck_assert_uint_eq(ka, 15755520000ull);
	ck_assert_uint_eq(vsi_expire(&d, now_ns + ka - 1), 0);
	ck_assert_uint_eq(vsi_expire(&d, now_ns + ka), 1);
	ck_assert_str_eq(new_ops(), "vlan-del p0 vid 100\nvlan-del up0 vid 100");
	ck_assert_uint_eq(sent.n, 1);
	ck_assert_uint_eq(sent.port[0], 0);
	ck_assert_uint_eq(sent.vsi[0].type, VDP_TLV_DEASSOC);
	ck_assert_uint_eq(sent.vsi[0].status, 0); /* unsolicited: no response bit */
	ck_assert_uint_eq(sent.vsi[0].vsiid[15], 1);
	ck_assert_uint_eq(sent.vsi[0].filters[0].vid, 100);
	ck_assert_uint_eq(d.counters[REASON_KEEPALIVE], 1);
	ck_assert_uint_eq(d.ports[0].nvsis, 0);
}
END_TEST

START_TEST(preassoc_reserves_without_programming)
{
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_PREASSOC_RR, 10, 1, 0);
	send_vsi(0, &req, &resp);
	ck_assert_uint_eq(resp.status, VDP_RESP);
	ck_assert_uint_eq(resp.filters[0].vid, 100);
	ck_assert_str_eq(new_ops(), "");
	struct vnid *n = vdpd_vnid_find(&d, 10);
	ck_assert_uint_eq(n->nmembers, 1);
	ck_assert_uint_eq(n->nenabled, 0);
	/* The VLAN is reserved: another VNID gets the next one. */
	uint8_t st;
	ck_assert_uint_eq(assoc(1, 20, 2, 0, &st), 101);
	new_ops();
	/* Associate enables it. */
	ck_assert_uint_eq(assoc(0, 10, 1, 0, &st), 100);
	ck_assert_str_eq(new_ops(), "vlan-add p0 vid 100\nvlan-add up0 vid 100");
	ck_assert_uint_eq(n->nenabled, 1);
}
END_TEST

START_TEST(move_to_another_port)
{
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	new_ops();
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_ASSOC, 10, 1, 0);
	req.status = VDP_REQ_M;
	send_vsi(1, &req, &resp);
	ck_assert_uint_eq(resp.status, VDP_RESP);
	/* Old port's state goes, the uplink keeps the VLAN (no blink). */
	ck_assert_str_eq(new_ops(), "vlan-del p0 vid 100\nvlan-add p1 vid 100");
	struct vsi *v = vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 1});
	ck_assert_uint_eq(v->port, 1);
	ck_assert(v->migrated);
	ck_assert_uint_eq(d.ports[0].nvsis, 0);
	ck_assert_uint_eq(d.ports[1].nvsis, 1);
	/* The migration's source de-associates afterwards: ignored. */
	vsi_req(&req, VDP_TLV_DEASSOC, 10, 1, 0);
	send_vsi(0, &req, &resp);
	ck_assert_uint_eq(resp.status, VDP_RESP);
	ck_assert_str_eq(new_ops(), "");
	ck_assert_ptr_nonnull(vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 1}));
}
END_TEST

START_TEST(port_limit_is_error_2)
{
	uint8_t st;
	for (uint8_t i = 1; i <= 4; i++) {
		assoc(0, 10, i, 0, &st);
		ck_assert_uint_eq(st, VDP_RESP);
	}
	assoc(0, 10, 5, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP | VDP_ST_INSUFFICIENT_RESOURCES);
	ck_assert_uint_eq(d.ports[0].counters[REASON_PORT_LIMIT], 1);
	/* A refresh of an existing VSI is not a new one. */
	assoc(0, 10, 4, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP);
}
END_TEST

START_TEST(kernel_failure_keeps_previous_state)
{
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	new_ops();
	/* Moving to p1 fails in the kernel: KEEP, still on p0. */
	backend_record_fail_at(&d.be, 1, -95);
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_ASSOC, 10, 1, 0);
	send_vsi(1, &req, &resp);
	ck_assert_uint_eq(resp.status, VDP_RESP | VDP_RESP_KEEP | VDP_ST_OTHER_FAILURE);
	struct vsi *v = vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = 1});
	ck_assert_uint_eq(v->port, 0);
	ck_assert_uint_eq(d.ports[0].nvsis, 1);
	ck_assert_uint_eq(d.ports[1].nvsis, 0);
	ck_assert_uint_eq(d.counters[REASON_KERNEL], 1);
	/* A failed first VSI leaves no VNID and no VLAN behind. */
	backend_record_fail_at(&d.be, 0, -95);
	assoc(0, 20, 2, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP | VDP_ST_OTHER_FAILURE);
	ck_assert_ptr_null(vdpd_vnid_find(&d, 20));
	ck_assert_uint_eq(assoc(0, 30, 3, 0, &st), 101);
}
END_TEST

START_TEST(bad_filters_refused)
{
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_ASSOC, 10, 1, 0);
	req.filters[0].mac[0] = 0x01; /* multicast */
	send_vsi(0, &req, &resp);
	ck_assert_uint_eq(resp.status & VDP_STATUS_ERR_MASK, VDP_ST_INVALID_VID);
	vsi_req(&req, VDP_TLV_ASSOC, 10, 1, 0);
	req.nfilters = 2;
	memcpy(req.filters[1].mac, (uint8_t[]){2, 0, 0, 0, 0, 9}, 6);
	req.filters[0].vid = 100;
	req.filters[1].vid = 101;
	send_vsi(0, &req, &resp);
	ck_assert_uint_eq(resp.status & VDP_STATUS_ERR_MASK, VDP_ST_INVALID_VID);
	ck_assert_uint_eq(d.counters[REASON_BAD_MAC], 1);
	ck_assert_uint_eq(d.counters[REASON_VID_MISMATCH], 1);
	ck_assert_ptr_null(d.vsis.tqh_first);
}
END_TEST

START_TEST(unknown_type_refused_when_configured)
{
	struct conf c;
	vdpd_fini(&d);
	base_conf(&c);
	c.unknown_type = CONF_UNKNOWN_REFUSE;
	start_with(&c);
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP | VDP_RESP_HARD | VDP_ST_NO_VSI_MANAGER);
	/* After a Policy Sync the VNID is known. */
	struct vdp_policy p;
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	ck_assert_uint_eq(assoc(0, 10, 1, 0, &st), 100);
	ck_assert_uint_eq(st, VDP_RESP);
}
END_TEST

/* --- VNID policy: policy lists ------------------------------------------- */

START_TEST(sync_then_members_programmed_with_policy)
{
	struct vdp_policy p;
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_bw(&p, 50000);
	add_acl(&p, VDP_ACL_PERMIT, 80);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	ck_assert_str_eq(new_ops(), ""); /* nothing until a VSI is enabled */
	struct vnid *n = vdpd_vnid_find(&d, 10);
	ck_assert(n->synced);
	ck_assert_uint_eq(n->policy.nentries, 2);

	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_PREASSOC, 10, 1, 0);
	send_vsi(0, &req, &resp);
	ck_assert_str_eq(new_ops(), "");
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	ck_assert_uint_eq(st, VDP_RESP);
	const char *ops = new_ops();
	ck_assert_msg(strstr(ops, "vlan-add p0 vid 100\nvlan-add up0 vid 100\n") == ops, "%s", ops);
	ck_assert_msg(strstr(ops, "rate-set p0 vid 100 mac 52:54:00:00:00:01"), "%s", ops);
	ck_assert_msg(strstr(ops, "acl-add p0 vid 100 mac 52:54:00:00:00:01"), "%s", ops);
	/* The same policy synced again (a second server): accepted. */
	ck_assert_uint_eq(send_policy(1, &p), VDP_RESP);
	ck_assert_uint_eq(n->sync_ports, 3);
}
END_TEST

START_TEST(sync_refusals_apply_nothing)
{
	struct vdp_policy p;
	/* Bandwidth beyond port p0's 100 Mbit/s: error 2. */
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_bw(&p, 200000);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_ST_INSUFFICIENT_RESOURCES);
	/* An ACL permitting TCP 23 contradicts the device's deny: error 4. */
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_acl(&p, VDP_ACL_PERMIT, 23);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_ST_OTHER_FAILURE);
	/* Port 22 does not overlap: fine. */
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_acl(&p, VDP_ACL_PERMIT, 22);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	/* The same VNID with a different policy: error 4, KEEP. */
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_acl(&p, VDP_ACL_PERMIT, 443);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_RESP_KEEP | VDP_ST_OTHER_FAILURE);
	ck_assert_uint_eq(vdpd_vnid_find(&d, 10)->policy.entries[0].u.acl.dport_lo, 22);
	/* A VLAN owned by another VNID, and one outside the pool: error 5,
	 * HARD as for a VSI's VID. */
	uint8_t st;
	assoc(0, 20, 1, 0, &st); /* VNID 20 takes 100 */
	policy(&p, VDP_TLV_POLICY_SYNC, 30);
	add_entry(&p, VDP_POL_VLAN)->u.vid = 100;
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_RESP_HARD | VDP_ST_INVALID_VID);
	p.entries[0].u.vid = 999;
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_RESP_HARD | VDP_ST_INVALID_VID);
	ck_assert_ptr_null(vdpd_vnid_find(&d, 30));
	ck_assert_uint_eq(d.counters[REASON_BANDWIDTH], 1);
	ck_assert_uint_eq(d.counters[REASON_ACL_CONFLICT], 1);
	ck_assert_uint_eq(d.counters[REASON_POLICY_CONFLICT], 1);
	ck_assert_uint_eq(d.counters[REASON_VID_OWNED], 1);
	ck_assert_uint_eq(d.counters[REASON_VID_OUTSIDE_POOL], 1);
}
END_TEST

START_TEST(sync_vlan_entry_sets_the_vnid_vlan)
{
	struct vdp_policy p;
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_entry(&p, VDP_POL_VLAN)->u.vid = 103;
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	uint8_t st;
	ck_assert_uint_eq(assoc(0, 10, 1, 0, &st), 103);
	/* A VSI asking for another VLAN in that VNID: error 5. */
	assoc(0, 10, 2, 100, &st);
	ck_assert_uint_eq(st & VDP_STATUS_ERR_MASK, VDP_ST_INVALID_VID);
}
END_TEST

START_TEST(update_reprograms_every_member_once)
{
	struct vdp_policy p;
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	add_bw(&p, 50000);
	send_policy(0, &p);
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	assoc(1, 10, 2, 0, &st);
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_PREASSOC, 10, 3, 0); /* disabled: not reprogrammed */
	send_vsi(0, &req, &resp);
	new_ops();
	policy(&p, VDP_TLV_POLICY_UPDATE, 10);
	add_bw(&p, 90000);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	ck_assert_str_eq(new_ops(),
	                 "rate-clear p0 vid 100 mac 52:54:00:00:00:01 to-vm\n"
	                 "rate-set p0 vid 100 mac 52:54:00:00:00:01 to-vm 90000kbit burst 0\n"
	                 "rate-clear p1 vid 100 mac 52:54:00:00:00:02 to-vm\n"
	                 "rate-set p1 vid 100 mac 52:54:00:00:00:02 to-vm 90000kbit burst 0");
	ck_assert_uint_eq(vdpd_vnid_find(&d, 10)->policy.entries[0].u.bw.rate_kbps, 90000);
	/* Update of a VNID never synced: error 3. */
	policy(&p, VDP_TLV_POLICY_UPDATE, 77);
	ck_assert_uint_eq(send_policy(0, &p) & VDP_STATUS_ERR_MASK, VDP_ST_NO_VSI_MANAGER);
	/* A kernel failure leaves the old policy in place. */
	backend_record_fail_at(&d.be, 2, -22);
	policy(&p, VDP_TLV_POLICY_UPDATE, 10);
	add_bw(&p, 10000);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP | VDP_RESP_KEEP | VDP_ST_OTHER_FAILURE);
	ck_assert_uint_eq(vdpd_vnid_find(&d, 10)->policy.entries[0].u.bw.rate_kbps, 90000);
}
END_TEST

START_TEST(remove_deassociates_its_port_and_keeps_others)
{
	struct vdp_policy p;
	policy(&p, VDP_TLV_POLICY_SYNC, 10);
	send_policy(0, &p);
	send_policy(1, &p);
	uint8_t st;
	assoc(0, 10, 1, 0, &st);
	assoc(1, 10, 2, 0, &st);
	new_ops();
	policy(&p, VDP_TLV_POLICY_REMOVE, 10);
	ck_assert_uint_eq(send_policy(0, &p), VDP_RESP);
	ck_assert_str_eq(new_ops(), "vlan-del p0 vid 100");
	ck_assert_uint_eq(sent.n, 1);
	ck_assert_uint_eq(sent.port[0], 0);
	struct vnid *n = vdpd_vnid_find(&d, 10);
	ck_assert(n->synced); /* port 1 still holds it */
	ck_assert_uint_eq(n->sync_ports, 2);
	/* Last VSI de-associated (VNID policy claim 5): kernel state goes, the
	 * list stays until port 1 removes it. */
	struct vdp_vsi req, resp;
	vsi_req(&req, VDP_TLV_DEASSOC, 10, 2, 0);
	send_vsi(1, &req, &resp);
	ck_assert_str_eq(new_ops(), "vlan-del p1 vid 100\nvlan-del up0 vid 100");
	ck_assert_ptr_nonnull(vdpd_vnid_find(&d, 10));
	ck_assert_uint_eq(vdpd_vnid_find(&d, 10)->vid, 0); /* auto VLAN released */
	ck_assert_uint_eq(send_policy(1, &p), VDP_RESP);
	ck_assert_ptr_null(vdpd_vnid_find(&d, 10));
	ck_assert_uint_eq(d.nvnids_synced, 0);
}
END_TEST

/* --- hostile input ----------------------------------------------------- */

START_TEST(malformed_tlv_counted_and_next_pdu_served)
{
	struct vdp_vsi req;
	uint8_t pdu[600], out[1500];
	vsi_req(&req, VDP_TLV_ASSOC, 10, 1, 0);
	size_t len = pdu_with(pdu, sizeof(pdu), enc_vsi, &req);
	pdu[18 + 2 + 22] = 9; /* unknown filter format: answered (check_answers.c) */
	ck_assert_uint_gt(vdpd_handle_pdu(&d, 0, pdu, len, now_ns, out, sizeof(out)), 0);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_FILTER_FORMAT], 1);
	ck_assert_uint_eq(d.ports[0].counters[REASON_MALFORMED], 1);
	/* A TLV length running past the PDU: nothing to answer. */
	len = pdu_with(pdu, sizeof(pdu), enc_vsi, &req);
	ck_assert_uint_eq(vdpd_handle_pdu(&d, 0, pdu, len - 3, now_ns, out, sizeof(out)), 0);
	ck_assert_uint_eq(d.ports[0].rx_err[-VDP_E_TLV_OVERRUN], 1);
	ck_assert_uint_eq(d.ports[0].counters[REASON_UNDECODABLE], 1);
	ck_assert_ptr_null(d.vsis.tqh_first);
	uint8_t st;
	ck_assert_uint_eq(assoc(0, 10, 1, 0, &st), 100);
	ck_assert_uint_eq(st, VDP_RESP);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("decide");
	TCase *t = tcase_create("vlan_on_demand");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, vid0_gets_lowest_free_and_skips_reserved);
	tcase_add_test(t, pool_exhausted_is_error_2_and_changes_nothing);
	tcase_add_test(t, explicit_vid_checks_pool_and_owner);
	tcase_add_test(t, vlan_released_with_last_vsi);
	suite_add_tcase(s, t);
	t = tcase_create("bridge");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, guards_follow_vsis);
	tcase_add_test(t, keepalive_refresh_programs_nothing);
	tcase_add_test(t, keepalive_timeout_deassociates_and_notifies);
	tcase_add_test(t, preassoc_reserves_without_programming);
	tcase_add_test(t, move_to_another_port);
	tcase_add_test(t, port_limit_is_error_2);
	tcase_add_test(t, kernel_failure_keeps_previous_state);
	tcase_add_test(t, bad_filters_refused);
	tcase_add_test(t, unknown_type_refused_when_configured);
	suite_add_tcase(s, t);
	t = tcase_create("vnid_policy");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, sync_then_members_programmed_with_policy);
	tcase_add_test(t, sync_refusals_apply_nothing);
	tcase_add_test(t, sync_vlan_entry_sets_the_vnid_vlan);
	tcase_add_test(t, update_reprograms_every_member_once);
	tcase_add_test(t, remove_deassociates_its_port_and_keeps_others);
	suite_add_tcase(s, t);
	t = tcase_create("hostile");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, malformed_tlv_counted_and_next_pdu_served);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
