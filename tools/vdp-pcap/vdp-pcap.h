/* SPDX-License-Identifier: ISC */
/* vdp-pcap: decode EVB/ECP/VDP captures and replay their station side
 * against a live bridge.  Shared declarations of the tool's parts:
 *
 *   vdp-pcap.c          command line, the two subcommands
 *   emit.c     one output tree, three writers: text, JSON, field list
 *   decode.c   a frame -> fields, through libvdp's codecs only
 *   read.c     capture files (libpcap), frame classification
 *   conv.c     a capture -> the station's requests, the bridge's PDUs
 *   rewrite.c  MAC address rewriting in frames and VDP TLVs
 *   compare.c  field-by-field comparison, volatile fields
 *   replay.c   the live side: libpcap I/O around libvdp's ECP engine
 *
 * Decoding goes through the libvdp codecs (the vdp/ headers) and nothing
 * else, so what the tool prints is what vdpd and libvdp understand; a TLV
 * the codec refuses is shown with the codec's error name.
 */
#ifndef VDP_PCAP_H
#define VDP_PCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

#include <vdp/evb.h>

#include "json.h"
#include "strbuf.h"

/* --- output tree (emit.c) ----------------------------------------
 *
 * The decoder describes a frame as a tree of objects, arrays and scalars;
 * the writer turns it into text, JSON or a flat list of "path = value"
 * fields.  Text and JSON thus carry the same fields by construction, and
 * the replay compares exactly the fields a user sees. */

enum emit_mode { EMIT_TEXT, EMIT_JSON, EMIT_FIELDS };

#define EMIT_MAXDEPTH 16
#define EMIT_PATHMAX  256

struct field {
	char *path;  /* "vdp[1].filters[0].vid" */
	char *value; /* as the text writer prints it: "100", "0x40", "3 (associate)" */
};

struct field_list {
	struct field *v;
	size_t n, cap;
};

struct emit_level {
	bool array;      /* an array: children are elements, labelled key[i] */
	bool header;     /* text: scalars still go on this object's first line */
	bool labelled;   /* text: that line starts with a label */
	unsigned nitems; /* children so far (JSON commas, array indices) */
	size_t pathlen;  /* path length before this level's component */
	char key[48];    /* an array's key, for its elements' labels */
};

struct emit {
	enum emit_mode mode;
	FILE *f;                /* TEXT and JSON */
	struct field_list *out; /* FIELDS */
	int depth;
	unsigned nroots; /* top-level objects written (JSON array commas) */
	struct emit_level lv[EMIT_MAXDEPTH];
	char path[EMIT_PATHMAX];
	struct strbuf sb; /* JSON: the frame being written */
	struct json j;
};

void emit_init(struct emit *e, enum emit_mode mode, FILE *f, struct field_list *out);
/* JSON: the enclosing [ ] of a whole document; no-ops for the other modes. */
void emit_doc_begin(struct emit *e);
void emit_doc_end(struct emit *e);
/* key is NULL for an array element and for a top-level object. */
void emit_obj_begin(struct emit *e, const char *key);
void emit_obj_end(struct emit *e);
void emit_arr_begin(struct emit *e, const char *key);
void emit_arr_end(struct emit *e);
void emit_uint(struct emit *e, const char *key, unsigned long long v);
void emit_hexint(struct emit *e, const char *key, unsigned v,
                 int digits); /* text 0x.., JSON number */
void emit_bool(struct emit *e, const char *key, bool v);
void emit_str(struct emit *e, const char *key, const char *s);
/* A number with a name: text "key 3 (associate)", JSON "key": 3,
 * "key_name": "associate". */
void emit_enum(struct emit *e, const char *key, unsigned v, const char *name);
void emit_bytes(struct emit *e, const char *key, const uint8_t *p, size_t n); /* hex */
void emit_word(struct emit *e, const char *key, const char *w);               /* unquoted in text */
void emit_mac(struct emit *e, const char *key, const uint8_t mac[6]);
/* A JSON number with a fraction (seconds), printed the same way as text. */
void emit_fixed6(struct emit *e, const char *key, long long micros);

void field_list_free(struct field_list *l);

/* --- capture frames (read.c) ------------------------------------- */

enum frame_kind { FRAME_OTHER, FRAME_ECP, FRAME_LLDP };

#define ETHERTYPE_LLDP 0x88cc
#define FRAME_MAX      65536

struct frame {
	unsigned no; /* 1-based, as Wireshark numbers them */
	struct timeval ts;
	size_t len;     /* captured octets (after tag removal) */
	size_t wirelen; /* octets on the wire as the capture recorded */
	uint16_t vlan;  /* 802.1Q tag removed from the frame: TCI, else 0 */
	bool tagged;
	uint8_t *data; /* Ethernet frame, tag removed */
};

/* Frame kind by EtherType, looking through one 802.1Q / 802.1ad tag. */
enum frame_kind frame_classify(const uint8_t *data, size_t len);

