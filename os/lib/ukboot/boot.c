/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot sequence, as a table of contents. A platform's entry code fills a
 * struct ukplat_bootinfo and calls ukplat_entry(); from here on nothing knows
 * which machine this is. Heap setup lives in heap.c, argument splitting in
 * lib/ukargparse, parameters in lib/uklibparam.
 */
#include <uk/essentials.h>
#include <uk/init.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/string.h>
#include <uk/assert.h>
#include <uk/boot.h>
#if defined(CONFIG_LIBUKARGPARSE)
#include <uk/argparse.h>
#endif
#if defined(CONFIG_LIBUKLIBPARAM)
#include <uk/libparam.h>
#endif
#if defined(CONFIG_LIBUKTIME)
#include <uk/time.h>
#endif

int main(int argc, char *argv[]);

/* main's argv then the environment, as the SysV ABI lays them out for a
 * process: name, args, NULL, KEY=VALUE..., NULL (a libc may find envp at
 * argv + argc + 1). */
static char *app_argv[UKBOOT_VEC_WORDS];
/* argv[0]: writable, as every argv string must be (C11 5.1.2.2.1; redis's
 * setproctitle() writes over it), not the name's literal in rodata. */
static char app_name[] = CONFIG_UK_APPNAME;
static char cmdline_copy[CONFIG_UKBOOT_CMDLINE_MAX];

/* The libc's environ, when a libc is in the image (weak: ukboot links
 * without one). */
extern char **environ __weak;
/* The libc's exit(): runs the atexit handlers and ukboot_run_fini(), then
 * ukboot_shutdown(). Weak: without a libc, ukboot does both itself. */
extern void exit(int status) __weak __noreturn;

/* Runs the terminator table in reverse registration order, then halts. */
void __noreturn ukboot_shutdown(int status)
{
	const uk_term_func_t *t;

#if defined(CONFIG_UKBOOT_MEMREPORT)
	ukboot_memreport();
#endif
	for (t = uk_termtab_end; t > uk_termtab_start; t--)
		t[-1]();
	ukplat_halt(status & 0xff);
}

/*
 * Copies the loader's command line (it may live in memory the heap will
 * own) and splits it into words, at most UKBOOT_MAX_ARGS.
 */
static int split_cmdline(const char *cl, char **words)
{
	size_t n = 0;
	int nwords;

	while (cl[n] && n < sizeof(cmdline_copy) - 1) {
		cmdline_copy[n] = cl[n];
		n++;
	}
	cmdline_copy[n] = '\0';
#if defined(CONFIG_LIBUKARGPARSE)
	nwords = uk_argnparse(cmdline_copy, n, words, UKBOOT_MAX_ARGS);
#else
	nwords = 0;
	for (char *p = cmdline_copy; *p && nwords < UKBOOT_MAX_ARGS;) {
		while (*p == ' ') *p++ = '\0';
		if (!*p) break;
		words[nwords++] = p;
		while (*p && *p != ' ') p++;
	}
#endif
	return nwords;
}

/* An environment word: KEY=VALUE with a non-empty KEY without a dot (a
 * dot before the `=` makes it a library parameter). */
static int is_env_word(const char *w)
{
	const char *p = w;

	while (*p && *p != '=' && *p != '.')
		p++;
	return *p == '=' && p != w;
}

/*
 * Splits the words of the command line (the command-line rule,
 * ARCHITECTURE.md):
 *
 *   [kernel words] -- [app words] --- [words the VMM appended]
 *
 * The last "---" ends the line uniforge wrote; the words after it were
 * appended by the VMM (QEMU microvm's virtio_mmio.device=...) and go to
 * bi->vmm_argv for the platform, never to main(). The first "--" before it
 * separates kernel words from main's arguments; without "--" every word is
 * main's. A kernel word is either KEY=VALUE (no dot in KEY: an environment
 * variable) or a library parameter (uklibparam: lib.param=value).
 * Returns main's argc; *app_args gets its argv (argv[0] is the
 * application's name), followed by NULL, the environment and NULL. An
 * empty command line, the usual case, costs nothing: no copy, no parsing.
 */
