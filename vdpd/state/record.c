/* SPDX-License-Identifier: ISC */
/* vdpd: the state directory's record format (record.h). */
#include <string.h>
#include <zlib.h>

#include "bytes.h"
#include "state/record.h"

/* REC_MAGIC's eight octets, without its NUL. */
static const uint8_t magic[8] = {'v', 'd', 'p', 'd', 's', 't', 'a', 't'};

const char *rec_strerror(int err)
{
	switch (err) {
	case REC_OK:
		return "ok";
	case REC_E_SHORT:
		return "truncated record (a write cut short)";
	case REC_E_CRC:
		return "checksum mismatch";
	case REC_E_FORMAT:
		return "malformed record";
	case REC_E_MAGIC:
		return "not a vdpd state file";
	case REC_E_VERSION:
		return "another format version";
	}
	return "unknown error";
}

static uint32_t crc(const uint8_t *p, size_t n)
{
	return (uint32_t)crc32(crc32(0L, Z_NULL, 0), p, (uInt)n);
}

void rec_header_encode(uint8_t out[REC_HEADER_SIZE], enum rec_file kind)
{
	memcpy(out, magic, sizeof(magic));
	put_be16(out + 8, REC_VERSION);
	put_be16(out + 10, (uint16_t)kind);
	put_be32(out + 12, crc(out, 12));
}

int rec_header_decode(const uint8_t *buf, size_t len, enum rec_file *kind, unsigned *version)
{
	if (len < REC_HEADER_SIZE)
		return REC_E_SHORT;
	if (memcmp(buf, magic, sizeof(magic)) != 0)
		return REC_E_MAGIC;
	if (get_be32(buf + 12) != crc(buf, 12))
		return REC_E_CRC;
	*version = get_be16(buf + 8);
	if (*version != REC_VERSION)
		return REC_E_VERSION;
	uint16_t k = get_be16(buf + 10);
	if (k != REC_FILE_JOURNAL && k != REC_FILE_SNAPSHOT)
		return REC_E_MAGIC;
	*kind = (enum rec_file)k;
	return REC_OK;
}

size_t rec_size(const struct rec *r)
{
	if (r->keylen > REC_MAX_KEY || r->vallen > REC_MAX_VALUE)
		return 0;
	return REC_FIXED + r->keylen + (size_t)r->vallen;
}

void rec_encode(uint8_t *out, const struct rec *r)
{
	size_t n = rec_size(r);
	put_be32(out + 4, (uint32_t)(n - 8));
	out[8] = r->op;
	out[9] = r->kind;
	put_be16(out + 10, r->keylen);
	if (r->keylen)
		memcpy(out + REC_FIXED, r->key, r->keylen);
	if (r->vallen)
		memcpy(out + REC_FIXED + r->keylen, r->val, r->vallen);
	put_be32(out, crc(out + 4, n - 4));
}

int rec_decode(const uint8_t *buf, size_t len, struct rec *r, size_t *used)
{
	if (len < 8)
		return REC_E_SHORT;
	uint32_t body = get_be32(buf + 4);
	/* A length beyond the limits is garbage, not a long record: say so
	 * rather than "truncated", whatever follows. */
	if (body < REC_FIXED - 8 || body > REC_FIXED - 8 + REC_MAX_KEY + REC_MAX_VALUE)
		return REC_E_FORMAT;
	if (len - 8 < body)
		return REC_E_SHORT;
	if (get_be32(buf) != crc(buf + 4, (size_t)body + 4))
		return REC_E_CRC;
	r->op = buf[8];
	r->kind = buf[9];
	r->keylen = get_be16(buf + 10);
	if ((r->op != REC_PUT && r->op != REC_DEL) || r->keylen > REC_MAX_KEY ||
	    r->keylen > body - (REC_FIXED - 8))
		return REC_E_FORMAT;
	r->vallen = body - (REC_FIXED - 8) - r->keylen;
	if (r->op == REC_DEL && r->vallen)
		return REC_E_FORMAT;
	r->key = buf + REC_FIXED;
	r->val = buf + REC_FIXED + r->keylen;
	*used = (size_t)body + 8;
	return REC_OK;
}
