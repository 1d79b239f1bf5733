/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net transmit: each frame is copied behind a virtio-net header
 * into a buffer of ours (one descriptor), so the caller keeps its frame.
 * All tx_bufs buffers are allocated at set-up (vnet_tx_setup), like the
 * RX ring's, and reused through a free list: memory in use does not
 * depend on how many frames were ever in flight at once (a burst of
 * replies used to grow the list for good, which the malformed-frame
 * flood test saw as 2048-byte allocations that never came back).
 * Finished buffers are reclaimed lazily, by the next tx or poll; the TX
 * interrupt is armed only while a caller waits for room (tx returned
 * -EAGAIN). RX is in rx.c.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/virtio.h>
#include "vnet.h"

struct txbuf {
	struct txbuf *next;      /* free list */
	uint8_t data[];          /* hdr_len + frame_max bytes */
};

/* Moves finished buffers to the free list. Interrupts off. */
static void tx_reclaim_locked(struct vnet *v)
{
	struct txbuf *b;
	uint32_t len;

	while ((b = uk_virtq_get(v->txq, &len))) {
		b->next = v->tx_free;
		v->tx_free = b;
		v->tx_inflight--;
	}
}

void vnet_tx_reclaim(struct vnet *v)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	tx_reclaim_locked(v);
	ukplat_lcpu_restore_irqf(f);
}

void vnet_tx_used(struct uk_virtq *vq, void *arg)
{
	struct vnet *v = arg;

	uk_virtq_intr_disable(vq);
	if (v->tx_waiting) {
		v->tx_waiting = false;
		uk_netdev_tx_event(&v->nd);
	}
}

int vnet_tx_setup(struct vnet *v)
{
	unsigned n = v->tx_bufs;

	v->tx_bufs = 0;
	v->tx_free = NULL;
	while (v->tx_bufs < n) {
		struct txbuf *b = uk_malloc(uk_alloc_get_default(),
					    sizeof(*b) + v->hdr_len + v->frame_max);

		if (!b)
			break;
		b->next = v->tx_free;
		v->tx_free = b;
		v->tx_bufs++;
	}
	return v->tx_bufs ? 0 : -ENOMEM;
}

void vnet_tx_release(struct vnet *v)
{
	struct txbuf *b;

	while ((b = v->tx_free)) {
		v->tx_free = b->next;
		uk_free(uk_alloc_get_default(), b);
		v->tx_bufs--;
	}
}

/* A buffer for the next frame: 0 and *out, or -EAGAIN when all tx_bufs
 * are in flight. Interrupts off. */
static int tx_buf(struct vnet *v, struct txbuf **out)
{
	struct txbuf *b;

	if (!v->tx_free)
		tx_reclaim_locked(v);
	b = v->tx_free;
	if (!b)
		return -EAGAIN;
	v->tx_free = b->next;
	*out = b;
	return 0;
}

int vnet_tx(struct uk_netdev *nd, const struct uk_netbuf *frame)
{
	struct vnet *v = (struct vnet *)nd;
	uint32_t len = uk_netbuf_chain_len(frame);
	struct uk_sg sg;
	struct txbuf *b = NULL;
	unsigned long f;
	int rc;

	if (len > v->frame_max || len < UK_NETDEV_ETH_HLEN) {
		nd->stats.tx_drops++;
		return len < UK_NETDEV_ETH_HLEN ? -EINVAL : -EMSGSIZE;
	}
	f = ukplat_lcpu_save_irqf();
	rc = tx_buf(v, &b);
	if (rc == -EAGAIN) {
		/* Full: arm the TX interrupt so the caller hears of room;
		 * if buffers finished meanwhile, take one now. */
		v->tx_waiting = true;
		if (uk_virtq_intr_enable(v->txq) || uk_virtio_polling(v->vdev))
			rc = tx_buf(v, &b);
		if (rc == 0) {
			v->tx_waiting = false;
			uk_virtq_intr_disable(v->txq);
		}
	}
	ukplat_lcpu_restore_irqf(f);
	if (rc < 0) {
		if (rc == -EAGAIN)
			nd->stats.tx_full++;
		else
			nd->stats.tx_drops++;
		return rc;
	}

	rc = vnet_tx_hdr((struct vnet_hdr *)b->data, frame, len, v->csum);
	if (rc == 0) {
		uint8_t *p = b->data + v->hdr_len;

		uk_netbuf_copy_out(frame, 0, p, len);
		if ((frame->flags & UK_NETBUF_F_CSUM_PARTIAL) && !v->csum)
			vnet_csum_complete(p, len, frame->csum_start,
					   frame->csum_offset);
		sg.addr = (uint64_t)(uintptr_t)b->data;
		sg.len = v->hdr_len + len;
	}
	f = ukplat_lcpu_save_irqf();
	if (rc == 0)
		rc = uk_virtq_add(v->txq, &sg, 1, 0, b);
	if (rc < 0) {
		b->next = v->tx_free;
		v->tx_free = b;
	} else {
		v->tx_inflight++;
		uk_virtq_kick(v->txq);
	}
	ukplat_lcpu_restore_irqf(f);
	if (rc < 0) {
		nd->stats.tx_drops++;
		return rc == -ENOSPC ? -EAGAIN : rc;
	}
	nd->stats.tx_frames++;
	nd->stats.tx_bytes += len;
	return 0;
}
