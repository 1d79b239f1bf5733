/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * x86_64 CPU definitions shared by the arch library (os/arch/x86_64) and the
 * bare-metal x86 platforms (os/plat/kvm): control register bits, GDT
 * selectors, port I/O. Usable from assembly (.S) and C.
 */
#ifndef X86_CPU_H
#define X86_CPU_H

/* Segment selectors of the GDT in gdt.S. */
#define X86_SEL_CODE64  0x08
#define X86_SEL_DATA    0x10
#define X86_SEL_TSS     0x18

#define X86_CR0_PE      (1 << 0)
#define X86_CR0_MP      (1 << 1)
#define X86_CR0_EM      (1 << 2)
#define X86_CR0_TS      (1 << 3)
#define X86_CR0_NE      (1 << 5)
#define X86_CR0_WP      (1 << 16)       /* read-only pages hold for ring 0 too */
#define X86_CR0_PG      (1 << 31)

#define X86_CR4_PAE        (1 << 5)
#define X86_CR4_OSFXSR     (1 << 9)
#define X86_CR4_OSXMMEXCPT (1 << 10)

/*
 * What every x86_64 boot path sets before the first C instruction (the
 * compiler emits SSE): CR0.EM and TS off, MP and NE on; CR4.OSFXSR and
 * OSXMMEXCPT on. Platform trampolines fold these into their own CR0/CR4
 * writes (one write each: CR writes are VM exits under KVM), then `fninit`.
 */
#define X86_CR0_BOOT_CLEAR (X86_CR0_EM | X86_CR0_TS)
#define X86_CR0_BOOT_SET   (X86_CR0_MP | X86_CR0_NE)
#define X86_CR4_BOOT_SET   (X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT)

#define X86_MSR_EFER    0xc0000080
#define X86_EFER_LME    (1 << 8)
#define X86_EFER_NXE    (1 << 11)       /* the NX bit of page table entries */

#define X86_RFLAGS_IF   (1UL << 9)

/* CPUID leaf 1 feature bits, and the local APIC's MSRs. */
#define X86_CPUID1_EDX_APIC         (1U << 9)
#define X86_CPUID1_ECX_X2APIC       (1U << 21)
#define X86_CPUID1_ECX_TSC_DEADLINE (1U << 24)
#define X86_MSR_APIC_BASE           0x1b
#define X86_APIC_BASE_BSP           (1UL << 8)
#define X86_APIC_BASE_X2APIC        (1UL << 10)
#define X86_APIC_BASE_ENABLE        (1UL << 11)
#define X86_MSR_TSC_DEADLINE        0x6e0
#define X86_MSR_X2APIC_BASE         0x800   /* + xAPIC register offset / 16 */

/* Page table entry bits. */
#define X86_PTE_P       (1 << 0)
#define X86_PTE_RW      (1 << 1)
#define X86_PTE_A       (1 << 5)        /* accessed */
#define X86_PTE_D       (1 << 6)        /* dirty (leaf entries) */
#define X86_PTE_PWT     (1 << 3)
#define X86_PTE_PCD     (1 << 4)
#define X86_PTE_PS      (1 << 7)
#define X86_PTE_NX_HI   (1 << 31)       /* NX, in the high dword of an entry */
#ifndef __ASSEMBLER__
#define X86_PTE_NX      (1ULL << 63)
#endif

/* Page fault error code bits. */
#define X86_PF_P        (1 << 0)        /* protection (else: not present) */
#define X86_PF_W        (1 << 1)        /* a write */
#define X86_PF_I        (1 << 4)        /* an instruction fetch */

#ifndef __ASSEMBLER__
#include <uk/essentials.h>

static inline void x86_outb(uint16_t port, uint8_t v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outw(uint16_t port, uint16_t v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void x86_outl(uint16_t port, uint32_t v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t x86_inb(uint16_t port)
{
	uint8_t v;

	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint16_t x86_inw(uint16_t port)
{
	uint16_t v;

	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline uint32_t x86_inl(uint16_t port)
{
	uint32_t v;

	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(leaf), "c"(sub));
}

static inline uint64_t x86_rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void x86_wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			     : "memory");
}

static inline uint64_t x86_read_cr2(void)
{
	uint64_t v;

	__asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
	return v;
}

static inline void __noreturn x86_halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

/*
 * Loads the TSS (with a separate stack for double fault, NMI and machine
 * check) and the IDT whose vectors 0-31 end in uk_crash() with the
 * registers (idt.c). Call once, early, from the platform's C entry.
 */
void x86_traps_init(void);

/* The GDT descriptor (gdt.S), for `lgdt` in the platform's trampoline. */
extern const char x86_gdt_desc[];
#endif

/*
 * External interrupts (irq.S, irq.c): vectors X86_IRQ_VECTOR_BASE ..
 * + X86_IRQ_VECTORS - 1 go to the dispatcher a platform installs with
 * x86_irq_init(), called with interrupts masked, vector and registers.
 * Other vectors have no gate (an interrupt there is reported as a crash).
 */
#define X86_IRQ_VECTOR_BASE 32
#define X86_IRQ_VECTORS     32
#define X86_IDT_VECTORS     (X86_IRQ_VECTOR_BASE + X86_IRQ_VECTORS)

#ifndef __ASSEMBLER__
struct __regs;
typedef void (*x86_irq_dispatch_t)(unsigned int vector, struct __regs *regs);
void x86_irq_init(x86_irq_dispatch_t fn);
/* An interrupt gate (kernel code segment, the interrupt stack IST3) for
 * vec at handler, an irq.S-style entry that leaves IST3 before it can block. */
void x86_idt_set_gate(unsigned int vec, uintptr_t handler);

static inline unsigned long x86_save_flags_cli(void)
{
	unsigned long f;

	__asm__ __volatile__("pushfq; popq %0; cli" : "=r"(f) : : "memory");
	return f;
}

static inline void x86_restore_flags(unsigned long f)
{
	__asm__ __volatile__("pushq %0; popfq" : : "r"(f) : "memory", "cc");
}
#endif

#endif
