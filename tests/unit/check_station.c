/* SPDX-License-Identifier: ISC */
/* Unit tests for libvdp's station role: the station core driven through
 * caller-provided links (vdp_station_add_link) and a fake clock, against a
 * scripted bridge built from libvdp's ECP engine.  The wire between them
 * can lose frames in either direction; the bridge can refuse, stay silent,
 * de-associate on its own and send Help Requests.  Every check is a
 * specific value: TLV types and bytes on the wire, times in ns, states,
 * result fields. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp_engine.h>
#include <vdp/evb.h>
#include <vdp/station.h>

#include "testutil.h"

#define NLINKS 2
#define MAXQ   256
#define MAXLOG 256
#define MS     1000000ull
#define SEC    1000000000ull
#define T_ACK  vdp_ecp_timeout_ns(8)                     /* 2.56 ms */
#define T_RESP (15000ull * ((7ull << 8) + (1ull << 20))) /* 15.755 s */
#define T_KA   vdp_ecp_timeout_ns(20)                    /* 10.486 s */

static const uint8_t st_mac[NLINKS][6] = {{2, 0, 0, 0, 1, 1}, {2, 0, 0, 0, 1, 2}};
static const uint8_t br_mac[NLINKS][6] = {{2, 0, 0, 0, 0xb, 1}, {2, 0, 0, 0, 0xb, 2}};
static const char *const link_name[NLINKS] = {"l1", "l2"};
static const uint8_t vm_mac[6] = {0x52, 0x54, 0, 0xaa, 0, 1};
static const uint8_t vm_mac2[6] = {0x52, 0x54, 0, 0xaa, 0, 2};

struct frame {
	size_t len;
	uint8_t b[VDP_ECP_MAX_FRAME + 64];
};

struct queue {
	struct frame q[MAXQ];
	unsigned n;
	unsigned drop; /* lose the next N frames */
	bool drop_all;
	unsigned loss_pct;          /* lose frames at random (the soak test) */
	bool hold;                  /* keep frames queued until released */
	uint64_t offered_t[MAXLOG]; /* when each frame was sent, lost or not */
	unsigned noffered;
};

/* A request TLV the bridge received. */
struct rx {
	uint8_t type, status;
	uint32_t vnid;
	uint8_t vsiid[16];
	uint16_t vid;
	uint16_t nentries;
	uint64_t t;
	uint8_t tlv[VDP_TLV_MAX_LEN + 2];
	size_t tlv_len;
};

struct bridge {
	struct vdp_ecp_engine *e;
	struct queue to_st, to_br;
	uint8_t code[16]; /* per TLV type: error code to answer with */
	bool once[16];    /* per TLV type: the code answers the next one only */
	uint8_t bits[16]; /* per TLV type: KEEP / HARD */
	uint16_t grant;   /* VID granted for VID 0 */
	bool silent;      /* ack, never answer */
	bool mute[16];    /* per TLV type: ack, never answer */
	/* What the bridge holds: the VSIIDs (last octet) it accepted an
	 * Associate or Pre-Associate for and has not seen a De-Associate of. */
	bool holds[256];
	struct rx rx[MAXLOG];
	unsigned nrx;
	struct frame lldp[MAXLOG];
	uint64_t lldp_t[MAXLOG];
	unsigned nlldp;
	struct frame other[16]; /* neither ECP nor LLDP: the help handler's DHCP */
	unsigned nother;
};

static struct vdp_station *st;
static struct bridge br[NLINKS];
static uint64_t now;
static struct vdp_station_result res[MAXLOG];
static uint64_t res_t[MAXLOG];
static unsigned nres;
static struct vdp_station_event evs[MAXLOG];
static char ev_text[MAXLOG][256];
static uint64_t ev_t[MAXLOG];
static unsigned nev, ev_kinds;

static uint64_t fake_clock(void *arg)
{
	(void)arg;
	return now;
}

static uint32_t rnd(void);

static void q_put(struct queue *q, const uint8_t *f, size_t len)
{
	if (q->noffered < MAXLOG)
		q->offered_t[q->noffered++] = now;
	if (q->drop_all || (q->loss_pct && rnd() % 100 < q->loss_pct))
		return;
	if (q->drop) {
		q->drop--;
		return;
	}
	ck_assert_uint_lt(q->n, MAXQ);
	memcpy(q->q[q->n].b, f, len);
	q->q[q->n++].len = len;
}

static int st_send(void *ctx, const uint8_t *f, size_t len)
{
	struct bridge *b = ctx;
	q_put(&b->to_br, f, len);
	return 0;
}

static unsigned drop_resp[NLINKS];

static int br_send(void *ctx, const uint8_t *f, size_t len)
{
	struct bridge *b = ctx;
	unsigned k = (unsigned)(b - br);
	if (drop_resp[k] && ((f[14] >> 2) & 3) == VDP_ECP_OP_REQUEST) {
		drop_resp[k]--;
		return 0;
	}
	q_put(&b->to_st, f, len);
	return 0;
}

static void on_result(void *arg, const struct vdp_station_result *r)
{
	(void)arg;
	ck_assert_uint_lt(nres, MAXLOG);
	res_t[nres] = now;
	res[nres++] = *r;
}

static void on_event(void *arg, const struct vdp_station_event *ev)
{
	(void)arg;
	ev_kinds |= 1u << ev->kind;
	if (nev < MAXLOG) { /* counted; the first MAXLOG kept */
		snprintf(ev_text[nev], sizeof(ev_text[nev]), "%s", ev->text);
		evs[nev] = *ev;
		ev_t[nev] = now;
	}
	nev++;
}

/* --- the scripted bridge ----------------------------------------------- */

static size_t answer_tlv(struct bridge *b, const uint8_t *tlv, size_t len, uint8_t *out, size_t cap)
{
	struct vdp_tlv_hdr h;
	ck_assert_int_eq(vdp_tlv_hdr_decode(tlv, len, &h), 2);
	static struct rx scratch; /* past MAXLOG: counted, not kept */
	struct rx *r = b->nrx < MAXLOG ? &b->rx[b->nrx] : &scratch;
	memset(r, 0, sizeof(*r));
	r->type = h.type;
	r->t = now;
	memcpy(r->tlv, tlv, len);
	r->tlv_len = len;
	if (h.type == VDP_TLV_MGRID) {
		memcpy(out, tlv, len);
		return len;
	}
	b->nrx++;
	uint8_t st_bits = (uint8_t)(VDP_RESP | b->code[h.type] | b->bits[h.type]);
	uint8_t code = b->code[h.type];
	if (b->once[h.type])
		b->code[h.type] = b->once[h.type] = 0;
	if (vdp_is_vsi_type(h.type)) {
		static struct vdp_vsi v;
		ck_assert_int_gt(vdp_vsi_decode(tlv, len, &v), 0);
		r->status = v.status;
		r->vnid = v.type_id | (uint32_t)v.type_ver << 24;
		memcpy(r->vsiid, v.vsiid, 16);
		r->vid = v.filters[0].vid;
		if (!code && !b->mute[h.type])
			b->holds[v.vsiid[15]] = h.type != VDP_TLV_DEASSOC;
		v.status = st_bits;
		if (!code && v.filters[0].vid == 0)
			v.filters[0].vid = b->grant;
		int n = vdp_vsi_encode(&v, out, cap);
		ck_assert_int_gt(n, 0);
		return (size_t)n;
	}
	if (h.type >= VDP_TLV_POLICY_SYNC && h.type <= VDP_TLV_POLICY_REMOVE) {
		static struct vdp_policy p;
		ck_assert_int_gt(vdp_policy_decode(tlv, len, &p), 0);
		r->status = p.status;
		r->vnid = p.vnid;
		r->nentries = p.nentries;
		p.status = st_bits;
		int n = vdp_policy_encode(&p, out, cap);
		ck_assert_int_gt(n, 0);
		return (size_t)n;
	}
	if (h.type == VDP_TLV_HELP) {
		struct vdp_help hp;
		ck_assert_int_gt(vdp_help_decode(tlv, len, &hp), 0);
		r->status = hp.status;
		memcpy(r->vsiid, hp.vsiid, 16);
	}
	return 0; /* a station's answer: nothing to say */
}

static int br_deliver(void *ctx, const uint8_t *pdu, size_t len, const uint8_t src[6])
{
	struct bridge *b = ctx;
	uint8_t out[VDP_ECP_MAX_ULPDU];
	size_t o = 0;
	bool any = false;
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	(void)src;
	vdp_pdu_iter_init(&it, pdu, len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		size_t n = answer_tlv(b, tlv, tlen, out + o, sizeof(out) - o);
		any |= n && h.type != VDP_TLV_MGRID;
		o += n;
	}
	vdp_pdu_iter_init(&it, pdu, len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1)
		any &= h.type >= 16 || !b->mute[h.type];
	if (any && !b->silent)
		ck_assert_int_eq(vdp_ecp_engine_send(b->e, out, o, NULL, now), 0);
	return 0;
}

static void br_input(struct bridge *b, const struct frame *f)
{
	unsigned et = (unsigned)f->b[12] << 8 | f->b[13];
	if (et == VDP_ECP_ETHERTYPE) {
		ck_assert_int_ge(vdp_ecp_engine_input(b->e, f->b, f->len, now), 0);
		vdp_ecp_engine_deliver(b->e);
	} else if (et == 0x88cc) {
		ck_assert_uint_lt(b->nlldp, MAXLOG);
		b->lldp_t[b->nlldp] = now;
		b->lldp[b->nlldp++] = *f;
	} else {
		if (b->nother < 16) /* counted; the first 16 kept */
			b->other[b->nother] = *f;
		b->nother++;
	}
}

static void pump(void)
{
	for (bool more = true; more;) {
		more = false;
		for (int k = 0; k < NLINKS; k++) {
			struct bridge *b = &br[k];
			while ((b->to_br.n && !b->to_br.hold) || (b->to_st.n && !b->to_st.hold)) {
				more = true;
				if (b->to_br.n && !b->to_br.hold) {
					struct frame f = b->to_br.q[0];
					memmove(b->to_br.q, b->to_br.q + 1,
					        --b->to_br.n * sizeof(f));
					br_input(b, &f);
				}
				if (b->to_st.n && !b->to_st.hold) {
					struct frame f = b->to_st.q[0];
					memmove(b->to_st.q, b->to_st.q + 1,
					        --b->to_st.n * sizeof(f));
					ck_assert_int_eq(
					    vdp_station_input(st, link_name[k], f.b, f.len), 0);
				}
			}
		}
	}
}

/* Loses the next n VDPDU frames bridge k sends (its ECP requests: the
 * responses and their retransmissions), but none of its acks. */
static void pump_drop_responses(int k, unsigned n)
{
	drop_resp[k] = n;
}

static uint64_t next_deadline(void)
{
	uint64_t d = vdp_station_next_deadline(st);
	for (int k = 0; k < NLINKS; k++) {
		uint64_t x = vdp_ecp_engine_next_timeout(br[k].e);
		d = x < d ? x : d;
	}
	return d;
}

/* Advances the fake clock to t, firing each deadline exactly on time and
 * delivering frames with no latency. */
