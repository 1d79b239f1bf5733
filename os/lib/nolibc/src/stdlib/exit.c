/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Program termination. exit() -- and so a return from main(), which ukboot
 * turns into exit() -- runs the atexit handlers (last registered first),
 * then the .fini_array (last entry first), then ukboot's terminators, and
 * halts with the status: the order of glibc and musl (all atexit handlers,
 * also those registered by constructors, before any .fini_array entry).
 * _Exit() halts at once; abort() is a crash (report, backtrace, status 255).
 */
#include <stdlib.h>
#include <uk/plat.h>
#include <uk/assert.h>
#if defined(CONFIG_LIBUKBOOT)
#include <uk/boot.h>
#endif

#define ATEXIT_MAX 32

static void (*handlers[ATEXIT_MAX])(void);
static int nhandlers;

int atexit(void (*fn)(void))
{
	if (nhandlers == ATEXIT_MAX)
		return -1;
	handlers[nhandlers++] = fn;
	return 0;
}

void exit(int status)
{
	while (nhandlers > 0)
		handlers[--nhandlers]();
#if defined(CONFIG_LIBUKBOOT)
	ukboot_run_fini();
	ukboot_shutdown(status);
#else
	ukplat_halt(status & 0xff);
#endif
}

void _Exit(int status)
{
	ukplat_halt(status & 0xff);
}

void abort(void)
{
	uk_crash("abort() called", NULL);
}
