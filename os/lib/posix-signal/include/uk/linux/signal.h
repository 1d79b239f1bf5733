/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's signal ABI (include/uapi/asm-generic/signal*.h,
 * arch/x86/include/uapi/asm/sig*.h, arch/arm64/include/uapi/asm/sig*.h,
 * include/uapi/asm-generic/siginfo.h, the rt_sigframe of
 * arch/<arch>/kernel/signal.c): numbers, sigaction flags, the kernel's
 * struct sigaction, stack_t, siginfo and the ucontext a SA_SIGINFO
 * handler gets, laid out as on x86_64 and arm64.
 */
#ifndef UK_LINUX_SIGNAL_H
#define UK_LINUX_SIGNAL_H

#include <uk/essentials.h>

#define UK_SIGHUP    1
#define UK_SIGINT    2
#define UK_SIGQUIT   3
#define UK_SIGILL    4
#define UK_SIGTRAP   5
#define UK_SIGABRT   6
#define UK_SIGBUS    7
#define UK_SIGFPE    8
#define UK_SIGKILL   9
#define UK_SIGUSR1   10
#define UK_SIGSEGV   11
#define UK_SIGUSR2   12
#define UK_SIGPIPE   13
#define UK_SIGALRM   14
#define UK_SIGTERM   15
#define UK_SIGSTKFLT 16
#define UK_SIGCHLD   17
#define UK_SIGCONT   18
#define UK_SIGSTOP   19
#define UK_SIGTSTP   20
#define UK_SIGTTIN   21
#define UK_SIGTTOU   22
#define UK_SIGURG    23
#define UK_SIGXCPU   24
#define UK_SIGXFSZ   25
#define UK_SIGVTALRM 26
#define UK_SIGPROF   27
#define UK_SIGWINCH  28
#define UK_SIGIO     29
#define UK_SIGPWR    30
#define UK_SIGSYS    31
#define UK_NSIG      64
#define UK_SIGBIT(sig) (1UL << ((sig) - 1))

#define UK_SIG_DFL ((unsigned long)0)
#define UK_SIG_IGN ((unsigned long)1)

#define UK_SA_NOCLDSTOP 0x00000001
#define UK_SA_NOCLDWAIT 0x00000002
#define UK_SA_SIGINFO   0x00000004
#define UK_SA_RESTORER  0x04000000
#define UK_SA_ONSTACK   0x08000000
#define UK_SA_RESTART   0x10000000
#define UK_SA_NODEFER   0x40000000
#define UK_SA_RESETHAND 0x80000000

#define UK_SIG_BLOCK   0
#define UK_SIG_UNBLOCK 1
#define UK_SIG_SETMASK 2

#define UK_SS_ONSTACK    1
#define UK_SS_DISABLE    2
#define UK_SS_AUTODISARM (1U << 31)
#if defined(__x86_64__)
#define UK_MINSIGSTKSZ 2048
#else
#define UK_MINSIGSTKSZ 5120
#endif

/* si_code values */
#define UK_SI_USER     0
#define UK_SI_TKILL    (-6)
#define UK_SEGV_MAPERR 1
#define UK_SEGV_ACCERR 2

/* The kernel's struct sigaction (rt_sigaction(2)): the same on both. */
struct uk_sigaction {
	unsigned long sa_handler;       /* SIG_DFL, SIG_IGN or a function */
	unsigned long sa_flags;
	unsigned long sa_restorer;
	unsigned long sa_mask;
};

struct uk_sigaltstack {
	void *ss_sp;
	int ss_flags;
	unsigned long ss_size;
};

/* 128 bytes; the fields the kill and fault paths fill. */
struct uk_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad;
	union {
		struct {
			int si_pid;
			unsigned int si_uid;
		} kill;
		void *si_addr;
		char __size[128 - 16];
	} u;
};

#if defined(__x86_64__)
/* struct sigcontext_64 (glibc/musl: mcontext_t, gregs[REG_R8..REG_CR2]) */
struct uk_mcontext {
	unsigned long r8, r9, r10, r11, r12, r13, r14, r15;
	unsigned long rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	unsigned short cs, gs, fs, ss;
	unsigned long err, trapno, oldmask, cr2;
	void *fpstate;                  /* 512-byte fxsave area, in the frame */
	unsigned long reserved1[8];
};

struct uk_ucontext {
	unsigned long uc_flags;
	struct uk_ucontext *uc_link;
	struct uk_sigaltstack uc_stack;
	struct uk_mcontext uc_mcontext;
	unsigned long uc_sigmask;
};
#else
#define UK_FPSIMD_MAGIC 0x46508001

struct uk_fpsimd_context {
	unsigned int magic;             /* UK_FPSIMD_MAGIC */
	unsigned int size;              /* sizeof(struct uk_fpsimd_context) */
	unsigned int fpsr;
	unsigned int fpcr;
	__uint128_t vregs[32];
};

/* struct sigcontext: __reserved holds the fpsimd record, then a 0 header */
struct uk_mcontext {
	unsigned long fault_address;
	unsigned long regs[31];
	unsigned long sp;
	unsigned long pc;
	unsigned long pstate;
	unsigned char __reserved[4096] __attribute__((aligned(16)));
};

struct uk_ucontext {
	unsigned long uc_flags;
	struct uk_ucontext *uc_link;
	struct uk_sigaltstack uc_stack;
	unsigned long uc_sigmask;
	unsigned char __sigmask_pad[128 - sizeof(unsigned long)];
	struct uk_mcontext uc_mcontext;
};
#endif

#endif
