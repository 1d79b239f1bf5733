/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukelfload: runs a Linux ELF executable from the root file system in this
 * kernel's one address space (ring 0 / EL1), entering the kernel through
 * the trapped syscall path. Static and dynamic (PT_INTERP: glibc's and
 * musl's ld.so), PIE or at a fixed address (the fixed window of
 * posix-mmap, kept free by ukboot.reserve=). README.md says more.
 */
#ifndef UK_ELFLOAD_H
#define UK_ELFLOAD_H

#include <uk/essentials.h>

/*
 * Replaces the running program by the ELF executable at path (a path in
 * the VFS, relative to the cwd), with argv and envp (NULL-terminated; they
 * may live in the old program's memory: they are copied).
 *
 * First it checks the file and its interpreter and returns, with the old
 * program intact: -ENOENT (no such file, or a missing interpreter),
 * -EACCES (not a regular file, no execute permission), -ENOEXEC (not a
 * valid ELF executable for this machine; uk_elfload_why() says what is
 * wrong), -ENOMEM, -E2BIG (arguments over 2 MiB), -EFAULT (argv/envp).
 *
 * Past that point of no return it never returns: it switches to the
 * kernel stack of ukelfload's main thread, tears the old program down
 * (uk_mmap_exec_reset, uk_fdtab_exec, uk_signal_exec_reset,
 * uk_process_set_exe + uk_process_set_args, each when its library is in
 * the image), maps the
 * new one, builds its initial stack and jumps to its entry (its
 * interpreter's). A failure then ends the guest with one console line
 * "ukelfload: <path>: <what>" and status 127 (Linux sends SIGKILL).
 *
 * Called from ukelfload's main for the first program, and by the execve
 * syscall (posix-process) for the next ones, on the main thread.
 */
int uk_elfload_exec(const char *path, char *const argv[], char *const envp[]);

/* What was wrong with the file of the last failed uk_elfload_exec, as a
 * phrase for "ukelfload: <path>: <why>" (e.g. "program header 3 (PT_LOAD):
 * extends past the end of the file", "interpreter
 * /lib64/ld-linux-x86-64.so.2: no such file"). */
const char *uk_elfload_why(void);

#endif
