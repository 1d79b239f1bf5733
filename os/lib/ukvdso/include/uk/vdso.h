/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vDSO (lib/ukvdso): a small ELF shared object in the image that a
 * Linux program's libc finds through AT_SYSINFO_EHDR and calls for the
 * time instead of trapping: x86_64 __vdso_clock_gettime, __vdso_gettimeofday,
 * __vdso_time, __vdso_getcpu, __vdso_clock_getres (version LINUX_2.6);
 * arm64 __kernel_clock_gettime, __kernel_gettimeofday,
 * __kernel_clock_getres, __kernel_rt_sigreturn (LINUX_2.6.39).
 */
#ifndef UK_VDSO_H
#define UK_VDSO_H

/* The vDSO's ELF header, where it runs (page-aligned, readable and
 * executable, never writable): the value of AT_SYSINFO_EHDR. Its load
 * bias is this address (it is linked at 0). */
const void *uk_vdso_base(void);

#endif
