/* SPDX-License-Identifier: BSD-3-Clause */
/* posix-process internals shared by identity.c, exit.c and fork.c. */
#ifndef POSIX_PROCESS_IMPL_H
#define POSIX_PROCESS_IMPL_H

#include <uk/essentials.h>

/* Who getpid/getppid say the process is (identity.c). */
void process_set_ids(int pid, int ppid);

/* Puts back argv/envp saved by a fork (exe.c); takes the buffers. */
void process_restore_args(char *cmdline, size_t cmdline_len, char *environ_, size_t environ_len);

#endif
