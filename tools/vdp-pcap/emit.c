/* SPDX-License-Identifier: ISC */
/* vdp-pcap: one output tree, three writers.
 *
 * Text:   an object's leading scalars share its first line ("label: k v,
 *         k v"); once it has a nested child, later scalars get a line of
 *         their own ("k: v"), indented one step deeper.  Array elements are
 *         labelled key[i].  Small objects of scalars thus read as one line.
 * JSON:   the same tree, two-space indented, one member per line, so that
 *         golden files diff line by line: common's JSON writer in its
 *         pretty layout, flushed to the file after each frame.
 * Fields: "path = value" pairs with the text writer's value strings, which
 *         the replay compares.
 */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "vdp-pcap.h"

void emit_init(struct emit *e, enum emit_mode mode, FILE *f, struct field_list *out)
{
	memset(e, 0, sizeof(*e));
	e->mode = mode;
	e->f = f;
	e->out = out;
	json_init_pretty(&e->j, &e->sb);
}

/* JSON: what the writer holds so far goes to the file. */
static void json_flush(struct emit *e)
{
	if (e->sb.len)
		fwrite(e->sb.buf, 1, e->sb.len, e->f);
	sb_free(&e->sb);
}

void emit_doc_begin(struct emit *e)
{
	if (e->mode == EMIT_JSON)
		json_arr_begin(&e->j);
}

void emit_doc_end(struct emit *e)
{
	if (e->mode != EMIT_JSON)
		return;
	json_arr_end(&e->j);
	sb_putc(&e->sb, '\n');
	json_flush(e);
}

static void indent(const struct emit *e, int steps)
{
	for (int i = 0; i < steps; i++)
		fputs("  ", e->f);
}

/* Text indentation: one step per enclosing object; arrays add none, their
 * elements being labelled key[i]. */
static int text_depth(const struct emit *e)
{
	int d = 0;
	for (int i = 0; i < e->depth; i++)
		d += !e->lv[i].array;
	return d;
}

/* The current object, or NULL at the top level. */
static struct emit_level *cur(struct emit *e)
{
	return e->depth ? &e->lv[e->depth - 1] : NULL;
}

/* Text: a nested child ends its parent's first line. */
static void text_close_header(struct emit *e)
{
	struct emit_level *l = cur(e);
	if (l && l->header) {
		fputc('\n', e->f);
		l->header = false;
	}
}

/* JSON: the key of a member; array elements have none. */
static void json_member(struct emit *e, const char *key)
{
	struct emit_level *l = cur(e);
	if (key && !(l && l->array))
		json_key(&e->j, key);
}

/* JSON: a member whose value is a string (text keeps its own spelling). */
static void json_str_member(struct emit *e, const char *key, const char *s)
{
	json_member(e, key);
	json_str(&e->j, s);
	cur(e)->nitems++;
}

static void path_push(struct emit *e, const char *key)
{
	struct emit_level *l = cur(e);
	size_t n = strlen(e->path);
	if (l && l->array)
		snprintf(e->path + n, sizeof(e->path) - n, "[%u]", l->nitems);
	else if (key)
		snprintf(e->path + n, sizeof(e->path) - n, "%s%s", n ? "." : "", key);
}

static void field_add(struct field_list *l, const char *path, const char *value)
{
	if (ARRAY_GROW(l->v, l->cap, l->n + 1) < 0)
		return; /* a comparison short of memory reports a difference */
	char *p = strdup(path), *v = strdup(value);
	if (!p || !v) {
		free(p);
		free(v);
		return;
	}
	struct field *f = &l->v[l->n++];
	f->path = p;
	f->value = v;
}

void field_list_free(struct field_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].path);
		free(l->v[i].value);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static void begin(struct emit *e, const char *key, bool array)
{
	struct emit_level *l = cur(e);
	if (e->depth + 1 >= EMIT_MAXDEPTH)
		abort(); /* the decoder's trees are a few levels deep */
	struct emit_level *n = &e->lv[e->depth];
	memset(n, 0, sizeof(*n));
	n->array = array;
	n->pathlen = strlen(e->path);
	snprintf(n->key, sizeof(n->key), "%s", key ? key : "");

	switch (e->mode) {
	case EMIT_JSON:
		json_member(e, key);
		if (array)
			json_arr_begin(&e->j);
		else
			json_obj_begin(&e->j);
		break;
	case EMIT_TEXT:
		if (array)
			break; /* its elements carry the label */
		text_close_header(e);
		if (!l && e->nroots)
			fputc('\n', e->f); /* a blank line between frames */
		indent(e, text_depth(e));
		if (l && l->array)
			fprintf(e->f, "%s[%u]:", l->key, l->nitems);
		else if (key)
			fprintf(e->f, "%s:", key);
		n->labelled = (l && l->array) || key;
		n->header = true;
		break;
	case EMIT_FIELDS:
		break;
	}
	path_push(e, key);
	if (array && e->mode == EMIT_TEXT)
		text_close_header(e);
	if (l)
		l->nitems++;
	else
		e->nroots++;
	e->depth++;
}

