/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host test helper compiled like a guest library: with nolibc's headers and
 * the guest flags, linked into the nl_-prefixed object. It exposes what the
 * glibc-side harness cannot reach directly: header macros (assert, limits,
 * PRI*), so they can be compared with glibc's.
 */
#include <assert.h>
#include <limits.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

void assert_true(void)
{
	assert(1 + 1 == 2);
}

void assert_false(int x)
{
	assert(x == 3);
}

const long long limits_values[] = {
	CHAR_BIT, SCHAR_MIN, SCHAR_MAX, UCHAR_MAX, CHAR_MIN, CHAR_MAX,
	SHRT_MIN, SHRT_MAX, USHRT_MAX, INT_MIN, INT_MAX, UINT_MAX,
	LONG_MIN, LONG_MAX, (long long)ULONG_MAX, LLONG_MIN, LLONG_MAX, (long long)ULLONG_MAX,
	SSIZE_MAX, PATH_MAX,
	sizeof(INT_MAX), sizeof(UINT_MAX), sizeof(LONG_MAX), sizeof(ULONG_MAX),
	sizeof(LLONG_MAX), sizeof(ULLONG_MAX),
};

const char *const pri_values[] = {
	PRId8, PRId16, PRId32, PRId64, PRIi64, PRIu8, PRIu16, PRIu32, PRIu64,
	PRIx8, PRIx16, PRIx32, PRIx64, PRIX64, PRIo64,
	PRIdLEAST8, PRIdLEAST16, PRIdLEAST32, PRIdLEAST64,
	PRIdFAST8, PRIdFAST16, PRIdFAST32, PRIdFAST64, PRIuFAST16, PRIxFAST32,
	PRIdMAX, PRIuMAX, PRIxMAX, PRIdPTR, PRIuPTR, PRIxPTR, NULL,
};

/* errno is a macro in some libcs: make sure ours is an lvalue. */
int *errno_address(void)
{
	return &errno;
}
