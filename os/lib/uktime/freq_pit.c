/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC frequency on x86 QEMU/KVM: count TSC ticks across ~10 ms of PIT
 * (8254, 1.193182 MHz) channel 0 ticks. Channel 0 is used because it
 * exists on both `pc` and `microvm` (microvm has no port 0x61 gate for
 * channel 2). Called once, on the first uk_time_freq(), so boot does not
 * pay for it.
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/time.h>

#define PIT_HZ      1193182ULL
#define PIT_TICKS   11932           /* ~10 ms */

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Latch and read channel 0's 16-bit down-counter. */
static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(0x43, 0x00);
	lo = inb(0x40);
	hi = inb(0x40);
	return (uint16_t)(lo | (hi << 8));
}

uint64_t uk_time_calibrate(void)
{
	uint64_t t0, t1, ticks = 0;
	uint16_t prev, now;

	outb(0x43, 0x34);                    /* ch0, lo/hi, mode 2 (rate generator) */
	outb(0x40, 0);
	outb(0x40, 0);                       /* reload 65536 */
	prev = pit_count();
	t0 = arch_cycles();
	while (ticks < PIT_TICKS) {
		now = pit_count();
		ticks += (uint16_t)(prev - now); /* wraps correctly at reload */
		prev = now;
	}
	t1 = arch_cycles();
	return (t1 - t0) * PIT_HZ / ticks;
}
