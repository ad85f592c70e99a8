/* SPDX-License-Identifier: ISC */
/* libvdp internal: helpers shared by the TLV codecs. */
#ifndef VDP_TLV_INTERNAL_H
#define VDP_TLV_INTERNAL_H

#include <vdp/tlv.h>

/* Decodes a TLV header and checks its type is within [type_lo, type_hi]. */
int tlv_open(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi,
             struct vdp_tlv_hdr *hdr);

/* tlv_open() and a value of at least min_len octets: the fixed part of a
 * TLV, read without judging it (the head decoders). */
int tlv_open_min(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi, size_t min_len,
                 struct vdp_tlv_hdr *hdr);

/* tlv_open() for the TLVs whose value starts with a status octet (VSI,
 * policy, help): the value must also be at least min_len octets (exactly
 * min_len when exact), and no reserved status bit may be set. */
int tlv_open_status(const uint8_t *buf, size_t len, uint8_t type_lo, uint8_t type_hi,
                    size_t min_len, bool exact, struct vdp_tlv_hdr *hdr);

/* The 2-octet PS | PCP | VID field of filter entries and help requests. */
int psvid_decode(const uint8_t *p, bool *ps, uint8_t *pcp, uint16_t *vid);
int psvid_encode(uint8_t *p, bool ps, uint8_t pcp, uint16_t vid);

static inline int vsiid_format_ok(unsigned fmt)
{
	return fmt >= VDP_VSIID_IPV4 && fmt <= VDP_VSIID_UUID;
}

#endif
