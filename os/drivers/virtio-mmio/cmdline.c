/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-mmio transports from the command line (QEMU microvm without ACPI,
 * Firecracker): the VMM appends "virtio_mmio.device=<size>@<addr>:<irq>"
 * for each transport with a device, after our "---"; ukboot keeps those
 * words in the boot information (bi->vmm_argv, ARCHITECTURE.md "The
 * command-line rule"). The irq is a GSI: an IOAPIC input, i.e. a platform
 * line. Transports probe at UK_INIT_CLASS_PLAT prio 8. The register side:
 * mmio.c.
 */
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/plat/bootinfo.h>
#include "virtio_mmio.h"

/* A number as Linux's memparse/simple_strtoull read it: 0x hex or
 * decimal; *p moves past it. -EINVAL when there are no digits or it
 * overflows. */
static int number(const char **p, uint64_t *v)
{
	const char *s = *p;
	unsigned int base = 10, d;
	uint64_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (; ; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			break;
		if (n > (UINT64_MAX - d) / base)
			return -EINVAL;
		n = n * base + d;
	}
	if (s == *p || (base == 16 && s == *p + 2))
		return -EINVAL;
	*p = s;
	*v = n;
	return 0;
}

int virtio_mmio_parse_word(const char *w, uint64_t *size, uint64_t *addr,
			   unsigned int *irq)
{
	static const char key[] = "virtio_mmio.device=";
	uint64_t v, id;
	unsigned int i, shift = 0;

	for (i = 0; key[i]; i++)
		if (w[i] != key[i])
			return -ENOENT;
	w += i;
	if (number(&w, size) < 0)
		return -EINVAL;
	switch (*w) {
	case 'K': case 'k': shift = 10; w++; break;
	case 'M': case 'm': shift = 20; w++; break;
	case 'G': case 'g': shift = 30; w++; break;
	}
	if (shift && *size > (UINT64_MAX >> shift))
		return -EINVAL;
	*size <<= shift;
	if (*w++ != '@' || number(&w, addr) < 0 || *w++ != ':'
	    || number(&w, &v) < 0 || v > 0xffffffffULL)
		return -EINVAL;
	if (*w == ':' && (w++, number(&w, &id) < 0))
		return -EINVAL;
	if (*w || !*size || *addr + *size < *addr)
		return -EINVAL;
	*irq = (unsigned int)v;
	return 0;
}

static int virtio_mmio_cmdline_probe(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();
	uint64_t size, addr;
	unsigned int irq;
	int i, rc;

	for (i = 0; bi && i < bi->vmm_argc; i++) {
		rc = virtio_mmio_parse_word(bi->vmm_argv[i], &size, &addr, &irq);
		if (rc == -ENOENT)
			continue;
		if (rc < 0) {
			uk_pr_err("virtio-mmio: cannot read '%s' (want virtio_mmio.device=<size>@<addr>:<irq>)\n",
				  bi->vmm_argv[i]);
			continue;
		}
		virtio_mmio_add(addr, size, irq);
	}
	return 0;
}
uk_initcall(virtio_mmio_cmdline_probe, UK_INIT_CLASS_PLAT, 8);
