/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lwIP's compiler/platform header for uniforge (lwIP: "arch/cc.h").
 *
 * Only the freestanding headers (stddef.h, stdint.h, limits.h) and uk/
 * headers are used, so lwIP builds with nolibc or musl alike. Diagnostics
 * go to the kernel console; a failed lwIP assertion (a bug, never bad
 * input: lwIP checks packets with ordinary code) is a kernel crash report.
 */
#ifndef UK_LWIP_ARCH_CC_H
#define UK_LWIP_ARCH_CC_H

#include <uk/essentials.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define BYTE_ORDER LITTLE_ENDIAN
#else
#define BYTE_ORDER BIG_ENDIAN
#endif

/* No <inttypes.h> in a kernel unit: the printf formats, for LP64. */
#define LWIP_NO_INTTYPES_H 1
#define X8_F  "02x"
#define U16_F "hu"
#define S16_F "hd"
#define X16_F "hx"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* ssize_t as Linux's LP64 one (a repeated identical typedef is valid
 * C11, so a libc header defining it too is fine); no <unistd.h> probe. */
#include <limits.h>
#define LWIP_NO_UNISTD_H 1
typedef long ssize_t;
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* lwIP's own ctype replacements (lwip_isdigit...): no <ctype.h>. */
#define LWIP_NO_CTYPE_H 1

void uk_printk(const char *fmt, ...) __printf(1, 2);
void uk_lwip_assert_fail(const char *msg, const char *file, int line) __noreturn;
unsigned int uk_lwip_rand(void);

#define LWIP_PLATFORM_DIAG(x) do { uk_printk x; } while (0)
#define LWIP_PLATFORM_ASSERT(x) uk_lwip_assert_fail(x, __FILE__, __LINE__)
#define LWIP_RAND() ((u32_t)uk_lwip_rand())

#endif
