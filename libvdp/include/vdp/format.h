/* SPDX-License-Identifier: ISC */
/* libvdp: VDP values as text, for the programs that show them to people
 * and scripts (vdpd's control answers, vdp-station, vdp-pcap, a VM
 * manager's own tools), so that each does not keep its own table of names
 * and its own way of writing a policy entry.
 *
 *   names      VSIID and filter formats, directions, ACL actions;
 *   text       a policy entry as an operator reads it (vdpctl show vnids);
 *   words      a policy entry as one command-line word (vdp-station(8):
 *              "bandwidth=50000,from-vm"), both ways;
 *   fields     a policy entry as (key, kind, value) fields, for whatever
 *              JSON (or other) writer the caller has: libvdp writes no
 *              JSON itself.
 *
 * Pure: no I/O, no allocation; every function may be called from any
 * thread.  The names are stable: scripts read them.
 */
#ifndef VDP_FORMAT_H
#define VDP_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/export.h>
#include <vdp/tlv.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- names ------------------------------------------------------------ */

/* A VSIID format (enum vdp_vsiid_format) by name: "ipv4", "ipv6", "mac",
 * "local", "uuid"; NULL for another value. */
VDP_API const char *vdp_vsiid_format_name(unsigned fmt);
/* The inverse: the format a name stands for, or -1. */
VDP_API int vdp_vsiid_format_parse(const char *name);
/* A VSIID written with its format in front, "uuid:TEXT" (for text that
 * several formats could read: 32 hex digits are a UUID and a local
 * VSIID).  Returns the format and points *rest at TEXT; returns 0 and
 * points *rest at text when text does not start with a format's name and
 * a colon (a MAC or an IPv6 address has colons of its own). */
VDP_API int vdp_vsiid_format_prefix(const char *text, const char **rest);

/* A filter info format (enum vdp_filter_format): "vid", "mac-vid",
 * "group-vid", "group-mac-vid"; NULL for another value. */
VDP_API const char *vdp_filter_format_name(unsigned fmt);
/* A policy direction (enum vdp_dir): "to-vm", "from-vm", "both"; NULL for
 * another value. */
VDP_API const char *vdp_dir_name(unsigned dir);
/* An ACL action (enum vdp_acl_action): "permit", "deny"; NULL for another
 * value. */
VDP_API const char *vdp_acl_action_name(unsigned action);

/* --- a policy entry as text ------------------------------------------- */

/* The entry as an operator reads it, in the vocabulary of vdpd.conf(5)
 * types and in the order an nft rule lists its matches:
 * "bandwidth 10000kbit to-vm", "acl permit tcp dst 10.0.0.0/8 dport 22",
 * "qos pcp 3 dscp 10", "vn vnid 7 mcast ff0e::1", "dhcp-snooping on",
 * "vlan auto".  Writes at most cap octets, always NUL-terminated when cap
 * > 0, and returns the length the whole text has (as snprintf does). */
VDP_API size_t vdp_policy_entry_text(const struct vdp_policy_entry *e, char *buf, size_t cap);

/* --- a policy entry as one command-line word (format_word.c) --------- */

/* The word that makes the entry (vdp-station(8)):
 *   vlan=VID                  bandwidth=RATE,to-vm|from-vm[,burst=OCTETS]
 *   qos=pcp=N[,dscp=N]        vn=GROUP
 *   dhcp-snooping=on|off      igmp-snooping=on|off
 *   acl=permit|deny[,proto=N],to-vm|from-vm|both[,ethertype=0xXXXX]
 *       [,src=PREFIX][,dst=PREFIX][,sport=P[-Q]][,dport=P[-Q]]
 * Same conventions as vdp_policy_entry_text(). */
VDP_API size_t vdp_policy_entry_word(const struct vdp_policy_entry *e, char *buf, size_t cap);
/* The inverse, and more lenient: "tcp", "udp" and "icmp" for proto=N,
 * rates with a unit ("500k", "50M", "1G" bit/s), on|off as yes|no,
 * true|false or 1|0, and the defaults (bandwidth to-vm, acl both).  vnid
 * fills a vn entry's VNID.  0, or -1 with a message in err naming the word
 * and the syntax expected. */
VDP_API int vdp_policy_entry_parse_word(const char *word, uint32_t vnid, struct vdp_policy_entry *e,
                                        char *err, size_t errlen);

/* --- a policy entry as fields ------------------------------------------ */

enum vdp_field_kind {
	VDP_FIELD_NULL, /* no value: the field matches anything, or is unset */
	VDP_FIELD_UINT,
	VDP_FIELD_BOOL,
	VDP_FIELD_STR,
};

struct vdp_field {
	const char *key; /* "type", "text", "rate_kbps", "src", ... */
	enum vdp_field_kind kind;
	uint64_t u;    /* VDP_FIELD_UINT */
	bool b;        /* VDP_FIELD_BOOL */
	const char *s; /* VDP_FIELD_STR; valid until the callback returns */
};

typedef void vdp_field_fn(void *ctx, const struct vdp_field *f);

/* Calls fn once per field of the entry, in a fixed order: "type" (its
 * vdp_policy_type_name), "text" (vdp_policy_entry_text), then the type's
 * own fields:
 *   bandwidth      dir, rate_kbps, burst
 *   acl            action, dir, ethertype, ip_proto, src, dst ("A/LEN"),
 *                  sport_lo, sport_hi, dport_lo, dport_hi
 *   qos            pcp, dscp
 *   vn             vnid, mcast
 *   dhcp-snooping, igmp-snooping   enable
 *   vlan           vlan
 * A field that matches anything (ethertype or ip_proto 0, no prefix) or is
 * unset (a QoS value) is VDP_FIELD_NULL.  These keys are what vdpctl(8)'s
 * JSON shows. */
VDP_API void vdp_policy_entry_fields(const struct vdp_policy_entry *e, vdp_field_fn *fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
