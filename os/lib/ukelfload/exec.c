/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uk_elfload_exec (uk/elfload.h): check, copy, then the point of no
 * return. Everything that can be wrong with the files is found before it
 * (elf_open, elf_check_place), with the old program intact; after it the
 * old program is torn down on a stack of ukelfload's own (the old one may
 * be in the mappings that go), the new one is mapped and started.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/tls.h>
#include <uk/boot.h>
#include <uk/elfload.h>
#include <uk/arch_jmp.h>
#include <uk/syscall.h>
#include <stdio.h>
#include <string.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#if defined(CONFIG_LIBPOSIX_MMAP)
#include <uk/mmap.h>
#endif
#include "loader.h"

#if defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/fdtab.h>
#endif
#if defined(CONFIG_LIBPOSIX_SIGNAL)
#include <uk/signal.h>
#endif
#if defined(CONFIG_LIBPOSIX_PROCESS)
#include <uk/process.h>
#endif
#if defined(CONFIG_LIBPOSIX_THREAD)
#include <uk/thread.h>
#endif

#define EXEC_STACK_PAGES 8              /* 32 KiB: exec_finish's own stack */

static struct {
	struct elf_file exe, interp;
	bool has_interp;
	char *path;                     /* copies, in one heap block */
	char **argv, **envp;
	int argc;
	void *block;
} st;

static void *exec_stack;                /* EXEC_STACK_PAGES pages */
static uintptr_t kernel_tp;             /* the main thread's own TLS */

const char *uk_elfload_why(void)
{
	return elf_why;
}

/* Called once by ukelfload's main before the first exec. */
int elfload_init(void)
{
	exec_stack = uk_palloc(uk_alloc_get_default(), EXEC_STACK_PAGES);
	if (!exec_stack)
		return -ENOMEM;
	kernel_tp = arch_tls_get_tp();
	return 0;
}

/* Copies path, argv and envp into one heap block (st). 0, -E2BIG, -ENOMEM. */
static int copy_args(const char *path, char *const argv[], char *const envp[])
{
	size_t bytes = strlen(path) + 1, nargs = 0, nenv = 0, i;
	char **vec, *p;

	for (; argv && argv[nargs]; nargs++)
		bytes += strlen(argv[nargs]) + 1 + sizeof(char *);
	for (; envp && envp[nenv]; nenv++)
		bytes += strlen(envp[nenv]) + 1 + sizeof(char *);
	if (bytes + 2 * sizeof(char *) > ELF_ARGS_MAX) {
		elf_say("arguments and environment over 2 MiB");
		return -E2BIG;
	}
	bytes += (nargs + nenv + 2) * sizeof(char *);
	st.block = uk_malloc(uk_alloc_get_default(), bytes);
	if (!st.block) {
		elf_say("out of memory for the arguments");
		return -ENOMEM;
	}
	vec = st.block;
	p = (char *)(vec + nargs + nenv + 2);
	st.argv = vec;
	st.envp = vec + nargs + 1;
	st.argc = (int)nargs;
	for (i = 0; i < nargs; i++, p += strlen(p) + 1)
		st.argv[i] = strcpy(p, argv[i]);
	st.argv[nargs] = NULL;
	for (i = 0; i < nenv; i++, p += strlen(p) + 1)
		st.envp[i] = strcpy(p, envp[i]);
	st.envp[nenv] = NULL;
	st.path = strcpy(p, path);
	return 0;
}

static void release(void)
{
	elf_close(&st.exe);
	if (st.has_interp)
		elf_close(&st.interp);
	uk_free(uk_alloc_get_default(), st.block);
	st.block = NULL;
}

/* After the point of no return: the guest ends. */
static void __noreturn die(void)
{
	fprintf(stderr, "ukelfload: %s: %s\n", st.path, elf_why);
	ukboot_shutdown(127);
}

/* On exec_stack: tear the old program down, map and start the new one. */
static void __noreturn exec_finish(void *arg __unused)
{
	struct elf_start s;
	uintptr_t sp, entry;

#if defined(CONFIG_LIBPOSIX_THREAD)
	/* before the memory goes: a preemption would read the old rseq area
	 * (the new program registers its own) */
	uk_rseq_exec_reset();
#endif
#if defined(CONFIG_LIBPOSIX_MMAP)
	uk_mmap_exec_reset();
#endif
	if (elf_map(&st.exe))
		die();
	if (st.has_interp && elf_map(&st.interp)) {
		char why[WHY_MAX];

		memcpy(why, elf_why, sizeof(why));
		elf_say("interpreter %s: %s", st.exe.interp, why);
		die();
	}
	/* the mappings hold copies: the files' descriptors can go */
	uk_sys_close(st.exe.fd);
	st.exe.fd = -1;
	if (st.has_interp) {
		uk_sys_close(st.interp.fd);
		st.interp.fd = -1;
	}
	/* the rest of the old process: close-on-exec descriptors, signal
	 * handlers, the program's name and arguments (/proc/self/exe,
	 * cmdline, environ), each when its library is in the image */
#if defined(CONFIG_LIBPOSIX_FDTAB)
	uk_fdtab_exec();
#endif
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	uk_signal_exec_reset();
#endif
#if defined(CONFIG_LIBPOSIX_PROCESS)
	if (uk_process_set_exe(st.path) || uk_process_set_args(st.argv, st.envp)) {
		elf_say("out of memory for the process's name and arguments");
		die();
	}
#endif

	s = (struct elf_start){
		.exe = &st.exe, .interp = st.has_interp ? &st.interp : NULL,
		.execfn = st.path, .argc = st.argc, .argv = st.argv, .envp = st.envp,
	};
	sp = elf_build_stack(&s);
	if (!sp)
		die();
	entry = st.has_interp ? st.interp.bias + st.interp.info.entry :
				st.exe.bias + st.exe.info.entry;
	release();

	/* the new program starts with the kernel's own thread pointer until
	 * its libc sets one (arch_prctl(ARCH_SET_FS) / TPIDR_EL0) */
#if defined(CONFIG_LIBUKSCHED)
	uk_thread_set_tp(kernel_tp);
#endif
	arch_tls_set_tp(kernel_tp);
	elf_arch_jump(entry, sp);
}

int uk_elfload_exec(const char *path, char *const argv[], char *const envp[])
{
	int rc;

	if (!exec_stack) {
		elf_say("ukelfload is not initialised");
		return -ENOMEM;
	}
	if (st.block)
		release();              /* a failed exec's leftovers */
	memset(&st, 0, sizeof(st));
	st.exe.fd = st.interp.fd = -1;
	rc = copy_args(path, argv, envp);
	if (rc)
		return rc;
	rc = elf_open(&st.exe, st.path);
	if (rc)
		goto fail;
	if (st.exe.interp) {
		rc = elf_open(&st.interp, st.exe.interp);
		if (!rc && st.interp.interp) {
			elf_say("has a PT_INTERP of its own");
			rc = -ENOEXEC;
		}
		if (rc) {
			char why[WHY_MAX];

			memcpy(why, elf_why, sizeof(why));
			elf_say("interpreter %s: %s", st.exe.interp, why);
			elf_close(&st.interp);
			goto fail;
		}
		st.has_interp = true;
	}
	rc = elf_check_place(&st.exe);
	if (!rc && st.has_interp)
		rc = elf_check_place(&st.interp);
	if (rc)
		goto fail;

	/* the point of no return */
	arch_call_on_stack(exec_finish, NULL, (uintptr_t)exec_stack + EXEC_STACK_PAGES * 4096);
fail:
	release();
	return rc;
}
