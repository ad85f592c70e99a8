/* SPDX-License-Identifier: ISC */
/* libvdp: VDP TLVs (IEEE 802.1Qbg-2012 clause 41) and the project's
 * extensions (policy sync / update / remove, help request).  Pure codecs:
 * bytes <-> struct, no I/O, no allocation.  The normative layouts are in
 * vdp-protocol(7).
 *
 * Conventions, for every TLV kind X:
 *   int vdp_X_decode(const uint8_t *buf, size_t len, struct vdp_X *out);
 *	buf starts at the TLV header, len is what remains of the PDU.
 *	Returns the octets consumed (header + value) or a negative vdp_err.
 *	Never reads past len.
 *   int vdp_X_encode(const struct vdp_X *in, uint8_t *buf, size_t cap);
 *	Writes header + value.  Returns the octets written or a negative
 *	vdp_err (VDP_E_NOSPACE, VDP_E_INVAL).
 */
#ifndef VDP_TLV_H
#define VDP_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/error.h>
#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VDP_TLV_HDR_LEN 2
#define VDP_TLV_MAX_LEN 511 /* 9-bit length field */

enum vdp_tlv_type {
	VDP_TLV_END = 0,
	VDP_TLV_PREASSOC = 1,
	VDP_TLV_PREASSOC_RR = 2,
	VDP_TLV_ASSOC = 3,
	VDP_TLV_DEASSOC = 4,
	VDP_TLV_MGRID = 5,
	VDP_TLV_POLICY_SYNC = 6,   /* extension, VNID policy */
	VDP_TLV_POLICY_UPDATE = 7, /* extension, VNID policy */
	VDP_TLV_POLICY_REMOVE = 8, /* extension, VNID policy */
	VDP_TLV_HELP = 9,          /* extension, migration services */
	VDP_TLV_ORG = 127,
};

VDP_API const char *vdp_tlv_type_name(unsigned type);

/* --- TLV header and PDU iteration (tlv.c) --------------------------- */

struct vdp_tlv_hdr {
	uint8_t type; /* 7 bits */
	uint16_t len; /* 9 bits: value octets after the header */
};

/* Reads one header and checks that the value fits in len.  Returns
 * VDP_TLV_HDR_LEN or a negative vdp_err. */
VDP_API int vdp_tlv_hdr_decode(const uint8_t *buf, size_t len, struct vdp_tlv_hdr *out);
VDP_API int vdp_tlv_hdr_encode(const struct vdp_tlv_hdr *in, uint8_t *buf, size_t cap);

/* Walks the TLVs of a VDPDU.  Returns 1 and fills *hdr / *tlv (pointing at
 * the TLV header) / *tlv_len (header + value) for each TLV, 0 at the end of
 * the PDU or at an End TLV (type 0: also what zero padding looks like), or
 * a negative vdp_err when a header is truncated or overruns the PDU. */
struct vdp_pdu_iter {
	const uint8_t *buf;
	size_t len, off;
};
VDP_API void vdp_pdu_iter_init(struct vdp_pdu_iter *it, const uint8_t *buf, size_t len);
VDP_API int vdp_pdu_next(struct vdp_pdu_iter *it, struct vdp_tlv_hdr *hdr, const uint8_t **tlv,
                         size_t *tlv_len);

/* --- VSI Manager ID (type 5; tlv.c) ---------------------------------- */

#define VDP_MGRID_LEN 16

struct vdp_mgrid {
	uint8_t id[VDP_MGRID_LEN]; /* IPv6, IPv4-mapped or a name, zero padded */
};

VDP_API int vdp_mgrid_decode(const uint8_t *buf, size_t len, struct vdp_mgrid *out);
VDP_API int vdp_mgrid_encode(const struct vdp_mgrid *in, uint8_t *buf, size_t cap);

/* --- VSI TLV: Pre-Associate, -RR, Associate, De-Associate (vsi.c, vsiid.c) */

