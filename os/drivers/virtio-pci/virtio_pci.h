/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio over PCI (virtio 1.2, 4.1): the state of one device, shared by
 * probe.c (finding devices, interrupts), modern.c (virtio 1.x capability
 * structures in memory BARs) and legacy.c (the 0.9.5 I/O-port interface
 * of transitional devices).
 */
#ifndef VIRTIO_PCI_H
#define VIRTIO_PCI_H

#include <uk/pci.h>
#include <uk/virtio_transport.h>

#define VIRTIO_PCI_VENDOR     0x1af4
#define VIRTIO_PCI_NO_VECTOR  0xffff

struct virtio_pci {
	struct uk_virtio_dev vdev;
	struct uk_pci_dev *pci;
	/* modern: the capability structures, mapped */
	volatile uint8_t *common;
	volatile uint8_t *isr;
	volatile uint8_t *device;
	uint32_t device_len;
	volatile uint8_t *notify;
	uint32_t notify_len;
	uint32_t notify_mult;
	uint16_t notify_off[UK_VIRTIO_MAX_VQS];  /* by queue slot */
	/* legacy: the I/O BAR */
	uint16_t io;
	/* interrupts */
	int msix_lines;          /* MSI-X vectors in use: 0 (INTx), 1 or 2 */
	int irq;                 /* INTx line when registered, else -1 */
};

#define to_vpci(d) ((struct virtio_pci *)(d)->transport)

extern const struct uk_virtio_transport_ops virtio_pci_modern_ops;
extern const struct uk_virtio_transport_ops virtio_pci_legacy_ops;

/* modern.c: finds and maps the capabilities. 0, or -ENOENT (not a modern
 * device: no common/notify/isr capability) or -EIO (a BAR unusable). */
int virtio_pci_modern_init(struct virtio_pci *vp);
/* legacy.c: finds the I/O BAR. 0 or -ENOENT. */
int virtio_pci_legacy_init(struct virtio_pci *vp);
/* probe.c: the queues' MSI-X vector for a transport's vq_enable:
 * VIRTIO_PCI_NO_VECTOR without MSI-X. */
uint16_t virtio_pci_queue_vector(struct virtio_pci *vp);
uint16_t virtio_pci_config_vector(struct virtio_pci *vp);
int virtio_pci_intr_enable(struct uk_virtio_dev *dev);

#endif
