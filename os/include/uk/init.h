/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Init and terminator tables. A library registers a function with
 * uk_initcall(fn, CLASS, PRIO); the linker script collects the entries into
 * one table sorted by section name, so classes run in order 1..6 and, within a
 * class, priorities 0..9. ukboot (lib/ukboot/boot.c) walks the table before
 * main() and the terminator table in reverse at shutdown.
 *
 * An init function returns 0 or a negative errno; a failure stops the boot.
 */
#ifndef UK_INIT_H
#define UK_INIT_H

#include <uk/essentials.h>

typedef int (*uk_init_func_t)(void);
typedef void (*uk_term_func_t)(void);

/* Classes, in boot order. */
#define UK_INIT_CLASS_EARLY  1   /* before memory: arch, console */
#define UK_INIT_CLASS_PLAT   2   /* platform devices */
#define UK_INIT_CLASS_LIB    3   /* core libraries (alloc users, time) */
#define UK_INIT_CLASS_ROOTFS 4
#define UK_INIT_CLASS_SYS    5
#define UK_INIT_CLASS_LATE   6   /* tests run here */

#define __uk_initcall(fn, cls, prio)                                         \
	static const uk_init_func_t __used                                    \
	__section(".uk_inittab_" UK_STRINGIFY(cls) UK_STRINGIFY(prio))        \
	UK_CONCAT(__uk_inittab_, fn) = (fn)
#define uk_initcall(fn, cls, prio) __uk_initcall(fn, cls, prio)

#define uk_early_initcall(fn) uk_initcall(fn, 1, 5)
#define uk_plat_initcall(fn)  uk_initcall(fn, 2, 5)
#define uk_lib_initcall(fn)   uk_initcall(fn, 3, 5)
#define uk_sys_initcall(fn)   uk_initcall(fn, 5, 5)
#define uk_late_initcall(fn)  uk_initcall(fn, 6, 5)

#define uk_termcall(fn)                                                      \
	static const uk_term_func_t __used __section(".uk_termtab")           \
	UK_CONCAT(__uk_termtab_, fn) = (fn)

/* Table bounds, defined by every platform's linker script. */
extern const uk_init_func_t uk_inittab_start[], uk_inittab_end[];
extern const uk_term_func_t uk_termtab_start[], uk_termtab_end[];

#endif
