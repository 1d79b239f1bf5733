/* SPDX-License-Identifier: BSD-3-Clause */
/* arm64: a fresh context for arch_ctx_switch() (layout in ctx.S). */
#include <uk/arch_ctx.h>

void arm64_ctx_start(void);

#define ARM64_CTX_WORDS (176 / 8)

uintptr_t arch_ctx_init(uintptr_t stack_top, void (*fn)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)(stack_top & ~15UL) - ARM64_CTX_WORDS;

	for (unsigned int i = 0; i < ARM64_CTX_WORDS; i++)
		sp[i] = 0;                  /* x21-x28, d8-d15, FPCR 0 (the reset value) */
	sp[0] = (uintptr_t)fn;              /* x19 */
	sp[1] = (uintptr_t)arg;             /* x20 */
	sp[10] = 0;                         /* x29: the end of the frame chain */
	sp[11] = (uintptr_t)arm64_ctx_start; /* x30 */
	return (uintptr_t)sp;
}
