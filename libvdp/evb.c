/* SPDX-License-Identifier: ISC */
/* libvdp: the LLDP EVB TLV codec and negotiation rule. */
#include <string.h>

#include <vdp/error.h>
#include <vdp/evb.h>

#include "wire.h"

int vdp_evb_info_decode(const uint8_t *buf, size_t len, struct vdp_evb_tlv *out)
{
	if (len < VDP_EVB_INFO_LEN)
		return VDP_E_TRUNCATED;
	uint8_t mode = buf[3] >> 6;
	if (mode != VDP_EVB_MODE_BRIDGE && mode != VDP_EVB_MODE_STATION)
		return VDP_E_EVB_MODE;
	memset(out, 0, sizeof(*out));
	out->bgid = buf[0] & VDP_EVB_BGID;
	out->rrcap = buf[0] & VDP_EVB_RRCAP;
	out->rrctr = buf[0] & VDP_EVB_RRCTR;
	out->sgid = buf[1] & VDP_EVB_SGID;
	out->rrreq = buf[1] & VDP_EVB_RRREQ;
	out->rrstat = buf[1] & 0x03;
	out->r = buf[2] >> 5;
	out->rte = buf[2] & 0x1f;
	out->mode = mode;
	out->rol_rwd = buf[3] & 0x20;
	out->rwd = buf[3] & 0x1f;
	out->rol_rka = buf[4] & 0x20;
	out->rka = buf[4] & 0x1f;
	return VDP_EVB_INFO_LEN;
}

int vdp_evb_info_encode(const struct vdp_evb_tlv *in, uint8_t *buf, size_t cap)
{
	if (in->r > 7 || in->rte > 31 || in->rwd > 31 || in->rka > 31 || in->rrstat > 3 ||
	    (in->mode != VDP_EVB_MODE_BRIDGE && in->mode != VDP_EVB_MODE_STATION))
		return VDP_E_INVAL;
	if (cap < VDP_EVB_INFO_LEN)
		return VDP_E_NOSPACE;
	buf[0] = (uint8_t)((in->bgid ? VDP_EVB_BGID : 0) | (in->rrcap ? VDP_EVB_RRCAP : 0) |
	                   (in->rrctr ? VDP_EVB_RRCTR : 0));
	buf[1] =
	    (uint8_t)((in->sgid ? VDP_EVB_SGID : 0) | (in->rrreq ? VDP_EVB_RRREQ : 0) | in->rrstat);
	buf[2] = (uint8_t)(in->r << 5 | in->rte);
	buf[3] = (uint8_t)(in->mode << 6 | (in->rol_rwd ? 0x20 : 0) | in->rwd);
	buf[4] = (uint8_t)((in->rol_rka ? 0x20 : 0) | in->rka);
	return VDP_EVB_INFO_LEN;
}

int vdp_evb_tlv_decode(const uint8_t *buf, size_t len, struct vdp_evb_tlv *out)
{
	if (len < 2)
		return VDP_E_TRUNCATED;
	unsigned type = buf[0] >> 1, tlen = get16(buf) & 0x1ff;
	if (type != VDP_LLDP_TLV_ORG)
		return VDP_E_TLV_TYPE;
	if (tlen + 2 > len)
		return VDP_E_TLV_OVERRUN;
	if (tlen < 4)
		return VDP_E_TLV_LENGTH;
	if (buf[2] != VDP_EVB_OUI_0 || buf[3] != VDP_EVB_OUI_1 || buf[4] != VDP_EVB_OUI_2 ||
	    buf[5] != VDP_EVB_SUBTYPE)
		return VDP_E_EVB_OUI;
	if (tlen != VDP_EVB_INFO_LEN + 4)
		return VDP_E_TLV_LENGTH;
	int rc = vdp_evb_info_decode(buf + 6, VDP_EVB_INFO_LEN, out);
	return rc < 0 ? rc : VDP_EVB_TLV_LEN;
}

int vdp_evb_tlv_encode(const struct vdp_evb_tlv *in, uint8_t *buf, size_t cap)
{
	if (cap < VDP_EVB_TLV_LEN)
		return VDP_E_NOSPACE;
	int rc = vdp_evb_info_encode(in, buf + 6, cap - 6);
	if (rc < 0)
		return rc;
	put16(buf, VDP_LLDP_TLV_ORG << 9 | (VDP_EVB_INFO_LEN + 4));
	buf[2] = VDP_EVB_OUI_0;
	buf[3] = VDP_EVB_OUI_1;
	buf[4] = VDP_EVB_OUI_2;
	buf[5] = VDP_EVB_SUBTYPE;
	return VDP_EVB_TLV_LEN;
}

/* Takes the larger exponent; says whether the remote one is in use.  lldpad
 * reports ROL also when both sides agree, and so do we, so that both ends
 * advertise the same bits. */
static uint8_t max_exp(uint8_t local, uint8_t remote, bool *rol)
{
	*rol = remote >= local;
	return remote > local ? remote : local;
}

void vdp_evb_negotiate(const struct vdp_evb_tlv *local, const struct vdp_evb_tlv *remote,
                       struct vdp_evb_tlv *out)
{
	struct vdp_evb_tlv res = *local;
	bool unused;

	res.r = max_exp(local->r, remote->r, &unused);
	res.rte = max_exp(local->rte, remote->rte, &unused);
	res.rwd = max_exp(local->rwd, remote->rwd, &res.rol_rwd);
	res.rka = max_exp(local->rka, remote->rka, &res.rol_rka);
	if (local->mode == VDP_EVB_MODE_BRIDGE) {
		/* The bridge echoes the station's status and grants
		 * reflective relay when asked and able. */
		res.sgid = remote->sgid;
		res.rrreq = remote->rrreq;
		res.rrstat = remote->rrstat;
		res.rrctr = local->rrcap && remote->rrreq;
	} else {
		res.bgid = remote->bgid;
		res.rrcap = remote->rrcap;
		res.rrctr = remote->rrctr;
		res.rrstat = remote->rrctr ? VDP_EVB_RRSTAT_YES : VDP_EVB_RRSTAT_NO;
	}
	*out = res;
}
