/* SPDX-License-Identifier: ISC */
/* Unit tests for common/, the utilities the daemon and the tools share:
 * the JSON writer's one string rule (valid UTF-8 always: bad octets become
 * U+FFFD, good sequences pass, control characters are escaped), its
 * compact and pretty layouts, the bounded text buffer, the checked
 * array growth, and the control socket's guards and request reading that
 * vdpd and the vdp-station daemon share.  Tested once here rather than
 * through each program (check_ctl.c drives vdpd's server end to end). */
#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "testutil.h"

#include "array.h"
#include "ctlsock.h"
#include "ifname.h"
#include "json.h"
#include "strbuf.h"

static struct strbuf out;

static void teardown(void)
{
	sb_free(&out);
}

static const char *escaped(const char *s)
{
	sb_reset(&out);
	json_escape(&out, s);
	return sb_str(&out);
}

/* --- the string rule ------------------------------------------------- */

START_TEST(json_escaping)
{
	ck_assert_str_eq(escaped("plain"), "\"plain\"");
	ck_assert_str_eq(escaped(""), "\"\"");
	ck_assert_str_eq(escaped(NULL), "null");
	/* Embedded quotes and backslashes; '/' needs nothing. */
	ck_assert_str_eq(escaped("a\"b\\c/d"), "\"a\\\"b\\\\c/d\"");
	ck_assert_str_eq(escaped("\"\""), "\"\\\"\\\"\"");
	ck_assert_str_eq(escaped("\b\f\n\r\t"), "\"\\b\\f\\n\\r\\t\"");
}
END_TEST

START_TEST(json_control_characters)
{
	/* C0 without a short form, DEL, and C1 (well-formed UTF-8, but
	 * control characters all the same): \u00XX. */
	ck_assert_str_eq(escaped("\x01\x1b\x1f"), "\"\\u0001\\u001b\\u001f\"");
	ck_assert_str_eq(escaped("a\x7f"), "\"a\\u007f\"");
	ck_assert_str_eq(escaped("\xc2\x80\xc2\x9b\xc2\x9f"), "\"\\u0080\\u009b\\u009f\"");
	/* The first characters after them pass: ' ', '~', U+00A0. */
	ck_assert_str_eq(escaped(" ~\xc2\xa0"), "\" ~\xc2\xa0\"");
}
END_TEST