static void run_until(uint64_t t)
{
	for (;;) {
		pump();
		uint64_t d = next_deadline();
		if (d > t)
			break;
		if (d > now)
			now = d;
		ck_assert_int_eq(vdp_station_process(st), 0);
		for (int k = 0; k < NLINKS; k++)
			vdp_ecp_engine_timer(br[k].e, now);
	}
	if (t > now)
		now = t;
	pump();
}

static void setup_links(int nlinks)
{
	now = 1000 * SEC;
	nres = nev = ev_kinds = 0;
	memset(br, 0, sizeof(br));
	memset(drop_resp, 0, sizeof(drop_resp));
	st = vdp_station_new("blabla");
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(vdp_station_set_clock(st, fake_clock, NULL), 0);
	ck_assert_int_eq(vdp_station_on_result(st, on_result, NULL), 0);
	ck_assert_int_eq(vdp_station_on_event(st, on_event, NULL), 0);
	ck_assert_int_eq(vdp_station_set_lldp(st, VDP_LLDP_EXTERNAL, 0), 0);
	for (int k = 0; k < NLINKS; k++) {
		struct vdp_ecp_engine_cfg c = {.size = sizeof(c),
		                               .r = 3,
		                               .rte = 8,
		                               .send = br_send,
		                               .deliver = br_deliver,
		                               .ctx = &br[k]};
		memcpy(c.local_mac, br_mac[k], 6);
		br[k].e = vdp_ecp_engine_new(&c);
		ck_assert_ptr_nonnull(br[k].e);
		br[k].grant = (uint16_t)(100 + k);
		if (k < nlinks)
			ck_assert_int_eq(
			    vdp_station_add_link(st, link_name[k], st_mac[k], st_send, &br[k]), 0);
	}
}

static void setup(void)
{
	setup_links(1);
}

static void setup2(void)
{
	setup_links(2);
}

static void teardown(void)
{
	vdp_station_free(st);
	for (int k = 0; k < NLINKS; k++)
		vdp_ecp_engine_free(br[k].e);
}

/* --- helpers ------------------------------------------------------------------ */

static struct vdp_policy dhcp_policy(void)
{
	struct vdp_policy p;
	memset(&p, 0, sizeof(p));
	p.nentries = 1;
	p.entries[0].type = VDP_POL_DHCP_SNOOP;
	p.entries[0].u.enable = true;
	return p;
}

static struct vdp_vm vm_of(uint32_t vnid, unsigned n, const uint8_t *mac)
{
	struct vdp_vm vm;
	memset(&vm, 0, sizeof(vm));
	vm.vnid = vnid;
	vm.vsiid_fmt = VDP_VSIID_UUID;
	ck_assert_int_eq(
	    vdp_vsiid_parse(VDP_VSIID_UUID, "00112233-4455-6677-8899-aabbccddee00", vm.vsiid), 0);
	vm.vsiid[15] = (uint8_t)n;
	memcpy(vm.mac, mac, 6);
	return vm;
}

static void net(uint32_t vnid)
{
	struct vdp_policy p = dhcp_policy();
	ck_assert_int_eq(vdp_station_create_network(st, vnid, &p, NULL), 0);
}

static uint32_t create(uint32_t vnid, unsigned n)
{
	struct vdp_vm vm = vm_of(vnid, n, n == 2 ? vm_mac2 : vm_mac);
	uint32_t op = 0;
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, &op), 0);
	ck_assert_uint_gt(op, 0);
	return op;
}

/* The types of the request TLVs bridge k received, as a string "6 3 4". */
static const char *rx_types(int k)
{
	static char s[512];
	size_t o = 0;
	s[0] = 0;
	for (unsigned i = 0; i < br[k].nrx && i < MAXLOG && o < sizeof(s) - 4; i++)
		o += (size_t)snprintf(s + o, sizeof(s) - o, "%s%u", i ? " " : "", br[k].rx[i].type);
	return s;
}

static enum vdp_vsi_state vm_state(unsigned idx, unsigned link, uint16_t *vid)
{
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, idx, &vi), 0);
	ck_assert_uint_gt(vi.nlinks, link);
	if (vid)
		*vid = vi.links[link].vid;
	return vi.links[link].state;
}

static enum vdp_sync_state sync_state(unsigned idx, unsigned link)
{
	struct vdp_station_net_info ni = {.size = sizeof(ni)};
	ck_assert_int_eq(vdp_station_net_at(st, idx, &ni), 0);
	return ni.links[link].sync;
}

static void bridge_send(int k, const uint8_t *pdu, size_t len)
{
	ck_assert_int_eq(vdp_ecp_engine_send(br[k].e, pdu, len, NULL, now), 0);
	pump();
}

/* An unsolicited De-Associate from bridge k for VM n of vnid. */
static void bridge_deassoc(int k, uint32_t vnid, unsigned n)
{
	static struct vdp_vsi v;
	struct vdp_vm vm = vm_of(vnid, n, vm_mac);
	struct vdp_mgrid m = {{0}};
	uint8_t pdu[600];
	memset(&v, 0, sizeof(v));
	v.type = VDP_TLV_DEASSOC;
	v.type_id = vnid & 0xffffff;
	v.vsiid_fmt = VDP_VSIID_UUID;
	memcpy(v.vsiid, vm.vsiid, 16);
	v.filter_fmt = VDP_FILTER_MAC_VID;
	v.nfilters = 1;
	memcpy(v.filters[0].mac, vm_mac, 6);
	v.filters[0].vid = 100;
	memcpy(m.id, "bridge", 6);
	int a = vdp_mgrid_encode(&m, pdu, sizeof(pdu));
	int b = vdp_vsi_encode(&v, pdu + a, sizeof(pdu) - (size_t)a);
	ck_assert_int_gt(b, 0);
	bridge_send(k, pdu, (size_t)a + (size_t)b);
}

/* --- create -------------------------------------------------------------------- */

START_TEST(t_first_vm_syncs_policy_then_associates)
{
	net(5000);
	uint32_t op = create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3");
	/* The Policy Sync is vdp-protocol(7)'s example, octet for octet. */
	tu_assert_bytes(br[0].rx[0].tlv, br[0].rx[0].tlv_len,
	                (const uint8_t *)"\x0c\x0b\x00\x00\x13\x88\x00\x00\x01\x05\x00\x01\x01",
	                13);
	ck_assert_uint_eq(br[0].rx[1].status, 0);
	ck_assert_uint_eq(br[0].rx[1].vnid, 5000);
	ck_assert_uint_eq(br[0].rx[1].vid, 0);
	ck_assert_uint_eq(nres, 1);
	ck_assert_uint_eq(res[0].op, op);
	ck_assert_int_eq(res[0].kind, VDP_OP_CREATE_VM);
	ck_assert_str_eq(res[0].link, "l1");
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[0].stage, VDP_TLV_ASSOC);
	ck_assert_uint_eq(res[0].vid, 100);
	ck_assert_uint_eq(res[0].sent, 1u << 6 | 1u << 3);
	ck_assert_uint_eq(res[0].links_pending, 0);
	ck_assert_str_eq(res[0].error_text, "success");
	uint16_t vid;
	ck_assert_int_eq(vm_state(0, 0, &vid), VDP_VSI_ASSOC);
	ck_assert_uint_eq(vid, 100);
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_SYNCED);
	/* vdp_station_wait() hands the finished op's results over once. */
	struct vdp_station_result w[4] = {{.size = sizeof(w[0])}};
	size_t n = 9;
	ck_assert_int_eq(vdp_station_wait(st, op, 0, w, 4, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(w[0].vid, 100);
	ck_assert_int_eq(vdp_station_wait(st, op, 0, w, 4, &n), -ENOENT);
}
END_TEST

START_TEST(t_plain_network_matches_lldpad_example)
{
	/* vdp-protocol(7)'s lldpad Associate: Manager ID "blabla", VSI type 5
	 * version 4, a UUID VSIID, MAC 52:54:00:aa:bb:01 and VID 0. */
	static const char *want = "0a10 626c61626c6100000000000000000000 0621 00 000005 04 05"
	                          "00112233445566778899aabbccddee01 02 0001 525400aabb01 0000";
	uint8_t exp[128], mac[6] = {0x52, 0x54, 0, 0xaa, 0xbb, 1};
	size_t elen = tu_hex(want, exp, sizeof(exp));
	ck_assert_int_eq(vdp_station_create_network(st, 4u << 24 | 5, NULL, NULL), 0);
	struct vdp_vm vm = vm_of(4u << 24 | 5, 1, mac);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), 0);
	ck_assert_uint_eq(br[0].to_br.n, 1);
	struct vdp_ecp_frame f;
	ck_assert_int_gt(vdp_ecp_frame_decode(br[0].to_br.q[0].b, br[0].to_br.q[0].len, &f), 0);
	tu_assert_bytes(f.ulpdu, f.ulpdu_len, exp, elen);
	tu_assert_bytes(f.dst, 6, vdp_ecp_ncb_addr, 6);
	tu_assert_bytes(f.src, 6, st_mac[0], 6);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "3"); /* no policy TLV, ever */
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
}
END_TEST

START_TEST(t_second_vm_does_not_sync_again)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	create(5000, 2);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3");
	ck_assert_uint_eq(nres, 2);
	ck_assert_uint_eq(res[1].sent, 1u << 3);
}
END_TEST

START_TEST(t_concurrent_first_vms_share_one_sync)
{
	net(5000);
	create(5000, 1);
	create(5000, 2);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3");
	ck_assert_uint_eq(nres, 2);
	ck_assert_uint_eq(res[0].sent, 1u << 6 | 1u << 3);
	ck_assert_uint_eq(res[1].sent, 1u << 3);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
}
END_TEST

START_TEST(t_refused_sync_fails_every_waiting_vm)
{
	net(5000);
	br[0].code[VDP_TLV_POLICY_SYNC] = VDP_ST_INSUFFICIENT_RESOURCES;
	create(5000, 1);
	create(5000, 2);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6");
	ck_assert_uint_eq(nres, 2);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(res[i].status, VDP_RESULT_REFUSED);
		ck_assert_uint_eq(res[i].stage, VDP_TLV_POLICY_SYNC);
		ck_assert_uint_eq(res[i].error, 2);
		ck_assert_str_eq(res[i].error_text, "insufficient resources");
	}
	/* Both VMs are forgotten, so the call can be repeated. */
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), -ENOENT);
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_NONE);
	br[0].code[VDP_TLV_POLICY_SYNC] = 0;
	create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 6 3");
	ck_assert_int_eq(res[2].status, VDP_RESULT_OK);
}
END_TEST

