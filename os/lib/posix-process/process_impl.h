/* SPDX-License-Identifier: BSD-3-Clause */
/* posix-process internals shared by identity.c, exit.c and fork.c. */
#ifndef POSIX_PROCESS_IMPL_H
#define POSIX_PROCESS_IMPL_H

#include <uk/essentials.h>

/* Who getpid/getppid say the process is (identity.c). */
void process_set_ids(int pid, int ppid);

/* Puts back argv/envp saved by a fork (exe.c); takes the buffers. */
void process_restore_args(char *cmdline, size_t cmdline_len, char *environ_, size_t environ_len);

/* execve's argv/envp (kernel-readable pointers), kept until
 * uk_process_set_exe() makes them the running program's (exe.c): 0 or
 * -ENOMEM; unstage: a failed exec drops them. */
int process_stage_args(char *const argv[], char *const envp[]);
void process_unstage_args(void);
/* Makes the 24 KiB of the caller's stack below it present (fork.c): for
 * handlers that go deep on a demand-paged program stack. */
void process_probe_stack(void);

#endif
