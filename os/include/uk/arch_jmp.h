/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A saved execution context, setjmp/longjmp's (os/arch/<arch>/jmp.S,
 * always built): the callee-saved registers of the ABI, the stack pointer
 * and the return address. No FP control state (MXCSR, FPCR), no signal
 * mask, no thread pointer. Users: nolibc's setjmp/longjmp (tail calls into
 * these), posix-process's fork (the parent's context, resumed when the
 * child ends) and, for arch_call_on_stack, fork's restore and ukelfload's
 * exec (both leave the stack they are on).
 */
#ifndef UK_ARCH_JMP_H
#define UK_ARCH_JMP_H

#include <uk/essentials.h>

#if defined(__x86_64__)
/* rbx rbp r12 r13 r14 r15, rsp after the return, the return address */
#define ARCH_JMP_WORDS 8
#define ARCH_JMP_SP    6
#elif defined(__aarch64__)
/* x19-x28, x29 (fp), x30 (lr), sp, d8-d15 */
#define ARCH_JMP_WORDS 21
#define ARCH_JMP_SP    12
#endif

struct arch_jmp {
	unsigned long w[ARCH_JMP_WORDS];
};

/* Saves the caller's context in *ctx and returns 0; returns again, with
 * arch_jmp_resume's val, each time the context is resumed. */
int arch_jmp_save(struct arch_jmp *ctx) __attribute__((returns_twice));

/* Continues after the arch_jmp_save that filled *ctx, which returns val
 * (1 when val is 0, as longjmp). The frame that called arch_jmp_save must
 * still be there (or have been put back). */
void arch_jmp_resume(struct arch_jmp *ctx, int val) __noreturn;

/* fn(arg) on the stack ending at top (16-aligned), with a zero frame
 * pointer and return address (backtraces end there); fn must not return. */
void arch_call_on_stack(void (*fn)(void *), void *arg, uintptr_t top) __noreturn;

#endif
