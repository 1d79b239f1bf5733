/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ancillary data (control messages) of sendmsg and recvmsg, for AF_UNIX:
 * SCM_RIGHTS (files passed as a struct sock_scm, a reference each, which
 * the family carries with the message or the bytes) and SCM_CREDENTIALS
 * (this process's ids, reported when the receiver set SO_PASSCRED). The
 * checks and the layout are Linux's (__scm_send, put_cmsg,
 * scm_detach_fds); other families ignore the control buffer.
 */
#include <uk/alloc.h>
#include <uk/fdtab.h>
#include <uk/uaccess.h>
#include <uk/syscall.h>
#include "sock.h"

/* The most control bytes a sendmsg may pass (Linux's net.core.optmem_max). */
#define CONTROL_MAX 131072

/* The credentials a message carries: this process's (Linux's
 * scm_set_cred: the sender's tgid, real uid and gid). */
static struct uk_ucred my_cred(void)
{
	struct uk_ucred c = { 1, 0, 0 };

#ifdef CONFIG_LIBPOSIX_PROCESS
	c.pid = (int)uk_sys_getpid();
	c.uid = (unsigned int)uk_sys_getuid();
	c.gid = (unsigned int)uk_sys_getgid();
#endif
	return c;
}

/*
 * sendmsg's control messages, as Linux's __scm_send checks them: every
 * header within the buffer (EINVAL), levels other than SOL_SOCKET
 * skipped; one SCM_RIGHTS of at most UK_SCM_MAX_FD open, non-O_PATH
 * descriptors (EINVAL, EBADF), whose files go in *out (a reference each);
 * SCM_CREDENTIALS naming this process (ESRCH for another pid: there is
 * no other; EPERM for an invalid id). Only AF_UNIX sockets read them
 * (other families ignore the buffer, as before). 0 or -E...
 */
int sock_scm_in(struct uk_sock *s, const struct uk_msghdr *m, struct sock_scm **out)
{
	struct sock_scm *scm = NULL;
	unsigned long off = 0, len = m->msg_controllen;
	char *buf;
	int r = 0;

	*out = NULL;
	if (s->family != UK_AF_UNIX || len < sizeof(struct uk_cmsghdr))
		return 0;
	if (len > CONTROL_MAX)
		return -ENOBUFS;
	buf = uk_malloc(uk_alloc_get_default(), len);
	if (!buf)
		return -ENOBUFS;
	if (uk_copy_from_user(buf, m->msg_control, len)) {
		r = -EFAULT;
		goto out;
	}
	while (off < len && len - off >= sizeof(struct uk_cmsghdr)) {
		struct uk_cmsghdr *c = (struct uk_cmsghdr *)(buf + off);
		const void *data = buf + off + UK_CMSG_LEN(0);
		unsigned long dlen = c->cmsg_len - UK_CMSG_LEN(0);

		if (c->cmsg_len < sizeof(*c) || c->cmsg_len > len - off) {
			r = -EINVAL;
			break;
		}
		if (c->cmsg_level != UK_SOL_SOCKET) {
			/* skipped */
		} else if (c->cmsg_type == UK_SCM_RIGHTS) {
			unsigned long n = dlen / sizeof(int);

			if (scm || n > UK_SCM_MAX_FD) {
				r = -EINVAL;
				break;
			}
			if (n) {
				scm = uk_malloc(uk_alloc_get_default(),
						sizeof(*scm) + n * sizeof(scm->files[0]));
				if (!scm) {
					r = -ENOMEM;
					break;
				}
				scm->next = NULL;
				scm->start = scm->end = 0;
				scm->nfiles = 0;
				for (unsigned long i = 0; i < n; i++) {
					int fd;
					struct uk_file *f;

					__builtin_memcpy(&fd, (const int *)data + i, sizeof(fd));
					f = uk_fdtab_get(fd);
					if (f && (f->flags & UK_O_PATH)) {
						uk_file_put(f);
						f = NULL;
					}
					if (!f) {
						r = -EBADF;
						break;
					}
					scm->files[scm->nfiles++] = f;
				}
				if (r)
					break;
			}
		} else if (c->cmsg_type == UK_SCM_CREDENTIALS) {
			struct uk_ucred want, me = my_cred();

			if (c->cmsg_len != UK_CMSG_LEN(sizeof(want))) {
				r = -EINVAL;
				break;
			}
			__builtin_memcpy(&want, data, sizeof(want));
			if (want.uid == (unsigned int)-1 || want.gid == (unsigned int)-1) {
				r = -EPERM;
				break;
			}
			if (want.pid != me.pid) {
				r = -ESRCH;
				break;
			}
		} else {
			r = -EINVAL;
			break;
		}
		off += UK_CMSG_ALIGN(c->cmsg_len);
	}
out:
	uk_free(uk_alloc_get_default(), buf);
	if (r)
		sock_scm_free(scm);
	else
		*out = scm;
	return r;
}

