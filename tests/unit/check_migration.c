/* SPDX-License-Identifier: ISC */
/* Unit tests of the migration services' decisions: VDPDUs and captured DHCP frames in;
 * binding table, counters, kernel ops (recording backend), and what would
 * go on the wire (leasequeries, Help Requests, IGMP queries, through fake
 * I/O) out.  Real peers are in tests/integration/test_migration.py and
 * tests/kernel/scenarios/6x-*.sh. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl/ctl.h"
#include "ctl/ctl_bindings.h"
#include "migration/dhcp_wire.h"
#include "migration/igmp.h"
#include "migration/migration.h"
#include "core/vdpd.h"

#define VNID   60
#define VID    100
#define MS     1000000ull
#define NOW_S0 1000000

static struct vdpd d;
static uint64_t now_ns;
static int64_t now_s;

static const uint8_t server[4] = {192, 0, 2, 2}, giaddr[4] = {192, 0, 2, 1};
static const uint8_t ip50[4] = {10, 100, 0, 50}, port_mac[6] = {2, 0xaa, 0, 0, 0, 1};

/* --- fake I/O ------------------------------------------------------------- */

static struct {
	unsigned nlq, nframes, npdus, kicks;
	struct dhcp_msg lq[32];
	unsigned fport[16];
	struct igmp_frame frame[16];
	unsigned pport[16];
	uint8_t pdu[16][128];
	size_t plen[16];
	int send_err, source_err;
} io;

static int f_source(void *arg, const uint8_t srv[4], uint8_t src[4])
{
	(void)arg;
	ck_assert_mem_eq(srv, server, 4);
	if (io.source_err)
		return io.source_err;
	memcpy(src, giaddr, 4);
	return 0;
}

/* The fakes count everything and keep the first 32 / 16 sent. */
static int f_lq_send(void *arg, const uint8_t srv[4], const uint8_t *msg, size_t len)
{
	struct dhcp_msg m;
	(void)arg;
	ck_assert_mem_eq(srv, server, 4);
	if (io.send_err)
		return io.send_err;
	ck_assert_int_eq(dhcp_decode(msg, len, &m), (int)len);
	if (io.nlq < 32)
		io.lq[io.nlq] = m;
	io.nlq++;
	return 0;
}

static int f_port_send(void *arg, unsigned port, const uint8_t *frame, size_t len)
{
	struct igmp_frame f;
	(void)arg;
	ck_assert_int_eq(igmp_frame_decode(frame, len, &f), (int)len);
	if (io.nframes < 16) {
		io.fport[io.nframes] = port;
		io.frame[io.nframes] = f;
	}
	io.nframes++;
	return 0;
}

static int f_port_mac(void *arg, unsigned port, uint8_t mac[6])
{
	(void)arg;
	(void)port;
	memcpy(mac, port_mac, 6);
	return 0;
}

static void f_kick(void *arg)
{
	(void)arg;
	io.kicks++;
}

static const struct mig_ops fake_ops = {f_source, f_lq_send, f_port_send, f_port_mac, f_kick, NULL};

/* Bridge-initiated VDPDUs (Help Requests). */
static void capture_send(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	(void)arg;
	ck_assert_uint_lt(io.npdus, 16);
	ck_assert_uint_le(len, sizeof(io.pdu[0]));
	io.pport[io.npdus] = port;
	memcpy(io.pdu[io.npdus], pdu, len);
	io.plen[io.npdus++] = len;
}

/* --- the daemon under test ------------------------------------------------- */

static void base_conf(struct conf *c)
{
	conf_defaults(c);
	snprintf(c->bridge, sizeof(c->bridge), "br0");
	c->nports = 2;
	snprintf(c->ports[0].name, IFNAMSIZ, "p0");
	snprintf(c->ports[1].name, IFNAMSIZ, "p1");
	c->ports[0].max_vsis = c->ports[1].max_vsis = 100;
	c->nranges = 1;
	c->pool[0] = (struct conf_range){100, 103};
	snprintf(c->dhcp_server, sizeof(c->dhcp_server), "192.0.2.2");
}

