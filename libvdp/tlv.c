/* SPDX-License-Identifier: ISC */
/* libvdp: the VDP TLV header, PDU iteration, the VSI Manager ID TLV and
 * the names of things. */
#include <string.h>

#include <vdp/tlv.h>

#include "tlv_internal.h"
#include "wire.h"

const char *vdp_tlv_type_name(unsigned type)
{
	switch (type) {
	case VDP_TLV_END:
		return "end";
	case VDP_TLV_PREASSOC:
		return "pre-associate";
	case VDP_TLV_PREASSOC_RR:
		return "pre-associate-rr";
	case VDP_TLV_ASSOC:
		return "associate";
	case VDP_TLV_DEASSOC:
		return "de-associate";
	case VDP_TLV_MGRID:
		return "manager-id";
	case VDP_TLV_POLICY_SYNC:
		return "policy-sync";
	case VDP_TLV_POLICY_UPDATE:
		return "policy-update";
	case VDP_TLV_POLICY_REMOVE:
		return "policy-remove";
	case VDP_TLV_HELP:
		return "help-request";
	case VDP_TLV_ORG:
		return "org-specific";
	default:
		return "unknown";
	}
}

const char *vdp_status_err_name(unsigned code)
{
	static const char *const names[] = {
	    "success",
	    "invalid format",
	    "insufficient resources",
	    "unable to contact VSI manager",
	    "other failure",
	    "invalid VID, GroupID or MAC",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "reserved error code";
}

int vdp_tlv_hdr_decode(const uint8_t *buf, size_t len, struct vdp_tlv_hdr *out)
{
	if (len < VDP_TLV_HDR_LEN)
		return VDP_E_TRUNCATED;
	uint16_t w = get16(buf);
	out->type = (uint8_t)(w >> 9);
	out->len = w & 0x1ff;
	if (out->len > len - VDP_TLV_HDR_LEN)
		return VDP_E_TLV_OVERRUN;
	return VDP_TLV_HDR_LEN;
}

int vdp_tlv_hdr_encode(const struct vdp_tlv_hdr *in, uint8_t *buf, size_t cap)
{
	if (in->type > 127 || in->len > VDP_TLV_MAX_LEN)
		return VDP_E_INVAL;
	if (cap < VDP_TLV_HDR_LEN + (size_t)in->len)
		return VDP_E_NOSPACE;
	put16(buf, (uint16_t)(in->type << 9 | in->len));
	return VDP_TLV_HDR_LEN;
}

int tlv_open(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi,
             struct vdp_tlv_hdr *hdr)
{
	int rc = vdp_tlv_hdr_decode(buf, len, hdr);
	if (rc < 0)
		return rc;
	if (hdr->type < type_lo || hdr->type > type_hi)
		return VDP_E_TLV_TYPE;
	return rc;
}

int tlv_open_min(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi, size_t min_len,
                 struct vdp_tlv_hdr *hdr)
{
	int rc = tlv_open(buf, len, type_lo, type_hi, hdr);
	if (rc < 0)
		return rc;
	return hdr->len < min_len ? VDP_E_TLV_LENGTH : rc;
}

int tlv_open_status(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi,
                    size_t min_len, bool exact, struct vdp_tlv_hdr *hdr)
{
	int rc = tlv_open_min(buf, len, type_lo, type_hi, min_len, hdr);
	if (rc < 0)
		return rc;
	if (exact && hdr->len != min_len)
		return VDP_E_TLV_LENGTH;
	if (buf[VDP_TLV_HDR_LEN] & VDP_STATUS_RESERVED)
		return VDP_E_STATUS;
	return rc;
}

void vdp_pdu_iter_init(struct vdp_pdu_iter *it, const uint8_t *buf, size_t len)
{
	it->buf = buf;
	it->len = len;
	it->off = 0;
}

int vdp_pdu_next(struct vdp_pdu_iter *it, struct vdp_tlv_hdr *hdr, const uint8_t **tlv,
                 size_t *tlv_len)
{
	size_t rest = it->len - it->off;
	const uint8_t *p = it->buf + it->off;

	/* An End TLV (type 0, whatever its length says) ends the PDU; zero
	 * padding after the last TLV reads as one. */
	if (rest == 0 || (p[0] >> 1) == VDP_TLV_END)
		return 0;
	int rc = vdp_tlv_hdr_decode(p, rest, hdr);
	if (rc < 0)
		return rc;
	*tlv = p;
	*tlv_len = VDP_TLV_HDR_LEN + (size_t)hdr->len;
	it->off += *tlv_len;
	return 1;
}

int vdp_mgrid_decode(const uint8_t *buf, size_t len, struct vdp_mgrid *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open(buf, len, VDP_TLV_MGRID, VDP_TLV_MGRID, &h);
	if (rc < 0)
		return rc;
	if (h.len == 0)
		return VDP_E_MGRID_EMPTY;
	if (h.len > VDP_MGRID_LEN)
		return VDP_E_MGRID_SIZE;
	if (h.len != VDP_MGRID_LEN)
		return VDP_E_TLV_LENGTH;
	memcpy(out->id, buf + VDP_TLV_HDR_LEN, VDP_MGRID_LEN);
	return VDP_TLV_HDR_LEN + VDP_MGRID_LEN;
}

int vdp_mgrid_encode(const struct vdp_mgrid *in, uint8_t *buf, size_t cap)
{
	struct vdp_tlv_hdr h = {VDP_TLV_MGRID, VDP_MGRID_LEN};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	memcpy(buf + VDP_TLV_HDR_LEN, in->id, VDP_MGRID_LEN);
	return VDP_TLV_HDR_LEN + VDP_MGRID_LEN;
}