struct capture {
	struct frame *v;
	size_t n, cap;
	struct timeval t0; /* first frame's time, for relative times */
};

/* Reads every frame of an Ethernet (DLT_EN10MB) capture, pcap or pcapng.
 * Returns 0, or -1 with a message in err. */
int capture_load(const char *path, struct capture *c, char *err, size_t errlen);
void capture_free(struct capture *c);
/* Copies a frame with its VLAN tag removed into f (f->data malloc'd). */
int frame_fill(struct frame *f, unsigned no, const struct timeval *ts, const uint8_t *data,
               size_t caplen, size_t wirelen);

int mac_parse(const char *s, uint8_t mac[6]);
void mac_str(const uint8_t mac[6], char buf[18]);

/* --- decoding (decode.c) ---------------------------------------- */

/* Emits one frame as a top-level object (with its octets in hex when
 * `hex`).  Returns false, emitting nothing, for a frame that is neither ECP
 * nor LLDP with an EVB TLV. */
bool decode_frame(struct emit *e, const struct frame *f, const struct timeval *t0, bool hex);
/* The EVB TLV of an LLDPDU (Ethernet frame), if it has a well-formed one. */
bool lldp_find_evb(const uint8_t *frame, size_t len, struct vdp_evb_tlv *out);
/* The fields compared by a replay: ECP header and VDP TLVs of one frame. */
void decode_fields(const uint8_t *frame, size_t len, struct field_list *out);

/* --- MAC rewriting (rewrite.c) ------------------------------------ */

struct mac_map {
	uint8_t from[6], to[6];
};

/* Rewrites the Ethernet addresses and every MAC inside the VDP TLVs (MAC
 * filter entries, MAC-format VSIIDs, the Help Request's MAC) in place.
 * TLVs the codecs refuse are left as they are. */
void rewrite_frame(uint8_t *frame, size_t len, const struct mac_map *m, size_t n);

/* --- the conversation in a capture (conv.c) ---------------------- */

enum ev_kind {
	EV_STATION_REQ, /* an ECP request of the station: resent through the engine */
	EV_STATION_RAW, /* a station frame ECP cannot carry (bad header): sent as is */
	EV_BRIDGE_PDU,  /* an ECP request of the bridge: a VDPDU to expect */
};

struct conv_ev {
	enum ev_kind kind;
	unsigned frame; /* capture frame number */
	double t;       /* seconds since the capture's first frame */
	uint16_t seq;   /* ECP sequence number as captured */
	bool acked;     /* station request: the bridge acknowledged it */
	unsigned need;  /* station events: bridge PDUs captured before this one */
	uint8_t *data;  /* the whole frame (rewritten) */
	size_t len;
	size_t ulpdu_off; /* EV_STATION_REQ: where the ULPDU starts in data */
};

struct conv {
	uint8_t station[6], bridge[6];
	bool have_bridge;
	bool have_evb; /* timers below come from an EVB TLV in the capture */
	struct vdp_evb_tlv evb;
	struct conv_ev *ev;
	size_t nev, cap;
	unsigned nbridge;  /* EV_BRIDGE_PDU events */
	unsigned nstation; /* station events */
	unsigned nignored; /* ECP frames of neither side, or acks of neither */
};

/* Finds the station (station_mac, or the side that sends VSI/policy
 * requests and never VSI/policy responses) and lists the conversation.
 * Returns 0 or -1 with a message in err. */
int conv_build(const struct capture *c, const uint8_t *station_mac, const struct mac_map *m,
               size_t nmap, struct conv *out, char *err, size_t errlen);
void conv_free(struct conv *c);

/* --- comparison (compare.c) --------------------------------------- */

struct volatile_set {
	char **v;
	size_t n, cap;
};

int volatile_add_list(struct volatile_set *s, const char *csv);
void volatile_free(struct volatile_set *s);
/* A pattern names a field when it equals a run of whole components of the
 * field's path, with or without the [i] indices: "seq" matches "ecp.seq",
 * "filters.vid" matches "vdp[1].filters[0].vid", "vdp[1].status" matches
 * "vdp[1].status.raw". */
bool volatile_match(const struct volatile_set *s, const char *path);

/* Prints one line per differing field to f, each prefixed with `what`.
 * Returns the number of differences. */
unsigned compare_fields(const struct field_list *want, const struct field_list *got,
                        const struct volatile_set *vol, const char *what, FILE *f);

/* --- replay (replay.c) ------------------------------------------- */

enum timing { TIMING_ORIGINAL, TIMING_FAST };

struct replay_opts {
	const char *iface;
	enum timing timing;
	const char *write_path; /* the replayed frames, as a capture; NULL: none */
	struct volatile_set vol;
	double timeout; /* seconds; caps each wait for the bridge, 0: none */
	bool verbose;
};

/* Plays c's station side on opts->iface.  Returns the number of mismatches,
 * or -1 on an error that stopped the replay (message printed). */
int replay_run(const struct conv *c, const struct replay_opts *opts);

#endif
