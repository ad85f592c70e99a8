/* SPDX-License-Identifier: ISC */
/* vdpd: IGMP (RFC 2236 version 2, RFC 3376 version 3) frames for migration services:
 * the general query vdpd sends out of a migrated VM's port, in the VM's
 * VLAN, so that the VM re-reports its groups at once, and a decoder for
 * queries and reports (tests, and anyone reading captures).  Pure: bytes
 * <-> struct, no I/O.
 *
 * The query is what a snooping switch without an address of its own sends
 * (RFC 4541 section 2.1.1): source 0.0.0.0, destination 224.0.0.1 (MAC
 * 01:00:5e:00:00:01), TTL 1, TOS 0xc0, the router alert option, as a
 * Linux bridge's own querier sends it. */
#ifndef VDPD_IGMP_H
#define VDPD_IGMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "migration/pkt.h"

#define IGMP_QUERY        0x11
#define IGMP_V1_REPORT    0x12
#define IGMP_V2_REPORT    0x16
#define IGMP_V2_LEAVE     0x17
#define IGMP_V3_REPORT    0x22
#define IGMP_V2_LEN       8
#define IGMP_V3_QUERY_LEN 12
#define IGMP_MAX_GROUPS   16 /* v3 report records kept by the decoder */

enum igmp_err {
	IGMP_E_TRUNCATED = -40, /* shorter than its type's layout */
	IGMP_E_CHECKSUM = -41,
	IGMP_E_NOT_IGMP = -42, /* not IPv4 protocol 2 */
	IGMP_E_INVAL = -43,    /* encoder: version not 2 or 3 */
	IGMP_E_NOSPACE = -44,
};
const char *igmp_strerror(int err); /* pkt_err texts too */

/* What the query encoder takes. */
struct igmp_query {
	uint8_t version; /* 2 or 3 */
	uint8_t src_mac[6];
	uint16_t vid; /* 802.1Q tag; 0: untagged */
	uint8_t pcp;
	uint8_t max_resp; /* v2: tenths of a second; v3: Max Resp Code */
	uint8_t qrv;      /* v3: querier's robustness variable (0..7) */
	uint8_t qqic;     /* v3: querier's query interval code */
};

/* Writes the whole frame; returns its length (at least 60: padded) or an
 * igmp_err. */
int igmp_query_encode(const struct igmp_query *q, uint8_t *buf, size_t cap);

/* One IGMP message in an Ethernet frame. */
struct igmp_frame {
	struct pkt_eth eth;
	uint8_t ip_src[4], ip_dst[4];
	bool router_alert;
	uint8_t ttl, tos;
	uint8_t type;
	uint8_t version;  /* 1, 2 or 3 as the message's type and size tell */
	uint8_t max_resp; /* queries */
	uint8_t group[4]; /* queries (0 = general), v1/v2 reports, leaves */
	uint16_t ngroups; /* v3 reports: records; the first IGMP_MAX_GROUPS in groups */
	uint8_t groups[IGMP_MAX_GROUPS][4];
	uint8_t rtypes[IGMP_MAX_GROUPS]; /* their record types */
};

/* Returns len or an igmp_err / pkt_err; the IGMP checksum is verified. */
int igmp_frame_decode(const uint8_t *frame, size_t len, struct igmp_frame *out);

#endif
