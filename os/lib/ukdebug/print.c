/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel messages (os/include/uk/print.h). Formatting goes through ukdebug's
 * own formatter into a buffer on the stack that is flushed to the platform
 * console whenever it fills up: no libc, no heap, no length limit.
 *
 *   uk_pr_warn("no memory for the heap\n");  ->  "[warn] ukboot: no memory for the heap"
 *
 * With uklibparam, the kernel argument ukdebug.level=N (1 crit .. 5 debug)
 * silences the uk_pr_* messages above N at run time. It cannot bring back
 * messages above CONFIG_LIBUKDEBUG_PRINT_LEVEL: those are not compiled in.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/print.h>
#if defined(CONFIG_LIBUKLIBPARAM)
#include <uk/libparam.h>
#endif
#include "format.h"

#define PRINTK_BUF 128

static int level = CONFIG_LIBUKDEBUG_PRINT_LEVEL;
#if defined(CONFIG_LIBUKLIBPARAM)
UK_LIB_PARAM(level, int);
#endif

static void vprintk(const char *fmt, va_list *ap)
{
	char buf[PRINTK_BUF];
	struct ukd_out o = { .buf = buf, .size = sizeof(buf), .flush = ukplat_cout };

	ukd_vformat(&o, fmt, ap);
	if (o.pos)
		ukplat_cout(buf, o.pos);
}

void uk_vprintk(const char *fmt, va_list ap)
{
	va_list cp;

	va_copy(cp, ap);
	vprintk(fmt, &cp);
	va_end(cp);
}

void uk_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, &ap);
	va_end(ap);
}

static const char *const level_names[] = {
	[UK_PRINT_CRIT] = "crit", [UK_PRINT_ERR] = "err", [UK_PRINT_WARN] = "warn",
	[UK_PRINT_INFO] = "info", [UK_PRINT_DEBUG] = "debug",
};

void _uk_printk(int lvl, const char *libname, const char *fmt, ...)
{
	va_list ap;

	if (lvl > level)
		return;
	uk_printk("[%s] %s: ",
		  lvl >= UK_PRINT_CRIT && lvl <= UK_PRINT_DEBUG ? level_names[lvl] : "?",
		  libname ? libname : "?");
	va_start(ap, fmt);
	vprintk(fmt, &ap);
	va_end(ap);
}
