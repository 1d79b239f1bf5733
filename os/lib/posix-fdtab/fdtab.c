/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fd table (uk/fdtab.h): a fixed array of {description, FD_CLOEXEC}.
 * Changes happen with interrupts masked (one CPU), so a lookup never sees a
 * half-installed entry; the reference a lookup takes keeps the description
 * alive after a concurrent close. The syscalls over it are in rw.c and
 * fcntl.c.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/fdtab.h>
#include <uk/plat/irq.h>
#include <uk/alloc.h>

static struct {
	struct uk_file *file;
	unsigned int fdflags;
} fds[UK_FDTAB_MAX];

static void add_status(struct uk_file *f, unsigned int flags)
{
	f->flags |= flags & (UK_O_NONBLOCK | UK_O_APPEND);
}

int uk_fdtab_install(struct uk_file *f, int minfd, unsigned int flags)
{
	unsigned long irqf;
	int fd;

	if (minfd < 0 || minfd >= UK_FDTAB_MAX)
		return -EINVAL;
	irqf = ukplat_lcpu_save_irqf();
	for (fd = minfd; fd < UK_FDTAB_MAX; fd++)
		if (!fds[fd].file)
			break;
	if (fd == UK_FDTAB_MAX) {
		ukplat_lcpu_restore_irqf(irqf);
		return -EMFILE;
	}
	add_status(f, flags);
	fds[fd].file = uk_file_get(f);
	fds[fd].fdflags = (flags & UK_O_CLOEXEC) ? UK_FD_CLOEXEC : 0;
	ukplat_lcpu_restore_irqf(irqf);
	return fd;
}

int uk_fdtab_install_at(struct uk_file *f, int fd, unsigned int flags)
{
	struct uk_file *old;
	unsigned long irqf;

	if (fd < 0 || fd >= UK_FDTAB_MAX)
		return -EBADF;
	irqf = ukplat_lcpu_save_irqf();
	old = fds[fd].file;
	add_status(f, flags);
	fds[fd].file = uk_file_get(f);
	fds[fd].fdflags = (flags & UK_O_CLOEXEC) ? UK_FD_CLOEXEC : 0;
	ukplat_lcpu_restore_irqf(irqf);
	if (old)
		uk_file_put(old);
	return fd;
}

struct uk_file *uk_fdtab_get(int fd)
{
	struct uk_file *f = NULL;
	unsigned long irqf;

	if (fd < 0 || fd >= UK_FDTAB_MAX)
		return NULL;
	irqf = ukplat_lcpu_save_irqf();
	if (fds[fd].file)
		f = uk_file_get(fds[fd].file);
	ukplat_lcpu_restore_irqf(irqf);
	return f;
}

int uk_fdtab_close(int fd)
{
	struct uk_file *f;
	unsigned long irqf;

	if (fd < 0 || fd >= UK_FDTAB_MAX)
		return -EBADF;
	irqf = ukplat_lcpu_save_irqf();
	f = fds[fd].file;
	fds[fd].file = NULL;
	fds[fd].fdflags = 0;
	ukplat_lcpu_restore_irqf(irqf);
	if (!f)
		return -EBADF;
	uk_file_put(f);
	return 0;
}

int uk_fdtab_getfd(int fd)
{
	if (fd < 0 || fd >= UK_FDTAB_MAX || !fds[fd].file)
		return -EBADF;
	return (int)fds[fd].fdflags;
}

int uk_fdtab_setfd(int fd, int fdflags)
{
	if (fd < 0 || fd >= UK_FDTAB_MAX || !fds[fd].file)
		return -EBADF;
	fds[fd].fdflags = (unsigned int)fdflags & UK_FD_CLOEXEC;
	return 0;
}

void uk_fdtab_exec(void)
{
	int fd;

	for (fd = 0; fd < UK_FDTAB_MAX; fd++)
		if (fds[fd].file && (fds[fd].fdflags & UK_FD_CLOEXEC))
			uk_fdtab_close(fd);
}

struct uk_fdtab_copy {
	struct uk_file *file[UK_FDTAB_MAX];
	unsigned char fdflags[UK_FDTAB_MAX];
};

struct uk_fdtab_copy *uk_fdtab_save(void)
{
	struct uk_fdtab_copy *c = uk_calloc(uk_alloc_get_default(), 1, sizeof(*c));
	unsigned long irqf;
	int fd;

	if (!c)
		return NULL;
	irqf = ukplat_lcpu_save_irqf();
	for (fd = 0; fd < UK_FDTAB_MAX; fd++) {
		if (!fds[fd].file)
			continue;
		c->file[fd] = uk_file_get(fds[fd].file);
		c->fdflags[fd] = (unsigned char)fds[fd].fdflags;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return c;
}

void uk_fdtab_restore(struct uk_fdtab_copy *c)
{
	struct uk_file *old;
	unsigned long irqf;
	int fd;

	for (fd = 0; fd < UK_FDTAB_MAX; fd++) {
		irqf = ukplat_lcpu_save_irqf();
		old = fds[fd].file;
		fds[fd].file = c->file[fd];     /* the copy's reference moves in */
		fds[fd].fdflags = c->fdflags[fd];
		ukplat_lcpu_restore_irqf(irqf);
		if (old)
			uk_file_put(old);
	}
	uk_free(uk_alloc_get_default(), c);
}

void uk_fdtab_drop(struct uk_fdtab_copy *c)
{
	int fd;

	if (!c)
		return;
	for (fd = 0; fd < UK_FDTAB_MAX; fd++)
		if (c->file[fd])
			uk_file_put(c->file[fd]);
	uk_free(uk_alloc_get_default(), c);
}
