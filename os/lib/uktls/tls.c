/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The TLS block layout (see uk/tls.h for the picture): sizes, the thread
 * pointer of a block, and filling a block from a template. Pure arithmetic
 * over the template given, so tests/host/test_tls.py checks it against the
 * host toolchain's own layout.
 */
#include <uk/tls.h>

#define ROUND_UP(x, a) (((x) + (a) - 1) & ~((uintptr_t)(a) - 1))

/* The thread pointer's alignment: the template's, and at least the TCB's. */
static size_t tp_align(const struct uk_tls_template *t)
{
	return t->align > 16 ? t->align : 16;
}

/* Distance from the start of the TLS data to the thread pointer (variant II)
 * or from the thread pointer to the TLS data (variant I). */
static size_t data_offset(const struct uk_tls_template *t)
{
	size_t a = t->align ? t->align : 1;
#if defined(__x86_64__)
	return ROUND_UP(t->memsz, a);
#else
	return ROUND_UP(UK_TLS_TCB_SIZE, a);
#endif
}

size_t uk_tls_block_size(const struct uk_tls_template *t)
{
#if defined(__x86_64__)
	return data_offset(t) + UK_TLS_TCB_SIZE + tp_align(t) - 1;
#else
	return data_offset(t) + t->memsz + tp_align(t) - 1;
#endif
}

uintptr_t uk_tls_block_tp(const struct uk_tls_template *t, void *block)
{
#if defined(__x86_64__)
	return ROUND_UP((uintptr_t)block + data_offset(t), tp_align(t));
#else
	return ROUND_UP((uintptr_t)block, tp_align(t));
#endif
}

uintptr_t uk_tls_block_init(const struct uk_tls_template *t, void *block)
{
	uintptr_t tp = uk_tls_block_tp(t, block);
	const unsigned char *src = t->init;
	unsigned char *data, *tcb = (unsigned char *)tp;
	size_t i;

#if defined(__x86_64__)
	data = (unsigned char *)(tp - data_offset(t));
#else
	data = (unsigned char *)(tp + data_offset(t));
#endif
	for (i = 0; i < t->filesz; i++)
		data[i] = src[i];
	for (; i < t->memsz; i++)
		data[i] = 0;
	for (i = 0; i < UK_TLS_TCB_SIZE; i++)
		tcb[i] = 0;
#if defined(__x86_64__)
	/* %fs:0 and %fs:0x10 hold the TCB's own address (as glibc and musl
	 * lay it out), so code can find the block without reading the MSR. */
	((uintptr_t *)tcb)[0] = tp;
	((uintptr_t *)tcb)[2] = tp;
#endif
	return tp;
}
