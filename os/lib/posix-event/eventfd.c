/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * eventfd, eventfd2: a 64-bit counter as a file. write(8 bytes) adds to it
 * (blocking, or -EAGAIN, while the sum would pass 0xfffffffffffffffe);
 * read(8 bytes) takes it all and resets it to 0, or with EFD_SEMAPHORE
 * takes 1 (blocking, or -EAGAIN, while it is 0). Readable while non-zero,
 * writable while at least 1 more fits. Every change wakes the file
 * (uk_file_wake): blocked readers and writers, epoll, poll and select.
 */
#include <uk/alloc.h>
#include "event_impl.h"

#define EFD_MAX 0xfffffffffffffffeULL

struct efd {
	uint64_t count;
	bool semaphore;
};

static long efd_read(struct uk_file *f, void *ubuf, size_t n, uint64_t *off __unused)
{
	struct efd *e = f->priv;
	unsigned long irqf;
	uint64_t v;
	int r = 0;

	if (n < sizeof(v))
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	while (!e->count) {
		r = (f->flags & UK_O_NONBLOCK) ? -EAGAIN : uk_file_wait_locked(f);
		if (r)
			break;
	}
	if (!r) {
		v = e->semaphore ? 1 : e->count;
		e->count -= v;
		uk_file_wake(f);
	}
	ukplat_lcpu_restore_irqf(irqf);
	if (r)
		return r;
	/* one CPU: a concurrent reader could have been woken by the wake
	 * above only after this returns; the value is ours */
	if (uk_copy_to_user(ubuf, &v, sizeof(v))) {
		irqf = ukplat_lcpu_save_irqf();
		e->count += v;                  /* not delivered: give it back */
		ukplat_lcpu_restore_irqf(irqf);
		return -EFAULT;
	}
	return sizeof(v);
}

static long efd_write(struct uk_file *f, const void *ubuf, size_t n, uint64_t *off __unused,
		      bool append __unused)
{
	struct efd *e = f->priv;
	unsigned long irqf;
	uint64_t v;
	int r = 0;

	if (n < sizeof(v))
		return -EINVAL;
	if (uk_copy_from_user(&v, ubuf, sizeof(v)))
		return -EFAULT;
	if (v == UINT64_MAX)
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	while (EFD_MAX - e->count < v) {
		r = (f->flags & UK_O_NONBLOCK) ? -EAGAIN : uk_file_wait_locked(f);
		if (r)
			break;
	}
	if (!r && v) {
		e->count += v;
		uk_file_wake(f);
	}
	ukplat_lcpu_restore_irqf(irqf);
	return r ? r : (long)sizeof(v);
}

static unsigned int efd_poll(struct uk_file *f)
{
	struct efd *e = f->priv;
	uint64_t c = e->count;
	unsigned int ev = 0;

	if (c)
		ev |= UK_POLLIN | UK_POLLRDNORM;
	if (c < EFD_MAX)
		ev |= UK_POLLOUT | UK_POLLWRNORM;
	return ev;
}

static int efd_fstat(struct uk_file *f __unused, struct uk_stat *st)
{
	__builtin_memset(st, 0, sizeof(*st));
	st->st_mode = 0600;             /* an anonymous inode, as on Linux */
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static void efd_release(struct uk_file *f)
{
	uk_free(uk_alloc_get_default(), f->priv);
}

static const struct uk_file_ops efd_ops = {
	.read = efd_read,
	.write = efd_write,
	.poll = efd_poll,
	.fstat = efd_fstat,
	.release = efd_release,
};

long uk_sys_eventfd2(unsigned int count, int flags)
{
	struct uk_file *f;
	struct efd *e;
	int fd;

	if (flags & ~(UK_EFD_SEMAPHORE | UK_EFD_CLOEXEC | UK_EFD_NONBLOCK))
		return -EINVAL;
	e = uk_calloc(uk_alloc_get_default(), 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->count = count;
	e->semaphore = flags & UK_EFD_SEMAPHORE;
	f = uk_file_alloc(&efd_ops, e, UK_O_RDWR | ((unsigned int)flags & UK_EFD_NONBLOCK), 0);
	if (!f) {
		uk_free(uk_alloc_get_default(), e);
		return -ENOMEM;
	}
	fd = uk_fdtab_install(f, 0, (unsigned int)flags & UK_EFD_CLOEXEC);
	uk_file_put(f);
	return fd;
}

long uk_sys_eventfd(unsigned int count)
{
	return uk_sys_eventfd2(count, 0);
}
