/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio-mmio register interface (virtio 1.2, 4.2.2 and, for version
 * 1, 4.2.4 "Legacy interface"): status, features through 32-bit select
 * windows, queues (modern: three 64-bit ring addresses and QueueReady;
 * legacy: GuestPageSize, QueueAlign and the page frame of one contiguous
 * block), the device config at 0x100, and the interrupt status/ack pair.
 * Found by cmdline.c (microvm) and fdt.c (arm64 virt). State:
 * virtio_mmio.h.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/plat/irq.h>
#include <uk/plat/paging.h>
#include "virtio_mmio.h"

#define MAGIC_VALUE       0x000
#define VERSION           0x004
#define DEVICE_ID         0x008
#define DEVICE_FEATURES   0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES   0x020
#define DRIVER_FEATURES_SEL 0x024
#define GUEST_PAGE_SIZE   0x028   /* legacy */
#define QUEUE_SEL         0x030
#define QUEUE_NUM_MAX     0x034
#define QUEUE_NUM         0x038
#define QUEUE_ALIGN       0x03c   /* legacy */
#define QUEUE_PFN         0x040   /* legacy */
#define QUEUE_READY       0x044
#define QUEUE_NOTIFY      0x050
#define INTERRUPT_STATUS  0x060
#define INTERRUPT_ACK     0x064
#define STATUS            0x070
#define QUEUE_DESC        0x080
#define QUEUE_DRIVER      0x090
#define QUEUE_DEVICE      0x0a0
#define CONFIG_GENERATION 0x0fc
#define CONFIG            0x100

#define MAGIC             0x74726976   /* "virt" */

#define to_vm(d) ((struct virtio_mmio *)(d)->transport)

static uint32_t rd(struct virtio_mmio *vm, unsigned int off)
{
	return *(volatile uint32_t *)(vm->base + off);
}

static void wr(struct virtio_mmio *vm, unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(vm->base + off) = v;
}

static void m_reset(struct uk_virtio_dev *dev)
{
	struct virtio_mmio *vm = to_vm(dev);
	unsigned int i;

	wr(vm, STATUS, 0);
	for (i = 0; i < 1000000 && rd(vm, STATUS); i++)
		;
}

static uint8_t m_get_status(struct uk_virtio_dev *dev)
{
	return (uint8_t)rd(to_vm(dev), STATUS);
}

static void m_set_status(struct uk_virtio_dev *dev, uint8_t s)
{
	wr(to_vm(dev), STATUS, s);
}

static uint64_t m_get_features(struct uk_virtio_dev *dev)
{
	struct virtio_mmio *vm = to_vm(dev);
	uint64_t f;

	wr(vm, DEVICE_FEATURES_SEL, 0);
	f = rd(vm, DEVICE_FEATURES);
	if (vm->version == 1)
		return f;
	wr(vm, DEVICE_FEATURES_SEL, 1);
	return f | (uint64_t)rd(vm, DEVICE_FEATURES) << 32;
}

static void m_set_features(struct uk_virtio_dev *dev, uint64_t f)
{
	struct virtio_mmio *vm = to_vm(dev);

	wr(vm, DRIVER_FEATURES_SEL, 0);
	wr(vm, DRIVER_FEATURES, (uint32_t)f);
	if (vm->version == 1)
		return;
	wr(vm, DRIVER_FEATURES_SEL, 1);
	wr(vm, DRIVER_FEATURES, (uint32_t)(f >> 32));
}

static unsigned int cfg_len(struct virtio_mmio *vm)
{
	return vm->size > CONFIG ? (unsigned int)(vm->size - CONFIG) : 0;
}

/* Byte accesses: QEMU's virtio-mmio accepts 1-, 2- and 4-byte config
 * accesses in both versions. */
static void m_config_read(struct uk_virtio_dev *dev, unsigned int off,
			  void *buf, unsigned int len)
{
	struct virtio_mmio *vm = to_vm(dev);
	uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		b[i] = off + i < cfg_len(vm)
			? *(volatile uint8_t *)(vm->base + CONFIG + off + i) : 0;
}

static void m_config_write(struct uk_virtio_dev *dev, unsigned int off,
			   const void *buf, unsigned int len)
{
	struct virtio_mmio *vm = to_vm(dev);
	const uint8_t *b = buf;
	unsigned int i;

	for (i = 0; i < len; i++)
		if (off + i < cfg_len(vm))
			*(volatile uint8_t *)(vm->base + CONFIG + off + i) = b[i];
}

static uint32_t m_config_gen(struct uk_virtio_dev *dev)
{
	return rd(to_vm(dev), CONFIG_GENERATION);
}

static unsigned int m_vq_max(struct uk_virtio_dev *dev, unsigned int idx,
			     bool *fixed)
{
	struct virtio_mmio *vm = to_vm(dev);

	*fixed = false;
	wr(vm, QUEUE_SEL, idx);
	if (rd(vm, vm->version == 1 ? QUEUE_PFN : QUEUE_READY))
		return 0;               /* already in use */
	return rd(vm, QUEUE_NUM_MAX);
}

static int m_vq_enable(struct uk_virtio_dev *dev, const struct uk_virtq_layout *l,
		       struct uk_virtq *vq __unused)
{
	struct virtio_mmio *vm = to_vm(dev);

