/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The C side of the exception vectors (vectors.S): interrupts go to the
 * platform (arm64_irq_handler), data and instruction aborts first to the
 * fault handler chain (uk/fault.h: demand paging, signal delivery), which
 * may resolve them; everything else, and an abort no handler claims, is a
 * crash. The crash
 * reason names the exception class from ESR_EL1 (Arm ARM D17.2.37) and, for
 * aborts, the fault status code, e.g.
 *
 *   data abort (ESR 0x96000046) at FAR 0x0000000000000000: write, translation fault, level 2
 *
 * prefixed with "stack overflow: " when the address is in a stack's guard
 * page (ukplat_stack_guard_hit(), uk/plat/paging.h),
 * and goes with the saved registers to uk_crash() (os/include/uk/assert.h).
 */
#include <uk/essentials.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/plat.h>
#include <uk/fault.h>
#include <arm64/cpu.h>

struct fmt {
	char *p, *end;
};

static void put(struct fmt *f, const char *s)
{
	while (*s && f->p < f->end)
		*f->p++ = *s++;
}

/* "0x" and v's low `digits` hex digits, straight into the output (no digit
 * buffer on the stack). */
static void puthex(struct fmt *f, uint64_t v, int digits)
{
	put(f, "0x");
	while (digits-- && f->p < f->end)
		*f->p++ = "0123456789abcdef"[(v >> (4 * digits)) & 0xf];
}

static const char *ec_name(unsigned int ec)
{
	switch (ec) {
	case ARM64_EC_UNKNOWN:     return "undefined instruction";
	case ARM64_EC_WFX:         return "trapped WFI/WFE";
	case ARM64_EC_FP_ACCESS:   return "trapped FP/SIMD access";
	case ARM64_EC_ILLEGAL:     return "illegal execution state";
	case ARM64_EC_SVC64:       return "SVC";
	case ARM64_EC_HVC64:       return "HVC";
	case ARM64_EC_SMC64:       return "SMC";
	case ARM64_EC_SYSREG:      return "trapped system register access";
	case ARM64_EC_IABT_LOW:
	case ARM64_EC_IABT_CUR:    return "instruction abort";
	case ARM64_EC_PC_ALIGN:    return "PC alignment fault";
	case ARM64_EC_DABT_LOW:
	case ARM64_EC_DABT_CUR:    return "data abort";
	case ARM64_EC_SP_ALIGN:    return "SP alignment fault";
	case ARM64_EC_FP_EXC64:    return "floating-point exception";
	case ARM64_EC_SERROR:      return "SError";
	case ARM64_EC_BREAKPT_LOW:
	case ARM64_EC_BREAKPT_CUR: return "breakpoint";
	case ARM64_EC_STEP_LOW:
	case ARM64_EC_STEP_CUR:    return "software step";
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR: return "watchpoint";
	case ARM64_EC_BRK64:       return "BRK instruction";
	default:                   return NULL;
	}
}

/* Fault status code of an abort (DFSC/IFSC), Arm ARM D17.2.37. */
static void fault_status(struct fmt *f, unsigned int fsc)
{
	static const char *const kinds[] = {
		"address size fault", "translation fault", "access flag fault",
		"permission fault",
	};
	char lvl[] = ", level 0";

	if (fsc < 16) {
		put(f, kinds[fsc >> 2]);
		lvl[8] = (char)('0' + (fsc & 3));
		put(f, lvl);
	} else if (fsc == 0x10) {
		put(f, "synchronous external abort");
	} else if (fsc >= 0x14 && fsc <= 0x17) {
		put(f, "external abort on table walk");
		lvl[8] = (char)('0' + (fsc & 3));
		put(f, lvl);
	} else if (fsc == 0x21) {
		put(f, "alignment fault");
	} else if (fsc == 0x30) {
		put(f, "TLB conflict");
	} else {
		put(f, "fault status ");
		puthex(f, fsc, 2);
	}
}

