/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * An open file description: what a file descriptor points to (Linux's
 * struct file). Reference counted: the fd table holds one reference per
 * descriptor (dup shares one description: offset and status flags), each
 * syscall in progress holds one. Regular files, directories, devices,
 * pipes, and later sockets and eventfds are all uk_files; they differ only
 * in their ops table and private data. The fd table is uk/fdtab.h.
 *
 * Every op receives user pointers (buf) as the syscall got them and copies
 * through <uk/uaccess.h>, so a bad pointer is -EFAULT. An op that is NULL
 * means: read/write -EINVAL, ioctl -ENOTTY, getdents -ENOTDIR, poll "always
 * ready for reading and writing", truncate -EINVAL, sync 0, get_page -ENODEV,
 * chmod/chown 0 (a pipe has nothing to change).
 */
#ifndef UK_FILE_H
#define UK_FILE_H

#include <uk/essentials.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#include <uk/linux/poll.h>
#ifdef CONFIG_LIBUKLOCK
#include <uk/waitq.h>
#endif

struct uk_file;
struct uk_file_watch;

struct uk_file_ops {
	/*
	 * Read/write up to n bytes at *off (regular files) or from the
	 * stream (pipes, devices: *off is left alone). Returns the count,
	 * 0 at end of file, or -E...: -EAGAIN when it would block and
	 * the file is O_NONBLOCK. A seekable file's write with `append`
	 * writes at its end. *off is advanced by the count.
	 */
	long (*read)(struct uk_file *f, void *buf, size_t n, uint64_t *off);
	long (*write)(struct uk_file *f, const void *buf, size_t n, uint64_t *off, bool append);
	long (*ioctl)(struct uk_file *f, unsigned int cmd, unsigned long arg);
	/* Fills *st (a kernel pointer). Always present. */
	int (*fstat)(struct uk_file *f, struct uk_stat *st);
	/* The UK_POLL* events ready now. Whoever makes one ready calls
	 * uk_file_wake(f). */
	unsigned int (*poll)(struct uk_file *f);
	/* The last reference went away: free priv. */
	void (*release)(struct uk_file *f);
	/* Directory records (struct uk_linux_dirent64) from f->pos on, into
	 * the user buffer: bytes written, 0 at the end, -EINVAL when not
	 * even one record fits. Advances f->pos. */
	long (*getdents)(struct uk_file *f, void *buf, size_t n);
	/* Sets the size (ftruncate, fallocate): 0 or -E... */
	int (*truncate)(struct uk_file *f, uint64_t len);
	/* fchmod (permission bits only), fchown ((unsigned)-1: unchanged). */
	int (*chmod)(struct uk_file *f, unsigned int mode);
	int (*chown)(struct uk_file *f, unsigned int uid, unsigned int gid);
	int (*sync)(struct uk_file *f);
	/*
	 * MAP_SHARED: the page-aligned 4 KiB block holding byte `off`
	 * (page-aligned) of the file, allocated (zeroed) if it was a hole.
	 * The block stays the file's while the file exists: a mapping keeps
	 * a reference to f. NULL: no memory (or -ENODEV when the op is NULL).
	 */
	void *(*get_page)(struct uk_file *f, uint64_t off);
};

/* f->fflags */
#define UK_FILE_SEEKABLE 0x1    /* lseek/pread/pwrite allowed, pos used */
/* No wake-up source: readiness can change without a uk_file_wake (the
 * console on a UART read without its interrupt). poll, select and epoll
 * waiters re-poll such a file every millisecond (posix-event). */
#define UK_FILE_POLLED   0x2

struct uk_file {
	const struct uk_file_ops *ops;
	void *priv;                 /* the implementation's */
	void *node;                 /* vfscore's node (path-named files), else NULL */
	uint64_t pos;               /* the offset (seekable files, directories) */
	unsigned int flags;         /* status flags: UK_O_ACCMODE, O_APPEND, O_NONBLOCK, O_PATH... */
	unsigned int fflags;        /* UK_FILE_* */
	long refs;
#ifdef CONFIG_LIBUKLOCK
	struct uk_waitq wq;         /* threads waiting for a poll event */
#endif
	struct uk_file_watch *watches; /* told by uk_file_wake (interrupts masked) */
};