START_TEST(json_valid_utf8_passes)
{
	/* é (2 octets), € (3), U+1F600 (4), and the extremes of each length. */
	ck_assert_str_eq(escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
	                 "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	ck_assert_str_eq(escaped("\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf"),
	                 "\"\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\"");
	ck_assert_str_eq(escaped("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"),
	                 "\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
	/* Next to the surrogates: U+D7FF and U+E000. */
	ck_assert_str_eq(escaped("\xed\x9f\xbf\xee\x80\x80"), "\"\xed\x9f\xbf\xee\x80\x80\"");
}
END_TEST

START_TEST(json_invalid_octets)
{
	/* Stray continuation, lone lead octets, 0xff: each becomes U+FFFD. */
	ck_assert_str_eq(escaped("\x80"), "\"\\ufffd\"");
	ck_assert_str_eq(escaped("\xbf"), "\"\\ufffd\"");
	ck_assert_str_eq(escaped("\xff"), "\"\\ufffd\"");
	ck_assert_str_eq(escaped("\xfe\xf5\xf8"), "\"\\ufffd\\ufffd\\ufffd\"");
	/* Truncated sequences, at the end and before an ASCII octet. */
	ck_assert_str_eq(escaped("\xc3"), "\"\\ufffd\"");
	ck_assert_str_eq(escaped("\xe2\x82z"), "\"\\ufffd\\ufffdz\"");
	ck_assert_str_eq(escaped("\xf0\x9f\x98"), "\"\\ufffd\\ufffd\\ufffd\"");
	/* A quote right after a bad octet is still escaped. */
	ck_assert_str_eq(escaped("\xc3\""), "\"\\ufffd\\\"\"");
}
END_TEST

START_TEST(json_overlong_forms)
{
	/* '/' in two octets, NUL in two, '/' in three, U+FFFF in four. */
	ck_assert_str_eq(escaped("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	ck_assert_str_eq(escaped("\xc1\x80"), "\"\\ufffd\\ufffd\"");
	ck_assert_str_eq(escaped("\xe0\x80\xaf"), "\"\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(escaped("\xf0\x8f\xbf\xbf"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

START_TEST(json_surrogates_and_range)
{
	/* U+D800 and U+DFFF encoded directly (CESU-8 style), and a pair. */
	ck_assert_str_eq(escaped("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(escaped("\xed\xbf\xbf"), "\"\\ufffd\\ufffd\\ufffd\"");
	ck_assert_str_eq(escaped("\xed\xa0\xbd\xed\xb8\x80"),
	                 "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* Beyond U+10FFFF. */
	ck_assert_str_eq(escaped("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}
END_TEST

/* --- layouts --------------------------------------------------------- */

static void sample(struct json *j)
{
	json_obj_begin(j);
	json_key(j, "a");
	json_arr_begin(j);
	json_uint(j, 1);
	json_str(j, NULL);
	json_obj_begin(j);
	json_obj_end(j);
	json_arr_begin(j);
	json_arr_end(j);
	json_bool(j, false);
	json_arr_end(j);
	json_key(j, "b");
	json_uint(j, UINT64_MAX);
	json_key(j, "c");
	json_raw(j, "3.055780");
	json_key(j, "d\"");
	json_null(j);
	json_obj_end(j);
}

START_TEST(json_writer_structure)
{
	struct json j;
	sb_reset(&out);
	json_init(&j, &out);
	sample(&j);
	ck_assert_str_eq(sb_str(&out), "{\"a\":[1,null,{},[],false],\"b\":18446744073709551615,"
	                               "\"c\":3.055780,\"d\\\"\":null}");
}
END_TEST

START_TEST(json_writer_pretty)
{
	struct json j;
	sb_reset(&out);
	json_init_pretty(&j, &out);
	sample(&j);
	ck_assert_str_eq(sb_str(&out), "{\n"
	                               "  \"a\": [\n"
	                               "    1,\n"
	                               "    null,\n"
	                               "    {},\n"
	                               "    [],\n"
	                               "    false\n"
	                               "  ],\n"
	                               "  \"b\": 18446744073709551615,\n"
	                               "  \"c\": 3.055780,\n"
	                               "  \"d\\\"\": null\n"
	                               "}");
}
END_TEST

/* --- strbuf and array ------------------------------------------------ */

START_TEST(strbuf_ceiling)
{
	struct strbuf sb = STRBUF_INIT;
	ck_assert_str_eq(sb_str(&sb), "");
	ck_assert_uint_eq(sb_limit(&sb), SIZE_MAX);
	sb.max = 8;
	sb_puts(&sb, "abcd");
	sb_printf(&sb, "%d", 123);
	ck_assert_str_eq(sb_str(&sb), "abcd123");
	ck_assert(!sb.overflow);
	sb_puts(&sb, "xy"); /* one too many: dropped whole, and nothing after it */
	ck_assert(sb.overflow);
	sb_putc(&sb, 'z');
	ck_assert_str_eq(sb_str(&sb), "abcd123");
	sb_reset(&sb);
	ck_assert(!sb.overflow);
	sb.max = 0;
	for (int i = 0; i < 1000; i++)
		sb_printf(&sb, "%0300d", i); /* longer than sb_printf's stack buffer */
	ck_assert_uint_eq(sb.len, 300000);
	ck_assert_uint_eq(strlen(sb_str(&sb)), 300000);
	sb_free(&sb);
}
END_TEST

START_TEST(array_growth)
{
	uint32_t *v = NULL;
	size_t cap = 0;
	ck_assert_int_eq(ARRAY_GROW(v, cap, 1), 0);
	ck_assert_uint_eq(cap, 16);
	for (uint32_t i = 0; i < 1000; i++) {
		ck_assert_int_eq(ARRAY_GROW(v, cap, i + 1), 0);
		v[i] = i;
	}
	ck_assert_uint_eq(cap, 1024);
	ck_assert_uint_eq(v[999], 999);
	ck_assert_int_eq(ARRAY_GROW(v, cap, 10), 0); /* enough already */
	ck_assert_uint_eq(cap, 1024);
	/* Sizes that overflow fail and leave the array as it was. */
	ck_assert_int_eq(ARRAY_GROW(v, cap, SIZE_MAX / 2), -ENOMEM);
	ck_assert_int_eq(array_grow(&v, &cap, SIZE_MAX, 1), -ENOMEM);
	ck_assert_uint_eq(cap, 1024);
	ck_assert_uint_eq(v[999], 999);
	free(v);
}
END_TEST

/* --- control socket -------------------------------------------------- */

static char dir[64], path[108];

static void sock_setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/check_common.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.sock", dir);
}

static void sock_teardown(void)
{
	unlink(path);
	rmdir(dir);
}

static int listen_here(unsigned mode, bool *replaced, char *err, size_t errlen)
{
	return ctlsock_listen(path, mode, 4, "the test server", replaced, err, errlen);
}

START_TEST(ctlsock_mode_from_the_start)
{
	static const unsigned modes[] = {0660, 0600, 0640, 0666};
	char err[256] = "";
	struct stat st;
	for (unsigned i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		bool replaced = true;
		mode_t old = umask(022); /* the process's own umask plays no part */
		int fd = listen_here(modes[i], &replaced, err, sizeof(err));
		umask(old);
		ck_assert_msg(fd >= 0, "%s", err);
		ck_assert(!replaced);
		ck_assert_int_eq(lstat(path, &st), 0);
		ck_assert(S_ISSOCK(st.st_mode));
		ck_assert_uint_eq(st.st_mode & 07777, modes[i]);
		close(fd);
		unlink(path);
	}
}
END_TEST

START_TEST(ctlsock_stale_live_and_file)
{
	char err[256] = "";
	bool replaced = false;

	/* A live listener keeps its socket. */
	int live = listen_here(0600, NULL, err, sizeof(err));
	ck_assert_msg(live >= 0, "%s", err);
	ck_assert_int_eq(listen_here(0600, &replaced, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "another process (the test server already running?) answers"),
	              "%s", err);
	ck_assert_int_eq(access(path, F_OK), 0);

	/* Its server gone, the file left behind is stale: replaced. */
	close(live);
	int fd = listen_here(0600, &replaced, err, sizeof(err));
	ck_assert_msg(fd >= 0, "%s", err);
	ck_assert(replaced);
	close(fd);
	unlink(path);

	/* Anything that is not a socket is never removed. */
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(listen_here(0600, NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "exists and is not a socket"), "%s", err);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(ctlsock_path_length)
{
	char err[256] = "", long_path[200];
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_int_eq(ctlsock_listen(long_path, 0600, 4, "t", NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "longer than 107") && strstr(err, "\"/xxxx"), "%s", err);
	ck_assert_int_eq(ctlsock_listen("", 0600, 4, "t", NULL, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "empty"), "%s", err);
}
END_TEST

START_TEST(ctlsock_client_connect)
{
	char err[256] = "", long_path[200];
	ck_assert_int_eq(ctlsock_connect(path, 1), -1);
	ck_assert_int_eq(errno, ENOENT);
	int l = listen_here(0600, NULL, err, sizeof(err));
	ck_assert_msg(l >= 0, "%s", err);
	int c = ctlsock_connect(path, 1);
	ck_assert_int_ge(c, 0);
	close(c);
	close(l);
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_int_eq(ctlsock_connect(long_path, 1), -1);
	ck_assert_int_eq(errno, ENAMETOOLONG);
}
END_TEST

START_TEST(ctlsock_read_pieces)
{
	int sv[2];
	char buf[16];
	size_t len = 0;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);

	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n\n"), CTLSOCK_AGAIN);
	/* The marker split across two reads is still found. */
	ck_assert_int_eq(write(sv[1], "text\nlist\n", 10), 10);
	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n\n"), CTLSOCK_MORE);
	ck_assert_int_eq(write(sv[1], "\n", 1), 1);
	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n\n"), CTLSOCK_DONE);
	ck_assert_str_eq(buf, "text\nlist\n\n");

	/* No marker within cap - 1 octets: full, and nothing more is read. */
	len = 0;
	ck_assert_int_eq(write(sv[1], "0123456789abcdefXYZ", 19), 19);
	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n"), CTLSOCK_FULL);
	ck_assert_uint_eq(len, 15);
	ck_assert_str_eq(buf, "0123456789abcde");
	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n"), CTLSOCK_FULL);

	/* The client's EOF. */
	len = 0;
	char rest[8];
	ck_assert_int_eq(read(sv[0], rest, sizeof(rest)), 4); /* "fXYZ" */
	close(sv[1]);
	ck_assert_int_eq(ctlsock_read(sv[0], buf, sizeof(buf), &len, "\n"), CTLSOCK_EOF);
	close(sv[0]);
}
END_TEST

/* The kernel's dev_valid_name() and the octets nftables text cannot carry
 * back; a name that passes is kept as it is. */
START_TEST(ifname_rules)
{
	static const struct {
		const char *name, *why; /* why NULL: valid */
	} cases[] = {
	    {"eth0", NULL},
	    {"p-1.x_y@", NULL},
	    {"q'x{;}#$%", NULL},
	    {"\xc3\xa9", NULL},
	    {"123456789012345", NULL},
	    {"1234567890123456", "is longer than 15 octets"},
	    {"", "is empty"},
	    {".", "is not a name the kernel takes"},
	    {"..", "is not a name the kernel takes"},
	    {"a/b", "holds '/'"},
	    {"a:b", "holds ':'"},
	    {"a b", "holds 'white space'"},
	    {"a\vb", "holds 'white space'"},
	    {"a\x01", "holds control octet 0x01"},
	    {"a\x7f", "holds control octet 0x7f"},
	    {"q\"x{;}", "holds '\"'"},
	    {"a\\b", "holds '\\'"},
	    {"eth*", "holds '*'"},
	};
	char why[80];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		why[0] = 0;
		bool ok = ifname_valid(cases[i].name, why, sizeof(why));
		ck_assert_msg(ok == !cases[i].why, "%zu: %s", i, why);
		if (cases[i].why)
			ck_assert_msg(strstr(why, cases[i].why), "%zu: got \"%s\"", i, why);
	}
}
END_TEST

START_TEST(ifname_quoting)
{
	char q[16];

	ifname_quote("q\"x\\\x01\xc3", q, sizeof(q));
	ck_assert_str_eq(q, "q\\\"x\\\\\\x01\\xc3");
	ifname_quote("abcdefghijklmnopqrstuvwxyz", q, sizeof(q)); /* truncated, terminated */
	ck_assert_uint_lt(strlen(q), sizeof(q));
}
END_TEST

static Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("json");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, json_escaping);
	tcase_add_test(tc, json_control_characters);
	tcase_add_test(tc, json_valid_utf8_passes);
	tcase_add_test(tc, json_invalid_octets);
	tcase_add_test(tc, json_overlong_forms);
	tcase_add_test(tc, json_surrogates_and_range);
	tcase_add_test(tc, json_writer_structure);
	tcase_add_test(tc, json_writer_pretty);
	suite_add_tcase(s, tc);
	tc = tcase_create("strbuf-array");
	tcase_add_test(tc, strbuf_ceiling);
	tcase_add_test(tc, array_growth);
	tcase_add_test(tc, ifname_rules);
	tcase_add_test(tc, ifname_quoting);
	suite_add_tcase(s, tc);
	tc = tcase_create("ctlsock");
	tcase_add_checked_fixture(tc, sock_setup, sock_teardown);
	tcase_add_test(tc, ctlsock_mode_from_the_start);
	tcase_add_test(tc, ctlsock_stale_live_and_file);
	tcase_add_test(tc, ctlsock_path_length);
	tcase_add_test(tc, ctlsock_client_connect);
	tcase_add_test(tc, ctlsock_read_pieces);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(common_suite());
}
