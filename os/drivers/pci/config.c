/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * PCI configuration mechanism #1 (ports 0xCF8 address, 0xCFC data), the
 * bus scan with BAR sizing, the capability list and BAR mapping. MSI-X
 * tables: msix.c. API: uk/pci.h.
 */
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/plat/paging.h>
#include <uk/plat/irq.h>
#include <x86/cpu.h>
#include <uk/pci.h>

#define CFG_ADDR 0xcf8
#define CFG_DATA 0xcfc
#define MAX_BUSES 8             /* buses scanned behind bridges */

static struct uk_pci_dev devs[UK_PCI_MAX_DEVS];
static unsigned int ndevs;
static bool scanned;

static uint32_t addr_of(uint8_t bus, uint8_t dev, uint8_t fn, unsigned int off)
{
	return 0x80000000U | (uint32_t)bus << 16 | (uint32_t)dev << 11
		| (uint32_t)fn << 8 | (off & 0xfc);
}

static uint32_t raw_read32(uint8_t bus, uint8_t dev, uint8_t fn, unsigned int off)
{
	unsigned long f = ukplat_lcpu_save_irqf();
	uint32_t v;

	x86_outl(CFG_ADDR, addr_of(bus, dev, fn, off));
	v = x86_inl(CFG_DATA);
	ukplat_lcpu_restore_irqf(f);
	return v;
}

static void raw_write32(uint8_t bus, uint8_t dev, uint8_t fn, unsigned int off,
			uint32_t v)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	x86_outl(CFG_ADDR, addr_of(bus, dev, fn, off));
	x86_outl(CFG_DATA, v);
	ukplat_lcpu_restore_irqf(f);
}

uint32_t uk_pci_cfg_read32(const struct uk_pci_dev *d, unsigned int off)
{
	return raw_read32(d->bus, d->dev, d->fn, off);
}

uint16_t uk_pci_cfg_read16(const struct uk_pci_dev *d, unsigned int off)
{
	return (uint16_t)(uk_pci_cfg_read32(d, off) >> ((off & 2) * 8));
}

uint8_t uk_pci_cfg_read8(const struct uk_pci_dev *d, unsigned int off)
{
	return (uint8_t)(uk_pci_cfg_read32(d, off) >> ((off & 3) * 8));
}

void uk_pci_cfg_write32(const struct uk_pci_dev *d, unsigned int off, uint32_t v)
{
	raw_write32(d->bus, d->dev, d->fn, off, v);
}

/* Narrow writes read-modify-write the dword: no register written here
 * has write-1-to-clear bits in the same dword except STATUS, which is
 * written back as 0 (no effect) by masking it out. */
void uk_pci_cfg_write16(const struct uk_pci_dev *d, unsigned int off, uint16_t v)
{
	unsigned int sh = (off & 2) * 8;
	uint32_t w = uk_pci_cfg_read32(d, off);

	if ((off & ~3U) == UK_PCI_COMMAND)
		w &= 0x0000ffffU;       /* keep STATUS's W1C bits */
	w = (w & ~(0xffffU << sh)) | (uint32_t)v << sh;
	uk_pci_cfg_write32(d, off, w);
}

void uk_pci_cfg_write8(const struct uk_pci_dev *d, unsigned int off, uint8_t v)
{
	unsigned int sh = (off & 3) * 8;
	uint32_t w = uk_pci_cfg_read32(d, off);

	if ((off & ~3U) == UK_PCI_COMMAND)
		w &= 0x0000ffffU;
	w = (w & ~(0xffU << sh)) | (uint32_t)v << sh;
	uk_pci_cfg_write32(d, off, w);
}

void uk_pci_enable(struct uk_pci_dev *d, bool io, bool mem, bool master)
{
	uint16_t cmd = uk_pci_cfg_read16(d, UK_PCI_COMMAND);

	cmd |= (io ? UK_PCI_CMD_IO : 0) | (mem ? UK_PCI_CMD_MEM : 0)
		| (master ? UK_PCI_CMD_MASTER : 0);
	uk_pci_cfg_write16(d, UK_PCI_COMMAND, cmd);
}

