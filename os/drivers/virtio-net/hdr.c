/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-net header: reading the device's on RX, writing ours on TX,
 * and the software checksum used when the device cannot complete a
 * partial one. Pure functions over memory (no device, no allocator), so
 * tests/host/virtio-net builds and fuzzes them on the host. Callers are
 * rx.c and tx.c.
 */
#include <uk/errno.h>
#include "vnet.h"

int vnet_rx_hdr(const struct vnet_hdr *h, bool mrg, bool guest_csum,
		unsigned max_bufs, struct uk_netbuf *nb)
{
	unsigned n = mrg ? h->num_buffers : 1;

	if (n == 0 || n > max_bufs)
		return -EINVAL;
	if (h->gso_type != VNET_HDR_GSO_NONE)
		return -EINVAL;
	nb->flags = 0;
	nb->csum_start = 0;
	nb->csum_offset = 0;
	if (h->flags & VNET_HDR_F_NEEDS_CSUM) {
		if (!guest_csum)
			return -EINVAL;
		nb->flags |= UK_NETBUF_F_CSUM_PARTIAL;
		nb->csum_start = h->csum_start;
		nb->csum_offset = h->csum_offset;
	} else if (h->flags & VNET_HDR_F_DATA_VALID) {
		/* Without GUEST_CSUM the device may not set it: ignore the
		 * bit rather than trust a validation nobody asked for. */
		if (guest_csum)
			nb->flags |= UK_NETBUF_F_DATA_VALID;
	}
	return (int)n;
}

int vnet_rx_csum_check(const struct uk_netbuf *nb, uint32_t frame_len)
{
	if (!(nb->flags & UK_NETBUF_F_CSUM_PARTIAL))
		return 0;
	if ((uint32_t)nb->csum_start + nb->csum_offset + 2 > frame_len)
		return -EINVAL;
	return 0;
}

int vnet_tx_hdr(struct vnet_hdr *h, const struct uk_netbuf *frame,
		uint32_t len, bool csum)
{
	h->flags = 0;
	h->gso_type = VNET_HDR_GSO_NONE;
	h->hdr_len = 0;
	h->gso_size = 0;
	h->csum_start = 0;
	h->csum_offset = 0;
	h->num_buffers = 0;
	if (!(frame->flags & UK_NETBUF_F_CSUM_PARTIAL))
		return 0;
	if ((uint32_t)frame->csum_start + frame->csum_offset + 2 > len)
		return -EINVAL;
	if (csum) {
		h->flags = VNET_HDR_F_NEEDS_CSUM;
		h->csum_start = frame->csum_start;
		h->csum_offset = frame->csum_offset;
	}
	return 0;
}

void vnet_csum_complete(uint8_t *data, uint32_t len, uint16_t csum_start,
			uint16_t csum_offset)
{
	uint32_t sum = 0, i;
	uint16_t c;

	/* The field holds the pseudo-header sum and is part of the range. */
	for (i = csum_start; i + 1 < len; i += 2)
		sum += (uint32_t)(data[i] << 8 | data[i + 1]);
	if (i < len)
		sum += (uint32_t)data[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	c = (uint16_t)~sum;
	/* UDP sends 0 as "no checksum": a computed 0 goes as 0xffff, which
	 * is the same value in ones' complement (RFC 768). */
	if (c == 0)
		c = 0xffff;
	data[csum_start + csum_offset] = (uint8_t)(c >> 8);
	data[csum_start + csum_offset + 1] = (uint8_t)c;
}
