/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net receive: the RX ring is filled with buffers of our own
 * (ukalloc), one descriptor each. A used buffer starts with the
 * virtio-net header; with MRG_RXBUF a frame may span num_buffers
 * buffers (only the first has the header), which become one netbuf
 * chain. The stack returns the chain with uk_netbuf_free, and each
 * buffer goes straight back into the ring. TX is in tx.c.
 *
 * Concurrency: the ring is touched by vnet_rx (the stack), by the free
 * callback (any thread) and by the used callback (interrupt); all ring
 * operations run with interrupts off (one CPU).
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include "vnet.h"

/* The netbuf record sits at the start of each buffer's allocation. */
#define RXBUF_REC UK_ALIGN_UP(sizeof(struct uk_netbuf), 64)

static void rxbuf_free(struct uk_netbuf *nb);

/* Puts nb (data at its start, whole storage writable) into the ring.
 * Interrupts off. 0, or -E... when the ring refuses it (broken queue):
 * the buffer is released then. */
static int rxbuf_post(struct vnet *v, struct uk_netbuf *nb)
{
	struct uk_sg sg = { (uint64_t)(uintptr_t)nb->buf, nb->size };
	int rc;

	uk_netbuf_init(nb, nb->buf, nb->size, 0, rxbuf_free, v);
	rc = uk_virtq_add(v->rxq, &sg, 0, 1, nb);
	if (rc < 0) {
		uk_free(uk_alloc_get_default(), nb);
		v->rx_bufs--;
		return rc;
	}
	v->rx_posted++;
	return 0;
}

static struct uk_netbuf *rxbuf_new(struct vnet *v)
{
	struct uk_netbuf *nb = uk_malloc(uk_alloc_get_default(), v->rxbuf_size);

	if (!nb)
		return NULL;
	nb->buf = (char *)nb + RXBUF_REC;
	nb->size = v->rxbuf_size - RXBUF_REC;
	return nb;
}

/* The stack is done with one buffer: back into the ring, and tell the
 * device if it waits for buffers (kick is a no-op while it does not). */
static void rxbuf_free(struct uk_netbuf *nb)
{
	struct vnet *v = nb->priv;
	unsigned long f = ukplat_lcpu_save_irqf();

	if (rxbuf_post(v, nb) == 0)
		uk_virtq_kick(v->rxq);
	ukplat_lcpu_restore_irqf(f);
}

int vnet_rx_setup(struct vnet *v)
{
	unsigned n = v->rx_bufs;

	v->rx_bufs = 0;
	while (v->rx_bufs < n) {
		struct uk_netbuf *nb = rxbuf_new(v);

		if (!nb)
			break;
		v->rx_bufs++;
		if (rxbuf_post(v, nb) < 0)
			break;
	}
	/* A frame needs at least one buffer (mergeable) or one buffer
	 * per frame: fewer than two would stall on the first frame held. */
	return v->rx_bufs >= 2 ? 0 : -ENOMEM;
}

void vnet_rx_used(struct uk_virtq *vq, void *arg)
{
	struct vnet *v = arg;

	uk_virtq_intr_disable(vq);
	if (v->rx_armed) {
		v->rx_armed = false;
		uk_netdev_rx_event(&v->nd);
	}
}

bool vnet_rx_intr_enable(struct uk_netdev *nd)
{
	struct vnet *v = (struct vnet *)nd;
	unsigned long f = ukplat_lcpu_save_irqf();
	bool pending;

	v->rx_armed = true;
	pending = uk_virtq_intr_enable(v->rxq);
	ukplat_lcpu_restore_irqf(f);
	if (uk_virtio_polling(v->vdev) && !pending)
		pending = uk_virtq_pending(v->rxq);
	return pending;
}

void vnet_rx_intr_disable(struct uk_netdev *nd)
{
	struct vnet *v = (struct vnet *)nd;
	unsigned long f = ukplat_lcpu_save_irqf();

	v->rx_armed = false;
	uk_virtq_intr_disable(v->rxq);
	ukplat_lcpu_restore_irqf(f);
}

/* Next used buffer with its length, or NULL. */
static struct uk_netbuf *rx_get(struct vnet *v, uint32_t *len)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	struct uk_netbuf *nb = uk_virtq_get(v->rxq, len);

	if (nb)
		v->rx_posted--;
	ukplat_lcpu_restore_irqf(f);
	return nb;
}

static void rx_drop_partial(struct vnet *v)
{
	uk_netbuf_free(v->rx_head);
	v->rx_head = v->rx_tail = NULL;
	v->rx_missing = 0;
	v->rx_len = 0;
}

int vnet_rx(struct uk_netdev *nd, struct uk_netbuf **out)
{
	struct vnet *v = (struct vnet *)nd;
	struct uk_netbuf *nb;
	uint32_t len;

	while ((nb = rx_get(v, &len))) {
		if (!v->rx_head) {
			/* First buffer of a frame: the header. */
			const struct vnet_hdr *h = nb->buf;
			int n;

			if (len < v->hdr_len) {
				nd->stats.rx_errors++;
				uk_netbuf_free(nb);
				continue;
			}
			n = vnet_rx_hdr(h, v->mrg, v->guest_csum, v->rx_bufs, nb);
			if (n < 0) {
				nd->stats.rx_errors++;
				uk_netbuf_free(nb);
				continue;
			}
			nb->data = (char *)nb->buf + v->hdr_len;
			nb->len = len - v->hdr_len;
			v->rx_head = v->rx_tail = nb;
			v->rx_missing = (unsigned)n - 1;
			v->rx_len = nb->len;
		} else {
			/* A continuation (mergeable buffers): data only. */
			nb->len = len;
			if (len == 0) {
				uk_netbuf_free(nb);
			} else {
				v->rx_tail->next = nb;
				v->rx_tail = nb;
				v->rx_len += len;
			}
			v->rx_missing--;
		}
		if (v->rx_missing)
			continue;
		nb = v->rx_head;
		len = v->rx_len;
		v->rx_head = v->rx_tail = NULL;
		v->rx_len = 0;
		if (len < UK_NETDEV_ETH_HLEN) {
			nd->stats.rx_errors++;
			uk_netbuf_free(nb);
			continue;
		}
		if (len > v->frame_max) {
			nd->stats.rx_drops++;
			uk_netbuf_free(nb);
			continue;
		}
		if (vnet_rx_csum_check(nb, len) < 0) {
			nd->stats.rx_errors++;
			uk_netbuf_free(nb);
			continue;
		}
		nd->stats.rx_frames++;
		nd->stats.rx_bytes += len;
		*out = nb;
		return 0;
	}
	if (uk_virtq_broken(v->rxq) && v->rx_head)
		rx_drop_partial(v);
	return -EAGAIN;
}
