/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the arm64 platform (PLAT_ARM64_TESTS): exception level,
 * stacks and vectors, FP/SIMD, the identity map's attributes (by address
 * translation, no faults needed), the boot information, a real generic
 * timer interrupt through the board's interrupt controller, and the crash
 * reason decoder.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/arch.h>
#include <uk/plat.h>
#include <uk/test.h>
#include <uk/fdt.h>
#include <uk/errno.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>
#include <arm64/irq.h>
#include <arm64/timer.h>
#include <arm64/plat.h>
#include <arm64/board.h>

extern char _start[], _end[];

/* PAR_EL1 after a stage-1 EL1 translation of addr (read or write). */
static uint64_t translate(uintptr_t addr, bool write)
{
	if (write)
		__asm__ __volatile__("at s1e1w, %0" : : "r"(addr) : "memory");
	else
		__asm__ __volatile__("at s1e1r, %0" : : "r"(addr) : "memory");
	arm64_isb();
	return arm64_sysreg_read(par_el1);
}

#define PAR_F        1UL
#define PAR_ATTR(p)  ((p) >> 56)

UK_TESTCASE(arm64, runs_at_el1_on_sp_el0)
{
	UK_TEST_EXPECT_EQ(arm64_current_el(), 1);
	UK_TEST_EXPECT_EQ(arm64_sysreg_read(spsel), 0);
	UK_TEST_EXPECT_EQ(arm64_sysreg_read(vbar_el1), (uintptr_t)arm64_vectors);
	UK_TEST_EXPECT(arm64_entry_el >= 1 && arm64_entry_el <= 3);
}

UK_TESTCASE(arm64, fp_simd_enabled)
{
	uint64_t out;

	UK_TEST_EXPECT_EQ((arm64_sysreg_read(cpacr_el1) >> 20) & 3, 3);
	__asm__ __volatile__("fmov d0, %1\n\tfadd d0, d0, d0\n\tfmov %0, d0"
			     : "=r"(out) : "r"(0x3ff8000000000000UL) : "d0");   /* 1.5 + 1.5 */
	UK_TEST_EXPECT_EQ(out, 0x4008000000000000UL);                         /* 3.0 */
}

UK_TESTCASE(arm64, mmu_identity_map)
{
	uint64_t par;
	volatile int local = 0;

	UK_TEST_EXPECT(arm64_sysreg_read(sctlr_el1) & ARM64_SCTLR_M);
	par = translate((uintptr_t)&local, true);
	UK_TEST_ASSERT(!(par & PAR_F));
	UK_TEST_EXPECT_EQ(par & 0xfffffffff000UL, (uintptr_t)&local & ~0xfffUL);
	UK_TEST_EXPECT_EQ(PAR_ATTR(par), 0xff);                   /* normal WB */
	par = translate((uintptr_t)_start, false);
	UK_TEST_EXPECT(!(par & PAR_F));
	par = translate(arm64_board.uart, true);
	UK_TEST_ASSERT(!(par & PAR_F));
	UK_TEST_EXPECT_EQ(PAR_ATTR(par), 0x04);                   /* Device-nGnRE */
	UK_TEST_EXPECT(translate(0, false) & PAR_F);              /* NULL faults */
	UK_TEST_EXPECT(translate(8, true) & PAR_F);
	UK_TEST_EXPECT(translate(0xfff, false) & PAR_F);
}

UK_TESTCASE(arm64, mmu_map_after_boot)
{
	const uintptr_t va = 0x7f00000000UL;     /* 508 GiB: unused on every board */

	UK_TEST_EXPECT(translate(va, false) & PAR_F);
	UK_TEST_ASSERT(arm64_mmu_map(va, ARM64_PAGE_SIZE, ARM64_MEM_DEVICE) == 0);
	UK_TEST_EXPECT(!(translate(va, true) & PAR_F));
	UK_TEST_EXPECT_EQ(PAR_ATTR(translate(va, true)), 0x04);
	UK_TEST_EXPECT(translate(va + ARM64_PAGE_SIZE, false) & PAR_F);
	UK_TEST_ASSERT(arm64_mmu_map(va, ARM64_PAGE_SIZE, ARM64_MEM_UNMAPPED) == 0);
	UK_TEST_EXPECT(translate(va, false) & PAR_F);
	UK_TEST_EXPECT_EQ(arm64_mmu_map(1UL << 39, ARM64_PAGE_SIZE, ARM64_MEM_DEVICE), -EINVAL);
}

