/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the KVM/QEMU x86 platform, shared by its own files only. */
#ifndef KVM_H
#define KVM_H

/* What the trampoline passes to kvm_entry() as `magic`. */
#define KVM_MAGIC_MULTIBOOT 0x2badb002  /* eax from a Multiboot v1 loader */
#define KVM_MAGIC_PVH       0x336ec578  /* hvm_start_info.magic */

/* Everything below 1 MiB is left alone; only the first 4 GiB are mapped. */
#define KVM_MEM_LOW_END     0x100000ULL
#define KVM_MEM_MAPPED_END  0x100000000ULL

#define KVM_BOOT_STACK_SIZE_DEFAULT (64 * 1024)

/* The console UART (console.c): COM1 and its registers. */
#define KVM_COM1     0x3f8
#define UART_THR     0      /* transmit holding (write) / receive buffer (read) */
#define UART_IER     1
#define UART_FCR     2
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define UART_DLL     0      /* with LCR.DLAB */
#define UART_DLM     1

#ifndef __ASSEMBLER__
#include <uk/essentials.h>
#include <uk/plat.h>
#include <x86/cpu.h>

/* Linker script symbols. */
extern char __uk_image_start[], _end[];

/* setup.c: the 64-bit C entry, called by trampoline.S on the boot stack. */
void kvm_entry(uint32_t magic, uint32_t info) __noreturn;

/* The UART: 115200 8N1, FIFOs on, no interrupts. Inline: it runs once, from
 * kvm_entry() (a call would cost two more TCG translation blocks). */
static inline void kvm_console_init(void)
{
	x86_outb(KVM_COM1 + UART_IER, 0x00);    /* no interrupts */
	x86_outb(KVM_COM1 + UART_LCR, 0x80);    /* DLAB */
	x86_outb(KVM_COM1 + UART_DLL, 0x01);    /* 115200 baud */
	x86_outb(KVM_COM1 + UART_DLM, 0x00);
	x86_outb(KVM_COM1 + UART_LCR, 0x03);    /* 8N1 */
	/*
	 * FIFOs stay off: turning them on empties the receiver, and QEMU
	 * may already have put the host's first input byte there (it feeds
	 * stdin from its start). Without them QEMU hands over the next byte
	 * as soon as one is read (ukplat_cin waits a little for it).
	 */
	x86_outb(KVM_COM1 + UART_FCR, 0x00);
	x86_outb(KVM_COM1 + UART_MCR, 0x03);    /* DTR, RTS */
}

/*
 * memory.c: build bi->mrd from the loader's RAM ranges. Call
 * kvm_mem_reserve() for every piece of boot information first, then
 * kvm_mem_add_ram() for each RAM range, then kvm_mem_finish().
 */
struct kvm_range {
	uint64_t start, end;
};

#define KVM_MAX_HOLES 16
extern struct kvm_range kvm_holes[KVM_MAX_HOLES];   /* memory.c, for tests */
extern unsigned int kvm_nr_holes;

void kvm_mem_reserve(uint64_t base, uint64_t len);
void kvm_mem_add_ram(struct ukplat_bootinfo *bi, uint64_t base, uint64_t len);
/* The image as UKPLAT_MEMR_KERNEL (_end is page aligned: linker script). */
static inline void kvm_mem_finish(struct ukplat_bootinfo *bi)
{
	if (bi->nr_mrd < UKPLAT_MEMR_MAX)
		bi->mrd[bi->nr_mrd++] = (struct ukplat_memregion){
			.base = (uintptr_t)__uk_image_start,
			.len = (uintptr_t)_end - (uintptr_t)__uk_image_start,
			.type = UKPLAT_MEMR_KERNEL,
		};
}

/* irq.c: the dispatcher the arch's interrupt stubs call; the controller
 * choice (true: local APIC + IOAPIC; false: the PIC fallback) and setup. */
struct __regs;
void kvm_irq_dispatch(unsigned int vector, struct __regs *regs);
bool kvm_irq_apic(void);
void kvm_irq_setup(void);
const char *kvm_irq_controller(void);       /* for tests and reports */

/* Line = vector - 32 with the APIC: IOAPIC inputs 0-23, then the timer. */
#define KVM_IOAPIC_LINES      24
#define KVM_IRQ_APIC_TIMER    24
#define KVM_APIC_TIMER_VEC    (X86_IRQ_VECTOR_BASE + KVM_IRQ_APIC_TIMER)
#define KVM_APIC_SPURIOUS_VEC (X86_IRQ_VECTOR_BASE + X86_IRQ_VECTORS - 1)

/* pic.c: the 8259 pair, vectors 32-47; cascade: line 2 unmasked. */
void kvm_pic_init(bool cascade);
void kvm_pic_mask(unsigned int irq, bool masked);
void kvm_pic_eoi(unsigned int irq);
bool kvm_pic_in_service(unsigned int irq);

/* ioapic.c: inputs masked, aimed at apic_id; returns their number. */
unsigned int kvm_ioapic_init(uint32_t apic_id);
void kvm_ioapic_mask(unsigned int pin, bool masked);

/* Calibration: timer.c measures the TSC against the PIT, apic.c the APIC
 * timer's count rate against the TSC. Each end of a measuring window is
 * read between two TSC reads, and kvm_calib_hook, when set, runs inside
 * every such bracket (the tests set it to stand for a host that stops the
 * vCPU there). Each returns the rate in Hz and, in *tries, how many windows
 * it measured; interrupts masked inside, the timer must not be armed (and
 * for the APIC's, the controller set up: kvm_irq_setup()). */
extern void (*kvm_calib_hook)(void);
uint64_t kvm_tsc_measure(int *tries);
uint64_t kvm_apic_timer_measure(uint64_t tsc_hz, int *tries);

static inline void kvm_calib_point(void)
{
	if (kvm_calib_hook)
		kvm_calib_hook();
}

/* apic.c: the local APIC and its timer (TSC ticks in, TSC deadlines out). */
bool kvm_apic_present(void);
uint32_t kvm_apic_init(void);               /* returns the APIC ID */
void kvm_apic_virtual_wire(void);           /* the PIC fallback's LINT0 */
void kvm_apic_eoi(void);
const char *kvm_apic_mode(void);
uint64_t kvm_apic_timer_max_ns(uint64_t tsc_hz);
uint64_t kvm_apic_timer_arm(uint64_t ns, uint64_t tsc_hz);
void kvm_apic_timer_stop(void);
void kvm_apic_timer_mask(bool masked);
bool kvm_apic_timer_expired(uint64_t deadline);
bool kvm_apic_in_service(unsigned int vector);

/* timer.c: the PIT channel 0 one-shot, on PIC line 0 (the fallback). */
#define KVM_TIMER_IRQ 0
/* Disarm, and leave channel 0 with no expiry to come. */
void kvm_timer_quiet(void);
/* For an edge on the timer's line: is it the armed one-shot's expiry?
 * (Disarms it when it is.) */
bool kvm_timer_deliver(void);

/* multiboot.c / pvh.c: fill bi from the loader's information. */
void kvm_multiboot_parse(struct ukplat_bootinfo *bi, uint32_t magic, uint32_t info);
void kvm_pvh_parse(struct ukplat_bootinfo *bi, uint32_t info);

#endif

#endif
