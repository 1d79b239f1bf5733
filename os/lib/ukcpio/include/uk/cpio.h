/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukcpio: a bounds-checked reader of cpio "newc" archives (magic 070701,
 * and 070702 with a regular file's checksum verified): the format uniforge/cpio.py and
 * GNU `cpio -o -H newc` write, and the one an initrd holds. The parser is
 * pure (no allocation, no globals, no I/O), so the host fuzzes it
 * (tests/host/test_cpio.py); initrd.c unpacks the boot initrd with it.
 *
 * Safety rule: uk_cpio_next never reads outside [buf, buf + len), whatever
 * the bytes are; malformed input yields -E... with the byte offset and a
 * reason, never a crash, and every call moves strictly forward.
 */
#ifndef UK_CPIO_H
#define UK_CPIO_H

#include <uk/essentials.h>

#define UK_CPIO_HDR_LEN   110       /* magic + 13 fields of 8 hex digits */
#define UK_CPIO_NAME_MAX  4096      /* longest name, NUL included (PATH_MAX) */
#define UK_CPIO_LINK_MAX  4096      /* longest symlink target, NUL included */

/* File types (st_mode & UK_CPIO_S_IFMT), Linux's values. */
#define UK_CPIO_S_IFMT   0170000
#define UK_CPIO_S_IFSOCK 0140000
#define UK_CPIO_S_IFLNK  0120000
#define UK_CPIO_S_IFREG  0100000
#define UK_CPIO_S_IFBLK  0060000
#define UK_CPIO_S_IFDIR  0040000
#define UK_CPIO_S_IFCHR  0020000
#define UK_CPIO_S_IFIFO  0010000

struct uk_cpio_entry {
	/* The member's name, normalised: relative, components separated by
	 * one '/', no "." components, never a ".." component (refused), no
	 * trailing '/'. "" is the archive's root (a member named "." or "/"). */
	char name[UK_CPIO_NAME_MAX];
	size_t namelen;
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t devmajor, devminor;        /* the file system the inode is on */
	uint32_t rdevmajor, rdevminor;      /* device nodes */
	const void *data;                   /* inside the archive; size bytes */
	size_t size;                        /* (for a symlink: the target, no NUL) */
	size_t offset;                      /* of the member's header */
};

struct uk_cpio_iter {
	const unsigned char *buf;
	size_t len;
	size_t off;                         /* next header */
	bool in_archive;                    /* false after a TRAILER!!! */
	/* After an error: where, and why (a static string). */
	int rc;                             /* 0, or the sticky error */
	size_t err_off;
	const char *err;
};

/* Start reading the archive [buf, buf + len). An empty buffer is an
 * empty archive (uk_cpio_next returns 0 at once). */
void uk_cpio_iter_init(struct uk_cpio_iter *it, const void *buf, size_t len);

/*
 * The next member, into *e. Returns 1 with *e filled, 0 at the end, or:
 *   -EINVAL        a malformed header (bad magic, a non-hex digit, a bad
 *                  file type, a size that a type cannot have, a name
 *                  without its NUL, a bad 070702 checksum);
 *   -ENAMETOOLONG  a name or symlink target longer than the limits above;
 *   -EPERM         a name with a ".." component;
 *   -ENODATA       the archive ends inside a member, or without TRAILER!!!.
 * On error it->err_off is the offset of the offending byte or field and
 * it->err says what is wrong; later calls return the same error.
 * Concatenated archives (a TRAILER!!!, NUL padding, another archive) are
 * read as one, as Linux does for an initramfs.
 */
int uk_cpio_next(struct uk_cpio_iter *it, struct uk_cpio_entry *e);

/* The file type of a mode, or NULL if it is none of the seven. */
const char *uk_cpio_type_name(uint32_t mode);

#endif
