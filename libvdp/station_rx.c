/* SPDX-License-Identifier: ISC */
/* libvdp station: what arrives on a link.
 *
 * ECP frames go through the link's ECP engine (which acknowledges them)
 * and their VDPDUs are read TLV by TLV:
 *   - a response (status bit 0x40) completes the exchange waiting for it,
 *     matched by TLV type and VSIID (VSI TLVs) or type and VNID (policy);
 *   - a De-Associate without the response bit is the bridge removing a
 *     VSI (keepalive timeout, administrative removal);
 *   - a Help Request (type 9) goes to the help handler;
 *   - any other request is another station's, seen through a bridge that
 *     floods the nearest-customer-bridge address (a Linux bridge with STP
 *     off does), and is ignored.
 * The bridge's MAC is learnt from the first response that matches one of
 * our requests; from then on ECP frames from other sources are dropped
 * before the ECP engine sees them, so that another station's requests are
 * neither acknowledged nor mistaken for the bridge's.
 */
#include <string.h>

#include "station_int.h"
#include "wire.h"

static bool settled(enum vdp_vsi_state s)
{
	return s == VDP_VSI_ASSOC || s == VDP_VSI_PREASSOC;
}

static void learn_peer(struct st_link *l, const uint8_t src[6])
{
	if (l->peer_known)
		return;
	memcpy(l->peer, src, 6);
	l->peer_known = true;
}

/* The bridge answered exchange x (NULL: one we do not have): its status
 * and the VID it granted (VSI answers) complete it, and the answer's
 * source is the link's switch from now on. */
static void answered(struct st_link *l, struct st_xchg *x, const uint8_t src[6], uint8_t status,
                     uint16_t vid)
{
	if (!x) {
		l->unmatched++;
		return;
	}
	learn_peer(l, src);
	struct st_reply r = {0};
	r.code = status & VDP_STATUS_ERR_MASK;
	r.status = r.code ? VDP_RESULT_REFUSED : VDP_RESULT_OK;
	r.keep = status & VDP_RESP_KEEP;
	r.hard = status & VDP_RESP_HARD;
	r.text = vdp_status_err_name(r.code);
	r.vid = vid;
	st_xchg_answer(l->st, x, &r);
}

/* The bridge de-associated one of our VSIs: reported, and re-associated
 * once (station_keep.c). */
static void bridge_deassoc(struct st_link *l, const struct vdp_vsi *v)
{
	struct vdp_station *st = l->st;
	struct st_vm *vm = st_vm_find(st, v->vsiid_fmt, v->vsiid);
	/* Unknown, not on this link, or not settled: nothing to lose.  The
	 * lldpad bridge sends one ~15.8 s after a station's own De-Associate
	 * (see vdp-protocol(7)), and while a request is under way its answer
	 * decides the state. */
	if (!vm || !(vm->links & (1u << l->idx)) || !settled(vm->l[l->idx].state)) {
		l->unmatched++;
		return;
	}
	st_vm_lost_contact(st, vm, l->idx, "the switch de-associated the VM");
}

static void vsi_tlv(struct st_link *l, const uint8_t *tlv, size_t len, const uint8_t src[6])
{
	struct vdp_station *st = l->st;
	struct vdp_vsi v; /* 4 KiB on the stack: no statics, stations may run in threads */
	if (vdp_vsi_decode(tlv, len, &v) < 0) {
		l->unmatched++;
		return;
	}
	if (!(v.status & VDP_RESP)) {
		if (v.type == VDP_TLV_DEASSOC)
			return bridge_deassoc(l, &v);
		l->foreign++;
		return;
	}
	struct st_xchg *x = st_xchg_match(st, l->idx, v.type, 0, v.vsiid_fmt, v.vsiid);
	answered(l, x, src, v.status, v.nfilters ? v.filters[0].vid : 0);
}

static void policy_tlv(struct st_link *l, const uint8_t *tlv, size_t len, const uint8_t src[6])
{
	struct vdp_station *st = l->st;
	struct vdp_policy p;
	if (vdp_policy_decode(tlv, len, &p) < 0) {
		l->unmatched++;
		return;
	}
	if (!(p.status & VDP_RESP)) {
		l->foreign++;
		return;
	}
	struct st_xchg *x = st_xchg_match(st, l->idx, p.type, p.vnid, 0, NULL);
	/* A bridge configured for 24-bit VNIDs answers without the high byte. */
	if (!x) {
		struct st_xchg *y;
		TAILQ_FOREACH(y, &st->xchgs, entry)
		if (y->link == l->idx && y->type == p.type &&
		    (y->vnid & 0xffffff) == (p.vnid & 0xffffff)) {
			x = y;
			break;
		}
	}
	answered(l, x, src, p.status, 0);
}

static void help_tlv(struct st_link *l, const uint8_t *tlv, size_t len)
{
	struct vdp_help h;
	if (vdp_help_decode(tlv, len, &h) < 0 || (h.status & VDP_RESP)) {
		l->unmatched++;
		return;
	}
	st_help_input(l, &h);
}

static void vdpdu(struct st_link *l, const uint8_t *pdu, size_t len, const uint8_t src[6])
{
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;

	l->rx_pdus++;
	vdp_pdu_iter_init(&it, pdu, len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		if (vdp_is_vsi_type(h.type))
			vsi_tlv(l, tlv, tlen, src);
		else if (h.type >= VDP_TLV_POLICY_SYNC && h.type <= VDP_TLV_POLICY_REMOVE)
			policy_tlv(l, tlv, tlen, src);
		else if (h.type == VDP_TLV_HELP)
			help_tlv(l, tlv, tlen);
		/* Manager ID and organizational TLVs: nothing to do. */
	}
}

void st_link_input(struct st_link *l, const uint8_t *frame, size_t len)
{
	struct vdp_station *st = l->st;
	if (len < VDP_ETH_HDR_LEN)
		return;
	unsigned et = get16(frame + 12);
	if (et == ST_LLDP_ETHERTYPE)
		return st_lldp_input(l, frame, len);
	if (et != VDP_ECP_ETHERTYPE)
		return;
	if (l->peer_known && memcmp(frame + 6, l->peer, 6) != 0) {
		l->foreign++;
		return;
	}
	if (vdp_ecp_engine_input(l->ecp, frame, len, st_now(st)) < 0)
		return;
	uint8_t pdu[VDP_ECP_MAX_ULPDU], src[6];
	size_t n;
	while (vdp_ecp_engine_recv(l->ecp, pdu, sizeof(pdu), &n, src) == 1)
		vdpdu(l, pdu, n, src);
}
