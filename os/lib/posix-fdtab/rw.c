/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data syscalls on descriptors: read, write, pread64, pwrite64, readv,
 * writev, preadv, pwritev, lseek, sendfile, fsync, fdatasync, fstat,
 * getdents64, ftruncate, fchmod, fchown, fallocate, fadvise64, flock.
 * Each takes the
 * description from the fd table (a reference), checks the access mode and
 * the user pointers, and calls the description's ops (uk/file.h).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/linux/uio.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>

/* Linux's MAX_RW_COUNT: one call moves at most this much. */
#define RW_MAX 0x7ffff000UL

/* at: the offset of pread/pwrite (NULL: the file position). */
static long do_read(struct uk_file *f, void *buf, size_t n, uint64_t *at)
{
	uint64_t off;
	long r;

	if (!uk_file_readable(f))
		return -EBADF;
	if (!f->ops->read)
		return f->ops->getdents ? -EISDIR : -EINVAL;
	if (at && !(f->fflags & UK_FILE_SEEKABLE))
		return -ESPIPE;
	n = UK_MIN(n, RW_MAX);
	if (!uk_access_ok(buf, n, true))
		return -EFAULT;
	off = at ? *at : f->pos;
	r = f->ops->read(f, buf, n, &off);
	if (r > 0 && !at && (f->fflags & UK_FILE_SEEKABLE))
		f->pos = off;
	return r;
}

static long do_write(struct uk_file *f, const void *buf, size_t n, uint64_t *at)
{
	uint64_t off;
	long r;

	if (!uk_file_writable(f))
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if (at && !(f->fflags & UK_FILE_SEEKABLE))
		return -ESPIPE;
	n = UK_MIN(n, RW_MAX);
	if (!uk_access_ok(buf, n, false))
		return -EFAULT;
	off = at ? *at : f->pos;
	r = f->ops->write(f, buf, n, &off, (f->flags & UK_O_APPEND) != 0);
	if (r > 0 && !at && (f->fflags & UK_FILE_SEEKABLE))
		f->pos = off;
	return r;
}

long uk_sys_read(int fd, void *buf, unsigned long count)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	r = do_read(f, buf, count, NULL);
	uk_file_put(f);
	return r;
}

long uk_sys_write(int fd, const void *buf, unsigned long count)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	r = do_write(f, buf, count, NULL);
	uk_file_put(f);
	return r;
}

long uk_sys_pread64(int fd, void *buf, unsigned long count, long pos)
{
	struct uk_file *f = uk_fdtab_get(fd);
	uint64_t at = (uint64_t)pos;
	long r;

	if (!f)
		return -EBADF;
	r = pos < 0 ? -EINVAL : do_read(f, buf, count, &at);
	uk_file_put(f);
	return r;
}

long uk_sys_pwrite64(int fd, const void *buf, unsigned long count, long pos)
{
	struct uk_file *f = uk_fdtab_get(fd);
	uint64_t at = (uint64_t)pos;
	long r;

	if (!f)
		return -EBADF;
	r = pos < 0 ? -EINVAL : do_write(f, buf, count, &at);
	uk_file_put(f);
	return r;
}

/* readv/writev (pos -1: at the file position; preadv/pwritev: at pos,
 * which stays as it was): the vector copied in and checked (count <= IOV_MAX, total
 * fits in a ssize_t) before any byte moves; stops at the first short
 * transfer; an error after some bytes moved returns the bytes. */
static long do_rwv(int fd, const struct uk_iovec *uvec, unsigned long cnt, bool wr,
		   long pos)
{
	uint64_t at = (uint64_t)pos;
	struct uk_iovec *v;
	struct uk_file *f;
	unsigned long i, total = 0;
	long r = 0, done = 0;

	if (cnt > UK_IOV_MAX || pos < -1)
		return -EINVAL;
	f = uk_fdtab_get(fd);
	if (!f)
		return -EBADF;
	if (wr ? !uk_file_writable(f) : !uk_file_readable(f)) {
		uk_file_put(f);
		return -EBADF;
	}
	if (cnt == 0) {
		uk_file_put(f);
		return 0;
	}
	v = uk_malloc(uk_alloc_get_default(), cnt * sizeof(*v));
	if (!v) {
		uk_file_put(f);
		return -ENOMEM;
	}
	r = uk_copy_from_user(v, uvec, cnt * sizeof(*v));
	for (i = 0; !r && i < cnt; i++) {
		if ((long)v[i].iov_len < 0 || total + v[i].iov_len < total ||
		    (long)(total + v[i].iov_len) < 0)
			r = -EINVAL;
		total += v[i].iov_len;
	}
	for (i = 0; !r && i < cnt; i++) {
		if (!v[i].iov_len)
			continue;
		r = wr ? do_write(f, v[i].iov_base, v[i].iov_len, pos < 0 ? NULL : &at)
		       : do_read(f, v[i].iov_base, v[i].iov_len, pos < 0 ? NULL : &at);
		if (r < 0)
			break;
		done += r;
		at += (uint64_t)r;
		if ((unsigned long)r < v[i].iov_len)
			break;
		r = 0;
	}
	uk_free(uk_alloc_get_default(), v);
	uk_file_put(f);
	if (done > 0)
		return done;
	return r < 0 ? r : 0;
}

