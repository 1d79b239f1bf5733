/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A saved copy of the process's memory, for fork in one address space
 * (posix-process's fork.c): every posix-mmap region (its range, protection,
 * kind, file) and the contents of its present pages, and the program
 * break. The child runs on the live memory; restoring puts the parent's
 * back exactly: whatever the child mapped, unmapped, wrote or exec'd.
 *
 * Private memory (anonymous, a private file mapping's written pages, the
 * brk heap, MAP_SHARED anonymous too) is copied into fresh heap pages at
 * take time (the cost: one page per present page). A file's pages are the
 * file's: MAP_SHARED ones and those a private mapping has not written yet
 * are not copied (the child's writes to the file reach them, as on Linux,
 * where they are the page cache's) and are mapped back at restore, the
 * private ones still copy on write. VM platforms only: on linuxu the host keeps
 * the memory and take returns -ENOSYS.
 */
#ifndef UK_MMAP_SNAPSHOT_H
#define UK_MMAP_SNAPSHOT_H

#include <uk/essentials.h>

struct uk_mmap_snapshot;

/* Saves the memory: 0 and *out, -ENOMEM (nothing kept), -ENOSYS (linuxu).
 * Thread context. */
int uk_mmap_snapshot_take(struct uk_mmap_snapshot **out);
/*
 * Replaces the current memory by s and frees s. Must not run on memory
 * that it replaces (the caller switches to a kernel stack first); masks
 * interrupts itself. -ENOMEM only if a page-table node could not be made
 * (the memory is then partly restored: the caller's state is lost).
 */
int uk_mmap_snapshot_restore(struct uk_mmap_snapshot *s);
/* Frees s without restoring it. */
void uk_mmap_snapshot_drop(struct uk_mmap_snapshot *s);
/* Bytes of page copies s holds (for the log and the tests). */
size_t uk_mmap_snapshot_size(const struct uk_mmap_snapshot *s);

#endif
