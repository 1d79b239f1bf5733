/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Descriptor syscalls: close, dup, dup2, dup3, fcntl, ioctl. The generic
 * ioctls (FIONBIO, FIOCLEX, FIONCLEX) are answered here for every file;
 * the rest go to the file's ops (the console answers TCGETS and
 * TIOCGWINSZ), -ENOTTY when it has none.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/fdtab.h>
#include <uk/linux/ioctl.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>

/* What F_SETFL may change (Linux's SETFL_MASK, less O_ASYNC signals). */
#define SETFL_MASK (UK_O_APPEND | UK_O_NONBLOCK | UK_O_DIRECT | UK_O_NOATIME | UK_O_ASYNC)

long uk_sys_close(int fd)
{
	return uk_fdtab_close(fd);
}

long uk_sys_dup(int oldfd)
{
	struct uk_file *f = uk_fdtab_get(oldfd);
	long r;

	if (!f)
		return -EBADF;
	r = uk_fdtab_install(f, 0, 0);
	uk_file_put(f);
	return r;
}

static long dup_to(int oldfd, int newfd, int flags)
{
	struct uk_file *f = uk_fdtab_get(oldfd);
	long r;

	if (!f)
		return -EBADF;
	r = uk_fdtab_install_at(f, newfd, (unsigned int)flags & UK_O_CLOEXEC);
	uk_file_put(f);
	return r;
}

long uk_sys_dup2(int oldfd, int newfd)
{
	struct uk_file *f;

	if (oldfd == newfd) {
		f = uk_fdtab_get(oldfd);
		if (!f)
			return -EBADF;
		uk_file_put(f);
		return newfd;
	}
	return dup_to(oldfd, newfd, 0);
}

long uk_sys_dup3(int oldfd, int newfd, int flags)
{
	if ((flags & ~UK_O_CLOEXEC) || oldfd == newfd)
		return -EINVAL;
	return dup_to(oldfd, newfd, flags);
}

/* Record locks of the only process: never a conflict. Setting one still
 * checks, as Linux does, that the descriptor may take it: -EBADF for a
 * read lock on a descriptor not open for reading, a write lock on one not
 * open for writing, any lock command on an O_PATH descriptor. */
static long lock_cmd(const struct uk_file *f, unsigned int cmd, unsigned long arg)
{
	struct uk_flock fl;

	if (f->flags & UK_O_PATH)
		return -EBADF;
	if (uk_copy_from_user(&fl, (const void *)arg, sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != UK_F_RDLCK && fl.l_type != UK_F_WRLCK && fl.l_type != UK_F_UNLCK)
		return -EINVAL;
	if (fl.l_whence > UK_SEEK_END)
		return -EINVAL;
	if ((fl.l_type == UK_F_RDLCK && !uk_file_readable(f)) ||
	    (fl.l_type == UK_F_WRLCK && !uk_file_writable(f)))
		if (cmd != UK_F_GETLK && cmd != UK_F_OFD_GETLK)
			return -EBADF;
	if (cmd == UK_F_GETLK || cmd == UK_F_OFD_GETLK) {
		/* one process: nobody else can hold a conflicting lock */
		fl.l_type = UK_F_UNLCK;
		return uk_copy_to_user((void *)arg, &fl, sizeof(fl));
	}
	return 0;       /* advisory locks of the only process always succeed */
}

long uk_sys_fcntl(int fd, unsigned int cmd, unsigned long arg)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case UK_F_DUPFD:
	case UK_F_DUPFD_CLOEXEC:
		r = arg >= UK_FDTAB_MAX ? -EINVAL
		    : uk_fdtab_install(f, (int)arg, cmd == UK_F_DUPFD_CLOEXEC ? UK_O_CLOEXEC : 0);
		break;
	case UK_F_GETFD:
		r = uk_fdtab_getfd(fd);
		break;
	case UK_F_SETFD:
		r = uk_fdtab_setfd(fd, (int)arg);
		break;
	case UK_F_GETFL:
		r = f->flags;
		break;
	case UK_F_SETFL:
		f->flags = (f->flags & ~SETFL_MASK) | ((unsigned int)arg & SETFL_MASK);
		r = 0;
		break;
	case UK_F_GETLK:
	case UK_F_SETLK:
	case UK_F_SETLKW:
	case UK_F_OFD_GETLK:
	case UK_F_OFD_SETLK:
	case UK_F_OFD_SETLKW:
		r = lock_cmd(f, cmd, arg);
		break;
	case UK_F_SETOWN:
		r = 0;
		break;
	case UK_F_GETOWN:
		r = 0;
		break;
	default:
		r = -EINVAL;
	}
	uk_file_put(f);
	return r;
}

long uk_sys_ioctl(int fd, unsigned int cmd, unsigned long arg)
{
	struct uk_file *f = uk_fdtab_get(fd);
	int on;
	long r;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case UK_FIONBIO:
		r = uk_copy_from_user(&on, (const void *)arg, sizeof(on));
		if (!r) {
			if (on)
				f->flags |= UK_O_NONBLOCK;
			else
				f->flags &= ~UK_O_NONBLOCK;
		}
		break;
	case UK_FIOCLEX:
		r = uk_fdtab_setfd(fd, UK_FD_CLOEXEC);
		break;
	case UK_FIONCLEX:
		r = uk_fdtab_setfd(fd, 0);
		break;
	default:
		r = (f->ops->ioctl && !(f->flags & UK_O_PATH)) ? f->ops->ioctl(f, cmd, arg) : -ENOTTY;
	}
	uk_file_put(f);
	return r;
}