void arm64_trap_reason(char *buf, size_t len, const struct __regs *regs, unsigned long kind)
{
	struct fmt f = { buf, buf + len - 1 };
	unsigned int type = kind & 3, group = (unsigned int)kind >> 2;
	unsigned int ec = ARM64_ESR_EC(regs->esr);
	const char *name = ec_name(ec);

	if (group >= 2)
		put(&f, group == 2 ? "from EL0: " : "from AArch32 EL0: ");
	/* a data abort in a stack's guard page (uk/plat/paging.h) */
	if (type == ARM64_TRAP_SYNC && (ec == ARM64_EC_DABT_CUR || ec == ARM64_EC_DABT_LOW) &&
	    ukplat_stack_guard_hit(regs->far))
		put(&f, "stack overflow: ");
	if (type == ARM64_TRAP_IRQ) {
		put(&f, "unexpected IRQ");
	} else if (type == ARM64_TRAP_FIQ) {
		put(&f, "unexpected FIQ");
	} else {
		if (type == ARM64_TRAP_SERROR)
			name = "SError";
		if (name) {
			put(&f, name);
		} else {
			put(&f, "exception class ");
			puthex(&f, ec, 2);
		}
		if (ec == ARM64_EC_BRK64 && type == ARM64_TRAP_SYNC) {
			put(&f, " #");
			puthex(&f, regs->esr & 0xffff, 4);
		}
		put(&f, " (ESR ");
		puthex(&f, regs->esr, 8);
		put(&f, ")");
	}
	switch (type == ARM64_TRAP_SYNC ? ec : 0x100) {
	case ARM64_EC_DABT_LOW:
	case ARM64_EC_DABT_CUR:
	case ARM64_EC_IABT_LOW:
	case ARM64_EC_IABT_CUR:
	case ARM64_EC_WATCHPT_LOW:
	case ARM64_EC_WATCHPT_CUR:
	case ARM64_EC_PC_ALIGN:
		put(&f, " at FAR ");
		puthex(&f, regs->far, 16);
		if (ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_DABT_CUR ||
		    ec == ARM64_EC_IABT_LOW || ec == ARM64_EC_IABT_CUR) {
			put(&f, ": ");
			if (ec == ARM64_EC_DABT_LOW || ec == ARM64_EC_DABT_CUR)
				put(&f, regs->esr & ARM64_ESR_WNR ? "write, " : "read, ");
			fault_status(&f, ARM64_ESR_FSC(regs->esr));
		}
		break;
	default:
		put(&f, " at PC ");
		puthex(&f, regs->elr, 16);
		break;
	}
	if (type == ARM64_TRAP_SYNC && ec == ARM64_EC_UNKNOWN && group < 2 &&
	    *(const volatile uint32_t *)(uintptr_t)regs->elr == ARM64_INSN_SEMIHOST)
		put(&f, ": a semihosting call, but semihosting is off "
		        "(QEMU: -semihosting-config enable=on,target=native)");
	if (group == 1 && type == ARM64_TRAP_SYNC)
		put(&f, " [on the exception stack]");
	*f.p = '\0';
}

static void __noreturn crash(struct __regs *regs, unsigned long kind)
{
	static char reason[256];
	static int depth;

	switch (depth++) {
	case 0:
		arm64_trap_reason(reason, sizeof(reason), regs, kind);
		uk_crash(reason, regs);
	case 1:
		/* the crash report itself faulted: say so, without registers */
		uk_crash("exception while reporting a crash", NULL);
	default:
		ukplat_halt(255);
	}
}

#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
/* preempt.c: switch threads on the way out of an interrupt, if asked. */
void arm64_preempt_irq_return(struct __regs *regs);
#endif

/* Platforms with an interrupt controller override this (os/plat/arm64). */
__weak void arm64_irq_handler(struct __regs *regs)
{
	crash(regs, ARM64_TRAP_EL1T | ARM64_TRAP_IRQ);
}

/* A data or instruction abort from AArch64 code, offered to the fault
 * handler chain: true when a handler resolved it (resume regs). */
static bool fault_chain(struct __regs *regs, unsigned long kind)
{
	unsigned int ec = ARM64_ESR_EC(regs->esr);
	unsigned int fsc = ARM64_ESR_FSC(regs->esr);
	bool data = ec == ARM64_EC_DABT_CUR || ec == ARM64_EC_DABT_LOW;
	struct uk_fault f;

	if ((kind & 3) != ARM64_TRAP_SYNC || (kind >> 2) > 2 ||
	    !(data || ec == ARM64_EC_IABT_CUR || ec == ARM64_EC_IABT_LOW))
		return false;
	f = (struct uk_fault){
		.addr = regs->far,
		.write = data && (regs->esr & ARM64_ESR_WNR),
		.exec = !data,
		/* access flag (0x08-0x0b) or permission (0x0c-0x0f) fault:
		 * there is a translation */
		.user_present = fsc >= 0x08 && fsc < 0x10,
		.regs = regs,
	};
	if (!uk_fault_dispatch(&f))
		return false;
	/* vectors.S restores everything but the stack pointer: a handler may
	 * have moved it (a signal frame). From SP_EL0 code (EL1t, EL0) it is
	 * SP_EL0; an exception handler's own stack (EL1h) cannot move. */
	if ((kind >> 2) != 1)
		__asm__ __volatile__("msr sp_el0, %0" : : "r"(regs->sp));
	return true;
}

void arm64_trap(struct __regs *regs, unsigned long kind)
{
	if ((kind & 3) == ARM64_TRAP_IRQ && (kind >> 2) < 2) {
		arm64_irq_handler(regs);
#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
		if ((kind >> 2) == 0)           /* it interrupted a thread (EL1t) */
			arm64_preempt_irq_return(regs);
#endif
		return;
	}
	if (fault_chain(regs, kind))
		return;         /* vectors.S returns to the (updated) registers */
	crash(regs, kind);
}
