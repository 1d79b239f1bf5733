/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * AArch64 CPU definitions shared by the arch library (os/arch/arm64) and the
 * arm64 platform (os/plat/arm64): system register bits, exception syndrome
 * fields, barriers, system register access. Usable from assembly (.S) and C.
 * Bit positions are from the Arm Architecture Reference Manual (ARM DDI
 * 0487), chapter D17 "AArch64 System Register Descriptions".
 */
#ifndef ARM64_CPU_H
#define ARM64_CPU_H

#define _BITUL(n)            (1UL << (n))

/* CurrentEL: bits [3:2]. */
#define ARM64_CURRENTEL_SHIFT 2

/* SPSR / PSTATE */
#define ARM64_SPSR_EL1T      0x4         /* EL1 using SP_EL0 */
#define ARM64_SPSR_EL1H      0x5         /* EL1 using SP_EL1 */
#define ARM64_SPSR_DAIF      (0xfUL << 6)
#define ARM64_DAIF_IRQ       _BITUL(7)

/* SCTLR_ELx */
#define ARM64_SCTLR_M        _BITUL(0)   /* MMU */
#define ARM64_SCTLR_A        _BITUL(1)   /* alignment check */
#define ARM64_SCTLR_C        _BITUL(2)   /* data cache */
#define ARM64_SCTLR_SA       _BITUL(3)   /* SP alignment check */
#define ARM64_SCTLR_SA0      _BITUL(4)
#define ARM64_SCTLR_I        _BITUL(12)  /* instruction cache */
#define ARM64_SCTLR_WXN      _BITUL(19)
#define ARM64_SCTLR_EE       _BITUL(25)
/* RES1 bits of SCTLR_EL1 in Armv8.0 (11, 20, 22, 23, 28, 29) */
#define ARM64_SCTLR_EL1_RES1 0x30d00800UL

/* HCR_EL2 */
#define ARM64_HCR_RW         _BITUL(31)  /* EL1 is AArch64 */

/* SCR_EL3 */
#define ARM64_SCR_NS         _BITUL(0)
#define ARM64_SCR_RES1       (_BITUL(4) | _BITUL(5))
#define ARM64_SCR_SMD        _BITUL(7)
#define ARM64_SCR_HCE        _BITUL(8)
#define ARM64_SCR_RW         _BITUL(10)

/* CNTHCTL_EL2: EL1 may read the physical counter and use the EL1 timer */
#define ARM64_CNTHCTL_EL1PCTEN _BITUL(0)
#define ARM64_CNTHCTL_EL1PCEN  _BITUL(1)

/* CPTR_EL2 RES1 bits (9:0, 12, 13); TFP (bit 10) clear: no FP trap */
#define ARM64_CPTR_EL2_RES1  0x33ffUL

/* ICC_SRE_ELx (GICv3): system register interface on; lower EL may enable it */
#define ICC_SRE_SRE          (1 << 0)
#define ICC_SRE_ENABLE       (1 << 3)

/* CPACR_EL1.FPEN = 0b11: FP/SIMD usable at EL0 and EL1 */
#define ARM64_CPACR_FPEN     (3UL << 20)

/* Generic timer CNTx_CTL_EL0 */
#define ARM64_CNT_CTL_ENABLE  _BITUL(0)
#define ARM64_CNT_CTL_IMASK   _BITUL(1)
#define ARM64_CNT_CTL_ISTATUS _BITUL(2)

/* MAIR_EL1 attribute indexes used by the page tables (mmu.c) */
#define ARM64_MT_DEVICE_nGnRnE 0
#define ARM64_MT_DEVICE_nGnRE  1
#define ARM64_MT_NORMAL_NC     2
#define ARM64_MT_NORMAL        3
#define ARM64_MAIR_VALUE       ((0x00UL << (8 * ARM64_MT_DEVICE_nGnRnE)) | \
				(0x04UL << (8 * ARM64_MT_DEVICE_nGnRE))  | \
				(0x44UL << (8 * ARM64_MT_NORMAL_NC))     | \
				(0xffUL << (8 * ARM64_MT_NORMAL)))

/* TCR_EL1: 39-bit VA (T0SZ 25, walks start at level 1), 4 KiB granule,
 * inner/outer write-back cacheable inner-shareable walks, TTBR1 off. */
#define ARM64_VA_BITS        39
#define ARM64_TCR_T0SZ       (64 - ARM64_VA_BITS)
#define ARM64_TCR_IRGN0_WBWA (1UL << 8)
#define ARM64_TCR_ORGN0_WBWA (1UL << 10)
#define ARM64_TCR_SH0_INNER  (3UL << 12)
#define ARM64_TCR_TG0_4K     (0UL << 14)
#define ARM64_TCR_T1SZ       ((unsigned long)(64 - ARM64_VA_BITS) << 16)
#define ARM64_TCR_EPD1       _BITUL(23)
#define ARM64_TCR_IPS_SHIFT  32