START_TEST(t_refusal_with_keep_keeps_preassociation)
{
	net(5000);
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	vm.preassoc = true;
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 1");
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_PREASSOC);
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_OTHER_FAILURE;
	br[0].bits[VDP_TLV_ASSOC] = VDP_RESP_KEEP;
	ck_assert_int_eq(vdp_station_associate(st, vm.vsiid_fmt, vm.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 1 3");
	/* The Associate asks for the VLAN the Pre-Associate got. */
	ck_assert_uint_eq(br[0].rx[2].vid, 100);
	ck_assert_int_eq(res[1].status, VDP_RESULT_REFUSED);
	ck_assert(res[1].keep);
	ck_assert(!res[1].hard);
	uint16_t vid;
	ck_assert_int_eq(vm_state(0, 0, &vid), VDP_VSI_PREASSOC);
	ck_assert_uint_eq(vid, 100);
	/* Without KEEP the VM is in no state on that switch. */
	br[0].bits[VDP_TLV_ASSOC] = VDP_RESP_HARD;
	ck_assert_int_eq(vdp_station_associate(st, vm.vsiid_fmt, vm.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert(res[2].hard);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_FAILED);
}
END_TEST

/* --- frame loss and timeouts ------------------------------------------------ */

START_TEST(t_lost_frames_are_retransmitted)
{
	net(5000);
	br[0].to_br.drop = 2; /* the Policy Sync, twice */
	uint64_t t0 = now;
	create(5000, 1);
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "6 3");
	ck_assert_uint_eq(br[0].rx[0].t, t0 + 2 * T_ACK);
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	/* A lost acknowledgement: the bridge sees the repeat, answers once. */
	br[0].to_st.drop = 1; /* its ack of our Associate */
	create(5000, 2);
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3");
	ck_assert_uint_eq(nres, 2);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	struct vdp_ecp_engine_counters k = {.size = sizeof(k)};
	ck_assert_int_eq(vdp_ecp_engine_get_counters(br[0].e, &k), 0);
	ck_assert_uint_eq(k.rx_duplicates, 1);
}
END_TEST

static struct vdp_station_link_info link_info(unsigned i)
{
	struct vdp_station_link_info li = {.size = sizeof(li)};
	ck_assert_int_eq(vdp_station_link_at(st, i, &li), 0);
	return li;
}

START_TEST(t_no_ack_is_sent_again_then_given_up)
{
	net(5000);
	br[0].to_br.drop_all = true;
	uint64_t t0 = now;
	create(5000, 1);
	run_until(t0 + T_RESP - 1);
	ck_assert_uint_eq(nres, 0);
	/* Each request is a new ECP PDU of 4 tries (the first + R = 3), sent
	 * after a backoff of one request's tries (10.24 ms) doubling. */
	const uint64_t first[] = {0, 20480, 51200, 102400, 194560, 368640, 706560, 1372160};
	ck_assert_uint_eq(br[0].to_br.noffered, 32);
	for (unsigned k = 0; k < 8; k++)
		ck_assert_uint_eq(br[0].to_br.offered_t[4 * k], t0 + first[k] * 1000);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_PENDING);
	/* The bridge had the response wait to answer: then the station gives up. */
	run_until(t0 + T_RESP);
	ck_assert_uint_eq(nres, 1);
	ck_assert_int_eq(res[0].status, VDP_RESULT_NO_ACK);
	ck_assert_uint_eq(res[0].stage, VDP_TLV_POLICY_SYNC);
	ck_assert_uint_eq(res_t[0], t0 + T_RESP);
	ck_assert_uint_eq(res[0].resends, 7);
	ck_assert_uint_eq(res[0].retransmits, 24);
	ck_assert_str_eq(res[0].error_text, "never acknowledged");
	ck_assert_str_eq(res[0].detail,
	                 "policy-sync: 8 requests without ECP ack (4 tries of 2.56 ms "
	                 "each); gave up after 8 requests in 15.8 s");
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), -ENOENT);
	/* The bridge may hold the policy: the station removes it. */
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_REMOVING);
	ck_assert_uint_eq(br[0].to_br.noffered, 33);
	run_until(now + 2 * T_RESP);
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_NONE);
	struct vdp_station_link_info li = link_info(0);
	ck_assert_uint_eq(li.given_up, 2);
	ck_assert_uint_eq(li.resends, 14);
	ck_assert_uint_eq(li.ecp_failures, 16);
	ck_assert_uint_eq(nev, 0); /* the op's result said it all */
}
END_TEST

START_TEST(t_unanswered_request_is_sent_again_then_given_up)
{
	net(5000);
	br[0].silent = true;
	uint64_t t0 = now;
	create(5000, 1);
	run_until(t0 + T_RESP - 1);
	ck_assert_uint_eq(nres, 0);
	/* Acknowledged, unanswered: sent again every quarter response wait. */
	ck_assert_str_eq(rx_types(0), "6 6 6 6");
	for (unsigned k = 0; k < 4; k++)
		ck_assert_uint_eq(br[0].rx[k].t, t0 + k * (T_RESP / 4));
	run_until(t0 + T_RESP + 1 * SEC);
	ck_assert_uint_eq(nres, 1);
	ck_assert_int_eq(res[0].status, VDP_RESULT_TIMEOUT);
	ck_assert_uint_eq(res_t[0], t0 + T_RESP);
	ck_assert_str_eq(res[0].detail,
	                 "policy-sync: 4 acknowledged but not answered within 3.94 s; "
	                 "gave up after 4 requests in 15.8 s");
	ck_assert_str_eq(rx_types(0), "6 6 6 6 8"); /* and the policy is removed */
}
END_TEST

START_TEST(t_lost_request_ack_and_response)
{
	br[0].grant = 100;
	ck_assert_int_eq(vdp_station_create_network(st, 5000, NULL, NULL), 0);
	/* A whole request lost (4 tries): sent again 10.24 ms later. */
	br[0].to_br.drop = 4;
	uint64_t t0 = now;
	create(5000, 1);
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "3");
	ck_assert_uint_eq(br[0].rx[0].t, t0 + 8 * T_ACK);
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[0].resends, 1);
	ck_assert_uint_eq(res[0].retransmits, 3);
	ck_assert_str_eq(res[0].detail,
	                 "associate: no ECP ack after 4 tries of 2.56 ms; the switch "
	                 "answered 10.2 ms later");
	/* Every ack lost: the answer decides, nothing is sent again. */
	br[0].to_st.drop = 1;
	create(5000, 2);
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "3 3");
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[1].resends, 0);
	ck_assert_str_eq(res[1].detail, "");
	/* The response lost (the bridge's 4 tries): after a quarter response
	 * wait the request goes again, and its answer decides. */
	t0 = now;
	struct vdp_vm vm = vm_of(5000, 3, vm_mac);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), 0);
	pump_drop_responses(0, 4);
	run_until(t0 + T_RESP / 4 + 10 * MS);
	ck_assert_str_eq(rx_types(0), "3 3 3 3");
	ck_assert_uint_eq(br[0].rx[3].t, t0 + T_RESP / 4);
	ck_assert_int_eq(res[2].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res_t[2], t0 + T_RESP / 4);
	ck_assert_uint_eq(res[2].resends, 1);
	ck_assert_str_eq(res[2].detail, "associate: 1 acknowledged but not answered within 3.94 s; "
	                                "the switch answered request 2");
	ck_assert_int_eq(vm_state(2, 0, NULL), VDP_VSI_ASSOC);
}
END_TEST

START_TEST(t_late_ack_is_an_ack)
{
	ck_assert_int_eq(vdp_station_create_network(st, 5000, NULL, NULL), 0);
	br[0].to_st.hold = true; /* a busy bridge: its frames come 19.24 ms late */
	uint64_t t0 = now;
	create(5000, 1);
	run_until(t0 + 4 * T_ACK + 9 * MS);
	ck_assert_uint_eq(nres, 0);
	br[0].to_st.hold = false;
	run_until(now + 100 * MS);
	ck_assert_uint_eq(nres, 1);
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[0].resends, 0); /* the ack stopped the next request */
	ck_assert_str_eq(rx_types(0), "3");
	ck_assert_str_eq(res[0].detail,
	                 "associate: no ECP ack after 4 tries of 2.56 ms; an ECP ack "
	                 "came 9 ms after ECP gave up; the switch answered 9 ms later");
	ck_assert_uint_eq(link_info(0).late_acks, 1);
}
END_TEST

START_TEST(t_given_up_associate_is_de_associated)
{
	net(5000);
	br[0].mute[VDP_TLV_ASSOC] = true; /* programs it, but the answers are lost */
	uint64_t t0 = now;
	uint32_t op = create(5000, 1);
	run_until(t0 + T_RESP + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 3 3 4");
	ck_assert_uint_eq(nres, 1);
	ck_assert_uint_eq(res[0].op, op);
	ck_assert_int_eq(res[0].status, VDP_RESULT_TIMEOUT);
	ck_assert_uint_eq(res[0].stage, VDP_TLV_ASSOC);
	ck_assert_uint_eq(res[0].resends, 3);
	ck_assert_uint_eq(res[0].sent, 1u << 6 | 1u << 3);
	/* The bridge answered the De-Associate: it holds nothing, the station
	 * has forgotten the VM, and nothing else was said. */
	ck_assert(!br[0].holds[1]);
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), -ENOENT);
	ck_assert_uint_eq(nev, 0);
	/* The VSIID is free again; a new create goes behind the cleanup. */
	br[0].mute[VDP_TLV_ASSOC] = false;
	create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	ck_assert(br[0].holds[1]);
	struct vdp_vm a = vm_of(5000, 1, vm_mac);
	ck_assert_int_eq(vdp_station_remove_vm(st, a.vsiid_fmt, a.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert(!br[0].holds[1]);
	/* A cleanup that goes unanswered too is reported: the bridge may keep
	 * that VM until its keepalive timeout. */
	br[0].mute[VDP_TLV_ASSOC] = br[0].mute[VDP_TLV_DEASSOC] = true;
	create(5000, 2);
	run_until(now + 3 * T_RESP);
	ck_assert_int_eq(res[3].status, VDP_RESULT_TIMEOUT);
	ck_assert_uint_eq(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_CLEANUP_FAILED);
	ck_assert_uint_eq(evs[0].vsiid[15], 2);
	ck_assert_str_eq(ev_text[0], "4 acknowledged but not answered within 3.94 s; gave up after "
	                             "4 requests in 15.8 s");
}
END_TEST

START_TEST(t_de_associate_is_sent_again_until_answered)
{
	net(5000);
	create(5000, 1);
	create(5000, 2);
	run_until(now + 10 * MS);
	struct vdp_vm a = vm_of(5000, 1, vm_mac);
	br[0].to_br.drop = 4;
	uint64_t t0 = now;
	ck_assert_int_eq(vdp_station_remove_vm(st, a.vsiid_fmt, a.vsiid, NULL), 0);
	/* Forgotten at once... */
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 1, &vi), -ENOENT);
	/* ... and de-associated on the bridge all the same. */
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 4");
	ck_assert_uint_eq(br[0].rx[3].t, t0 + 8 * T_ACK);
	ck_assert(!br[0].holds[1]);
	ck_assert_int_eq(res[2].kind, VDP_OP_REMOVE_VM);
	ck_assert_int_eq(res[2].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[2].resends, 1);
}
END_TEST

START_TEST(t_policy_update_is_sent_again)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	struct vdp_policy p = dhcp_policy();
	br[0].to_br.drop = 4;
	ck_assert_int_eq(vdp_station_update_policy(st, 5000, &p, NULL), 0);
	run_until(now + 100 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7");
	ck_assert_int_eq(res[1].kind, VDP_OP_UPDATE_POLICY);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[1].resends, 1);
}
END_TEST