static void end(struct emit *e)
{
	struct emit_level *l = cur(e);
	if (!l)
		abort();
	switch (e->mode) {
	case EMIT_JSON:
		if (l->array)
			json_arr_end(&e->j);
		else
			json_obj_end(&e->j);
		break;
	case EMIT_TEXT:
		if (l->header)
			fputc('\n', e->f);
		break;
	case EMIT_FIELDS:
		break;
	}
	e->path[l->pathlen] = 0;
	e->depth--;
	if (e->mode == EMIT_JSON && e->depth == 0)
		json_flush(e); /* a whole frame */
}

void emit_obj_begin(struct emit *e, const char *key)
{
	begin(e, key, false);
}

void emit_obj_end(struct emit *e)
{
	end(e);
}

void emit_arr_begin(struct emit *e, const char *key)
{
	begin(e, key, true);
}

void emit_arr_end(struct emit *e)
{
	end(e);
}

/* One scalar.  text is what the text writer shows (and the field list
 * keeps); json is the JSON literal. */
static void scalar(struct emit *e, const char *key, const char *text, const char *json)
{
	struct emit_level *l = cur(e);
	if (!l)
		abort(); /* scalars live in objects */
	switch (e->mode) {
	case EMIT_JSON:
		json_member(e, key);
		json_raw(&e->j, json);
		break;
	case EMIT_TEXT:
		if (l->header) {
			const char *sep = l->nitems ? ", " : l->labelled ? " " : "";
			fprintf(e->f, "%s%s %s", sep, key, text);
		} else {
			indent(e, text_depth(e));
			fprintf(e->f, "%s: %s\n", key, text);
		}
		break;
	case EMIT_FIELDS: {
		/* Room for the longest path and key: the decoder's paths are a
		 * few dozen characters. */
		char path[2 * EMIT_PATHMAX];
		snprintf(path, sizeof(path), "%s%s%s", e->path, e->path[0] ? "." : "", key);
		field_add(e->out, path, text);
		break;
	}
	}
	l->nitems++;
}

void emit_uint(struct emit *e, const char *key, unsigned long long v)
{
	char t[24];
	snprintf(t, sizeof(t), "%llu", v);
	scalar(e, key, t, t);
}

void emit_hexint(struct emit *e, const char *key, unsigned v, int digits)
{
	char t[24], j[24];
	snprintf(t, sizeof(t), "0x%0*x", digits, v);
	snprintf(j, sizeof(j), "%u", v);
	scalar(e, key, t, j);
}

void emit_bool(struct emit *e, const char *key, bool v)
{
	scalar(e, key, v ? "1" : "0", v ? "true" : "false");
}

/* Text shows strings quoted and C-escaped: names may hold commas. */
void emit_str(struct emit *e, const char *key, const char *s)
{
	char t[256];
	size_t o = 0;
	t[o++] = '"';
	for (const char *p = s; *p && o + 6 < sizeof(t); p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"' || c == '\\')
			o += (size_t)snprintf(t + o, sizeof(t) - o, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(t + o, sizeof(t) - o, "\\x%02x", c);
		else
			t[o++] = (char)c;
	}
	t[o++] = '"';
	t[o] = 0;
	if (e->mode != EMIT_JSON) {
		scalar(e, key, t, t);
		return;
	}
	json_str_member(e, key, s);
}

void emit_enum(struct emit *e, const char *key, unsigned v, const char *name)
{
	char t[96], j[24];
	snprintf(t, sizeof(t), "%u (%s)", v, name);
	snprintf(j, sizeof(j), "%u", v);
	if (e->mode != EMIT_JSON) {
		scalar(e, key, t, j);
		return;
	}
	char k[64];
	scalar(e, key, t, j);
	snprintf(k, sizeof(k), "%s_name", key);
	json_str_member(e, k, name);
}

/* Unquoted in text: addresses, identifiers, hex. */
static void word(struct emit *e, const char *key, const char *w)
{
	if (e->mode != EMIT_JSON) {
		scalar(e, key, w, w);
		return;
	}
	json_str_member(e, key, w);
}

void emit_bytes(struct emit *e, const char *key, const uint8_t *p, size_t n)
{
	char *t = malloc(2 * n + 1);
	if (!t)
		abort();
	for (size_t i = 0; i < n; i++)
		snprintf(t + 2 * i, 3, "%02x", p[i]);
	t[2 * n] = 0;
	/* Text shows an empty field as "-" rather than as nothing. */
	word(e, key, n || e->mode == EMIT_JSON ? t : "-");
	free(t);
}

void emit_mac(struct emit *e, const char *key, const uint8_t mac[6])
{
	char t[18];
	mac_str(mac, t);
	word(e, key, t);
}

void emit_word(struct emit *e, const char *key, const char *w)
{
	word(e, key, w);
}

void emit_fixed6(struct emit *e, const char *key, long long micros)
{
	char t[32];
	snprintf(t, sizeof(t), "%s%lld.%06lld", micros < 0 ? "-" : "", llabs(micros) / 1000000,
	         llabs(micros) % 1000000);
	scalar(e, key, t, t);
}
