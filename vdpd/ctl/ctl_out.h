/* SPDX-License-Identifier: ISC */
/* vdpd: tables of rows and cells for the control socket's answers,
 * written either as aligned text columns or as JSON from the same calls.
 * That is what makes `vdpctl -j` mirror the text output field for field:
 * a dumper cannot add a column to one form and forget the other.
 *
 * Every column and every "key: value" line names its JSON key explicitly
 * next to its text header ({"RX-PDUS", "rx_pdus"}): JSON is the stable
 * interface (vdpctl(8), STABILITY), so a key must not change because a
 * header was reworded.  A cell with no value is "-" in text and null in
 * JSON; a list is comma-joined (or one item per line) in text and an array
 * in JSON.  Every JSON answer ends with "format_version" (ctl_proto.h).
 */
#ifndef VDPD_CTL_OUT_H
#define VDPD_CTL_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "strbuf.h"

/* --- out: tables as text or JSON ------------------------------------ */

/* A column: its header in text, its key in JSON. */
struct out_col {
	const char *head;
	const char *key;
};

struct out {
	struct strbuf *sb;
	bool json;
	struct json j;
	/* the text table being built (text mode only) */
	const struct out_col *cols;
	unsigned ncols, col;
	char **cells; /* row-major, ncols per row */
	size_t ncells, capcells;
	size_t cell_bytes;  /* held in cells: bounded like the answer itself */
	struct strbuf list; /* the list cell being built */
	const char *list_sep;
	unsigned list_items;
	bool nomem;
};

void out_init(struct out *o, struct strbuf *sb, bool json);
/* Opens / closes the answer (the top-level JSON object, closed with its
 * "format_version" member). */
void out_begin(struct out *o);
void out_end(struct out *o);
void out_free(struct out *o); /* after an error part-way through a table */

/* A table under JSON key `key`: an array of objects, one per row, whose
 * members are the columns' keys. */
void tab_begin(struct out *o, const char *key, const struct out_col *cols, unsigned ncols);
void tab_end(struct out *o);
void row_begin(struct out *o);
void row_end(struct out *o);

void cell_str(struct out *o, const char *s); /* NULL: "-" / null */
void cell_uint(struct out *o, uint64_t v);
/* A number whose text form carries a unit ("87s"); JSON has the number. */
void cell_uint_unit(struct out *o, uint64_t v, const char *unit);
void cell_bool(struct out *o, bool v); /* yes/no, true/false */
/* A list cell: items joined by sep in text ("\n": one per line, aligned
 * under the column), a JSON array; an empty list is "-" / []. */
void cell_list_begin(struct out *o, const char *sep);
void cell_list_end(struct out *o);
void item_str(struct out *o, const char *s);
/* For an item whose JSON form is richer than its text (an object): in
 * JSON mode the caller writes the value itself with json_*() on o->j after
 * this call; in text mode this appends `text`. */
void item_custom(struct out *o, const char *text);

/* A top-level "label: value" line in text, member `key` of the answer in
 * JSON. */
void out_kv_uint(struct out *o, const char *label, const char *key, uint64_t v);
void out_kv_str(struct out *o, const char *label, const char *key, const char *v);
/* A blank line between sections (text only). */
void out_blank(struct out *o);

#endif
