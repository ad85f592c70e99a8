/* SPDX-License-Identifier: ISC */
/* Unit tests of the durable store (vdpd/state/): the record codec (round
 * trip, every torn prefix, every flipped octet), the journal and snapshot
 * (group commit, replay order, compaction, a crash between its two
 * steps) and damaged files (torn tail, flipped octet, empty, other
 * version, not a state file): what is valid loads, the rest is named with
 * its path and offset, and the store opens. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "log.h"
#include "state/store.h"
#include "testutil.h"

/* The caller's table: key "kN" -> value N * 1000 + generation. */
#define NKEYS 64
struct table {
	bool live[NKEYS];
	uint32_t val[NKEYS];
	unsigned loads;
};

static char dir[64];
/* tab is the live table the store loads and dumps; want is what it must
 * hold after a reopen. */
static struct table tab, want;

static int key_index(const struct rec *r)
{
	int i;
	char k[8] = {0};
	if (r->keylen == 0 || r->keylen >= sizeof(k))
		return -1;
	memcpy(k, r->key, r->keylen);
	return sscanf(k, "k%d", &i) == 1 && i >= 0 && i < NKEYS ? i : -1;
}

static void load(void *ctx, const struct rec *r)
{
	struct table *t = ctx;
	int i = key_index(r);
	ck_assert_int_ge(i, 0);
	t->loads++;
	t->live[i] = r->op == REC_PUT;
	t->val[i] = 0;
	if (r->op == REC_PUT) {
		ck_assert_uint_eq(r->vallen, 4);
		memcpy(&t->val[i], r->val, 4);
	}
}

static int dump(void *ctx, struct store *st)
{
	struct table *t = ctx;
	for (int i = 0; i < NKEYS; i++) {
		char k[8];
		int n = snprintf(k, sizeof(k), "k%d", i);
		if (t->live[i] && store_snap_put(st, 1, k, (uint16_t)n, &t->val[i], 4) < 0)
			return -1;
	}
	return 0;
}

static void put(struct store *st, int i, uint32_t v)
{
	char k[8];
	int n = snprintf(k, sizeof(k), "k%d", i);
	tab.live[i] = want.live[i] = true;
	tab.val[i] = want.val[i] = v;
	ck_assert_int_eq(store_put(st, 1, k, (uint16_t)n, &v, 4), 0);
}

static void del(struct store *st, int i)
{
	char k[8];
	int n = snprintf(k, sizeof(k), "k%d", i);
	tab.live[i] = want.live[i] = false;
	tab.val[i] = want.val[i] = 0;
	ck_assert_int_eq(store_del(st, 1, k, (uint16_t)n), 0);
}

static struct store *open_store(void)
{
	char err[256] = "";
	struct store *st;
	memset(&tab, 0, sizeof(tab));
	ck_assert_msg(store_open(&st, dir, load, dump, &tab, err, sizeof(err)) == 0, "%s", err);
	return st;
}

static void commit(struct store *st)
{
	char err[256] = "";
	ck_assert_msg(store_commit(st, err, sizeof(err)) == 0, "%s", err);
}

/* What the store logged while fn ran, in buf. */
static char logbuf[4096];
static int saved_stderr = -1;
static char logpath[128];

static void capture_start(void)
{
	snprintf(logpath, sizeof(logpath), "%s.log", dir);
	fflush(stderr);
	saved_stderr = dup(2);
	int fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, 2);
	close(fd);
}

static const char *capture_end(void)
{
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	FILE *f = fopen(logpath, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(logbuf, 1, sizeof(logbuf) - 1, f);
	logbuf[n] = '\0';
	fclose(f);
	unlink(logpath);
	return logbuf;
}

static void assert_same(const struct table *a, const struct table *b)
{
	for (int i = 0; i < NKEYS; i++) {
		ck_assert_msg(a->live[i] == b->live[i], "k%d: live %d, expected %d", i, b->live[i],
		              a->live[i]);
		ck_assert_msg(a->val[i] == b->val[i], "k%d: %u, expected %u", i, b->val[i],
		              a->val[i]);
	}
}

static void path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", dir, name);
}

