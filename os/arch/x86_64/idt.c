/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The IDT for the CPU exceptions (vectors 0-31) and the TSS with the three
 * stacks the CPU switches to on entry (IST), so that nothing is ever pushed
 * below the interrupted rsp: Linux binaries run in ring 0 here and keep
 * data in the SysV red zone (128 bytes below rsp), and a fault on a broken
 * stack (a push into the boot stack's guard page) is reported instead of
 * turning into a double or triple fault:
 *  - IST1: double fault, NMI, machine check (fatal);
 *  - IST2: page faults; the handler chain runs there;
 *  - IST3: external interrupts (irq.S moves their frame to the interrupted
 *    stack below its red zone and goes on there) and the other exceptions.
 * A page fault goes first to the fault handler chain (uk/fault.h: demand
 * paging, signal delivery), which may resolve it; every other exception,
 * and a page fault no handler claims, ends in uk_crash() with a one-line
 * reason and the saved registers. A page fault in a stack guard page
 * (ukplat_stack_guard_hit()) is reported as "stack overflow", also when it
 * is the interrupt entry's frame move that hit it.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/plat.h>
#include <uk/fault.h>
#include <x86/cpu.h>

#define NR_VECTORS 32
#define TRAP_STUB_SIZE 16
#define IST_STACK_SIZE (16 * 1024)

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;       /* P | DPL0 | 0xe (64-bit interrupt gate) */
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t zero;
} __packed;

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
} __packed;

/* The 16-byte GDT entry of a 64-bit TSS. */
struct tss_desc {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid;
	uint8_t type;       /* P | DPL0 | 9 (available 64-bit TSS) */
	uint8_t limit_hi;   /* and flags */
	uint8_t base_hi;
	uint32_t base_upper;
	uint32_t zero;
} __packed __attribute__((may_alias));   /* written over two x86_gdt words */

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

extern const char x86_trap_stubs[];
extern const uintptr_t x86_irq_frame_move;   /* irq.S: the frame copy's address */
extern uint64_t x86_gdt[];
void x86_trap_handler(struct __regs *regs);

/* Exceptions, then the external interrupt vectors (irq.c fills those). */
static struct idt_gate idt[X86_IDT_VECTORS] __align(16);
static struct tss64 tss __align(16);
static uint8_t ist_stack[IST_STACK_SIZE] __align(16);       /* #DF, NMI, #MC */
static uint8_t ist_pf_stack[IST_STACK_SIZE] __align(16);    /* #PF */
static uint8_t ist_irq_stack[IST_STACK_SIZE] __align(16);   /* interrupts, the rest */

/* The exceptions' names, one after another, in vector order; an empty
 * name is a reserved vector ("reserved exception N"). One string, not a
 * table of pointers: 8 bytes less per name, and no copy of "reserved
 * exception" per reserved vector. */
static const char names[] =
	"divide error\0debug\0NMI\0breakpoint\0overflow\0"
	"bound range exceeded\0invalid opcode\0device not available\0"
	"double fault\0coprocessor segment overrun\0invalid TSS\0"
	"segment not present\0stack-segment fault\0general protection fault\0"
	"page fault\0\0x87 floating-point error\0"
	"alignment check\0machine check\0SIMD floating-point exception\0"
	"virtualization exception\0control protection exception\0"
	"\0\0\0\0\0\0"                                   /* 22-27 */
	"hypervisor injection exception\0VMM communication exception\0"
	"security exception\0";                             /* 31: reserved */

/* The IDT register: the table's address is known at link time. */
static const struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };

