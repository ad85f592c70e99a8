/* SPDX-License-Identifier: ISC */
/* common: the JSON writer and its one string rule (see json.h). */
#include <string.h>

#include "json.h"

void json_init(struct json *j, struct strbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
}

void json_init_pretty(struct json *j, struct strbuf *sb)
{
	json_init(j, sb);
	j->pretty = true;
}

static void indent(struct json *j, unsigned depth)
{
	sb_putc(j->sb, '\n');
	for (unsigned i = 0; i < depth; i++)
		sb_write(j->sb, "  ", 2);
}

/* The comma before a value or key, unless it is the first at its level or
 * the value of the key just written; pretty output starts a line. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->comma[j->depth])
		sb_putc(j->sb, ',');
	j->comma[j->depth] = true;
	if (j->pretty && j->depth > 0)
		indent(j, j->depth);
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	sb_putc(j->sb, c);
	/* Deeper nesting than the writers use is a bug; writing on at the
	 * deepest level keeps the output well-formed anyway. */
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	if (j->pretty && j->comma[j->depth] && j->depth > 0)
		indent(j, j->depth - 1);
	sb_putc(j->sb, c);
	if (j->depth > 0)
		j->depth--;
}

void json_obj_begin(struct json *j)
{
	json_open(j, '{');
}

void json_obj_end(struct json *j)
{
	json_close(j, '}');
}

void json_arr_begin(struct json *j)
{
	json_open(j, '[');
}

void json_arr_end(struct json *j)
{
	json_close(j, ']');
}

void json_key(struct json *j, const char *key)
{
	json_sep(j);
	json_escape(j->sb, key);
	sb_puts(j->sb, j->pretty ? ": " : ":");
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_sep(j);
	json_escape(j->sb, s);
}

void json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	sb_printf(j->sb, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, bool v)
{
	json_raw(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	json_raw(j, "null");
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_raw(struct json *j, const char *literal)
{
	json_sep(j);
	sb_puts(j->sb, literal);
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF) and its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp_out)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp, min;

	if (c < 0x80) {
		*cp_out = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		n = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*cp_out = cp;
	return n;
}

static const char *short_escape(uint32_t c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	}
	return NULL;
}

/* C0, DEL and C1: the code points Unicode calls control characters. */
static bool is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

void json_escape(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!s) {
		sb_puts(sb, "null");
		return;
	}
	sb_putc(sb, '"');
	while (*p) {
		uint32_t cp = 0;
		size_t n = utf8_seq(p, &cp);
		const char *e = n ? short_escape(cp) : NULL;
		if (n == 0) {
			sb_puts(sb, "\\ufffd");
			p++;
			continue;
		}
		if (e)
			sb_puts(sb, e);
		else if (is_control(cp))
			sb_printf(sb, "\\u%04x", (unsigned)cp);
		else
			sb_write(sb, p, n);
		p += n;
	}
	sb_putc(sb, '"');
}