static void start_with(const struct conf *c)
{
	char err[256];
	memset(&io, 0, sizeof(io));
	ck_assert_msg(vdpd_init(&d, c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
	d.send = capture_send;
	migration_attach(&d, mig_new(&fake_ops, 12345));
	ck_assert_ptr_nonnull(d.mig);
	now_ns = 1000 * MS;
	now_s = NOW_S0;
}

static void setup(void)
{
	struct conf c;
	base_conf(&c);
	start_with(&c);
}

static void setup_help(void)
{
	struct conf c;
	base_conf(&c);
	c.ndhcp_vnids = 1;
	c.dhcp_vnids[0].vnid = VNID;
	c.dhcp_vnids[0].mode = CONF_DHCP_HELP;
	start_with(&c);
}

static void teardown(void)
{
	mig_free(d.mig);
	migration_attach(&d, NULL);
	vdpd_fini(&d);
}

static void tick(unsigned ms)
{
	now_ns += ms * MS;
	now_s += ms / 1000;
	migration_tick(&d, now_ns, now_s);
}

static uint64_t cnt(enum mig_counter c)
{
	return d.mig->counters[c];
}

/* --- VDP ------------------------------------------------------------------- */

static size_t with_mgrid(uint8_t *buf, size_t cap, int len_or_err)
{
	(void)cap;
	ck_assert_int_gt(len_or_err, 0);
	return (size_t)len_or_err + 18;
}

static void sync_vnid(uint32_t vnid, bool dhcp, bool igmp)
{
	static struct vdp_policy p;
	struct vdp_mgrid m = {.id = "mgr"};
	uint8_t pdu[600], out[1500];
	memset(&p, 0, sizeof(p));
	p.type = VDP_TLV_POLICY_SYNC;
	p.vnid = vnid;
	p.entries[0].type = VDP_POL_DHCP_SNOOP;
	p.entries[0].u.enable = dhcp;
	p.entries[1].type = VDP_POL_IGMP_SNOOP;
	p.entries[1].u.enable = igmp;
	p.nentries = 2;
	ck_assert_int_eq(vdp_mgrid_encode(&m, pdu, sizeof(pdu)), 18);
	size_t len =
	    with_mgrid(pdu, sizeof(pdu), vdp_policy_encode(&p, pdu + 18, sizeof(pdu) - 18));
	ck_assert_uint_gt(vdpd_handle_pdu(&d, 0, pdu, len, now_ns, out, sizeof(out)), 18);
	ck_assert_ptr_nonnull(vdpd_vnid_find(&d, vnid));
}

static void mac_of(uint8_t id, uint8_t mac[6])
{
	memcpy(mac, ((uint8_t[]){0x52, 0x54, 0, 0, 0, id}), 6);
}

/* A VSI request on port; the response's status. */
static uint8_t vsi(unsigned port, uint8_t type, uint32_t vnid, uint8_t id, bool m_bit)
{
	static struct vdp_vsi v, resp;
	struct vdp_mgrid m = {.id = "mgr"};
	uint8_t pdu[600], out[1500];
	memset(&v, 0, sizeof(v));
	v.type = type;
	v.status = m_bit ? VDP_REQ_M : 0;
	v.type_id = vnid;
	v.vsiid_fmt = VDP_VSIID_UUID;
	v.vsiid[15] = id;
	v.filter_fmt = VDP_FILTER_MAC_VID;
	v.nfilters = 1;
	mac_of(id, v.filters[0].mac);
	ck_assert_int_eq(vdp_mgrid_encode(&m, pdu, sizeof(pdu)), 18);
	size_t len = with_mgrid(pdu, sizeof(pdu), vdp_vsi_encode(&v, pdu + 18, sizeof(pdu) - 18));
	size_t n = vdpd_handle_pdu(&d, port, pdu, len, now_ns, out, sizeof(out));
	ck_assert_uint_gt(n, 18);
	ck_assert_int_gt(vdp_vsi_decode(out + 18, n - 18, &resp), 0);
	return resp.status;
}

static void assoc(unsigned port, uint8_t id, bool m_bit)
{
	/* A VM returning to a port it migrated away from: that port's station
	 * released it first (migrate-out), as vdp-protocol(7) MIGRATION
	 * requires; until then its requests are stale. */
	const struct vsi *v = vdpd_vsi_find(&d, VDP_VSIID_UUID, (uint8_t[16]){[15] = id});
	if (v && v->port != port && (v->stale_ports & (1ull << port)))
		ck_assert_uint_eq(vsi(port, VDP_TLV_DEASSOC, VNID, id, false), VDP_RESP);
	ck_assert_uint_eq(vsi(port, VDP_TLV_ASSOC, VNID, id, m_bit), VDP_RESP);
}

/* The station's answer to Help Request i, with status; the bridge sends
 * nothing back. */
static void help_answer(unsigned i, uint8_t status)
{
	struct vdp_help h;
	uint8_t pdu[128], out[256];
	ck_assert_uint_lt(i, io.npdus);
	ck_assert_int_eq(vdp_help_decode(io.pdu[i] + 18, io.plen[i] - 18, &h), 33);
	h.status = status;
	memcpy(pdu, io.pdu[i], 18); /* the Manager ID it came with */
	ck_assert_int_eq(vdp_help_encode(&h, pdu + 18, sizeof(pdu) - 18), 33);
	ck_assert_uint_eq(vdpd_handle_pdu(&d, io.pport[i], pdu, 51, now_ns, out, sizeof(out)), 0);
}

/* --- DHCP frames ----------------------------------------------------------- */

/* A DHCP frame as seen on port: to the VM (out) or from it. */
static void dhcp(unsigned port, bool out, uint8_t op, uint8_t type, uint8_t id, const uint8_t ip[4],
                 uint32_t lease, uint16_t vid)
{
	struct dhcp_frame f = {.eth = {.tagged = vid != 0, .vid = vid},
	                       .sport = op == DHCP_BOOTREPLY ? 67 : 68,
	                       .dport = op == DHCP_BOOTREPLY ? 68 : 67};
	uint8_t buf[700];
	mac_of(id, f.msg.chaddr);
	memcpy(out ? f.eth.dst : f.eth.src, f.msg.chaddr, 6);
	memcpy(out ? f.eth.src : f.eth.dst, port_mac, 6);
	f.msg.op = op;
	f.msg.htype = 1;
	f.msg.hlen = 6;
	f.msg.type = type;
	if (type == DHCPACK || type == DHCPOFFER)
		memcpy(f.msg.yiaddr, ip, 4);
	if (type == DHCPRELEASE)
		memcpy(f.msg.ciaddr, ip, 4);
	if (type == DHCPDECLINE) {
		f.msg.has_requested_ip = true;
		memcpy(f.msg.requested_ip, ip, 4);
	}
	f.msg.has_lease = lease != 0;
	f.msg.lease_s = lease;
	int n = dhcp_frame_encode(&f, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	dhcp_snoop_frame(&d, port, out, buf, (size_t)n, now_s);
}

static void ack(unsigned port, uint8_t id, const uint8_t ip[4], uint32_t lease)
{
	dhcp(port, true, DHCP_BOOTREPLY, DHCPACK, id, ip, lease, VID);
}

static struct binding *bound(uint8_t id)
{
	uint8_t mac[6];
	mac_of(id, mac);
	return bindings_find(&d.mig->tab, mac, VID);
}

/* A leasequery answer from src for query i. */
static void answer(unsigned i, uint8_t type, const uint8_t *src, uint8_t id, uint32_t lease)
{
	struct dhcp_msg r = {.op = DHCP_BOOTREPLY, .xid = io.lq[i].xid, .type = type};
	uint8_t buf[600];
	if (type == DHCPLEASEACTIVE) {
		r.htype = 1;
		r.hlen = 6;
		mac_of(id, r.chaddr);
		memcpy(r.ciaddr, ip50, 4);
		r.has_lease = lease != 0;
		r.lease_s = lease;
	}
	int n = dhcp_encode(&r, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	lq_on_reply(&d, src ? src : server, buf, (size_t)n, now_s);
}

/* A VSI of VNID 60 (DHCP and IGMP snooping) bound on p0 to 10.100.0.50 for
 * 600 s, then migrated to p1 with the M bit. */
static void bound_then_migrated(uint8_t id)
{
	sync_vnid(VNID, true, true);
	assoc(0, id, false);
	ack(0, id, ip50, 600);
	ck_assert_ptr_nonnull(bound(id));
	ck_assert_uint_eq(bound(id)->port, 0);
	assoc(1, id, true);
}

/* --- a new VM, the kernel ------------------------------------------------ */

START_TEST(new_vm_triggers_nothing)
{
	sync_vnid(VNID, true, true);
	assoc(0, 1, false);
	tick(100);
	tick(2000);
	ck_assert_uint_eq(io.nlq + io.nframes + io.npdus + io.kicks, 0);
	ck_assert_uint_eq(cnt(MIG_MIGRATIONS), 0);
	/* A keepalive of a migrated VM (same request, M bit) is no migration. */
	assoc(1, 1, true);
	ck_assert_uint_eq(io.kicks, 1);
	assoc(1, 1, true);
	ck_assert_uint_eq(io.kicks, 1);
	ck_assert_uint_eq(cnt(MIG_MIGRATIONS), 1);
	/* Policies without snooping: an M bit moves nothing. */
	sync_vnid(61, false, false);
	ck_assert_uint_eq(vsi(1, VDP_TLV_ASSOC, 61, 2, true), VDP_RESP);
	ck_assert_uint_eq(cnt(MIG_MIGRATIONS), 1);
	ck_assert_uint_eq(io.kicks, 1);
}
END_TEST

static bool has_op(const char *want)
{
	size_t n;
	const struct kop *ops = backend_record_ops_log(&d.be, &n);
	for (size_t i = 0; i < n; i++) {
		char line[256];
		if (strstr(kop_format(&ops[i], line, sizeof(line)), want) == line)
			return true;
	}
	return false;
}

START_TEST(dhcp_block_follows_the_vsi)
{
	sync_vnid(VNID, true, false);
	sync_vnid(61, false, false);
	assoc(0, 1, false);
	ck_assert(has_op("dhcp-block p0 vid 100 mac 52:54:00:00:00:01 vnid 60"));
	ck_assert_uint_eq(vsi(0, VDP_TLV_ASSOC, 61, 2, false), VDP_RESP);
	ck_assert(!has_op("dhcp-block p0 vid 101"));
	assoc(1, 1, true); /* the move: off p0, on p1 */
	ck_assert(has_op("dhcp-unblock p0 vid 100 mac 52:54:00:00:00:01"));
	ck_assert(has_op("dhcp-block p1 vid 100 mac 52:54:00:00:00:01"));
	ck_assert_uint_eq(vsi(1, VDP_TLV_DEASSOC, VNID, 1, false), VDP_RESP);
	ck_assert(has_op("dhcp-unblock p1 vid 100 mac 52:54:00:00:00:01"));
}
END_TEST

/* --- leasequery ------------------------------------------------------------- */

START_TEST(leasequery_moves_the_binding)
{
	bound_then_migrated(1);
	/* Nothing leaves from inside the VDP handler: the station gets its
	 * response first, the loop's next turn sends. */
	ck_assert_uint_eq(io.nlq + io.nframes, 0);
	ck_assert_uint_eq(io.kicks, 1);
	ck_assert_uint_eq(bound(1)->state, BIND_VERIFYING);
	tick(0);
	ck_assert_uint_eq(io.nlq, 2);
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_uint_eq(io.lq[i].type, DHCPLEASEQUERY);
		ck_assert_uint_eq(io.lq[i].op, DHCP_BOOTREQUEST);
		ck_assert_mem_eq(io.lq[i].giaddr, giaddr, 4);
	}
	uint8_t mac[6];
	mac_of(1, mac);
	ck_assert_mem_eq(io.lq[0].chaddr, mac, 6); /* by MAC */
	ck_assert_uint_eq(io.lq[0].hlen, 6);
	ck_assert_mem_eq(io.lq[1].ciaddr, ip50, 4); /* by the IP the table knew */
	ck_assert_uint_ne(io.lq[0].xid, io.lq[1].xid);
	ck_assert_uint_eq(cnt(MIG_LQ_SENT), 2);
	/* and the IGMP query out of p1, in VLAN 100 */
	ck_assert_uint_eq(io.nframes, 1);
	ck_assert_uint_eq(io.fport[0], 1);
	ck_assert(io.frame[0].eth.tagged);
	ck_assert_uint_eq(io.frame[0].eth.vid, VID);
	ck_assert_uint_eq(io.frame[0].type, IGMP_QUERY);
	ck_assert_uint_eq(io.frame[0].version, 2);
	ck_assert_uint_eq(io.frame[0].max_resp, 5);
	ck_assert_mem_eq(io.frame[0].eth.src, port_mac, 6);

	answer(0, DHCPLEASEACTIVE, NULL, 1, 300);
	struct binding *b = bound(1);
	ck_assert_uint_eq(b->port, 1);
	ck_assert_mem_eq(b->ip, ip50, 4);
	ck_assert_int_eq(b->expires, now_s + 300); /* the server's remaining lease */
	ck_assert_uint_eq(b->src, BIND_LEASEQUERY);
	ck_assert_uint_eq(b->state, BIND_BOUND);
	ck_assert_uint_eq(cnt(MIG_LQ_ACTIVE), 1);
	ck_assert(d.mig->dirty);
	answer(1, DHCPLEASEACTIVE, NULL, 1, 300); /* by IP: the same */
	ck_assert_uint_eq(cnt(MIG_LQ_ACTIVE), 2);
	ck_assert_uint_eq(d.mig->tab.n, 1);
	/* The second query (1 s later), then no more. */
	tick(999);
	ck_assert_uint_eq(io.nframes, 1);
	tick(1);
	ck_assert_uint_eq(io.nframes, 2);
	tick(5000);
	ck_assert_uint_eq(io.nframes, 2);
	ck_assert_uint_eq(cnt(MIG_IGMP_QUERIES), 2);
	ck_assert_uint_eq(io.nlq, 2); /* answered: never sent again */
}
END_TEST

START_TEST(leasequery_unknown_unassigned_leave_it_unverified)
{
	bound_then_migrated(1);
	tick(0);
	answer(0, DHCPLEASEUNKNOWN, NULL, 1, 0);
	ck_assert_uint_eq(bound(1)->state, BIND_VERIFYING); /* the by-IP one is still out */
	answer(1, DHCPLEASEUNASSIGNED, NULL, 1, 0);
	ck_assert_uint_eq(cnt(MIG_LQ_UNKNOWN), 1);
	ck_assert_uint_eq(cnt(MIG_LQ_UNASSIGNED), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);
	answer(0, DHCPLEASEACTIVE, NULL, 1, 300); /* settled: a late answer is stray */
	ck_assert_uint_eq(cnt(MIG_LQ_STRAY), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
}
END_TEST

START_TEST(leasequery_without_a_known_ip)
{
	sync_vnid(VNID, true, false);
	assoc(1, 2, true); /* migrated in, no binding here yet (another switch had it) */
	tick(0);
	ck_assert_uint_eq(io.nlq, 1);
	ck_assert_uint_eq(io.nframes, 0); /* IGMP snooping off */
	answer(0, DHCPLEASEACTIVE, NULL, 2, 120);
	ck_assert_ptr_nonnull(bound(2));
	ck_assert_uint_eq(bound(2)->port, 1);
	ck_assert_uint_eq(bound(2)->vnid, VNID);
	ck_assert_uint_eq(bound(2)->vsiid[15], 2);
}
END_TEST

START_TEST(leasequery_timeout_after_retries)
{
	bound_then_migrated(1);
	tick(0);
	uint32_t xid = io.lq[0].xid;
	tick(999);
	ck_assert_uint_eq(io.nlq, 2);
	tick(1); /* dhcp.timeout 1000 ms: retransmitted, same xid */
	ck_assert_uint_eq(io.nlq, 4);
	ck_assert_uint_eq(io.lq[2].xid, xid);
	tick(1000);
	ck_assert_uint_eq(io.nlq, 6); /* 1 + dhcp.retries 2 */
	ck_assert_uint_eq(cnt(MIG_LQ_TIMEOUT), 0);
	tick(1000);
	ck_assert_uint_eq(io.nlq, 6);
	ck_assert_uint_eq(cnt(MIG_LQ_SENT), 6);
	ck_assert_uint_eq(cnt(MIG_LQ_TIMEOUT), 2);
	ck_assert_uint_eq(bound(1)->port, 0); /* kept */
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);
}
END_TEST

START_TEST(server_down_is_counted_and_kept)
{
	bound_then_migrated(1);
	io.send_err = -ENETUNREACH; /* no route */
	tick(0);
	ck_assert_uint_eq(cnt(MIG_LQ_SERVER_DOWN), 2);
	ck_assert_uint_eq(cnt(MIG_LQ_SENT), 0);
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);
	ck_assert_uint_eq(bound(1)->port, 0);

	/* ICMP port unreachable quoting our query: that one fails at once. */
	io.send_err = 0;
	assoc(0, 1, true); /* and back, migrated again */
	tick(0);
	ck_assert_uint_eq(io.nlq, 2);
	uint8_t quoted[300];
	struct dhcp_msg q = io.lq[0];
	ck_assert_int_eq(dhcp_encode(&q, quoted, sizeof(quoted)), 300);
	lq_on_error(&d, quoted, 8, ECONNREFUSED); /* only the first 8 octets quoted */
	ck_assert_uint_eq(cnt(MIG_LQ_SERVER_DOWN), 3);
	lq_on_error(&d, quoted, 8, ECONNREFUSED); /* settled already: ignored */
	ck_assert_uint_eq(cnt(MIG_LQ_SERVER_DOWN), 3);
	answer(1, DHCPLEASEACTIVE, NULL, 1, 60); /* the other query still counts */
	ck_assert_uint_eq(bound(1)->state, BIND_BOUND);

	/* No server configured, no route to it. */
	d.conf.dhcp_server[0] = '\0';
	assoc(1, 1, true);
	tick(0);
	ck_assert_uint_eq(cnt(MIG_LQ_SERVER_DOWN), 5);
	snprintf(d.conf.dhcp_server, sizeof(d.conf.dhcp_server), "192.0.2.2");
	io.source_err = -EHOSTUNREACH;
	assoc(0, 1, true);
	tick(0);
	ck_assert_uint_eq(cnt(MIG_LQ_SERVER_DOWN), 7);
}
END_TEST

START_TEST(leasequery_answers_are_checked)
{
	bound_then_migrated(1);
	tick(0);
	const uint8_t other[4] = {192, 0, 2, 99};
	answer(0, DHCPLEASEACTIVE, other, 1, 300); /* not dhcp.server */
	ck_assert_uint_eq(cnt(MIG_LQ_STRAY), 1);
	answer(0, DHCPLEASEACTIVE, NULL, 9, 300); /* another client's lease */
	ck_assert_uint_eq(cnt(MIG_LQ_MISMATCH), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
	ck_assert_uint_eq(bound(1)->state, BIND_VERIFYING);
	io.lq[1].xid ^= 1; /* an xid nobody asked */
	answer(1, DHCPLEASEACTIVE, NULL, 1, 300);
	ck_assert_uint_eq(cnt(MIG_LQ_STRAY), 2);
	io.lq[1].xid ^= 1;
	answer(1, DHCPLEASEACTIVE, NULL, 1, 0); /* no lease time */
	ck_assert_uint_eq(cnt(MIG_LQ_MISMATCH), 2);
	lq_on_reply(&d, server, (const uint8_t *)"short", 5, now_s);
	ck_assert_uint_eq(cnt(MIG_LQ_STRAY), 3);
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);
}
END_TEST

START_TEST(vsi_gone_before_the_work)
{
	bound_then_migrated(1);
	assoc(0, 1, false); /* back on p0 before the loop turned, no M bit */
	tick(0);
	ck_assert_uint_eq(io.nlq + io.nframes, 0);
	ck_assert_uint_eq(cnt(MIG_TASKS_STALE), 3); /* two leasequeries, one IGMP */
	/* Gone while the answer was on its way. */
	assoc(1, 1, true);
	tick(0);
	ck_assert_uint_eq(vsi(1, VDP_TLV_DEASSOC, VNID, 1, false), VDP_RESP);
	answer(0, DHCPLEASEACTIVE, NULL, 1, 300);
	ck_assert_uint_eq(cnt(MIG_LQ_MISMATCH), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
}
END_TEST

START_TEST(tasks_are_bounded)
{
	sync_vnid(VNID, true, true);
	for (uint8_t id = 1; id <= 70; id++)
		assoc(1, id, true); /* each: one leasequery (no IP known), one IGMP */
	ck_assert_uint_eq(cnt(MIG_TASKS_FULL), 2 * 70 - MIG_MAX_TASKS);
	tick(0);
	ck_assert_uint_eq(io.nlq + io.nframes, MIG_MAX_TASKS); /* what got a slot was done */
	ck_assert_uint_eq(cnt(MIG_LQ_SENT) + cnt(MIG_IGMP_QUERIES), MIG_MAX_TASKS);
	tick(1000); /* slots free again: the next migrations get theirs */
	assoc(0, 1, true);
	ck_assert_uint_eq(cnt(MIG_TASKS_FULL), 2 * 70 - MIG_MAX_TASKS);
}
END_TEST

/* --- help request --------------------------------------------------------------- */

START_TEST(help_request_then_ack_moves_it)
{
	bound_then_migrated(1);
	ck_assert_uint_eq(io.npdus, 0); /* after the Associate response, not before */
	tick(0);
	ck_assert_uint_eq(io.nlq, 0);
	ck_assert_uint_eq(io.npdus, 1);
	ck_assert_uint_eq(io.pport[0], 1);
	struct vdp_mgrid m;
	struct vdp_help h;
	ck_assert_int_eq(vdp_mgrid_decode(io.pdu[0], io.plen[0], &m), 18);
	ck_assert_str_eq((const char *)m.id, "mgr");
	ck_assert_int_eq(vdp_help_decode(io.pdu[0] + 18, io.plen[0] - 18, &h), 33);
	ck_assert_uint_eq(h.status, 0);
	ck_assert_uint_eq(h.flags, VDP_HELP_DHCP);
	ck_assert_uint_eq(h.vsiid_fmt, VDP_VSIID_UUID);
	ck_assert_uint_eq(h.vsiid[15], 1);
	uint8_t mac[6];
	mac_of(1, mac);
	ck_assert_mem_eq(h.mac, mac, 6);
	ck_assert_uint_eq(h.vid, VID);
	ck_assert_mem_eq(h.ipv4, ip50, 4);
	ck_assert_uint_eq(cnt(MIG_HELP_SENT), 1);

	help_answer(0, VDP_RESP);
	ck_assert_uint_eq(cnt(MIG_HELP_ANSWERED), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
	ack(1, 1, ip50, 900); /* the DHCPACK the station's request brought */
	ck_assert_uint_eq(bound(1)->port, 1);
	ck_assert_uint_eq(bound(1)->src, BIND_HELP);
	ck_assert_uint_eq(bound(1)->state, BIND_BOUND);
	ck_assert_int_eq(bound(1)->expires, now_s + 900);
	ck_assert_uint_eq(cnt(MIG_HELP_MOVED), 1);
	tick(10000);
	ck_assert_uint_eq(cnt(MIG_HELP_TIMEOUT) + cnt(MIG_HELP_NO_ACK), 0);
	/* A renewal later keeps saying how it got here. */
	ack(1, 1, ip50, 900);
	ck_assert_uint_eq(bound(1)->src, BIND_HELP);
	ck_assert_uint_eq(d.ports[1].counters[REASON_NOT_REQUEST], 0);
}
END_TEST

START_TEST(help_ack_before_the_answer)
{
	bound_then_migrated(1);
	tick(0);
	ack(1, 1, ip50, 900);
	ck_assert_uint_eq(bound(1)->src, BIND_HELP);
	help_answer(0, VDP_RESP);
	ck_assert_uint_eq(cnt(MIG_HELP_ANSWERED), 1);
	tick(10000);
	ck_assert_uint_eq(cnt(MIG_HELP_TIMEOUT) + cnt(MIG_HELP_NO_ACK) + cnt(MIG_HELP_STRAY), 0);
}
END_TEST

START_TEST(help_failures_counted)
{
	bound_then_migrated(1);
	tick(0);
	tick(4999);
	ck_assert_uint_eq(cnt(MIG_HELP_TIMEOUT), 0);
	tick(1); /* dhcp.help_timeout */
	ck_assert_uint_eq(cnt(MIG_HELP_TIMEOUT), 1);
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);
	help_answer(0, VDP_RESP); /* too late */
	ck_assert_uint_eq(cnt(MIG_HELP_STRAY), 1);

	assoc(0, 1, true); /* answered, but no DHCPACK follows */
	tick(0);
	help_answer(1, VDP_RESP);
	tick(5000);
	ck_assert_uint_eq(cnt(MIG_HELP_NO_ACK), 1);

	assoc(1, 1, true); /* refused by the station */
	tick(0);
	help_answer(2, VDP_RESP | VDP_ST_OTHER_FAILURE);
	ck_assert_uint_eq(cnt(MIG_HELP_REFUSED), 1);
	ck_assert_uint_eq(bound(1)->port, 0);
	ck_assert_uint_eq(bound(1)->state, BIND_UNVERIFIED);

	/* A Help TLV that is no answer, one that does not decode. */
	uint8_t pdu[64], out[64];
	memcpy(pdu, io.pdu[2], io.plen[2]);
	ck_assert_uint_eq(vdpd_handle_pdu(&d, 1, pdu, io.plen[2], now_ns, out, sizeof(out)), 0);
	ck_assert_uint_eq(d.ports[1].counters[REASON_NOT_REQUEST], 1);
	pdu[18 + 2 + 1] = 0; /* no flag */
	ck_assert_uint_eq(vdpd_handle_pdu(&d, 1, pdu, io.plen[2], now_ns, out, sizeof(out)), 0);
	ck_assert_uint_eq(d.ports[1].counters[REASON_UNDECODABLE], 1);
	ck_assert_uint_eq(d.ports[1].rx_err[-VDP_E_HELP_FLAGS], 1);
}
END_TEST

/* --- snooping rules ------------------------------------------------------------------ */

START_TEST(snooping_rules)
{
	static const uint8_t ip51[4] = {10, 100, 0, 51}, none[4];
	sync_vnid(VNID, true, false);
	sync_vnid(61, false, false);
	assoc(0, 1, false);
	ck_assert_uint_eq(vsi(0, VDP_TLV_ASSOC, 61, 2, false), VDP_RESP);

	dhcp(0, true, DHCP_BOOTREPLY, DHCPOFFER, 1, ip50, 600, VID);
	ck_assert_ptr_null(bound(1)); /* an offer binds nothing */
	dhcp(0, false, DHCP_BOOTREPLY, DHCPACK, 1, ip50, 600, VID);
	ck_assert_ptr_null(bound(1));                 /* ACKs come towards the VM, not from it... */
	ck_assert_uint_eq(cnt(MIG_ROGUE_REPLIES), 1); /* ...which is a rogue server */
	ack(0, 1, none, 600);
	ck_assert_ptr_null(bound(1)); /* the ACK of a DHCPINFORM */
	ack(1, 1, ip50, 600);
	ck_assert_ptr_null(bound(1)); /* not the VSI's port */
	ck_assert_uint_eq(cnt(MIG_SNOOP_NO_VSI), 1);
	dhcp(0, true, DHCP_BOOTREPLY, DHCPACK, 2, ip50, 600, 101);
	ck_assert_uint_eq(d.mig->tab.n, 0); /* VNID 61 does not snoop */
	ck_assert_uint_eq(cnt(MIG_SNOOP_NO_VSI), 1);

	ack(0, 1, ip50, 600);
	ck_assert_uint_eq(bound(1)->port, 0);
	ck_assert_int_eq(bound(1)->expires, now_s + 600);
	ck_assert_uint_eq(bound(1)->src, BIND_SNOOPED);
	ck_assert_uint_eq(cnt(MIG_DHCP_ACKS), 1);
	dhcp(0, false, DHCP_BOOTREQUEST, DHCPRELEASE, 1, ip51, 0, VID);
	ck_assert_ptr_nonnull(bound(1)); /* a release of another address */
	dhcp(0, false, DHCP_BOOTREQUEST, DHCPRELEASE, 1, ip50, 0, VID);
	ck_assert_ptr_null(bound(1));
	ck_assert_uint_eq(cnt(MIG_DHCP_RELEASES), 1);
	ack(0, 1, ip50, 600);
	dhcp(0, false, DHCP_BOOTREQUEST, DHCPDECLINE, 1, ip50, 0, VID);
	ck_assert_ptr_null(bound(1));
	ack(0, 1, ip50, 600);
	dhcp(0, true, DHCP_BOOTREPLY, DHCPNAK, 1, none, 0, VID);
	ck_assert_ptr_null(bound(1));
	ck_assert_uint_eq(cnt(MIG_DHCP_NAKS), 1);

	/* Expiry at the lease's end, on the clock's tick. */
	ack(0, 1, ip50, 3);
	tick(2000);
	ck_assert_ptr_nonnull(bound(1));
	tick(1000);
	ck_assert_ptr_null(bound(1));
	ck_assert_uint_eq(cnt(MIG_EXPIRED), 1);

	uint8_t junk[60] = {0};
	dhcp_snoop_frame(&d, 0, true, junk, sizeof(junk), now_s);
	ck_assert_uint_eq(cnt(MIG_SNOOP_MALFORMED), 1);
}
END_TEST

START_TEST(per_port_cap)
{
	d.conf.dhcp_max_bindings = 2;
	sync_vnid(VNID, true, false);
	for (uint8_t id = 1; id <= 3; id++) {
		uint8_t ip[4] = {10, 100, 0, (uint8_t)(10 + id)};
		assoc(0, id, false);
		ack(0, id, ip, 600);
	}
	ck_assert_uint_eq(d.mig->tab.n, 2);
	ck_assert_ptr_null(bound(3));
	ck_assert_uint_eq(cnt(MIG_TABLE_FULL), 1);
}
END_TEST

/* --- vdpctl show bindings ------------------------------------------------------------- */

static int64_t fixed_clock(void)
{
	return NOW_S0;
}

START_TEST(show_bindings_text_and_json)
{
	static struct strbuf sb = STRBUF_INIT;
	ctl_bindings_set_clock(fixed_clock);
	bound_then_migrated(1);
	ck_assert_int_eq(ctl_exec(&d, "show bindings", now_ns, &sb), 0);
	const char *text = sb_str(&sb);
	ck_assert_msg(strstr(text,
	                     "PORT  MAC                VLAN  IP           VNID  VSIID"
	                     "                                 LEASE  SOURCE   STATE\n"
	                     "p0    52:54:00:00:00:01  100   10.100.0.50  60    "
	                     "00000000-0000-0000-0000-000000000001  600s   snooped  verifying\n") ==
	                  text,
	              "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\nmigrations: 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nlq-server-down: 0\n"));
	tick(0);
	answer(0, DHCPLEASEACTIVE, NULL, 1, 300);
	ck_assert_int_eq(ctl_exec(&d, "show bindings json", now_ns, &sb), 0);
	ck_assert_msg(strstr(sb_str(&sb),
	                     "{\"bindings\":[{\"port\":\"p1\",\"mac\":\"52:54:00:00:00:01\","
	                     "\"vlan\":100,\"ip\":\"10.100.0.50\",\"vnid\":60,\"vsiid\":"
	                     "\"00000000-0000-0000-0000-000000000001\",\"lease\":300,"
	                     "\"source\":\"leasequery\",\"state\":\"bound\"}],"
	                     "\"migrations\":1,") == sb_str(&sb),
	              "%s", sb_str(&sb));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"lq_active\":1,"));
	ck_assert_ptr_nonnull(strstr(sb_str(&sb), "\"igmp_queries\":1,"));
	ctl_bindings_set_clock(NULL);
	sb_free(&sb);
}
END_TEST

