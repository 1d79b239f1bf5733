/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX names, as Linux gives them (af_unix.c: unix_bind,
 * unix_find_other, unix_getname):
 *   - a path (sun_path[0] != 0): bind makes a socket node in the VFS
 *     (vfscore's uk_vfs_mksock: S_IFSOCK, 0777 & ~umask; -EADDRINUSE when
 *     the name exists), stat shows it, unlink removes the name (a bound
 *     socket keeps working for those connected; new connects see ENOENT);
 *     the node outlives the socket (connect then ECONNREFUSED). The name
 *     read back is the path as given, with its NUL: 2 + strlen + 1 bytes.
 *   - abstract (sun_path[0] == 0): the addrlen - 2 bytes after the family,
 *     in this registry only, gone with the socket.
 *   - autobind: bind with only the family: an abstract name of five hex
 *     digits ("\0" "0000f"), as Linux picks.
 * The registry is a list of bound sockets; a path is found by its node
 * (the vnode the walk reaches), an abstract name by its bytes.
 */
#include <uk/uaccess.h>
#include <string.h>
#ifdef CONFIG_LIBVFSCORE
#include <uk/vfs.h>
#endif
#include "unix.h"

#define FAMILY_LEN 2u           /* offsetof(struct sockaddr_un, sun_path) */

static struct unix_sock *bound;         /* the registry (masked) */
static unsigned int next_auto;

static bool is_abstract(const struct uk_sockaddr_storage *a)
{
	return !((const char *)a)[FAMILY_LEN];
}

int unix_addr_check(const struct uk_sockaddr_storage *a, unsigned int len)
{
	if (len <= FAMILY_LEN || len > FAMILY_LEN + UNIX_PATH_MAX || a->ss_family != UK_AF_UNIX)
		return -EINVAL;
	return 0;
}

/* A path name's canonical length (Linux: 2 + strlen + 1); the storage's
 * zero fill past len terminates it. */
static unsigned int path_len(const struct uk_sockaddr_storage *a)
{
	return FAMILY_LEN + (unsigned int)strnlen((const char *)a + FAMILY_LEN, UNIX_PATH_MAX) + 1;
}

/* Masked: the bound socket with this abstract name or node. */
static struct unix_sock *lookup(const char *abs, unsigned int alen, const void *vn)
{
	struct unix_sock *b;

	for (b = bound; b; b = b->bnext) {
		if (vn ? b->vn == vn
		       : (!b->vn && b->alen == alen && !memcmp(b->addr, abs, alen)))
			return b;
	}
	return NULL;
}

void unix_vnode_put(struct uk_vnode *vn __unused)
{
#ifdef CONFIG_LIBVFSCORE
	if (vn)
		uk_vfs_vnode_put(vn);
#endif
}

struct uk_vnode *unix_unbind_locked(struct unix_sock *u)
{
	struct unix_sock **pp;
	struct uk_vnode *vn = u->vn;

	if (!u->bound)
		return NULL;
	for (pp = &bound; *pp; pp = &(*pp)->bnext) {
		if (*pp == u) {
			*pp = u->bnext;
			break;
		}
	}
	u->bound = false;
	u->vn = NULL;
	return vn;
}

static void autoname(char *addr, unsigned int n)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	addr[FAMILY_LEN] = 0;
	for (i = 4; i >= 0; i--, n >>= 4)
		addr[FAMILY_LEN + 1 + i] = hex[n & 0xf];
}

int unix_bind(struct uk_sock *s, const struct uk_sockaddr_storage *a, unsigned int len)
{
	struct unix_sock *u = (struct unix_sock *)s;
	struct uk_vnode *vn = NULL;
	char name[UNIX_ADDR_MAX];
	unsigned int nlen, tries;
	unsigned long irqf;
	int r = 0;

	if (len == FAMILY_LEN && a->ss_family == UK_AF_UNIX) {
		nlen = FAMILY_LEN + 1 + 5;              /* autobind */
	} else {
		r = unix_addr_check(a, len);
		if (r)
			return r;
		nlen = is_abstract(a) ? len : path_len(a);
	}
	memset(name, 0, sizeof(name));
	memcpy(name, a, UK_MIN(len, (unsigned int)sizeof(name)));
	/* Linux's order: a path's node first (EADDRINUSE), then this
	 * socket's state (EINVAL, the node made for nothing removed) */
	if (len > FAMILY_LEN && !is_abstract(a)) {
#ifdef CONFIG_LIBVFSCORE
		r = uk_vfs_mksock(name + FAMILY_LEN, 0777, &vn);
#else
		r = -ENOENT;    /* no file system: no directory to name it in */
#endif
		if (r)
			return r;
	}
	irqf = ukplat_lcpu_save_irqf();
	if (u->bound || u->dead) {
		ukplat_lcpu_restore_irqf(irqf);
#ifdef CONFIG_LIBVFSCORE
		if (vn) {
			uk_vfs_rmsock(name + FAMILY_LEN, vn);
			uk_vfs_vnode_put(vn);
		}
#endif
		return -EINVAL;
	}
	if (len == FAMILY_LEN) {
		for (tries = 0; tries < 0x100000; tries++) {
			autoname(name, next_auto++ & 0xfffff);
			if (!lookup(name, nlen, NULL))
				break;
		}
		if (tries == 0x100000)
			r = -ENOSPC;
	} else if (!vn && lookup(name, nlen, NULL)) {
		r = -EADDRINUSE;
	}
	if (!r) {
		memcpy(u->addr, name, nlen);
		u->alen = nlen;
		u->vn = vn;
		u->bound = true;
		u->bnext = bound;
		bound = u;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return r;
}

int unix_find(const struct uk_sockaddr_storage *a, unsigned int len, int type,
	      struct unix_sock **out)
{
	struct uk_vnode *vn = NULL;
	struct unix_sock *b;
	unsigned long irqf;
	int r = unix_addr_check(a, len);

	if (r)
		return r;
	if (!is_abstract(a)) {
#ifdef CONFIG_LIBVFSCORE
		char path[UNIX_PATH_MAX + 1];

		memset(path, 0, sizeof(path));
		memcpy(path, (const char *)a + FAMILY_LEN, len - FAMILY_LEN);
		r = uk_vfs_findsock(path, &vn);
		if (r)
			return r;
#else
		return -ENOENT;
#endif
	}
	irqf = ukplat_lcpu_save_irqf();
	b = lookup((const char *)a, len, vn);
	if (!b)
		r = -ECONNREFUSED;
	else if (b->s.type != type)
		r = -EPROTOTYPE;
	else
		b->refs++;
	ukplat_lcpu_restore_irqf(irqf);
	unix_vnode_put(vn);
	if (!r)
		*out = b;
	return r;
}

int unix_getname(struct uk_sock *s, struct uk_sockaddr_storage *a, unsigned int *len,
		 bool peer)
{
	struct unix_sock *u = (struct unix_sock *)s;
	unsigned long irqf = ukplat_lcpu_save_irqf();
	int r = 0;

	if (peer && !(s->type != UK_SOCK_DGRAM ? u->state == U_CONNECTED : u->peer != NULL)) {
		r = -ENOTCONN;
	} else if (peer ? u->palen : u->alen) {
		*len = peer ? u->palen : u->alen;
		memcpy(a, peer ? u->paddr : u->addr, *len);
	} else {
		a->ss_family = UK_AF_UNIX;      /* unnamed: the family alone */
		*len = FAMILY_LEN;
	}
	ukplat_lcpu_restore_irqf(irqf);
	return r;
}
