/* SPDX-License-Identifier: ISC */
/* common: the one JSON writer of the daemon and the tools (vdpd's control
 * answers, vdp-station's answers, vdp-pcap's decode).  It places commas
 * (and, when pretty, line breaks and indentation) and escapes strings,
 * the part where almost right is not enough.
 *
 * Strings follow one rule everywhere: the output is always valid UTF-8.
 *   - '"' and '\\' are escaped, and so is every control character:
 *     \b \f \n \r \t by their short forms, the other C0 characters, DEL and
 *     the C1 characters (U+0080..U+009F) as \u00XX, so that no answer can
 *     move a terminal's cursor;
 *   - well-formed UTF-8 (RFC 3629: shortest form, no surrogates, nothing
 *     above U+10FFFF) passes through as it is;
 *   - every octet that is not part of such a sequence becomes \ufffd
 *     (interface names and Manager IDs need not be UTF-8).
 *
 * No JSON library: the programs only write JSON, never read it, and this
 * is all the writing takes.
 */
#ifndef COMMON_JSON_H
#define COMMON_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "strbuf.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf *sb;
	unsigned depth;
	bool comma[JSON_MAX_DEPTH]; /* a value was already written at this level */
	bool after_key;
	bool pretty; /* one member per line, two spaces per level, "key": value */
};

/* Compact: {"a":[1,2]}. */
void json_init(struct json *j, struct strbuf *sb);
/* Pretty, the layout of Python's json.dumps(indent=2), so that documents
 * diff line by line; empty containers stay [] and {}. */
void json_init_pretty(struct json *j, struct strbuf *sb);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* A member: its key, then its value. */
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);
/* A value the caller has already written as a JSON literal (a number with
 * a fraction, "3.055780"); it is copied as it is. */
void json_raw(struct json *j, const char *literal);
/* Writes s as a quoted JSON string by the rule above; NULL writes null. */
void json_escape(struct strbuf *sb, const char *s);

#endif
