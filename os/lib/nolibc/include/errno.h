/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: errno. The error numbers themselves are the kernel's
 * (<uk/errno.h>, Linux's values), so a kernel function's -E... return and
 * errno mean the same thing; this header adds only the variable, which is
 * thread-local: each thread's TLS block (lib/uktls) has its own.
 */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <uk/errno.h>

#ifdef __cplusplus
extern "C" {
#endif

extern __thread int errno;

#ifdef __cplusplus
}
#endif

#endif
