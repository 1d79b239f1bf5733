/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The file descriptor table: one per image (one process), fds
 * 0..CONFIG_LIBPOSIX_FDTAB_MAX-1, each a reference to an open file
 * description (uk/file.h) plus its descriptor flag FD_CLOEXEC. Status flags
 * (O_NONBLOCK, O_APPEND) live in the description, shared by dups, as on
 * Linux. Safe against threads: the table changes with interrupts masked.
 *
 * Every syscall on a descriptor: f = uk_fdtab_get(fd) (a reference; NULL:
 * -EBADF), use f, uk_file_put(f). A close while another thread is inside a
 * call on the same fd is safe: the description lives until both are done.
 */
#ifndef UK_FDTAB_H
#define UK_FDTAB_H

#include <uk/essentials.h>
#include <uk/file.h>

#ifdef CONFIG_LIBPOSIX_FDTAB_MAX
#define UK_FDTAB_MAX CONFIG_LIBPOSIX_FDTAB_MAX
#else
#define UK_FDTAB_MAX 1024
#endif

/*
 * Puts f in the lowest free fd >= minfd and takes a reference for it.
 * flags: UK_O_CLOEXEC sets FD_CLOEXEC; UK_O_NONBLOCK and UK_O_APPEND are
 * added to f's status flags. Returns the fd; -EINVAL (minfd out of range),
 * -EMFILE (no free fd).
 */
int uk_fdtab_install(struct uk_file *f, int minfd, unsigned int flags);
/*
 * Puts f at exactly `fd` (dup2/dup3), closing what was there; takes a
 * reference. Returns fd, -EBADF (fd out of range).
 */
int uk_fdtab_install_at(struct uk_file *f, int fd, unsigned int flags);
/* The description behind fd, with a reference for the caller; NULL if fd is
 * not open. */
struct uk_file *uk_fdtab_get(int fd);
/* Closes fd: 0, -EBADF. */
int uk_fdtab_close(int fd);
/* FD_CLOEXEC of fd: the flags (>= 0) or -EBADF; set: 0 or -EBADF. */
int uk_fdtab_getfd(int fd);
int uk_fdtab_setfd(int fd, int fdflags);
/*
 * execve's teardown (ukelfload calls it past the point of no return): closes
 * every fd with FD_CLOEXEC, as Linux does when the new program starts. The
 * others stay, with their descriptions (offsets, status flags) shared.
 */
void uk_fdtab_exec(void);

/*
 * fork's copy of the table (posix-process): uk_fdtab_save() returns a copy
 * holding a reference to every open description (the child's fds share
 * them with the parent's, offsets included, as on Linux), NULL without
 * memory; uk_fdtab_restore() closes every fd there is now and puts the copy
 * back (consuming it); uk_fdtab_drop() frees a copy unused.
 */
struct uk_fdtab_copy;
struct uk_fdtab_copy *uk_fdtab_save(void);
void uk_fdtab_restore(struct uk_fdtab_copy *c);
void uk_fdtab_drop(struct uk_fdtab_copy *c);

#endif
