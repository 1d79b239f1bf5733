/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Stack protector runtime (include/uk/stackprot.h). The compiler flags
 * come from the Kconfig choice in os/Config.uk (uniforge/model.py):
 * -fstack-protector-strong (default) or -all, always with
 * -mstack-protector-guard=global, so the canary is this file's
 * __stack_chk_guard and not the x86_64 TLS slot %fs:0x28: the boot path
 * runs before any thread-local storage exists, and one image-wide canary
 * is what a single address space needs.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/plat.h>
#include <uk/stackprot.h>

/* The compiler makes references to these two only when it expands
 * functions into machine code, after link-time optimisation has decided
 * which symbols anyone uses: keep them, and global. */
#define KEEP_GLOBAL __attribute__((used, externally_visible))

/* A fixed value until uk_stack_chk_init() runs (never 0: a zeroed stack
 * must not pass the check). */
KEEP_GLOBAL uintptr_t __stack_chk_guard = 0x595e9fbd94fda700UL;
const char *uk_stack_chk_source = "none";

#define NO_SP __attribute__((no_stack_protector))

/*
 * A hardware random number, or 0 when the CPU has no generator or it has
 * nothing to give right now (no retries: the cycle counter is mixed in
 * anyway). Boot time: under QEMU TCG each branch here costs a translation
 * block (~5-15 us), so there is one test and one instruction. On x86_64
 * that is RDRAND: RDSEED would take two more CPUID leaves and tests, and
 * RDRAND's output (a DRBG reseeded from the same source) is as good a
 * canary.
 */
#if defined(__x86_64__)
static inline NO_SP uint64_t hw_random(void)
{
	uint32_t a, b, c, d;
	uint64_t v = 0;
	unsigned char ok = 0;

	__asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (c & (1u << 30))                                       /* RDRAND */
		__asm__ __volatile__("rdrand %0; setc %1" : "=r"(v), "=qm"(ok) : : "cc");
	return ok ? v : 0;
}
#define HW_SOURCE "rdrand"
#elif defined(__aarch64__)
static inline NO_SP uint64_t hw_random(void)
{
	uint64_t isar0, v = 0, ok = 0;

	__asm__ __volatile__("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if ((isar0 >> 60) & 0xf)                                  /* FEAT_RNG */
		/* RNDR (s3_3_c2_c4_0): NZCV = 0b0100 on failure */
		__asm__ __volatile__("mrs %0, s3_3_c2_c4_0; cset %1, ne"
				     : "=r"(v), "=r"(ok) : : "cc");
	return ok ? v : 0;
}
#define HW_SOURCE "rndr"
#endif

/* splitmix64's finaliser: every input bit reaches every output bit. */
static inline NO_SP uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

NO_SP void uk_stack_chk_init(uintptr_t seed)
{
	uint64_t hw = hw_random();

	/* with a hardware number the rest changes nothing; without, the
	 * cycle counter and the boot information make the canary */
	uk_stack_chk_source = hw ? HW_SOURCE : "cycles";
	__stack_chk_guard = (uintptr_t)((hw ^ mix(arch_cycles() ^ (ukplat_boot_cycles << 17) ^
						  mix(seed + 0x9e3779b97f4a7c15ULL))) & ~0xffUL);
}

NO_SP void uk_stack_chk_set(uint64_t random, const char *source)
{
	uk_stack_chk_source = source;
	__stack_chk_guard = (uintptr_t)(random & ~0xffUL);
}

KEEP_GLOBAL void __stack_chk_fail(void)
{
	uk_crashf("stack smashing detected (stack protector canary overwritten)");
}
