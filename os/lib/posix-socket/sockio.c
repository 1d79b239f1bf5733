/* SPDX-License-Identifier: BSD-3-Clause */
/* User data vectors for socket sends and receives (struct sock_io, sock.h). */
#include <uk/uaccess.h>
#include "sock.h"

int sock_io_init(struct sock_io *io, struct uk_iovec *iov, unsigned long cnt, bool to_user)
{
	size_t total = 0;
	unsigned long i;

	for (i = 0; i < cnt; i++) {
		if ((long)iov[i].iov_len < 0 || total + iov[i].iov_len < total ||
		    (long)(total + iov[i].iov_len) < 0)
			return -EINVAL;
		if (!uk_access_ok(iov[i].iov_base, iov[i].iov_len, to_user))
			return -EFAULT;
		total += iov[i].iov_len;
	}
	io->scm = NULL;
	io->iov = iov;
	io->cnt = cnt;
	io->idx = 0;
	io->off = 0;
	io->left = total;
	return 0;
}

int sock_io_init1(struct sock_io *io, void *buf, size_t len, bool to_user)
{
	io->one.iov_base = buf;
	io->one.iov_len = len;
	return sock_io_init(io, &io->one, 1, to_user);
}

size_t sock_io_chunk(struct sock_io *io, void **p, size_t max)
{
	while (io->idx < io->cnt && io->off == io->iov[io->idx].iov_len) {
		io->idx++;
		io->off = 0;
	}
	if (io->idx == io->cnt)
		return 0;
	*p = (char *)io->iov[io->idx].iov_base + io->off;
	return UK_MIN(max, io->iov[io->idx].iov_len - io->off);
}

void sock_io_advance(struct sock_io *io, size_t n)
{
	while (n) {
		size_t step = UK_MIN(n, io->iov[io->idx].iov_len - io->off);

		io->off += step;
		io->left -= step;
		n -= step;
		if (io->off == io->iov[io->idx].iov_len) {
			io->idx++;
			io->off = 0;
		}
	}
}

void sock_io_put(struct sock_io *io, const void *src, size_t n)
{
	void *p;

	while (n) {
		size_t c = sock_io_chunk(io, &p, n);

		__builtin_memcpy(p, src, c);
		src = (const char *)src + c;
		sock_io_advance(io, c);
		n -= c;
	}
}

void sock_io_get(struct sock_io *io, void *dst, size_t n)
{
	void *p;

	while (n) {
		size_t c = sock_io_chunk(io, &p, n);

		__builtin_memcpy(dst, p, c);
		dst = (char *)dst + c;
		sock_io_advance(io, c);
		n -= c;
	}
}
