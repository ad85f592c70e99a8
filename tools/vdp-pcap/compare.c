/* SPDX-License-Identifier: ISC */
/* vdp-pcap: comparing the live bridge's VDPDUs with the captured ones,
 * field by field, over the paths the decoder prints ("vdp[1].status.raw"),
 * so that a difference reads like the decode output it comes from. */
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "vdp-pcap.h"

int volatile_add_list(struct volatile_set *s, const char *csv)
{
	const char *p = csv;
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 0 || n >= EMIT_PATHMAX)
			return -1;
		if (ARRAY_GROW(s->v, s->cap, s->n + 1) < 0)
			return -1;
		if (!(s->v[s->n] = strndup(p, n)))
			return -1;
		s->n++;
		p += n;
		if (*p == ',' && !*++p)
			return -1; /* a trailing comma: a field name is missing */
	}
	return 0;
}

void volatile_free(struct volatile_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* The path without its [i] indices: "vdp.filters.vid". */
static void strip_indices(const char *path, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = path; *p && o + 1 < cap; p++) {
		if (*p == '[') {
			p = strchr(p, ']');
			if (!p)
				break;
			continue;
		}
		out[o++] = *p;
	}
	out[o] = 0;
}

/* pat occurs in path starting and ending at component boundaries. */
static bool run_of_components(const char *path, const char *pat)
{
	size_t n = strlen(pat);
	for (const char *p = path; (p = strstr(p, pat)); p++) {
		bool starts = p == path || p[-1] == '.';
		bool ends = p[n] == 0 || p[n] == '.' || p[n] == '[';
		if (starts && ends)
			return true;
	}
	return false;
}

bool volatile_match(const struct volatile_set *s, const char *path)
{
	char bare[EMIT_PATHMAX];
	strip_indices(path, bare, sizeof(bare));
	for (size_t i = 0; i < s->n; i++)
		if (run_of_components(path, s->v[i]) || run_of_components(bare, s->v[i]))
			return true;
	return false;
}

static const struct field *find(const struct field_list *l, const char *path)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].path, path) == 0)
			return &l->v[i];
	return NULL;
}

unsigned compare_fields(const struct field_list *want, const struct field_list *got,
                        const struct volatile_set *vol, const char *what, FILE *f)
{
	unsigned diffs = 0;
	/* In the captured order first, then whatever only the live bridge
	 * sent; a field missing on one side reads "(absent)". */
	for (size_t i = 0; i < want->n; i++) {
		const struct field *w = &want->v[i], *g = find(got, w->path);
		if (volatile_match(vol, w->path) || (g && strcmp(w->value, g->value) == 0))
			continue;
		fprintf(f, "%s: %s: expected %s, got %s\n", what, w->path, w->value,
		        g ? g->value : "(absent)");
		diffs++;
	}
	for (size_t i = 0; i < got->n; i++) {
		const struct field *g = &got->v[i];
		if (volatile_match(vol, g->path) || find(want, g->path))
			continue;
		fprintf(f, "%s: %s: expected (absent), got %s\n", what, g->path, g->value);
		diffs++;
	}
	return diffs;
}
