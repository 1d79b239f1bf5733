/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of uk_argnparse (the host suite, tests/host/test_argparse.py,
 * covers many more cases against Python's shlex).
 */
#include <uk/argparse.h>
#include <uk/test.h>

static int str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

UK_TESTCASE(ukargparse, simple_words)
{
	char line[] = "  one\ttwo\nthree  ";
	char *argv[8];
	int n = uk_argnparse(line, sizeof(line) - 1, argv, 8);

	UK_TEST_ASSERT(n == 3);
	UK_TEST_EXPECT(str_eq(argv[0], "one"));
	UK_TEST_EXPECT(str_eq(argv[1], "two"));
	UK_TEST_EXPECT(str_eq(argv[2], "three"));
	UK_TEST_EXPECT_NULL(argv[3]);
}

UK_TESTCASE(ukargparse, quotes_and_escapes)
{
	char line[] = "a'b c'\"d \\\" e\" f\\ g '' h";
	char *argv[8];
	int n = uk_argnparse(line, sizeof(line) - 1, argv, 8);

	UK_TEST_ASSERT(n == 4);
	UK_TEST_EXPECT(str_eq(argv[0], "ab cd \" e"));
	UK_TEST_EXPECT(str_eq(argv[1], "f g"));
	UK_TEST_EXPECT(str_eq(argv[2], ""));
	UK_TEST_EXPECT(str_eq(argv[3], "h"));
}

UK_TESTCASE(ukargparse, empty_and_limits)
{
	char empty[] = "";
	char blanks[] = " \t\n ";
	char many[] = "a b c d e";
	char *argv[3];

	UK_TEST_EXPECT_EQ(uk_argnparse(empty, 0, argv, 3), 0);
	UK_TEST_EXPECT_EQ(uk_argnparse(blanks, sizeof(blanks) - 1, argv, 3), 0);
	UK_TEST_EXPECT_EQ(uk_argnparse(many, sizeof(many) - 1, argv, 0), 0);
	UK_TEST_EXPECT_EQ(uk_argnparse(NULL, 4, argv, 3), 0);
	UK_TEST_ASSERT(uk_argnparse(many, sizeof(many) - 1, argv, 3) == 3);
	UK_TEST_EXPECT(str_eq(argv[2], "c"));
}

UK_TESTCASE(ukargparse, maxlen_cuts_the_line)
{
	char line[] = "abc def";
	char *argv[4];
	int n = uk_argnparse(line, 5, argv, 4);   /* sees "abc d" */

	UK_TEST_ASSERT(n == 2);
	UK_TEST_EXPECT(str_eq(argv[0], "abc"));
	UK_TEST_EXPECT(str_eq(argv[1], "d"));
}
