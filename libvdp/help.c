/* SPDX-License-Identifier: ISC */
/* libvdp: the Help Request TLV (type 9; migration services).  The bridge asks the
 * station to act for a migrated-in VM (re-send its DHCP request); the
 * station answers with the same TLV and the response bit set.
 *
 *   +0 status  +1 flags  +2 VSIID format  +3 VSIID (16)  +19 MAC (6)
 *   +25 PS|PCP|VID (2)  +27 the VM's last known IPv4 address (4)
 */
#include <string.h>

#include <vdp/tlv.h>

#include "tlv_internal.h"

int vdp_help_decode(const uint8_t *buf, size_t len, struct vdp_help *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open_status(buf, len, VDP_TLV_HELP, VDP_TLV_HELP, VDP_HELP_LEN, true, &h);
	if (rc < 0)
		return rc;
	const uint8_t *v = buf + VDP_TLV_HDR_LEN;
	if (!(v[1] & VDP_HELP_FLAGS_KNOWN))
		return VDP_E_HELP_FLAGS;
	if (!vsiid_format_ok(v[2]))
		return VDP_E_VSIID_FORMAT;
	memset(out, 0, sizeof(*out));
	rc = psvid_decode(v + 25, &out->ps, &out->pcp, &out->vid);
	if (rc < 0)
		return rc;
	out->status = v[0];
	out->flags = v[1];
	out->vsiid_fmt = v[2];
	memcpy(out->vsiid, v + 3, VDP_VSIID_LEN);
	memcpy(out->mac, v + 19, 6);
	memcpy(out->ipv4, v + 27, 4);
	return VDP_TLV_HDR_LEN + VDP_HELP_LEN;
}

int vdp_help_encode(const struct vdp_help *in, uint8_t *buf, size_t cap)
{
	if ((in->status & VDP_STATUS_RESERVED) || !(in->flags & VDP_HELP_FLAGS_KNOWN) ||
	    !vsiid_format_ok(in->vsiid_fmt))
		return VDP_E_INVAL;
	struct vdp_tlv_hdr h = {VDP_TLV_HELP, VDP_HELP_LEN};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	uint8_t *v = buf + VDP_TLV_HDR_LEN;
	rc = psvid_encode(v + 25, in->ps, in->pcp, in->vid);
	if (rc < 0)
		return rc;
	v[0] = in->status;
	v[1] = in->flags;
	v[2] = in->vsiid_fmt;
	memcpy(v + 3, in->vsiid, VDP_VSIID_LEN);
	memcpy(v + 19, in->mac, 6);
	memcpy(v + 27, in->ipv4, 4);
	return VDP_TLV_HDR_LEN + VDP_HELP_LEN;
}