START_TEST(t_timers_follow_set_timers)
{
	struct vdp_timers t = {.r = 1, .rte = 5, .rwd = 10, .rka = 12};
	ck_assert_int_eq(vdp_station_set_timers(st, NULL, &t), 0);
	net(5000);
	br[0].to_br.drop_all = true;
	uint64_t t0 = now;
	create(5000, 1);
	run_until(now + 1 * SEC);
	/* Given up after the response wait: 1.5 x (3 x 2^5 + 2^10) x 10 us. */
	ck_assert_uint_eq(res_t[0], t0 + 16800 * 1000);
	ck_assert_uint_eq(br[0].to_br.offered_t[2], t0 + 4 * vdp_ecp_timeout_ns(5));
	struct vdp_station_link_info li = {.size = sizeof(li)};
	ck_assert_int_eq(vdp_station_link_at(st, 0, &li), 0);
	ck_assert_uint_eq(li.timers.rka, 12);
	t.r = 8;
	ck_assert_int_eq(vdp_station_set_timers(st, NULL, &t), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st), "timers: R 8 is above 7");
	t.r = 3;
	ck_assert_int_eq(vdp_station_set_timers(st, "nope", &t), -ENOENT);
}
END_TEST

/* --- keepalives and bridge-initiated de-association ------------------------------ */

START_TEST(t_keepalive_resends_current_request)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	uint64_t t_assoc = br[0].rx[1].t;
	run_until(t_assoc + 3 * T_KA + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 3 3");
	for (int i = 2; i < 5; i++) {
		ck_assert_uint_eq(br[0].rx[i].t, t_assoc + (uint64_t)(i - 1) * T_KA);
		/* The same Associate, with the VLAN the switch granted. */
		ck_assert_uint_eq(br[0].rx[i].vid, 100);
		ck_assert_uint_eq(br[0].rx[i].status, 0);
	}
	ck_assert_uint_eq(nres, 1); /* keepalives report nothing when they work */
	ck_assert_uint_eq(nev, 0);
	struct vdp_station_link_info li = {.size = sizeof(li)};
	ck_assert_int_eq(vdp_station_link_at(st, 0, &li), 0);
	ck_assert_uint_eq(li.keepalives, 3);
}
END_TEST

START_TEST(t_refused_keepalive_is_a_deassociation)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_OTHER_FAILURE;
	run_until(now + T_KA + 10 * MS);
	ck_assert_uint_eq(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_DEASSOC);
	ck_assert_uint_eq(evs[0].error, 4);
	ck_assert_uint_eq(evs[0].vnid, 5000);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_LOST);
	run_until(now + 3 * T_KA);
	ck_assert_str_eq(rx_types(0), "6 3 3"); /* no keepalive after that */
}
END_TEST

START_TEST(t_lost_keepalive_is_sent_again_soon)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	uint64_t t_assoc = br[0].rx[1].t;
	/* The whole first keepalive is lost (4 tries): sent again 10.24 ms
	 * after ECP gave up, not a keepalive period later. */
	run_until(t_assoc + T_KA - 1);
	br[0].to_br.drop = 4;
	run_until(t_assoc + T_KA + 100 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3");
	ck_assert_uint_eq(br[0].rx[2].t, t_assoc + T_KA + 8 * T_ACK);
	ck_assert_uint_eq(nev, 0); /* answered: nothing to report */
	/* The next one is due a period after the first was, however long
	 * that took; its response lost, it goes again a quarter response wait
	 * later, well within the bridge's keepalive timeout. */
	uint64_t tk = t_assoc + T_KA;
	run_until(tk + T_KA - 1);
	pump_drop_responses(0, 4);
	run_until(tk + T_KA + T_RESP / 4 + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 3 3");
	ck_assert_uint_eq(br[0].rx[3].t, tk + T_KA);
	ck_assert_uint_eq(br[0].rx[4].t, tk + T_KA + T_RESP / 4);
	/* And the third a period after the second was due. */
	run_until(tk + 2 * T_KA);
	ck_assert_str_eq(rx_types(0), "6 3 3 3 3 3");
	ck_assert_uint_eq(br[0].rx[5].t, tk + 2 * T_KA);
	ck_assert_uint_eq(nev, 0);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_ASSOC);
}
END_TEST

START_TEST(t_unanswered_keepalives_re_associate)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	uint64_t t_assoc = br[0].rx[1].t;
	br[0].silent = true;
	run_until(t_assoc + T_KA + T_RESP);
	/* A response wait of keepalives without answer: reported, and the VM
	 * re-associated at once. */
	ck_assert_uint_eq(nev, 2);
	ck_assert_int_eq(evs[0].kind, VDP_EV_KEEPALIVE_FAILED);
	ck_assert_str_eq(ev_text[0],
	                 "keepalives unanswered: 4 acknowledged but not answered within "
	                 "3.94 s; gave up after 4 requests in 15.8 s; the switch last "
	                 "confirmed the VM 3.94 s ago");
	ck_assert_int_eq(evs[1].kind, VDP_EV_DEASSOC);
	ck_assert_str_eq(ev_text[1], "the switch may have timed the VM out; re-associating it");
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_PENDING);
	br[0].silent = false;
	run_until(now + T_RESP);
	ck_assert_uint_eq(nev, 3);
	ck_assert_int_eq(evs[2].kind, VDP_EV_REASSOCIATED);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_ASSOC);
	ck_assert_uint_eq(nres, 1); /* events, not results: no op asked for it */
}
END_TEST

START_TEST(t_keepalives_lost_reported_before_bridge_timeout)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	uint64_t t_ok = res_t[0]; /* the Associate's answer */
	br[0].to_br.drop_all = true;
	run_until(t_ok + T_RESP + 1);
	/* Reported halfway between the keepalive period and the bridge's
	 * keepalive timeout (15.76 s: the response wait's formula with RKA
	 * for RWD), so before the bridge may time the VM out. */
	ck_assert_uint_eq(nev, 2);
	ck_assert_int_eq(evs[0].kind, VDP_EV_KEEPALIVE_FAILED);
	ck_assert_uint_eq(ev_t[0], t_ok + (T_KA + T_RESP) / 2);
	ck_assert_str_eq(ev_text[0],
	                 "keepalives unanswered: 8 requests without ECP ack (4 tries of "
	                 "2.56 ms each); gave up after 8 requests in 2.63 s; the switch "
	                 "last confirmed the VM 13.1 s ago");
	ck_assert_int_eq(evs[1].kind, VDP_EV_DEASSOC);
	/* The re-association gets no ack either: LOST once the response wait
	 * has passed, then the undo's De-Associate is given up and said so. */
	run_until(now + 3 * T_RESP);
	ck_assert_uint_eq(nev, 4);
	ck_assert_int_eq(evs[2].kind, VDP_EV_LOST);
	ck_assert_uint_eq(ev_t[2], ev_t[0] + T_RESP);
	ck_assert_int_eq(evs[3].kind, VDP_EV_CLEANUP_FAILED);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_LOST);
}
END_TEST

START_TEST(t_bridge_deassociation_re_associates_once)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	bridge_deassoc(0, 5000, 1);
	ck_assert_uint_ge(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_DEASSOC);
	ck_assert_str_eq(evs[0].link, "l1");
	ck_assert_uint_eq(evs[0].vsiid[15], 1);
	ck_assert_str_eq(ev_text[0], "the switch de-associated the VM; re-associating it");
	run_until(now + 10 * MS);
	ck_assert_uint_eq(nev, 2);
	ck_assert_int_eq(evs[1].kind, VDP_EV_REASSOCIATED);
	ck_assert_str_eq(ev_text[1], "re-associated, VLAN 100");
	ck_assert_str_eq(rx_types(0), "6 3 3");
	ck_assert_uint_eq(br[0].rx[2].vid, 0); /* the lost VLAN is not claimed */
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_ASSOC);
	ck_assert(br[0].holds[1]);
	/* Again within a keepalive period: no loop, the VM stays lost. */
	bridge_deassoc(0, 5000, 1);
	run_until(now + 10 * MS);
	ck_assert_uint_eq(nev, 4);
	ck_assert_int_eq(evs[2].kind, VDP_EV_DEASSOC);
	ck_assert_int_eq(evs[3].kind, VDP_EV_LOST);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_LOST);
	run_until(now + 2 * T_KA);
	ck_assert_str_eq(rx_types(0), "6 3 3"); /* no keepalive, no attempt */
	/* associate() restores it. */
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	ck_assert_int_eq(vdp_station_associate(st, vm.vsiid_fmt, vm.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 3");
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_ASSOC);
}
END_TEST

START_TEST(t_refused_re_association_ends_lost)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_INSUFFICIENT_RESOURCES;
	bridge_deassoc(0, 5000, 1);
	run_until(now + 10 * MS);
	ck_assert_uint_eq(nev, 2);
	ck_assert_int_eq(evs[0].kind, VDP_EV_DEASSOC);
	ck_assert_int_eq(evs[1].kind, VDP_EV_LOST);
	ck_assert_uint_eq(evs[1].error, VDP_ST_INSUFFICIENT_RESOURCES);
	ck_assert_str_eq(ev_text[1],
	                 "the switch refused the re-association: insufficient resources");
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_LOST);
	run_until(now + 3 * T_KA);
	ck_assert_str_eq(rx_types(0), "6 3 3"); /* one attempt, then nothing */
	ck_assert_uint_eq(nev, 2);
}
END_TEST

START_TEST(t_deassociation_of_unknown_or_foreign_vsi_ignored)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	bridge_deassoc(0, 5000, 7); /* lldpad's late De-Associate: unknown VSI */
	ck_assert_uint_eq(nev, 0);
	/* Another station's frames, flooded by the bridge: not from our peer. */
	static struct vdp_vsi v;
	uint8_t pdu[600], frame[700];
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	memset(&v, 0, sizeof(v));
	v.type = VDP_TLV_DEASSOC;
	v.type_id = 5000;
	v.vsiid_fmt = VDP_VSIID_UUID;
	memcpy(v.vsiid, vm.vsiid, 16);
	v.filter_fmt = VDP_FILTER_VID;
	v.nfilters = 1;
	int n = vdp_vsi_encode(&v, pdu, sizeof(pdu));
	struct vdp_ecp_frame f = {
	    .hdr = {.version = 1, .op = VDP_ECP_OP_REQUEST, .subtype = 1, .seq = 7},
	    .ulpdu = pdu,
	    .ulpdu_len = (size_t)n};
	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, st_mac[1], 6);
	int fl = vdp_ecp_frame_encode(&f, 1, frame, sizeof(frame));
	ck_assert_int_eq(vdp_station_input(st, "l1", frame, (size_t)fl), 0);
	ck_assert_uint_eq(nev, 0);
	ck_assert_uint_eq(br[0].to_br.n, 0); /* not even acknowledged */
	struct vdp_station_link_info li = {.size = sizeof(li)};
	ck_assert_int_eq(vdp_station_link_at(st, 0, &li), 0);
	ck_assert_uint_eq(li.foreign, 1);
	ck_assert_uint_eq(li.unmatched, 1);
	ck_assert(li.peer_known);
	tu_assert_bytes(li.peer, 6, br_mac[0], 6);
	ck_assert_int_eq(vm_state(0, 0, NULL), VDP_VSI_ASSOC);
}
END_TEST

