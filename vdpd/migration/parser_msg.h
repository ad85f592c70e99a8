/* SPDX-License-Identifier: ISC */
/* vdpd: the messages between the daemon and its DHCP parser child
 * (parser_child.c, parser_link.c), one per SOCK_SEQPACKET datagram.  Fixed,
 * versioned and length-checked: every message is an 8-octet header and a
 * payload whose length its type fixes (or bounds, for a frame).
 *
 *   header  +0 version (PMSG_VERSION)  +1 type  +2 payload length (BE)
 *           +4 sequence number (BE): a reply carries its frame's
 *   FRAME   daemon -> child: the captured frame, 1..PMSG_MAX_FRAME octets
 *   DHCP    child -> daemon, PMSG_DHCP_LEN octets: what DHCP snooping
 *           reads of the frame (dhcp_snoop.c):
 *           +0 flags (PMSG_F_*)  +1 op  +2 DHCP message type  +3 htype
 *           +4 hlen  +5 zero  +6 VLAN id (BE, 0..4095)  +8 Ethernet source
 *           +14 IPv4 source  +18 chaddr (16)  +34 yiaddr  +38 ciaddr
 *           +42 requested address (option 50)  +46 lease (option 51, BE)
 *   REJECT  child -> daemon, 1 octet: why the frame is not DHCP, the
 *           negated dhcp_err / pkt_err (1..PMSG_MAX_ERR)
 * Both ends decode with pmsg_decode() and treat what they read as hostile:
 * the daemon the child's messages (the child parses what VMs send), the
 * child the daemon's (it checks them anyway).  Pure: no I/O. */
#ifndef VDPD_PARSER_MSG_H
#define VDPD_PARSER_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "migration/dhcp_wire.h"

#define PMSG_VERSION   1
#define PMSG_HDR_LEN   8
#define PMSG_MAX_FRAME 1600 /* the captures' snaplen */
#define PMSG_DHCP_LEN  50
#define PMSG_MAX_ERR   63
#define PMSG_MAX_LEN   (PMSG_HDR_LEN + PMSG_MAX_FRAME)

enum pmsg_type { PMSG_FRAME = 1, PMSG_DHCP = 2, PMSG_REJECT = 3 };

#define PMSG_F_TAGGED       0x01
#define PMSG_F_LEASE        0x02
#define PMSG_F_REQUESTED_IP 0x04
#define PMSG_F_ALL          0x07

enum pmsg_err {
	PMSG_E_SHORT = -1,   /* shorter than its header, or than its type needs */
	PMSG_E_VERSION = -2, /* another version */
	PMSG_E_TYPE = -3,    /* an unknown type */
	PMSG_E_LENGTH = -4,  /* the length field is not the datagram's, or not the type's */
	PMSG_E_FIELD = -5,   /* a field out of its range, or a reserved one set */
	PMSG_E_NOSPACE = -6, /* encoder: buffer too small */
};
const char *pmsg_strerror(int err);

struct pmsg {
	uint8_t type;
	uint32_t seq;
	const uint8_t *frame; /* FRAME: inside the decoded buffer */
	size_t frame_len;
	struct dhcp_frame dhcp; /* DHCP: only the fields above; the rest zero */
	int err;                /* REJECT: the dhcp_err / pkt_err, negative */
};

/* Returns the encoded length or PMSG_E_NOSPACE / PMSG_E_FIELD. */
int pmsg_encode_frame(uint32_t seq, const uint8_t *frame, size_t len, uint8_t *buf, size_t cap);
int pmsg_encode_dhcp(uint32_t seq, const struct dhcp_frame *f, uint8_t *buf, size_t cap);
int pmsg_encode_reject(uint32_t seq, int err, uint8_t *buf, size_t cap);
/* One whole datagram: 0, or a pmsg_err with *out unspecified. */
int pmsg_decode(const uint8_t *buf, size_t len, struct pmsg *out);
/* Encodes m again (the fuzz target's round trip). */
int pmsg_encode(const struct pmsg *m, uint8_t *buf, size_t cap);

#endif
