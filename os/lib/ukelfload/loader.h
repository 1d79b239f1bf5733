/* SPDX-License-Identifier: BSD-3-Clause */
/* ukelfload's private interface: the file (load.c), the initial stack
 * (stack.c), the architecture's part (arch_*.c, jump_*.S). */
#ifndef UKELFLOAD_LOADER_H
#define UKELFLOAD_LOADER_H

#include <uk/essentials.h>
#include <uk/elfparse.h>

#define WHY_MAX 200
/* argv + envp: strings and pointers, at most (else -E2BIG) */
#define ELF_ARGS_MAX (2UL << 20)

/* An executable or interpreter, checked and open (load.c). */
struct elf_file {
	const char *path;
	int fd;                         /* -1 when closed */
	uint64_t size;
	struct uk_elf_info info;
	char *interp;                   /* PT_INTERP's path (heap), or NULL */
	uintptr_t bias;                 /* after elf_map */
};

/* The reason of the last failure ("ukelfload: <path>: <why>"). */
extern char elf_why[WHY_MAX];
void elf_say(const char *fmt, ...) __printf(1, 2);

/*
 * Opens path and checks it is a regular, executable file holding a valid
 * ELF executable for this machine, with no segment both writable and
 * executable; reads its PT_INTERP. 0, or -ENOENT, -EACCES, -ENOEXEC,
 * -ENOMEM (elf_why says what is wrong). f->fd stays open on success.
 */
int elf_open(struct elf_file *f, const char *path);
/* Closes what elf_open opened (safe twice). */
void elf_close(struct elf_file *f);
/* Whether f can be mapped: a fixed-address program needs its range in
 * posix-mmap's fixed window (ukboot.reserve=). 0 or -ENOEXEC, elf_why. */
int elf_check_place(const struct elf_file *f);
/* Maps f's PT_LOADs (PIE: at a bias chosen by mmap), each with its own
 * permissions, the bss zeroed; sets f->bias. 0 or -E (elf_why). */
int elf_map(struct elf_file *f);

/* What the initial stack tells the program (stack.c). */
struct elf_start {
	const struct elf_file *exe, *interp;    /* interp may be NULL */
	const char *execfn;
	int argc;
	char *const *argv;
	char *const *envp;
};
/* Maps an 8 MiB stack and lays out argc, argv, envp and the auxv on it
 * (the psABI's process entry). The stack pointer to start with, or 0 on
 * failure (elf_why). */
uintptr_t elf_build_stack(const struct elf_start *s);

/* The architecture (arch_<arch>.c / jump_<arch>.S). */
unsigned long elf_arch_hwcap(void);
unsigned long elf_arch_hwcap2(void);
#define ELF_PLATFORM_X86_64 "x86_64"
#define ELF_PLATFORM_ARM64  "aarch64"
/* Starts a program: stack pointer sp, every other register 0 (the
 * exit-handler register too: rdx / x0), at entry. */
void elf_arch_jump(uintptr_t entry, uintptr_t sp) __noreturn;

#endif
