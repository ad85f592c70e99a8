/* SPDX-License-Identifier: ISC */
/* Unit tests of the DHCP-snooping binding table (vdpd/migration/bindings.c) and its
 * state file (vdpd/migration/bindings_store.c): identity, per-port cap, moves,
 * expiry, the line format both ways, atomic save and a load that skips
 * (and counts) what it cannot keep. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "migration/bindings.h"
#include "testutil.h"

static struct bindings t;
static char dir[64];
static const char ports[3][IFNAMSIZ] = {"p1", "p2", "up0"};

static void setup(void)
{
	bindings_init(&t);
	snprintf(dir, sizeof(dir), "/tmp/check_bindings.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	bindings_free(&t);
	tu_rm_rf(dir);
}

static struct binding mk(uint8_t last, uint16_t vid, uint8_t ip_last, unsigned port,
                         int64_t expires)
{
	struct binding b = {.mac = {0x02, 0, 0, 0, 0, last},
	                    .vid = vid,
	                    .ip = {10, 100, 0, ip_last},
	                    .port = port,
	                    .vnid = 60,
	                    .vsiid_fmt = VDP_VSIID_UUID,
	                    .expires = expires,
	                    .updated = 1000,
	                    .src = BIND_SNOOPED,
	                    .state = BIND_BOUND};
	b.vsiid[15] = last;
	return b;
}

/* Field by field: no memcmp over padding. */
static void eq(const struct binding *a, const struct binding *b)
{
	ck_assert_mem_eq(a->mac, b->mac, 6);
	ck_assert_uint_eq(a->vid, b->vid);
	ck_assert_mem_eq(a->ip, b->ip, 4);
	ck_assert_uint_eq(a->port, b->port);
	ck_assert_uint_eq(a->vnid, b->vnid);
	ck_assert_uint_eq(a->vsiid_fmt, b->vsiid_fmt);
	ck_assert_mem_eq(a->vsiid, b->vsiid, VDP_VSIID_LEN);
	ck_assert_int_eq(a->expires, b->expires);
	ck_assert_int_eq(a->updated, b->updated);
	ck_assert_uint_eq(a->src, b->src);
	ck_assert_uint_eq(a->state, b->state);
}

START_TEST(identity_is_mac_and_vlan)
{
	struct binding b = mk(1, 100, 50, 0, 5000), *e;
	ck_assert_int_eq(bindings_put(&t, &b, 8, &e), 0);
	ck_assert_ptr_eq(bindings_find(&t, b.mac, 100), e);
	ck_assert_ptr_null(bindings_find(&t, b.mac, 101));
	b.ip[3] = 51; /* a new address for the same client: replaced, not added */
	ck_assert_int_eq(bindings_put(&t, &b, 8, NULL), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(bindings_find(&t, b.mac, 100)->ip[3], 51);
	b.vid = 101; /* the same MAC in another VLAN: another binding */
	ck_assert_int_eq(bindings_put(&t, &b, 8, NULL), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.per_port[0], 2);
	b.port = BINDINGS_MAX_PORTS;
	ck_assert_int_eq(bindings_put(&t, &b, 8, NULL), -EINVAL);
}
END_TEST

START_TEST(per_port_cap_and_moves)
{
	struct binding b;
	for (uint8_t i = 1; i <= 3; i++) {
		b = mk(i, 100, i, 0, 5000);
		ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), 0);
	}
	b = mk(4, 100, 4, 0, 5000);
	ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), BINDINGS_E_FULL);
	ck_assert_uint_eq(t.n, 3);
	b = mk(2, 100, 2, 0, 9000); /* renewal in place on a full port: fine */
	ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), 0);
	b = mk(4, 100, 4, 1, 5000); /* another port has room */
	ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), 0);
	b = mk(3, 100, 3, 1, 5000); /* a move frees the old port's slot */
	ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), 0);
	ck_assert_uint_eq(t.per_port[0], 2);
	ck_assert_uint_eq(t.per_port[1], 2);
	ck_assert_uint_eq(bindings_find(&t, b.mac, 100)->port, 1);
	b = mk(5, 100, 5, 0, 5000);
	ck_assert_int_eq(bindings_put(&t, &b, 3, NULL), 0);
	b = mk(1, 100, 1, 1, 5000); /* a move onto a full port is refused and changes nothing */
	b.port = 1;
	ck_assert_int_eq(bindings_put(&t, &b, 2, NULL), BINDINGS_E_FULL);
	ck_assert_uint_eq(bindings_find(&t, b.mac, 100)->port, 0);
	ck_assert_uint_eq(bindings_flush_port(&t, 0), 3);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_uint_eq(t.per_port[0], 0);
}
END_TEST