/* Sizes the BARs of a type-0 header: all ones written, read back, value
 * restored, with decoding off meanwhile. */
static void size_bars(struct uk_pci_dev *d)
{
	uint16_t cmd = uk_pci_cfg_read16(d, UK_PCI_COMMAND);
	unsigned int i;

	uk_pci_cfg_write16(d, UK_PCI_COMMAND,
			   cmd & ~(UK_PCI_CMD_IO | UK_PCI_CMD_MEM));
	for (i = 0; i < 6; i++) {
		unsigned int off = UK_PCI_BAR0 + 4 * i;
		uint32_t lo = uk_pci_cfg_read32(d, off), szlo, hi = 0, szhi = 0;
		struct uk_pci_bar *b = &d->bar[i];

		uk_pci_cfg_write32(d, off, 0xffffffffU);
		szlo = uk_pci_cfg_read32(d, off);
		uk_pci_cfg_write32(d, off, lo);
		if (!szlo || szlo == 0xffffffffU)
			continue;
		if (lo & 1) {                   /* I/O */
			b->io = true;
			b->addr = lo & ~3U;
			b->size = (uint16_t)(~(szlo & ~3U) + 1);
			continue;
		}
		if (((lo >> 1) & 3) == 2 && i < 5) {    /* 64-bit memory */
			hi = uk_pci_cfg_read32(d, off + 4);
			uk_pci_cfg_write32(d, off + 4, 0xffffffffU);
			szhi = uk_pci_cfg_read32(d, off + 4);
			uk_pci_cfg_write32(d, off + 4, hi);
			b->is64 = true;
		} else {
			szhi = 0xffffffffU;    /* a 32-bit BAR: the top is ones */
		}
		b->addr = ((uint64_t)hi << 32) | (lo & ~0xfU);
		b->size = ~(((uint64_t)szhi << 32) | (szlo & ~0xfU)) + 1;
		if (b->is64)
			i++;
	}
	uk_pci_cfg_write16(d, UK_PCI_COMMAND, cmd);
}

static void scan_bus(uint8_t bus, unsigned int depth);

static void add_fn(uint8_t bus, uint8_t dev, uint8_t fn, unsigned int depth)
{
	uint32_t id = raw_read32(bus, dev, fn, UK_PCI_VENDOR_ID);
	uint32_t cls = raw_read32(bus, dev, fn, UK_PCI_CLASS_REV);
	uint8_t htype = (uint8_t)(raw_read32(bus, dev, fn, 0x0c) >> 16) & 0x7f;
	struct uk_pci_dev *d;

	if (htype == 1) {           /* PCI-to-PCI bridge: its secondary bus */
		uint8_t sec = (uint8_t)(raw_read32(bus, dev, fn, 0x18) >> 8);

		if (sec > bus && depth < MAX_BUSES)
			scan_bus(sec, depth + 1);
		return;
	}
	if (htype != 0)
		return;
	if (ndevs == UK_PCI_MAX_DEVS) {
		uk_pr_warn("pci: %02x:%02x.%u: more than %u devices, skipped\n",
			   bus, dev, fn, UK_PCI_MAX_DEVS);
		return;
	}
	d = &devs[ndevs++];
	d->bus = bus;
	d->dev = dev;
	d->fn = fn;
	d->vendor = (uint16_t)id;
	d->device = (uint16_t)(id >> 16);
	d->revision = (uint8_t)cls;
	d->prog_if = (uint8_t)(cls >> 8);
	d->subclass = (uint8_t)(cls >> 16);
	d->class_code = (uint8_t)(cls >> 24);
	d->subsys_id = uk_pci_cfg_read16(d, UK_PCI_SUBSYS_ID);
	d->irq_line = uk_pci_cfg_read8(d, UK_PCI_INT_LINE);
	d->irq_pin = uk_pci_cfg_read8(d, UK_PCI_INT_PIN);
	d->name[0] = "0123456789abcdef"[bus >> 4];
	d->name[1] = "0123456789abcdef"[bus & 15];
	d->name[2] = ':';
	d->name[3] = "0123456789abcdef"[dev >> 4];
	d->name[4] = "0123456789abcdef"[dev & 15];
	d->name[5] = '.';
	d->name[6] = (char)('0' + fn);
	d->name[7] = 0;
	size_bars(d);
}

