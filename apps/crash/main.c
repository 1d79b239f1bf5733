/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crashes on purpose: a write through a bad pointer two calls deep, so the
 * report shows registers and a backtrace naming crash_here → deeper → main.
 * `uniforge run apps/crash` exits with status 255.
 */
#include <stdio.h>

/* Far above any RAM a guest maps (and any linuxu mapping): always faults. */
static volatile unsigned long *volatile target = (unsigned long *)0x100000000008UL;

__attribute__((noinline)) void crash_here(int n)
{
	printf("about to write through %p\n", (void *)target);
	*target = (unsigned long)n;             /* faults: nothing is mapped there */
}

__attribute__((noinline)) void deeper(int n)
{
	crash_here(n + 1);
	__asm__ __volatile__("" ::: "memory");  /* keep the call from being a tail call */
}

int main(void)
{
	deeper(41);
	printf("not reached\n");
	return 0;
}
