/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The split virtqueue's layout (virtio 1.2, 2.7) and the core's private
 * queue state, shared by virtq.c (the rings) and core.c (setup). Also
 * compiled for the host by the ring fuzzer (tests/host/virtio), which plays
 * the device: it writes the used ring of memory virtq_init() was given.
 *
 * Rings are little-endian; both targets with virtio (x86_64, arm64) are
 * little-endian, so fields are used as they are (a legacy device uses the
 * guest's byte order, the same here).
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <uk/virtio_transport.h>

#define VIRTQ_DESC_F_NEXT      1
#define VIRTQ_DESC_F_WRITE     2
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
#define VIRTQ_USED_F_NO_NOTIFY     1
#define VIRTQ_LEGACY_ALIGN     4096
#define VIRTQ_MAX_SIZE         32768

struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};
struct virtq_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[];     /* size entries, then used_event (unused) */
};
struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};
struct virtq_used {
	uint16_t flags;
	uint16_t idx;
	struct virtq_used_elem ring[];   /* size entries, then avail_event */
};

/* What the driver knows of each chain, by head index, in its own memory:
 * the device can overwrite the descriptor table, so nothing is ever read
 * back from it. cookie is NULL for a descriptor that is not a chain head
 * in flight. */
struct virtq_chain {
	void *cookie;
	uint32_t in_bytes;   /* device-writable bytes of the chain */
	uint16_t ndesc;
	uint16_t last;       /* its last descriptor */
};

struct uk_virtq {
	struct uk_virtio_dev *dev;
	unsigned int index;
	unsigned int size;               /* entries, a power of two */
	volatile struct virtq_desc *desc;
	volatile struct virtq_avail *avail;
	volatile struct virtq_used *used;
	uint16_t free_head;              /* first free descriptor */
	uint16_t nfree;                  /* free descriptors */
	uint16_t avail_idx;              /* our copy of avail->idx */
	uint16_t last_used;              /* next used->idx entry to take */
	uint16_t inflight;               /* chains made available, not yet used */
	bool broken;                     /* a bounds error: take nothing more */
	void (*on_used)(struct uk_virtq *vq, void *arg);
	void *arg;
	uint16_t *next;                  /* [size]: free list and chain links */
	struct virtq_chain *chain;       /* [size] */
	void *mem;                       /* the rings, virtq_ring_bytes(size) */
};

/* Bytes of the rings of a queue of `size` entries in the legacy layout
 * (used ring at the next VIRTQ_LEGACY_ALIGN boundary). */
size_t virtq_ring_bytes(unsigned int size);
/* Bytes of the private arrays (next, chain) of a queue of `size`. */
size_t virtq_state_bytes(unsigned int size);

/*
 * Initialises vq over zeroed ring memory `mem` (virtq_ring_bytes(size),
 * VIRTQ_LEGACY_ALIGN-aligned) and private memory `state`
 * (virtq_state_bytes(size), zeroed, aligned for pointers). size must be a
 * power of two, 1..VIRTQ_MAX_SIZE (asserted by the caller).
 */
void virtq_init(struct uk_virtq *vq, struct uk_virtio_dev *dev,
		unsigned int index, unsigned int size, void *mem, void *state);
/* The layout of vq's rings, for the transport. */
void virtq_layout(const struct uk_virtq *vq, struct uk_virtq_layout *l);

/* Records a device error (first one wins) and logs it: core.c. */
void virtio_dev_fail(struct uk_virtio_dev *dev, int err, const char *what);

#endif