long uk_sys_readv(int fd, const struct uk_iovec *vec, unsigned long vlen)
{
	return do_rwv(fd, vec, vlen, false, -1);
}

long uk_sys_writev(int fd, const struct uk_iovec *vec, unsigned long vlen)
{
	return do_rwv(fd, vec, vlen, true, -1);
}

/* The offset comes in two halves (pos_h is 0 on 64-bit Linux's callers). */
long uk_sys_preadv(int fd, const struct uk_iovec *vec, unsigned long vlen,
		   unsigned long pos_l, unsigned long pos_h __unused)
{
	return (long)pos_l < 0 ? -EINVAL : do_rwv(fd, vec, vlen, false, (long)pos_l);
}

long uk_sys_pwritev(int fd, const struct uk_iovec *vec, unsigned long vlen,
		    unsigned long pos_l, unsigned long pos_h __unused)
{
	return (long)pos_l < 0 ? -EINVAL : do_rwv(fd, vec, vlen, true, (long)pos_l);
}

long uk_sys_lseek(int fd, long offset, unsigned int whence)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_stat st;
	long base, r;

	if (!f)
		return -EBADF;
	if (!(f->fflags & UK_FILE_SEEKABLE)) {
		r = -ESPIPE;
		goto out;
	}
	switch (whence) {
	case UK_SEEK_SET:
		base = 0;
		break;
	case UK_SEEK_CUR:
		base = (long)f->pos;
		break;
	case UK_SEEK_END:
	case UK_SEEK_DATA:
	case UK_SEEK_HOLE:
		r = f->ops->fstat(f, &st);
		if (r < 0)
			goto out;
		base = st.st_size;
		/* no holes reported: all of the file is data */
		if (whence != UK_SEEK_END) {
			r = offset < 0 || offset >= base ? -ENXIO
			    : (whence == UK_SEEK_DATA ? offset : base);
			if (r >= 0)
				f->pos = (uint64_t)r;
			goto out;
		}
		break;
	default:
		r = -EINVAL;
		goto out;
	}
	if ((offset > 0 && base > __LONG_MAX__ - offset) || base + offset < 0) {
		r = offset > 0 ? -EOVERFLOW : -EINVAL;
		goto out;
	}
	f->pos = (uint64_t)(base + offset);
	r = base + offset;
out:
	uk_file_put(f);
	return r;
}

/*
 * sendfile: in_fd's bytes (from *offset, which is then advanced, or from
 * its position) written to out_fd, through a kernel page. Returns the bytes
 * written; stops at the end of in_fd or a short write.
 */
long uk_sys_sendfile(int out_fd, int in_fd, long *offset, unsigned long count)
{
	struct uk_file *in = uk_fdtab_get(in_fd), *out = uk_fdtab_get(out_fd);
	uint64_t at = 0;
	long off = 0, r = 0, done = 0;
	char *page = NULL;

	if (!in || !out || !uk_file_readable(in) || !uk_file_writable(out)) {
		r = -EBADF;
		goto end;
	}
	if (out->flags & UK_O_APPEND) {
		r = -EINVAL;
		goto end;
	}
	if (offset) {
		if (uk_copy_from_user(&off, offset, sizeof(off))) {
			r = -EFAULT;
			goto end;
		}
		if (off < 0) {
			r = -EINVAL;
			goto end;
		}
		if (!(in->fflags & UK_FILE_SEEKABLE)) {
			r = -ESPIPE;
			goto end;
		}
		at = (uint64_t)off;
	}
	page = uk_malloc(uk_alloc_get_default(), __PAGE_SIZE);
	if (!page) {
		r = -ENOMEM;
		goto end;
	}
	count = UK_MIN(count, RW_MAX);
	while ((unsigned long)done < count) {
		long n = do_read(in, page, UK_MIN(count - (unsigned long)done, __PAGE_SIZE),
				 offset ? &at : NULL);
		long w;

		if (n <= 0) {
			r = n;
			break;
		}
		if (offset)
			at += (uint64_t)n;
		w = do_write(out, page, (size_t)n, NULL);
		if (w < 0) {
			r = w;
			if (offset)
				at -= (uint64_t)n;
			break;
		}
		done += w;
		if (w < n) {
			if (offset)
				at -= (uint64_t)(n - w);
			break;
		}
	}
	if (offset) {
		off = (long)at;
		if (uk_copy_to_user(offset, &off, sizeof(off)) && !done)
			r = -EFAULT;
	}
end:
	uk_free(uk_alloc_get_default(), page);
	if (in)
		uk_file_put(in);
	if (out)
		uk_file_put(out);
	return done > 0 ? done : r;
}

