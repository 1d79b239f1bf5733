/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc: POSIX system data types, with Linux's LP64 sizes. */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef __nolibc_ssize_t
#define __nolibc_ssize_t
typedef long ssize_t;
#endif
#ifndef __nolibc_off_t
#define __nolibc_off_t
typedef long long off_t;
#endif
#ifndef __nolibc_pid_t
#define __nolibc_pid_t
typedef int pid_t;
#endif
#ifndef __nolibc_time_t
#define __nolibc_time_t
typedef long time_t;
#endif
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned long dev_t;
typedef unsigned long ino_t;
typedef unsigned long nlink_t;
typedef long blksize_t;
typedef long long blkcnt_t;
typedef int clockid_t;
typedef unsigned char u_char;
typedef unsigned short u_short;
typedef unsigned int u_int;
typedef unsigned long u_long;

#endif
