/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The legacy virtio-pci interface (virtio 0.9.5; virtio 1.2, 4.1.4.8) of
 * transitional devices: registers in I/O BAR0, 32 feature bits, queues
 * given by the page frame of one contiguous block (its size is the
 * device's). MSI-X is not used here (it would move the device config):
 * interrupts are INTx. State: virtio_pci.h.
 */
#include <uk/errno.h>
#include <x86/cpu.h>
#include "virtio_pci.h"

#define L_HOST_FEATURES  0x00
#define L_GUEST_FEATURES 0x04
#define L_QUEUE_PFN      0x08
#define L_QUEUE_NUM      0x0c
#define L_QUEUE_SEL      0x0e
#define L_QUEUE_NOTIFY   0x10
#define L_STATUS         0x12
#define L_ISR            0x13
#define L_CONFIG         0x14   /* without MSI-X */
#define L_IO_LEN         0x14

int virtio_pci_legacy_init(struct virtio_pci *vp)
{
	struct uk_pci_bar *b = &vp->pci->bar[0];

	if (!b->io || b->size < L_IO_LEN || !b->addr || b->addr > 0xffff)
		return -ENOENT;
	vp->io = (uint16_t)b->addr;
	return 0;
}

static void l_reset(struct uk_virtio_dev *dev)
{
	x86_outb(to_vpci(dev)->io + L_STATUS, 0);
}

static uint8_t l_get_status(struct uk_virtio_dev *dev)
{
	return x86_inb(to_vpci(dev)->io + L_STATUS);
}

static void l_set_status(struct uk_virtio_dev *dev, uint8_t s)
{
	x86_outb(to_vpci(dev)->io + L_STATUS, s);
}

static uint64_t l_get_features(struct uk_virtio_dev *dev)
{
	return x86_inl(to_vpci(dev)->io + L_HOST_FEATURES);
}

static void l_set_features(struct uk_virtio_dev *dev, uint64_t f)
{
	x86_outl(to_vpci(dev)->io + L_GUEST_FEATURES, (uint32_t)f);
}

static unsigned int cfg_len(struct virtio_pci *vp)
{
	return vp->pci->bar[0].size > L_CONFIG
		? (unsigned int)vp->pci->bar[0].size - L_CONFIG : 0;
}

static void l_config_read(struct uk_virtio_dev *dev, unsigned int off,
			  void *buf, unsigned int len)
{
	struct virtio_pci *vp = to_vpci(dev);
	uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = off + i < cfg_len(vp)
			? x86_inb((uint16_t)(vp->io + L_CONFIG + off + i)) : 0;
}

static void l_config_write(struct uk_virtio_dev *dev, unsigned int off,
			   const void *buf, unsigned int len)
{
	struct virtio_pci *vp = to_vpci(dev);
	const uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		if (off + i < cfg_len(vp))
			x86_outb((uint16_t)(vp->io + L_CONFIG + off + i), b[i]);
}

static unsigned int l_vq_max(struct uk_virtio_dev *dev, unsigned int idx,
			     bool *fixed)
{
	struct virtio_pci *vp = to_vpci(dev);

	*fixed = true;
	if (idx > 0xffff)
		return 0;
	x86_outw(vp->io + L_QUEUE_SEL, (uint16_t)idx);
	if (x86_inl(vp->io + L_QUEUE_PFN))
		return 0;               /* already in use */
	return x86_inw(vp->io + L_QUEUE_NUM);
}

static int l_vq_enable(struct uk_virtio_dev *dev, const struct uk_virtq_layout *l,
		       struct uk_virtq *vq __unused)
{
	struct virtio_pci *vp = to_vpci(dev);

	if (l->desc % 4096 || l->desc >> 44)
		return -EINVAL;         /* a 32-bit page frame number */
	x86_outw(vp->io + L_QUEUE_SEL, (uint16_t)l->index);
	x86_outl(vp->io + L_QUEUE_PFN, (uint32_t)(l->desc >> 12));
	return 0;
}

static void l_notify(struct uk_virtio_dev *dev, unsigned int idx)
{
	x86_outw(to_vpci(dev)->io + L_QUEUE_NOTIFY, (uint16_t)idx);
}

const struct uk_virtio_transport_ops virtio_pci_legacy_ops = {
	.reset = l_reset,
	.get_status = l_get_status,
	.set_status = l_set_status,
	.get_features = l_get_features,
	.set_features = l_set_features,
	.config_read = l_config_read,
	.config_write = l_config_write,
	.config_gen = NULL,
	.vq_max = l_vq_max,
	.vq_enable = l_vq_enable,
	.notify = l_notify,
	.intr_enable = virtio_pci_intr_enable,
};

uint8_t virtio_pci_legacy_isr(struct virtio_pci *vp);
uint8_t virtio_pci_legacy_isr(struct virtio_pci *vp)
{
	return x86_inb(vp->io + L_ISR);
}
