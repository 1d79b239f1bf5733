/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64: a fresh context for arch_ctx_switch() (layout in ctx.S). */
#include <uk/arch_ctx.h>

void x86_ctx_start(void);

#define X86_MXCSR_DEFAULT 0x1f80ULL     /* all exceptions masked, round to nearest */
#define X86_FCW_DEFAULT   0x037fULL     /* as after fninit */

uintptr_t arch_ctx_init(uintptr_t stack_top, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15UL);

	*--sp = (uintptr_t)x86_ctx_start;  /* return address: rsp 16-aligned after ret */
	*--sp = 0;                          /* rbp: the end of the frame chain */
	*--sp = 0;                          /* rbx */
	*--sp = (uintptr_t)fn;              /* r12 */
	*--sp = (uintptr_t)arg;             /* r13 */
	*--sp = 0;                          /* r14 */
	*--sp = 0;                          /* r15 */
	*--sp = X86_MXCSR_DEFAULT | (X86_FCW_DEFAULT << 32);
	return (uintptr_t)sp;
}
