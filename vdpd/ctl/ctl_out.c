/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's tables, written as aligned text columns or
 * as JSON from the same calls (see ctl_out.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "ctl/ctl_out.h"
#include "ctl/ctl_proto.h"

/* --- out ------------------------------------------------------------- */

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
		json_kv_uint(&o->j, "format_version", CTL_FORMAT_VERSION);
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

void tab_begin(struct out *o, const char *key, const struct out_col *cols, unsigned ncols)
{
	o->cols = cols;
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
	if (ARRAY_GROW(o->cells, o->capcells, o->ncells + 1) < 0) {
		o->sb->overflow = true;
		return;
	}
	/* The table's text is at least as long as its cells: once they pass
	 * the answer's ceiling there is no point keeping more. */
	const char *text = s && *s ? s : "-";
	size_t len = strlen(text);
	char *dup = o->cell_bytes + len <= sb_limit(o->sb) ? strdup(text) : NULL;
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

#define TAB_MAX_COLS 24

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
	char *heads[TAB_MAX_COLS];
	unsigned ncols = o->ncols < TAB_MAX_COLS ? o->ncols : TAB_MAX_COLS;
	if (ncols == 0)
		return;
	size_t nrows = o->ncells / o->ncols;

	for (unsigned c = 0; c < ncols; c++) {
		heads[c] = (char *)o->cols[c].head;
		w[c] = strlen(heads[c]);
		for (size_t r = 0; r < nrows; r++) {
			size_t n = max_line(o->cells[r * o->ncols + c]);
			w[c] = n > w[c] ? n : w[c];
		}
	}
	text_row(o->sb, heads, ncols, w);
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
		json_key(&o->j, o->cols[o->col++].key);
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

void out_kv_uint(struct out *o, const char *label, const char *key, uint64_t v)
{
	if (o->json) {
		json_kv_uint(&o->j, key, v);
	} else {
		sb_printf(o->sb, "%s: %llu\n", label, (unsigned long long)v);
	}
}

void out_kv_str(struct out *o, const char *label, const char *key, const char *v)
{
	if (o->json) {
		json_kv_str(&o->j, key, v);
	} else {
		sb_printf(o->sb, "%s: %s\n", label, v ? v : "-");
	}
}
