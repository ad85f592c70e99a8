/* vdpd: the control socket's bounded answer buffer and its JSON writer
 * (see ctl_json.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl_json.h"

/* --- strbuf ---------------------------------------------------------- */

size_t sb_limit(const struct strbuf *sb)
{
	return sb->max ? sb->max : CTL_ANSWER_MAX;
}

void sb_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->overflow = false;
}

void sb_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->overflow = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Room for n more octets and the NUL; false (and overflow set) when that
 * would pass the ceiling or memory runs out. */
static bool sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->overflow)
		return false;
	if (n > sb_limit(sb) - sb->len) {
		sb->overflow = true;
		return false;
	}
	if (sb->len + n + 1 <= sb->cap)
		return true;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < sb->len + n + 1)
		cap *= 2;
	char *p = realloc(sb->buf, cap);
	if (!p) {
		sb->overflow = true;
		return false;
	}
	sb->buf = p;
	sb->cap = cap;
	return true;
}

void sb_write(struct strbuf *sb, const void *p, size_t n)
{
	if (!sb_reserve(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_write(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_write(sb, &c, 1);
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	char small[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sb_write(sb, small, (size_t)n);
		return;
	}
	if (!sb_reserve(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

const char *sb_str(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

/* --- json ------------------------------------------------------------ */

void json_init(struct json *j, struct strbuf *sb)
{
	memset(j, 0, sizeof(*j));
	j->sb = sb;
}

/* The comma before a value or key, unless it is the first at its level or
 * the value of the key just written. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->comma[j->depth])
		sb_putc(j->sb, ',');
	j->comma[j->depth] = true;
}

static void json_open(struct json *j, char c)
{
	json_sep(j);
	sb_putc(j->sb, c);
	/* Deeper nesting than the dumpers use is a bug; writing on at the
	 * deepest level keeps the output well-formed anyway. */
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
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
	sb_putc(j->sb, ':');
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	json_sep(j);
	if (s)
		json_escape(j->sb, s);
	else
		sb_puts(j->sb, "null");
}

void json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	sb_printf(j->sb, "%llu", (unsigned long long)v);
}

void json_bool(struct json *j, bool v)
{
	json_sep(j);
	sb_puts(j->sb, v ? "true" : "false");
}

void json_null(struct json *j)
{
	json_sep(j);
	sb_puts(j->sb, "null");
}

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
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
	return n;
}

static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\b': return "\\b";
	case '\f': return "\\f";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	}
	return NULL;
}

void json_escape(struct strbuf *sb, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	sb_putc(sb, '"');
	while (*p) {
		const char *e = short_escape(*p);
		size_t n = utf8_seq(p);
		if (e) {
			sb_puts(sb, e);
			p++;
		} else if (*p < 0x20) {
			sb_printf(sb, "\\u%04x", *p);
			p++;
		} else if (n == 0) {
			sb_puts(sb, "\\ufffd");
			p++;
		} else {
			sb_write(sb, p, n);
			p += n;
		}
	}
	sb_putc(sb, '"');
}