UK_TESTCASE(arm64, bootinfo_memory)
{
	const struct ukplat_bootinfo *bi = arm64_bootinfo;
	uintptr_t s = (uintptr_t)_start, e = (uintptr_t)_end;
	size_t free = 0;
	unsigned int i;
	bool kernel = false;

	UK_TEST_ASSERT(bi->nr_mrd > 0 && bi->nr_mrd <= UKPLAT_MEMR_MAX);
	UK_TEST_EXPECT(bi->cmdline != NULL);
	for (i = 0; i < bi->nr_mrd; i++) {
		const struct ukplat_memregion *m = &bi->mrd[i];

		if (i)
			UK_TEST_EXPECT(m->base >= bi->mrd[i - 1].base);
		UK_TEST_EXPECT_EQ(m->base % __PAGE_SIZE, 0);
		UK_TEST_EXPECT_EQ(m->len % __PAGE_SIZE, 0);
		if (m->type == UKPLAT_MEMR_KERNEL) {
			kernel = true;
			UK_TEST_EXPECT(m->base <= s && m->base + m->len >= e);
		}
		if (m->type != UKPLAT_MEMR_FREE)
			continue;
		free += m->len;
		UK_TEST_EXPECT(m->base + m->len <= s || m->base >= e);
		UK_TEST_EXPECT(m->base != 0);
		if (arm64_dtb) {
			uintptr_t d = (uintptr_t)arm64_dtb;

			UK_TEST_EXPECT(m->base + m->len <= d || m->base >= d + ukfdt_totalsize(arm64_dtb));
		}
		/* free memory is mapped normal, read-write */
		UK_TEST_EXPECT_EQ(PAR_ATTR(translate(m->base, true)), 0xff);
		UK_TEST_EXPECT_EQ(PAR_ATTR(translate(m->base + m->len - 1, true)), 0xff);
	}
	UK_TEST_EXPECT(kernel);
	UK_TEST_EXPECT(free >= (1UL << 20));
}

UK_TESTCASE(arm64, device_tree)
{
	int chosen;

	if (!arm64_dtb)
		return;             /* raspi3b / zcu102 without -dtb */
	UK_TEST_EXPECT_EQ(ukfdt_check(arm64_dtb, ukfdt_totalsize(arm64_dtb)), 0);
	chosen = ukfdt_path(arm64_dtb, "/chosen");
	UK_TEST_EXPECT(chosen >= 0);
	UK_TEST_EXPECT(ukfdt_path(arm64_dtb, "/memory") >= 0);
}

static volatile unsigned int ticks;

static void on_timer(unsigned int irq, void *arg)
{
	ticks++;
	ukplat_timer_stop();         /* level interrupt: silence the source */
}

/* save/restore pairs nest: an inner pair (saved masked) leaves IRQs
 * masked, the outer one (saved enabled) enables them again. */
UK_TESTCASE(arm64, irqf_pairs_nest)
{
	unsigned long outer, inner;

	ukplat_lcpu_enable_irq();
	outer = ukplat_lcpu_save_irqf();
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	inner = ukplat_lcpu_save_irqf();
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_restore_irqf(inner);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_restore_irqf(outer);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
	ukplat_lcpu_disable_irq();
	outer = ukplat_lcpu_save_irqf();
	ukplat_lcpu_restore_irqf(outer);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
}

/* The board's timer through the platform API (uk/plat/irq.h, time.h): the
 * interrupt arrives, and not before its deadline. */