/* Request status bits. */
#define VDP_REQ_S 0x20 /* suspended: VSI is migrating away */
#define VDP_REQ_M 0x10 /* migrated in (migration services indicator) */
/* Response status bits. */
#define VDP_RESP            0x40 /* this TLV is a response */
#define VDP_RESP_KEEP       0x20 /* request refused, previous state kept */
#define VDP_RESP_HARD       0x10 /* error is permanent, do not retry */
#define VDP_STATUS_ERR_MASK 0x0F
#define VDP_STATUS_RESERVED 0x80

enum vdp_status_err {
	VDP_ST_SUCCESS = 0,
	VDP_ST_INVALID_FORMAT = 1,
	VDP_ST_INSUFFICIENT_RESOURCES = 2,
	VDP_ST_NO_VSI_MANAGER = 3,
	VDP_ST_OTHER_FAILURE = 4,
	VDP_ST_INVALID_VID = 5, /* invalid VID, GroupID or MAC */
};
VDP_API const char *vdp_status_err_name(unsigned code);

enum vdp_vsiid_format {
	VDP_VSIID_IPV4 = 1,
	VDP_VSIID_IPV6 = 2,
	VDP_VSIID_MAC = 3,
	VDP_VSIID_LOCAL = 4,
	VDP_VSIID_UUID = 5,
};
#define VDP_VSIID_LEN 16

enum vdp_filter_format {
	VDP_FILTER_VID = 1,
	VDP_FILTER_MAC_VID = 2,
	VDP_FILTER_GROUP_VID = 3,
	VDP_FILTER_GROUP_MAC_VID = 4,
};

#define VDP_VID_MAX       4094
#define VDP_VSI_FIXED_LEN 25
/* A 511-octet TLV holds at most (511 - 25) / 2 VID-only entries. */
#define VDP_MAX_FILTERS ((VDP_TLV_MAX_LEN - VDP_VSI_FIXED_LEN) / 2)

struct vdp_filter {
	uint32_t group; /* GroupID formats only */
	uint8_t mac[6]; /* MAC formats only */
	bool ps;        /* priority present */
	uint8_t pcp;    /* 0..7 */
	uint16_t vid;   /* 0 in a request: "bridge, choose"; 0..4094 */
};

struct vdp_vsi {
	uint8_t type;     /* VDP_TLV_PREASSOC .. VDP_TLV_DEASSOC */
	uint8_t status;   /* request or response bits as above */
	uint32_t type_id; /* 24 bits: VSI Type ID; carries the VNID */
	uint8_t type_ver;
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t filter_fmt;
	uint16_t nfilters;
	struct vdp_filter filters[VDP_MAX_FILTERS];
};

static inline bool vdp_is_vsi_type(unsigned t)
{
	return t >= VDP_TLV_PREASSOC && t <= VDP_TLV_DEASSOC;
}
VDP_API size_t vdp_filter_entry_len(unsigned filter_fmt); /* 0 for an unknown format */

VDP_API int vdp_vsi_decode(const uint8_t *buf, size_t len, struct vdp_vsi *out);
VDP_API int vdp_vsi_encode(const struct vdp_vsi *in, uint8_t *buf, size_t cap);

/* The fixed part of a VSI TLV alone (type, status, VSI type, VSIID, filter
 * format), for a bridge that answers a request vdp_vsi_decode() refuses:
 * vdp-protocol(7) wants an answer with error 1 whenever the VSI can be
 * named.  vdp_vsi_head_decode() reads the 25 octets without judging them
 * (reserved status bits, unknown formats, the count and the entries are
 * left to vdp_vsi_decode()); it sets nfilters to 0 and returns the octets
 * of the whole TLV, or VDP_E_TRUNCATED, VDP_E_TLV_OVERRUN, VDP_E_TLV_TYPE,
 * or VDP_E_TLV_LENGTH for a value shorter than 25 octets.
 * vdp_vsi_head_encode() writes that part with no entries, echoing the
 * formats whatever they are; VDP_E_INVAL for a type other than 1..4, a
 * reserved status bit or a type_id over 24 bits. */
