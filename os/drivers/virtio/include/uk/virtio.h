/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio core's API for device drivers (virtio-net, ...): the driver
 * registry, feature negotiation, device configuration space and split
 * virtqueues, whatever the transport (virtio-pci, virtio-mmio). The
 * transports' side of the core is in uk/virtio_transport.h; the code is in
 * os/drivers/virtio (core.c: registry and negotiation; virtq.c: rings).
 *
 * Life of a device:
 *  1. A driver registers (UK_INIT_CLASS_PLAT, prio 1-4):
 *       static struct uk_virtio_driver drv = { "virtio-net", UK_VIRTIO_ID_NET,
 *               (1ULL << 5) | ..., my_probe };
 *       uk_virtio_driver_register(&drv);
 *  2. A transport finds a device (UK_INIT_CLASS_PLAT, prio 7-8), resets it,
 *     sets ACKNOWLEDGE and DRIVER, and looks up the driver of its device
 *     type. The core negotiates: device features & (drv->features | the
 *     core's own: VERSION_1 on a modern device; INDIRECT_DESC, EVENT_IDX
 *     and the rest are never taken), writes them, sets FEATURES_OK and
 *     checks the device kept it (a modern device that does not offer
 *     VERSION_1 is refused; a legacy one skips FEATURES_OK, which legacy
 *     devices do not have). Then it calls drv->probe(dev).
 *  3. probe reads config space, sets queues up (uk_virtio_vq_setup), fills
 *     them, and calls uk_virtio_driver_ok() last. A probe that returns
 *     -E... leaves the device FAILED with a log line; the boot goes on.
 *
 * Addresses: RAM is identity-mapped (physical = virtual) on every target
 * that has virtio, so buffers are given by their virtual address.
 *
 * Concurrency: there is one CPU. A virtqueue is not locked: its user
 * serialises uk_virtq_add/_get/_kick against its own on_used callback
 * (which runs in interrupt context), e.g. with ukplat_lcpu_save_irqf().
 */
#ifndef UK_VIRTIO_H
#define UK_VIRTIO_H

#include <uk/essentials.h>

/* Device types (virtio 1.2, 5). */
#define UK_VIRTIO_ID_NET      1
#define UK_VIRTIO_ID_BLOCK    2
#define UK_VIRTIO_ID_CONSOLE  3
#define UK_VIRTIO_ID_RNG      4

/* Feature bits the core handles (virtio 1.2, 6); device types use 0-23. */
#define UK_VIRTIO_F_NOTIFY_ON_EMPTY  24
#define UK_VIRTIO_F_ANY_LAYOUT       27
#define UK_VIRTIO_F_INDIRECT_DESC    28
#define UK_VIRTIO_F_EVENT_IDX        29
#define UK_VIRTIO_F_VERSION_1        32
#define UK_VIRTIO_F_ACCESS_PLATFORM  33

#define UK_VIRTIO_BIT(b) (1ULL << (b))

/* Queues per device (virtio-net with a control queue uses 3). */
#define UK_VIRTIO_MAX_VQS 8

struct uk_virtio_dev;      /* one device, whatever the transport */
struct uk_virtq;           /* one split virtqueue */

/* One buffer of a chain: addr is physical (= virtual), len > 0. */
struct uk_sg {
	uint64_t addr;
	uint32_t len;
};

struct uk_virtio_driver {
	const char *name;
	uint16_t device_id;              /* virtio device type: 1 = net */
	/* Device-type feature bits the driver can use (bits 0-23; bits the
	 * core owns are ignored here). */
	uint64_t features;
	/* Called once per device of device_id, negotiation done. 0, or -E...:
	 * the device is left FAILED with a log line and skipped. */
	int (*probe)(struct uk_virtio_dev *dev);
	struct uk_virtio_driver *next;   /* the registry's; leave NULL */
};

/*
 * Adds drv to the registry. Call it before the transports probe
 * (UK_INIT_CLASS_PLAT prio 1-4). 0; -EINVAL: no name, no probe, or
 * device_id 0; -EEXIST: a driver for that device_id is registered already
 * (the first one keeps it).
 */
int uk_virtio_driver_register(struct uk_virtio_driver *drv);

/*
 * What a driver may read of a device (the transport fills it; never
 * written by drivers except priv).
 */
struct uk_virtio_dev {
	uint16_t device_id;      /* virtio device type */
	const char *name;        /* for logs: "00:03.0" (PCI), "virtio-mmio@0xfeb00e00" */
	void *priv;              /* the driver's, set in probe */
	/* The rest is the core's and the transport's (uk/virtio_transport.h);
	 * drivers use the functions below. */
	const struct uk_virtio_transport_ops *ops;
	const struct uk_virtio_driver *drv;
	uint64_t dev_features;   /* offered by the device */
	uint64_t features;       /* negotiated */
	int err;                 /* first error, see uk_virtio_err */
	bool modern;             /* virtio 1.x interface (else legacy 0.9.5) */
	bool polling;            /* no interrupt: the driver polls its queues */
	unsigned int nvqs;       /* queues set up so far */
	struct uk_virtq *vqs[UK_VIRTIO_MAX_VQS];
	void (*on_config)(struct uk_virtio_dev *dev, void *arg);
	void *on_config_arg;
	void *transport;         /* the transport's private state */
};

