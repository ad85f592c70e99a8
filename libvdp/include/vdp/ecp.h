/* SPDX-License-Identifier: ISC */
/* libvdp: the ECP header (IEEE 802.1Qbg-2012 clause 43), EtherType 0x8940.
 * Pure codec: bytes <-> struct, no I/O.
 *
 *   +0 version (bits 15..12) | operation (bits 11..10) | subtype (bits 9..0)
 *   +2 sequence number
 *   +4 upper-layer PDU
 */
#ifndef VDP_ECP_H
#define VDP_ECP_H

#include <stddef.h>
#include <stdint.h>

#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDP_ECP_ETHERTYPE 0x8940
#define VDP_ECP_VERSION   1
#define VDP_ECP_HDR_LEN   4
#define VDP_ETH_HDR_LEN   14
#define VDP_ECP_MIN_FRAME 60   /* requests are padded to this (without FCS) */
#define VDP_ECP_MAX_ULPDU 1496 /* 1500 MTU less the ECP header */

enum vdp_ecp_op { VDP_ECP_OP_REQUEST = 0, VDP_ECP_OP_ACK = 1 };
enum vdp_ecp_subtype { VDP_ECP_SUBTYPE_VDP = 1, VDP_ECP_SUBTYPE_PECSP = 2 };

/* Nearest-customer-bridge group address, where ECP and EVB live. */
extern VDP_API const uint8_t vdp_ecp_ncb_addr[6];

struct vdp_ecp_hdr {
	uint8_t version;  /* 4 bits, always VDP_ECP_VERSION on encode */
	uint8_t op;       /* enum vdp_ecp_op */
	uint16_t subtype; /* 10 bits, enum vdp_ecp_subtype */
	uint16_t seq;
};

VDP_API int vdp_ecp_hdr_decode(const uint8_t *buf, size_t len, struct vdp_ecp_hdr *out);
VDP_API int vdp_ecp_hdr_encode(const struct vdp_ecp_hdr *in, uint8_t *buf, size_t cap);

/* A whole Ethernet frame: dst, src, EtherType 0x8940, ECP header, ULPDU.
 * Decode checks the EtherType and points *ulpdu into buf (no copy). */
struct vdp_ecp_frame {
	uint8_t dst[6], src[6];
	struct vdp_ecp_hdr hdr;
	const uint8_t *ulpdu;
	size_t ulpdu_len;
};

VDP_API int vdp_ecp_frame_decode(const uint8_t *buf, size_t len, struct vdp_ecp_frame *out);
/* Requests are zero-padded to VDP_ECP_MIN_FRAME when `pad` is set, as the
 * standard asks; acks carry no ULPDU.  Returns the frame length. */
VDP_API int vdp_ecp_frame_encode(const struct vdp_ecp_frame *in, int pad, uint8_t *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