/* --- the invariant under random loss ------------------------------------------- */

/* Whether the station and each bridge agree: a VM the station has in
 * state ASSOC on a link is one the bridge holds, and the other way round. */
static void assert_one_view(unsigned nvms)
{
	for (int k = 0; k < NLINKS; k++) {
		bool station[256] = {false};
		struct vdp_station_vm_info vi = {.size = sizeof(vi)};
		for (unsigned i = 0; vdp_station_vm_at(st, i, &vi) == 0; i++) {
			ck_assert_int_ne(vi.links[k].state, VDP_VSI_PENDING);
			station[vi.vm.vsiid[15]] = vi.links[k].state == VDP_VSI_ASSOC;
		}
		for (unsigned n = 1; n <= nvms; n++)
			ck_assert_msg(station[n] == br[k].holds[n],
			              "VM %u on l%d: station %d bridge %d", n, k + 1, station[n],
			              br[k].holds[n]);
	}
}

START_TEST(t_undo_goes_before_later_requests)
{
	net(5000);
	br[1].mute[VDP_TLV_ASSOC] = true; /* l2 programs it, its answers are lost */
	uint64_t t0 = now;
	create(5000, 1);
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	uint32_t op;
	ck_assert_int_eq(vdp_station_associate(st, vm.vsiid_fmt, vm.vsiid, &op), 0);
	run_until(t0 + T_RESP - 1);
	ck_assert_str_eq(rx_types(1), "6 3 3 3 3");
	br[1].mute[VDP_TLV_ASSOC] = false;
	run_until(t0 + T_RESP + 10 * MS);
	/* The create gave up on l2 and undid it, then the associate() that was
	 * called meanwhile went out: the bridge holds the VM, as the station
	 * says. */
	ck_assert_str_eq(rx_types(1), "6 3 3 3 3 4 3");
	ck_assert_int_eq(vm_state(0, 1, NULL), VDP_VSI_ASSOC);
	ck_assert(br[1].holds[1]);
	struct vdp_station_result w[2] = {{.size = sizeof(w[0])}};
	size_t n = 0;
	ck_assert_int_eq(vdp_station_wait(st, op, 0, w, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(t_random_loss_leaves_one_view)
{
	const unsigned nvms = 60;
	net(5000);
	for (int k = 0; k < NLINKS; k++)
		br[k].to_br.loss_pct = br[k].to_st.loss_pct = 20;
	for (unsigned n = 1; n <= nvms; n++)
		create(5000, n);
	run_until(now + T_RESP + 2 * SEC);
	ck_assert_uint_eq(nres, 2 * nvms); /* every create answered on both links */
	for (unsigned i = 0; i < nres; i++)
		ck_assert_int_eq(res[i].status, VDP_RESULT_OK);
	assert_one_view(nvms);
	/* Three keepalive periods: every VM is still held. */
	run_until(now + 3 * T_KA);
	assert_one_view(nvms);
	for (unsigned n = 1; n <= nvms; n++)
		ck_assert(br[0].holds[n] && br[1].holds[n]);
	/* Half removed: gone from the bridges too. */
	for (unsigned n = 1; n <= nvms; n += 2) {
		struct vdp_vm vm = vm_of(5000, n, vm_mac);
		ck_assert_int_eq(vdp_station_remove_vm(st, vm.vsiid_fmt, vm.vsiid, NULL), 0);
	}
	run_until(now + 2 * T_RESP);
	assert_one_view(nvms);
	/* Frames were lost, requests went unacknowledged (ECP gave up on
	 * them, yet the bridge had them), and nothing was given up. */
	for (unsigned k = 0; k < NLINKS; k++) {
		struct vdp_station_link_info li = link_info(k);
		ck_assert_uint_gt(li.retransmits, 0);
		ck_assert_uint_gt(li.ecp_failures, 0);
		ck_assert_uint_eq(li.given_up, 0);
	}
	ck_assert_uint_eq(nev, 0);
}
END_TEST

/* --- remove, migrate ---------------------------------------------------------------- */

START_TEST(t_remove_sends_policy_remove_for_last_vm_only)
{
	net(5000);
	create(5000, 1);
	create(5000, 2);
	run_until(now + 10 * MS);
	struct vdp_vm a = vm_of(5000, 1, vm_mac), b = vm_of(5000, 2, vm_mac2);
	uint32_t op;
	ck_assert_int_eq(vdp_station_remove_vm(st, a.vsiid_fmt, a.vsiid, &op), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 4");
	ck_assert_uint_eq(br[0].rx[3].status, 0); /* no S bit: removed, not migrating */
	ck_assert_uint_eq(br[0].rx[3].vid, 100);  /* names the granted VLAN */
	ck_assert_int_eq(res[2].kind, VDP_OP_REMOVE_VM);
	ck_assert_uint_eq(res[2].sent, 1u << 4);
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_SYNCED);
	ck_assert_int_eq(vdp_station_remove_vm(st, b.vsiid_fmt, b.vsiid, &op), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 4 4 8");
	ck_assert_uint_eq(br[0].rx[5].vnid, 5000);
	ck_assert_uint_eq(br[0].rx[5].nentries, 0);
	ck_assert_uint_eq(res[3].sent, 1u << 4 | 1u << 8);
	ck_assert_uint_eq(res[3].stage, VDP_TLV_POLICY_REMOVE);
	ck_assert_int_eq(res[3].status, VDP_RESULT_OK);
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_NONE);
	ck_assert_int_eq(vdp_station_remove_vm(st, b.vsiid_fmt, b.vsiid, &op), -ENOENT);
	/* The next VM syncs the policy again. */
	create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 3 4 4 8 6 3");
}
END_TEST

START_TEST(t_migrate_in_sets_m_bit_and_syncs_only_new_vnid)
{
	net(5000);
	net(6000);
	create(6000, 9);
	run_until(now + 10 * MS);
	struct vdp_vm a = vm_of(5000, 1, vm_mac), b = vm_of(6000, 2, vm_mac2);
	ck_assert_int_eq(vdp_station_migrate_in(st, &a, NULL), 0);
	ck_assert_int_eq(vdp_station_migrate_in(st, &b, NULL), 0);
	run_until(now + 10 * MS);
	/* 6000 already has a VM here: no second Policy Sync for it. */
	ck_assert_str_eq(rx_types(0), "6 3 6 3 3");
	/* b's Associate overtakes a's, which waits for the Policy Sync. */
	ck_assert_uint_eq(br[0].rx[2].vnid, 5000);
	ck_assert_uint_eq(br[0].rx[3].status, VDP_REQ_M);
	ck_assert_uint_eq(br[0].rx[3].vnid, 6000);
	ck_assert_uint_eq(br[0].rx[4].status, VDP_REQ_M);
	ck_assert_uint_eq(br[0].rx[4].vnid, 5000);
	ck_assert_int_eq(res[1].kind, VDP_OP_MIGRATE_IN);
	ck_assert_uint_eq(res[1].vsiid[15], 2);
	ck_assert_uint_eq(res[1].sent, 1u << 3);
	ck_assert_uint_eq(res[2].vsiid[15], 1);
	ck_assert_uint_eq(res[2].sent, 1u << 6 | 1u << 3);
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 1, &vi), 0);
	ck_assert(vi.migrated);
	/* The keepalive is the current request: M stays set. */
	run_until(br[0].rx[3].t + T_KA + 1 * MS);
	ck_assert_uint_eq(br[0].rx[6].status, VDP_REQ_M);
	/* Migrate out: De-Associate with S, then Policy Remove (last VM). */
	unsigned k = br[0].nrx;
	ck_assert_int_eq(vdp_station_migrate_out(st, a.vsiid_fmt, a.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert_uint_eq(br[0].nrx, k + 2);
	ck_assert_uint_eq(br[0].rx[k].type, VDP_TLV_DEASSOC);
	ck_assert_uint_eq(br[0].rx[k].status, VDP_REQ_S);
	ck_assert_uint_eq(br[0].rx[k + 1].type, VDP_TLV_POLICY_REMOVE);
	ck_assert_int_eq(res[nres - 1].kind, VDP_OP_MIGRATE_OUT);
}
END_TEST

START_TEST(t_remove_while_create_pending_goes_after_it)
{
	net(5000);
	create(5000, 1);
	struct vdp_vm a = vm_of(5000, 1, vm_mac);
	ck_assert_int_eq(vdp_station_remove_vm(st, a.vsiid_fmt, a.vsiid, NULL), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 4 8");
	ck_assert_uint_eq(nres, 2);
	ck_assert_int_eq(res[0].kind, VDP_OP_CREATE_VM);
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	ck_assert_int_eq(res[1].kind, VDP_OP_REMOVE_VM);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), -ENOENT);
}
END_TEST

START_TEST(t_create_while_last_vm_leaves_keeps_policy)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	struct vdp_vm a = vm_of(5000, 1, vm_mac);
	ck_assert_int_eq(vdp_station_remove_vm(st, a.vsiid_fmt, a.vsiid, NULL), 0);
	create(5000, 2);
	run_until(now + 10 * MS);
	/* The new VM still needs the policy: no Policy Remove, no re-sync. */
	ck_assert_str_eq(rx_types(0), "6 3 4 3");
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_SYNCED);
}
END_TEST

/* --- policy and networks ----------------------------------------------------------- */

START_TEST(t_update_policy_goes_to_switches_that_hold_it)
{
	net(5000);
	struct vdp_policy p = dhcp_policy();
	p.entries[0].u.enable = false;
	uint32_t op;
	ck_assert_int_eq(vdp_station_update_policy(st, 5000, &p, &op), 0);
	ck_assert_uint_eq(nres, 1);
	ck_assert_uint_eq(res[0].op, op);
	ck_assert_str_eq(res[0].link, "");
	ck_assert_uint_eq(res[0].sent, 0);
	ck_assert_int_eq(res[0].status, VDP_RESULT_OK);
	ck_assert_uint_eq(br[0].to_br.n, 0);
	create(5000, 1);
	run_until(now + 10 * MS);
	/* The sync carries the updated policy: DHCP snooping off. */
	ck_assert_uint_eq(br[0].rx[0].tlv[12], 0);
	p.entries[0].u.enable = true;
	ck_assert_int_eq(vdp_station_update_policy(st, 5000, &p, &op), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7");
	ck_assert_uint_eq(br[0].rx[2].tlv[12], 1);
	ck_assert_int_eq(res[2].kind, VDP_OP_UPDATE_POLICY);
	ck_assert_uint_eq(res[2].sent, 1u << 7);
	ck_assert_int_eq(vdp_station_create_network(st, 7000, NULL, NULL), 0);
	ck_assert_int_eq(vdp_station_update_policy(st, 7000, &p, &op), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st),
	                 "network 7000 is a plain 802.1Qbg network: it has no policy to update");
}
END_TEST

/* The switch lost the network's policy (a restart without its state): it
 * refuses a Policy Update, or a VM's Associate, with error 3.  The station
 * syncs the policy again, retries once, and says so with an event. */
