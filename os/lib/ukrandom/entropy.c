/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seed sources, strongest first (entropy.h). Under QEMU TCG neither
 * the default x86 CPU (qemu64) nor the Cortex-A53 has a generator, so on
 * the VM targets the seed is usually the jitter of the cycle counter
 * (TCG's counter follows the host clock, so the time blocks of
 * translated code take varies from run to run) plus the boot
 * information, which carries the host's wall clock (uktime.wall=) on the
 * command line. On linuxu the host kernel's 16 AT_RANDOM bytes come first.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/plat.h>
#include <uk/string.h>
#include "entropy.h"

#if defined(__x86_64__)
const char *const ukrandom_hw_name = "rdrand";

bool ukrandom_hw64(uint64_t *out)
{
	static int present = -1;
	uint32_t a, b, c, d;
	unsigned char ok;
	int i;

	if (present < 0) {
		__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
		present = !!(c & (1u << 30));
	}
	for (i = 0; present && i < 10; i++) {
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}
#elif defined(__aarch64__)
const char *const ukrandom_hw_name = "rndr";

bool ukrandom_hw64(uint64_t *out)
{
	static int present = -1;
	uint64_t isar0, ok;
	int i;

	if (present < 0) {
		__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
		present = ((isar0 >> 60) & 0xf) != 0;           /* FEAT_RNG */
	}
	for (i = 0; present && i < 10; i++) {
		/* RNDR (s3_3_c2_c4_0): NZCV = 0b0100 on failure */
		__asm__ __volatile__("mrs %0, s3_3_c2_c4_0; cset %1, ne" : "=r"(*out), "=r"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}
#endif

/* 256 samples of how long a little work takes, as raw counter deltas:
 * the low bits carry the jitter, the absorber keeps every bit. */
static void jitter(void (*absorb)(void *ctx, const void *p, size_t n), void *ctx)
{
	uint64_t s[32], t, prev = arch_cycles();
	volatile uint64_t sink = prev;
	int i, j;

	for (i = 0; i < 256; i++) {
		for (j = 0; j < (int)(prev & 7) + 1; j++)
			sink = sink * 6364136223846793005ULL + 1442695040888963407ULL;
		t = arch_cycles();
		s[i % 32] = (t - prev) ^ (sink << 32);
		prev = t;
		if (i % 32 == 31)
			absorb(ctx, s, sizeof(s));
	}
}

const char *ukrandom_gather(void (*absorb)(void *ctx, const void *p, size_t n), void *ctx)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();
	const char *source = "jitter";
	uint64_t v[4], misc[4];
	int i, got = 0;

	for (i = 0; i < 4; i++)
		got += ukrandom_hw64(&v[i]);
	if (got == 4) {
		absorb(ctx, v, sizeof(v));
		source = ukrandom_hw_name;
	}
	if (bi && bi->loader_random_len) {
		absorb(ctx, bi->loader_random, bi->loader_random_len);
		if (got < 4)
			source = "at_random";
	}
	jitter(absorb, ctx);
	if (bi) {
		if (bi->cmdline)
			absorb(ctx, bi->cmdline, uk_strlen(bi->cmdline));
		absorb(ctx, bi->mrd, bi->nr_mrd * sizeof(bi->mrd[0]));
	}
	misc[0] = ukplat_boot_cycles;
	misc[1] = (uintptr_t)bi;
	misc[2] = (uintptr_t)&misc;             /* the stack: randomised on linuxu */
	misc[3] = arch_cycles();
	absorb(ctx, misc, sizeof(misc));
	return source;
}
