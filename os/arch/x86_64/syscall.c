/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The trapped syscall path's set-up (the entry, syscall.S, calls
 * uk_syscall_trapped() itself):
 * EFER.SCE on, LSTAR = x86_syscall_entry, STAR's syscall selectors = the
 * ring-0 code segment (and data = code + 8, as the GDT has them), FMASK
 * clearing IF, DF, TF, AC, NT and IOPL on entry, as Linux does. Built
 * only with uksyscall on the bare-metal platforms (on linuxu the
 * instruction goes to the host kernel).
 */
#include <uk/essentials.h>
#include <uk/init.h>
#include <x86/cpu.h>

#define X86_EFER_SCE     (1 << 0)
#define X86_MSR_STAR     0xc0000081
#define X86_MSR_LSTAR    0xc0000082
#define X86_MSR_FMASK    0xc0000084
/* TF, IF, DF, IOPL, NT, AC */
#define X86_SYSCALL_FMASK 0x47700UL

void x86_syscall_entry(void);

static int x86_syscall_init(void)
{
	x86_wrmsr(X86_MSR_STAR, (uint64_t)X86_SEL_CODE64 << 32);
	x86_wrmsr(X86_MSR_LSTAR, (uint64_t)(uintptr_t)x86_syscall_entry);
	x86_wrmsr(X86_MSR_FMASK, X86_SYSCALL_FMASK);
	x86_wrmsr(X86_MSR_EFER, x86_rdmsr(X86_MSR_EFER) | X86_EFER_SCE);
	return 0;
}
uk_early_initcall(x86_syscall_init);