static off_t file_size(const char *name)
{
	char p[128];
	struct stat sb;
	path(p, sizeof(p), name);
	return stat(p, &sb) == 0 ? sb.st_size : -1;
}

static void setup(void)
{
	memset(&tab, 0, sizeof(tab));
	memset(&want, 0, sizeof(want));
	snprintf(dir, sizeof(dir), "/tmp/check_state.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	log_open("check_state", true, LOG_INFO);
}

static void teardown(void)
{
	tu_rm_rf(dir);
}

START_TEST(record_round_trip_and_damage)
{
	uint8_t buf[64], key[] = "vsi", val[] = {1, 2, 3, 4, 5};
	struct rec r = {.op = REC_PUT, .kind = 7, .keylen = 3, .vallen = 5, .key = key, .val = val};
	size_t n = rec_size(&r), used = 0;
	ck_assert_uint_eq(n, REC_FIXED + 3 + 5);
	rec_encode(buf, &r);
	struct rec o;
	ck_assert_int_eq(rec_decode(buf, n, &o, &used), REC_OK);
	ck_assert_uint_eq(used, n);
	ck_assert_uint_eq(o.op, REC_PUT);
	ck_assert_uint_eq(o.kind, 7);
	tu_assert_bytes(o.key, o.keylen, key, 3);
	tu_assert_bytes(o.val, o.vallen, val, 5);
	/* Every proper prefix is a torn write, from an exact-size copy. */
	for (size_t k = 0; k < n; k++) {
		uint8_t *p = tu_dup(buf, k);
		ck_assert_int_eq(rec_decode(p, k, &o, &used), REC_E_SHORT);
		free(p);
	}
	/* Every flipped octet is caught: by the checksum, or as a length
	 * beyond the limits, or as a record running past the buffer. */
	for (size_t k = 0; k < n; k++) {
		buf[k] ^= 0x10;
		int rc = rec_decode(buf, n, &o, &used);
		ck_assert_msg(rc == REC_E_CRC || rc == REC_E_FORMAT || rc == REC_E_SHORT,
		              "octet %zu flipped: %d", k, rc);
		buf[k] ^= 0x10;
	}
	/* Limits; a DEL carries no value. */
	struct rec big = r;
	big.keylen = REC_MAX_KEY + 1;
	ck_assert_uint_eq(rec_size(&big), 0);
	struct rec d = {.op = REC_DEL, .kind = 7, .keylen = 3, .key = key};
	rec_encode(buf, &d);
	ck_assert_int_eq(rec_decode(buf, rec_size(&d), &o, &used), REC_OK);
	ck_assert_uint_eq(o.vallen, 0);
}
END_TEST

START_TEST(header_checks)
{
	uint8_t h[REC_HEADER_SIZE];
	enum rec_file kind;
	unsigned version;
	rec_header_encode(h, REC_FILE_SNAPSHOT);
	ck_assert_int_eq(rec_header_decode(h, sizeof(h), &kind, &version), REC_OK);
	ck_assert_int_eq(kind, REC_FILE_SNAPSHOT);
	ck_assert_int_eq(rec_header_decode(h, sizeof(h) - 1, &kind, &version), REC_E_SHORT);
	h[0] = 'V';
	ck_assert_int_eq(rec_header_decode(h, sizeof(h), &kind, &version), REC_E_MAGIC);
	h[0] = 'v';
	h[13] ^= 1;
	ck_assert_int_eq(rec_header_decode(h, sizeof(h), &kind, &version), REC_E_CRC);
}
END_TEST

START_TEST(group_commit_and_replay)
{
	struct store *st = open_store();
	ck_assert_uint_eq(tab.loads, 0);
	ck_assert_int_eq(file_size("state.journal"), REC_HEADER_SIZE);
	/* Forty changes, one commit: one write, one fdatasync. */
	for (int i = 0; i < 40; i++)
		put(st, i, 1000u * (unsigned)i);
	for (int i = 0; i < 40; i += 3)
		del(st, i);
	put(st, 3, 77);
	ck_assert(store_pending(st));
	ck_assert_int_eq(file_size("state.journal"), REC_HEADER_SIZE); /* nothing before commit */
	commit(st);
	ck_assert(!store_pending(st));
	ck_assert_uint_eq(store_stats(st)->commits, 1);
	ck_assert_int_eq(file_size("state.journal"),
	                 REC_HEADER_SIZE + (off_t)store_stats(st)->journal_bytes);
	commit(st); /* nothing queued: no write */
	ck_assert_uint_eq(store_stats(st)->commits, 1);
	/* Queued but not committed is not durable (a crash now loses it, and
	 * its grant was never sent). */
	put(st, 50, 5);
	store_close(st);
	want.live[50] = false;
	want.val[50] = 0;
	st = open_store();
	assert_same(&want, &tab);
	/* Opening compacted: the snapshot holds the live objects, the
	 * journal is empty again, and a third open reads the snapshot. */
	ck_assert_int_eq(file_size("state.journal"), REC_HEADER_SIZE);
	ck_assert_uint_eq(store_stats(st)->records, 40 - 14 + 1);
	store_close(st);
	st = open_store();
	assert_same(&want, &tab);
	ck_assert_uint_eq(tab.loads, 27);
	store_close(st);
}
END_TEST

START_TEST(compaction_and_a_crash_between_its_steps)
{
	char err[256], jp[128], saved[128];
	struct store *st = open_store();
	for (int i = 0; i < 10; i++)
		put(st, i, (uint32_t)i);
	commit(st);
	/* Keep the journal as it is before compaction ... */
	path(jp, sizeof(jp), "state.journal");
	snprintf(saved, sizeof(saved), "%s/old.journal", dir);
	ck_assert_int_eq(link(jp, saved), 0);
	del(st, 4);
	put(st, 5, 555);
	ck_assert_msg(store_compact(st, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(file_size("state.journal"), REC_HEADER_SIZE);
	store_close(st);
	/* ... and put it back, as if the crash came after the new snapshot
	 * and before the journal was emptied.  The saved link is the same
	 * file the compaction committed to, so it holds every change up to
	 * the snapshot: replayed over the snapshot it changes nothing. */
	ck_assert_int_eq(rename(saved, jp), 0);
	st = open_store();
	assert_same(&want, &tab);
	ck_assert_uint_eq(tab.loads, 9 + 12); /* the snapshot's 9, then the journal's 12 */
	store_close(st);
}
END_TEST

START_TEST(torn_tail_is_a_notice)
{
	struct store *st = open_store();
	for (int i = 0; i < 5; i++)
		put(st, i, (uint32_t)i + 100);
	commit(st);
	store_close(st);
	/* Half of a sixth record: the write a crash cut. */
	char jp[128];
	path(jp, sizeof(jp), "state.journal");
	uint8_t rec[64], key[] = "k5";
	uint32_t v = 1;
	struct rec r = {
	    .op = REC_PUT, .kind = 1, .keylen = 2, .vallen = 4, .key = key, .val = (uint8_t *)&v};
	rec_encode(rec, &r);
	int fd = open(jp, O_WRONLY | O_APPEND);
	ck_assert_int_eq(write(fd, rec, rec_size(&r) - 3), (ssize_t)rec_size(&r) - 3);
	close(fd);
	off_t good = file_size("state.journal") - (off_t)rec_size(&r) + 3;
	capture_start();
	st = open_store();
	const char *log = capture_end();
	assert_same(&want, &tab);
	char line[256];
	snprintf(line, sizeof(line), "%s: offset %lld: torn final record", jp, (long long)good);
	ck_assert_msg(strstr(log, line), "log lacks \"%s\":\n%s", line, log);
	ck_assert_uint_eq(store_stats(st)->dropped_files, 0); /* nothing set aside */
	store_close(st);
}
END_TEST

START_TEST(flipped_octet_keeps_what_is_before)
{
	struct store *st = open_store();
	for (int i = 0; i < 8; i++) {
		put(st, i, (uint32_t)i);
		commit(st); /* one commit each: records at known offsets */
	}
	store_close(st);
	char jp[128], bad[160];
	path(jp, sizeof(jp), "state.journal");
	/* Flip an octet inside the fourth record's value. */
	size_t rs = REC_FIXED + 2 + 4, off4 = REC_HEADER_SIZE + 3 * rs;
	int fd = open(jp, O_RDWR);
	uint8_t b;
	ck_assert_int_eq(pread(fd, &b, 1, (off_t)(off4 + rs - 1)), 1);
	b ^= 0x40;
	ck_assert_int_eq(pwrite(fd, &b, 1, (off_t)(off4 + rs - 1)), 1);
	close(fd);
	capture_start();
	st = open_store();
	const char *log = capture_end();
	for (int i = 0; i < 8; i++)
		ck_assert_msg(tab.live[i] == (i < 3), "k%d", i);
	char line[256];
	snprintf(line, sizeof(line),
	         "%s: offset %zu: checksum mismatch: the %zu octets from there "
	         "dropped, 3 records before it loaded",
	         jp, off4, 5 * rs);
	ck_assert_msg(strstr(log, line), "log lacks \"%s\":\n%s", line, log);
	snprintf(bad, sizeof(bad), "%s.bad", jp);
	ck_assert_int_eq(access(bad, F_OK), 0); /* kept for the operator */
	ck_assert_uint_eq(store_stats(st)->dropped_files, 1);
	store_close(st);
	/* The store was rewritten from what was valid: it opens clean now. */
	capture_start();
	st = open_store();
	log = capture_end();
	ck_assert_ptr_null(strstr(log, "dropped"));
	for (int i = 0; i < 8; i++)
		ck_assert_msg(tab.live[i] == (i < 3), "k%d", i);
	store_close(st);
}
END_TEST

static void write_file(const char *name, const void *buf, size_t n)
{
	char p[128];
	path(p, sizeof(p), name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, n), (ssize_t)n);
	close(fd);
}

static void check_refused(const char *name, const void *buf, size_t n, const char *what)
{
	char line[256], p[128];
	write_file(name, buf, n);
	path(p, sizeof(p), name);
	capture_start();
	struct store *st = open_store();
	const char *log = capture_end();
	snprintf(line, sizeof(line), "%s: %s", p, what);
	ck_assert_msg(strstr(log, line), "log lacks \"%s\":\n%s", line, log);
	ck_assert_uint_eq(tab.loads, 0);
	ck_assert_uint_eq(store_stats(st)->dropped_files, 1);
	store_close(st);
}

START_TEST(empty_other_version_and_strangers)
{
	uint8_t h[REC_HEADER_SIZE];
	check_refused("state.snap", "", 0, "empty file");
	/* A well-formed header of version 9, as a later vdpd would write it. */
	rec_header_encode(h, REC_FILE_SNAPSHOT);
	h[9] = 9;
	uint32_t c = (uint32_t)crc32(0, h, 12);
	for (int i = 0; i < 4; i++)
		h[12 + i] = (uint8_t)(c >> (24 - 8 * i));
	check_refused("state.snap", h, sizeof(h), "format version 9, this vdpd reads version 1");
	check_refused("state.journal", "# some text file\n", 17, "offset 0: not a vdpd state file");
	rec_header_encode(h, REC_FILE_SNAPSHOT);
	check_refused("state.journal", h, sizeof(h), "offset 0: a state file of the other kind");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, record_round_trip_and_damage);
	tcase_add_test(tc, header_checks);
	tcase_add_test(tc, group_commit_and_replay);
	tcase_add_test(tc, compaction_and_a_crash_between_its_steps);
	tcase_add_test(tc, torn_tail_is_a_notice);
	tcase_add_test(tc, flipped_octet_keeps_what_is_before);
	tcase_add_test(tc, empty_other_version_and_strangers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
