/* SPDX-License-Identifier: ISC */
/* vdp-pcap: MAC address rewriting, so that a conversation captured in one
 * lab can be replayed in another.  A VM's MAC appears in the VSI TLVs'
 * filter entries, in a MAC-format VSIID and in the Help Request, besides
 * the Ethernet header; all of them are rewritten, and the bridge's
 * captured answers with them, so that they still compare.
 *
 * Each TLV is decoded with its codec, changed, and encoded back in place:
 * a codec round trip gives back the same octets (tests/unit checks that),
 * so only the addresses change.  TLVs the codec refuses stay as captured.
 */
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/tlv.h>

#include "vdp-pcap.h"

static bool map_mac(uint8_t *mac, const struct mac_map *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (memcmp(mac, m[i].from, 6) == 0) {
			memcpy(mac, m[i].to, 6);
			return true;
		}
	return false;
}

/* A MAC-format VSIID keeps the address in its last six octets. */
static bool map_vsiid(uint8_t fmt, uint8_t *id, const struct mac_map *m, size_t n)
{
	return fmt == VDP_VSIID_MAC && map_mac(id + VDP_VSIID_LEN - 6, m, n);
}

static void rewrite_vsi(uint8_t *tlv, size_t len, const struct mac_map *m, size_t n)
{
	static struct vdp_vsi v;
	if (vdp_vsi_decode(tlv, len, &v) < 0)
		return;
	bool changed = map_vsiid(v.vsiid_fmt, v.vsiid, m, n);
	if (v.filter_fmt == VDP_FILTER_MAC_VID || v.filter_fmt == VDP_FILTER_GROUP_MAC_VID)
		for (unsigned i = 0; i < v.nfilters; i++)
			changed |= map_mac(v.filters[i].mac, m, n);
	if (changed)
		(void)vdp_vsi_encode(&v, tlv, len); /* same size: cannot fail */
}

static void rewrite_help(uint8_t *tlv, size_t len, const struct mac_map *m, size_t n)
{
	struct vdp_help h;
	if (vdp_help_decode(tlv, len, &h) < 0)
		return;
	bool changed = map_vsiid(h.vsiid_fmt, h.vsiid, m, n);
	changed |= map_mac(h.mac, m, n);
	if (changed)
		(void)vdp_help_encode(&h, tlv, len);
}

void rewrite_frame(uint8_t *frame, size_t len, const struct mac_map *m, size_t n)
{
	struct vdp_ecp_frame f;
	if (!n || len < 12)
		return;
	map_mac(frame, m, n);
	map_mac(frame + 6, m, n);
	if (vdp_ecp_frame_decode(frame, len, &f) < 0 || f.hdr.op != VDP_ECP_OP_REQUEST ||
	    f.hdr.subtype != VDP_ECP_SUBTYPE_VDP)
		return;
	/* The ULPDU lies inside `frame`; the iterator only reads it. */
	uint8_t *pdu = frame + (f.ulpdu - frame);
	struct vdp_pdu_iter it;
	struct vdp_tlv_hdr h;
	const uint8_t *tlv;
	size_t tlen;
	vdp_pdu_iter_init(&it, pdu, f.ulpdu_len);
	while (vdp_pdu_next(&it, &h, &tlv, &tlen) == 1) {
		uint8_t *w = pdu + (tlv - pdu);
		if (vdp_is_vsi_type(h.type))
			rewrite_vsi(w, tlen, m, n);
		else if (h.type == VDP_TLV_HELP)
			rewrite_help(w, tlen, m, n);
	}
}
