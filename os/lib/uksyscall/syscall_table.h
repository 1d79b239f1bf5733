/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generated dispatch table (syscall_table.c, from syscalls.toml by
 * uniforge/gen/syscall_table.py), private to uksyscall: arrays indexed by
 * the syscall numbers of the architecture being built (split so that the
 * dispatcher touches one 8-byte word per call and the names cost what
 * their letters do).
 */
#ifndef UKSYSCALL_TABLE_H
#define UKSYSCALL_TABLE_H

#include <uk/essentials.h>

/* How strace prints an argument or a result (the registry's kinds; at
 * most 16: they are packed in 4 bits). */
enum uk_sc_kind {
	UK_SC_D = 0, UK_SC_U, UK_SC_LD, UK_SC_LU, UK_SC_HEX, UK_SC_OCT, UK_SC_PTR,
	UK_SC_STR, UK_SC_FD, UK_SC_DIRFD, UK_SC_OFLAGS, UK_SC_PROT, UK_SC_MFLAGS,
	UK_SC_IBUF, UK_SC_OBUF, UK_SC_IOV,
};

typedef long (*uk_syscall_fn)(long, long, long, long, long, long);

/* Parallel arrays, uk_syscall_table_len entries each, indexed by number. */
extern const unsigned int uk_syscall_table_len;
extern const uk_syscall_fn uk_syscall_fns[];        /* NULL: -ENOSYS */
extern const unsigned short uk_syscall_name_at[];  /* in the pool; 0: no syscall */
extern const char uk_syscall_name_pool[];
extern const unsigned char uk_syscall_lib_of[];    /* in uk_syscall_libs; 0: none */
extern const char *const uk_syscall_libs[];
/* strace: nargs (bits 0-2), result kind (bit 3: 0 D, 1 HEX), per argument
 * i its kind (4 bits at 8 + 4i) and size argument + 1 (4 bits at 32 + 4i,
 * 0: none). Only entries with a library have one. */
extern const uint64_t uk_syscall_sig[];
#define UKSC_SIG(nargs, ret)   ((uint64_t)(nargs) | ((ret) == UK_SC_HEX ? 8ULL : 0ULL))
#define UKSC_ARG(i, kind, ref) (((uint64_t)(kind) << (8 + 4 * (i))) | \
				((uint64_t)((ref) + 1) << (32 + 4 * (i))))
#define UKSC_NARGS(sig)        ((unsigned int)((sig) & 7))
#define UKSC_RET(sig)          (((sig) & 8) ? UK_SC_HEX : UK_SC_D)
#define UKSC_KIND(sig, i)      ((unsigned int)(((sig) >> (8 + 4 * (i))) & 15))
#define UKSC_REF(sig, i)       ((int)(((sig) >> (32 + 4 * (i))) & 15) - 1)

/* The name of syscall nr (< uk_syscall_table_len), NULL if none. */
static inline const char *uksc_name(unsigned long nr)
{
	unsigned short at = uk_syscall_name_at[nr];

	return at ? uk_syscall_name_pool + at : NULL;
}

/* The library that provides syscall nr (< uk_syscall_table_len), NULL if none. */
static inline const char *uksc_lib(unsigned long nr)
{
	return uk_syscall_libs[uk_syscall_lib_of[nr]];
}

/* Log "UK-ENOSYS ..." the first time nr is seen; returns -ENOSYS. */
long uksc_enosys(long nr);

#endif
