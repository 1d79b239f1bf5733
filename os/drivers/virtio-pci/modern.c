/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The modern virtio-pci interface (virtio 1.2, 4.1.4): vendor-specific
 * capabilities point into memory BARs at the common configuration
 * (status, features, queues), the notification area (one doorbell per
 * queue at queue_notify_off * notify_off_multiplier), the ISR byte and the
 * device-specific configuration. Every structure's offset and length is
 * checked against its BAR before it is used. State: virtio_pci.h.
 */
#include <uk/errno.h>
#include <uk/print.h>
#include "virtio_pci.h"

/* virtio_pci_cap.cfg_type */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR    3
#define CAP_DEVICE 4

/* Common configuration registers */
#define C_DFSELECT   0x00
#define C_DF         0x04
#define C_GFSELECT   0x08
#define C_GF         0x0c
#define C_MSIX       0x10
#define C_NUMQ       0x12
#define C_STATUS     0x14
#define C_CFGGEN     0x15
#define C_Q_SELECT   0x16
#define C_Q_SIZE     0x18
#define C_Q_MSIX     0x1a
#define C_Q_ENABLE   0x1c
#define C_Q_NOFF     0x1e
#define C_Q_DESC     0x20
#define C_Q_AVAIL    0x28
#define C_Q_USED     0x30
#define COMMON_LEN   0x38

#define R8(p, o)     (*(volatile uint8_t *)((p) + (o)))
#define R16(p, o)    (*(volatile uint16_t *)((p) + (o)))
#define R32(p, o)    (*(volatile uint32_t *)((p) + (o)))

static void w64(volatile uint8_t *p, unsigned int o, uint64_t v)
{
	R32(p, o) = (uint32_t)v;
	R32(p, o + 4) = (uint32_t)(v >> 32);
}

/* The mapped structure a capability describes, or NULL if it does not
 * fit its BAR (logged). */
static volatile uint8_t *cap_map(struct virtio_pci *vp, unsigned int cap,
				 uint32_t min_len, uint32_t *len)
{
	struct uk_pci_dev *d = vp->pci;
	uint8_t bar = uk_pci_cfg_read8(d, cap + 4);
	uint32_t off = uk_pci_cfg_read32(d, cap + 8);
	uint32_t l = uk_pci_cfg_read32(d, cap + 12);
	uintptr_t base;

	if (bar >= 6 || d->bar[bar].io || l < min_len
	    || (uint64_t)off + l > d->bar[bar].size) {
		uk_pr_err("virtio-pci %s: capability at %#x outside BAR%u\n",
			  d->name, cap, bar);
		return NULL;
	}
	base = uk_pci_bar_map(d, bar);
	if (!base)
		return NULL;
	if (len)
		*len = l;
	return (volatile uint8_t *)(base + off);
}

int virtio_pci_modern_init(struct virtio_pci *vp)
{
	struct uk_pci_dev *d = vp->pci;
	unsigned int cap = 0;
	bool found = false;

	while ((cap = uk_pci_cap_find(d, UK_PCI_CAP_VENDOR, cap))) {
		uint8_t type = uk_pci_cfg_read8(d, cap + 3);
		volatile uint8_t **slot = NULL;
		uint32_t min = 1, *len = NULL;

		found = true;
		switch (type) {
		case CAP_COMMON: slot = &vp->common; min = COMMON_LEN; break;
		case CAP_ISR:    slot = &vp->isr; break;
		case CAP_DEVICE: slot = &vp->device; len = &vp->device_len; break;
		case CAP_NOTIFY:
			slot = &vp->notify;
			len = &vp->notify_len;
			min = 2;
			vp->notify_mult = uk_pci_cfg_read32(d, cap + 16);
			break;
		default:
			continue;
		}
		if (*slot)
			continue;          /* the first of each type is used */
		*slot = cap_map(vp, cap, min, len);
		if (!*slot)
			return -EIO;
	}
	if (!found || !vp->common || !vp->notify || !vp->isr)
		return -ENOENT;
	return 0;
}

static void m_reset(struct uk_virtio_dev *dev)
{
	struct virtio_pci *vp = to_vpci(dev);
	unsigned int i;

	R8(vp->common, C_STATUS) = 0;
	for (i = 0; i < 1000000 && R8(vp->common, C_STATUS); i++)
		;
}

static uint8_t m_get_status(struct uk_virtio_dev *dev)
{
	return R8(to_vpci(dev)->common, C_STATUS);
}

