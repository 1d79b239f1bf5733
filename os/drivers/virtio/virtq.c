/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Split virtqueues (virtio 1.2, 2.7): the descriptor table, the available
 * ring the driver fills and the used ring the device fills, with the
 * flags of event suppression (no EVENT_IDX, no indirect descriptors).
 * Layout and private state: virtq.h; setup through the transport: core.c.
 *
 * Everything the device writes (used->idx, used->ring[], used->flags) is
 * read once into a local and checked before use: a used id that is not the
 * head of a chain in flight, a length beyond the chain's writable bytes,
 * or more used entries than chains in flight breaks the queue (logged,
 * uk_virtio_err() = -EIO) instead of being followed. Chain links are kept
 * in driver memory (vq->next), never read back from the descriptor table.
 */
#include <uk/errno.h>
#include <uk/print.h>
#include "virtq.h"

/*
 * Barriers between our ring writes and the device's reads. The device is a
 * host thread (QEMU), so the CPU's own ordering rules apply: x86 keeps
 * stores in order and loads in order (only a store then a load needs
 * mfence); arm64 needs dmb in the inner shareable domain.
 */
#if defined(__x86_64__)
#define virtq_wmb() __asm__ __volatile__("" : : : "memory")
#define virtq_rmb() __asm__ __volatile__("" : : : "memory")
#define virtq_mb()  __asm__ __volatile__("mfence" : : : "memory")
#elif defined(__aarch64__)
#define virtq_wmb() __asm__ __volatile__("dmb ishst" : : : "memory")
#define virtq_rmb() __asm__ __volatile__("dmb ishld" : : : "memory")
#define virtq_mb()  __asm__ __volatile__("dmb ish" : : : "memory")
#else
#define virtq_wmb() __sync_synchronize()
#define virtq_rmb() __sync_synchronize()
#define virtq_mb()  __sync_synchronize()
#endif

size_t virtq_ring_bytes(unsigned int size)
{
	size_t desc_avail = 16 * (size_t)size + 6 + 2 * (size_t)size;

	return UK_ALIGN_UP(desc_avail, (size_t)VIRTQ_LEGACY_ALIGN)
		+ 6 + 8 * (size_t)size;
}

size_t virtq_state_bytes(unsigned int size)
{
	return sizeof(struct virtq_chain) * size
		+ UK_ALIGN_UP(sizeof(uint16_t) * size, sizeof(void *));
}

void virtq_init(struct uk_virtq *vq, struct uk_virtio_dev *dev,
		unsigned int index, unsigned int size, void *mem, void *state)
{
	uintptr_t base = (uintptr_t)mem;
	unsigned int i;

	vq->dev = dev;
	vq->index = index;
	vq->size = size;
	vq->mem = mem;
	vq->desc = (volatile struct virtq_desc *)base;
	vq->avail = (volatile struct virtq_avail *)(base + 16 * (size_t)size);
	vq->used = (volatile struct virtq_used *)(base
		+ UK_ALIGN_UP(16 * (size_t)size + 6 + 2 * (size_t)size,
			      (size_t)VIRTQ_LEGACY_ALIGN));
	vq->chain = state;
	vq->next = (uint16_t *)((char *)state + sizeof(struct virtq_chain) * size);
	for (i = 0; i < size; i++)
		vq->next[i] = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->nfree = (uint16_t)size;   /* size 32768 fits */
	vq->avail_idx = 0;
	vq->last_used = 0;
	vq->inflight = 0;
	vq->broken = false;
}

void virtq_layout(const struct uk_virtq *vq, struct uk_virtq_layout *l)
{
	l->index = vq->index;
	l->size = vq->size;
	l->desc = (uint64_t)(uintptr_t)vq->desc;
	l->avail = (uint64_t)(uintptr_t)vq->avail;
	l->used = (uint64_t)(uintptr_t)vq->used;
	l->legacy_align = VIRTQ_LEGACY_ALIGN;
}

struct uk_virtio_dev *uk_virtq_dev(struct uk_virtq *vq)
{
	return vq->dev;
}

unsigned int uk_virtq_index(struct uk_virtq *vq)
{
	return vq->index;
}

unsigned int uk_virtq_size(struct uk_virtq *vq)
{
	return vq->size;
}

unsigned int uk_virtq_free(struct uk_virtq *vq)
{
	return vq->nfree;
}

bool uk_virtq_broken(struct uk_virtq *vq)
{
	return vq->broken;
}

