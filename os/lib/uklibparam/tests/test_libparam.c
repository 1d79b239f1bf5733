/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of uklibparam. The parameters below belong to the library
 * this file is built in, "uklibparam" (its __LIBNAME__).
 */
#include <uk/libparam.h>
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/string.h>

static int t_int = 1;
static unsigned int t_uint = 2;
static long t_long = 3;
static unsigned long t_ulong = 4;
static bool t_bool;
static const char *t_str = "default";
static char *t_charp;
UK_LIB_PARAM(t_int, int);
UK_LIB_PARAM(t_uint, uint);
UK_LIB_PARAM(t_long, long);
UK_LIB_PARAM(t_ulong, ulong);
UK_LIB_PARAM(t_bool, bool);
UK_LIB_PARAM(t_str, string);
UK_LIB_PARAM_STR(t_charp);

static int parse1(const char *word)
{
	char *argv[1] = { (char *)word };

	return uk_libparam_parse(1, argv);
}

UK_TESTCASE(uklibparam, sets_every_type)
{
	char *argv[] = {
		"uklibparam.t_int=-42", "uklibparam.t_uint=0xffffffff",
		"uklibparam.t_long=-0x7fffffffffffffff", "uklibparam.t_ulong=18446744073709551615",
		"uklibparam.t_bool=yes", "uklibparam.t_str=hello world",
		"uklibparam.t_charp=",
	};

	UK_TEST_EXPECT_EQ(uk_libparam_parse(UK_ARRAY_SIZE(argv), argv), 0);
	UK_TEST_EXPECT_EQ(t_int, -42);
	UK_TEST_EXPECT(t_uint == 0xffffffffU);
	UK_TEST_EXPECT(t_long == -0x7fffffffffffffffL);
	UK_TEST_EXPECT(t_ulong == 18446744073709551615UL);
	UK_TEST_EXPECT(t_bool);
	UK_TEST_ASSERT(t_str && t_charp);
	UK_TEST_EXPECT(uk_streq(t_str, "hello world"));
	UK_TEST_EXPECT(uk_streq(t_charp, ""));
}

UK_TESTCASE(uklibparam, limits)
{
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_int=2147483647"), 0);
	UK_TEST_EXPECT_EQ(t_int, 2147483647);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_int=-2147483648"), 0);
	UK_TEST_EXPECT_EQ(t_int, -2147483647 - 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_int=2147483648"), 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_int=-2147483649"), 1);
	UK_TEST_EXPECT_EQ(t_int, -2147483647 - 1);             /* unchanged */
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_uint=4294967296"), 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_uint=-1"), 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_ulong=18446744073709551616"), 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_long=-0"), 0);
	UK_TEST_EXPECT_EQ(t_long, 0);
}

UK_TESTCASE(uklibparam, bools)
{
	static const char *const yes[] = { "1", "true", "YES", "On", "y" };
	static const char *const no[] = { "0", "False", "no", "OFF", "N" };
	char word[40] = "uklibparam.t_bool=";

	for (unsigned int i = 0; i < UK_ARRAY_SIZE(yes); i++) {
		for (unsigned int j = 0; j < 2; j++) {
			const char *v = j ? no[i] : yes[i];
			unsigned int k;

			for (k = 0; v[k]; k++)
				word[18 + k] = v[k];
			word[18 + k] = '\0';
			UK_TEST_EXPECT_EQ(parse1(word), 0);
			UK_TEST_EXPECT_EQ(t_bool, !j);
		}
	}
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_bool=2"), 1);
	UK_TEST_EXPECT_EQ(parse1("uklibparam.t_bool="), 1);
}

UK_TESTCASE(uklibparam, bad_words_are_counted_not_fatal)
{
	char *argv[] = {
		"uklibparam.t_int=12x", "uklibparam.t_int=", "uklibparam.t_int=0x",
		"nolib.param=1", "uklibparam.nosuch=1", "no_equal_sign", "nodot=1",
		".t_int=1", "uklibparam.=1", "uklibparam.t_int=7",
		"uklibparam.t_int.x=1", NULL,
	};

	UK_TEST_EXPECT_EQ(uk_libparam_parse(UK_ARRAY_SIZE(argv), argv), 10);
	UK_TEST_EXPECT_EQ(t_int, 7);
	UK_TEST_EXPECT_EQ(uk_libparam_parse(0, NULL), 0);
}

/* Each way a word can fail has its own -E... code (uk/libparam.h). */
UK_TESTCASE(uklibparam, apply_returns_errno_codes)
{
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_int=5"), 0);
	UK_TEST_EXPECT_EQ(t_int, 5);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("no_equal_sign"), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_int=12x"), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_bool=2"), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_int=2147483648"), -ERANGE);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_uint=-1"), -ERANGE);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.t_ulong=18446744073709551616"), -ERANGE);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("nolib.param=1"), -ENOENT);
	UK_TEST_EXPECT_EQ(uk_libparam_apply("uklibparam.nosuch=1"), -ENOENT);
	UK_TEST_EXPECT_EQ(t_int, 5);
}