VDP_API int vdp_vsi_head_decode(const uint8_t *buf, size_t len, struct vdp_vsi *out);
VDP_API int vdp_vsi_head_encode(const struct vdp_vsi *in, uint8_t *buf, size_t cap);

/* Formats a VSIID for logs and JSON: dotted IPv4, IPv6, MAC, UUID or hex
 * for local.  Returns buf. */
#define VDP_VSIID_STRLEN 48
VDP_API char *vdp_vsiid_str(uint8_t fmt, const uint8_t id[VDP_VSIID_LEN], char *buf, size_t cap);
/* The inverse, for CLIs: fmt is given, text as printed above. 0 or -1. */
VDP_API int vdp_vsiid_parse(uint8_t fmt, const char *text, uint8_t id[VDP_VSIID_LEN]);

/* --- Policy Sync / Update / Remove (types 6, 7, 8; policy_tlv.c) ---- */

enum vdp_policy_type {
	VDP_POL_NONE = 0,
	VDP_POL_BANDWIDTH = 1,
	VDP_POL_ACL = 2,
	VDP_POL_QOS = 3,
	VDP_POL_VN = 4,
	VDP_POL_DHCP_SNOOP = 5,
	VDP_POL_IGMP_SNOOP = 6,
	VDP_POL_VLAN = 7, /* ours: the VNID's VLAN, 0 = the switch chooses */
};
#define VDP_POL_TYPE_MAX VDP_POL_VLAN
VDP_API const char *vdp_policy_type_name(unsigned type);

#define VDP_POLICY_FIXED_LEN 7
#define VDP_POLICY_ENTRY_HDR 3
#define VDP_MAX_POLICIES     32 /* more is refused with VDP_E_TOO_MANY */

enum vdp_dir { VDP_DIR_TO_VM = 0, VDP_DIR_FROM_VM = 1, VDP_DIR_BOTH = 2 };

struct vdp_pol_bandwidth {  /* info: 9 octets */
	uint8_t dir;        /* VDP_DIR_TO_VM or VDP_DIR_FROM_VM */
	uint32_t rate_kbps; /* > 0 */
	uint32_t burst;     /* octets; 0: let the switch choose */
};

struct vdp_prefix {
	uint8_t family;   /* 0 any, 4, 6 */
	uint8_t plen;     /* <= 32 or 128 */
	uint8_t addr[16]; /* IPv4 in the first 4 octets */
};

enum vdp_acl_action { VDP_ACL_DENY = 0, VDP_ACL_PERMIT = 1 };

struct vdp_pol_acl {        /* info: 49 octets */
	uint8_t action;     /* enum vdp_acl_action */
	uint8_t dir;        /* enum vdp_dir */
	uint16_t ethertype; /* 0: any */
	uint8_t ip_proto;   /* 0: any */
	struct vdp_prefix src, dst;
	uint16_t sport_lo, sport_hi, dport_lo, dport_hi; /* 0-0: any */
};

#define VDP_QOS_UNSET 0xFF
struct vdp_pol_qos {  /* info: 2 octets */
	uint8_t pcp;  /* 0..7 or VDP_QOS_UNSET */
	uint8_t dscp; /* 0..63 or VDP_QOS_UNSET */
};

struct vdp_pol_vn { /* info: 9 (IPv4) or 21 (IPv6) octets */
	uint32_t vnid;
	uint8_t family; /* 4 or 6 */
	uint8_t mcast[16];
};

struct vdp_policy_entry {
	uint8_t type; /* enum vdp_policy_type */
	union {
		struct vdp_pol_bandwidth bw;
		struct vdp_pol_acl acl;
		struct vdp_pol_qos qos;
		struct vdp_pol_vn vn;
		bool enable;  /* DHCP and IGMP snooping; info: 1 octet */
		uint16_t vid; /* VLAN; info: 2 octets, 0..4094 */
	} u;
};

