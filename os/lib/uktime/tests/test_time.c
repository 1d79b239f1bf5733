/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of uktime (LIBUKTIME_TESTS): the clock only moves forward,
 * and its conversion agrees with the platform's frequency. */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/test.h>

UK_TESTCASE(uktime, monotonic_and_after_boot)
{
	uint64_t a = uk_time_now_ns(), b;

	for (int i = 0; i < 1000; i++) {
		b = uk_time_now_ns();
		UK_TEST_ASSERT(b >= a);
		a = b;
	}
	UK_TEST_EXPECT(a > 0);
	UK_TEST_EXPECT(uk_time_cycles() > ukplat_boot_cycles);
}

UK_TESTCASE(uktime, conversion_uses_the_platform_frequency)
{
	uint64_t f = uk_time_freq();

	UK_TEST_ASSERT(f == ukplat_clock_freq() && f > 0);
	UK_TEST_EXPECT_EQ(uk_time_cycles_to_ns(f), UK_NSEC_PER_SEC);
	UK_TEST_EXPECT_EQ(uk_time_cycles_to_ns(3 * f), 3 * UK_NSEC_PER_SEC);
	UK_TEST_EXPECT_EQ(uk_time_cycles_to_ns(0), 0);
}

/* A busy wait of freq/100 ticks of the platform clock is 10 ms by uktime.
 * n0 is read before t0 and n1 after the wait, so [t0, end] lies inside
 * [n0, n1] however long the guest is descheduled between the reads. */
UK_TESTCASE(uktime, advances_with_the_platform_clock)
{
	uint64_t f = uk_time_freq(), n0 = uk_time_now_ns(), t0 = ukplat_clock_ticks(), n1;

	while (ukplat_clock_ticks() - t0 < f / 100)
		;
	n1 = uk_time_now_ns();
	UK_TEST_EXPECT(n1 - n0 >= 10000000 - 1000);
}
