/* SPDX-License-Identifier: ISC */
/* vdpd: every reason a frame or request is dropped or refused, with the
 * VDP error code the station gets, so that counters, logs, vdpctl and
 * responses all say the same thing. */
#ifndef VDPD_REASON_H
#define VDPD_REASON_H

#include <stdbool.h>
#include <stdint.h>

#define REASONS(X)                                                                                 \
	X(OK, "ok", 0, "accepted")                                                                 \
	X(MALFORMED, "malformed", 1, "malformed request, answered with error 1")                   \
	X(NO_FILTERS, "no-filters", 1, "VSI TLV carries no filter entry")                          \
	X(TOO_MANY_FILTERS, "too-many-filters", 2, "more filter entries than vdpd keeps")          \
	X(VNID_UNKNOWN, "vnid-unknown", 3, "VSI type has no policy and the config refuses it")     \
	X(VNID_LIMIT, "vnid-limit", 2, "too many VNIDs on this device")                            \
	X(PORT_LIMIT, "port-limit", 2, "port has its maximum number of VSIs")                      \
	X(POOL_EXHAUSTED, "pool-exhausted", 2, "no free VLAN in the pool")                         \
	X(PORT_VLAN_LIMIT, "port-vlan-limit", 2, "port holds its maximum number of pool VLANs")    \
	X(PORT_VNID_LIMIT, "port-vnid-limit", 2, "port made its maximum number of VNIDs")          \
	X(NEW_VSI_RATE, "new-vsi-rate", 2, "port makes new VSIs faster than its rate")             \
	X(VID_OUTSIDE_POOL, "vid-outside-pool", 5, "VLAN outside the pool or reserved")            \
	X(VID_OWNED, "vid-owned", 5, "VLAN owned by another VNID")                                 \
	X(VID_MISMATCH, "vid-mismatch", 5, "filters name different VLANs for one VNID")            \
	X(BAD_MAC, "bad-mac", 5, "filter MAC is zero or multicast")                                \
	X(BANDWIDTH, "bandwidth", 2, "bandwidth beyond the port's capacity")                       \
	X(ACL_CONFLICT, "acl-conflict", 4, "ACL contradicts the device's own rules")               \
	X(POLICY_CONFLICT, "policy-conflict", 4, "VNID already synced with another policy")        \
	X(VLAN_CHANGE, "vlan-change", 4, "policy update changes the VLAN of a VNID in use")        \
	X(KERNEL, "kernel", 4, "the kernel refused the change")                                    \
	X(NOT_REQUEST, "not-request", 0, "response or unsolicited TLV ignored")                    \
	X(UNKNOWN_TLV, "unknown-tlv", 0, "TLV type vdpd does not handle")                          \
	X(NO_MGRID, "no-mgrid", 0, "VDPDU without a VSI Manager ID (accepted)")                    \
	X(KEEPALIVE, "keepalive-expired", 0, "keepalive timeout: VSI de-associated")               \
	X(STATION_GONE, "station-gone", 0, "the station went away (LLDP): VSI de-associated")      \
	X(MOVED, "moved", 0, "VSI moved to another port")                                          \
	X(MIGRATED_AWAY, "migrated-away", 4,                                                       \
	  "VSI migrated to another port (M bit): stale request")                                   \
	X(RESERVED, "reserved", 0, "Pre-Associate reserved a VSI associated on another port")      \
	X(RELEASED, "released", 0, "old port's De-Associate released its claim on a migrated VSI") \
	X(ADMIN, "admin", 0, "de-associated by the administrator")                                 \
	X(TX_FAILED, "tx-failed", 0, "ECP gave up sending a PDU after R retries")                  \
	X(TX_QUEUE_FULL, "tx-queue-full", 0, "ECP send queue full, PDU not sent")                  \
	X(UNDECODABLE, "undecodable", 0, "frame or TLV too broken to answer: dropped")             \
	X(POLICY_VALUE, "policy-value", 1, "policy entry out of range or inconsistent")            \
	X(POLICY_UNSUPPORTED, "policy-unsupported", 4, "policy entry the kernel cannot program")   \
	X(ECP_SUBTYPE, "ecp-subtype", 0, "ECP frame of another subtype (PECSP, ...) ignored")      \
	X(STATE_WRITE, "state-write", 0, "state directory write failed: response not sent")

enum reason {
#define X(id, name, code, text) REASON_##id,
	REASONS(X)
#undef X
	    REASON_COUNT
};

const char *reason_name(enum reason r);
const char *reason_text(enum reason r);
/* The VDP response error code for a refusal (0 for OK). */
uint8_t reason_code(enum reason r);
/* Whether a refusal for r carries the HARD bit: the same request will be
 * refused again, retrying cannot help (vdpd(8), Requests and responses). */
bool reason_hard(enum reason r);

#endif