struct vdp_policy {
	uint8_t type;      /* VDP_TLV_POLICY_SYNC .. VDP_TLV_POLICY_REMOVE */
	uint8_t status;    /* VSI TLV status bits */
	uint32_t vnid;     /* type_id | type_ver << 24 */
	uint16_t nentries; /* known entries kept in entries[] */
	uint16_t nskipped; /* entries of unknown type skipped by their length */
	struct vdp_policy_entry entries[VDP_MAX_POLICIES];
};

VDP_API int vdp_policy_decode(const uint8_t *buf, size_t len, struct vdp_policy *out);
VDP_API int vdp_policy_encode(const struct vdp_policy *in, uint8_t *buf, size_t cap);

/* Whether a known entry's fields are in range (vdp-protocol(7): rate > 0,
 * prefix lengths, port ranges low <= high, PCP, DSCP, VLAN ...): 0, or
 * VDP_E_POLICY_VALUE with a phrase naming the field and its value in why
 * ("rate 0 kbit/s", "destination ports 443-80 backwards"; why may be NULL).
 * vdp_policy_decode() and vdp_policy_encode() apply it to every entry. */
VDP_API int vdp_policy_entry_check(const struct vdp_policy_entry *e, char *why, size_t cap);
/* vdp_policy_decode() without vdp_policy_entry_check(): lengths, counts,
 * types and the VN family (which decides the entry's length) are checked,
 * the fields' ranges are not.  For a device that refuses an out-of-range
 * value as a decision naming the entry rather than as a malformed TLV. */
VDP_API int vdp_policy_decode_unchecked(const uint8_t *buf, size_t len, struct vdp_policy *out);
/* The fixed part alone (type, status, VNID) without judging it: reserved
 * status bits, the count and the entries are not looked at; nentries and
 * nskipped are 0.  For answering a Policy TLV vdp_policy_decode() refuses.
 * Returns the octets of the whole TLV, or VDP_E_TRUNCATED,
 * VDP_E_TLV_OVERRUN, VDP_E_TLV_TYPE, or VDP_E_TLV_LENGTH for a value
 * shorter than 7 octets.  vdp_policy_encode() writes such an answer. */
VDP_API int vdp_policy_head_decode(const uint8_t *buf, size_t len, struct vdp_policy *out);

/* --- Help Request (type 9; migration services; help.c) --------------- */

#define VDP_HELP_LEN         31
#define VDP_HELP_DHCP        0x01 /* re-send a DHCPREQUEST on the VM's behalf */
#define VDP_HELP_FLAGS_KNOWN VDP_HELP_DHCP

struct vdp_help {
	uint8_t status; /* VDP_RESP set in the station's answer */
	uint8_t flags;  /* VDP_HELP_* */
	uint8_t vsiid_fmt;
	uint8_t vsiid[VDP_VSIID_LEN];
	uint8_t mac[6];
	bool ps;
	uint8_t pcp;
	uint16_t vid;
	uint8_t ipv4[4]; /* the VM's last known address, 0.0.0.0 if none */
};

VDP_API int vdp_help_decode(const uint8_t *buf, size_t len, struct vdp_help *out);
VDP_API int vdp_help_encode(const struct vdp_help *in, uint8_t *buf, size_t cap);

/* --- Organizationally defined TLV (type 127), carried through (org.c) - */

struct vdp_org {
	uint8_t oui[3];
	uint16_t len; /* octets of data after the OUI */
	uint8_t data[VDP_TLV_MAX_LEN - 3];
};

VDP_API int vdp_org_decode(const uint8_t *buf, size_t len, struct vdp_org *out);
VDP_API int vdp_org_encode(const struct vdp_org *in, uint8_t *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
