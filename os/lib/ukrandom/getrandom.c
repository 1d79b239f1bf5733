/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * getrandom(2) over the generator (uk/random.h). The generator is seeded
 * at its first use and never runs dry, so no call blocks: GRND_NONBLOCK,
 * GRND_RANDOM and GRND_INSECURE change nothing (as on Linux once its
 * generator is ready), but other bits, and RANDOM with INSECURE, are
 * -EINVAL. Every byte asked for is given (Linux stops at 32 MiB - 4 KiB
 * per call; so do we, to keep a caller's loop the same).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/random.h>
#include <uk/linux/random.h>
#include <uk/user.h>

#define GETRANDOM_MAX 0x1fff000UL       /* Linux's MAX_RW_COUNT */

long uk_sys_getrandom(void *ubuf, unsigned long len, unsigned int flags)
{
	uint8_t chunk[256], *buf = ubuf;
	unsigned long done = 0, k;

	if (flags & ~(unsigned int)(UK_GRND_NONBLOCK | UK_GRND_RANDOM | UK_GRND_INSECURE))
		return -EINVAL;
	if ((flags & (UK_GRND_RANDOM | UK_GRND_INSECURE)) == (UK_GRND_RANDOM | UK_GRND_INSECURE))
		return -EINVAL;
	len = UK_MIN(len, GETRANDOM_MAX);
	while (done < len) {
		k = UK_MIN(len - done, sizeof(chunk));
		uk_random_fill(chunk, k);
		if (uk_copy_to_user(buf + done, chunk, k)) {
			done = done ? done : (unsigned long)-EFAULT;
			break;
		}
		done += k;
	}
	for (k = 0; k < sizeof(chunk); k++)     /* no copy of the output stays */
		((volatile uint8_t *)chunk)[k] = 0;
	return (long)done;
}
