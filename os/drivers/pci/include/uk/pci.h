/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The x86 PCI bus (QEMU pc): configuration space through the 0xCF8/0xCFC
 * ports, enumeration of bus 0 and the buses behind PCI-to-PCI bridges,
 * BAR sizing and mapping, the capability list and MSI-X tables. The
 * firmware (SeaBIOS) has assigned BARs and interrupt lines; this library
 * only reads them. Code: os/drivers/pci (config.c: ports and scan;
 * msix.c: MSI-X).
 *
 *   struct uk_pci_dev *d;
 *   for (unsigned i = 0; (d = uk_pci_dev_get(i)); i++)
 *       if (d->vendor == 0x1af4) ...
 *
 * Not reentrant: callers are init functions (one CPU, before threads).
 */
#ifndef UK_PCI_H
#define UK_PCI_H

#include <uk/essentials.h>

/* Config space registers used here (PCI 3.0, 6.1). */
#define UK_PCI_VENDOR_ID   0x00
#define UK_PCI_DEVICE_ID   0x02
#define UK_PCI_COMMAND     0x04
#define UK_PCI_STATUS      0x06
#define UK_PCI_CLASS_REV   0x08
#define UK_PCI_HEADER_TYPE 0x0e
#define UK_PCI_BAR0        0x10
#define UK_PCI_SUBSYS_ID   0x2e
#define UK_PCI_CAP_PTR     0x34
#define UK_PCI_INT_LINE    0x3c
#define UK_PCI_INT_PIN     0x3d

#define UK_PCI_CMD_IO      0x1
#define UK_PCI_CMD_MEM     0x2
#define UK_PCI_CMD_MASTER  0x4
#define UK_PCI_CMD_INTX_OFF 0x400
#define UK_PCI_STATUS_CAPS 0x10

#define UK_PCI_CAP_MSIX    0x11
#define UK_PCI_CAP_VENDOR  0x09

/* Devices remembered by the scan. */
#define UK_PCI_MAX_DEVS    32

struct uk_pci_bar {
	uint64_t addr;      /* bus (= physical) address, or I/O port; 0: none */
	uint64_t size;      /* bytes; 0: the BAR is not implemented */
	bool io;            /* an I/O-port BAR */
	bool is64;          /* a 64-bit memory BAR (uses the next slot too) */
	bool mapped;        /* uk_pci_bar_map done */
};

struct uk_pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint16_t subsys_id;
	uint8_t class_code, subclass, prog_if, revision;
	uint8_t irq_line;   /* the firmware's interrupt line (IOAPIC input on
			     * pc: 10/11 for PCI INTx as SeaBIOS routes them) */
	uint8_t irq_pin;    /* 1-4 = INTA-INTD, 0: none */
	struct uk_pci_bar bar[6];
	char name[8];       /* "00:03.0" */
	/* MSI-X, after uk_pci_msix_init */
	uint8_t msix_cap;               /* capability offset, 0: none */
	uint16_t msix_size;             /* table entries */
	volatile uint32_t *msix_table;
};

/*
 * Scans the bus once (later calls return at once): every function of bus
 * 0 and of the buses behind bridges, their BARs sized (decoding is off
 * while a BAR is probed). The number of devices found (at most
 * UK_PCI_MAX_DEVS; more are logged and skipped), 0 when there is no PCI
 * host bridge (microvm).
 */
unsigned int uk_pci_scan(void);
/* The i-th device found, or NULL past the end. Scans first if needed. */
struct uk_pci_dev *uk_pci_dev_get(unsigned int i);

uint8_t uk_pci_cfg_read8(const struct uk_pci_dev *d, unsigned int off);
uint16_t uk_pci_cfg_read16(const struct uk_pci_dev *d, unsigned int off);
uint32_t uk_pci_cfg_read32(const struct uk_pci_dev *d, unsigned int off);
void uk_pci_cfg_write8(const struct uk_pci_dev *d, unsigned int off, uint8_t v);
void uk_pci_cfg_write16(const struct uk_pci_dev *d, unsigned int off, uint16_t v);
void uk_pci_cfg_write32(const struct uk_pci_dev *d, unsigned int off, uint32_t v);

/* Turns on decoding (I/O and/or memory) and bus mastering (DMA). */
void uk_pci_enable(struct uk_pci_dev *d, bool io, bool mem, bool master);

/*
 * The offset of the first capability of type id at or after the one at
 * `from` (0: from the list's start), or 0 when there is none. The walk is
 * bounded (48 entries, offsets inside config space, dword-aligned): a
 * looping or broken list ends it.
 */
unsigned int uk_pci_cap_find(const struct uk_pci_dev *d, uint8_t id,
			     unsigned int from);
/* The capability after the one at `cap` (any type), or 0. */
unsigned int uk_pci_cap_next(const struct uk_pci_dev *d, unsigned int cap);

/*
 * The address of memory BAR n, mapped as device memory
 * (ukplat_page_map(..., UKPLAT_PROT_READ | WRITE | DEVICE); above 4 GiB
 * too, within the platform's 512 GiB). 0 when the BAR is an I/O BAR, not
 * implemented, unassigned (address 0) or could not be mapped (logged).
 */
uintptr_t uk_pci_bar_map(struct uk_pci_dev *d, unsigned int n);

/*
 * MSI-X: finds the capability and maps its table. The number of table
 * entries, or -ENOENT (no MSI-X), -EIO (table BAR unusable). Leaves MSI-X
 * disabled and every entry masked.
 */
int uk_pci_msix_init(struct uk_pci_dev *d);
/* Programs entry i with the message (address, data) and unmasks it.
 * -EINVAL when i is not an entry. */
int uk_pci_msix_set(struct uk_pci_dev *d, unsigned int i, uint64_t addr,
		    uint32_t data);
/* Masks entry i. */
void uk_pci_msix_mask(struct uk_pci_dev *d, unsigned int i);
/* MSI-X on (INTx then off for the function) or off. */
void uk_pci_msix_enable(struct uk_pci_dev *d, bool on);

#endif
