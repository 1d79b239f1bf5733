/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * MSI-X (PCI 3.0, 6.8.2): the capability's table, in a memory BAR, one
 * 16-byte entry per vector: message address low/high, data, vector
 * control (bit 0: masked). Config space and the scan: config.c.
 */
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/pci.h>

#define MSIX_CTRL        2          /* message control, in the capability */
#define MSIX_CTRL_ENABLE 0x8000
#define MSIX_CTRL_FMASK  0x4000
#define MSIX_TABLE       4          /* BIR (bits 0-2) | offset */
#define ENTRY_WORDS      4
#define VEC_MASKED       1

int uk_pci_msix_init(struct uk_pci_dev *d)
{
	unsigned int cap = uk_pci_cap_find(d, UK_PCI_CAP_MSIX, 0);
	uint16_t ctrl;
	uint32_t tbl;
	uintptr_t base;
	unsigned int i, bir;

	if (!cap)
		return -ENOENT;
	ctrl = uk_pci_cfg_read16(d, cap + MSIX_CTRL);
	tbl = uk_pci_cfg_read32(d, cap + MSIX_TABLE);
	bir = tbl & 7;
	d->msix_size = (uint16_t)((ctrl & 0x7ff) + 1);
	if (bir >= 6 || (uint64_t)(tbl & ~7U) + 16ULL * d->msix_size
			> d->bar[bir].size)
		return -EIO;
	base = uk_pci_bar_map(d, bir);
	if (!base)
		return -EIO;
	d->msix_cap = (uint8_t)cap;
	d->msix_table = (volatile uint32_t *)(base + (tbl & ~7U));
	uk_pci_cfg_write16(d, cap + MSIX_CTRL, ctrl & ~MSIX_CTRL_ENABLE);
	for (i = 0; i < d->msix_size; i++)
		d->msix_table[i * ENTRY_WORDS + 3] = VEC_MASKED;
	return d->msix_size;
}

int uk_pci_msix_set(struct uk_pci_dev *d, unsigned int i, uint64_t addr,
		    uint32_t data)
{
	volatile uint32_t *e;

	if (!d->msix_table || i >= d->msix_size)
		return -EINVAL;
	e = d->msix_table + i * ENTRY_WORDS;
	e[3] = VEC_MASKED;
	e[0] = (uint32_t)addr;
	e[1] = (uint32_t)(addr >> 32);
	e[2] = data;
	e[3] = 0;
	return 0;
}

void uk_pci_msix_mask(struct uk_pci_dev *d, unsigned int i)
{
	if (d->msix_table && i < d->msix_size)
		d->msix_table[i * ENTRY_WORDS + 3] = VEC_MASKED;
}

void uk_pci_msix_enable(struct uk_pci_dev *d, bool on)
{
	uint16_t ctrl;

	if (!d->msix_cap)
		return;
	ctrl = uk_pci_cfg_read16(d, d->msix_cap + MSIX_CTRL);
	ctrl &= ~MSIX_CTRL_FMASK;
	ctrl = on ? (ctrl | MSIX_CTRL_ENABLE) : (ctrl & ~MSIX_CTRL_ENABLE);
	uk_pci_cfg_write16(d, d->msix_cap + MSIX_CTRL, ctrl);
	if (on)
		uk_pci_cfg_write16(d, UK_PCI_COMMAND,
			uk_pci_cfg_read16(d, UK_PCI_COMMAND) | UK_PCI_CMD_INTX_OFF);
}
