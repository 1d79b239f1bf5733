/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The stack protector's runtime (ukdebug, with CONFIG_STACK_PROTECTOR):
 * the canary __stack_chk_guard that -mstack-protector-guard=global code
 * compares, and __stack_chk_fail, a crash report ("stack smashing
 * detected"). Each platform's entry code calls uk_stack_chk_init() before
 * the first protected function runs.
 */
#ifndef UK_STACKPROT_H
#define UK_STACKPROT_H

#include <uk/essentials.h>

extern uintptr_t __stack_chk_guard;

/*
 * Sets the canary from the best entropy there is: RDRAND (x86_64, when
 * CPUID lists it) or RNDR (arm64, when ID_AA64ISAR0_EL1 lists it); else the
 * cycle counter, mixed with `seed` (the entry code passes the boot
 * information's address) and ukplat_boot_cycles. Its low byte is zero, so
 * string functions neither copy it out nor write it back. Not protected
 * itself; call it from code that does not return (the canary changes).
 */
void uk_stack_chk_init(uintptr_t seed);

/*
 * Sets the canary from `random`, for platforms that are handed random bytes
 * at entry (linuxu: the kernel's AT_RANDOM), named `source`; the low byte
 * is cleared. Same rules as uk_stack_chk_init().
 */
void uk_stack_chk_set(uint64_t random, const char *source);

/* What the canary came from: "rdrand", "rndr", "cycles" or uk_stack_chk_set()'s. */
extern const char *uk_stack_chk_source;

void __stack_chk_fail(void) __noreturn;

#endif