/* Negotiated features (the bits both sides have); valid from probe on. */
uint64_t uk_virtio_features(struct uk_virtio_dev *dev);
/* Whether feature bit `bit` was negotiated. */
bool uk_virtio_has(struct uk_virtio_dev *dev, unsigned int bit);
/* Features the device offered (all of them), for logs and tests. */
uint64_t uk_virtio_device_features(struct uk_virtio_dev *dev);
/* True on a virtio 1.x device (VERSION_1 negotiated): config space and
 * rings are little-endian, the net header is 12 bytes. False on a legacy
 * device (guest-endian; the same on x86_64 and arm64 little-endian). */
bool uk_virtio_is_modern(struct uk_virtio_dev *dev);
/* True when the device has no interrupt (polling mode: Kconfig
 * LIBVIRTIO_POLL, the kernel parameter virtio.poll=1, or no line/vector
 * could be had): on_used callbacks then
 * run only from uk_virtq_poll(). */
bool uk_virtio_polling(struct uk_virtio_dev *dev);

/*
 * The device's first error (-EIO: it set DEVICE_NEEDS_RESET or a used ring
 * entry was out of range; -ENOMEM, -ENOSPC, -EINVAL from a queue setup), or
 * 0. Sticky: it stays set.
 */
int uk_virtio_err(struct uk_virtio_dev *dev);

/*
 * Device-specific configuration space: reads len bytes at offset off into
 * buf, consistently (retried while the modern config generation changes).
 * An access past the transport's config window reads as zeros.
 */
void uk_virtio_config_read(struct uk_virtio_dev *dev, unsigned int off,
			   void *buf, unsigned int len);
void uk_virtio_config_write(struct uk_virtio_dev *dev, unsigned int off,
			    const void *buf, unsigned int len);
/* fn(dev, arg) runs in interrupt context when the device's configuration
 * changed (e.g. virtio-net link status). NULL turns it off. */
void uk_virtio_set_config_cb(struct uk_virtio_dev *dev,
			     void (*fn)(struct uk_virtio_dev *dev, void *arg),
			     void *arg);

/*
 * Queue idx with up to `size` entries (the device's maximum if 0; a power
 * of two on legacy devices, where the size is the device's and `size`
 * only checked against it). Rings come from the default allocator.
 * `on_used(vq, arg)` runs in interrupt context when the device used a
 * buffer (or from uk_virtq_poll in polling mode); it is called with the
 * queue's interrupts as they are: it usually calls uk_virtq_intr_disable
 * and defers the work. Queues are set up in probe, before
 * uk_virtio_driver_ok. NULL on failure, the reason in uk_virtio_err():
 * -ENOENT no such queue, -EINVAL bad size, -ENOMEM, -ENOSPC more than
 * UK_VIRTIO_MAX_VQS queues.
 */
struct uk_virtq *uk_virtio_vq_setup(struct uk_virtio_dev *dev, unsigned int idx,
		unsigned int size,
		void (*on_used)(struct uk_virtq *vq, void *arg), void *arg);

/* Sets DRIVER_OK and turns interrupts on. 0, or -E... (the interrupt could
 * not be registered and polling is off; the device is FAILED). */
int uk_virtio_driver_ok(struct uk_virtio_dev *dev);

/* The device a queue belongs to, and its index. */
struct uk_virtio_dev *uk_virtq_dev(struct uk_virtq *vq);
unsigned int uk_virtq_index(struct uk_virtq *vq);
/* Entries in the ring, and descriptors free now. */
unsigned int uk_virtq_size(struct uk_virtq *vq);
unsigned int uk_virtq_free(struct uk_virtq *vq);

/*
 * Adds one buffer chain: nout device-readable buffers then nin
 * device-writable ones (sg[0 .. nout+nin)), and makes it available;
 * cookie (not NULL) comes back from uk_virtq_get when the device used it.
 * 0; -ENOSPC: not enough free descriptors (nothing added); -EINVAL:
 * nout + nin is 0, a len is 0, or cookie is NULL; -EIO: the queue is
 * broken (see uk_virtq_get). Does not notify the device.
 */
int uk_virtq_add(struct uk_virtq *vq, const struct uk_sg *sg,
		 unsigned int nout, unsigned int nin, void *cookie);
/* Notifies the device of new buffers, unless it asked not to be
 * (VIRTQ_USED_F_NO_NOTIFY). */
void uk_virtq_kick(struct uk_virtq *vq);

/*
 * Next used chain: its cookie, and in *len the bytes the device wrote
 * into the chain's device-writable buffers (0 for an out-only chain).
 * NULL when none is pending.
 * Bounds-checked: a used id that is not the head of a chain in flight, or
 * a length beyond the chain's writable bytes, is reported (uk_virtio_err
 * becomes -EIO, one log line) and never followed: the queue is then
 * broken and returns NULL from then on (the device must be reset).
 */
void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len);

/* Re-arms the queue's interrupt; true if used buffers are pending already
 * (the caller then processes them instead of waiting). */
bool uk_virtq_intr_enable(struct uk_virtq *vq);
/* Asks the device not to interrupt for this queue (a hint: an interrupt
 * may still come). */
void uk_virtq_intr_disable(struct uk_virtq *vq);
/* Whether used buffers are pending (what uk_virtq_get would return). */
bool uk_virtq_pending(struct uk_virtq *vq);
/* Polling: runs on_used if used buffers are pending. Returns whether it
 * did. Any context; never from inside on_used. */
bool uk_virtq_poll(struct uk_virtq *vq);
/* True after a bounds error: the queue returns nothing more. */
bool uk_virtq_broken(struct uk_virtq *vq);

#endif
