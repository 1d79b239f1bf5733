/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of ukrandom: the generator and getrandom(2)'s checks.
 * The block function itself is checked on the host against RFC 8439
 * (tests/host/test_ukrandom.py). */
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/random.h>
#include <uk/linux/random.h>

long uk_sys_getrandom(void *buf, unsigned long len, unsigned int flags);

static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}

UK_TESTCASE(ukrandom, seeded_from_a_named_source)
{
	uint8_t b[8];
	const char *s;

	uk_random_fill(b, sizeof(b));
	s = uk_random_seed_source();
	UK_TEST_ASSERT(s != NULL);
	UK_TEST_EXPECT(uk_streq(s, "rdrand") || uk_streq(s, "rndr") || uk_streq(s, "at_random") ||
		       uk_streq(s, "jitter"));
}

/* 4 KiB in odd-sized pieces crossing the pool's refills: no 16-byte block
 * repeats (a stuck or repeating stream would), no piece lost (a guard
 * byte after each stays). */
UK_TESTCASE(ukrandom, output_never_repeats_across_refills)
{
	static uint8_t buf[4096 + 1];
	size_t off = 0, k = 1, i, j;

	while (off < 4096) {
		k = UK_MIN(4096 - off, k * 3 + 1);
		buf[off + k] = 0xa5;
		uk_random_fill(buf + off, k);
		UK_TEST_EXPECT_EQ(buf[off + k], 0xa5);
		off += k;
	}
	for (i = 0; i < 4096; i += 16)
		for (j = i + 16; j < 4096; j += 16)
			if (same(buf + i, buf + j, 16))
				UK_TEST_EXPECT(!"two equal 16-byte blocks");
}

UK_TESTCASE(ukrandom, mix_changes_the_stream)
{
	uint8_t a[32], b[32];

	uk_random_fill(a, sizeof(a));
	uk_random_mix(a, sizeof(a));
	uk_random_fill(b, sizeof(b));
	UK_TEST_EXPECT(!same(a, b, sizeof(a)));
}

UK_TESTCASE(ukrandom, getrandom_fills_and_checks_flags)
{
	uint8_t a[300], b[300];
	size_t i;

	for (i = 0; i < sizeof(a); i++)
		a[i] = b[i] = 0;
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, sizeof(a), 0), sizeof(a));
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(b, sizeof(b), UK_GRND_NONBLOCK), sizeof(b));
	UK_TEST_EXPECT(!same(a, b, sizeof(a)));
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, 16, UK_GRND_RANDOM), 16);
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, 16, UK_GRND_INSECURE), 16);
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, 16, 0x8), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_getrandom(a, 16, UK_GRND_RANDOM | UK_GRND_INSECURE), -EINVAL);
}
