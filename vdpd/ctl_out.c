/* vdpd: the control socket's answer writers: a bounded buffer, a JSON
 * writer and text/JSON tables (see ctl_out.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_out.h"

/* --- strbuf ---------------------------------------------------------- */

static size_t sb_max(const struct strbuf *sb)
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
	if (n > sb_max(sb) - sb->len) {
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

/* --- out ------------------------------------------------------------- */

/* "RX-PDUS" -> "rx_pdus"; "pool-free" -> "pool_free". */
static const char *json_key_of(const char *head, char *buf, size_t cap)
{
	size_t i = 0;
	for (; head[i] && i + 1 < cap; i++) {
		char c = head[i];
		if (c == '-' || c == ' ')
			c = '_';
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		buf[i] = c;
	}
	buf[i] = '\0';
	return buf;
}

static void out_key(struct out *o, const char *head)
{
	char key[64];
	json_key(&o->j, json_key_of(head, key, sizeof(key)));
}

void out_init(struct out *o, struct strbuf *sb, bool json)
{
	memset(o, 0, sizeof(*o));
	o->sb = sb;
	o->json = json;
	json_init(&o->j, sb);
}

void out_begin(struct out *o)
{
	if (o->json)
		json_obj_begin(&o->j);
}

void out_end(struct out *o)
{
	if (o->json) {
		json_obj_end(&o->j);
		sb_putc(o->sb, '\n');
	}
}

static void cells_free(struct out *o)
{
	for (size_t i = 0; i < o->ncells; i++)
		free(o->cells[i]);
	free(o->cells);
	o->cells = NULL;
	o->ncells = o->capcells = 0;
	o->cell_bytes = 0;
}

void out_free(struct out *o)
{
	cells_free(o);
	sb_free(&o->list);
}

void out_blank(struct out *o)
{
	if (!o->json && o->sb->len)
		sb_putc(o->sb, '\n');
}

void tab_begin(struct out *o, const char *key, const char *const *heads, unsigned ncols)
{
	o->heads = heads;
	o->ncols = ncols;
	o->col = 0;
	if (o->json) {
		json_key(&o->j, key);
		json_arr_begin(&o->j);
	}
}

/* Keeps one text cell; on allocation failure the answer is marked
 * truncated, which ctl_exec turns into an error. */
static void text_cell(struct out *o, const char *s)
{
	if (o->col >= o->ncols)
		return;
	if (o->ncells == o->capcells) {
		size_t cap = o->capcells ? o->capcells * 2 : 64;
		char **c = realloc(o->cells, cap * sizeof(*c));
		if (!c) {
			o->sb->overflow = true;
			return;
		}
		o->cells = c;
		o->capcells = cap;
	}
	/* The table's text is at least as long as its cells: once they pass
	 * the answer's ceiling there is no point keeping more. */
	const char *text = s && *s ? s : "-";
	size_t len = strlen(text);
	char *dup = o->cell_bytes + len <= sb_max(o->sb) ? strdup(text) : NULL;
	if (!dup) {
		o->sb->overflow = true;
		return;
	}
	o->cell_bytes += len;
	o->cells[o->ncells++] = dup;
	o->col++;
}

static size_t max_line(const char *s)
{
	size_t best = 0;
	while (*s) {
		size_t n = strcspn(s, "\n");
		best = n > best ? n : best;
		s += n;
		if (*s)
			s++;
	}
	return best;
}

static void pad(struct strbuf *sb, size_t n)
{
	static const char spaces[] = "                                ";
	while (n) {
		size_t k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		sb_write(sb, spaces, k);
		n -= k;
	}
}

#define TAB_MAX_COLS 16

/* One row, possibly several lines tall when a cell holds line breaks;
 * padding is only written before text, so lines carry no trailing blanks. */
static void text_row(struct strbuf *sb, char *const *cells, unsigned ncols, const size_t *w)
{
	const char *pos[TAB_MAX_COLS];
	bool more = true;

	for (unsigned c = 0; c < ncols; c++)
		pos[c] = cells[c];
	while (more) {
		size_t pending = 0;
		more = false;
		for (unsigned c = 0; c < ncols; c++) {
			const char *p = pos[c];
			size_t n = p ? strcspn(p, "\n") : 0;
			if (n) {
				pad(sb, pending);
				sb_write(sb, p, n);
				pending = 0;
			}
			pending += w[c] - n + 2;
			pos[c] = p && p[n] == '\n' ? p + n + 1 : NULL;
			more |= pos[c] != NULL;
		}
		sb_putc(sb, '\n');
	}
}

static void text_table(struct out *o)
{
	size_t w[TAB_MAX_COLS] = {0};
	unsigned ncols = o->ncols < TAB_MAX_COLS ? o->ncols : TAB_MAX_COLS;
	if (ncols == 0)
		return;
	size_t nrows = o->ncells / o->ncols;

	for (unsigned c = 0; c < ncols; c++) {
		w[c] = strlen(o->heads[c]);
		for (size_t r = 0; r < nrows; r++) {
			size_t n = max_line(o->cells[r * o->ncols + c]);
			w[c] = n > w[c] ? n : w[c];
		}
	}
	text_row(o->sb, (char *const *)o->heads, ncols, w);
	for (size_t r = 0; r < nrows; r++)
		text_row(o->sb, o->cells + r * o->ncols, ncols, w);
}

void tab_end(struct out *o)
{
	if (o->json)
		json_arr_end(&o->j);
	else if (!o->sb->overflow)
		text_table(o);
	cells_free(o);
}

void row_begin(struct out *o)
{
	o->col = 0;
	if (o->json)
		json_obj_begin(&o->j);
}

void row_end(struct out *o)
{
	if (o->json) {
		json_obj_end(&o->j);
		return;
	}
	/* A dumper that wrote too few cells must not shift every row after
	 * it; too many is caught by the column check in each cell. */
	while (o->col < o->ncols && !o->sb->overflow)
		text_cell(o, NULL);
}

/* Whether the current row has room for another cell. */
static bool next_col(struct out *o)
{
	if (o->col >= o->ncols)
		return false;
	if (o->json)
		out_key(o, o->heads[o->col++]);
	return true;
}

void cell_str(struct out *o, const char *s)
{
	if (!next_col(o))
		return;
	if (o->json)
		json_str(&o->j, s);
	else
		text_cell(o, s);
}

void cell_uint(struct out *o, uint64_t v)
{
	cell_uint_unit(o, v, "");
}

void cell_uint_unit(struct out *o, uint64_t v, const char *unit)
{
	char text[32];
	if (!next_col(o))
		return;
	if (o->json) {
		json_uint(&o->j, v);
		return;
	}
	snprintf(text, sizeof(text), "%llu%s", (unsigned long long)v, unit);
	text_cell(o, text);
}

void cell_bool(struct out *o, bool v)
{
	if (!next_col(o))
		return;
	if (o->json)
		json_bool(&o->j, v);
	else
		text_cell(o, v ? "yes" : "no");
}

void cell_list_begin(struct out *o, const char *sep)
{
	if (!next_col(o))
		return;
	o->list_sep = sep;
	o->list_items = 0;
	if (o->json)
		json_arr_begin(&o->j);
	else
		sb_reset(&o->list);
}

void cell_list_end(struct out *o)
{
	if (o->json) {
		json_arr_end(&o->j);
		return;
	}
	if (o->list.overflow)
		o->sb->overflow = true;
	text_cell(o, sb_str(&o->list));
}

void item_custom(struct out *o, const char *text)
{
	if (o->json)
		return;
	if (o->list_items++)
		sb_puts(&o->list, o->list_sep);
	sb_puts(&o->list, text);
}

void item_str(struct out *o, const char *s)
{
	if (o->json)
		json_str(&o->j, s);
	else
		item_custom(o, s);
}

void out_kv_uint(struct out *o, const char *key, uint64_t v)
{
	if (o->json) {
		out_key(o, key);
		json_uint(&o->j, v);
	} else {
		sb_printf(o->sb, "%s: %llu\n", key, (unsigned long long)v);
	}
}

void out_kv_str(struct out *o, const char *key, const char *v)
{
	if (o->json) {
		out_key(o, key);
		json_str(&o->j, v);
	} else {
		sb_printf(o->sb, "%s: %s\n", key, v ? v : "-");
	}
}