START_TEST(t_lost_policy_is_synced_again)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	br[0].code[VDP_TLV_POLICY_UPDATE] = VDP_ST_NO_VSI_MANAGER;
	struct vdp_policy p = dhcp_policy();
	p.entries[0].u.enable = false;
	uint32_t op;
	ck_assert_int_eq(vdp_station_update_policy(st, 5000, &p, &op), 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7 6");
	ck_assert_uint_eq(br[0].rx[3].tlv[12], 0); /* the sync carries the update */
	ck_assert_uint_eq(nres, 2);
	ck_assert_uint_eq(res[1].op, op);
	ck_assert_int_eq(res[1].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[1].sent, 1u << 7 | 1u << 6);
	ck_assert_str_eq(res[1].detail, "network 5000's policy synced again");
	ck_assert_uint_eq(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_RESYNCED);
	ck_assert_uint_eq(evs[0].vnid, 5000);
	ck_assert_ptr_nonnull(strstr(ev_text[0], "no longer holds network 5000's policy"));
	ck_assert_int_eq(sync_state(0, 0), VDP_SYNC_SYNCED);

	/* An Associate refused so: sync, then the Associate again. */
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_NO_VSI_MANAGER;
	br[0].once[VDP_TLV_ASSOC] = true;
	create(5000, 2);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7 6 3 6 3");
	ck_assert_int_eq(res[2].status, VDP_RESULT_OK);
	ck_assert_uint_eq(res[2].vid, 100);
	ck_assert_uint_eq(nev, 2);
	ck_assert_int_eq(evs[1].kind, VDP_EV_RESYNCED);
	uint16_t vid;
	ck_assert_int_eq(vm_state(1, 0, &vid), VDP_VSI_ASSOC);

	/* Once only: a switch that still refuses is believed. */
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_NO_VSI_MANAGER;
	create(5000, 3);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7 6 3 6 3 3 6 3");
	ck_assert_int_eq(res[3].status, VDP_RESULT_REFUSED);
	ck_assert_uint_eq(res[3].error, VDP_ST_NO_VSI_MANAGER);
	ck_assert_uint_eq(nev, 3);
	/* A plain network has no policy to lose: error 3 is the answer. */
	ck_assert_int_eq(vdp_station_create_network(st, 7000, NULL, NULL), 0);
	create(7000, 4);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 7 6 3 6 3 3 6 3 3");
	ck_assert_int_eq(res[4].status, VDP_RESULT_REFUSED);
	ck_assert_uint_eq(nev, 3);
}
END_TEST

START_TEST(t_delete_network)
{
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	uint32_t op = 99;
	ck_assert_int_eq(vdp_station_delete_network(st, 5000, &op), -EBUSY);
	/* A network whose only VM was refused: the switch holds its policy
	 * with no VM, and deleting the network removes it. */
	br[0].code[VDP_TLV_ASSOC] = VDP_ST_INSUFFICIENT_RESOURCES;
	net(6000);
	create(6000, 2);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 6 3");
	ck_assert_int_eq(sync_state(1, 0), VDP_SYNC_SYNCED); /* held, no VM */
	ck_assert_int_eq(vdp_station_delete_network(st, 6000, &op), 0);
	ck_assert_uint_gt(op, 0);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3 6 3 8");
	ck_assert_int_eq(res[nres - 1].kind, VDP_OP_DELETE_NETWORK);
	struct vdp_station_net_info ni = {.size = sizeof(ni)};
	ck_assert_int_eq(vdp_station_net_at(st, 1, &ni), -ENOENT);
	ck_assert_int_eq(vdp_station_create_network(st, 7000, NULL, NULL), 0);
	ck_assert_int_eq(vdp_station_delete_network(st, 7000, &op), 0);
	ck_assert_uint_eq(op, 0); /* nothing to send */
}
END_TEST

START_TEST(t_every_switch_of_a_network_is_told)
{
	net(5000);
	uint32_t op = create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_str_eq(rx_types(0), "6 3");
	ck_assert_str_eq(rx_types(1), "6 3");
	ck_assert_uint_eq(nres, 2);
	ck_assert_uint_eq(res[0].op, op);
	ck_assert_uint_eq(res[1].op, op);
	ck_assert_uint_eq(res[0].links_pending, 1);
	ck_assert_uint_eq(res[1].links_pending, 0);
	uint16_t v1, v2;
	ck_assert_int_eq(vm_state(0, 0, &v1), VDP_VSI_ASSOC);
	ck_assert_int_eq(vm_state(0, 1, &v2), VDP_VSI_ASSOC);
	ck_assert_uint_eq(v1, 100);
	ck_assert_uint_eq(v2, 101);
	/* One switch refusing makes the op fail, and only that link. */
	br[1].code[VDP_TLV_ASSOC] = VDP_ST_INVALID_VID;
	op = create(5000, 2);
	run_until(now + 10 * MS);
	size_t n = 0;
	struct vdp_station_result w[2] = {{.size = sizeof(w[0])}};
	ck_assert_int_eq(vdp_station_wait(st, op, 0, w, 2, &n), -EIO);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(w[0].link, "l1");
	ck_assert_int_eq(w[0].status, VDP_RESULT_OK);
	ck_assert_str_eq(w[1].link, "l2");
	ck_assert_int_eq(w[1].status, VDP_RESULT_REFUSED);
	ck_assert_str_eq(w[1].error_text, "invalid VID, GroupID or MAC");
	/* A network served by one switch only. */
	const char *only2[] = {"l2", NULL};
	struct vdp_policy p = dhcp_policy();
	ck_assert_int_eq(vdp_station_create_network(st, 8000, &p, only2), 0);
	br[1].code[VDP_TLV_ASSOC] = 0;
	unsigned r0 = br[0].nrx, r1 = br[1].nrx;
	create(8000, 3);
	run_until(now + 10 * MS);
	ck_assert_uint_eq(br[0].nrx, r0);
	ck_assert_uint_eq(br[1].nrx, r1 + 2);
}
END_TEST

/* --- help requests -------------------------------------------------------------------- */

static void send_help(int k, unsigned n, uint16_t vid, const uint8_t ip[4])
{
	struct vdp_help h;
	struct vdp_mgrid m = {{0}};
	uint8_t pdu[128];
	struct vdp_vm vm = vm_of(5000, n, vm_mac);
	memset(&h, 0, sizeof(h));
	h.flags = VDP_HELP_DHCP;
	h.vsiid_fmt = VDP_VSIID_UUID;
	memcpy(h.vsiid, vm.vsiid, 16);
	memcpy(h.mac, vm_mac, 6);
	h.vid = vid;
	memcpy(h.ipv4, ip, 4);
	memcpy(m.id, "bridge", 6);
	int a = vdp_mgrid_encode(&m, pdu, sizeof(pdu));
	int b = vdp_help_encode(&h, pdu + a, sizeof(pdu) - (size_t)a);
	ck_assert_int_gt(b, 0);
	bridge_send(k, pdu, (size_t)a + (size_t)b);
}

