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
 * can take the template from uk_tls_image().
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

/* Layout over an explicit template (tls.c; pure arithmetic, host-tested). */
size_t uk_tls_block_size(const struct uk_tls_template *t);
/* The thread pointer of a block at `block` (no writes). */
uintptr_t uk_tls_block_tp(const struct uk_tls_template *t, void *block);
/* Copies the template into the block, zeroes the rest and the TCB, writes
 * the TCB's self pointer (x86_64); returns the thread pointer. The block
 * must be uk_tls_block_size(t) bytes. Touches no TLS itself. */
uintptr_t uk_tls_block_init(const struct uk_tls_template *t, void *block);

/* This image's template (image.c, from the linker script's __tdata_start,
 * __tdata_end, __tbss_end and __tls_align). */
void uk_tls_image(struct uk_tls_template *t);

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
