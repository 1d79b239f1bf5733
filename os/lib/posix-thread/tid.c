/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Thread ids and the end of a thread: gettid, set_tid_address,
 * set_robust_list / get_robust_list, and what happens when a thread ends
 * (uk_thread_exit_notify(), called by uksched): the robust futexes it
 * still holds are marked FUTEX_OWNER_DIED and one waiter of each woken,
 * then its CLONE_CHILD_CLEARTID / set_tid_address word is zeroed and one
 * waiter woken: what pthread_join waits on. uk_thread_unmapself() (musl's
 * __unmapself) ends a thread and unmaps its stack once it is freed
 * (uk_thread_free_notify(), called by uksched).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/thread.h>
#include <uk/linux/futex.h>
#include <uk/user.h>
#include "thread_data.h"

#define ROBUST_LIST_LIMIT 2048          /* Linux's: a loop in the list ends here */

/* posix-process's: a fork's child sees its pid as its tid */
int uk_process_tid(int tid) __weak;

static long visible_tid(void)
{
	return uk_process_tid ? uk_process_tid(pt_tid()) : pt_tid();
}

long uk_sys_gettid(void)
{
	return visible_tid();
}

long uk_sys_set_tid_address(int *tidptr)
{
	pt_words()[PT_CLEAR_CHILD_TID] = tidptr;
	return visible_tid();
}

long uk_sys_set_robust_list(struct uk_robust_list_head *head, unsigned long len)
{
	if (len != sizeof(*head))
		return -EINVAL;
	pt_words()[PT_ROBUST_HEAD] = head;
	return 0;
}

long uk_sys_get_robust_list(int pid, struct uk_robust_list_head **head_ptr, unsigned long *len_ptr)
{
	void **w = pt_words();
	unsigned long len = sizeof(struct uk_robust_list_head);

#if defined(CONFIG_LIBUKSCHED)
	struct uk_thread *t;

	if (pid) {
		t = uk_thread_by_tid(pid);
		if (!t)
			return -ESRCH;
		w = uk_thread_posix_data(t);
	}
#else
	if (pid && pid != 1)
		return -ESRCH;
#endif
	if (uk_copy_to_user(head_ptr, &w[PT_ROBUST_HEAD], sizeof(*head_ptr)) ||
	    uk_copy_to_user(len_ptr, &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

long uk_sys_exit(int status);

#if defined(CONFIG_LIBUKSCHED)
/* One robust futex of the ending thread tid: if it still owns it, mark
 * it dead and wake a waiter (Linux's handle_futex_death). */
static void futex_death(unsigned int *word, int tid)
{
	unsigned int v, nv;

	if (((uintptr_t)word & 3) || uk_copy_from_user(&v, word, sizeof(v)))
		return;
	if ((v & UK_FUTEX_TID_MASK) != (unsigned int)tid)
		return;
	nv = (v & UK_FUTEX_WAITERS) | UK_FUTEX_OWNER_DIED;
	if (uk_copy_to_user(word, &nv, sizeof(nv)))
		return;
	if (v & UK_FUTEX_WAITERS)
		uk_futex_wake(word, 1);
}

static void robust_list_release(struct uk_robust_list_head *uhead, int tid)
{
	struct uk_robust_list_head head;
	struct uk_robust_list *e, *pending;
	int n = 0;

	if (uk_copy_from_user(&head, uhead, sizeof(head)))
		return;
	pending = head.list_op_pending;
	for (e = head.list.next; e && e != &uhead->list && n < ROBUST_LIST_LIMIT; n++) {
		struct uk_robust_list *next;

		if (uk_copy_from_user(&next, &e->next, sizeof(next)))
			return;
		if (e != pending)
			futex_death((unsigned int *)((char *)e + head.futex_offset), tid);
		e = next;
	}
	if (pending)
		futex_death((unsigned int *)((char *)pending + head.futex_offset), tid);
}


/* posix-mmap's handler, when it is in the image. */
long uk_sys_munmap(void *addr, unsigned long len) __weak;

void uk_thread_unmapself(void *base, unsigned long size)
{
	void **w = pt_words();

	w[PT_UNMAP_BASE] = base;
	w[PT_UNMAP_LEN] = (void *)size;
	uk_sys_exit(0);
	__builtin_unreachable();
}

void uk_thread_free_notify(struct uk_thread *t)
{
	void **w = uk_thread_posix_data(t);

	if (w[PT_UNMAP_BASE] && uk_sys_munmap)
		uk_sys_munmap(w[PT_UNMAP_BASE], (unsigned long)w[PT_UNMAP_LEN]);
}

void uk_thread_exit_notify(struct uk_thread *self)
{
	void **w = uk_thread_posix_data(self);
	int *ctid = w[PT_CLEAR_CHILD_TID], zero = 0;

	pt_rseq_drop(w);                /* its area may go with its stack */

	if (w[PT_ROBUST_HEAD])
		robust_list_release(w[PT_ROBUST_HEAD], uk_thread_tid(self));
	if (ctid && !uk_copy_to_user(ctid, &zero, sizeof(zero)))
		uk_futex_wake(ctid, 1);
}
#else
void uk_thread_unmapself(void *base __unused, unsigned long size __unused)
{
	uk_sys_exit(0);                 /* the only thread: the process ends */
	__builtin_unreachable();
}
#endif
