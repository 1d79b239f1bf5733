/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipes: pipe, pipe2 (O_CLOEXEC, O_NONBLOCK). A ring buffer of
 * CONFIG_LIBVFSCORE_PIPE_SIZE bytes shared by two open file descriptions,
 * the read end and the write end. Blocking reads and writes sleep on the
 * other end's wait queue (uk/file.h) with interrupts masked around every
 * check, so a wake is never lost; without a scheduler a call that would
 * block returns -EAGAIN (no other thread could ever make progress).
 * Writes of up to PIPE_BUF bytes are atomic. A write with no reader left
 * is -EPIPE, and raises SIGPIPE in the writer (with posix-signal in the
 * image: its default action ends the program, as on Linux); a read with
 * no writer left and nothing buffered is 0 (EOF).
 *
 * A writer in a fork's child (posix-process: the parent, and with it every
 * later reader, waits until the child ends) would wait for a reader that
 * can never run: there the buffer grows instead (doubling, up to
 * PIPE_GROW_MAX), so `producer | consumer` works for outputs beyond the
 * pipe's size; the memory is the heap's until the pipe closes.
 */
#include <uk/alloc.h>
#include <uk/plat/irq.h>
#include <uk/linux/ioctl.h>
#include "vfs_impl.h"

#ifdef CONFIG_LIBVFSCORE_PIPE_SIZE
#define PIPE_SIZE CONFIG_LIBVFSCORE_PIPE_SIZE
#else
#define PIPE_SIZE 65536
#endif
#define PIPE_BUF 4096
#define PIPE_GROW_MAX (256UL << 20)

/* posix-process's, when it is in the image: whether a fork's child runs */
bool uk_process_in_child(void) __weak;

struct pipe {
	char *buf;
	size_t cap;             /* bytes of buf: PIPE_SIZE, or more (grown) */
	size_t head;            /* next byte to read */
	size_t len;             /* bytes buffered */
	int readers, writers;   /* ends still open */
	struct uk_file *rf, *wf;
	uint64_t ino;
};

static uint64_t next_ino = 1;

static void wake(struct uk_file *f)
{
	if (f)
		uk_file_wake(f);
}

static long pipe_read(struct uk_file *f, void *ubuf, size_t n, uint64_t *off __unused)
{
	struct pipe *p = f->priv;
	unsigned long irqf;
	size_t done = 0;
	long r = 0;

	if (!n)
		return 0;
	irqf = ukplat_lcpu_save_irqf();
	while (!p->len) {
		if (!p->writers)
			goto out;               /* end of file */
		if (f->flags & UK_O_NONBLOCK) {
			r = -EAGAIN;
			goto out;
		}
		r = uk_file_wait_locked(f);
		if (r)
			goto out;
	}
	while (done < n && p->len) {
		size_t chunk = UK_MIN(UK_MIN(n - done, p->len), p->cap - p->head);

		if (uk_copy_to_user((char *)ubuf + done, p->buf + p->head, chunk)) {
			r = -EFAULT;
			break;
		}
		p->head = (p->head + chunk) % p->cap;
		p->len -= chunk;
		done += chunk;
	}
	wake(p->wf);
out:
	ukplat_lcpu_restore_irqf(irqf);
	return done ? (long)done : r;
}

/* Makes room for `need` more bytes by growing the buffer (interrupts
 * masked; the contents moved to the start): true if it did. */
static bool grow(struct pipe *p, size_t need)
{
	size_t cap = p->cap, first;
	char *nb;

	while (cap - p->len < need && cap < PIPE_GROW_MAX)
		cap *= 2;
	if (cap - p->len < need)
		return false;
	nb = uk_malloc(uk_alloc_get_default(), cap);
	if (!nb)
		return false;
	first = UK_MIN(p->len, p->cap - p->head);
	__builtin_memcpy(nb, p->buf + p->head, first);
	__builtin_memcpy(nb + first, p->buf, p->len - first);
	uk_free(uk_alloc_get_default(), p->buf);
	p->buf = nb;
	p->cap = cap;
	p->head = 0;
	return true;
}