	wr(vm, QUEUE_SEL, l->index);
	wr(vm, QUEUE_NUM, l->size);
	if (vm->version == 1) {
		if (l->desc % 4096 || l->desc >> 44)
			return -EINVAL;
		wr(vm, GUEST_PAGE_SIZE, UKPLAT_PAGE_SIZE);
		wr(vm, QUEUE_ALIGN, l->legacy_align);
		wr(vm, QUEUE_PFN, (uint32_t)(l->desc >> 12));
		return 0;
	}
	wr(vm, QUEUE_DESC, (uint32_t)l->desc);
	wr(vm, QUEUE_DESC + 4, (uint32_t)(l->desc >> 32));
	wr(vm, QUEUE_DRIVER, (uint32_t)l->avail);
	wr(vm, QUEUE_DRIVER + 4, (uint32_t)(l->avail >> 32));
	wr(vm, QUEUE_DEVICE, (uint32_t)l->used);
	wr(vm, QUEUE_DEVICE + 4, (uint32_t)(l->used >> 32));
	wr(vm, QUEUE_READY, 1);
	return 0;
}

static void m_notify(struct uk_virtio_dev *dev, unsigned int idx)
{
	wr(to_vm(dev), QUEUE_NOTIFY, idx);
}

/* Acknowledge first, then look at the queues: a buffer used after the
 * status was read raises the (edge) line again, one used before is seen
 * by the queue walk. */
static void m_intr(unsigned int irq __unused, void *arg)
{
	struct virtio_mmio *vm = arg;
	uint32_t isr = rd(vm, INTERRUPT_STATUS);

	if (!isr)
		return;
	wr(vm, INTERRUPT_ACK, isr);
	uk_virtio_dev_intr(&vm->vdev, isr);
}

static int m_intr_enable(struct uk_virtio_dev *dev)
{
	struct virtio_mmio *vm = to_vm(dev);

	return ukplat_irq_register(vm->irq, m_intr, vm);
}

static const struct uk_virtio_transport_ops mmio_ops = {
	.reset = m_reset,
	.get_status = m_get_status,
	.set_status = m_set_status,
	.get_features = m_get_features,
	.set_features = m_set_features,
	.config_read = m_config_read,
	.config_write = m_config_write,
	.config_gen = NULL,
	.vq_max = m_vq_max,
	.vq_enable = m_vq_enable,
	.notify = m_notify,
	.intr_enable = m_intr_enable,
};

static const struct uk_virtio_transport_ops mmio_ops_v2 = {
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
	.intr_enable = m_intr_enable,
};

/* Maps [addr, addr + size) as device memory unless every page of it is
 * mapped as device memory already (arm64 virt maps its device area at
 * boot; x86 identity-maps the low 4 GiB as normal memory). */
static int map_device(uint64_t addr, uint64_t size)
{
	uintptr_t start = UK_ALIGN_DOWN((uintptr_t)addr, UKPLAT_PAGE_SIZE);
	uintptr_t end = UK_ALIGN_UP((uintptr_t)(addr + size), UKPLAT_PAGE_SIZE);
	uintptr_t p;
	int prot;

	for (p = start; p < end; p += UKPLAT_PAGE_SIZE) {
		prot = ukplat_page_prot(p);
		if (prot < 0 || !(prot & UKPLAT_PROT_DEVICE))
			return ukplat_page_map(start, start, end - start,
					       UKPLAT_PROT_READ | UKPLAT_PROT_WRITE
					       | UKPLAT_PROT_DEVICE);
	}
	return 0;
}

static void hex(char *p, uint64_t v)
{
	int i, n = 1;

	while (n < 16 && (v >> (4 * n)))
		n++;
	*p++ = '0';
	*p++ = 'x';
	for (i = n - 1; i >= 0; i--)
		*p++ = "0123456789abcdef"[(v >> (4 * i)) & 15];
	*p = 0;
}

int virtio_mmio_add(uint64_t addr, uint64_t size, unsigned int irq)
{
	struct uk_alloc *a = uk_alloc_get_default();
	volatile uint8_t *base = (volatile uint8_t *)(uintptr_t)addr;
	struct virtio_mmio *vm;
	uint32_t magic, version, devid;
	int rc;

	if (size < CONFIG)
		return -EINVAL;
	rc = map_device(addr, size);
	if (rc < 0) {
		uk_pr_err("virtio-mmio@%#llx: cannot map (error %d)\n",
			  (unsigned long long)addr, rc);
		return rc;
	}
	magic = *(volatile uint32_t *)(base + MAGIC_VALUE);
	version = *(volatile uint32_t *)(base + VERSION);
	devid = *(volatile uint32_t *)(base + DEVICE_ID);
	if (magic != MAGIC || (version != 1 && version != 2)) {
		uk_pr_err("virtio-mmio@%#llx: no virtio transport (magic %#x, version %u)\n",
			  (unsigned long long)addr, magic, version);
		return -ENODEV;
	}
	if (!devid || devid > 0xffff)
		return 0;               /* an empty slot */
	vm = a ? uk_calloc(a, 1, sizeof(*vm)) : NULL;
	if (!vm)
		return -ENOMEM;
	vm->base = base;
	vm->size = size;
	vm->version = version;
	vm->irq = irq;
	{
		static const char pre[] = "virtio-mmio@";
		unsigned int i;

		for (i = 0; pre[i]; i++)
			vm->name[i] = pre[i];
		hex(vm->name + i, addr);
	}
	vm->vdev.device_id = (uint16_t)devid;
	vm->vdev.name = vm->name;
	vm->vdev.ops = version == 1 ? &mmio_ops : &mmio_ops_v2;
	vm->vdev.modern = version == 2;
	vm->vdev.transport = vm;
	uk_virtio_dev_probe(&vm->vdev);
	return 0;
}
