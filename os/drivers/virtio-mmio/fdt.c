/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transports from the device tree, children of the root (QEMU
 * arm64 virt: 32 "virtio,mmio" nodes at 0x0a000000 + 0x200 * n, most of them empty): each
 * node's first "reg" entry and its GIC interrupt (interrupts = <type n
 * flags>: an SPI n is platform line 32 + n, a PPI 16 + n). Empty
 * transports (DeviceID 0) are skipped by mmio.c. Probes at
 * UK_INIT_CLASS_PLAT prio 8.
 */
#include <uk/errno.h>
#include <uk/fdt.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/plat/bootinfo.h>
#include "virtio_mmio.h"

#define GIC_SPI 0
#define GIC_PPI 1

/* The node's interrupt as a platform line, or -EINVAL. */
static int node_irq(const void *fdt, int node)
{
	const uint8_t *v;
	int len;
	uint32_t type, n;

	v = ukfdt_getprop(fdt, node, "interrupts", &len);
	if (!v || len < 12)
		return -EINVAL;
	type = ukfdt_be32(v);
	n = ukfdt_be32(v + 4);
	if (type == GIC_SPI && n < 988)
		return (int)(32 + n);
	if (type == GIC_PPI && n < 16)
		return (int)(16 + n);
	return -EINVAL;
}

static int virtio_mmio_fdt_probe(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();
	const void *fdt = bi ? bi->dtb : NULL;
	uint64_t addr, size;
	uint32_t ac, sc;
	int root, node, irq;

	if (!fdt || (root = ukfdt_root(fdt)) < 0)
		return 0;
	ac = ukfdt_address_cells(fdt, root);
	sc = ukfdt_size_cells(fdt, root);
	/* The root's children, where QEMU puts them. */
	for (node = ukfdt_first_child(fdt, root); node >= 0;
	     node = ukfdt_next_sibling(fdt, node)) {
		if (!ukfdt_prop_has_string(fdt, node, "compatible", "virtio,mmio"))
			continue;
		irq = node_irq(fdt, node);
		if (ukfdt_reg(fdt, node, ac, sc, 0, &addr, &size) < 0 || irq < 0) {
			uk_pr_err("virtio-mmio: a virtio,mmio node without reg or interrupts, skipped\n");
			continue;
		}
		virtio_mmio_add(addr, size, (unsigned int)irq);
	}
	return 0;
}
uk_initcall(virtio_mmio_fdt_probe, UK_INIT_CLASS_PLAT, 8);
