/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-pci: finds virtio functions on the PCI bus (vendor 0x1af4,
 * devices 0x1000-0x107f) at UK_INIT_CLASS_PLAT prio 7, picks the modern
 * interface (modern.c) or else the legacy one (legacy.c), sets up
 * interrupts and hands the device to the virtio core, which calls the
 * driver's probe.
 *
 * Interrupts: a modern device with MSI-X gets two platform MSI lines
 * (vector 0: configuration changes, vector 1: all its queues), or one
 * shared by both when only one line is left. Otherwise INTx: the line the
 * firmware wrote in the function's Interrupt Line register (an IOAPIC
 * input on pc), shared between the queues and configuration changes and
 * told apart by the ISR byte, which reading clears (and deasserts the
 * line). In polling mode (LIBVIRTIO_POLL, virtio.poll=1) nothing is
 * registered.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/plat/irq.h>
#include "virtio_pci.h"

uint8_t virtio_pci_legacy_isr(struct virtio_pci *vp);
void virtio_pci_modern_set_config_vector(struct virtio_pci *vp, uint16_t vec);

uint16_t virtio_pci_queue_vector(struct virtio_pci *vp)
{
	return vp->msix_lines == 2 ? 1 : vp->msix_lines == 1 ? 0
		: VIRTIO_PCI_NO_VECTOR;
}

uint16_t virtio_pci_config_vector(struct virtio_pci *vp)
{
	return vp->msix_lines ? 0 : VIRTIO_PCI_NO_VECTOR;
}

static void msix_queues(unsigned int irq __unused, void *arg)
{
	struct virtio_pci *vp = arg;

	uk_virtio_dev_intr(&vp->vdev, vp->msix_lines == 1
		? UK_VIRTIO_ISR_QUEUE | UK_VIRTIO_ISR_CONFIG : UK_VIRTIO_ISR_QUEUE);
}

static void msix_config(unsigned int irq __unused, void *arg)
{
	struct virtio_pci *vp = arg;

	uk_virtio_config_intr(&vp->vdev);
}

static void intx(unsigned int irq __unused, void *arg)
{
	struct virtio_pci *vp = arg;
	uint8_t isr = vp->vdev.ops == &virtio_pci_legacy_ops
		? virtio_pci_legacy_isr(vp) : *vp->isr;

	if (isr)
		uk_virtio_dev_intr(&vp->vdev, isr);
}

/*
 * MSI-X for a modern device, before the core resets and negotiates: the
 * platform lines, the table entries, the function's MSI-X on. Leaves
 * msix_lines 0 (INTx) when anything is missing.
 */
static void msix_setup(struct virtio_pci *vp)
{
	uint64_t addr[2];
	uint32_t data[2];
	int lines[2], n, i, want;

	n = uk_pci_msix_init(vp->pci);
	if (n <= 0)
		return;
	want = n >= 2 ? 2 : 1;
	for (i = 0; i < want; i++) {
		lines[i] = ukplat_irq_alloc_msi(i == 0 && want == 2 ? msix_config
						: msix_queues, vp,
						&addr[i], &data[i]);
		if (lines[i] < 0)
			break;
	}
	if (i < want) {                 /* fewer lines than wanted */
		while (i-- > 0)
			ukplat_irq_unregister((unsigned int)lines[i]);
		if (want == 1)
			return;
		/* one line for both */
		lines[0] = ukplat_irq_alloc_msi(msix_queues, vp, &addr[0], &data[0]);
		if (lines[0] < 0)
			return;
		want = 1;
	}
	for (i = 0; i < want; i++)
		uk_pci_msix_set(vp->pci, (unsigned int)i, addr[i], data[i]);
	vp->msix_lines = want;
	uk_pci_msix_enable(vp->pci, true);
	uk_pr_info("virtio-pci %s: MSI-X, %d vector(s)\n", vp->pci->name, want);
}

int virtio_pci_intr_enable(struct uk_virtio_dev *dev)
{
	struct virtio_pci *vp = to_vpci(dev);
	uint8_t line = vp->pci->irq_line;
	int rc;

	if (vp->msix_lines) {
		virtio_pci_modern_set_config_vector(vp, 0);
		return 0;
	}
	if (!vp->pci->irq_pin || line == 0 || line == 0xff)
		return -ENOTSUP;
	rc = ukplat_irq_register(line, intx, vp);
	if (rc < 0)
		return rc;
	vp->irq = line;
	uk_pr_info("virtio-pci %s: INTx, line %u\n", vp->pci->name, line);
	return 0;
}

static int virtio_pci_probe(void)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_pci_dev *d;
	struct virtio_pci *vp;
	unsigned int i;

	for (i = 0; (d = uk_pci_dev_get(i)); i++) {
		uint16_t type;

		if (d->vendor != VIRTIO_PCI_VENDOR
		    || d->device < 0x1000 || d->device > 0x107f)
			continue;
		type = d->device >= 0x1040 ? (uint16_t)(d->device - 0x1040)
					   : d->subsys_id;
		if (!type)
			continue;
		vp = a ? uk_calloc(a, 1, sizeof(*vp)) : NULL;
		if (!vp) {
			uk_pr_err("virtio-pci %s: out of memory\n", d->name);
			return 0;
		}
		vp->pci = d;
		vp->irq = -1;
		vp->vdev.device_id = type;
		vp->vdev.name = d->name;
		vp->vdev.transport = vp;
		uk_pci_enable(d, true, true, true);
		if (virtio_pci_modern_init(vp) == 0) {
			vp->vdev.ops = &virtio_pci_modern_ops;
			vp->vdev.modern = true;
			if (!uk_virtio_poll_mode() && uk_virtio_driver_find(type))
				msix_setup(vp);
		} else if (virtio_pci_legacy_init(vp) == 0) {
			vp->vdev.ops = &virtio_pci_legacy_ops;
		} else {
			uk_pr_err("virtio-pci %s: neither a modern nor a legacy interface\n",
				  d->name);
			uk_free(a, vp);
			continue;
		}
		uk_virtio_dev_probe(&vp->vdev);
	}
	return 0;
}
uk_initcall(virtio_pci_probe, UK_INIT_CLASS_PLAT, 7);
