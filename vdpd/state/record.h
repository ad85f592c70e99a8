/* SPDX-License-Identifier: ISC */
/* vdpd: the on-disk record format of the state directory (pure codec, no
 * I/O; fuzzed).
 *
 * A state file is a header, then records.  Both the journal and the
 * snapshot use it; the header says which.  All integers big-endian.
 *
 *   header  "vdpdstat" u16 version u16 file-kind u32 crc32(first 12 octets)
 *   record  u32 crc32(everything after this field)  u32 len (octets after
 *           this field)  u8 op  u8 kind  u16 keylen  key  value
 *
 * A record is a fact about one object: PUT (the object is now VALUE) or
 * DEL.  Replaying records in order, the last one per (kind, key) wins, so
 * replaying a journal over a snapshot that already holds its effect is
 * harmless: that is what makes compaction crash-safe without a
 * generation number. */
#ifndef VDPD_STATE_RECORD_H
#define VDPD_STATE_RECORD_H

#include <stddef.h>
#include <stdint.h>

#define REC_MAGIC       "vdpdstat"
#define REC_VERSION     1
#define REC_HEADER_SIZE 16
#define REC_FIXED       12 /* crc, len, op, kind, keylen */
#define REC_MAX_KEY     256
#define REC_MAX_VALUE   65536

enum rec_file { REC_FILE_JOURNAL = 1, REC_FILE_SNAPSHOT = 2 };
enum rec_op { REC_PUT = 1, REC_DEL = 2 };

struct rec {
	uint8_t op, kind;
	uint16_t keylen;
	uint32_t vallen;
	const uint8_t *key, *val; /* into the buffer decoded from */
};

enum rec_err {
	REC_OK = 0,
	REC_E_SHORT = -1,   /* the buffer ends inside the record: a torn write */
	REC_E_CRC = -2,     /* checksum mismatch: a flipped bit, or garbage */
	REC_E_FORMAT = -3,  /* checksum fine, contents impossible */
	REC_E_MAGIC = -4,   /* not a vdpd state file */
	REC_E_VERSION = -5, /* a state file of another format version */
};

const char *rec_strerror(int err);

void rec_header_encode(uint8_t out[REC_HEADER_SIZE], enum rec_file kind);
/* 0 with *kind and *version set, or REC_E_SHORT / _MAGIC / _CRC / _VERSION
 * (*version is set for _VERSION). */
int rec_header_decode(const uint8_t *buf, size_t len, enum rec_file *kind, unsigned *version);

/* Octets the record takes, 0 if it exceeds the limits above. */
size_t rec_size(const struct rec *r);
/* Writes rec_size(r) octets to out (which holds at least that many). */
void rec_encode(uint8_t *out, const struct rec *r);
/* Decodes the record at buf; *used is its size.  0 or a REC_E_*. */
int rec_decode(const uint8_t *buf, size_t len, struct rec *r, size_t *used);

#endif