UK_TESTCASE(arm64, timer_interrupt)
{
	uint64_t now = arm64_timer_count(), f = arm64_timer_freq(), before = ukplat_irq_count();
	uint64_t limit = now + 5 * f;             /* 5 s of guest time at most (a busy
						   * host may stop the vCPU for long) */

	UK_TEST_ASSERT(f > 0);
	ticks = 0;
	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer, NULL) == 0);
	UK_TEST_ASSERT(ukplat_timer_oneshot(1000000) == 0);        /* 1 ms */
	while (!ticks && arm64_timer_count() < limit)
		ukplat_lcpu_halt_irq();
	ukplat_timer_stop();
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
	UK_TEST_EXPECT_EQ(ticks, 1);
	UK_TEST_EXPECT(ukplat_irq_count() > before);
	UK_TEST_EXPECT(arm64_timer_count() >= now + f / 1000);
}

static void on_timer_acking(unsigned int irq, void *arg)
{
	ukplat_timer_stop();
	ukplat_irq_ack(irq);         /* end of interrupt now; the dispatcher skips its own */
	ukplat_irq_ack(irq);
	ticks++;
}

/* Two expiries through a handler that acknowledges itself: a missing
 * end-of-interrupt would leave the line active, and the second never come. */
UK_TESTCASE(arm64, handler_acknowledges_itself)
{
	uint64_t f = arm64_timer_freq();

	UK_TEST_ASSERT(ukplat_irq_register(ukplat_timer_irq(), on_timer_acking, NULL) == 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_register(ukplat_timer_irq(), on_timer, NULL), -EBUSY);
	ticks = 0;
	for (int i = 1; i <= 2; i++) {
		uint64_t limit = arm64_timer_count() + 5 * f;   /* 5 s at most */

		UK_TEST_ASSERT(ukplat_timer_oneshot(500000) == 0);
		ukplat_lcpu_enable_irq();
		while (ticks < (unsigned int)i && arm64_timer_count() < limit)
			;
		ukplat_lcpu_disable_irq();
		UK_TEST_EXPECT_EQ(ticks, i);
	}
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), 0);
	UK_TEST_EXPECT_EQ(ukplat_irq_unregister(ukplat_timer_irq()), -ENOENT);
	UK_TEST_EXPECT_EQ(ukplat_irq_mask(1020), -EINVAL);
}

UK_TESTCASE(arm64, crash_reason_decoding)
{
	struct __regs r = { 0 };
	char buf[200];

	r.esr = 0x96000046;              /* DABT same EL, WnR, translation L2 */
	r.far = 0x10;
	arm64_trap_reason(buf, sizeof(buf), &r, ARM64_TRAP_EL1T | ARM64_TRAP_SYNC);
	UK_TEST_EXPECT(uk_streq(buf, "data abort (ESR 0x96000046) at FAR 0x0000000000000010: "
			     "write, translation fault, level 2"));
	r.esr = 0xf20003e8;              /* BRK #1000 (__builtin_trap) */
	r.elr = 0x40080000;
	arm64_trap_reason(buf, sizeof(buf), &r, ARM64_TRAP_EL1T | ARM64_TRAP_SYNC);
	UK_TEST_EXPECT(uk_streq(buf, "BRK instruction #0x03e8 (ESR 0xf20003e8) at PC 0x0000000040080000"));
	r.esr = 0x8600000f;              /* IABT same EL, permission L3 */
	arm64_trap_reason(buf, sizeof(buf), &r, ARM64_TRAP_EL1H | ARM64_TRAP_SYNC);
	UK_TEST_EXPECT(uk_streq(buf, "instruction abort (ESR 0x8600000f) at FAR 0x0000000000000010: "
			     "permission fault, level 3 [on the exception stack]"));
	arm64_trap_reason(buf, 8, &r, ARM64_TRAP_EL1T | ARM64_TRAP_SERROR);
	UK_TEST_EXPECT(uk_streq(buf, "SError "));           /* truncated, terminated */
}
