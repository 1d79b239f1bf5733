/* SPDX-License-Identifier: BSD-3-Clause */
/* posix-process internals shared by identity.c, exit.c and fork.c. */
#ifndef POSIX_PROCESS_IMPL_H
#define POSIX_PROCESS_IMPL_H

/* Who getpid/getppid say the process is (identity.c). */
void process_set_ids(int pid, int ppid);

#endif
