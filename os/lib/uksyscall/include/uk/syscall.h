/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall layer (lib/uksyscall).
 *
 * A syscall NAME is a plain typed function `long uk_sys_NAME(...)` defined
 * by the library the registry (syscalls.toml) names; its prototype comes
 * from the generated <uk/syscall_protos.h>, included here, so a handler's
 * file includes this header and the compiler checks it. Handlers return
 * the result (>= 0) or -E... (uk/errno.h), and check every argument before
 * changing any state.
 *
 *   long r = uk_syscall(UK_NR_getppid, 0, 0, 0, 0, 0, 0);   // native, no trap
 *
 * Two ways in, one table: uk_syscall() (the native path, what a libc's
 * syscall wrappers call) and the trapped entries (x86_64 `syscall`, arm64
 * `svc #0`), which call uk_syscall() with the registers.
 */
#ifndef UK_SYSCALL_H
#define UK_SYSCALL_H

#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/syscall_protos.h>

/*
 * Call syscall nr of the architecture being built with up to six
 * arguments (unused ones are ignored). Returns the handler's result, or
 * -ENOSYS when no selected library provides the syscall (or nr is not a
 * syscall number): that is logged once per number as the console line
 *   UK-ENOSYS nr=<nr> name=<name> lib=<library that would provide it, or ->
 * and never crashes. With uksyscall.strace=1 each call is also printed.
 */
long uk_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5);

/* The name of syscall nr on this architecture, NULL if there is none. */
const char *uk_syscall_name(long nr);

struct __regs;

/*
 * The trapped entries' way in (os/arch/x86_64/syscall.c,
 * os/arch/arm64/syscall.c): uk_syscall() with regs, the caller's saved
 * registers, made available to the handler through uk_syscall_regs().
 */
long uk_syscall_trapped(struct __regs *regs, long nr, long a0, long a1, long a2, long a3,
			long a4, long a5);

/*
 * The register frame of the trapped syscall the calling thread is in (a
 * handler may read and change it: the caller resumes with the frame's
 * registers, e.g. clone's child, signal delivery), NULL on the native
 * path. Per thread.
 */
struct __regs *uk_syscall_regs(void);

#endif
