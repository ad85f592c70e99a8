/* SPDX-License-Identifier: ISC */
/* vdpd: the durable store, journal and snapshot (store.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "log.h"
#include "state/store.h"
#include "strbuf.h"

#define SNAP_NAME    "state.snap"
#define JOURNAL_NAME "state.journal"
/* Below this a journal is never worth compacting away. */
#define COMPACT_FLOOR (1u << 20)

struct store {
	char dir[256];
	int jfd;
	uint64_t committed; /* the journal's length up to the last good commit */
	struct strbuf pending, snap;
	store_dump_fn dump;
	void *ctx;
	struct store_stats stats;
};

static void path_of(const struct store *st, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", st->dir, name);
}

/* Reads a whole file; 0, 1 if it does not exist, -1 with errno. */
static int slurp(const char *path, uint8_t **buf, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	struct stat sb;
	*buf = NULL;
	*len = 0;
	if (fstat(fd, &sb) < 0 || !(*buf = malloc((size_t)sb.st_size + 1))) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	while (*len < (size_t)sb.st_size) {
		ssize_t r = read(fd, *buf + *len, (size_t)sb.st_size - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* shrank under us: take what was there */
		*len += (size_t)r;
	}
	close(fd);
	return 0;
}

static void set_aside(struct store *st, const char *path)
{
	char bad[620];
	snprintf(bad, sizeof(bad), "%s.bad", path);
	if (rename(path, bad) == 0)
		log_warn("%s: set aside as %s", path, bad);
	else
		log_warn("%s: cannot set it aside as %s: %s", path, bad, strerror(errno));
	st->stats.dropped_files++;
}

/* Replays one file; a fault is logged and the file set aside. */
static int replay(struct store *st, const char *name, enum rec_file want, store_load_fn load,
                  char *err, size_t errlen)
{
	char path[600];
	uint8_t *buf;
	size_t len;
	path_of(st, name, path, sizeof(path));
	int rc = slurp(path, &buf, &len);
	if (rc == 1)
		return 0;
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	enum rec_file kind = REC_FILE_JOURNAL;
	unsigned version = 0;
	int hr = len == 0 ? 0 : rec_header_decode(buf, len, &kind, &version);
	if (len == 0) {
		log_warn("%s: empty file, nothing loaded from it", path);
		set_aside(st, path);
	} else if (hr == REC_E_VERSION) {
		log_warn("%s: format version %u, this vdpd reads version %d: not loaded", path,
		         version, REC_VERSION);
		set_aside(st, path);
	} else if (hr < 0 || kind != want) {
		log_warn("%s: offset 0: %s: not loaded", path,
		         hr < 0 ? rec_strerror(hr) : "a state file of the other kind");
		set_aside(st, path);
	} else {
		size_t off = REC_HEADER_SIZE, used = 0;
		uint64_t n = 0;
		struct rec r;
		int dr = REC_OK;
		while (off < len && (dr = rec_decode(buf + off, len - off, &r, &used)) == REC_OK) {
			load(st->ctx, &r);
			n++;
			off += used;
		}
		st->stats.loaded += n;
		if (off < len && dr == REC_E_SHORT && want == REC_FILE_JOURNAL) {
			log_notice(
			    "%s: offset %zu: torn final record of %zu octets dropped (a write "
			    "cut short by a crash; no grant was sent for it)",
			    path, off, len - off);
		} else if (off < len) {
			log_warn("%s: offset %zu: %s: the %zu octets from there dropped, %llu "
			         "records before it loaded",
			         path, off, rec_strerror(dr), len - off, (unsigned long long)n);
			set_aside(st, path);
		}
		log_info("%s: %llu records loaded", path, (unsigned long long)n);
	}
	free(buf);
	return 0;
}

static int open_journal(struct store *st, char *err, size_t errlen)
{
	char path[600];
	uint8_t hdr[REC_HEADER_SIZE];
	rec_header_encode(hdr, REC_FILE_JOURNAL);
	path_of(st, JOURNAL_NAME, path, sizeof(path));
	int fd = -1;
	if (fs_replace(st->dir, JOURNAL_NAME, hdr, sizeof(hdr), 0640) < 0 ||
	    (fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (st->jfd >= 0)
		close(st->jfd);
	st->jfd = fd;
	st->committed = sizeof(hdr);
	st->stats.journal_bytes = 0;
	return 0;
}

int store_open(struct store **out, const char *dir, store_load_fn load, store_dump_fn dump,
               void *ctx, char *err, size_t errlen)
{
	*out = NULL;
	struct store *st = calloc(1, sizeof(*st));
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (snprintf(st->dir, sizeof(st->dir), "%s", dir) >= (int)sizeof(st->dir)) {
		snprintf(err, errlen, "%s: state directory name too long", dir);
		free(st);
		return -1;
	}
	st->jfd = -1;
	st->dump = dump;
	st->ctx = ctx;
	if (fs_mkdir_p(dir, 0750) < 0) {
		snprintf(err, errlen, "%s: cannot create: %s", dir, strerror(errno));
		free(st);
		return -1;
	}
	/* The journal replays over the snapshot: last record per object wins. */
	if (replay(st, SNAP_NAME, REC_FILE_SNAPSHOT, load, err, errlen) < 0 ||
	    replay(st, JOURNAL_NAME, REC_FILE_JOURNAL, load, err, errlen) < 0 ||
	    store_compact(st, err, errlen) < 0) {
		store_close(st);
		return -1;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	if (st->jfd >= 0)
		close(st->jfd);
	sb_free(&st->pending);
	sb_free(&st->snap);
	free(st);
}

static int append(struct strbuf *sb, uint8_t op, uint8_t kind, const void *key, uint16_t keylen,
                  const void *val, uint32_t vallen)
{
	struct rec r = {
	    .op = op, .kind = kind, .keylen = keylen, .vallen = vallen, .key = key, .val = val};
	uint8_t small[512];
	size_t n = rec_size(&r);
	if (n == 0)
		return -1;
	uint8_t *p = n <= sizeof(small) ? small : malloc(n);
	if (!p)
		return -1;
	rec_encode(p, &r);
	sb_write(sb, p, n);
	if (p != small)
		free(p);
	return sb->overflow ? -1 : 0;
}

int store_put(struct store *st, uint8_t kind, const void *key, uint16_t keylen, const void *val,
              uint32_t vallen)
{
	return append(&st->pending, REC_PUT, kind, key, keylen, val, vallen);
}

int store_del(struct store *st, uint8_t kind, const void *key, uint16_t keylen)
{
	return append(&st->pending, REC_DEL, kind, key, keylen, NULL, 0);
}

bool store_pending(const struct store *st)
{
	return st->pending.len > 0;
}

int store_commit(struct store *st, char *err, size_t errlen)
{
	if (st->pending.len == 0)
		return 0;
	if (st->pending.overflow) {
		snprintf(err, errlen, "%s/%s: out of memory queueing changes", st->dir,
		         JOURNAL_NAME);
		return -1;
	}
	if (fs_write_all(st->jfd, st->pending.buf, st->pending.len) < 0 || fdatasync(st->jfd) < 0) {
		int e = errno;
		/* Never leave a partial record for the next commit to follow. */
		if (ftruncate(st->jfd, (off_t)st->committed) < 0)
			log_err("%s/%s: cannot cut back to %llu octets after a failed write: %s",
			        st->dir, JOURNAL_NAME, (unsigned long long)st->committed,
			        strerror(errno));
		snprintf(err, errlen, "%s/%s: %s", st->dir, JOURNAL_NAME, strerror(e));
		return -1;
	}
	st->committed += st->pending.len;
	st->stats.commits++;
	st->stats.bytes += st->pending.len;
	st->stats.journal_bytes += st->pending.len;
	sb_reset(&st->pending);
	return 0;
}

int store_snap_put(struct store *st, uint8_t kind, const void *key, uint16_t keylen,
                   const void *val, uint32_t vallen)
{
	st->stats.records++;
	return append(&st->snap, REC_PUT, kind, key, keylen, val, vallen);
}

int store_compact(struct store *st, char *err, size_t errlen)
{
	if (st->jfd >= 0 && store_commit(st, err, errlen) < 0)
		return -1;
	uint8_t hdr[REC_HEADER_SIZE];
	rec_header_encode(hdr, REC_FILE_SNAPSHOT);
	sb_reset(&st->snap);
	sb_write(&st->snap, hdr, sizeof(hdr));
	st->stats.records = 0;
	if (st->dump(st->ctx, st) < 0 || st->snap.overflow) {
		snprintf(err, errlen, "%s/%s: cannot build the snapshot (out of memory?)", st->dir,
		         SNAP_NAME);
		return -1;
	}
	/* Snapshot first: a crash before the journal is emptied replays the
	 * old journal over the new snapshot, which changes nothing. */
	if (fs_replace(st->dir, SNAP_NAME, st->snap.buf, st->snap.len, 0640) < 0) {
		snprintf(err, errlen, "%s/%s: %s", st->dir, SNAP_NAME, strerror(errno));
		return -1;
	}
	st->stats.snapshot_bytes = st->snap.len;
	st->stats.compactions++;
	sb_free(&st->snap); /* a snapshot's worth of memory is not kept between compactions */
	return open_journal(st, err, errlen);
}

bool store_wants_compact(const struct store *st)
{
	return st->stats.journal_bytes > COMPACT_FLOOR &&
	       st->stats.journal_bytes > 2 * st->stats.snapshot_bytes;
}

const struct store_stats *store_stats(const struct store *st)
{
	return &st->stats;
}

const char *store_dir(const struct store *st)
{
	return st->dir;
}
