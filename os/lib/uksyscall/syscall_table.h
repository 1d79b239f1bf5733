/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generated dispatch table (syscall_table.c, from syscalls.toml by
 * uniforge/gen/syscall_table.py), private to uksyscall: one entry per
 * syscall number of the architecture being built.
 */
#ifndef UKSYSCALL_TABLE_H
#define UKSYSCALL_TABLE_H

#include <uk/essentials.h>

/* How strace prints an argument or a result (the registry's kinds). */
enum uk_sc_kind {
	UK_SC_D = 0, UK_SC_U, UK_SC_LD, UK_SC_LU, UK_SC_HEX, UK_SC_OCT, UK_SC_PTR,
	UK_SC_STR, UK_SC_FD, UK_SC_DIRFD, UK_SC_OFLAGS, UK_SC_PROT, UK_SC_MFLAGS,
	UK_SC_IBUF, UK_SC_OBUF, UK_SC_IOV,
};

typedef long (*uk_syscall_fn)(long, long, long, long, long, long);

struct uk_syscall_entry {
	uk_syscall_fn fn;          /* NULL: -ENOSYS (no handler, or its library not selected) */
	const char *name;          /* NULL: no syscall has this number */
	const char *lib;           /* the library that provides it; NULL: none */
	unsigned char nargs;
	unsigned char ret;         /* enum uk_sc_kind: D or HEX */
	unsigned char kind[6];     /* enum uk_sc_kind per argument */
	signed char ref[6];        /* IBUF/OBUF/IOV: index of the size / count argument */
};

extern const struct uk_syscall_entry uk_syscall_table[];
extern const unsigned int uk_syscall_table_len;

/* Log "UK-ENOSYS ..." the first time nr is seen; returns -ENOSYS. */
long uksc_enosys(long nr);

#endif
