/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What lwIP needs from the platform in both modes (arch/cc.h,
 * lwipopts.h): memory from ukalloc's default allocator, random numbers
 * from ukrandom (TCP initial sequence numbers, DHCP and DNS ids), and a
 * crash report for a failed lwIP assertion.
 */
#include <uk/essentials.h>
#include <uk/alloc.h>
#include <uk/assert.h>
#include <uk/random.h>
#include "lwip/opt.h"
#include "lwip/sys.h"

void *uk_lwip_malloc(unsigned long size)
{
	return uk_malloc(uk_alloc_get_default(), size);
}

void *uk_lwip_calloc(unsigned long n, unsigned long size)
{
	return uk_calloc(uk_alloc_get_default(), n, size);
}

void uk_lwip_free(void *p)
{
	uk_free(uk_alloc_get_default(), p);
}

unsigned int uk_lwip_rand(void)
{
	unsigned int r;

	uk_random_fill(&r, sizeof(r));
	return r;
}

void uk_lwip_assert_fail(const char *msg, const char *file, int line)
{
	UK_CRASH("lwip: assertion \"%s\" failed (%s:%d)", msg, file, line);
}
