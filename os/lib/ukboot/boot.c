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
static char *app_argv[1 + UKBOOT_MAX_ARGS + 1];    /* name, args, NULL */
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

/*
 * Splits the arguments: with "--", the words before it are kernel arguments
 * (library parameters such as ukalloc.heap_kb=512, set here through
 * uklibparam) and the words after it go to main(); without "--", every word
 * goes to main(). Returns main's argc; *app_args gets its argv (argv[0] is
 * the application's name). An empty command line, the usual case, costs
 * nothing: no copy, no parsing, no parameters.
 */
static int split_args(struct ukplat_bootinfo *bi, char ***app_args)
{
	static char *wbuf[UKBOOT_MAX_ARGS];
	char **words = wbuf;
	int nwords, dashes, first, argc, i;

	app_argv[0] = (char *)CONFIG_UK_APPNAME;
	*app_args = app_argv;
	if (bi->argc > 0) {          /* linuxu: the process argv */
		words = bi->argv + 1;
		nwords = bi->argc - 1;
	} else if (bi->cmdline && bi->cmdline[0]) {
		nwords = split_cmdline(bi->cmdline, wbuf);
	} else {
		return 1;            /* app_argv[1] is NULL */
	}

	for (dashes = 0; dashes < nwords; dashes++)
		if (words[dashes][0] == '-' && words[dashes][1] == '-' &&
		    words[dashes][2] == '\0')
			break;
	if (dashes == nwords)        /* no "--": every word is the app's */
		dashes = 0, first = 0;
	else
		first = dashes + 1;
	/* words[0, dashes): kernel arguments; words[first, nwords): the app's */
	argc = UK_MIN(nwords - first, UKBOOT_MAX_ARGS);
	for (i = 0; i < argc; i++)
		app_argv[1 + i] = words[first + i];
	app_argv[1 + argc] = NULL;
#if defined(CONFIG_LIBUKLIBPARAM)
	uk_libparam_parse(UK_MIN(dashes, UKBOOT_MAX_ARGS), words);
#else
	if (dashes)
		uk_pr_warn("ignoring %d kernel argument(s): uklibparam is not built in\n",
			   UK_MIN(dashes, UKBOOT_MAX_ARGS));
#endif
	return argc + 1;
}

void __noreturn ukplat_entry(struct ukplat_bootinfo *bi)
{
	const uk_init_func_t *f;
	char **argv;
	int argc, rc;

	/* 1. arguments: kernel parameters are set before any init runs */
	argc = split_args(bi, &argv);

	/* 2. the heap, built from the free memory regions on first use (heap.c) */
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