int uk_virtq_add(struct uk_virtq *vq, const struct uk_sg *sg,
		 unsigned int nout, unsigned int nin, void *cookie)
{
	unsigned int n = nout + nin, i;
	uint16_t head, d, prev = 0;
	uint32_t in_bytes = 0;

	if (vq->broken)
		return -EIO;
	if (!n || n < nout || !cookie)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!sg[i].len)
			return -EINVAL;
		if (i >= nout) {
			if (sg[i].len > UINT32_MAX - in_bytes)
				return -EINVAL;
			in_bytes += sg[i].len;
		}
	}
	if (n > vq->nfree)
		return -ENOSPC;

	head = d = vq->free_head;
	for (i = 0; i < n; i++) {
		vq->desc[d].addr = sg[i].addr;
		vq->desc[d].len = sg[i].len;
		vq->desc[d].flags = (uint16_t)((i >= nout ? VIRTQ_DESC_F_WRITE : 0)
				   | (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
		vq->desc[d].next = vq->next[d];
		prev = d;
		d = vq->next[d];
	}
	vq->free_head = d;
	vq->nfree = (uint16_t)(vq->nfree - n);
	vq->chain[head].cookie = cookie;
	vq->chain[head].in_bytes = in_bytes;
	vq->chain[head].ndesc = (uint16_t)n;
	vq->chain[head].last = prev;
	vq->inflight++;

	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	virtq_wmb();     /* the entry before the index that publishes it */
	vq->avail_idx++;
	vq->avail->idx = vq->avail_idx;
	return 0;
}

void uk_virtq_kick(struct uk_virtq *vq)
{
	virtq_mb();      /* avail->idx stored before used->flags is read */
	if (!(vq->used->flags & VIRTQ_USED_F_NO_NOTIFY) && vq->dev->ops)
		vq->dev->ops->notify(vq->dev, vq->index);
}

static void virtq_break(struct uk_virtq *vq, const char *what,
			uint32_t id, uint32_t len)
{
	vq->broken = true;
	uk_pr_err("%s: queue %u: %s (id %u, len %u): queue stopped\n",
		  vq->dev->name ? vq->dev->name : "virtio", vq->index, what,
		  (unsigned int)id, (unsigned int)len);
	virtio_dev_fail(vq->dev, -EIO, NULL);
}

bool uk_virtq_pending(struct uk_virtq *vq)
{
	return !vq->broken && vq->used->idx != vq->last_used;
}

void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len)
{
	uint16_t used_idx, n;
	uint32_t id, ulen;
	struct virtq_chain *c;
	void *cookie;

	if (vq->broken)
		return NULL;
	used_idx = vq->used->idx;
	if (used_idx == vq->last_used)
		return NULL;
	n = (uint16_t)(used_idx - vq->last_used);
	if (n > vq->inflight) {
		virtq_break(vq, "used index ahead of the chains in flight",
			    used_idx, n);
		return NULL;
	}
	virtq_rmb();     /* the index before the entry it publishes */
	id = vq->used->ring[vq->last_used & (vq->size - 1)].id;
	ulen = vq->used->ring[vq->last_used & (vq->size - 1)].len;
	if (id >= vq->size || !vq->chain[id].cookie) {
		virtq_break(vq, "used id is not a chain in flight", id, ulen);
		return NULL;
	}
	c = &vq->chain[id];
	if (ulen > c->in_bytes) {
		virtq_break(vq, "used length beyond the chain's buffers", id, ulen);
		return NULL;
	}
	vq->last_used++;
	vq->inflight--;
	cookie = c->cookie;
	c->cookie = NULL;
	vq->next[c->last] = vq->free_head;
	vq->free_head = (uint16_t)id;
	vq->nfree = (uint16_t)(vq->nfree + c->ndesc);
	if (len)
		*len = ulen;
	return cookie;
}

void uk_virtq_intr_disable(struct uk_virtq *vq)
{
	vq->avail->flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
}

bool uk_virtq_intr_enable(struct uk_virtq *vq)
{
	vq->avail->flags = 0;
	virtq_mb();      /* the flag stored before used->idx is read again */
	return uk_virtq_pending(vq);
}

bool uk_virtq_poll(struct uk_virtq *vq)
{
	if (!uk_virtq_pending(vq) || !vq->on_used)
		return false;
	vq->on_used(vq, vq->arg);
	return true;
}

void uk_virtq_intr(struct uk_virtq *vq)
{
	if (vq->on_used && uk_virtq_pending(vq))
		vq->on_used(vq, vq->arg);
}
