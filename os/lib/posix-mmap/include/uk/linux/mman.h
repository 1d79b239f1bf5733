/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Linux's memory-mapping constants (uapi asm-generic/mman-common.h and
 * mman.h; x86_64 and arm64 use the same values), prefixed UK_ so that they
 * never clash with a libc's <sys/mman.h>. posix-mmap's handlers take and
 * return these.
 */
#ifndef UK_LINUX_MMAN_H
#define UK_LINUX_MMAN_H

#define UK_PROT_NONE            0x0
#define UK_PROT_READ            0x1
#define UK_PROT_WRITE           0x2
#define UK_PROT_EXEC            0x4
#define UK_PROT_GROWSDOWN       0x01000000
#define UK_PROT_GROWSUP         0x02000000

#define UK_MAP_SHARED           0x01
#define UK_MAP_PRIVATE          0x02
#define UK_MAP_SHARED_VALIDATE  0x03
#define UK_MAP_TYPE             0x0f
#define UK_MAP_FIXED            0x10
#define UK_MAP_ANONYMOUS        0x20
#define UK_MAP_32BIT            0x40            /* x86_64 only */
#define UK_MAP_GROWSDOWN        0x0100
#define UK_MAP_DENYWRITE        0x0800
#define UK_MAP_EXECUTABLE       0x1000
#define UK_MAP_LOCKED           0x2000
#define UK_MAP_NORESERVE        0x4000
#define UK_MAP_POPULATE         0x8000
#define UK_MAP_NONBLOCK         0x10000
#define UK_MAP_STACK            0x20000
#define UK_MAP_HUGETLB          0x40000
#define UK_MAP_SYNC             0x80000
#define UK_MAP_FIXED_NOREPLACE  0x100000
#define UK_MAP_UNINITIALIZED    0x4000000

#define UK_MAP_FAILED           ((void *)-1)

#define UK_MREMAP_MAYMOVE       1
#define UK_MREMAP_FIXED         2
#define UK_MREMAP_DONTUNMAP     4

#define UK_MADV_NORMAL          0
#define UK_MADV_RANDOM          1
#define UK_MADV_SEQUENTIAL      2
#define UK_MADV_WILLNEED        3
#define UK_MADV_DONTNEED        4
#define UK_MADV_FREE            8
#define UK_MADV_REMOVE          9
#define UK_MADV_DONTFORK        10
#define UK_MADV_DOFORK          11
#define UK_MADV_MERGEABLE       12
#define UK_MADV_UNMERGEABLE     13
#define UK_MADV_HUGEPAGE        14
#define UK_MADV_NOHUGEPAGE      15
#define UK_MADV_DONTDUMP        16
#define UK_MADV_DODUMP          17
#define UK_MADV_WIPEONFORK      18
#define UK_MADV_KEEPONFORK      19
#define UK_MADV_COLD            20
#define UK_MADV_PAGEOUT         21
#define UK_MADV_POPULATE_READ   22
#define UK_MADV_POPULATE_WRITE  23

#define UK_MS_ASYNC             1
#define UK_MS_INVALIDATE        2
#define UK_MS_SYNC              4

#endif
