/* SPDX-License-Identifier: ISC */
/* libvdp: the LLDP EVB TLV (IEEE 802.1Qbg-2012 clause D.2.12) and its
 * negotiation rule.  Pure codec: bytes <-> struct, no I/O.
 *
 * Wire (after the LLDP TLV header fe 09 and OUI 00-80-C2, subtype 0x0D):
 *   +0 bridge status   BGID 0x04 | RRCAP 0x02 | RRCTR 0x01
 *   +1 station status  SGID 0x08 | RRREQ 0x04 | RRSTAT (bits 1..0)
 *   +2 R (bits 7..5) | RTE (bits 4..0)
 *   +3 mode (bits 7..6) | ROL (bit 5) | RWD (bits 4..0)
 *   +4 reserved (bits 7..6) | ROL (bit 5) | RKA (bits 4..0)
 */
#ifndef VDP_EVB_H
#define VDP_EVB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDP_EVB_OUI_0    0x00
#define VDP_EVB_OUI_1    0x80
#define VDP_EVB_OUI_2    0xC2
#define VDP_EVB_SUBTYPE  0x0D
#define VDP_EVB_INFO_LEN 5  /* octets after OUI and subtype */
#define VDP_EVB_TLV_LEN  11 /* whole TLV including the 2-octet LLDP header */
#define VDP_LLDP_TLV_ORG 127

#define VDP_EVB_BGID  0x04
#define VDP_EVB_RRCAP 0x02
#define VDP_EVB_RRCTR 0x01
#define VDP_EVB_SGID  0x08
#define VDP_EVB_RRREQ 0x04

enum vdp_evb_rrstat { VDP_EVB_RRSTAT_NO = 0, VDP_EVB_RRSTAT_YES = 1, VDP_EVB_RRSTAT_UNKNOWN = 3 };
enum vdp_evb_mode { VDP_EVB_MODE_BRIDGE = 1, VDP_EVB_MODE_STATION = 2 };

/* lldpad's defaults, which are also ours. */
#define VDP_EVB_DEFAULT_R   3
#define VDP_EVB_DEFAULT_RTE 8
#define VDP_EVB_DEFAULT_RWD 20
#define VDP_EVB_DEFAULT_RKA 20

struct vdp_evb_tlv {
	bool bgid, rrcap, rrctr; /* bridge status */
	bool sgid, rrreq;        /* station status */
	uint8_t rrstat;          /* enum vdp_evb_rrstat (2 bits) */
	uint8_t r;               /* max retries, 0..7 */
	uint8_t rte;             /* retransmission exponent, 0..31 */
	uint8_t mode;            /* enum vdp_evb_mode */
	bool rol_rwd;            /* remote value of RWD in use */
	uint8_t rwd;             /* resource wait delay exponent, 0..31 */
	bool rol_rka;            /* remote value of RKA in use */
	uint8_t rka;             /* keepalive exponent, 0..31 */
};

/* The 5 info octets alone (what liblldpctl hands over for a custom TLV). */
VDP_API int vdp_evb_info_decode(const uint8_t *buf, size_t len, struct vdp_evb_tlv *out);
VDP_API int vdp_evb_info_encode(const struct vdp_evb_tlv *in, uint8_t *buf, size_t cap);

/* The whole LLDP TLV: header, OUI, subtype, info.  Decode returns the
 * octets consumed (VDP_EVB_TLV_LEN). */
VDP_API int vdp_evb_tlv_decode(const uint8_t *buf, size_t len, struct vdp_evb_tlv *out);
VDP_API int vdp_evb_tlv_encode(const struct vdp_evb_tlv *in, uint8_t *buf, size_t cap);

/* The negotiation rule (802.1Qbg D.2.12): each of R, RTE, RWD and RKA
 * takes the larger of the local and the remote value; ROL says the remote
 * value won.  A bridge sets RRCTR when the station asks for RRREQ and the
 * bridge has RRCAP; a station takes RRSTAT from the bridge's RRCTR.
 * `out` is what `local` should advertise next; it is also the set of
 * timers to run ECP and VDP with. */
VDP_API void vdp_evb_negotiate(const struct vdp_evb_tlv *local, const struct vdp_evb_tlv *remote,
                               struct vdp_evb_tlv *out);

#ifdef __cplusplus
}
#endif

#endif
