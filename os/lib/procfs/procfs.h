/* SPDX-License-Identifier: BSD-3-Clause */
/* procfs's private header: /proc/cpuinfo's generator (cpu.c, per arch). */
#ifndef PROCFS_H
#define PROCFS_H

#include <uk/seqfile.h>

void procfs_gen_cpuinfo(struct uk_seq *s, void *arg);

#endif