static int split_args(struct ukplat_bootinfo *bi, char ***app_args)
{
	static char *wbuf[UKBOOT_MAX_ARGS];
	static char *params[UKBOOT_MAX_ARGS];
	char **words = wbuf, **envp;
	int nwords, end, dashes, first, argc, nparams = 0, nenv = 0, i;

	app_argv[0] = app_name;
	*app_args = app_argv;
	if (bi->argc > 0) {          /* linuxu: the process argv */
		words = bi->argv + 1;
		nwords = UK_MIN(bi->argc - 1, UKBOOT_MAX_ARGS);
	} else if (bi->cmdline && bi->cmdline[0]) {
		nwords = split_cmdline(bi->cmdline, wbuf);
	} else {
		return 1;            /* app_argv[1] and [2] are NULL: no args, no env */
	}

	for (end = nwords; end > 0; end--)
		if (uk_streq(words[end - 1], "---"))
			break;
	if (end == 0)                /* no terminator: every word is ours */
		end = nwords;
	else {                       /* words[end, nwords): the VMM's */
		bi->vmm_argc = nwords - end;
		bi->vmm_argv = words + end;
		end--;
	}
	for (dashes = 0; dashes < end; dashes++)
		if (uk_streq(words[dashes], "--"))
			break;
	if (dashes == end)           /* no "--": every word is the app's */
		dashes = 0, first = 0;
	else
		first = dashes + 1;
	/* words[0, dashes): kernel words; words[first, end): the app's */
	argc = end - first;
	for (i = 0; i < argc; i++)
		app_argv[1 + i] = words[first + i];
	app_argv[1 + argc] = NULL;
	envp = app_argv + 1 + argc + 1;
	for (i = 0; i < dashes; i++) {
		if (is_env_word(words[i]))
			envp[nenv++] = words[i];
		else
			params[nparams++] = words[i];
	}
	envp[nenv] = NULL;
	if (&environ)
		environ = envp;
#if defined(CONFIG_LIBUKLIBPARAM)
	uk_libparam_parse(nparams, params);
#else
	if (nparams)
		uk_pr_warn("ignoring %d kernel argument(s): uklibparam is not built in\n",
			   nparams);
#endif
	return argc + 1;
}

void __noreturn_nosp ukplat_entry(struct ukplat_bootinfo *bi)
{
	const uk_init_func_t *f;
	/* the boot thread's TLS block when it is small: this frame lives for
	 * ever, and its page is already in use (tls.c) */
	char tls_buf[UKBOOT_TLS_BUF] __align(16);
	char **argv;
	int argc, rc;

	/* 1. arguments and environment: kernel parameters are set before any
	 * init runs */
	argc = split_args(bi, &argv);
#if defined(CONFIG_LIBUKLIBPARAM)
	/* 1b. ukboot.reserve= keeps a range out of the free memory
	 * (reserve.c), before step 2 or 3 takes any */
	ukboot_mem_reserve(bi);
#endif

	/* 2. the boot thread's TLS block (tls.c): __thread works from here on */
	ukboot_tls_init(bi, tls_buf, sizeof(tls_buf));

	/* 3. the heap, built from the free memory regions on first use (heap.c) */
	ukboot_heap_init(bi);

#if defined(CONFIG_LIBMUSL)
	/* 3b. musl's own start-up: its TLS block (replacing the one of step
	 * 2), page size, random secret; the libc works from here on
	 * (libc_start.c) */
	ukboot_libc_init(argc, argv);
#endif

	/* 4. every library's init function, by class and priority */
	for (f = uk_inittab_start; f < uk_inittab_end; f++) {
		rc = (*f)();
		if (rc < 0) {
			uk_pr_crit("init function %p failed: %d\n", (void *)*f, rc);
			ukboot_shutdown(255);
		}
	}

#if defined(CONFIG_LIBMUSL)
#if defined(CONFIG_LIBUKTIME) && defined(CONFIG_UKBOOT_SHOW_BOOTTIME)
	ukboot_print_boottime();
#endif
	/* 5-7. musl runs the constructors, main and exit (libc_start.c) */
	ukboot_libc_start(argc);
#else
	/* 5. the application's constructors (.preinit_array, .init_array) */
	ukboot_run_ctors(argc, argv, argv + argc + 1);

#if defined(CONFIG_LIBUKTIME) && defined(CONFIG_UKBOOT_SHOW_BOOTTIME)
	/* 6. how long the guest took from its first instruction to here */
	ukboot_print_boottime();
#endif

	/* 7. the application. Returning from main is exit(main's value) (C11
	 * 5.1.2.2.3): the libc runs the atexit handlers and the .fini_array,
	 * then comes back to ukboot_shutdown() */
	rc = main(argc, argv);
	if (exit)
		exit(rc);
	ukboot_run_fini();
	ukboot_shutdown(rc);
#endif
}
