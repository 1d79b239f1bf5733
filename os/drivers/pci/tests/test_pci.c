/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the PCI bus library (LIBPCI_TESTS) on QEMU pc, whose
 * layout is fixed: 00:00.0 the i440FX host bridge (8086:1237), 00:01.0 the
 * PIIX3 ISA bridge (8086:7000), and, when tests/boot/test_virtio.py adds
 * one, a virtio-net-pci: its BARs (I/O BAR0 of 32 bytes, BAR1 of 4 KiB
 * for the MSI-X table, 64-bit BAR4 of 16 KiB for the virtio structures,
 * as its layout has them), capabilities, and a mapped BAR is device
 * memory.
 */
#include <stdio.h>
#include <uk/plat/paging.h>
#include <uk/test.h>
#include <uk/pci.h>

static struct uk_pci_dev *find(uint16_t vendor, uint16_t device)
{
	struct uk_pci_dev *d;
	unsigned int i;

	for (i = 0; (d = uk_pci_dev_get(i)); i++)
		if (d->vendor == vendor && d->device == device)
			return d;
	return NULL;
}

UK_TESTCASE(pci, scan_finds_the_pc_chipset)
{
	struct uk_pci_dev *hb = uk_pci_dev_get(0), *isa;

	UK_TEST_ASSERT(uk_pci_scan() >= 2);
	UK_TEST_EXPECT_EQ(uk_pci_scan(), uk_pci_scan());       /* once */
	UK_TEST_ASSERT(hb != NULL);
	UK_TEST_EXPECT_EQ(hb->vendor, 0x8086);
	UK_TEST_EXPECT_EQ(hb->device, 0x1237);
	UK_TEST_EXPECT_EQ(hb->class_code, 0x06);                /* bridge */
	UK_TEST_EXPECT(hb->name[0] == '0' && hb->name[6] == '0' && !hb->name[7]);
	isa = find(0x8086, 0x7000);
	UK_TEST_ASSERT(isa != NULL);
	UK_TEST_EXPECT_EQ(isa->dev, 1);
	UK_TEST_EXPECT(uk_pci_dev_get(uk_pci_scan()) == NULL);
}

/*
 * The three layouts of QEMU's virtio-net-pci: transitional (the default,
 * 1af4:1000 with the virtio vendor capabilities), legacy only
 * (disable-modern=on: 1af4:1000, no vendor capabilities, no BAR4) and
 * modern only (disable-legacy=on: 1af4:1041, no I/O BAR). The layout found
 * is printed (UK-PCI virtio-net layout=...) for the host to compare with
 * the device it gave.
 */
UK_TESTCASE(pci, virtio_net_bars_and_capabilities)
{
	struct uk_pci_dev *d = find(0x1af4, 0x1000);
	unsigned int cap, n = 0;
	const char *layout;
	uintptr_t va;

	if (!d)
		d = find(0x1af4, 0x1041);
	if (!d)
		return;         /* booted without the device: nothing to check */
	for (cap = 0; (cap = uk_pci_cap_find(d, UK_PCI_CAP_VENDOR, cap)); n++)
		UK_TEST_ASSERT(n < 48);
	layout = d->device == 0x1041 ? "modern" : n ? "transitional" : "legacy";
	printf("UK-PCI virtio-net layout=%s bar4=%#llx\n", layout,
	       (unsigned long long)d->bar[4].addr);
	if (d->device == 0x1000) {
		UK_TEST_EXPECT(d->bar[0].io);
		UK_TEST_EXPECT_EQ(d->bar[0].size, 32);
		UK_TEST_EXPECT_EQ(uk_pci_bar_map(d, 0), 0);     /* I/O */
		UK_TEST_EXPECT(!d->bar[1].io && !d->bar[1].is64);
		UK_TEST_EXPECT_EQ(d->bar[1].size, 4096);        /* MSI-X */
		UK_TEST_EXPECT(uk_pci_cap_find(d, UK_PCI_CAP_MSIX, 0) != 0);
	} else {
		UK_TEST_EXPECT_EQ(d->bar[0].size, 0);
	}
	UK_TEST_EXPECT(d->irq_pin >= 1 && d->irq_pin <= 4);
	UK_TEST_EXPECT_EQ(uk_pci_bar_map(d, 6), 0);
	UK_TEST_EXPECT_EQ(uk_pci_cfg_read16(d, UK_PCI_VENDOR_ID), 0x1af4);
	UK_TEST_EXPECT(uk_pci_cfg_read16(d, UK_PCI_COMMAND) & UK_PCI_CMD_MASTER);
	if (!n) {                       /* legacy only */
		UK_TEST_EXPECT_EQ(d->bar[4].size, 0);
		UK_TEST_EXPECT_EQ(uk_pci_bar_map(d, 4), 0);
		return;
	}
	UK_TEST_EXPECT(n >= 4);         /* common, notify, isr, device (+ pci cfg) */
	UK_TEST_EXPECT(d->bar[4].is64);
	UK_TEST_EXPECT_EQ(d->bar[4].size, 16384);
	UK_TEST_EXPECT_EQ(d->bar[5].size, 0);                   /* BAR4's top half */
	UK_TEST_EXPECT_EQ(uk_pci_bar_map(d, 5), 0);
	va = uk_pci_bar_map(d, 4);
	UK_TEST_ASSERT(va != 0);
	UK_TEST_EXPECT_EQ(va, d->bar[4].addr);
	UK_TEST_EXPECT(ukplat_page_prot(va) & UKPLAT_PROT_DEVICE);
	UK_TEST_EXPECT(ukplat_page_prot(va + 16384 - 1) & UKPLAT_PROT_DEVICE);
}
