/* SPDX-License-Identifier: BSD-3-Clause */
/* procfs's private header: /proc/cpuinfo's generator (cpu.c, per arch). */
#ifndef PROCFS_H
#define PROCFS_H

#include <uk/seqfile.h>

void procfs_gen_cpuinfo(struct uk_seq *s, void *arg);
/* /proc/1/exe, cmdline, environ (self.c): 0 or -E... */
int procfs_init_self(void);

#endif