static long do_sync(int fd)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_stat st;
	long r = 0;

	if (!f)
		return -EBADF;
	if (f->ops->sync) {
		r = f->ops->sync(f);
	} else {
		/* pipes and sockets have nothing to sync: Linux says EINVAL */
		r = f->ops->fstat(f, &st);
		if (!r && ((st.st_mode & UK_S_IFMT) == UK_S_IFIFO ||
			   (st.st_mode & UK_S_IFMT) == UK_S_IFSOCK))
			r = -EINVAL;
	}
	uk_file_put(f);
	return r;
}

long uk_sys_fsync(int fd)
{
	return do_sync(fd);
}

long uk_sys_fdatasync(int fd)
{
	return do_sync(fd);
}

long uk_sys_fstat(int fd, struct uk_stat *ust)
{
	struct uk_file *f = uk_fdtab_get(fd);
	struct uk_stat st;
	long r;

	if (!f)
		return -EBADF;
	__builtin_memset(&st, 0, sizeof(st));
	r = f->ops->fstat(f, &st);
	if (!r)
		r = uk_copy_to_user(ust, &st, sizeof(st));
	uk_file_put(f);
	return r;
}

/*
 * fallocate: mode 0 (allocate, extend the size) on a regular file through
 * its truncate op when the range ends past the size; the data itself is
 * allocated when written (ramfs). Other modes: -EOPNOTSUPP.
 */
long uk_sys_fallocate(int fd, int mode, long offset, long len)
{
	struct uk_file *f;
	struct uk_stat st;
	long r;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (offset > __LONG_MAX__ - len)
		return -EFBIG;
	f = uk_fdtab_get(fd);
	if (!f)
		return -EBADF;
	if (!uk_file_writable(f)) {
		r = -EBADF;
		goto out;
	}
	r = f->ops->fstat(f, &st);
	if (r)
		goto out;
	if ((st.st_mode & UK_S_IFMT) == UK_S_IFIFO) {
		r = -ESPIPE;
	} else if ((st.st_mode & UK_S_IFMT) == UK_S_IFDIR) {
		r = -EISDIR;
	} else if ((st.st_mode & UK_S_IFMT) != UK_S_IFREG) {
		r = -ENODEV;
	} else if (mode) {
		r = -EOPNOTSUPP;
	} else if (offset + len > st.st_size) {
		r = f->ops->truncate ? f->ops->truncate(f, (uint64_t)(offset + len)) : -EOPNOTSUPP;
	}
out:
	uk_file_put(f);
	return r;
}

/* posix_fadvise: advice is only a hint; checked, then ignored. */
long uk_sys_fadvise64(int fd, long offset __unused, unsigned long len __unused, int advice)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r = 0;

	if (!f)
		return -EBADF;
	if (advice < 0 || advice > 5)
		r = -EINVAL;
	else if (!(f->fflags & UK_FILE_SEEKABLE))
		r = -ESPIPE;
	uk_file_put(f);
	return r;
}

/* flock: one process holds every lock it asks for (LOCK_SH 1, LOCK_EX 2,
 * LOCK_UN 8, | LOCK_NB 4). */
long uk_sys_flock(int fd, unsigned int cmd)
{
	struct uk_file *f = uk_fdtab_get(fd);
	unsigned int op = cmd & ~4U;
	long r = 0;

	if (!f)
		return -EBADF;
	if (op != 1 && op != 2 && op != 8)
		r = -EINVAL;
	uk_file_put(f);
	return r;
}

long uk_sys_getdents64(int fd, void *ubuf, unsigned int count)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	if (!f->ops->getdents || (f->flags & UK_O_PATH))
		r = (f->flags & UK_O_PATH) ? -EBADF : -ENOTDIR;
	else if (!uk_access_ok(ubuf, count, true))
		r = -EFAULT;
	else
		r = f->ops->getdents(f, ubuf, count);
	uk_file_put(f);
	return r;
}

/* ftruncate: through the file's truncate op (ramfs: the size, zeros
 * beyond the old end). */
long uk_sys_ftruncate(int fd, long length)
{
	struct uk_file *f;
	long r;

	if (length < 0)
		return -EINVAL;
	f = uk_fdtab_get(fd);
	if (!f)
		return -EBADF;
	if (f->flags & UK_O_PATH)
		r = -EBADF;
	else if (!uk_file_writable(f) || !f->ops->truncate)
		r = -EINVAL;
	else
		r = f->ops->truncate(f, (uint64_t)length);
	uk_file_put(f);
	return r;
}

long uk_sys_fchmod(int fd, unsigned int mode)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->flags & UK_O_PATH) ? -EBADF : (f->ops->chmod ? f->ops->chmod(f, mode) : 0);
	uk_file_put(f);
	return r;
}

long uk_sys_fchown(int fd, unsigned int uid, unsigned int gid)
{
	struct uk_file *f = uk_fdtab_get(fd);
	long r;

	if (!f)
		return -EBADF;
	r = (f->flags & UK_O_PATH) ? -EBADF : (f->ops->chown ? f->ops->chown(f, uid, gid) : 0);
	uk_file_put(f);
	return r;
}
