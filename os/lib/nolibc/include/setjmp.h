/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: setjmp/longjmp (src/setjmp/<arch>.S). Saves the callee-saved
 * registers, the stack pointer and the return address; no signal mask.
 */
#ifndef _SETJMP_H
#define _SETJMP_H

#ifdef __cplusplus
extern "C" {
#endif

/* x86_64 uses 8 slots, arm64 22 (x19-x30, sp, d8-d15). */
typedef unsigned long jmp_buf[22];

int setjmp(jmp_buf env) __attribute__((__returns_twice__));
void longjmp(jmp_buf env, int val) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif
