/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's fixed-width ABI types (include/uapi/asm-generic/int-ll64.h and
 * posix_types.h) for the uk/linux/<topic>.h headers, prefixed uk_/UK_ so
 * they never clash with a libc's. The same on x86_64 and arm64, except
 * where noted.
 */
#ifndef UK_LINUX_TYPES_H
#define UK_LINUX_TYPES_H

typedef signed char        uk_s8;
typedef unsigned char      uk_u8;
typedef short              uk_s16;
typedef unsigned short     uk_u16;
typedef int                uk_s32;
typedef unsigned int       uk_u32;
typedef long long          uk_s64;
typedef unsigned long long uk_u64;

typedef long               uk_kernel_long_t;
typedef unsigned long      uk_kernel_ulong_t;
typedef int                uk_pid_t;
typedef unsigned int       uk_uid_t;
typedef unsigned int       uk_gid_t;
typedef unsigned int       uk_mode_t;     /* umode_t is 16-bit in the kernel; syscalls take an int */
typedef long               uk_off_t;
typedef long long          uk_loff_t;
typedef unsigned long      uk_size_t;
typedef long               uk_ssize_t;
typedef long               uk_time_t;
typedef long               uk_suseconds_t;
typedef int                uk_clockid_t;
typedef unsigned long      uk_ino_t;
#if defined(__aarch64__)
typedef unsigned int       uk_nlink_t;    /* asm-generic stat: 32-bit st_nlink */
#else
typedef unsigned long      uk_nlink_t;    /* x86_64 stat: 64-bit st_nlink */
#endif
typedef unsigned long      uk_dev_t;

/* The first argument the kernel's *at() calls take for "the cwd". */
#define UK_AT_FDCWD (-100)

#endif
