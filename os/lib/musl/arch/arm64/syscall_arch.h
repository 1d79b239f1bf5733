/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * musl's per-architecture syscall entry, ours (it comes before musl's own
 * arch/ARCH/syscall_arch.h in the include path): every __syscallN is a
 * plain call to the kernel's native entry uk_syscall() (lib/uksyscall,
 * ARCHITECTURE.md "Syscalls"), which returns the result or -errno exactly as
 * the trapped instruction would. No trap, no register convention: the
 * compiler sees an ordinary call. Code that issues the instruction itself
 * (musl's clone, vfork, sigreturn, cancellable-syscall asm) reaches the same
 * table through the trapped entry.
 *
 * No VDSO_USEFUL: there is no vDSO to look up; clock_gettime is this same
 * call (the handler reads the clock without a trap).
 */
long uk_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

#define __SYSCALL_LL_E(x) (x)
#define __SYSCALL_LL_O(x) (x)

static __inline long __syscall0(long n)
{
	return uk_syscall(n, 0, 0, 0, 0, 0, 0);
}

static __inline long __syscall1(long n, long a)
{
	return uk_syscall(n, a, 0, 0, 0, 0, 0);
}

static __inline long __syscall2(long n, long a, long b)
{
	return uk_syscall(n, a, b, 0, 0, 0, 0);
}

static __inline long __syscall3(long n, long a, long b, long c)
{
	return uk_syscall(n, a, b, c, 0, 0, 0);
}

static __inline long __syscall4(long n, long a, long b, long c, long d)
{
	return uk_syscall(n, a, b, c, d, 0, 0);
}

static __inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	return uk_syscall(n, a, b, c, d, e, 0);
}

static __inline long __syscall6(long n, long a, long b, long c, long d, long e, long f)
{
	return uk_syscall(n, a, b, c, d, e, f);
}

#define IPC_64 0
