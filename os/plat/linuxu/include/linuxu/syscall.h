/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: raw Linux system calls (no host libc). x86_64 numbers and the
 * `syscall` instruction ABI: number in rax, arguments in rdi rsi rdx r10 r8
 * r9, result (or -errno) in rax.
 */
#ifndef LINUXU_SYSCALL_H
#define LINUXU_SYSCALL_H

#define LINUXU_SYS_read          0
#define LINUXU_SYS_write         1
#define LINUXU_SYS_open          2
#define LINUXU_SYS_close         3
#define LINUXU_SYS_fstat         5
#define LINUXU_SYS_poll          7
#define LINUXU_SYS_mmap          9
#define LINUXU_SYS_mprotect      10
#define LINUXU_SYS_rt_sigaction  13
#define LINUXU_SYS_rt_sigreturn  15
#define LINUXU_SYS_sigaltstack   131
#define LINUXU_SYS_arch_prctl    158
#define LINUXU_SYS_clock_gettime 228
#define LINUXU_SYS_clock_nanosleep 230
#define LINUXU_SYS_exit_group    231

static inline long linuxu_syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			     : "rcx", "r11", "memory");
	return ret;
}

#define linuxu_syscall1(n, a)       linuxu_syscall6(n, a, 0, 0, 0, 0, 0)
#define linuxu_syscall2(n, a, b)    linuxu_syscall6(n, a, b, 0, 0, 0, 0)
#define linuxu_syscall3(n, a, b, c) linuxu_syscall6(n, a, b, c, 0, 0, 0)

#endif
