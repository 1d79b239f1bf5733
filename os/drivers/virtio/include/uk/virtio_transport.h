/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio core's side for transports (os/drivers/virtio-pci,
 * os/drivers/virtio-mmio): the operations a transport implements on its
 * registers, and the core functions it calls when it finds a device and
 * when the device interrupts. Drivers use uk/virtio.h only.
 *
 * A transport, per device it finds:
 *   dev->ops = &my_ops; dev->device_id = ...; dev->name = ...;
 *   dev->transport = my_state; dev->modern = ...;
 *   uk_virtio_dev_probe(dev);   // reset, negotiate, drv->probe
 * and from its interrupt handler:
 *   uk_virtio_dev_intr(dev, isr);   // or uk_virtq_intr(vq) per MSI-X vector
 */
#ifndef UK_VIRTIO_TRANSPORT_H
#define UK_VIRTIO_TRANSPORT_H

#include <uk/virtio.h>

/* Device status bits (virtio 1.2, 2.1). */
#define UK_VIRTIO_S_ACKNOWLEDGE        1
#define UK_VIRTIO_S_DRIVER             2
#define UK_VIRTIO_S_DRIVER_OK          4
#define UK_VIRTIO_S_FEATURES_OK        8
#define UK_VIRTIO_S_DEVICE_NEEDS_RESET 64
#define UK_VIRTIO_S_FAILED             128

/* ISR status bits (INTx / legacy interrupt). */
#define UK_VIRTIO_ISR_QUEUE  1
#define UK_VIRTIO_ISR_CONFIG 2

/*
 * Where the core put a queue's rings, for the transport to tell the
 * device. The rings are one block in the legacy layout (descriptor table,
 * available ring, then the used ring at the next legacy_align boundary),
 * so a legacy device can be given the page frame of `desc` alone.
 */
struct uk_virtq_layout {
	unsigned int index;
	unsigned int size;        /* entries */
	uint64_t desc, avail, used;   /* physical addresses */
	unsigned int legacy_align;    /* 4096 */
};

struct uk_virtio_transport_ops {
	/* Writes 0 to the status and waits until the device reads it back
	 * as 0 (modern) — the device then forgets its queues. */
	void (*reset)(struct uk_virtio_dev *dev);
	uint8_t (*get_status)(struct uk_virtio_dev *dev);
	void (*set_status)(struct uk_virtio_dev *dev, uint8_t status);
	/* Legacy transports have 32 feature bits: the upper half reads 0 and
	 * is ignored on write. */
	uint64_t (*get_features)(struct uk_virtio_dev *dev);
	void (*set_features)(struct uk_virtio_dev *dev, uint64_t features);
	/* Device config space, byte-wise within the transport's window
	 * (out of range: reads zeros, writes are dropped). */
	void (*config_read)(struct uk_virtio_dev *dev, unsigned int off, void *buf, unsigned int len);
	void (*config_write)(struct uk_virtio_dev *dev, unsigned int off, const void *buf, unsigned int len);
	/* Modern config generation; NULL on legacy. */
	uint32_t (*config_gen)(struct uk_virtio_dev *dev);
	/* Max entries of queue idx; 0 when the queue does not exist. *fixed
	 * is set when the size cannot be changed (legacy PCI). */
	unsigned int (*vq_max)(struct uk_virtio_dev *dev, unsigned int idx, bool *fixed);
	/* Tells the device where queue l->index is and enables it; also sets
	 * up its interrupt vector when the transport has one per queue.
	 * 0 or -E... */
	int (*vq_enable)(struct uk_virtio_dev *dev, const struct uk_virtq_layout *l,
			 struct uk_virtq *vq);
	/* Doorbell for queue idx. */
	void (*notify)(struct uk_virtio_dev *dev, unsigned int idx);
	/* Registers the device's interrupt(s), before DRIVER_OK. 0, or -E...
	 * (the core then falls back to polling). NULL: none (polling). */
	int (*intr_enable)(struct uk_virtio_dev *dev);
};

/*
 * Resets dev, sets ACKNOWLEDGE | DRIVER, finds the registered driver of
 * dev->device_id, negotiates features and calls its probe. 0 when a driver
 * took the device; -ENODEV: no driver registered for the type (status left
 * at reset); -EIO: the device refused FEATURES_OK or a modern device did
 * not offer VERSION_1; else probe's -E.... On failure the device is left
 * FAILED (or reset for -ENODEV) with one log line. dev must outlive the
 * image (it is never freed).
 */
int uk_virtio_dev_probe(struct uk_virtio_dev *dev);

/*
 * From the transport's interrupt handler: isr is the ISR status read
 * (which cleared it) or UK_VIRTIO_ISR_QUEUE | UK_VIRTIO_ISR_CONFIG when
 * the transport cannot tell. Runs on_used of every queue with used
 * buffers pending, and the config callback.
 */
void uk_virtio_dev_intr(struct uk_virtio_dev *dev, unsigned int isr);
/* From a per-queue interrupt (MSI-X vector): runs vq's on_used. */
void uk_virtq_intr(struct uk_virtq *vq);
/* From a config-change interrupt (MSI-X vector). */
void uk_virtio_config_intr(struct uk_virtio_dev *dev);

/* Whether every device runs in polling mode (Kconfig LIBVIRTIO_POLL or the
 * kernel parameter virtio.poll=1): transports then set no interrupt up. */
bool uk_virtio_poll_mode(void);

/* The registry, for transports' logs and tests: the driver of a type or
 * NULL. */
const struct uk_virtio_driver *uk_virtio_driver_find(uint16_t device_id);

/* Devices probed so far (whether a driver took them or not), for tests:
 * up to UK_VIRTIO_MAX_DEVS are remembered. */
#define UK_VIRTIO_MAX_DEVS 8
unsigned int uk_virtio_dev_count(void);
struct uk_virtio_dev *uk_virtio_dev_get(unsigned int i);

#endif