/* The access mode allows reading / writing (O_PATH allows neither). */
static inline bool uk_file_readable(const struct uk_file *f)
{
	return !(f->flags & UK_O_PATH) && (f->flags & UK_O_ACCMODE) != UK_O_WRONLY;
}

static inline bool uk_file_writable(const struct uk_file *f)
{
	return !(f->flags & UK_O_PATH) && (f->flags & UK_O_ACCMODE) != UK_O_RDONLY;
}

/*
 * A new description with one reference (the caller's), NULL without
 * memory. `flags` are the open flags (only status flags are kept: access
 * mode, O_APPEND, O_NONBLOCK, O_PATH, O_DIRECT, O_SYNC, O_NOATIME).
 */
struct uk_file *uk_file_alloc(const struct uk_file_ops *ops, void *priv,
			      unsigned int flags, unsigned int fflags);
/* Another reference (the caller holds one). */
struct uk_file *uk_file_get(struct uk_file *f);
/* Drops a reference; the last one calls ops->release and frees f. */
void uk_file_put(struct uk_file *f);

/*
 * Waiting for an event on f (pipes, console, sockets). With interrupts
 * masked (ukplat_lcpu_save_irqf), the caller checks its condition and, if
 * it does not hold, calls uk_file_wait_locked(), which sleeps until
 * uk_file_wake(f) and returns with interrupts masked (0: re-check).
 * -EAGAIN without a scheduler in the image (nothing else could ever make
 * the condition true).
 *
 * uk_file_wait_until_locked(): the same with a deadline (uk_time_now_ns()
 * scale, 0: none): 0 after a wake, -ETIMEDOUT once the deadline passed.
 * Without a scheduler it halts the CPU until an interrupt or the deadline
 * (only an interrupt handler can then make the condition true) and returns
 * 0 (re-check; the caller compares the clock) — never -EAGAIN.
 *
 * uk_file_wake(f): the one way a file says "an event may have happened"
 * (data, space, hang-up, error, a connection...). Any context: thread,
 * interrupt handler, the network stack's thread with its lock held. It
 * wakes every thread in uk_file_wait_locked(f) and calls every watcher's
 * `wake` (below). Readiness itself is always ops->poll(f)'s answer.
 */
int uk_file_wait_locked(struct uk_file *f);
int uk_file_wait_until_locked(struct uk_file *f, uint64_t deadline_ns);
void uk_file_wake(struct uk_file *f);

/*
 * Watchers: how epoll instances and poll/select callers hear about a file
 * without sleeping on its wait queue. The watcher's memory is the
 * caller's (an epoll item, a poll call's array) and must stay valid until
 * uk_file_watch_del() or `gone`.
 *
 * - wake(w, f): from uk_file_wake(f), with interrupts masked, in any
 *   context. Must not block, allocate or take a sleeping lock: note the
 *   event (a flag, a ready list) and wake a wait queue.
 * - gone(w, f): f's last reference went away (close of the last fd with
 *   nothing else holding it, as Linux drops a file from every epoll set).
 *   Thread context, interrupts enabled, before ops->release; w is already
 *   off f's list (the callee frees it if it wants). May be NULL for a
 *   watcher that holds a reference to f (poll, select): it never sees it.
 */
struct uk_file_watch {
	void (*wake)(struct uk_file_watch *w, struct uk_file *f);
	void (*gone)(struct uk_file_watch *w, struct uk_file *f);
	void *arg;                      /* the owner's */
	struct uk_file_watch *next;     /* f->watches, posix-fdtab's */
};

/* Adds w to f's watchers (w->wake/gone/arg set by the caller). Any
 * context. After it, every uk_file_wake(f) reaches w. */
void uk_file_watch_add(struct uk_file *f, struct uk_file_watch *w);
/* Removes w: true; false if it was not on f's list (f's last reference
 * went: its gone is running or ran). When it returns no wake(w) is running
 * or will run. Any context. */
bool uk_file_watch_del(struct uk_file *f, struct uk_file_watch *w);
/*
 * Held (a recursive mutex; nothing without a scheduler) while a last
 * uk_file_put() calls the gone callbacks. An owner that frees watchers on
 * files it holds no reference to (an epoll set being closed) takes it
 * around uk_file_watch_del() and the free, so a gone for the same watcher
 * cannot run on freed memory. Thread context.
 */
void uk_file_watch_lock(void);
void uk_file_watch_unlock(void);

#endif
