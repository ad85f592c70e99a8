/* SPDX-License-Identifier: ISC */
/* vdpd: DHCPv4 messages (RFC 2131, options RFC 2132) and DHCP Leasequery
 * (RFC 4388) on the wire, for the migration services' snooping and leasequery.  Pure:
 * bytes <-> struct, no I/O, no allocation; every length is checked and
 * nothing past the given length is read.
 *
 *   dhcp_decode / dhcp_encode              the BOOTP message (UDP payload)
 *   dhcp_frame_decode / dhcp_frame_encode  a whole Ethernet frame: MACs,
 *                                          an optional 802.1Q tag, IPv4, UDP
 *
 * Only the options vdpd acts on are kept; the others are skipped by their
 * length.  Option overload (52) is not followed: the options vdpd reads are
 * never moved into sname/file by the servers it talks to (ISC dhcpd, Kea,
 * dnsmasq only overload when the options field is full). */
#ifndef VDPD_DHCP_WIRE_H
#define VDPD_DHCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "migration/pkt.h"

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_FIXED_LEN   236 /* op .. file */
#define DHCP_MAGIC       0x63825363u
#define DHCP_MIN_LEN     300 /* RFC 1542 minimum BOOTP message, padded to */
#define DHCP_MAX_ASSOC   8   /* associated-ip addresses kept */
#define DHCP_MAX_PRL     16

enum dhcp_op { DHCP_BOOTREQUEST = 1, DHCP_BOOTREPLY = 2 };

enum dhcp_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
	DHCPLEASEQUERY = 10,      /* RFC 4388 */
	DHCPLEASEUNASSIGNED = 11, /* RFC 4388 */
	DHCPLEASEUNKNOWN = 12,    /* RFC 4388 */
	DHCPLEASEACTIVE = 13,     /* RFC 4388 */
};
const char *dhcp_type_name(unsigned type);

enum dhcp_option {
	DHO_PAD = 0,
	DHO_REQUESTED_IP = 50,
	DHO_LEASE_TIME = 51,
	DHO_MSG_TYPE = 53,
	DHO_SERVER_ID = 54,
	DHO_PRL = 55,
	DHO_RENEWAL_TIME = 58,
	DHO_REBINDING_TIME = 59,
	DHO_CLIENT_LAST_TRANSACTION_TIME = 91, /* RFC 4388 */
	DHO_ASSOCIATED_IP = 92,                /* RFC 4388 */
	DHO_END = 255,
};

enum dhcp_err {
	DHCP_E_TRUNCATED = -20, /* shorter than the fixed part and the cookie */
	DHCP_E_MAGIC = -21,     /* no DHCP magic cookie */
	DHCP_E_OPTION = -22,    /* an option runs past the message, or a bad length */
	DHCP_E_HLEN = -23,      /* hardware address length above 16 */
	DHCP_E_NOT_DHCP = -24,  /* frame: not UDP between ports 67 and 68 */
	DHCP_E_INVAL = -25,     /* encoder: a field out of range */
	DHCP_E_NOSPACE = -26,   /* encoder: buffer too small */
};
/* dhcp_err and pkt_err texts. */
const char *dhcp_strerror(int err);

struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
	uint8_t chaddr[16];
	uint8_t type; /* option 53; 0 when absent (plain BOOTP) */
	bool has_lease;
	uint32_t lease_s; /* option 51 */
	bool has_server_id;
	uint8_t server_id[4]; /* option 54 */
	bool has_requested_ip;
	uint8_t requested_ip[4]; /* option 50 */
	bool has_cltt;
	uint32_t cltt_s; /* option 91: seconds since the client's last transaction */
	uint8_t nassoc;
	uint8_t assoc[DHCP_MAX_ASSOC][4]; /* option 92 */
	uint8_t nprl;
	uint8_t prl[DHCP_MAX_PRL]; /* option 55 */
};

/* The BOOTP message in buf (a UDP payload).  Returns len or a dhcp_err. */
int dhcp_decode(const uint8_t *buf, size_t len, struct dhcp_msg *out);
/* Writes the fixed part, the cookie, the options set in `in` (53, 50, 51,
 * 54, 55, 91, 92, in that order) and End, zero-padded to DHCP_MIN_LEN.
 * Returns the octets written or a dhcp_err. */
int dhcp_encode(const struct dhcp_msg *in, uint8_t *buf, size_t cap);

struct dhcp_frame {
	struct pkt_eth eth;
	uint8_t ip_src[4], ip_dst[4];
	uint16_t sport, dport;
	struct dhcp_msg msg;
};

/* An Ethernet frame carrying DHCP (UDP, one port 67 and the other 67 or
 * 68).  The UDP checksum is not verified: frames captured on their way out
 * of a port may still carry a partial one (checksum offload).  Returns len
 * or a dhcp_err / pkt_err. */
int dhcp_frame_decode(const uint8_t *frame, size_t len, struct dhcp_frame *out);
int dhcp_frame_encode(const struct dhcp_frame *in, uint8_t *buf, size_t cap);

/* The DHCPLEASEQUERY of RFC 4388 section 6.1: by IP address when ip is
 * non-NULL (ciaddr), else by MAC address (htype 1, chaddr); giaddr is the
 * requester's own address, where the server sends the answer; the
 * parameter request list asks for the lease time and the client's last
 * transaction time.  Fills *out for dhcp_encode(). */
void dhcp_leasequery(uint32_t xid, const uint8_t giaddr[4], const uint8_t mac[6], const uint8_t *ip,
                     struct dhcp_msg *out);

#endif
