/* SPDX-License-Identifier: ISC */
/* vdpd: the binding table in the state directory (bindings.h).
 *
 * DIR/bindings is a text file, one binding per line (binding_format()),
 * after a version line.  It is replaced atomically (fs_replace()), so that
 * a crash leaves the old file or the new one, never a mixture. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fsutil.h"
#include "migration/bindings.h"
#include "strbuf.h"

#define FILE_NAME   "bindings"
#define FILE_HEADER "# vdpd DHCP-snooping bindings v1"
#define LINE_MAX_   512

static void format_all(struct strbuf *sb, const struct bindings *t, const char (*ports)[IFNAMSIZ],
                       unsigned nports)
{
	char line[LINE_MAX_];
	sb_printf(sb, "%s\n", FILE_HEADER);
	for (size_t i = 0; i < t->n; i++) {
		const struct binding *b = &t->v[i];
		if (b->port >= nports || binding_format(b, ports[b->port], line, sizeof(line)) < 0)
			continue; /* cannot happen: ports are checked on the way in */
		sb_printf(sb, "%s\n", line);
	}
}

int bindings_save(const struct bindings *t, const char *dir, const char (*ports)[IFNAMSIZ],
                  unsigned nports, char *err, size_t errlen)
{
	if (fs_mkdir_p(dir, 0750) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	struct strbuf sb = STRBUF_INIT;
	format_all(&sb, t, ports, nports);
	int rc = -1;
	if (sb.overflow)
		snprintf(err, errlen, "%s/%s: out of memory", dir, FILE_NAME);
	else if (fs_replace(dir, FILE_NAME, sb_str(&sb), sb.len, 0640) < 0)
		snprintf(err, errlen, "%s/%s: %s", dir, FILE_NAME, strerror(errno));
	else
		rc = 0;
	sb_free(&sb);
	return rc;
}

static int port_of(const char (*ports)[IFNAMSIZ], unsigned nports, const char *name)
{
	for (unsigned i = 0; i < nports; i++)
		if (strcmp(ports[i], name) == 0)
			return (int)i;
	return -1;
}

static void load_line(struct bindings *t, const char *line, const char (*ports)[IFNAMSIZ],
                      unsigned nports, int64_t now, unsigned max_per_port,
                      struct bindings_load_stats *st)
{
	struct binding b;
	char port[IFNAMSIZ];
	if (binding_parse(line, &b, port) < 0) {
		st->malformed++;
		return;
	}
	int p = port_of(ports, nports, port);
	if (p < 0) {
		st->unknown_port++;
		return;
	}
	if (b.expires <= now) {
		st->expired++;
		return;
	}
	b.port = (unsigned)p;
	int rc = bindings_put(t, &b, max_per_port, NULL);
	if (rc == 0)
		st->loaded++;
	else
		st->full++;
}

int bindings_load(struct bindings *t, const char *dir, const char (*ports)[IFNAMSIZ],
                  unsigned nports, int64_t now, unsigned max_per_port,
                  struct bindings_load_stats *st, char *err, size_t errlen)
{
	char path[600], line[LINE_MAX_];
	memset(st, 0, sizeof(*st));
	bindings_free(t);
	snprintf(path, sizeof(path), "%s/%s", dir, FILE_NAME);
	FILE *f = fopen(path, "re");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	bool first = true, skipping = false;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		bool whole = n && line[n - 1] == '\n';
		if (whole)
			line[--n] = '\0';
		if (skipping || !whole) { /* a line longer than any binding */
			if (!skipping)
				st->malformed++;
			skipping = !whole;
			continue;
		}
		if (first && strcmp(line, FILE_HEADER) != 0) {
			snprintf(err, errlen, "%s: not a vdpd bindings file (first line \"%.60s\")",
			         path, line);
			fclose(f);
			return -1;
		}
		if (!first && line[0] && line[0] != '#')
			load_line(t, line, ports, nports, now, max_per_port, st);
		first = false;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		snprintf(err, errlen, "%s: read error", path);
		return -1;
	}
	return 0;
}
