/*
 * Host harness for uk/tls.h (os/lib/uktls; x86_64, variant II): builds a TLS
 * block from this program's own PT_TLS with uk_tls_block_init() and checks
 * that every __thread variable sits in it at the offset from the thread
 * pointer that the toolchain compiled in -- measured on glibc's block of
 * the running thread. LAYOUT selects the set of variables (see
 * test_tls.py). Prints "ok" or the first mismatch and exits 1.
 */
#define _GNU_SOURCE
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/tls.h>

#if LAYOUT == 1         /* small: data only, 4-byte alignment */
__thread int v_a = 0x11223344;
__thread char v_b = 5;
#define VARS X(v_a, 0x11223344) X(v_b, 5)
#elif LAYOUT == 2       /* data and bss, bss over-aligned */
__thread long v_a = 0x0102030405060708L;
__thread char v_b[3] __attribute__((aligned(256)));
__thread int v_c;
__thread short v_d = 77;
#define VARS X(v_a, 0x0102030405060708L) X(v_b[0], 0) X(v_b[2], 0) X(v_c, 0) X(v_d, 77)
#elif LAYOUT == 3       /* data over-aligned, odd total size */
__thread char v_a[5] __attribute__((aligned(64))) = { 1, 2, 3, 4, 9 };
__thread char v_b[3];
#define VARS X(v_a[4], 9) X(v_a[0], 1) X(v_b[2], 0)
#elif LAYOUT == 4       /* bss only */
__thread char v_a[1000];
__thread int v_b __attribute__((aligned(32)));
#define VARS X(v_a[999], 0) X(v_b, 0)
#endif

static struct uk_tls_template tmpl;

static int find_tls(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size; (void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type == PT_TLS) {
			tmpl.init = (const void *)(info->dlpi_addr + ph->p_vaddr);
			tmpl.filesz = ph->p_filesz;
			tmpl.memsz = ph->p_memsz;
			tmpl.align = ph->p_align;
		}
	}
	return 1;       /* the executable only */
}

#define FAIL(...) do { printf(__VA_ARGS__); printf("\n"); return 1; } while (0)

int main(void)
{
	uintptr_t glibc_tp = (uintptr_t)__builtin_thread_pointer();
	size_t size;
	unsigned char *block;
	uintptr_t tp;

	dl_iterate_phdr(find_tls, NULL);
	if (!tmpl.memsz)
		FAIL("no PT_TLS in the harness");
	size = uk_tls_block_size(&tmpl);
	for (size_t shift = 0; shift < 64; shift += 7) {
		block = malloc(size + 64);
		memset(block, 0xa5, size + 64);
		tp = uk_tls_block_init(&tmpl, block + shift);
		if (tp != uk_tls_block_tp(&tmpl, block + shift))
			FAIL("uk_tls_block_tp differs from uk_tls_block_init's");
		if (tp % tmpl.align || tp % 16)
			FAIL("tp %#lx not aligned to %zu", (unsigned long)tp, tmpl.align);
		if (((uintptr_t *)tp)[0] != tp || ((uintptr_t *)tp)[2] != tp)
			FAIL("TCB self pointers wrong");
		if (tp + UK_TLS_TCB_SIZE > (uintptr_t)block + shift + size ||
		    tp - ((tmpl.memsz + tmpl.align - 1) & ~(tmpl.align - 1)) < (uintptr_t)block + shift)
			FAIL("block of %zu bytes overflows", size);
		/* each variable: same offset from tp as in glibc's block, and
		 * the template's value (read before the program changes it) */
#define X(var, want) {                                                        \
		intptr_t off = (intptr_t)((uintptr_t)&(var) - glibc_tp);           \
		__typeof__(var) got;                                               \
		memcpy(&got, (void *)(tp + off), sizeof(got));                     \
		if (got != (want))                                                 \
			FAIL("%s: got %lld at tp%+ld, want %lld", #var,             \
			     (long long)got, (long)off, (long long)(want));         \
		if ((tp + off) % __alignof__(var))                                \
			FAIL("%s misaligned", #var);                                \
	}
		VARS
#undef X
		free(block);
	}
	printf("ok memsz=%zu filesz=%zu align=%zu size=%zu\n", tmpl.memsz, tmpl.filesz, tmpl.align, size);
	return 0;
}
