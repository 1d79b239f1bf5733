/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Kernel messages: uk_pr_crit/err/warn/info/debug(fmt, ...). Implemented by
 * ukdebug (lib/ukdebug/print.c); without ukdebug, or below the level chosen
 * in Kconfig (LIBUKDEBUG_PRINT_LEVEL), a call compiles to nothing.
 */
#ifndef UK_PRINT_H
#define UK_PRINT_H

#include <uk/essentials.h>
#include <stdarg.h>

#define UK_PRINT_CRIT  1
#define UK_PRINT_ERR   2
#define UK_PRINT_WARN  3
#define UK_PRINT_INFO  4
#define UK_PRINT_DEBUG 5

#if defined(CONFIG_LIBUKDEBUG)
#define UK_PRINT_LEVEL CONFIG_LIBUKDEBUG_PRINT_LEVEL
void _uk_printk(int lvl, const char *libname, const char *fmt, ...) __printf(3, 4);
void uk_vprintk(const char *fmt, va_list ap);
void uk_printk(const char *fmt, ...) __printf(1, 2);
#else
#define UK_PRINT_LEVEL 0
static inline void __printf(3, 4)
_uk_printk(int lvl __unused, const char *l __unused, const char *f __unused, ...) {}
static inline void __printf(1, 2) uk_printk(const char *f __unused, ...) {}
#endif

#ifndef __LIBNAME__
#define __LIBNAME__ "?"
#endif

#define uk_pr(lvl, ...) do {                                             \
	if ((lvl) <= UK_PRINT_LEVEL) _uk_printk(lvl, __LIBNAME__, __VA_ARGS__); \
} while (0)
#define uk_pr_crit(...)  uk_pr(UK_PRINT_CRIT, __VA_ARGS__)
#define uk_pr_err(...)   uk_pr(UK_PRINT_ERR, __VA_ARGS__)
#define uk_pr_warn(...)  uk_pr(UK_PRINT_WARN, __VA_ARGS__)
#define uk_pr_info(...)  uk_pr(UK_PRINT_INFO, __VA_ARGS__)
#define uk_pr_debug(...) uk_pr(UK_PRINT_DEBUG, __VA_ARGS__)

#endif
