/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu interrupts (uk/plat/irq.h): a Linux process has none of its own;
 * registration says so (-ENOTSUP). The CPU mask calls keep their contract
 * trivially: nothing can interrupt, so interrupts always read as masked
 * and waiting for one returns at once.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>

int ukplat_irq_register(unsigned int irq __unused, ukplat_irq_handler_t fn __unused,
			void *arg __unused)
{
	return -ENOTSUP;
}

int ukplat_irq_unregister(unsigned int irq __unused)
{
	return -ENOENT;
}

int ukplat_irq_mask(unsigned int irq __unused)
{
	return -EINVAL;
}

int ukplat_irq_unmask(unsigned int irq __unused)
{
	return -EINVAL;
}

void ukplat_irq_ack(unsigned int irq __unused)
{
}

uint64_t ukplat_irq_count(void)
{
	return 0;
}

int ukplat_irq_alloc_msi(ukplat_irq_handler_t fn __unused, void *arg __unused,
			 uint64_t *addr __unused, uint32_t *data __unused)
{
	return -ENOTSUP;
}

void ukplat_lcpu_enable_irq(void)
{
}

void ukplat_lcpu_disable_irq(void)
{
}

unsigned long ukplat_lcpu_save_irqf(void)
{
	return 0;
}

void ukplat_lcpu_restore_irqf(unsigned long flags __unused)
{
}

bool ukplat_lcpu_irqs_disabled(void)
{
	return true;
}

void ukplat_lcpu_halt_irq(void)
{
}