static long pipe_write(struct uk_file *f, const void *ubuf, size_t n, uint64_t *off __unused,
		       bool append __unused)
{
	struct pipe *p = f->priv;
	unsigned long irqf;
	size_t done = 0;
	long r = 0;

	if (!n)
		return 0;
	irqf = ukplat_lcpu_save_irqf();
	while (done < n) {
		size_t room, chunk, tail;

		if (!p->readers) {
			r = -EPIPE;
			break;
		}
		room = p->cap - p->len;
		/* up to PIPE_BUF bytes go in one piece, or not at all */
		if ((!room || (n <= PIPE_BUF && room < n)) && uk_process_in_child &&
		    uk_process_in_child() && grow(p, n - done))
			continue;
		if (!room || (n <= PIPE_BUF && room < n)) {
			if (f->flags & UK_O_NONBLOCK) {
				r = -EAGAIN;
				break;
			}
			r = uk_file_wait_locked(f);
			if (r)
				break;
			continue;
		}
		tail = (p->head + p->len) % p->cap;
		chunk = UK_MIN(UK_MIN(n - done, room), p->cap - tail);
		if (uk_copy_from_user(p->buf + tail, (const char *)ubuf + done, chunk)) {
			r = -EFAULT;
			break;
		}
		p->len += chunk;
		done += chunk;
		wake(p->rf);
	}
	ukplat_lcpu_restore_irqf(irqf);
#ifdef CONFIG_LIBPOSIX_SIGNAL
	if (r == -EPIPE)
		uk_sys_kill(0, 13);     /* SIGPIPE, to the calling thread */
#endif
	return done ? (long)done : r;
}

static unsigned int pipe_poll(struct uk_file *f)
{
	struct pipe *p = f->priv;
	unsigned int ev = 0;

	if (f == p->rf) {
		if (p->len)
			ev |= UK_POLLIN | UK_POLLRDNORM;
		if (!p->writers)
			ev |= UK_POLLHUP;
	} else {
		if (p->cap - p->len >= PIPE_BUF)
			ev |= UK_POLLOUT | UK_POLLWRNORM;
		if (!p->readers)
			ev |= UK_POLLERR;
	}
	return ev;
}

static long pipe_ioctl(struct uk_file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe *p = f->priv;
	int n = (int)p->len;

	if (cmd != UK_FIONREAD)
		return -ENOTTY;
	return uk_copy_to_user((void *)arg, &n, sizeof(n));
}

static int pipe_fstat(struct uk_file *f, struct uk_stat *st)
{
	struct pipe *p = f->priv;

	__builtin_memset(st, 0, sizeof(*st));
	st->st_mode = UK_S_IFIFO | 0600;
	st->st_nlink = 1;
	st->st_ino = p->ino;
	st->st_blksize = PIPE_BUF;
	return 0;
}

static void pipe_release(struct uk_file *f)
{
	struct pipe *p = f->priv;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	bool last;

	if (f == p->rf) {
		p->readers--;
		p->rf = NULL;
		wake(p->wf);
	} else {
		p->writers--;
		p->wf = NULL;
		wake(p->rf);
	}
	last = !p->readers && !p->writers;
	ukplat_lcpu_restore_irqf(irqf);
	if (last) {
		uk_free(uk_alloc_get_default(), p->buf);
		uk_free(uk_alloc_get_default(), p);
	}
}

static const struct uk_file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.fstat = pipe_fstat,
	.poll = pipe_poll,
	.release = pipe_release,
};

long uk_sys_pipe2(int *ufds, int flags)
{
	struct uk_file *rf, *wf;
	struct pipe *p;
	int fds[2];
	long r;

	if (flags & ~(UK_O_CLOEXEC | UK_O_NONBLOCK | UK_O_DIRECT))
		return -EINVAL;
	if (!uk_access_ok(ufds, sizeof(fds), true))
		return -EFAULT;
	p = uk_calloc(uk_alloc_get_default(), 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = uk_malloc(uk_alloc_get_default(), PIPE_SIZE);
	p->cap = PIPE_SIZE;
	p->rf = uk_file_alloc(&pipe_ops, p, UK_O_RDONLY | ((unsigned int)flags & UK_O_NONBLOCK), 0);
	p->wf = uk_file_alloc(&pipe_ops, p, UK_O_WRONLY | ((unsigned int)flags & UK_O_NONBLOCK), 0);
	if (!p->buf || !p->rf || !p->wf) {
		uk_free(uk_alloc_get_default(), p->rf);
		uk_free(uk_alloc_get_default(), p->wf);
		uk_free(uk_alloc_get_default(), p->buf);
		uk_free(uk_alloc_get_default(), p);
		return -ENOMEM;
	}
	p->readers = p->writers = 1;
	rf = p->rf;
	wf = p->wf;
	p->ino = next_ino++;     /* under no lock: unique enough is all it needs */
	fds[0] = uk_fdtab_install(p->rf, 0, (unsigned int)flags & UK_O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : uk_fdtab_install(p->wf, 0, (unsigned int)flags & UK_O_CLOEXEC);
	r = fds[1] < 0 ? fds[1] : 0;
	if (!r && uk_copy_to_user(ufds, fds, sizeof(fds)))
		r = -EFAULT;
	if (r) {
		if (fds[0] >= 0)
			uk_fdtab_close(fds[0]);
		if (fds[1] >= 0)
			uk_fdtab_close(fds[1]);
	}
	/* the table holds the ends now (or nobody: these puts free them) */
	uk_file_put(rf);
	uk_file_put(wf);
	return r;
}

long uk_sys_pipe(int *ufds)
{
	return uk_sys_pipe2(ufds, 0);
}
