/* SPDX-License-Identifier: ISC */
/* libvdp: the ECP header and frame codec. */
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/error.h>

#include "wire.h"

const uint8_t vdp_ecp_ncb_addr[6] = {0x01, 0x80, 0xc2, 0x00, 0x00, 0x00};

int vdp_ecp_hdr_decode(const uint8_t *buf, size_t len, struct vdp_ecp_hdr *out)
{
	if (len < VDP_ECP_HDR_LEN)
		return VDP_E_TRUNCATED;
	uint16_t w = get16(buf);
	if (w >> 12 != VDP_ECP_VERSION)
		return VDP_E_ECP_VERSION;
	if (((w >> 10) & 3) > VDP_ECP_OP_ACK)
		return VDP_E_ECP_OP;
	out->version = (uint8_t)(w >> 12);
	out->op = (uint8_t)((w >> 10) & 3);
	out->subtype = w & 0x3ff;
	out->seq = get16(buf + 2);
	return VDP_ECP_HDR_LEN;
}

int vdp_ecp_hdr_encode(const struct vdp_ecp_hdr *in, uint8_t *buf, size_t cap)
{
	if (in->op > VDP_ECP_OP_ACK || in->subtype > 0x3ff)
		return VDP_E_INVAL;
	if (cap < VDP_ECP_HDR_LEN)
		return VDP_E_NOSPACE;
	put16(buf, (uint16_t)(VDP_ECP_VERSION << 12 | in->op << 10 | in->subtype));
	put16(buf + 2, in->seq);
	return VDP_ECP_HDR_LEN;
}

int vdp_ecp_frame_decode(const uint8_t *buf, size_t len, struct vdp_ecp_frame *out)
{
	if (len < VDP_ETH_HDR_LEN)
		return VDP_E_TRUNCATED;
	if (get16(buf + 12) != VDP_ECP_ETHERTYPE)
		return VDP_E_ETHERTYPE;
	int rc = vdp_ecp_hdr_decode(buf + VDP_ETH_HDR_LEN, len - VDP_ETH_HDR_LEN, &out->hdr);
	if (rc < 0)
		return rc;
	memcpy(out->dst, buf, 6);
	memcpy(out->src, buf + 6, 6);
	out->ulpdu = buf + VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN;
	out->ulpdu_len = len - VDP_ETH_HDR_LEN - VDP_ECP_HDR_LEN;
	return (int)len;
}

int vdp_ecp_frame_encode(const struct vdp_ecp_frame *in, int pad, uint8_t *buf, size_t cap)
{
	size_t ulen = in->ulpdu ? in->ulpdu_len : 0;
	if (ulen > VDP_ECP_MAX_ULPDU)
		return VDP_E_INVAL;
	size_t n = VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + ulen;
	size_t total = pad && n < VDP_ECP_MIN_FRAME ? VDP_ECP_MIN_FRAME : n;
	if (cap < total)
		return VDP_E_NOSPACE;
	int rc = vdp_ecp_hdr_encode(&in->hdr, buf + VDP_ETH_HDR_LEN, cap - VDP_ETH_HDR_LEN);
	if (rc < 0)
		return rc;
	memcpy(buf, in->dst, 6);
	memcpy(buf + 6, in->src, 6);
	put16(buf + 12, VDP_ECP_ETHERTYPE);
	if (ulen)
		memmove(buf + VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN, in->ulpdu, ulen);
	memset(buf + n, 0, total - n);
	return (int)total;
}
