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

#define UKBOOT_MAX_ARGS 64
static char *app_argv[UKBOOT_MAX_ARGS + 1];
static char cmdline_copy[CONFIG_UKBOOT_CMDLINE_MAX];

/* Runs the terminator table in reverse registration order, then halts. */
void __noreturn ukboot_shutdown(int status)
{
	const uk_term_func_t *t;

	for (t = uk_termtab_end; t > uk_termtab_start; t--)
		t[-1]();
	ukplat_halt(status & 0xff);
}

/*
 * Splits the command line: everything before "--" are kernel arguments
 * (library parameters such as ukalloc.heap_kb=512), everything after goes to
 * main(). Without "--", a line whose words are all parameters (contain '=' and
 * a '.' before it) is kernel-only; otherwise the whole line is for the app.
 */
static int split_args(struct ukplat_bootinfo *bi, char ***app_args)
{
	int argc = 0, i, kargc = 0;
	char *kargv[UKBOOT_MAX_ARGS];
	char **words;
	int nwords;

	if (bi->argc > 0) {          /* linuxu: the process argv */
		words = bi->argv + 1;
		nwords = bi->argc - 1;
	} else {
		static char *wbuf[UKBOOT_MAX_ARGS];
		const char *cl = bi->cmdline ? bi->cmdline : "";
		size_t n = 0;

		while (cl[n] && n < sizeof(cmdline_copy) - 1) {
			cmdline_copy[n] = cl[n];
			n++;
		}
		cmdline_copy[n] = '\0';
#if defined(CONFIG_LIBUKARGPARSE)
		nwords = uk_argnparse(cmdline_copy, n, wbuf, UKBOOT_MAX_ARGS);
#else
		nwords = 0;
		for (char *p = cmdline_copy; *p && nwords < UKBOOT_MAX_ARGS;) {
			while (*p == ' ') *p++ = '\0';
			if (!*p) break;
			wbuf[nwords++] = p;
			while (*p && *p != ' ') p++;
		}
#endif
		words = wbuf;
		nwords = nwords;
	}

	int dashes = -1;
	for (i = 0; i < nwords; i++)
		if (words[i][0] == '-' && words[i][1] == '-' && words[i][2] == '\0') {
			dashes = i;
			break;
		}
	if (dashes >= 0) {
		for (i = 0; i < dashes && kargc < UKBOOT_MAX_ARGS; i++)
			kargv[kargc++] = words[i];
		for (i = dashes + 1; i < nwords && argc < UKBOOT_MAX_ARGS; i++)
			app_argv[1 + argc++] = words[i];
	} else {
		for (i = 0; i < nwords && argc < UKBOOT_MAX_ARGS; i++)
			app_argv[1 + argc++] = words[i];
	}
#if defined(CONFIG_LIBUKLIBPARAM)
	uk_libparam_parse(kargc, kargv);
#else
	(void)kargv;
	if (kargc)
		uk_pr_warn("ignoring %d kernel argument(s): uklibparam is not built in\n", kargc);
#endif
	app_argv[0] = (char *)CONFIG_UK_APPNAME;
	app_argv[1 + argc] = NULL;
	*app_args = app_argv;
	return argc + 1;
}

void __noreturn ukplat_entry(struct ukplat_bootinfo *bi)
{
	const uk_init_func_t *f;
	char **argv;
	int argc, rc;

	/* 1. arguments: kernel parameters are set before any init runs */
	argc = split_args(bi, &argv);

	/* 2. the heap, from the platform's free memory regions (heap.c) */
	ukboot_heap_init(bi);

	/* 3. every library's init function, by class and priority */
	for (f = uk_inittab_start; f < uk_inittab_end; f++) {
		rc = (*f)();
		if (rc < 0) {
			uk_pr_crit("init function %p failed: %d\n", (void *)*f, rc);
			ukboot_shutdown(255);
		}
	}

#if defined(CONFIG_LIBUKTIME) && defined(CONFIG_UKBOOT_SHOW_BOOTTIME)
	/* 4. how long the guest took from its first instruction to here */
	ukboot_print_boottime();
#endif

	/* 5. the application; its return value is the guest's exit status */
	rc = main(argc, argv);
	ukboot_shutdown(rc);
}
