/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * posix-process's kernel-side API: the running program (what
 * /proc/self/exe names) and, for fork, who the process currently is.
 */
#ifndef UK_PROCESS_H
#define UK_PROCESS_H

#include <uk/essentials.h>

/*
 * execve's teardown (ukelfload calls it as the new program starts, and its
 * main for the first one): records path, made absolute against the cwd, as
 * the running program's. 0, -ENAMETOOLONG (over 4095 bytes: the old one
 * stays), -EINVAL (NULL or empty).
 */
int uk_process_set_exe(const char *path);
/* The running program's absolute path; "" before any exec. Never NULL. */
const char *uk_process_exe(void);

/*
 * The running program's argv and envp as the kernel last saw them (at
 * exec), NUL-separated, for /proc/self/cmdline and /proc/self/environ:
 * copies up to n bytes into buf and returns the full length (may be > n).
 */
size_t uk_process_cmdline(char *buf, size_t n);
size_t uk_process_environ(char *buf, size_t n);
/* Records argv/envp (NULL-terminated, kernel pointers) for the two above:
 * 0 or -ENOMEM (the old ones stay). ukelfload calls it with uk_process_set_exe. */
int uk_process_set_args(char *const argv[], char *const envp[]);

/* The calling process's pid and parent pid (1 and 0, or a fork's child's). */
int uk_process_pid(void);
int uk_process_ppid(void);


/*
 * fork in one address space (fork.c; ARCHITECTURE.md "Processes"):
 * uk_process_clone() is clone(2) for a new process (no CLONE_THREAD:
 * fork, vfork, CLONE_VM|CLONE_VFORK, with or without a new stack; the
 * arguments in x86_64's order), called by posix-thread's clone and by
 * fork/vfork. The parent is suspended until the child ends. Returns the
 * child's pid in the parent, 0 in the child, -ENOSYS (no trapped frame, no
 * posix-mmap), -ENOMEM, -EINVAL (flags that share more than memory).
 */
long uk_process_clone(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
		      unsigned long tls);
/* Whether the caller runs in a fork's child. */
bool uk_process_in_child(void);
/* Ends the running child with the wait status (exit code << 8, or the
 * signal number) and resumes its parent. Only when uk_process_in_child(). */
void uk_process_child_exit(int wstatus) __noreturn;
/* gettid's answer for the uksched thread tid (the child's pid for the
 * forking thread while a child runs). */
int uk_process_tid(int tid);
/* A signal (0: just the check) for another process: a suspended ancestor
 * gets it pending, delivered when it resumes; a zombie ignores it. 0 or
 * -ESRCH (no such process). posix-signal's kill calls it. */
int uk_process_signal_other(int pid, int sig);
/* execve's hooks (exec.c): before the point of no return (0 or -ENOMEM:
 * a CLONE_VM child's parent memory is saved), and after a failed exec. */
int uk_process_before_exec(void);
void uk_process_exec_failed(void);

#endif