static unsigned seen;
static void count_cb(void *arg, const struct binding *b)
{
	(void)arg;
	ck_assert_int_le(b->expires, 2000);
	seen++;
}

START_TEST(expiry_at_lease_end)
{
	for (uint8_t i = 1; i <= 6; i++) {
		struct binding b = mk(i, 100, i, i % 2, i % 2 ? 1000 + i : 5000);
		ck_assert_int_eq(bindings_put(&t, &b, 8, NULL), 0);
	}
	seen = 0;
	ck_assert_uint_eq(bindings_expire(&t, 1003, count_cb, NULL), 2); /* 1001, 1003 */
	ck_assert_uint_eq(seen, 2);
	ck_assert_uint_eq(bindings_expire(&t, 1004, NULL, NULL), 0);
	ck_assert_uint_eq(bindings_expire(&t, 1005, NULL, NULL), 1);
	ck_assert_uint_eq(t.n, 3);
	ck_assert_uint_eq(t.per_port[1], 0);
	ck_assert_uint_eq(t.per_port[0], 3);
}
END_TEST

START_TEST(line_round_trip_and_refusals)
{
	struct binding b = mk(0x6a, 100, 50, 0, 1700000600), r;
	char line[256], port[IFNAMSIZ];
	b.src = BIND_LEASEQUERY;
	b.state = BIND_UNVERIFIED;
	ck_assert_int_gt(binding_format(&b, "p1", line, sizeof(line)), 0);
	ck_assert_str_eq(line, "02:00:00:00:00:6a 100 10.100.0.50 p1 1700000600 1000 60 5 "
	                       "00000000-0000-0000-0000-00000000006a leasequery unverified");
	ck_assert_int_eq(binding_parse(line, &r, port), 0);
	ck_assert_str_eq(port, "p1");
	r.port = b.port;
	eq(&r, &b);
	b.vsiid_fmt = 0; /* no VSI known */
	memset(b.vsiid, 0, sizeof(b.vsiid));
	ck_assert_int_gt(binding_format(&b, "p2", line, sizeof(line)), 0);
	ck_assert_ptr_nonnull(strstr(line, " 60 0 - leasequery"));
	ck_assert_int_eq(binding_parse(line, &r, port), 0);
	ck_assert_uint_eq(r.vsiid_fmt, 0);
	ck_assert_int_eq(binding_format(&b, "p2", line, 20), -1);
	static const char *const bad[] = {
	    "",
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 - snooped",          /* a field short */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 - snooped bound x",  /* one more */
	    "02:00:00:00:00:6a 0 10.100.0.50 p1 1 1 60 0 - snooped bound",      /* VLAN 0 */
	    "02:00:00:00:00:6a 4095 10.100.0.50 p1 1 1 60 0 - snooped bound",   /* VLAN 4095 */
	    "03:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 - snooped bound",    /* multicast */
	    "02:00:00:00:00:6a 100 10.100.0.500 p1 1 1 60 0 - snooped bound",   /* address */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 - guessed bound",    /* source */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 - snooped maybe",    /* state */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 0 x snooped bound",    /* VSIID w/o fmt */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 5 nope snooped bound", /* bad UUID */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 60 9 - snooped bound",    /* format 9 */
	    "02:00:00:00:00:6a 100 10.100.0.50 p1 1 1 99999999999 0 - snooped bound", /* VNID */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(binding_parse(bad[i], &r, port) == -1, "accepted: \"%s\"", bad[i]);
}
END_TEST

static int count_files(const char *d)
{
	int n = 0;
	DIR *dd = opendir(d);
	struct dirent *e;
	while (dd && (e = readdir(dd)))
		n += e->d_name[0] != '.';
	if (dd)
		closedir(dd);
	return n;
}

START_TEST(save_then_load)
{
	char err[700], sub[128];
	struct bindings back;
	struct bindings_load_stats st;
	for (uint8_t i = 1; i <= 4; i++) {
		struct binding b = mk(i, 100, i, i % 3, 5000 + i);
		b.src = (uint8_t)(i % BIND_SRC_COUNT);
		ck_assert_int_eq(bindings_put(&t, &b, 8, NULL), 0);
	}
	/* The directory is made on the way (two levels). */
	snprintf(sub, sizeof(sub), "%s/a/b", dir);
	ck_assert_msg(bindings_save(&t, sub, ports, 3, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(bindings_save(&t, sub, ports, 3, err, sizeof(err)) == 0, "%s", err);
	bindings_init(&back);
	ck_assert_int_eq(bindings_load(&back, sub, ports, 3, 5001, 8, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.loaded, 3);
	ck_assert_uint_eq(st.expired, 1); /* 5001 <= now */
	ck_assert_uint_eq(back.n, 3);
	for (size_t i = 0; i < back.n; i++) {
		const struct binding *b = &back.v[i], *o = bindings_find(&t, b->mac, b->vid);
		ck_assert_ptr_nonnull(o);
		eq(b, o);
	}
	bindings_free(&back);
	/* Loaded with fewer ports, a smaller cap: skipped and counted. */
	ck_assert_int_eq(bindings_load(&back, sub, ports, 2, 0, 1, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.unknown_port, 1); /* on up0 */
	ck_assert_uint_eq(st.full, 1);         /* the second on p2 */
	ck_assert_uint_eq(st.loaded, 2);
	bindings_free(&back);
	ck_assert_int_eq(count_files(sub), 1); /* "bindings": no temporary left behind */
}
END_TEST

START_TEST(load_is_careful)
{
	char err[700], path[600];
	struct bindings_load_stats st;
	/* Missing: an empty table. */
	ck_assert_int_eq(bindings_load(&t, dir, ports, 3, 0, 8, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(t.n, 0);
	snprintf(path, sizeof(path), "%s/bindings", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "# vdpd DHCP-snooping bindings v1\n");
	fprintf(f, "02:00:00:00:00:01 100 10.100.0.1 p1 9000 1 60 0 - snooped bound\n");
	fprintf(f, "garbage\n");
	fprintf(f, "# a comment\n\n");
	for (int i = 0; i < 600; i++) /* a line longer than any binding */
		fputc('x', f);
	fprintf(f, "\n02:00:00:00:00:02 100 10.100.0.2 p2 9000 1 60 0 - help verifying\n");
	fclose(f);
	ck_assert_int_eq(bindings_load(&t, dir, ports, 3, 0, 8, &st, err, sizeof(err)), 0);
	ck_assert_uint_eq(st.loaded, 2);
	ck_assert_uint_eq(st.malformed, 2);
	ck_assert_uint_eq(t.v[1].src, BIND_HELP);
	ck_assert_uint_eq(t.v[1].state, BIND_VERIFYING);
	/* Not ours: refused, with the file named. */
	f = fopen(path, "w");
	fprintf(f, "hello\n");
	fclose(f);
	ck_assert_int_eq(bindings_load(&t, dir, ports, 3, 0, 8, &st, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "not a vdpd bindings file"));
	/* A state directory that cannot be made. */
	snprintf(path, sizeof(path), "%s/bindings/sub", dir);
	ck_assert_int_eq(bindings_save(&t, path, ports, 3, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot create"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bindings");
	TCase *tc = tcase_create("table");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, identity_is_mac_and_vlan);
	tcase_add_test(tc, per_port_cap_and_moves);
	tcase_add_test(tc, expiry_at_lease_end);
	tcase_add_test(tc, line_round_trip_and_refusals);
	tcase_add_test(tc, save_then_load);
	tcase_add_test(tc, load_is_careful);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(suite());
}