/* --- vdpd.conf -------------------------------------------------------------- */

static int load_conf(const char *text, struct conf *c, char *err, size_t errlen)
{
	char path[] = "/tmp/check_migration.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	int rc = conf_load(path, c, err, errlen);
	unlink(path);
	return rc;
}

#define BASE "bridge = \"br0\";\nports = ( \"p0\" );\n"

START_TEST(conf_settings)
{
	static struct conf c;
	char err[512];
	ck_assert_int_eq(load_conf(BASE, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.dhcp_timeout_ms, 1000);
	ck_assert_uint_eq(c.dhcp_retries, 2);
	ck_assert_uint_eq(c.dhcp_help_timeout_ms, 5000);
	ck_assert_uint_eq(c.dhcp_max_bindings, 256);
	ck_assert_uint_eq(c.igmp_max_response, 5);
	ck_assert_uint_eq(c.igmp_queries, 2);
	ck_assert_msg(
	    load_conf(BASE "dhcp = { mode = \"leasequery\"; server = \"192.0.2.2\";\n"
	                   "  timeout = 300; retries = 0; help_timeout = 2000;\n"
	                   "  max_bindings = 16;\n"
	                   "  vnids = ( { vnid = 61; mode = \"help\"; }, { vnid = 62; } ); };\n"
	                   "igmp = { version = 3; max_response = 10; queries = 1; };\n",
	              &c, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_uint_eq(c.dhcp_timeout_ms, 300);
	ck_assert_uint_eq(c.dhcp_retries, 0);
	ck_assert_uint_eq(c.dhcp_help_timeout_ms, 2000);
	ck_assert_uint_eq(c.dhcp_max_bindings, 16);
	ck_assert_uint_eq(c.ndhcp_vnids, 2);
	ck_assert_uint_eq(mig_dhcp_mode(&c, 61), CONF_DHCP_HELP);
	ck_assert_uint_eq(mig_dhcp_mode(&c, 62), CONF_DHCP_LEASEQUERY);
	ck_assert_uint_eq(mig_dhcp_mode(&c, 63), CONF_DHCP_LEASEQUERY);
	ck_assert_uint_eq(c.igmp_version, 3);
	ck_assert_uint_eq(c.igmp_max_response, 10);
	ck_assert_uint_eq(c.igmp_queries, 1);
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {BASE "dhcp = { timeout = 5; };\n", ":3: dhcp.timeout"},
	    {BASE "dhcp = { max_bindings = 0; };\n", ":3: dhcp.max_bindings"},
	    {BASE "dhcp = { vnids = ( { vnid = 61; mode = \"relay\"; } ); };\n",
	     ":3: dhcp.vnids[0].mode: \"relay\" is not one of"},
	    {BASE "dhcp = { vnids = ( { mode = \"help\"; } ); };\n", "vnid"},
	    {BASE "dhcp = { vnids = ( { vnid = 61; }, { vnid = 61; } ); };\n", "listed twice"},
	    {BASE "dhcp = { vnids = ( { vnid = 16777216; } ); };\n", "vnid"},
	    {BASE "dhcp = { mode = \"help\"; server = \"2001:db8::1\";\n"
	          "  vnids = ( { vnid = 61; mode = \"leasequery\"; } ); };\n",
	     ":4: dhcp.vnids[0]: leasequery (DHCPv4) needs an IPv4 dhcp.server"},
	    {BASE "dhcp = { retry = 1; };\n", "retry"},
	    {BASE "igmp = { max_response = 0; };\n", ":3: igmp.max_response"},
	    {BASE "igmp = { queries = 6; };\n", ":3: igmp.queries"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(load_conf(bad[i].text, &c, err, sizeof(err)) == -1, "accepted: %s",
		              bad[i].text);
		ck_assert_msg(strstr(err, bad[i].want), "%s: got \"%s\", want \"%s\"", bad[i].text,
		              err, bad[i].want);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("migration");
	TCase *t = tcase_create("leasequery");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, new_vm_triggers_nothing);
	tcase_add_test(t, dhcp_block_follows_the_vsi);
	tcase_add_test(t, leasequery_moves_the_binding);
	tcase_add_test(t, leasequery_unknown_unassigned_leave_it_unverified);
	tcase_add_test(t, leasequery_without_a_known_ip);
	tcase_add_test(t, leasequery_timeout_after_retries);
	tcase_add_test(t, server_down_is_counted_and_kept);
	tcase_add_test(t, leasequery_answers_are_checked);
	tcase_add_test(t, vsi_gone_before_the_work);
	tcase_add_test(t, tasks_are_bounded);
	tcase_add_test(t, snooping_rules);
	tcase_add_test(t, per_port_cap);
	tcase_add_test(t, show_bindings_text_and_json);
	suite_add_tcase(s, t);
	t = tcase_create("help");
	tcase_add_checked_fixture(t, setup_help, teardown);
	tcase_add_test(t, help_request_then_ack_moves_it);
	tcase_add_test(t, help_ack_before_the_answer);
	tcase_add_test(t, help_failures_counted);
	suite_add_tcase(s, t);
	t = tcase_create("conf");
	tcase_add_test(t, conf_settings);
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
