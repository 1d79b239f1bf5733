/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: assert(). A failure stops the guest through uk_crash() with the
 * expression, file and line (and a backtrace where ukdebug is built in).
 * No include guard: the standard lets NDEBUG change between inclusions.
 */
#undef assert
#ifdef NDEBUG
#define assert(x) ((void)0)
#else
#define assert(x) ((void)((x) || (__assert_fail(#x, __FILE__, __LINE__, __func__), 0)))
#endif

#ifndef _ASSERT_H
#define _ASSERT_H

#ifdef __cplusplus
extern "C" {
#endif

void __assert_fail(const char *expr, const char *file, int line, const char *func)
	__attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#if !defined(__cplusplus) && defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L \
	&& __STDC_VERSION__ < 202311L
#define static_assert _Static_assert
#endif

#endif
