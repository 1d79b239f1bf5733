/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio over MMIO (virtio 1.2, 4.2): one transport's state, shared by
 * mmio.c (the registers, both the legacy version 1 and the modern version
 * 2 layouts, and interrupts) and the discovery of transports: cmdline.c
 * (QEMU microvm's virtio_mmio.device= words) and fdt.c (arm64 virt's
 * virtio,mmio device tree nodes).
 */
#ifndef VIRTIO_MMIO_H
#define VIRTIO_MMIO_H

#include <uk/virtio_transport.h>

struct virtio_mmio {
	struct uk_virtio_dev vdev;
	volatile uint8_t *base;
	uint64_t size;          /* bytes of the register window */
	unsigned int version;   /* 1 legacy, 2 modern */
	unsigned int irq;       /* platform line */
	char name[40];
};

/*
 * Checks the transport at physical address addr (window of size bytes,
 * interrupt line irq), maps its pages as device memory if they are not
 * mapped, and when it holds a device (DeviceID not 0) hands it to the
 * virtio core. 0 (also for an empty transport), -ENODEV (no virtio magic
 * or an unknown version: logged), -EINVAL (window smaller than the
 * registers), -ENOMEM.
 */
int virtio_mmio_add(uint64_t addr, uint64_t size, unsigned int irq);

/*
 * Parses one word "virtio_mmio.device=<size>@<addr>:<irq>[:<id>]" (size
 * with an optional K/M/G suffix, numbers in decimal or 0x hex, as Linux
 * reads them). 0 and the three values, -ENOENT: not such a word,
 * -EINVAL: malformed. Pure: no device is touched.
 */
int virtio_mmio_parse_word(const char *w, uint64_t *size, uint64_t *addr,
			   unsigned int *irq);

#endif
