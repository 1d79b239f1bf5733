/* SPDX-License-Identifier: BSD-3-Clause */
/* Compiler helpers and basic types shared by every library (no libc needed). */
#ifndef UK_ESSENTIALS_H
#define UK_ESSENTIALS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define __unused        __attribute__((unused))
#define __used          __attribute__((used))
#define __noreturn      __attribute__((noreturn))
#define __weak          __attribute__((weak))
#define __packed        __attribute__((packed))
#define __align(x)      __attribute__((aligned(x)))
#define __section(s)    __attribute__((section(s)))
#define __printf(a, b)  __attribute__((format(printf, a, b)))
/*
 * For the definition of a function that never returns: no stack protector.
 * GCC stores the canary in such a function's frame but never checks it (the
 * check is on the way out), so the store is dead code, and an overflow into
 * this frame can reach only a return address nothing will use. Never for a
 * function that returns.
 */
#define __noreturn_nosp __attribute__((noreturn, no_stack_protector))
#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)

#define UK_ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define UK_ALIGN_UP(v, a)   (((v) + (a) - 1) & ~((__typeof__(v))(a) - 1))
#define UK_ALIGN_DOWN(v, a) ((v) & ~((__typeof__(v))(a) - 1))
#define UK_MIN(a, b)        ((a) < (b) ? (a) : (b))
#define UK_MAX(a, b)        ((a) > (b) ? (a) : (b))
#define UK_STRINGIFY_(x)    #x
#define UK_STRINGIFY(x)     UK_STRINGIFY_(x)
#define UK_CONCAT_(a, b)    a##b
#define UK_CONCAT(a, b)     UK_CONCAT_(a, b)

#define __PAGE_SIZE 4096UL

#endif
