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

#define ECP_ETHERTYPE	  0x8940
#define ECP_VERSION	  1
#define ECP_HDR_LEN	  4
#define ETH_HDR_LEN	  14
#define ECP_MIN_FRAME	  60 /* requests are padded to this (without FCS) */
#define ECP_MAX_ULPDU	  1496 /* 1500 MTU less the ECP header */

enum ecp_op { ECP_OP_REQUEST = 0, ECP_OP_ACK = 1 };
enum ecp_subtype { ECP_SUBTYPE_VDP = 1, ECP_SUBTYPE_PECSP = 2 };

/* Nearest-customer-bridge group address, where ECP and EVB live. */
extern const uint8_t ecp_ncb_addr[6];

struct ecp_hdr {
	uint8_t version;  /* 4 bits, always ECP_VERSION on encode */
	uint8_t op;       /* enum ecp_op */
	uint16_t subtype; /* 10 bits, enum ecp_subtype */
	uint16_t seq;
};

int ecp_hdr_decode(const uint8_t *buf, size_t len, struct ecp_hdr *out);
int ecp_hdr_encode(const struct ecp_hdr *in, uint8_t *buf, size_t cap);

/* A whole Ethernet frame: dst, src, EtherType 0x8940, ECP header, ULPDU.
 * Decode checks the EtherType and points *ulpdu into buf (no copy). */
struct ecp_frame {
	uint8_t dst[6], src[6];
	struct ecp_hdr hdr;
	const uint8_t *ulpdu;
	size_t ulpdu_len;
};

int ecp_frame_decode(const uint8_t *buf, size_t len, struct ecp_frame *out);
/* Requests are zero-padded to ECP_MIN_FRAME when `pad` is set, as the
 * standard asks; acks carry no ULPDU.  Returns the frame length. */
int ecp_frame_encode(const struct ecp_frame *in, int pad, uint8_t *buf, size_t cap);

#endif
