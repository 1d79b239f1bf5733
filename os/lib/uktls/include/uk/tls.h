/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread-local storage: the one place that knows how a TLS block is laid
 * out. A block holds a copy of the image's TLS template (.tdata, then .tbss
 * zeroed) and the thread control block (TCB) the thread pointer points at:
 *
 *   x86_64, variant II:  [ .tdata | .tbss | pad ][ TCB (64 B) ]
 *                                                ^ tp = FS base; tp[0] = tp,
 *                                                  tp+0x28 free for a canary
 *   arm64, variant I:    [ TCB (16 B) | pad ][ .tdata | .tbss ]
 *                        ^ tp = TPIDR_EL0; the data at tp + round_up(16, align)
 *
 * The offsets are the ones the static linker wrote into the code (x86_64:
 * tp - round_up(memsz, align); arm64: tp + round_up(16, align)), so a
 * block made here is what `__thread` variables compile against. A caller
 * gives any memory of uk_tls_size() bytes: the alignment slack is included.
 *
 * ukboot makes the boot thread's block (os/lib/ukboot/tls.c); a scheduler
 * makes one per thread the same way; a libc that brings its own TLS (musl)
 * can take the template from uk_tls_image(). Header only: see below.
 */
#ifndef UK_TLS_H
#define UK_TLS_H

#include <uk/essentials.h>

/* A TLS template: filesz bytes at init, zeroed up to memsz, aligned to align
 * (a power of two). */
struct uk_tls_template {
	const void *init;
	size_t filesz;
	size_t memsz;
	size_t align;
};

#if defined(__x86_64__)
#define UK_TLS_TCB_SIZE 64      /* self pointer at 0 and 0x10, canary slot at 0x28 */
#elif defined(__aarch64__)
#define UK_TLS_TCB_SIZE 16      /* the AArch64 ELF ABI's two reserved words */
#else
#error "uktls: unknown architecture"
#endif

/*
 * The layout, as inline functions: ukboot runs them once per boot, before
 * main, where every call and loop is code TCG translates for the first
 * time (see README.md); the host test includes this header.
 */
#define UK_TLS_ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uintptr_t)(a) - 1))

/* The thread pointer's alignment: the template's, and at least 16. */
static inline size_t uk_tls_tp_align(const struct uk_tls_template *t)
{
	return t->align > 16 ? t->align : 16;
}

/* x86_64: from the start of the TLS data up to the thread pointer;
 * arm64: from the thread pointer up to the TLS data. */
static inline size_t uk_tls_data_offset(const struct uk_tls_template *t)
{
#if defined(__x86_64__)
	return UK_TLS_ALIGN_UP(t->memsz, t->align);
#else
	return UK_TLS_ALIGN_UP(UK_TLS_TCB_SIZE, t->align);
#endif
}

/* Bytes a block needs, alignment slack included: any memory will do. */
static inline size_t uk_tls_block_size(const struct uk_tls_template *t)
{
#if defined(__x86_64__)
	return uk_tls_data_offset(t) + UK_TLS_TCB_SIZE + uk_tls_tp_align(t) - 1;
#else
	return uk_tls_data_offset(t) + t->memsz + uk_tls_tp_align(t) - 1;
#endif
}

/* The thread pointer of a block at `block` (no writes). */
static inline uintptr_t uk_tls_block_tp(const struct uk_tls_template *t, void *block)
{
#if defined(__x86_64__)
	return UK_TLS_ALIGN_UP((uintptr_t)block + uk_tls_data_offset(t), uk_tls_tp_align(t));
#else
	return UK_TLS_ALIGN_UP((uintptr_t)block, uk_tls_tp_align(t));
#endif
}

/*
 * Copies the template into the block, zeroes the rest of the data and the
 * TCB, writes the TCB's self pointers (x86_64); returns the thread pointer.
 * The block must be uk_tls_block_size(t) bytes. Touches no TLS itself. One
 * loop over TCB and data together (they are next to each other, in either
 * order), byte by byte: the copy must not call memcpy (no libc here).
 */
static inline uintptr_t uk_tls_block_init(const struct uk_tls_template *t, void *block)
{
	uintptr_t tp = uk_tls_block_tp(t, block);
	const unsigned char *src = (const unsigned char *)t->init;
	unsigned char *p, *end;
	size_t i;

#if defined(__x86_64__)
	p = (unsigned char *)(tp - uk_tls_data_offset(t));   /* data, pad, TCB */
	end = (unsigned char *)tp + UK_TLS_TCB_SIZE;
	for (i = 0; p + i < end; i++)
		p[i] = i < t->filesz ? src[i] : 0;
	/* %fs:0 and %fs:0x10 hold the TCB's own address, as glibc and musl
	 * lay it out: code finds its block without reading the MSR */
	((uintptr_t *)tp)[0] = tp;
	((uintptr_t *)tp)[2] = tp;
#else
	size_t off = uk_tls_data_offset(t);                   /* TCB, pad, data */

	p = (unsigned char *)tp;
	end = p + off + t->memsz;
	for (i = 0; p + i < end; i++)
		p[i] = i >= off && i - off < t->filesz ? src[i - off] : 0;
#endif
	return tp;
}

/* This image's template: the symbols every platform's linker script
 * defines around .tdata and .tbss (ARCHITECTURE.md). */
extern const char __tdata_start[], __tdata_end[], __tbss_end[], __tls_align[];

static inline void uk_tls_image(struct uk_tls_template *t)
{
	t->init = __tdata_start;
	t->filesz = (size_t)(__tdata_end - __tdata_start);
	t->memsz = (size_t)(__tbss_end - __tdata_start);
	t->align = (size_t)__tls_align;        /* an absolute symbol: its value */
}

/* The same as uk_tls_block_*() over this image's template. */
static inline size_t uk_tls_size(void)
{
	struct uk_tls_template t;

	uk_tls_image(&t);
	return uk_tls_block_size(&t);
}

static inline uintptr_t uk_tls_tp(void *block)
{
	struct uk_tls_template t;

	uk_tls_image(&t);
	return uk_tls_block_tp(&t, block);
}

static inline uintptr_t uk_tls_init(void *block)
{
	struct uk_tls_template t;

	uk_tls_image(&t);
	return uk_tls_block_init(&t, block);
}

/*
 * Make `tp` the current thread pointer. The architecture provides it
 * (os/arch/x86_64/tls.c: the FS base MSR; os/arch/arm64/tls.c: TPIDR_EL0),
 * except on linuxu, where the process asks Linux (arch_prctl) and the
 * platform provides it (os/plat/linuxu/tls.c).
 */
void arch_tls_set_tp(uintptr_t tp);

/* The current thread pointer. */
static inline uintptr_t arch_tls_get_tp(void)
{
	uintptr_t tp;
#if defined(__x86_64__)
	__asm__ __volatile__("movq %%fs:0, %0" : "=r"(tp));   /* the TCB's self pointer */
#else
	__asm__ __volatile__("mrs %0, tpidr_el0" : "=r"(tp));
#endif
	return tp;
}

#endif