void x86_traps_init(void)
{
	uintptr_t base = (uintptr_t)&tss;
	unsigned int i;

	tss.ist[0] = (uintptr_t)(ist_stack + IST_STACK_SIZE);
	tss.ist[1] = (uintptr_t)(ist_pf_stack + IST_STACK_SIZE);
	tss.ist[2] = (uintptr_t)(ist_irq_stack + IST_STACK_SIZE);
	tss.iomap_base = sizeof(tss);     /* no I/O permission bitmap */
	/* field by field: as 64-bit words (shifts and masks of an address)
	 * the compiler uses SSE, the only SSE on the boot path, and the first
	 * SSE instruction costs QEMU's TCG a lot to translate */
	*(struct tss_desc *)&x86_gdt[X86_SEL_TSS / 8] = (struct tss_desc){
		.limit_lo = sizeof(tss) - 1,
		.base_lo = base & 0xffff,
		.base_mid = (base >> 16) & 0xff,
		.type = 0x89,
		.base_hi = (base >> 24) & 0xff,
		.base_upper = base >> 32,
	};
	__asm__ __volatile__("ltr %w0" : : "r"(X86_SEL_TSS));

	for (i = 0; i < NR_VECTORS; i++) {
		uintptr_t h = (uintptr_t)x86_trap_stubs + i * TRAP_STUB_SIZE;

		idt[i].off_lo = h & 0xffff;
		idt[i].sel = X86_SEL_CODE64;
		idt[i].ist = 3;
		idt[i].type = 0x8e;
		idt[i].off_mid = (h >> 16) & 0xffff;
		idt[i].off_hi = h >> 32;
	}
	/* NMI, double fault and machine check run on the IST1 stack, page
	 * faults on IST2, the other exceptions on IST3, where they stay: they
	 * end in a crash report, and must not block. (An exception while one
	 * is reported starts again at the top of its stack, over the first
	 * one's frames: the crash report then says "recursive" and halts,
	 * which is all it can do anyway.) */
	idt[2].ist = idt[8].ist = idt[18].ist = 1;
	idt[14].ist = 2;
	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

void x86_idt_set_gate(unsigned int vec, uintptr_t h)
{
	UK_ASSERT(vec < X86_IDT_VECTORS);
	idt[vec] = (struct idt_gate){
		.off_lo = h & 0xffff,
		.sel = X86_SEL_CODE64,
		.ist = 3,
		.type = 0x8e,
		.off_mid = (h >> 16) & 0xffff,
		.off_hi = h >> 32,
	};
}

/* Appends s at *p (bounded by end), returns the new position. */
static char *put_str(char *p, char *end, const char *s)
{
	while (*s && p < end)
		*p++ = *s++;
	return p;
}

/* v in hex ("0x" and no leading zeros) at *p, bounded by end; returns the
 * new position. Digits from the top down: no digit buffer on the stack. */
static char *put_hex(char *p, char *end, uint64_t v)
{
	int shift = 60;

	p = put_str(p, end, "0x");
	while (shift && !(v >> shift))
		shift -= 4;
	for (; shift >= 0 && p < end; shift -= 4)
		*p++ = "0123456789abcdef"[(v >> shift) & 0xf];
	return p;
}

/* v < 100 (a vector number) in decimal at *p, bounded by end. */
static char *put_dec2(char *p, char *end, unsigned int v)
{
	if (v >= 10 && p < end)
		*p++ = (char)('0' + v / 10);
	if (p < end)
		*p++ = (char)('0' + v % 10);
	return p;
}

/* The name of exception vector vec < NR_VECTORS, or "" when reserved. */
static const char *vector_name(unsigned int vec)
{
	const char *s = names;

	while (vec--)
		s += uk_strlen(s) + 1;
	return s;
}

/*
 * A page fault no handler claimed in irq.S's frame move: the interrupted
 * stack has no room for the interrupt's frame below its red zone (a stack
 * about to overflow, or a wild rsp). Reported as a fault of the
 * interrupted code, whose registers the copy was moving: rep movsq has
 * advanced rsi by the words it copied, rcx counts those left.
 */
static void __noreturn frame_move_fault(const struct __regs *regs, uint64_t cr2)
{
	static char reason[160];
	char *p = reason, *end = reason + sizeof(reason) - 1;
	const struct __regs *in = (const struct __regs *)
		(regs->rsi - (sizeof(struct __regs) - 8 * regs->rcx));

	if (ukplat_stack_guard_hit(cr2))
		p = put_str(p, end, "stack overflow: ");
	p = put_str(p, end, "no room for the frame of interrupt vector ");
	p = put_dec2(p, end, in->vector < 100 ? (unsigned int)in->vector : 99);
	p = put_str(p, end, " at addr ");
	p = put_hex(p, end, cr2);
	p = put_str(p, end, " below rsp ");
	p = put_hex(p, end, in->rsp);
	p = put_str(p, end, ", rip ");
	p = put_hex(p, end, in->rip);
	*p = '\0';
	uk_crash(reason, in);
}

/*
 * Called by traps.S with the saved registers. Builds a reason such as
 * "page fault (vector 14, error 0x2) at addr 0x0, rip 0x1012a4".
 */
void x86_trap_handler(struct __regs *regs)
{
	static char reason[160];
	char *p = reason, *end = reason + sizeof(reason) - 1;
	unsigned int vec = regs->vector;
	uint64_t cr2 = x86_read_cr2();
	const char *name;

	if (vec == 14) {
		struct uk_fault f = {
			.addr = cr2,
			.write = regs->error_code & X86_PF_W,
			.exec = regs->error_code & X86_PF_I,
			.user_present = regs->error_code & X86_PF_P,
			.regs = regs,
		};

		if (uk_fault_dispatch(&f))
			return;         /* traps.S resumes the (updated) registers */
		if (regs->rip == x86_irq_frame_move)
			frame_move_fault(regs, cr2);
	}
	name = vec < NR_VECTORS ? vector_name(vec) : "exception";
	/* a page fault (or the double fault one led to) in a guard page */
	if ((vec == 14 || vec == 8) && ukplat_stack_guard_hit(cr2))
		p = put_str(p, end, "stack overflow: ");
	p = put_str(p, end, *name ? name : "reserved exception ");
	if (!*name)
		p = put_dec2(p, end, vec);
	p = put_str(p, end, " (vector ");
	p = put_dec2(p, end, vec);
	if (regs->error_code || vec == 8 || vec == 14 || vec == 13) {
		p = put_str(p, end, ", error ");
		p = put_hex(p, end, regs->error_code);
	}
	p = put_str(p, end, ")");
	if ((vec == 13 || vec == 11) && (regs->error_code & 2))
		/* the error code names an IDT entry: an interrupt arrived for
		 * a vector this IDT (exceptions only) has no gate for */
		p = put_str(p, end, " for an interrupt without a handler");
	if (vec == 14 || vec == 8) {
		/* for a double fault, CR2 still holds the address of the page
		 * fault that led to it */
		p = put_str(p, end, vec == 14 ? " at addr " : " cr2 ");
		p = put_hex(p, end, cr2);
	}
	if (vec == 14)
		p = put_str(p, end, !(regs->error_code & X86_PF_P) ? ", page not present" :
				    regs->error_code & X86_PF_I ? ", execute of a no-execute page" :
				    regs->error_code & X86_PF_W ? ", write to a read-only page" :
				    ", protection violation");
	p = put_str(p, end, ", rip ");
	p = put_hex(p, end, regs->rip);
	*p = '\0';
	uk_crash(reason, regs);
}
