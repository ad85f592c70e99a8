/* SPDX-License-Identifier: ISC */
/* libvdp: the VSI TLVs (Pre-Associate, Pre-Associate-RR, Associate,
 * De-Associate) with their filter entries. */
#include <string.h>

#include <vdp/tlv.h>

#include "tlv_internal.h"
#include "wire.h"

/* Entry layout: [GroupID 4][MAC 6][PS|PCP|VID 2], fields absent per format. */
static bool fmt_has_group(unsigned fmt)
{
	return fmt == VDP_FILTER_GROUP_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

static bool fmt_has_mac(unsigned fmt)
{
	return fmt == VDP_FILTER_MAC_VID || fmt == VDP_FILTER_GROUP_MAC_VID;
}

size_t vdp_filter_entry_len(unsigned fmt)
{
	if (fmt < VDP_FILTER_VID || fmt > VDP_FILTER_GROUP_MAC_VID)
		return 0;
	return 2 + (fmt_has_group(fmt) ? 4 : 0) + (fmt_has_mac(fmt) ? 6 : 0);
}

int psvid_decode(const uint8_t *p, bool *ps, uint8_t *pcp, uint16_t *vid)
{
	uint16_t w = get16(p);
	*ps = w & 0x8000;
	*pcp = (w >> 12) & 7;
	*vid = w & 0xfff;
	return *vid > VDP_VID_MAX ? VDP_E_VID : 0;
}

int psvid_encode(uint8_t *p, bool ps, uint8_t pcp, uint16_t vid)
{
	if (pcp > 7 || vid > VDP_VID_MAX)
		return VDP_E_INVAL;
	put16(p, (uint16_t)((ps ? 0x8000 : 0) | pcp << 12 | vid));
	return 0;
}

static int filter_decode(const uint8_t *p, unsigned fmt, struct vdp_filter *f)
{
	memset(f, 0, sizeof(*f));
	if (fmt_has_group(fmt)) {
		f->group = get32(p);
		p += 4;
	}
	if (fmt_has_mac(fmt)) {
		memcpy(f->mac, p, 6);
		p += 6;
	}
	return psvid_decode(p, &f->ps, &f->pcp, &f->vid);
}

static int filter_encode(uint8_t *p, unsigned fmt, const struct vdp_filter *f)
{
	if (fmt_has_group(fmt)) {
		put32(p, f->group);
		p += 4;
	}
	if (fmt_has_mac(fmt)) {
		memcpy(p, f->mac, 6);
		p += 6;
	}
	return psvid_encode(p, f->ps, f->pcp, f->vid);
}

/* The fixed part, octets +0 .. +24 of the value, with n entries. */
static void head_get(const uint8_t *v, uint8_t type, struct vdp_vsi *out)
{
	out->type = type;
	out->status = v[0];
	out->type_id = get24(v + 1);
	out->type_ver = v[4];
	out->vsiid_fmt = v[5];
	memcpy(out->vsiid, v + 6, VDP_VSIID_LEN);
	out->filter_fmt = v[22];
	out->nfilters = 0;
}

static void head_put(uint8_t *v, const struct vdp_vsi *in, uint16_t n)
{
	v[0] = in->status;
	put24(v + 1, in->type_id);
	v[4] = in->type_ver;
	v[5] = in->vsiid_fmt;
	memcpy(v + 6, in->vsiid, VDP_VSIID_LEN);
	v[22] = in->filter_fmt;
	put16(v + 23, n);
}

int vdp_vsi_decode(const uint8_t *buf, size_t len, struct vdp_vsi *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open_status(buf, len, VDP_TLV_PREASSOC, VDP_TLV_DEASSOC, VDP_VSI_FIXED_LEN,
	                         false, &h);
	if (rc < 0)
		return rc;
	const uint8_t *v = buf + VDP_TLV_HDR_LEN;
	if (!vsiid_format_ok(v[5]))
		return VDP_E_VSIID_FORMAT;
	size_t elen = vdp_filter_entry_len(v[22]);
	if (elen == 0)
		return VDP_E_FILTER_FORMAT;
	uint16_t n = get16(v + 23);
	if ((size_t)n * elen != (size_t)h.len - VDP_VSI_FIXED_LEN)
		return VDP_E_COUNT;

	head_get(v, h.type, out);
	out->nfilters = n;
	for (unsigned i = 0; i < n; i++) {
		rc = filter_decode(v + VDP_VSI_FIXED_LEN + i * elen, v[22], &out->filters[i]);
		if (rc < 0)
			return rc;
	}
	return VDP_TLV_HDR_LEN + h.len;
}

int vdp_vsi_encode(const struct vdp_vsi *in, uint8_t *buf, size_t cap)
{
	size_t elen = vdp_filter_entry_len(in->filter_fmt);
	if (!vdp_is_vsi_type(in->type) || (in->status & VDP_STATUS_RESERVED) ||
	    in->type_id > 0xffffff || !vsiid_format_ok(in->vsiid_fmt) || elen == 0 ||
	    in->nfilters > VDP_MAX_FILTERS ||
	    VDP_VSI_FIXED_LEN + in->nfilters * elen > VDP_TLV_MAX_LEN)
		return VDP_E_INVAL;
	struct vdp_tlv_hdr h = {in->type, (uint16_t)(VDP_VSI_FIXED_LEN + in->nfilters * elen)};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	uint8_t *v = buf + VDP_TLV_HDR_LEN;
	head_put(v, in, in->nfilters);
	for (unsigned i = 0; i < in->nfilters; i++) {
		rc = filter_encode(v + VDP_VSI_FIXED_LEN + i * elen, in->filter_fmt,
		                   &in->filters[i]);
		if (rc < 0)
			return rc;
	}
	return VDP_TLV_HDR_LEN + h.len;
}

/* The fixed part alone, for answering what vdp_vsi_decode() refuses: no
 * check of the status, formats or count beyond the length of the part. */
int vdp_vsi_head_decode(const uint8_t *buf, size_t len, struct vdp_vsi *out)
{
	struct vdp_tlv_hdr h;
	int rc = tlv_open_min(buf, len, VDP_TLV_PREASSOC, VDP_TLV_DEASSOC, VDP_VSI_FIXED_LEN, &h);
	if (rc < 0)
		return rc;
	head_get(buf + VDP_TLV_HDR_LEN, h.type, out);
	return VDP_TLV_HDR_LEN + h.len;
}

int vdp_vsi_head_encode(const struct vdp_vsi *in, uint8_t *buf, size_t cap)
{
	if (!vdp_is_vsi_type(in->type) || (in->status & VDP_STATUS_RESERVED) ||
	    in->type_id > 0xffffff)
		return VDP_E_INVAL;
	struct vdp_tlv_hdr h = {in->type, VDP_VSI_FIXED_LEN};
	int rc = vdp_tlv_hdr_encode(&h, buf, cap);
	if (rc < 0)
		return rc;
	head_put(buf + VDP_TLV_HDR_LEN, in, 0);
	return VDP_TLV_HDR_LEN + VDP_VSI_FIXED_LEN;
}
