/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The architecture's context switch, as uksched uses it (implemented in
 * os/arch/<arch>/ctx.S and ctx.c, built only when a scheduler is selected).
 *
 * A context is one saved stack pointer: arch_ctx_switch() pushes the
 * callee-saved registers of the ABI on the old stack, stores the stack
 * pointer in *prev_sp, loads next_sp and pops the next thread's registers.
 * FP/SIMD: saved eagerly, and only what the ABI says survives a call (x86_64:
 * MXCSR and the x87 control word; arm64: d8-d15 and FPCR). A switch is a
 * function call, so the caller-saved FP/SIMD registers are already dead;
 * the interrupt entry paths save the whole FP/SIMD state of an interrupted
 * thread on their own (x86 irq.S: fxsave on the thread's stack; arm64
 * vectors.S: q0-q31 in the frame), which covers a preempted thread. Lazy
 * saving (trapping the first FP use after a switch) would save nothing
 * here: the compiler uses SSE/NEON for ordinary copies in every thread.
 *
 * The thread pointer (TLS) is not part of the context: uksched sets it with
 * arch_tls_set_tp() before each switch (on linuxu that is arch_prctl).
 *
 * Both functions must be called with interrupts masked.
 */
#ifndef UK_ARCH_CTX_H
#define UK_ARCH_CTX_H

#include <uk/essentials.h>

/* Saves the caller's registers, *prev_sp = its stack pointer, and resumes
 * the context saved at next_sp. Returns when something switches back. */
void arch_ctx_switch(uintptr_t *prev_sp, uintptr_t next_sp);

/* Lays out a fresh context on the stack ending at stack_top (any
 * alignment) so that switching to it calls fn(arg) on that stack, with a
 * zero frame pointer (backtraces end there) and default FP control state.
 * fn must not return. Returns the context's stack pointer. */
uintptr_t arch_ctx_init(uintptr_t stack_top, void (*fn)(void *), void *arg);

#endif
