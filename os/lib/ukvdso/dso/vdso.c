/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vDSO's functions (built into vdso.so, position independent, no
 * relocations, no data: it runs where embed.S put it, read-only). Each one
 * calls the kernel's implementation of the syscall of the same name
 * through the vvar table (../vvar.h), found at a fixed offset from the
 * vDSO's own ELF header: a plain call in the caller's context (ring 0 /
 * EL1, one address space), so no trap, no syscall dispatch and no strace
 * line. Results are the syscall's: >= 0, or -errno (what glibc and musl
 * expect from a vDSO). Without a table entry the real syscall instruction
 * is issued instead.
 *
 * x86_64 exports (LINUX_2.6, dso/x86_64.map): __vdso_clock_gettime,
 * __vdso_gettimeofday, __vdso_time, __vdso_getcpu, __vdso_clock_getres and
 * the weak aliases without the prefix, as Linux's. arm64 (LINUX_2.6.39,
 * dso/arm64.map): __kernel_clock_gettime, __kernel_gettimeofday,
 * __kernel_clock_getres (and __kernel_rt_sigreturn, sigreturn_arm64.S).
 */
#include "../vvar.h"

#define EXPORT __attribute__((visibility("default")))

#if defined(__x86_64__)
#define NR_gettimeofday   96
#define NR_time           201
#define NR_clock_gettime  228
#define NR_clock_getres   229

static inline long sys2(long nr, long a, long b)
{
	long r;

	__asm__ __volatile__("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
}
#elif defined(__aarch64__)
#define NR_clock_gettime  113
#define NR_clock_getres   114
#define NR_gettimeofday   169

static inline long sys2(long nr, long a, long b)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;

	__asm__ __volatile__("svc #0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	return x0;
}
#endif

/* The ELF header of this object, where it runs (the linker's symbol). */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));

static const struct uk_vdso_vvar *vvar(void)
{
	const char *base = __ehdr_start;

	/* the table is outside this object: hide the arithmetic from the
	 * compiler, which knows nothing lives past the image */
	__asm__("" : "+r"(base));
	base += UK_VDSO_VVAR_OFFSET;
	return ((const struct uk_vdso_vvar *)base)->magic == UK_VDSO_MAGIC
		? (const struct uk_vdso_vvar *)base : 0;
}

static long do_clock_gettime(int clk, void *ts)
{
	const struct uk_vdso_vvar *v = vvar();

	return v && v->clock_gettime ? v->clock_gettime(clk, ts) : sys2(NR_clock_gettime, clk, (long)ts);
}

static long do_gettimeofday(void *tv, void *tz)
{
	const struct uk_vdso_vvar *v = vvar();

	return v && v->gettimeofday ? v->gettimeofday(tv, tz) : sys2(NR_gettimeofday, (long)tv, (long)tz);
}

static long do_clock_getres(int clk, void *res)
{
	const struct uk_vdso_vvar *v = vvar();

	return v && v->clock_getres ? v->clock_getres(clk, res) : sys2(NR_clock_getres, clk, (long)res);
}

#if defined(__x86_64__)
EXPORT int __vdso_clock_gettime(int clk, void *ts)
{
	return (int)do_clock_gettime(clk, ts);
}

EXPORT int __vdso_gettimeofday(void *tv, void *tz)
{
	return (int)do_gettimeofday(tv, tz);
}

EXPORT long __vdso_time(long *t)
{
	const struct uk_vdso_vvar *v = vvar();

	return v && v->time ? v->time(t) : sys2(NR_time, (long)t, 0);
}

/* One CPU, one NUMA node (the kernel runs on the boot CPU only). */
EXPORT long __vdso_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	if (cpu)
		*cpu = 0;
	if (node)
		*node = 0;
	return 0;
}

EXPORT int __vdso_clock_getres(int clk, void *res)
{
	return (int)do_clock_getres(clk, res);
}

EXPORT int clock_gettime(int, void *) __attribute__((weak, alias("__vdso_clock_gettime")));
EXPORT int gettimeofday(void *, void *) __attribute__((weak, alias("__vdso_gettimeofday")));
EXPORT long time(long *) __attribute__((weak, alias("__vdso_time")));
EXPORT long getcpu(unsigned int *, unsigned int *, void *) __attribute__((weak, alias("__vdso_getcpu")));
EXPORT int clock_getres(int, void *) __attribute__((weak, alias("__vdso_clock_getres")));
#elif defined(__aarch64__)
EXPORT int __kernel_clock_gettime(int clk, void *ts)
{
	return (int)do_clock_gettime(clk, ts);
}

EXPORT int __kernel_gettimeofday(void *tv, void *tz)
{
	return (int)do_gettimeofday(tv, tz);
}

EXPORT int __kernel_clock_getres(int clk, void *res)
{
	return (int)do_clock_getres(clk, res);
}
#endif
