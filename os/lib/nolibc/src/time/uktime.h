/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What nolibc's clocks and sleeps take from lib/uktime. Without uktime in
 * the image they are still compiled, but call a function nobody defines,
 * whose name is the fix: a program that uses one fails to link with
 * "undefined symbol nolibc_time_needs_uktime__add_uktime_to_libraries"
 * (`libraries: [uktime]` in uniforge.yaml). Programs that use none lose
 * them to --gc-sections, so their images do not change.
 */
#ifndef NOLIBC_TIME_UKTIME_H
#define NOLIBC_TIME_UKTIME_H

#include <stdint.h>

#ifdef CONFIG_LIBUKTIME
#include <uk/time.h>
#include <uk/timer.h>
#else
#define UK_NSEC_PER_SEC 1000000000ULL
uint64_t nolibc_time_needs_uktime__add_uktime_to_libraries(void);
#define uk_time_now_ns()      nolibc_time_needs_uktime__add_uktime_to_libraries()
#define uk_time_wall_ns()     nolibc_time_needs_uktime__add_uktime_to_libraries()
#define uk_time_freq()        nolibc_time_needs_uktime__add_uktime_to_libraries()
#define uk_sleep_until_ns(d)  ((void)(d), (void)nolibc_time_needs_uktime__add_uktime_to_libraries())
#endif

#endif
