/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TSC frequency on x86 QEMU/KVM: count TSC ticks across a fixed number of
 * PIT (8254, 1.193182 MHz) ticks on channel 2, gated through port 0x61.
 * Called once, on the first uk_time_freq(), so boot does not pay for it.
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

uint64_t uk_time_calibrate(void)
{
	uint64_t t0, t1;
	uint8_t gate = inb(0x61);

	outb(0x61, (gate & ~0x02) | 0x01);   /* gate on, speaker off */
	outb(0x43, 0xb0);                    /* ch2, lo/hi, mode 0 */
	outb(0x42, PIT_TICKS & 0xff);
	outb(0x42, PIT_TICKS >> 8);
	t0 = arch_cycles();
	while (!(inb(0x61) & 0x20))          /* OUT2 goes high at terminal count */
		;
	t1 = arch_cycles();
	outb(0x61, gate);
	return (t1 - t0) * PIT_HZ / PIT_TICKS;
}
