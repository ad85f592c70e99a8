/* SPDX-License-Identifier: ISC */
/* libvdp: organizationally defined VDP TLVs (type 127), carried through
 * unchanged: an OUI and opaque data. */
#include <string.h>

#include <vdp/tlv.h>

#include "tlv_internal.h"

int vdp_org_decode(const uint8_t *buf, size_t len, struct vdp_org *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open(buf, len, VDP_TLV_ORG, VDP_TLV_ORG, &h);
	if (rc < 0)
		return rc;
	if (h.len < 3)
		return VDP_E_TLV_LENGTH;
	memcpy(out->oui, buf + VDP_TLV_HDR_LEN, 3);
	out->len = (uint16_t)(h.len - 3);
	memcpy(out->data, buf + VDP_TLV_HDR_LEN + 3, out->len);
	return VDP_TLV_HDR_LEN + h.len;
}

int vdp_org_encode(const struct vdp_org *in, uint8_t *buf, size_t cap)
{
	if (in->len > sizeof(in->data))
		return VDP_E_INVAL;
	struct vdp_tlv_hdr h = {VDP_TLV_ORG, (uint16_t)(3 + in->len)};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	memcpy(buf + VDP_TLV_HDR_LEN, in->oui, 3);
	memcpy(buf + VDP_TLV_HDR_LEN + 3, in->data, in->len);
	return VDP_TLV_HDR_LEN + h.len;
}
