/* SPDX-License-Identifier: ISC */
/* Unit tests: the version macros of vdp/version.h and vdp_version(), which
 * must all say the version configure took from AC_INIT (PACKAGE_VERSION). */
#include <vdp/version.h>

#include "config.h"
#include "testutil.h"

START_TEST(runtime_is_compile_time)
{
	ck_assert_str_eq(vdp_version(), VDP_VERSION_STRING);
	ck_assert_str_eq(VDP_VERSION_STRING, PACKAGE_VERSION);
}
END_TEST

START_TEST(numbers_make_the_string)
{
	char s[32];
	snprintf(s, sizeof(s), "%d.%d.%d", VDP_VERSION_MAJOR, VDP_VERSION_MINOR, VDP_VERSION_PATCH);
	ck_assert_str_eq(s, VDP_VERSION_STRING);
}
END_TEST

START_TEST(num_orders_versions)
{
	ck_assert_int_eq(VDP_VERSION,
	                 VDP_VERSION_NUM(VDP_VERSION_MAJOR, VDP_VERSION_MINOR, VDP_VERSION_PATCH));
	ck_assert_int_lt(VDP_VERSION_NUM(0, 9, 9), VDP_VERSION_NUM(1, 0, 0));
	ck_assert_int_lt(VDP_VERSION_NUM(1, 2, 255), VDP_VERSION_NUM(1, 3, 0));
	ck_assert_int_lt(VDP_VERSION, VDP_VERSION_NUM(VDP_VERSION_MAJOR, VDP_VERSION_MINOR,
	                                              VDP_VERSION_PATCH + 1));
}
END_TEST

static Suite *version_suite(void)
{
	Suite *s = suite_create("version");
	TCase *tc = tcase_create("version");
	tcase_add_test(tc, runtime_is_compile_time);
	tcase_add_test(tc, numbers_make_the_string);
	tcase_add_test(tc, num_orders_versions);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(version_suite());
}