static void scan_bus(uint8_t bus, unsigned int depth)
{
	uint8_t dev, fn, nfn;

	for (dev = 0; dev < 32; dev++) {
		uint32_t id = raw_read32(bus, dev, 0, UK_PCI_VENDOR_ID);

		if ((id & 0xffff) == 0xffff)
			continue;
		nfn = (raw_read32(bus, dev, 0, 0x0c) >> 16) & 0x80 ? 8 : 1;
		for (fn = 0; fn < nfn; fn++) {
			if (fn && (raw_read32(bus, dev, fn, 0) & 0xffff) == 0xffff)
				continue;
			add_fn(bus, dev, fn, depth);
		}
	}
}

unsigned int uk_pci_scan(void)
{
	if (scanned)
		return ndevs;
	scanned = true;
	/* No host bridge answers (microvm): the data port reads all ones. */
	if ((raw_read32(0, 0, 0, UK_PCI_VENDOR_ID) & 0xffff) == 0xffff)
		return 0;
	scan_bus(0, 0);
	return ndevs;
}

struct uk_pci_dev *uk_pci_dev_get(unsigned int i)
{
	uk_pci_scan();
	return i < ndevs ? &devs[i] : NULL;
}

unsigned int uk_pci_cap_next(const struct uk_pci_dev *d, unsigned int cap)
{
	unsigned int next = uk_pci_cfg_read8(d, cap + 1) & 0xfc;

	return next >= 0x40 ? next : 0;
}

unsigned int uk_pci_cap_find(const struct uk_pci_dev *d, uint8_t id,
			     unsigned int from)
{
	unsigned int cap, n;

	if (!(uk_pci_cfg_read16(d, UK_PCI_STATUS) & UK_PCI_STATUS_CAPS))
		return 0;
	cap = from ? uk_pci_cap_next(d, from)
		   : (uk_pci_cfg_read8(d, UK_PCI_CAP_PTR) & 0xfc);
	for (n = 0; cap >= 0x40 && n < 48; n++) {
		if (uk_pci_cfg_read8(d, cap) == id)
			return cap;
		cap = uk_pci_cap_next(d, cap);
	}
	return 0;
}

uintptr_t uk_pci_bar_map(struct uk_pci_dev *d, unsigned int n)
{
	struct uk_pci_bar *b;
	uintptr_t start, end;
	int rc;

	if (n >= 6)
		return 0;
	b = &d->bar[n];
	if (b->io || !b->size || !b->addr)
		return 0;
	if (b->mapped)
		return (uintptr_t)b->addr;
	start = UK_ALIGN_DOWN((uintptr_t)b->addr, UKPLAT_PAGE_SIZE);
	end = UK_ALIGN_UP((uintptr_t)(b->addr + b->size), UKPLAT_PAGE_SIZE);
	rc = ukplat_page_map(start, start, end - start, UKPLAT_PROT_READ
			     | UKPLAT_PROT_WRITE | UKPLAT_PROT_DEVICE);
	if (rc < 0) {
		uk_pr_err("pci %s: BAR%u at %#llx: cannot map (error %d)\n",
			  d->name, n, (unsigned long long)b->addr, rc);
		return 0;
	}
	b->mapped = true;
	return (uintptr_t)b->addr;
}
