/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The Linux initial process stack (System V psABI, "Process
 * Initialization"; Linux's fs/binfmt_elf.c create_elf_tables): in a
 * posix-mmap region of 8 MiB (a reservation: pages come on first touch),
 * from the top down: the 16 AT_RANDOM bytes, the platform string, the
 * argument and environment strings, AT_EXECFN's string; then, 16-byte
 * aligned at sp: argc, argv[], NULL, envp[], NULL, the auxv pairs ending
 * with AT_NULL. The stack is never executable, whatever PT_GNU_STACK asks
 * (W^X): no program of the survey needs one.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/syscall.h>
#include <uk/linux/mman.h>
#include <string.h>
#if defined(CONFIG_LIBUKRANDOM)
#include <uk/random.h>
#endif
#if defined(CONFIG_LIBUKVDSO)
#include <uk/vdso.h>
#endif
#include "loader.h"

#define STACK_SIZE (8UL << 20)

#define AT_NULL          0
#define AT_PHDR          3
#define AT_PHENT         4
#define AT_PHNUM         5
#define AT_PAGESZ        6
#define AT_BASE          7
#define AT_FLAGS         8
#define AT_ENTRY         9
#define AT_UID           11
#define AT_EUID          12
#define AT_GID           13
#define AT_EGID          14
#define AT_PLATFORM      15
#define AT_HWCAP         16
#define AT_CLKTCK        17
#define AT_SECURE        23
#define AT_RANDOM        25
#define AT_HWCAP2        26
#define AT_RSEQ_FEATURE_SIZE 27
#define AT_RSEQ_ALIGN    28
#define AT_EXECFN        31
#define AT_SYSINFO_EHDR  33
#define AT_MINSIGSTKSZ   51
#define NR_AUXV          24             /* pairs, AT_NULL included: room */

#if defined(CONFIG_ARCH_X86_64)
#define PLATFORM ELF_PLATFORM_X86_64
#define MINSIGSTKSZ 2048                /* x86_64 Linux's MINSIGSTKSZ */
#else
#define PLATFORM ELF_PLATFORM_ARM64
#define MINSIGSTKSZ 5120                /* arm64 Linux's MINSIGSTKSZ */
#endif

/* Copies n bytes below *top and returns where they went. */
static char *push(uintptr_t *top, const void *src, size_t n)
{
	*top -= n;
	memcpy((void *)*top, src, n);
	return (char *)*top;
}

static char *push_str(uintptr_t *top, const char *s)
{
	return push(top, s, strlen(s) + 1);
}

static long ids(long (*get)(void))
{
	return get ? get() : 0;
}

#pragma weak uk_sys_getuid
#pragma weak uk_sys_geteuid
#pragma weak uk_sys_getgid
#pragma weak uk_sys_getegid

uintptr_t elf_build_stack(const struct elf_start *s)
{
	const struct elf_file *exe = s->exe;
	unsigned long aux[NR_AUXV * 2], *sp;
	unsigned char rnd[16];
	char *random, *platform, *execfn, **argv, **envp;
	uintptr_t top;
	size_t n = 0, envc = 0, words, i;
	long base;

	base = uk_sys_mmap(NULL, STACK_SIZE, UK_PROT_READ | UK_PROT_WRITE,
			   UK_MAP_PRIVATE | UK_MAP_ANONYMOUS | UK_MAP_NORESERVE | UK_MAP_STACK,
			   -1UL, 0);
	if (base < 0) {
		elf_say("no room for its 8 MiB stack (error %ld)", -base);
		return 0;
	}
	top = (uintptr_t)base + STACK_SIZE;

#if defined(CONFIG_LIBUKRANDOM)
	uk_random_fill(rnd, sizeof(rnd));
#else
#error "ukelfload needs ukrandom for AT_RANDOM (Config.uk selects it)"
#endif
	random = push(&top, rnd, sizeof(rnd));
	platform = push_str(&top, PLATFORM);
	execfn = push_str(&top, s->execfn);
	while (s->envp[envc])
		envc++;
	/* the string pointers, kept at the bottom of the stack's own memory
	 * until they are laid out (no allocation): uk_elfload_exec bounded
	 * strings + pointers to ELF_ARGS_MAX (2 MiB), so the scratch table,
	 * the strings at the top and the final table under them never meet
	 * in 8 MiB */
	argv = (char **)((uintptr_t)base + 4096);
	envp = argv + s->argc + 1;
	for (i = 0; i < (size_t)s->argc; i++)
		argv[i] = push_str(&top, s->argv[i]);
	argv[s->argc] = NULL;
	for (i = 0; i < envc; i++)
		envp[i] = push_str(&top, s->envp[i]);
	envp[envc] = NULL;
	top = UK_ALIGN_DOWN(top, 16);

#define AUX(k, v) do { aux[n++] = (k); aux[n++] = (unsigned long)(v); } while (0)
	AUX(AT_SYSINFO_EHDR, 0);        /* replaced or dropped below */
	AUX(AT_MINSIGSTKSZ, MINSIGSTKSZ);
	AUX(AT_HWCAP, elf_arch_hwcap());
	AUX(AT_PAGESZ, 4096);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, exe->bias + exe->info.phdr_vaddr);
	AUX(AT_PHENT, UK_ELF_PHDR_SIZE);
	AUX(AT_PHNUM, exe->info.phnum);
	AUX(AT_BASE, s->interp ? s->interp->bias : 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, exe->bias + exe->info.entry);
	AUX(AT_UID, ids(uk_sys_getuid));
	AUX(AT_EUID, ids(uk_sys_geteuid));
	AUX(AT_GID, ids(uk_sys_getgid));
	AUX(AT_EGID, ids(uk_sys_getegid));
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, random);
	AUX(AT_HWCAP2, elf_arch_hwcap2());
	AUX(AT_RSEQ_FEATURE_SIZE, 28);  /* Linux 6.3+: offsetof(struct rseq, end) */
	AUX(AT_RSEQ_ALIGN, 32);         /* posix-thread's rseq.c */
	AUX(AT_EXECFN, execfn);
	AUX(AT_PLATFORM, platform);
	AUX(AT_NULL, 0);
#undef AUX
#if defined(CONFIG_LIBUKVDSO)
	aux[1] = (unsigned long)uk_vdso_base();
	i = 0;
#else
	i = 2;                          /* no vDSO: no AT_SYSINFO_EHDR */
#endif
	/* argc, argv, NULL, envp, NULL, auxv: sp 16-byte aligned */
	words = 1 + (size_t)s->argc + 1 + envc + 1 + (n - i);
	sp = (unsigned long *)UK_ALIGN_DOWN(top - words * sizeof(long), 16);
	sp[0] = (unsigned long)s->argc;
	memmove(&sp[1], argv, (size_t)(s->argc + 1) * sizeof(char *));
	memmove(&sp[1 + s->argc + 1], envp, (envc + 1) * sizeof(char *));
	memcpy(&sp[1 + s->argc + 1 + envc + 1], &aux[i], (n - i) * sizeof(long));
	/* the scratch tables lie below sp: clear them (they are the program's
	 * stack now, and Linux hands over zeroed pages) */
	memset(argv, 0, (size_t)(s->argc + envc + 2) * sizeof(char *));
	return (uintptr_t)sp;
}
