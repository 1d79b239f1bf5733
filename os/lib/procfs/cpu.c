/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /proc/cpuinfo for the one CPU, in the architecture's own format, from
 * what the CPU says about itself: x86 CPUID (vendor, family/model/
 * stepping, brand string, the common feature flags); arm64 MIDR_EL1
 * (implementer, part, revision) on the VMs. The clock rate is the
 * platform clock's.
 */
#include <uk/essentials.h>
#include <uk/plat/time.h>
#include "procfs.h"

#if defined(__x86_64__)
static void cpuid(unsigned int leaf, unsigned int r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(0));
}

static const struct { unsigned int reg, bit; const char *name; } flags[] = {
	{ 3, 0, "fpu" }, { 3, 4, "tsc" }, { 3, 5, "msr" }, { 3, 6, "pae" }, { 3, 8, "cx8" },
	{ 3, 9, "apic" }, { 3, 15, "cmov" }, { 3, 19, "clflush" }, { 3, 23, "mmx" },
	{ 3, 24, "fxsr" }, { 3, 25, "sse" }, { 3, 26, "sse2" }, { 2, 0, "pni" },
	{ 2, 9, "ssse3" }, { 2, 13, "cx16" }, { 2, 19, "sse4_1" }, { 2, 20, "sse4_2" },
	{ 2, 22, "movbe" }, { 2, 23, "popcnt" }, { 2, 25, "aes" }, { 2, 26, "xsave" },
	{ 2, 28, "avx" }, { 2, 30, "rdrand" }, { 2, 31, "hypervisor" },
};

static void line(struct uk_seq *s, const char *k)
{
	uk_seq_puts(s, k);
	uk_seq_puts(s, "\t: ");
}

void procfs_gen_cpuinfo(struct uk_seq *s, void *arg __unused)
{
	unsigned int r[4], v[4], brand[13] = { 0 };
	unsigned int fam, model, i;
	char vendor[13];

	cpuid(0, r);
	__builtin_memcpy(vendor, &r[1], 4);
	__builtin_memcpy(vendor + 4, &r[3], 4);
	__builtin_memcpy(vendor + 8, &r[2], 4);
	vendor[12] = 0;
	cpuid(1, v);
	fam = (v[0] >> 8) & 0xf;
	model = (v[0] >> 4) & 0xf;
	if (fam == 0xf)
		fam += (v[0] >> 20) & 0xff;
	if (fam >= 6)
		model |= ((v[0] >> 16) & 0xf) << 4;
	cpuid(0x80000000, r);
	if (r[0] >= 0x80000004)
		for (i = 0; i < 3; i++)
			cpuid(0x80000002 + i, &brand[i * 4]);
	line(s, "processor");
	uk_seq_puts(s, "0\n");
	line(s, "vendor_id");
	uk_seq_puts(s, vendor);
	uk_seq_putc(s, '\n');
	uk_seq_puts(s, "cpu family");
	uk_seq_puts(s, "\t: ");
	uk_seq_putu(s, fam);
	uk_seq_putc(s, '\n');
	line(s, "model\t");
	uk_seq_putu(s, model);
	uk_seq_putc(s, '\n');
	line(s, "model name");
	uk_seq_puts(s, brand[0] ? (const char *)brand : "unknown");
	uk_seq_putc(s, '\n');
	line(s, "stepping");
	uk_seq_putu(s, v[0] & 0xf);
	uk_seq_putc(s, '\n');
	line(s, "cpu MHz\t");
	uk_seq_putu(s, (unsigned long)(ukplat_clock_freq() / 1000000));
	uk_seq_puts(s, ".000\n");
	line(s, "cpu cores");
	uk_seq_puts(s, "1\n");
	line(s, "flags\t");
	for (i = 0; i < UK_ARRAY_SIZE(flags); i++)
		if (v[flags[i].reg] & (1U << flags[i].bit)) {
			uk_seq_puts(s, flags[i].name);
			uk_seq_putc(s, ' ');
		}
	uk_seq_puts(s, "\n\n");
}
#else
void procfs_gen_cpuinfo(struct uk_seq *s, void *arg __unused)
{
	unsigned long midr;

	__asm__ __volatile__("mrs %0, midr_el1" : "=r"(midr));
	uk_seq_puts(s, "processor\t: 0\nBogoMIPS\t: ");
	uk_seq_putu(s, (unsigned long)(ukplat_clock_freq() / 500000));
	uk_seq_puts(s, ".00\nFeatures\t: fp asimd\nCPU implementer\t: 0x");
	uk_seq_putx(s, (midr >> 24) & 0xff, 2);
	uk_seq_puts(s, "\nCPU architecture: 8\nCPU variant\t: 0x");
	uk_seq_putx(s, (midr >> 20) & 0xf, 1);
	uk_seq_puts(s, "\nCPU part\t: 0x");
	uk_seq_putx(s, (midr >> 4) & 0xfff, 3);
	uk_seq_puts(s, "\nCPU revision\t: ");
	uk_seq_putu(s, midr & 0xf);
	uk_seq_puts(s, "\n\n");
}
#endif
