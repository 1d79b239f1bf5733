/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hand-over to a C library that starts itself (musl), instead of
 * ukboot's own constructors/main/exit (boot.c, crt.c). ukboot lays out
 * what Linux gives a static executable at its entry:
 *
 *   argv[0..argc-1], NULL, envp..., NULL, auxv (type, value)..., AT_NULL
 *
 * and calls the libc's __libc_start_main(main, argc, argv), which finds
 * envp and the auxiliary vector after argv, sets up its thread pointer
 * and TLS block from the program headers (AT_PHDR: a table made here, with
 * PT_PHDR and PT_TLS from the linker script's TLS symbols), runs the
 * .init_array constructors and main, and ends in exit(): atexit handlers,
 * .fini_array, stdio flush, then exit_group, whose handler ends in
 * ukboot_shutdown(). musl runs no .preinit_array in a static program; nor
 * does it here.
 */
#include <uk/essentials.h>
#include <uk/tls.h>
#include <uk/plat.h>
#include <uk/boot.h>

int main(int argc, char *argv[]);

/* musl's start-up, the two halves of its __libc_start_main
 * (src/env/__libc_start_main.c), and its exit(). */
void __init_libc(char **envp, char *pn);
void __libc_start_init(void);
void exit(int status) __noreturn;

/* The ELF program header, as <elf.h> has it (not included: kernel code sees
 * no libc header). */
struct phdr64 {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

#define PT_TLS  7
#define PT_PHDR 6

#define AT_NULL   0
#define AT_PHDR   3
#define AT_PHENT  4
#define AT_PHNUM  5
#define AT_PAGESZ 6
#define AT_HWCAP  16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_EXECFN 31
#define NAUX      10            /* entries below, AT_NULL included */

static struct phdr64 phdrs[2];
static uint64_t at_random[2];

/* 16 bytes for AT_RANDOM (musl seeds its malloc's and hash tables'
 * secrets from them): the CPU's generator when it has one, else the cycle
 * counter through a mixer (splitmix64). */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t hw_random(uint64_t fallback)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d;
	unsigned char ok;
	uint64_t v;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	if (c & (1u << 30)) {                   /* RDRAND */
		for (int i = 0; i < 10; i++) {
			__asm__ volatile("rdrand %0; setc %1" : "=r"(v), "=qm"(ok));
			if (ok)
				return v;
		}
	}
#elif defined(__aarch64__)
	uint64_t isar0, v;
	unsigned long ok;

	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((isar0 >> 60) & 0xf) >= 1) {       /* RNDR */
		__asm__ volatile("mrs %0, s3_3_c2_c4_0; cset %1, ne" : "=r"(v), "=r"(ok) :: "cc");
		if (ok)
			return v;
	}
#endif
	return mix(fallback);
}

/* What Linux reports in AT_HWCAP: x86_64 CPUID.1:EDX; arm64 the HWCAP_*
 * bits of the features this CPU's ID registers list (FP, ASIMD, AES,
 * PMULL, SHA1, SHA2, CRC32, ATOMICS). */
static unsigned long hwcap(void)
{
#if defined(__x86_64__)
	unsigned int a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
	return d;
#else
	uint64_t pfr0, isar0;
	unsigned long cap = 0;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	if (((pfr0 >> 16) & 0xf) != 0xf)
		cap |= 1 << 0;                  /* FP */
	if (((pfr0 >> 20) & 0xf) != 0xf)
		cap |= 1 << 1;                  /* ASIMD */
	if (((isar0 >> 4) & 0xf) >= 1)
		cap |= 1 << 3;                  /* AES */
	if (((isar0 >> 4) & 0xf) >= 2)
		cap |= 1 << 4;                  /* PMULL */
	if (((isar0 >> 8) & 0xf) >= 1)
		cap |= 1 << 5;                  /* SHA1 */
	if (((isar0 >> 12) & 0xf) >= 1)
		cap |= 1 << 6;                  /* SHA2 */
	if (((isar0 >> 16) & 0xf) >= 1)
		cap |= 1 << 7;                  /* CRC32 */
	if (((isar0 >> 20) & 0xf) >= 2)
		cap |= 1 << 8;                  /* ATOMICS */
	return cap;
#endif
}

/* argv, NULL, envp, NULL, then the auxiliary vector */
static uintptr_t vec[UKBOOT_VEC_WORDS + 2 * NAUX];

void ukboot_libc_init(int argc, char **argv)
{
	struct uk_tls_template t;
	uintptr_t *aux;
	int n = 0, i;

	for (i = 0; i < argc + 1; i++)
		vec[n++] = (uintptr_t)argv[i];
	for (i = argc + 1; argv[i]; i++)
		vec[n++] = (uintptr_t)argv[i];
	vec[n++] = 0;
	aux = &vec[n];

	uk_tls_image(&t);
	phdrs[0] = (struct phdr64){ .p_type = PT_PHDR, .p_flags = 4,
				    .p_vaddr = (uintptr_t)phdrs, .p_paddr = (uintptr_t)phdrs,
				    .p_filesz = sizeof(phdrs), .p_memsz = sizeof(phdrs), .p_align = 8 };
	phdrs[1] = (struct phdr64){ .p_type = PT_TLS, .p_flags = 4,
				    .p_vaddr = (uintptr_t)t.init, .p_paddr = (uintptr_t)t.init,
				    .p_filesz = t.filesz, .p_memsz = t.memsz, .p_align = t.align };
	at_random[0] = hw_random(ukplat_clock_ticks() ^ (uintptr_t)argv);
	at_random[1] = hw_random(ukplat_clock_ticks() + ukplat_boot_cycles);

	*aux++ = AT_PHDR;   *aux++ = (uintptr_t)phdrs;
	*aux++ = AT_PHENT;  *aux++ = sizeof(phdrs[0]);
	*aux++ = AT_PHNUM;  *aux++ = UK_ARRAY_SIZE(phdrs);
	*aux++ = AT_PAGESZ; *aux++ = __PAGE_SIZE;
	*aux++ = AT_HWCAP;  *aux++ = hwcap();
	*aux++ = AT_CLKTCK; *aux++ = 100;
	*aux++ = AT_SECURE; *aux++ = 0;
	*aux++ = AT_RANDOM; *aux++ = (uintptr_t)at_random;
	*aux++ = AT_EXECFN; *aux++ = (uintptr_t)argv[0];
	*aux++ = AT_NULL;   *aux++ = 0;

	__init_libc((char **)&vec[argc + 1], argv[0]);
}

void __noreturn ukboot_libc_start(int argc)
{
	char **argv = (char **)vec;

	/* main(argc, argv, envp), as musl calls it: an app may take envp */
	int (*main3)(int, char **, char **) = (int (*)(int, char **, char **))(void (*)(void))main;

	__libc_start_init();
	exit(main3(argc, argv, argv + argc + 1));
}
