/* Unit tests for common/, the utilities the daemon and the tools share:
 * the JSON writer's one string rule (valid UTF-8 always: bad octets become
 * U+FFFD, good sequences pass, control characters are escaped), its
 * compact and pretty layouts, the bounded text buffer and the checked
 * array growth.  Tested once here rather than through each program. */
#include <errno.h>
#include <stdint.h>

#include "testutil.h"

#include "array.h"
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
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(common_suite());
}
