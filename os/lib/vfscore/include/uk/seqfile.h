/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Generated files (procfs, sysfs): the content is made by a function at
 * each open, into a growing buffer, and read from that snapshot, so a
 * reader sees one consistent text however small its reads. Plus fixed
 * symlinks (/proc/self -> 1).
 *
 *   static void gen(struct uk_seq *s, void *arg) { uk_seq_puts(s, "0\n"); }
 *   uk_vfs_mkseq("/proc/sys/vm/overcommit_memory", 0644, gen, NULL);
 */
#ifndef UK_SEQFILE_H
#define UK_SEQFILE_H

#include <uk/essentials.h>

struct uk_seq {
	char *buf;
	size_t len, cap;
	bool nomem;                 /* an append failed: the open is -ENOMEM */
};

void uk_seq_putc(struct uk_seq *s, char c);
void uk_seq_puts(struct uk_seq *s, const char *str);
/* v in decimal; in hex (lower case) zero-padded to at least `width`. */
void uk_seq_putu(struct uk_seq *s, unsigned long v);
void uk_seq_putx(struct uk_seq *s, unsigned long v, unsigned int width);

typedef void (*uk_seq_gen_t)(struct uk_seq *s, void *arg);

/* A generated regular file at the absolute path (its directory must
 * exist): 0, -EEXIST, -ENOENT, -ENOMEM. */
int uk_vfs_mkseq(const char *path, unsigned int perm, uk_seq_gen_t gen, void *arg);
/* A symlink at path naming target (a string that lives forever). */
int uk_vfs_mklink(const char *path, const char *target);

#endif