static unsigned csum(const uint8_t *p, size_t len, unsigned sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (unsigned)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (unsigned)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

START_TEST(t_help_request_sends_dhcprequest_then_answers)
{
	static const uint8_t ip[4] = {192, 0, 2, 10}, srv[4] = {192, 0, 2, 1}, sw_ip[4] = {0};
	net(5000);
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	memcpy(vm.ipv4, ip, 4);
	ck_assert_int_eq(vdp_station_migrate_in(st, &vm, NULL), 0);
	ck_assert_int_eq(vdp_station_set_dhcp_server(st, "192.0.2.1"), 0);
	run_until(now + 10 * MS);
	send_help(0, 1, 100, sw_ip);
	ck_assert_uint_eq(br[0].nother, 1);
	const uint8_t *f = br[0].other[0].b;
	size_t len = br[0].other[0].len;
	/* Ethernet: broadcast, from the VM, tagged with its VLAN 100. */
	tu_assert_bytes(
	    f, 14, (const uint8_t *)"\xff\xff\xff\xff\xff\xff\x52\x54\x00\xaa\x00\x01\x81\x00", 14);
	ck_assert_uint_eq(tu_be16(f + 14), 100);
	ck_assert_uint_eq(tu_be16(f + 16), 0x0800);
	const uint8_t *iph = f + 18, *udp = iph + 20, *d = udp + 8;
	ck_assert_uint_eq(iph[0], 0x45);
	ck_assert_uint_eq(iph[9], 17);
	ck_assert_uint_eq(tu_be16(iph + 2), len - 18);
	tu_assert_bytes(iph + 12, 4, ip, 4);
	tu_assert_bytes(iph + 16, 4, srv, 4);
	ck_assert_uint_eq(csum(iph, 20, 0), 0xffff);
	ck_assert_uint_eq(tu_be16(udp), 68);
	ck_assert_uint_eq(tu_be16(udp + 2), 67);
	unsigned ulen = tu_be16(udp + 4);
	ck_assert_uint_eq(ulen, len - 18 - 20);
	uint8_t pseudo[12] = {192,          0, 2, 10, 192, 0, 2, 1, 0, 17, (uint8_t)(ulen >> 8),
	                      (uint8_t)ulen};
	ck_assert_uint_eq(csum(udp, ulen, csum(pseudo, 12, 0)), 0xffff);
	/* BOOTP / DHCP: a renewing DHCPREQUEST for the VM. */
	ck_assert_uint_eq(d[0], 1);
	ck_assert_uint_eq(d[1], 1);
	ck_assert_uint_eq(d[2], 6);
	tu_assert_bytes(d + 12, 4, ip, 4);     /* ciaddr */
	tu_assert_bytes(d + 16, 4, sw_ip, 4);  /* yiaddr 0 */
	tu_assert_bytes(d + 28, 6, vm_mac, 6); /* chaddr */
	tu_assert_bytes(d + 236, 7, (const uint8_t *)"\x63\x82\x53\x63\x35\x01\x03", 7);
	ck_assert_uint_ge(ulen - 8, 300);
	/* Then the answer: the Help TLV with the response bit, code 0. */
	ck_assert_str_eq(rx_types(0), "6 3 9");
	ck_assert_uint_eq(br[0].rx[2].status, VDP_RESP);
	ck_assert_uint_eq(br[0].rx[2].vsiid[15], 1);
	ck_assert_uint_eq(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_HELP);
	ck_assert_uint_eq(evs[0].error, 0);
}
END_TEST

static int help_refuse(void *arg, struct vdp_station *s, const struct vdp_station_help *h)
{
	int *calls = arg;
	(*calls)++;
	ck_assert_ptr_eq(s, st);
	ck_assert(h->known);
	ck_assert_uint_eq(h->vid, 100);
	ck_assert_uint_eq(h->ipv4[0], 10); /* the switch's, since we know none */
	return VDP_ST_NO_VSI_MANAGER;
}

START_TEST(t_help_request_custom_handler_and_unknown_vm)
{
	static const uint8_t sw_ip[4] = {10, 1, 2, 3};
	int calls = 0;
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	ck_assert_int_eq(vdp_station_on_help(st, help_refuse, &calls), 0);
	send_help(0, 1, 0, sw_ip);
	ck_assert_int_eq(calls, 1);
	ck_assert_uint_eq(br[0].nother, 0);
	ck_assert_uint_eq(br[0].rx[2].status, VDP_RESP | 3);
	ck_assert_int_eq(vdp_station_on_help(st, NULL, NULL), 0);
	send_help(0, 42, 0, sw_ip); /* no such VM: the default handler refuses */
	ck_assert_uint_eq(br[0].nother, 0);
	ck_assert_uint_eq(br[0].rx[3].status, VDP_RESP | 4);
	ck_assert_uint_eq(nev, 2);
	ck_assert_uint_eq(evs[1].error, 4);
}
END_TEST

/* --- EVB and LLDP ----------------------------------------------------------------------- */

START_TEST(t_bridge_evb_tlv_raises_timers)
{
	/* lldpad bridge defaults except RTE 10 and RKA 22 */
	uint8_t lldpdu[64], info[5];
	struct vdp_evb_tlv b = {
	    .rrcap = true, .r = 3, .rte = 10, .mode = VDP_EVB_MODE_BRIDGE, .rwd = 20, .rka = 22};
	ck_assert_int_eq(vdp_evb_info_encode(&b, info, 5), 5);
	ck_assert_int_eq(vdp_station_evb_input(st, "l1", info), 0);
	ck_assert_uint_eq(nev, 1);
	ck_assert_int_eq(evs[0].kind, VDP_EV_EVB);
	ck_assert_uint_eq(evs[0].timers.rte, 10);
	ck_assert_uint_eq(evs[0].timers.rka, 22);
	ck_assert_uint_eq(evs[0].timers.r, 3);
	/* The same TLV again changes nothing and says nothing. */
	ck_assert_int_eq(vdp_station_evb_input(st, "l1", info), 0);
	ck_assert_uint_eq(nev, 1);
	/* What we advertise now: station, negotiated values, ROL for RKA. */
	ck_assert_int_eq(vdp_station_evb_tlv(st, "l1", lldpdu), 0);
	tu_assert_hex(VDP_EVB_TLV_LEN, lldpdu, "fe 09 00 80 c2 0d 02 00 6a b4 36");
	/* A station-mode TLV (another hypervisor's) is ignored. */
	b.mode = VDP_EVB_MODE_STATION;
	b.rte = 20;
	ck_assert_int_eq(vdp_evb_info_encode(&b, info, 5), 5);
	ck_assert_int_eq(vdp_station_evb_input(st, "l1", info), 0);
	struct vdp_station_link_info li = {.size = sizeof(li)};
	ck_assert_int_eq(vdp_station_link_at(st, 0, &li), 0);
	ck_assert_uint_eq(li.timers.rte, 10);
	ck_assert_uint_eq(li.local.rte, 8);
	/* ECP now waits 2^10 units for an ack. */
	net(5000);
	br[0].to_br.drop_all = true;
	uint64_t t0 = now;
	create(5000, 1);
	run_until(now + 20 * SEC);
	ck_assert_uint_eq(br[0].to_br.offered_t[3], t0 + 3 * vdp_ecp_timeout_ns(10));
	ck_assert_uint_eq(res_t[0], t0 + 15000ull * ((7ull << 10) + (1ull << 20)));
}
END_TEST

START_TEST(t_builtin_lldp_sends_station_evb_tlv)
{
	ck_assert_int_eq(vdp_station_set_lldp(st, VDP_LLDP_BUILTIN, 0), 0);
	uint64_t t0 = now;
	run_until(t0 + 65 * SEC);
	ck_assert_uint_eq(br[0].nlldp, 6);
	static const uint64_t at[] = {0, 1, 2, 3, 33, 63};
	for (int i = 0; i < 6; i++)
		ck_assert_uint_eq(br[0].lldp_t[i], t0 + at[i] * SEC);
	tu_assert_hex((int)br[0].lldp[0].len, br[0].lldp[0].b,
	              "01 80 c2 00 00 00 02 00 00 00 01 01 88 cc"
	              "02 07 04 02 00 00 00 01 01"       /* chassis: MAC */
	              "04 03 05 6c 31"                   /* port: ifname l1 */
	              "06 02 00 78"                      /* TTL 120 */
	              "fe 09 00 80 c2 0d 00 00 68 94 14" /* EVB: station, R3 RTE8 RWD20 RKA20 */
	              "00 00"                            /* End */
	              "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"); /* padding to 60 */
	/* A bridge LLDPDU on the nearest-customer-bridge address is read. */
	uint8_t f[64];
	size_t n =
	    tu_hex("01 80 c2 00 00 00 02 00 00 00 0b 01 88 cc 02 07 04 02 00 00 00 0b 01"
	           "04 07 03 02 00 00 00 0b 01 06 02 00 78 fe 09 00 80 c2 0d 02 00 68 54 16 00 00",
	           f, sizeof(f));
	ck_assert_int_eq(vdp_station_input(st, "l1", f, n), 0);
	ck_assert_uint_eq(nev, 1);
	ck_assert_uint_eq(evs[0].timers.rka, 22);
	run_until(now + 1 * MS); /* re-advertised at once, negotiated */
	ck_assert_uint_eq(br[0].nlldp, 7);
	tu_assert_bytes(br[0].lldp[6].b + 32, 11,
	                (const uint8_t *)"\xfe\x09\x00\x80\xc2\x0d\x02\x00\x68\xb4\x36", 11);
	ck_assert_int_eq(vdp_station_set_lldp(st, VDP_LLDP_EXTERNAL, 0), 0);
	run_until(now + 100 * SEC);
	ck_assert_uint_eq(br[0].nlldp, 7);
	ck_assert_int_eq(vdp_station_set_lldp(st, VDP_LLDP_BUILTIN, 500), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st), "LLDP interval 500 ms is outside 1000..3600000");
}
END_TEST

/* --- the API's argument checks --------------------------------------------------------------- */

START_TEST(t_arguments_are_checked)
{
	struct vdp_policy p = dhcp_policy();
	struct vdp_vm vm = vm_of(5000, 1, vm_mac);
	uint8_t mac[6] = {2, 0, 0, 0, 0, 9};
	ck_assert_ptr_null(vdp_station_new("seventeen-octets!"));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_int_eq(vdp_station_create_vm(NULL, &vm, NULL), -EINVAL);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -ENOENT);
	ck_assert_str_eq(vdp_station_error(st), "no network 5000: create the network first");
	net(5000);
	ck_assert_int_eq(vdp_station_create_network(st, 5000, &p, NULL), -EEXIST);
	const char *bad[] = {"eth9", NULL}, *none[] = {NULL};
	ck_assert_int_eq(vdp_station_create_network(st, 1, &p, bad), -ENOENT);
	ck_assert_str_eq(vdp_station_error(st), "network 1: no link named 'eth9'");
	ck_assert_int_eq(vdp_station_create_network(st, 1, &p, none), -EINVAL);
	p.entries[0].type = VDP_POL_BANDWIDTH; /* rate 0 is out of range */
	ck_assert_int_eq(vdp_station_create_network(st, 1, &p, NULL), -EINVAL);
	ck_assert_str_eq(
	    vdp_station_error(st),
	    "VNID 1: the policy cannot be encoded: field out of range in the structure to encode");
	p.nentries = VDP_MAX_POLICIES + 1;
	ck_assert_int_eq(vdp_station_create_network(st, 1, &p, NULL), -EINVAL);
	vm.vid = 4095;
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st),
	                 "VID 4095 is above 4094 (0 lets the switch choose)");
	vm.vid = 0;
	vm.mac[0] = 1;
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st), "the VM's MAC must be unicast and not zero");
	vm.mac[0] = 0x52;
	vm.vsiid_fmt = 6;
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st), "VSIID format 6 is not 1 (IPv4) .. 5 (UUID)");
	vm.vsiid_fmt = VDP_VSIID_UUID;
	memset(vm.vsiid, 0, 16);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -EINVAL);
	ck_assert_str_eq(vdp_station_error(st), "the VSIID is all zero");
	vm = vm_of(5000, 1, vm_mac);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), 0);
	ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), -EEXIST);
	ck_assert_str_eq(vdp_station_error(st),
	                 "VM 00112233-4455-6677-8899-aabbccddee01 exists already");
	ck_assert_int_eq(vdp_station_delete_network(st, 5000, NULL), -EBUSY);
	ck_assert_int_eq(vdp_station_delete_network(st, 5001, NULL), -ENOENT);
	vm.vsiid[15] = 2;
	ck_assert_int_eq(vdp_station_remove_vm(st, vm.vsiid_fmt, vm.vsiid, NULL), -ENOENT);
	ck_assert_int_eq(vdp_station_set_vm_ip(st, vm.vsiid_fmt, vm.vsiid, NULL), -EINVAL);
	ck_assert_int_eq(vdp_station_migrate_out(st, 0, vm.vsiid, NULL), -EINVAL);
	ck_assert_int_eq(vdp_station_add_link(st, "l1", mac, st_send, &br[0]), -EEXIST);
	ck_assert_int_eq(vdp_station_add_link(st, "a-very-long-name", mac, st_send, &br[0]),
	                 -EINVAL);
	ck_assert_int_eq(vdp_station_add_link(st, "l3", vm_mac + 0, NULL, NULL), -EINVAL);
	mac[0] = 3;
	ck_assert_int_eq(vdp_station_add_link(st, "l3", mac, st_send, &br[0]), -EINVAL);
	ck_assert_int_eq(vdp_station_add_interface(st, "no-such-if0"), -ENODEV);
	ck_assert_str_eq(vdp_station_error(st), "no interface named 'no-such-if0'");
	ck_assert_int_eq(vdp_station_input(st, "l9", mac, 6), -ENOENT);
	ck_assert_int_eq(vdp_station_set_dhcp_server(st, "300.1.1.1"), -EINVAL);
	ck_assert_int_eq(vdp_station_set_clock(st, fake_clock, NULL), -EBUSY);
	uint8_t info[5] = {0, 0, 0, 0, 0}; /* mode 0 */
	ck_assert_int_eq(vdp_station_evb_input(st, "l1", info), -EINVAL);
	ck_assert_int_eq(vdp_station_wait(st, 12345, 0, NULL, 0, NULL), -ENOENT);
}
END_TEST

/* --- robustness ---------------------------------------------------------------------- */

static uint32_t rng = 2463534242u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* A bridge frame carrying pdu, as bridge k would send it. */
static size_t bridge_frame(int k, uint16_t seq, const uint8_t *pdu, size_t n, uint8_t *out,
                           size_t cap)
{
	struct vdp_ecp_frame f = {
	    .hdr = {.version = 1, .op = VDP_ECP_OP_REQUEST, .subtype = 1, .seq = seq},
	    .ulpdu = pdu,
	    .ulpdu_len = n};
	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, br_mac[k], 6);
	int len = vdp_ecp_frame_encode(&f, 1, out, cap);
	ck_assert_int_gt(len, 0);
	return (size_t)len;
}

