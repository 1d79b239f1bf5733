/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net internals shared by probe.c (negotiation, config, netdev
 * registration), rx.c (RX ring, mergeable buffers), tx.c (TX copies) and
 * hdr.c (the virtio-net header, pure functions also built on the host).
 */
#ifndef VNET_H
#define VNET_H

#include <uk/netdev.h>
#include <stdbool.h>
#include <stdint.h>

/* Feature bits (virtio 1.2, 5.1.3) */
#define VNET_F_CSUM        0   /* device completes partial TX checksums */
#define VNET_F_GUEST_CSUM  1   /* device may give partial / validated RX */
#define VNET_F_MTU         3
#define VNET_F_MAC         5
#define VNET_F_MRG_RXBUF  15
#define VNET_F_STATUS     16

/* Config space (5.1.4) */
#define VNET_CFG_MAC     0
#define VNET_CFG_STATUS  6
#define VNET_CFG_MTU    10
#define VNET_S_LINK_UP   1

/* struct virtio_net_hdr (5.1.6), little-endian on modern devices and on
 * both our (little-endian) architectures when legacy. num_buffers exists
 * with VERSION_1 or MRG_RXBUF: the header is then 12 bytes, else 10. */
struct vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
} __packed;

#define VNET_HDR_F_NEEDS_CSUM 1
#define VNET_HDR_F_DATA_VALID 2
#define VNET_HDR_GSO_NONE     0

#define VNET_RXQ 0
#define VNET_TXQ 1

/* Largest frame we send or accept: MTU + Ethernet header + one VLAN tag. */
#define VNET_FRAME_MAX(mtu) ((uint32_t)(mtu) + UK_NETDEV_ETH_HLEN + 4)

/* hdr.c: pure helpers (no device access; tests/host builds them). */

/* What an RX header says about the frame that follows. Returns the
 * number of buffers the frame spans (1 without mergeable buffers) and
 * sets the offload flags of nb (DATA_VALID only when guest_csum: the
 * device may not set it otherwise), or -EINVAL for a header a correct
 * device cannot give: num_buffers 0 or above max_bufs, a GSO type (never
 * negotiated), NEEDS_CSUM without guest_csum. */
int vnet_rx_hdr(const struct vnet_hdr *h, bool mrg, bool guest_csum,
		unsigned max_bufs, struct uk_netbuf *nb);
/* Once the frame is whole: 0, or -EINVAL when nb's partial checksum
 * field lies outside its frame_len bytes. */
int vnet_rx_csum_check(const struct uk_netbuf *nb, uint32_t frame_len);

/* Fills the TX header for the frame. With CSUM_PARTIAL and a device that
 * completes checksums (csum), sets NEEDS_CSUM; without it the caller
 * completes the checksum first (vnet_csum_complete). -EINVAL when the
 * checksum field lies outside the frame (len bytes). */
int vnet_tx_hdr(struct vnet_hdr *h, const struct uk_netbuf *frame,
		uint32_t len, bool csum);

/* Software checksum for a CSUM_PARTIAL frame copied at data (len bytes):
 * stores the ones' complement of the sum from csum_start to the end at
 * csum_start + csum_offset. The offsets are checked by the caller. */
void vnet_csum_complete(uint8_t *data, uint32_t len, uint16_t csum_start,
			uint16_t csum_offset);

struct uk_virtio_dev;
struct uk_virtq;

/* One device. */
struct vnet {
	struct uk_netdev nd;
	struct uk_virtio_dev *vdev;
	struct uk_virtq *rxq, *txq;
	uint32_t hdr_len;        /* 12 (modern or MRG_RXBUF) or 10 */
	uint32_t frame_max;      /* VNET_FRAME_MAX(mtu) */
	bool mrg, guest_csum, csum;

	/* RX: buffers of rxbuf_size bytes (netbuf record included), at
	 * most rx_bufs of them, each either in the ring or lent out. */
	uint32_t rxbuf_size;
	unsigned rx_bufs, rx_posted;
	volatile bool rx_armed;  /* the stack waits for the RX callback */
	/* A frame whose first buffers came before the rest (the device
	 * publishes them together, so only a broken one leaves this). */
	struct uk_netbuf *rx_head, *rx_tail;
	unsigned rx_missing;
	uint32_t rx_len;

	/* TX: tx_bufs copies of hdr_len + frame_max bytes, all allocated
	 * at set-up, each either on the free list or in flight. */
	void *tx_free;
	unsigned tx_bufs, tx_inflight;
	volatile bool tx_waiting; /* a tx returned -EAGAIN */
};

struct uk_virtq;

/* rx.c */
int vnet_rx_setup(struct vnet *v);            /* fills the ring; -ENOMEM */
void vnet_rx_used(struct uk_virtq *vq, void *arg);
int vnet_rx(struct uk_netdev *nd, struct uk_netbuf **nb);
bool vnet_rx_intr_enable(struct uk_netdev *nd);
void vnet_rx_intr_disable(struct uk_netdev *nd);

/* tx.c */
void vnet_tx_used(struct uk_virtq *vq, void *arg);
int vnet_tx(struct uk_netdev *nd, const struct uk_netbuf *frame);
void vnet_tx_reclaim(struct vnet *v);
/* Allocates the tx_bufs TX buffers (fewer if memory runs out; tx_bufs
 * then says how many): 0, or -ENOMEM when not even one. */
int vnet_tx_setup(struct vnet *v);
/* Frees the buffers on the free list (set-up failed after
 * vnet_tx_setup: none is in flight). */
void vnet_tx_release(struct vnet *v);

#endif