/* One control message into the user's buffer at *ctl (*room bytes left),
 * as Linux's put_cmsg: cut (MSG_CTRUNC) when it does not fit, nothing
 * when not even a header does. 0 or -EFAULT. */
static int put_cmsg(char **ctl, unsigned long *room, int type, const void *data,
		    unsigned long dlen, unsigned int *mflags)
{
	struct uk_cmsghdr h = { UK_CMSG_LEN(dlen), UK_SOL_SOCKET, type };
	unsigned long n = h.cmsg_len;

	if (!*ctl || *room < sizeof(h)) {
		*mflags |= UK_MSG_CTRUNC;
		return 0;
	}
	if (*room < n) {
		*mflags |= UK_MSG_CTRUNC;
		n = *room;
		h.cmsg_len = n;
	}
	if (uk_copy_to_user(*ctl, &h, sizeof(h)) ||
	    uk_copy_to_user(*ctl + UK_CMSG_LEN(0), data, n - UK_CMSG_LEN(0)))
		return -EFAULT;
	n = UK_MIN(UK_CMSG_SPACE(dlen), *room);
	*ctl += n;
	*room -= n;
	return 0;
}

/*
 * recvmsg's control messages, in Linux's order: SCM_CREDENTIALS when the
 * receiver set SO_PASSCRED (AF_UNIX), then the received files as new
 * descriptors (lowest free; MSG_CMSG_CLOEXEC: close-on-exec) in one
 * SCM_RIGHTS, as many as the buffer holds; the rest are closed and the
 * message is MSG_CTRUNC (Linux's scm_detach_fds). Frees scm. m's
 * msg_controllen becomes the bytes written. 0 or -EFAULT.
 */
int sock_scm_out(struct uk_sock *s, struct uk_msghdr *m, struct sock_scm *scm,
		 unsigned int flags, unsigned int *mflags, bool eof)
{
	char *ctl = m->msg_control;
	unsigned long room = m->msg_controllen;
	int r = 0;

	if (s->family == UK_AF_UNIX && s->passcred) {
		/* a stream's end of file carries no sender: Linux reports
		 * the zeroed credentials */
		struct uk_ucred c = eof ? (struct uk_ucred){ 0, 0, 0 } : my_cred();

		r = put_cmsg(&ctl, &room, UK_SCM_CREDENTIALS, &c, sizeof(c), mflags);
	}
	if (!r && scm) {
		unsigned long fdmax = ctl && room > sizeof(struct uk_cmsghdr) ?
				      (room - sizeof(struct uk_cmsghdr)) / sizeof(int) : 0;
		unsigned int i;

		for (i = 0; i < scm->nfiles && i < fdmax; i++) {
			int fd = uk_fdtab_install(scm->files[i], 0,
						  (flags & UK_MSG_CMSG_CLOEXEC) ? UK_O_CLOEXEC : 0);

			if (fd < 0)
				break;
			if (uk_copy_to_user(ctl + UK_CMSG_LEN(i * sizeof(int)), &fd, sizeof(fd))) {
				uk_fdtab_close(fd);
				r = -EFAULT;
				break;
			}
		}
		if (i < scm->nfiles)
			*mflags |= UK_MSG_CTRUNC;
		if (i && !r) {
			struct uk_cmsghdr h = { UK_CMSG_LEN(i * sizeof(int)), UK_SOL_SOCKET,
						UK_SCM_RIGHTS };
			unsigned long n = UK_MIN(UK_CMSG_SPACE(i * sizeof(int)), room);

			if (uk_copy_to_user(ctl, &h, sizeof(h)))
				r = -EFAULT;
			ctl += n;
			room -= n;
		}
	}
	sock_scm_free(scm);
	m->msg_controllen -= room;
	return r;
}

void sock_scm_free(struct sock_scm *scm)
{
	if (!scm)
		return;
	for (unsigned int i = 0; i < scm->nfiles; i++)
		uk_file_put(scm->files[i]);
	uk_free(uk_alloc_get_default(), scm);
}

struct sock_scm *sock_scm_dup(const struct sock_scm *scm)
{
	size_t sz = sizeof(*scm) + scm->nfiles * sizeof(scm->files[0]);
	struct sock_scm *c = uk_malloc(uk_alloc_get_default(), sz);

	if (!c)
		return NULL;
	__builtin_memcpy(c, scm, sz);
	c->next = NULL;
	for (unsigned int i = 0; i < c->nfiles; i++)
		uk_file_get(c->files[i]);
	return c;
}
