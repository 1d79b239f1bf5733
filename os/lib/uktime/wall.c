/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The wall clock (uk_time_wall_ns(), uk/time.h): the boot's wall time, read
 * once from the platform's clock hardware (ukplat_wall_clock()) or, where
 * there is none, from the kernel parameter uktime.wall that the runner sets
 * to the host's time; plus the monotonic clock. Reading the hardware once
 * keeps the wall clock as smooth and cheap as the monotonic one (the RTCs
 * here count whole seconds).
 */
#include <uk/essentials.h>
#include <uk/libparam.h>
#include <uk/plat.h>
#include <uk/time.h>

/* uktime.wall=<ns since the epoch>, or seconds (any value below 10^11,
 * i.e. before the year 5138 in seconds, is read as seconds). */
static unsigned long wall;
UK_LIB_PARAM(wall, ulong);

#define SECONDS_BELOW 100000000000ULL

static bool known;
static uint64_t boot_wall_ns;   /* wall time at uk_time_now_ns() == 0 */
static const char *source = "none";

static void find_boot_wall(void)
{
	uint64_t ns, now;
	const char *name = ukplat_wall_clock(&ns);

	now = uk_time_now_ns();
	if (name) {
		source = name;
		boot_wall_ns = ns > now ? ns - now : 0;
	} else if (wall) {
		source = "uktime.wall";
		/* the runner's time when it started the VMM, i.e. about the
		 * boot's start: the monotonic clock's zero */
		boot_wall_ns = wall < SECONDS_BELOW ? wall * UK_NSEC_PER_SEC : wall;
	}
	known = true;
}

uint64_t uk_time_wall_ns(void)
{
	if (!known)
		find_boot_wall();
	return boot_wall_ns + uk_time_now_ns();
}

uint64_t uk_time_boot_wall_ns(void)
{
	if (!known)
		find_boot_wall();
	return boot_wall_ns;
}

const char *uk_time_wall_source(void)
{
	if (!known)
		find_boot_wall();
	return source;
}
