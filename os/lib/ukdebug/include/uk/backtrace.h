/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Frame-pointer backtraces (ukdebug). Every library is built with
 * -fno-omit-frame-pointer, so each frame starts with the record
 * { caller's frame pointer, return address } at the address the frame
 * pointer (rbp on x86_64, x29 on arm64) holds.
 */
#ifndef UK_BACKTRACE_H
#define UK_BACKTRACE_H

#include <uk/essentials.h>

#define UK_BACKTRACE_MAX 32           /* frames a crash report shows */
#define UK_BACKTRACE_MAX_FRAME 0x10000 /* largest step between two frames */

/*
 * Walks the frame records from fp and stores up to max return addresses in
 * pcs (innermost first). Stops without faulting at a NULL, misaligned or
 * non-increasing frame pointer, a step larger than UK_BACKTRACE_MAX_FRAME, or
 * a zero return address. Returns the number of addresses stored.
 */
int uk_backtrace_walk(uintptr_t fp, uintptr_t *pcs, int max);

/* The current function's frame pointer (a starting point for the walk). */
#define uk_backtrace_fp() ((uintptr_t)__builtin_frame_address(0))

#endif
