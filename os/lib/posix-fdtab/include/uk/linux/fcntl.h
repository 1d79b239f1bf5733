/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's open flags, *at flags, fcntl commands and seek origins, as the
 * kernel ABI defines them per architecture (x86_64 and arm64 differ in four
 * open flags). UK_-prefixed so a libc's <fcntl.h> can sit beside it.
 */
#ifndef UK_LINUX_FCNTL_H
#define UK_LINUX_FCNTL_H

#define UK_O_ACCMODE   00000003
#define UK_O_RDONLY    00000000
#define UK_O_WRONLY    00000001
#define UK_O_RDWR      00000002
#define UK_O_CREAT     00000100
#define UK_O_EXCL      00000200
#define UK_O_NOCTTY    00000400
#define UK_O_TRUNC     00001000
#define UK_O_APPEND    00002000
#define UK_O_NONBLOCK  00004000
#define UK_O_DSYNC     00010000
#define UK_O_ASYNC     00020000
#if defined(__aarch64__)
#define UK_O_DIRECTORY 00040000
#define UK_O_NOFOLLOW  00100000
#define UK_O_DIRECT    00200000
#define UK_O_LARGEFILE 00400000
#else
#define UK_O_DIRECT    00040000
#define UK_O_LARGEFILE 00100000
#define UK_O_DIRECTORY 00200000
#define UK_O_NOFOLLOW  00400000
#endif
#define UK_O_NOATIME   01000000
#define UK_O_CLOEXEC   02000000
#define UK_O_SYNC      04010000
#define UK_O_PATH      010000000
#define UK_O_TMPFILE   (020000000 | UK_O_DIRECTORY)

#define UK_AT_FDCWD            (-100)
#define UK_AT_SYMLINK_NOFOLLOW 0x100
#define UK_AT_EACCESS          0x200
#define UK_AT_REMOVEDIR        0x200
#define UK_AT_SYMLINK_FOLLOW   0x400
#define UK_AT_NO_AUTOMOUNT     0x800
#define UK_AT_EMPTY_PATH       0x1000
#define UK_AT_STATX_SYNC_TYPE  0x6000

#define UK_F_DUPFD         0
#define UK_F_GETFD         1
#define UK_F_SETFD         2
#define UK_F_GETFL         3
#define UK_F_SETFL         4
#define UK_F_GETLK         5
#define UK_F_SETLK         6
#define UK_F_SETLKW        7
#define UK_F_SETOWN        8
#define UK_F_GETOWN        9
#define UK_F_OFD_GETLK     36
#define UK_F_OFD_SETLK     37
#define UK_F_OFD_SETLKW    38
#define UK_F_DUPFD_CLOEXEC 1030
#define UK_FD_CLOEXEC      1

#define UK_F_RDLCK 0
#define UK_F_WRLCK 1
#define UK_F_UNLCK 2

/* struct flock (x86_64 and arm64: the same 32 bytes) */
struct uk_flock {
	short l_type;
	short l_whence;
	long l_start;
	long l_len;
	int l_pid;
};

#define UK_SEEK_SET  0
#define UK_SEEK_CUR  1
#define UK_SEEK_END  2
#define UK_SEEK_DATA 3
#define UK_SEEK_HOLE 4

#define UK_RENAME_NOREPLACE 1
#define UK_RENAME_EXCHANGE  2
#define UK_RENAME_WHITEOUT  4

/* access() modes */
#define UK_F_OK 0
#define UK_X_OK 1
#define UK_W_OK 2
#define UK_R_OK 4

#define UK_UTIME_NOW  ((1L << 30) - 1)
#define UK_UTIME_OMIT ((1L << 30) - 2)

#define UK_PATH_MAX 4096
#define UK_NAME_MAX 255

#endif
