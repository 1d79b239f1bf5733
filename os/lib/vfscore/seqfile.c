/* SPDX-License-Identifier: BSD-3-Clause */
/* Generated files and fixed symlinks (uk/seqfile.h). */
#include <uk/alloc.h>
#include <uk/string.h>
#include <uk/seqfile.h>
#include "vfs_impl.h"

struct seqnode {
	uk_seq_gen_t gen;
	void *arg;
};

void uk_seq_putc(struct uk_seq *s, char c)
{
	if (s->nomem)
		return;
	if (s->len == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		char *b = uk_realloc(uk_alloc_get_default(), s->buf, cap);

		if (!b) {
			s->nomem = true;
			return;
		}
		s->buf = b;
		s->cap = cap;
	}
	s->buf[s->len++] = c;
}

void uk_seq_puts(struct uk_seq *s, const char *str)
{
	while (*str)
		uk_seq_putc(s, *str++);
}

void uk_seq_putu(struct uk_seq *s, unsigned long v)
{
	char d[20];
	int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		uk_seq_putc(s, d[--n]);
}

void uk_seq_putx(struct uk_seq *s, unsigned long v, unsigned int width)
{
	char d[16];
	unsigned int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (width > n && width--)
		uk_seq_putc(s, '0');
	while (n)
		uk_seq_putc(s, d[--n]);
}

static long seq_read(struct uk_file *f, void *ubuf, size_t n, uint64_t *off)
{
	struct uk_seq *s = f->priv;
	size_t c;

	if (*off >= s->len)
		return 0;
	c = UK_MIN(n, s->len - (size_t)*off);
	if (uk_copy_to_user(ubuf, s->buf + *off, c))
		return -EFAULT;
	*off += c;
	return (long)c;
}

static void seq_release(struct uk_file *f)
{
	struct uk_seq *s = f->priv;

	uk_free(uk_alloc_get_default(), s->buf);
	uk_free(uk_alloc_get_default(), s);
	uk_vfs_file_release(f);
}

static const struct uk_file_ops seq_ops = {
	.read = seq_read,
	UK_VFS_FILE_OPS,
	.release = seq_release,
};

static int seq_open(struct uk_vnode *vn, struct uk_file *f)
{
	struct seqnode *sn = vn->priv;
	struct uk_seq *s = uk_calloc(uk_alloc_get_default(), 1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	sn->gen(s, sn->arg);
	if (s->nomem) {
		uk_free(uk_alloc_get_default(), s->buf);
		uk_free(uk_alloc_get_default(), s);
		return -ENOMEM;
	}
	f->ops = &seq_ops;
	f->priv = s;
	f->fflags |= UK_FILE_SEEKABLE;
	return 0;
}

static const struct uk_vnode_ops seq_vops = {
	.open = seq_open,
};

int uk_vfs_mkseq(const char *path, unsigned int perm, uk_seq_gen_t gen, void *arg)
{
	struct seqnode *sn = uk_malloc(uk_alloc_get_default(), sizeof(*sn));
	int r;

	if (!sn)
		return -ENOMEM;
	sn->gen = gen;
	sn->arg = arg;
	r = uk_vfs_mknode(path, UK_S_IFREG | (perm & 07777), 0, &seq_vops, sn);
	if (r)
		uk_free(uk_alloc_get_default(), sn);
	return r;
}

static long link_readlink(struct uk_vnode *vn, char *buf, size_t n)
{
	size_t len = UK_MIN(uk_strlen(vn->priv), n);

	__builtin_memcpy(buf, vn->priv, len);
	return (long)len;
}

static const struct uk_vnode_ops link_vops = {
	.readlink = link_readlink,
};

int uk_vfs_mklink(const char *path, const char *target)
{
	return uk_vfs_mknode(path, UK_S_IFLNK | 0777, 0, &link_vops, (void *)target);
}
