/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vvar table: how the vDSO reaches the kernel's clock without a trap.
 * Everything runs in one address space at ring 0 / EL1, so the vDSO calls
 * the kernel's own syscall implementations (posix-time's uk_sys_*),
 * through a table of function pointers that embed.S puts right after the
 * vDSO image, at UK_VDSO_VVAR_OFFSET from its ELF header, and that the
 * linker fills (the addresses are link-time constants: no boot-time
 * write, so the table stays read-only with the image). A NULL entry (the
 * image has no posix-time) makes the vDSO issue the real syscall
 * instruction, as Linux's vDSO falls back for clocks it cannot serve.
 * Shared by embed.S (the kernel side) and dso/vdso.c (the vDSO).
 */
#ifndef UKVDSO_VVAR_H
#define UKVDSO_VVAR_H

/* The vDSO image's largest size: embed.S fails to assemble (.org
 * backwards) if vdso.so outgrows it. */
#define UK_VDSO_VVAR_OFFSET 0x1000
#define UK_VDSO_MAGIC 0x7672617620736b75        /* "uks vvar" */

#define UK_VDSO_VVAR_MAGIC         0
#define UK_VDSO_VVAR_CLOCK_GETTIME 8
#define UK_VDSO_VVAR_GETTIMEOFDAY  16
#define UK_VDSO_VVAR_TIME          24
#define UK_VDSO_VVAR_CLOCK_GETRES  32

#ifndef __ASSEMBLER__
/* Each entry: the kernel function of the syscall of the same name, with
 * its arguments and its result (>= 0, or -errno). */
struct uk_vdso_vvar {
	unsigned long magic;
	long (*clock_gettime)(int clk, void *ts);
	long (*gettimeofday)(void *tv, void *tz);
	long (*time)(long *t);
	long (*clock_getres)(int clk, void *res);
};

_Static_assert(__builtin_offsetof(struct uk_vdso_vvar, clock_gettime) == UK_VDSO_VVAR_CLOCK_GETTIME, "vvar");
_Static_assert(__builtin_offsetof(struct uk_vdso_vvar, gettimeofday) == UK_VDSO_VVAR_GETTIMEOFDAY, "vvar");
_Static_assert(__builtin_offsetof(struct uk_vdso_vvar, time) == UK_VDSO_VVAR_TIME, "vvar");
_Static_assert(__builtin_offsetof(struct uk_vdso_vvar, clock_getres) == UK_VDSO_VVAR_CLOCK_GETRES, "vvar");
#endif

#endif