START_TEST(t_mutated_frames_do_not_break_the_station)
{
	static const char *const pdus[] = {
	    /* Manager ID + Associate response for VM 1, VLAN 100 */
	    "0a10 62726964676500000000000000000000 0621 40 001388 00 05"
	    "00112233445566778899aabbccddee01 02 0001 525400aa0001 0064",
	    /* Manager ID + Policy Sync response + unsolicited De-Associate */
	    "0a10 62726964676500000000000000000000 0c0b 40 001388 00 0001 05 0001 01"
	    "0821 00 001388 00 05 00112233445566778899aabbccddee01 02 0001 525400aa0001 0064",
	    /* Help Request for VM 1 */
	    "0a10 62726964676500000000000000000000 121f 00 01 05"
	    "00112233445566778899aabbccddee01 525400aa0001 0064 c0000210",
	};
	uint8_t lldp[64], pdu[256], frame[VDP_ECP_MAX_FRAME], m[VDP_ECP_MAX_FRAME];
	size_t lldp_len =
	    tu_hex("01 80 c2 00 00 00 02 00 00 00 0b 01 88 cc 02 07 04 02 00 00 00 0b 01"
	           "04 07 03 02 00 00 00 0b 01 06 02 00 78 fe 09 00 80 c2 0d 02 00 68 54"
	           "14 00 00",
	           lldp, sizeof(lldp));
	net(5000);
	create(5000, 1);
	run_until(now + 10 * MS);
	for (unsigned i = 0; i < 10000; i++) {
		size_t n;
		unsigned pick = rnd() % 4;
		if (pick == 3) {
			memcpy(m, lldp, n = lldp_len);
		} else {
			size_t pl = tu_hex(pdus[pick], pdu, sizeof(pdu));
			n = bridge_frame(0, (uint16_t)rnd(), pdu, pl, m, sizeof(m));
		}
		for (unsigned k = rnd() % 5; k; k--) /* mutate, sparing the addresses at times */
			m[(rnd() % 2 ? 12 : 0) + rnd() % (n - 12)] ^= (uint8_t)(1u << (rnd() % 8));
		if (rnd() % 8 == 0)
			n = rnd() % n;
		memcpy(frame, m, n);
		ck_assert_int_eq(vdp_station_input(st, "l1", frame, n), 0);
		if (i % 64 == 0)
			run_until(now + 1 * MS); /* let the queues drain now and then */
	}
	/* The intact frames among them did what they say. */
	ck_assert_uint_eq(ev_kinds, 1u << VDP_EV_DEASSOC | 1u << VDP_EV_HELP | 1u << VDP_EV_EVB |
	                                1u << VDP_EV_REASSOCIATED | 1u << VDP_EV_LOST);
	ck_assert_uint_gt(br[0].nother, 0); /* DHCPREQUESTs for the help requests */
	/* Still a station: a new VM on a new network goes through. */
	for (int k = 0; k < NLINKS; k++)
		memset(br[k].code, 0, sizeof(br[k].code));
	unsigned before = nres;
	net(7000);
	uint32_t op = create(7000, 2);
	run_until(now + 1 * SEC);
	ck_assert_uint_gt(nres, before);
	ck_assert_uint_eq(res[nres - 1].op, op);
	ck_assert_int_eq(res[nres - 1].status, VDP_RESULT_OK);
}
END_TEST

/* A result callback that creates the next VM, as a VM manager might. */
static void chain(void *arg, const struct vdp_station_result *r)
{
	unsigned *left = arg;
	on_result(NULL, r);
	if (*left) {
		(*left)--;
		struct vdp_vm vm = vm_of(5000, 10 + *left, vm_mac2);
		ck_assert_int_eq(vdp_station_create_vm(st, &vm, NULL), 0);
	}
}

START_TEST(t_callbacks_may_call_the_station)
{
	unsigned left = 3;
	net(5000);
	ck_assert_int_eq(vdp_station_on_result(st, chain, &left), 0);
	create(5000, 1);
	run_until(now + 100 * MS);
	ck_assert_uint_eq(nres, 4);
	ck_assert_str_eq(rx_types(0), "6 3 3 3 3");
	struct vdp_station_net_info ni = {.size = sizeof(ni)};
	ck_assert_int_eq(vdp_station_net_at(st, 0, &ni), 0);
	ck_assert_uint_eq(ni.nvms, 4);
}
END_TEST

/* --- growable structures (libvdp(3)) --------------------------------------------- */

/* What a program built against a later libvdp has: a result with one
 * field more, which this libvdp does not know. */
struct later_result {
	struct vdp_station_result r;
	uint64_t later;
};
#define UNTOUCHED 0xababababababababULL

START_TEST(t_growable_structures_follow_their_size)
{
	net(5000);
	uint32_t op = create(5000, 1);
	run_until(now + 10 * MS);
	/* Callbacks hand over libvdp's own size. */
	ck_assert_uint_eq(nres, 2);
	ck_assert_uint_eq(res[0].size, sizeof(struct vdp_station_result));
	ck_assert(VDP_HAS_FIELD(struct vdp_station_result, &res[1], links_pending));

	/* wait(): an unset size collects nothing; a longer element is
	 * stepped over by its size and its unknown field left alone. */
	struct later_result w[2];
	size_t n = 9;
	memset(w, 0xab, sizeof(w));
	w[0].r.size = 0;
	ck_assert_int_eq(vdp_station_wait(st, op, 0, &w[0].r, 2, &n), -EINVAL);
	ck_assert_uint_eq(n, 0);
	w[0].r.size = sizeof(w[0]);
	ck_assert_int_eq(vdp_station_wait(st, op, 0, &w[0].r, 2, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(w[1].r.size, sizeof(w[0]));
	ck_assert_uint_eq(w[0].r.vid, 100);
	ck_assert_uint_eq(w[1].r.vid, 101);
	ck_assert_str_eq(w[1].r.link, "l2");
	ck_assert_uint_eq(w[0].later, UNTOUCHED);
	ck_assert_uint_eq(w[1].later, UNTOUCHED);

	/* A view into an earlier, shorter layout: filled up to its size. */
	struct vdp_station_vm_info vi;
	memset(&vi, 0xab, sizeof(vi));
	vi.size = 0;
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), -EINVAL);
	vi.size = offsetof(struct vdp_station_vm_info, nlinks);
	ck_assert_int_eq(vdp_station_vm_at(st, 0, &vi), 0);
	ck_assert_uint_eq(vi.vm.vnid, 5000);
	ck_assert(!vi.migrated);
	ck_assert_uint_eq(vi.nlinks, 0xababababu);
	struct vdp_station_link_info li = {.size = 0};
	ck_assert_int_eq(vdp_station_link_at(st, 0, &li), -EINVAL);
	struct vdp_station_net_info ni = {.size = 0};
	ck_assert_int_eq(vdp_station_net_at(st, 0, &ni), -EINVAL);

	/* An input read past the caller's size would see garbage: the help
	 * handler reads no more than it, and refuses an unset size. */
	struct vdp_station_help h = {
	    .link = "l1", .flags = VDP_HELP_DHCP, .known = true, .ipv4 = {10, 0, 0, 5}};
	memcpy(h.mac, vm_mac, 6);
	ck_assert_int_eq(vdp_station_help_default(st, &h), VDP_ST_OTHER_FAILURE);
	pump();
	ck_assert_uint_eq(br[0].nother, 0);
	h.size = sizeof(h);
	ck_assert_int_eq(vdp_station_help_default(st, &h), VDP_ST_SUCCESS);
	pump();
	ck_assert_uint_eq(br[0].nother, 1);

	/* Events, like results, carry libvdp's size. */
	bridge_deassoc(0, 5000, 1);
	ck_assert_uint_ge(nev, 1);
	ck_assert_uint_eq(evs[0].size, sizeof(struct vdp_station_event));
	ck_assert(VDP_HAS_FIELD(struct vdp_station_result, &res[1], detail));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("station");
	TCase *c = tcase_create("one-link");
	tcase_add_checked_fixture(c, setup, teardown);
	tcase_add_test(c, t_first_vm_syncs_policy_then_associates);
	tcase_add_test(c, t_plain_network_matches_lldpad_example);
	tcase_add_test(c, t_second_vm_does_not_sync_again);
	tcase_add_test(c, t_concurrent_first_vms_share_one_sync);
	tcase_add_test(c, t_refused_sync_fails_every_waiting_vm);
	tcase_add_test(c, t_refusal_with_keep_keeps_preassociation);
	tcase_add_test(c, t_lost_frames_are_retransmitted);
	tcase_add_test(c, t_no_ack_is_sent_again_then_given_up);
	tcase_add_test(c, t_unanswered_request_is_sent_again_then_given_up);
	tcase_add_test(c, t_lost_request_ack_and_response);
	tcase_add_test(c, t_late_ack_is_an_ack);
	tcase_add_test(c, t_given_up_associate_is_de_associated);
	tcase_add_test(c, t_de_associate_is_sent_again_until_answered);
	tcase_add_test(c, t_policy_update_is_sent_again);
	tcase_add_test(c, t_timers_follow_set_timers);
	tcase_add_test(c, t_keepalive_resends_current_request);
	tcase_add_test(c, t_refused_keepalive_is_a_deassociation);
	tcase_add_test(c, t_lost_keepalive_is_sent_again_soon);
	tcase_add_test(c, t_unanswered_keepalives_re_associate);
	tcase_add_test(c, t_keepalives_lost_reported_before_bridge_timeout);
	tcase_add_test(c, t_bridge_deassociation_re_associates_once);
	tcase_add_test(c, t_refused_re_association_ends_lost);
	tcase_add_test(c, t_deassociation_of_unknown_or_foreign_vsi_ignored);
	tcase_add_test(c, t_remove_sends_policy_remove_for_last_vm_only);
	tcase_add_test(c, t_migrate_in_sets_m_bit_and_syncs_only_new_vnid);
	tcase_add_test(c, t_remove_while_create_pending_goes_after_it);
	tcase_add_test(c, t_create_while_last_vm_leaves_keeps_policy);
	tcase_add_test(c, t_update_policy_goes_to_switches_that_hold_it);
	tcase_add_test(c, t_lost_policy_is_synced_again);
	tcase_add_test(c, t_delete_network);
	tcase_add_test(c, t_help_request_sends_dhcprequest_then_answers);
	tcase_add_test(c, t_help_request_custom_handler_and_unknown_vm);
	tcase_add_test(c, t_bridge_evb_tlv_raises_timers);
	tcase_add_test(c, t_builtin_lldp_sends_station_evb_tlv);
	tcase_add_test(c, t_arguments_are_checked);
	tcase_add_test(c, t_callbacks_may_call_the_station);
	suite_add_tcase(s, c);
	TCase *c3 = tcase_create("robustness");
	tcase_add_checked_fixture(c3, setup, teardown);
	tcase_set_timeout(c3, 120); /* under ASan and valgrind too */
	tcase_add_test(c3, t_mutated_frames_do_not_break_the_station);
	suite_add_tcase(s, c3);
	TCase *c2 = tcase_create("two-links");
	tcase_add_checked_fixture(c2, setup2, teardown);
	tcase_add_test(c2, t_every_switch_of_a_network_is_told);
	tcase_add_test(c2, t_growable_structures_follow_their_size);
	tcase_add_test(c2, t_undo_goes_before_later_requests);
	tcase_add_test(c2, t_random_loss_leaves_one_view);
	suite_add_tcase(s, c2);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
