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

#endif