static void m_set_status(struct uk_virtio_dev *dev, uint8_t s)
{
	R8(to_vpci(dev)->common, C_STATUS) = s;
}

static uint64_t m_get_features(struct uk_virtio_dev *dev)
{
	volatile uint8_t *c = to_vpci(dev)->common;
	uint64_t f;

	R32(c, C_DFSELECT) = 0;
	f = R32(c, C_DF);
	R32(c, C_DFSELECT) = 1;
	return f | (uint64_t)R32(c, C_DF) << 32;
}

static void m_set_features(struct uk_virtio_dev *dev, uint64_t f)
{
	volatile uint8_t *c = to_vpci(dev)->common;

	R32(c, C_GFSELECT) = 0;
	R32(c, C_GF) = (uint32_t)f;
	R32(c, C_GFSELECT) = 1;
	R32(c, C_GF) = (uint32_t)(f >> 32);
}

static void m_config_read(struct uk_virtio_dev *dev, unsigned int off,
			  void *buf, unsigned int len)
{
	struct virtio_pci *vp = to_vpci(dev);
	uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = vp->device && off + i < vp->device_len
			? R8(vp->device, off + i) : 0;
}

static void m_config_write(struct uk_virtio_dev *dev, unsigned int off,
			   const void *buf, unsigned int len)
{
	struct virtio_pci *vp = to_vpci(dev);
	const uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		if (vp->device && off + i < vp->device_len)
			R8(vp->device, off + i) = b[i];
}

static uint32_t m_config_gen(struct uk_virtio_dev *dev)
{
	return R8(to_vpci(dev)->common, C_CFGGEN);
}

static unsigned int m_vq_max(struct uk_virtio_dev *dev, unsigned int idx,
			     bool *fixed)
{
	volatile uint8_t *c = to_vpci(dev)->common;

	*fixed = false;
	if (idx >= R16(c, C_NUMQ))
		return 0;
	R16(c, C_Q_SELECT) = (uint16_t)idx;
	return R16(c, C_Q_SIZE);
}

static int m_vq_enable(struct uk_virtio_dev *dev, const struct uk_virtq_layout *l,
		       struct uk_virtq *vq __unused)
{
	struct virtio_pci *vp = to_vpci(dev);
	volatile uint8_t *c = vp->common;
	uint16_t vec = virtio_pci_queue_vector(vp);
	uint32_t noff;

	R16(c, C_Q_SELECT) = (uint16_t)l->index;
	R16(c, C_Q_SIZE) = (uint16_t)l->size;
	w64(c, C_Q_DESC, l->desc);
	w64(c, C_Q_AVAIL, l->avail);
	w64(c, C_Q_USED, l->used);
	if (vec != VIRTIO_PCI_NO_VECTOR) {
		R16(c, C_Q_MSIX) = vec;
		if (R16(c, C_Q_MSIX) != vec)
			return -EIO;    /* the device could not take the vector */
	}
	noff = R16(c, C_Q_NOFF);
	if ((uint64_t)noff * vp->notify_mult + 2 > vp->notify_len)
		return -EIO;
	vp->notify_off[dev->nvqs] = (uint16_t)noff;
	R16(c, C_Q_ENABLE) = 1;
	return 0;
}

static void m_notify(struct uk_virtio_dev *dev, unsigned int idx)
{
	struct virtio_pci *vp = to_vpci(dev);
	unsigned int i;

	for (i = 0; i < dev->nvqs; i++)
		if (uk_virtq_index(dev->vqs[i]) == idx)
			break;
	if (i == dev->nvqs)
		return;
	R16(vp->notify, (size_t)vp->notify_off[i] * vp->notify_mult)
		= (uint16_t)idx;
}

const struct uk_virtio_transport_ops virtio_pci_modern_ops = {
	.reset = m_reset,
	.get_status = m_get_status,
	.set_status = m_set_status,
	.get_features = m_get_features,
	.set_features = m_set_features,
	.config_read = m_config_read,
	.config_write = m_config_write,
	.config_gen = m_config_gen,
	.vq_max = m_vq_max,
	.vq_enable = m_vq_enable,
	.notify = m_notify,
	.intr_enable = virtio_pci_intr_enable,
};

/* The config vector is written here, so probe.c stays transport-neutral. */
void virtio_pci_modern_set_config_vector(struct virtio_pci *vp, uint16_t vec);
void virtio_pci_modern_set_config_vector(struct virtio_pci *vp, uint16_t vec)
{
	R16(vp->common, C_MSIX) = vec;
}
