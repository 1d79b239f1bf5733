/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The architecture API (arch_ prefix): register dump layout for the crash
 * report, cycle counter, halt. Implemented in os/arch/<arch>/.
 */
#ifndef UK_ARCH_H
#define UK_ARCH_H

#include <uk/essentials.h>

#if defined(__x86_64__)
/* Saved by the exception entry stubs (os/arch/x86_64/traps.S), in this order. */
struct __regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};
static inline uint64_t arch_cycles(void)
{
	uint32_t lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}
static inline uintptr_t arch_frame_pointer(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}
#elif defined(__aarch64__)
struct __regs {
	uint64_t x[31];      /* x0..x30 (x29 = fp, x30 = lr) */
	uint64_t sp, elr, spsr, esr, far;
};
static inline uint64_t arch_cycles(void)
{
	uint64_t v;
	__asm__ __volatile__("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}
static inline uintptr_t arch_frame_pointer(void)
{
	return (uintptr_t)__builtin_frame_address(0);
}
#endif

#endif
