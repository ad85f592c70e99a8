/* SPDX-License-Identifier: ISC */
/* vdpd: Ethernet (with an optional 802.1Q tag), IPv4 and UDP headers, for
 * the frames migration services reads and writes (DHCP snooping, IGMP queries).
 * Pure: bytes <-> structs, no I/O.  Every decoder checks every length
 * against what it was given and never reads past it. */
#ifndef VDPD_PKT_H
#define VDPD_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKT_ETH_LEN      14
#define PKT_VLAN_LEN     4
#define PKT_IPV4_MIN     20
#define PKT_UDP_LEN      8
#define PKT_ETH_IPV4     0x0800
#define PKT_ETH_8021Q    0x8100
#define PKT_IPPROTO_IGMP 2
#define PKT_IPPROTO_UDP  17

enum pkt_err {
	PKT_E_TRUNCATED = -1, /* shorter than a header says it is */
	PKT_E_NOT_IPV4 = -2,  /* EtherType (behind at most one tag) is not IPv4 */
	PKT_E_IP_HEADER = -3, /* version, IHL, total length or checksum wrong */
	PKT_E_FRAGMENT = -4,  /* a fragment: not reassembled */
	PKT_E_PROTO = -5,     /* not the IP protocol asked for */
	PKT_E_NOSPACE = -6,   /* encoder: buffer too small */
};
const char *pkt_strerror(int err);

struct pkt_eth {
	uint8_t dst[6], src[6];
	bool tagged;
	uint8_t pcp;   /* tagged only */
	uint16_t vid;  /* tagged only; 0 = priority tag */
	uint16_t type; /* the EtherType behind the tag, if any */
};

struct pkt_ipv4 {
	uint8_t src[4], dst[4];
	uint8_t proto, ttl, tos;
	bool router_alert; /* IP option 148 present */
	size_t hlen;       /* header octets, options included */
	size_t len;        /* payload octets (total length less hlen) */
};

/* RFC 1071 checksum of n octets, continuing from sum (0 to start). */
uint16_t pkt_csum(const uint8_t *p, size_t n, uint32_t sum);

/* Decoders return the octets of the header consumed, or a pkt_err. */
int pkt_eth_decode(const uint8_t *buf, size_t len, struct pkt_eth *out);
/* Checks version, IHL, total length (<= len), the header checksum and that
 * the datagram is not a fragment; proto, if non-zero, must match. */
int pkt_ipv4_decode(const uint8_t *buf, size_t len, uint8_t proto, struct pkt_ipv4 *out);

/* An Ethernet frame (at most one tag) carrying an IPv4 datagram of
 * protocol proto, what DHCP snooping and the IGMP decoder both read:
 * fills eth and ip and returns the offset of the datagram's payload, or a
 * pkt_err (PKT_E_NOT_IPV4, PKT_E_PROTO, ...). */
int pkt_ipv4_frame_decode(const uint8_t *frame, size_t len, uint8_t proto, struct pkt_eth *eth,
                          struct pkt_ipv4 *ip);

/* Encoders return the octets written or PKT_E_NOSPACE. */
int pkt_eth_encode(const struct pkt_eth *in, uint8_t *buf, size_t cap);
/* A header for in->len octets of payload, DF set, ID 0, with the router
 * alert option when in->router_alert; the checksum is filled in. */
int pkt_ipv4_encode(const struct pkt_ipv4 *in, uint8_t *buf, size_t cap);
/* UDP header with the checksum over the pseudo header and payload (which
 * must follow the header in buf, plen octets). */
int pkt_udp_encode(const uint8_t src_ip[4], const uint8_t dst_ip[4], uint16_t sport, uint16_t dport,
                   uint8_t *buf, size_t cap, size_t plen);

#endif