/* ESR_ELx */
#define ARM64_ESR_EC_SHIFT   26
#define ARM64_ESR_EC(esr)    (((esr) >> ARM64_ESR_EC_SHIFT) & 0x3f)
#define ARM64_ESR_ISS(esr)   ((esr) & 0x1ffffff)
#define ARM64_EC_UNKNOWN     0x00
#define ARM64_EC_WFX         0x01
#define ARM64_EC_FP_ACCESS   0x07
#define ARM64_EC_ILLEGAL     0x0e
#define ARM64_EC_SVC64       0x15
#define ARM64_EC_HVC64       0x16
#define ARM64_EC_SMC64       0x17
#define ARM64_EC_SYSREG      0x18
#define ARM64_EC_IABT_LOW    0x20
#define ARM64_EC_IABT_CUR    0x21
#define ARM64_EC_PC_ALIGN    0x22
#define ARM64_EC_DABT_LOW    0x24
#define ARM64_EC_DABT_CUR    0x25
#define ARM64_EC_SP_ALIGN    0x26
#define ARM64_EC_FP_EXC64    0x2c
#define ARM64_EC_SERROR      0x2f
#define ARM64_EC_BREAKPT_LOW 0x30
#define ARM64_EC_BREAKPT_CUR 0x31
#define ARM64_EC_STEP_LOW    0x32
#define ARM64_EC_STEP_CUR    0x33
#define ARM64_EC_WATCHPT_LOW 0x34
#define ARM64_EC_WATCHPT_CUR 0x35
#define ARM64_EC_BRK64       0x3c
#define ARM64_ESR_WNR        _BITUL(6)   /* data abort: write */
#define ARM64_ESR_FSC(esr)   ((esr) & 0x3f)

/* Encoding of `hlt #0xf000`, the A64 semihosting trap */
#define ARM64_INSN_SEMIHOST  0xd45e0000U

/*
 * Exception frame built by the vectors (vectors.S): struct __regs
 * (os/include/uk/arch.h) followed by the FP/SIMD state.
 */
#define ARM64_REGS_X(n)      ((n) * 8)
#define ARM64_REGS_SP        (31 * 8)
#define ARM64_REGS_ELR       (32 * 8)
#define ARM64_REGS_SPSR      (33 * 8)
#define ARM64_REGS_ESR       (34 * 8)
#define ARM64_REGS_FAR       (35 * 8)
#define ARM64_REGS_SIZE      (36 * 8)
#define ARM64_FRAME_FP       ARM64_REGS_SIZE               /* q0..q31 */
#define ARM64_FRAME_FPSR     (ARM64_FRAME_FP + 32 * 16)
#define ARM64_FRAME_SIZE     (ARM64_FRAME_FPSR + 16)       /* 816, 16-aligned */

/* Exception kinds passed to arm64_trap(): group * 4 + type */
#define ARM64_TRAP_SYNC      0
#define ARM64_TRAP_IRQ       1
#define ARM64_TRAP_FIQ       2
#define ARM64_TRAP_SERROR    3
#define ARM64_TRAP_EL1T      (0 << 2)  /* from EL1 on SP_EL0 (normal kernel code) */
#define ARM64_TRAP_EL1H      (1 << 2)  /* from EL1 on SP_EL1 (exception handlers) */
#define ARM64_TRAP_LOWER64   (2 << 2)
#define ARM64_TRAP_LOWER32   (3 << 2)

#ifndef __ASSEMBLER__
#include <uk/essentials.h>

#define arm64_sysreg_read(reg) ({                                          \
	uint64_t __v;                                                      \
	__asm__ __volatile__("mrs %0, " #reg : "=r"(__v));                \
	__v;                                                               \
})
#define arm64_sysreg_write(reg, v) \
	__asm__ __volatile__("msr " #reg ", %0" : : "r"((uint64_t)(v)) : "memory")

#define arm64_isb()      __asm__ __volatile__("isb" : : : "memory")
#define arm64_dsb(opt)   __asm__ __volatile__("dsb " #opt : : : "memory")
#define arm64_dmb(opt)   __asm__ __volatile__("dmb " #opt : : : "memory")

static inline unsigned int arm64_current_el(void)
{
	return (unsigned int)(arm64_sysreg_read(CurrentEL) >> ARM64_CURRENTEL_SHIFT) & 3;
}

static inline void arm64_irq_enable(void)
{
	__asm__ __volatile__("msr daifclr, #2" : : : "memory");
}

static inline void arm64_irq_disable(void)
{
	__asm__ __volatile__("msr daifset, #2" : : : "memory");
}

/* Previous DAIF, for arm64_irq_restore(). */
static inline uint64_t arm64_irq_save(void)
{
	uint64_t daif = arm64_sysreg_read(daif);

	arm64_irq_disable();
	return daif;
}

static inline void arm64_irq_restore(uint64_t daif)
{
	arm64_sysreg_write(daif, daif);
}

static inline void arm64_wfi(void)
{
	__asm__ __volatile__("dsb sy; wfi" : : : "memory");
}

/* MMIO accessors (Device memory: no merging, no reordering past dsb). */
static inline void arm64_write32(uintptr_t addr, uint32_t v)
{
	__asm__ __volatile__("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint32_t arm64_read32(uintptr_t addr)
{
	uint32_t v;

	__asm__ __volatile__("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void arm64_write8(uintptr_t addr, uint8_t v)
{
	__asm__ __volatile__("strb %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

/* Cache maintenance by address range (cache.S). */
void arm64_dcache_clean_inval_range(uintptr_t start, size_t len);
void arm64_dcache_inval_range(uintptr_t start, size_t len);
void arm64_dcache_clean_range(uintptr_t start, size_t len);
void arm64_icache_inval_all(void);

/*
 * Exception entry (vectors.S → traps.c). The platform implements
 * arm64_irq_handler(); the default (weak) one crashes.
 */
struct __regs;
void arm64_trap(struct __regs *regs, unsigned long kind);
void arm64_irq_handler(struct __regs *regs);
extern char arm64_vectors[];

/* Format an exception report reason into buf (traps.c). */
void arm64_trap_reason(char *buf, size_t len, const struct __regs *regs, unsigned long kind);

#endif /* !__ASSEMBLER__ */
#endif
