/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for os/drivers/virtio-mmio/cmdline.c (included as it is):
 * `mmio_words WORD...` prints, per word, what virtio_mmio_parse_word made
 * of it: "OK <size> <addr> <irq>" or "ERR <rc>"; then, with the words as
 * the boot information's VMM words, the transports the probe would add
 * ("ADD <addr> <size> <irq>"). tests/host/test_virtio_ring.py compares.
 */
#include <stdio.h>
/* included, so that its static init function can be called */
#include "cmdline.c"

static struct ukplat_bootinfo bi;

const struct ukplat_bootinfo *ukplat_bootinfo_get(void)
{
	return &bi;
}

int virtio_mmio_add(uint64_t addr, uint64_t size, unsigned int irq)
{
	printf("ADD %#llx %llu %u\n", (unsigned long long)addr,
	       (unsigned long long)size, irq);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t size, addr;
	unsigned int irq;
	int i, rc;

	for (i = 1; i < argc; i++) {
		rc = virtio_mmio_parse_word(argv[i], &size, &addr, &irq);
		if (rc)
			printf("ERR %d\n", rc);
		else
			printf("OK %llu %#llx %u\n", (unsigned long long)size,
			       (unsigned long long)addr, irq);
	}
	bi.vmm_argc = argc - 1;
	bi.vmm_argv = argv + 1;
	return virtio_mmio_cmdline_probe();
}
