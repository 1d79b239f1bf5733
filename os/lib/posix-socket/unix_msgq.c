/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AF_UNIX record queues: the messages waiting at a receiver, which
 * SOCK_DGRAM (unix_dgram.c) and SOCK_SEQPACKET (unix_seqpacket.c) share.
 * A message is one send's bytes, whole; a receive takes one message and
 * copies what fits (the rest is dropped: MSG_TRUNC), or looks at it
 * (MSG_PEEK). Files passed with a message (SCM_RIGHTS) travel in it and
 * go to the receive that takes it (a peek gets new references). Who may send, when a sender waits and whom a receive wakes
 * stay with the types. The queue's fields change with interrupts masked
 * (unix.h's locking).
 */
#include <uk/uaccess.h>
#include "unix.h"

struct unix_dgram *unix_msg_new(struct sock_io *io, size_t len)
{
	struct unix_dgram *d = uk_malloc(unix_alloc(), sizeof(*d) + len);

	if (!d)
		return NULL;
	d->next = NULL;
	d->scm = io->scm;
	io->scm = NULL;
	d->len = len;
	d->alen = 0;
	sock_io_get(io, d->data, len);
	return d;
}

void unix_msg_free(struct unix_dgram *d)
{
	if (!d)
		return;
	sock_scm_free(d->scm);
	uk_free(unix_alloc(), d);
}

void unix_msg_push(struct unix_sock *o, struct unix_dgram *d)
{
	if (o->dtail)
		o->dtail->next = d;
	else
		o->dhead = d;
	o->dtail = d;
	o->dcount++;
	o->dbytes += d->len;
	sock_wake(&o->s);
}

long unix_msg_take(struct unix_sock *u, struct sock_io *io, int flags, unsigned int *mflags,
		   struct unix_dgram **taken)
{
	struct unix_dgram *d = u->dhead;
	size_t n = UK_MIN(d->len, io->left);

	*taken = NULL;
	if (!(flags & UK_MSG_PEEK)) {
		u->dhead = d->next;
		if (!u->dhead)
			u->dtail = NULL;
		u->dcount--;
		u->dbytes -= d->len;
		*taken = d;
		io->scm = d->scm;
		d->scm = NULL;
	} else if (d->scm) {
		io->scm = sock_scm_dup(d->scm);        /* NULL without memory: not passed */
	}
	sock_io_put(io, d->data, n);
	if (n < d->len)
		*mflags |= UK_MSG_TRUNC;
	return (flags & UK_MSG_TRUNC) ? (long)d->len : (long)n;
}
