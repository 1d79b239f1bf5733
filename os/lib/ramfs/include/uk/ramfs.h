/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ramfs: files in memory. Regular file data lives in page-aligned 4 KiB
 * blocks (holes read as zeros and take no memory), which MAP_SHARED maps
 * directly (uk_file_ops.get_page). Directories are vfscore's dentries;
 * symlinks keep their target. Mounted at / at boot (init class 3, prio 8);
 * devfs reuses it for the files created under /dev.
 */
#ifndef UK_RAMFS_H
#define UK_RAMFS_H

#include <uk/vfs.h>

extern const struct uk_fs_type uk_ramfs_fs;
/* Equips vn as a ramfs node (what uk_ramfs_fs.new_node does), for file
 * systems that keep ramfs files among their own (devfs). */
int uk_ramfs_new_node(struct uk_mount *m, struct uk_vnode *vn, const char *target);

struct uk_file;
/*
 * Makes `page` (a page-aligned 4 KiB block of the default allocator's, as
 * if from uk_palloc(a, 1): the file frees it with uk_pfree when it no
 * longer needs it) the block at byte `off` (page-aligned) of the ramfs
 * file f, which must have none there yet; the file grows to cover it.
 * The caller no longer owns the page on success. For the initrd's file
 * data (ukcpio), taken as it lies instead of copied. 0, -ENOTSUP (not a
 * ramfs file), -EINVAL (unaligned), -EEXIST (a block is there), -ENOMEM.
 */
int uk_ramfs_adopt(struct uk_file *f, uint64_t off, void *page);

#endif
