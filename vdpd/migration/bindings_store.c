/* SPDX-License-Identifier: ISC */
/* vdpd: the binding table in the state directory (bindings.h).
 *
 * DIR/bindings is a text file, one binding per line (binding_format()),
 * after a version line.  It is replaced atomically: the table is written
 * to DIR/bindings.tmp, flushed to disk, renamed over DIR/bindings and the
 * directory flushed, so that a crash leaves the old file or the new one,
 * never a mixture. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migration/bindings.h"

#define FILE_NAME   "bindings"
#define FILE_HEADER "# vdpd DHCP-snooping bindings v1"
#define LINE_MAX_   512

/* mkdir -p, for the state directory; 0 or -1 with errno. */
static int make_dir(const char *dir)
{
	char p[512];
	if (snprintf(p, sizeof(p), "%s", dir) >= (int)sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0750) < 0 && errno != EEXIST)
			return -1;
		*s = '/';
	}
	return mkdir(p, 0750) < 0 && errno != EEXIST ? -1 : 0;
}

static int write_all(FILE *f, const struct bindings *t, const char (*ports)[IFNAMSIZ],
                     unsigned nports)
{
	char line[LINE_MAX_];
	if (fprintf(f, "%s\n", FILE_HEADER) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		const struct binding *b = &t->v[i];
		if (b->port >= nports || binding_format(b, ports[b->port], line, sizeof(line)) < 0)
			continue; /* cannot happen: ports are checked on the way in */
		if (fprintf(f, "%s\n", line) < 0)
			return -1;
	}
	return fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
}

static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int bindings_save(const struct bindings *t, const char *dir, const char (*ports)[IFNAMSIZ],
                  unsigned nports, char *err, size_t errlen)
{
	char tmp[600], path[600];
	snprintf(tmp, sizeof(tmp), "%s/%s.tmp", dir, FILE_NAME);
	snprintf(path, sizeof(path), "%s/%s", dir, FILE_NAME);
	if (make_dir(dir) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = write_all(f, t, ports, nports);
	int e = errno;
	if (fclose(f) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc == 0 && rename(tmp, path) < 0) {
		rc = -1;
		e = errno;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(e));
		(void)unlink(tmp);
		return -1;
	}
	sync_dir(dir);
	return 0;
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
