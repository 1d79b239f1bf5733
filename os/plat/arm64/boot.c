/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 boot, in C (entered from start.S with the MMU off, so: nothing
 * unaligned, plain stores reach memory directly):
 *
 *  1. console up, so anything that goes wrong from here is reported;
 *  2. boot information, from the first source that has it:
 *       - a device tree at x0 (QEMU virt; any board started with -dtb) or
 *         at the board's probe address (QEMU virt with an ELF image):
 *         /memory, /chosen/bootargs, /psci, /reserved-memory, /memreserve/;
 *       - ATAGS at x0 (QEMU's Linux loader without a device tree:
 *         raspi3b, zcu102 raw images): ATAG_MEM, ATAG_CMDLINE;
 *       - semihosting (QEMU -semihosting-config): the command line
 *         (-append) and the end of RAM (SYS_HEAPINFO);
 *       - the board's defaults and PLAT_ARM64_DEFAULT_CMDLINE;
 *  3. identity page tables (RAM normal write-back, the board's MMIO
 *     Device-nGnRE, page 0 unmapped to catch NULL) and the MMU on;
 *  4. interrupt controller and timers to a known, quiet state;
 *  5. struct ukplat_bootinfo (free RAM = RAM minus the image, the loader
 *     area below it, the device tree and reservations; page aligned) and
 *     ukplat_entry().
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include <uk/fdt.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>
#include <arm64/board.h>
#include <arm64/irq.h>
#include <arm64/timer.h>
#include <arm64/psci.h>
#include <arm64/plat.h>
#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING)
#include <arm64/semihosting.h>
#endif

#if defined(CONFIG_UKBOOT_CMDLINE_MAX)
#define CMDLINE_MAX CONFIG_UKBOOT_CMDLINE_MAX
#else
#define CMDLINE_MAX 1024
#endif
#define DTB_MAX_SIZE  (2UL << 20)     /* largest device tree accepted */
#define BLOCK_2M      (2UL << 20)
#define MAX_RAM       8
#define MAX_RSV       16

uint64_t ukplat_boot_cycles;
unsigned int arm64_entry_el;
const void *arm64_dtb;

/* Stacks and page tables are not cleared at boot (.bss.noinit, arm64.lds). */
uint8_t arm64_boot_stack[CONFIG_PLAT_ARM64_STACK_SIZE]
	__section(".bss.noinit.arm64_boot_stack") __align(16);
uint8_t arm64_exc_stack[CONFIG_PLAT_ARM64_EXC_STACK_SIZE]
	__section(".bss.noinit.arm64_exc_stack") __align(16);
static arm64_pt_t pgtables[CONFIG_PLAT_ARM64_PAGE_TABLES]
	__section(".bss.noinit.arm64_pgtables") __align(4096);

extern char _start[], _end[];          /* arm64.lds */

struct span {
	uint64_t base, end;
};

static struct ukplat_bootinfo bi;
const struct ukplat_bootinfo *const arm64_bootinfo = &bi;
static char cmdline[CMDLINE_MAX];
static bool have_cmdline;
static struct span ram[MAX_RAM], rsv[MAX_RSV];
static unsigned int nr_ram, nr_rsv;

static void add_span(struct span *a, unsigned int *n, unsigned int max,
		     uint64_t base, uint64_t size)
{
	if (!size || *n >= max || base + size < base)
		return;
	a[*n].base = base;
	a[*n].end = base + size;
	(*n)++;
}

/* RAM of `size` at the board's RAM base; what exceeds the first bank's
 * window continues at ram_high (ZynqMP: DDR above 2 GiB is at 32 GiB). */
static void add_board_ram(uint64_t size)
{
	const struct arm64_board *b = &arm64_board;
	uint64_t low = UK_MIN(size, b->ram.size);

	add_span(ram, &nr_ram, MAX_RAM, b->ram.base, low);
	if (size > low && b->ram_high)
		add_span(ram, &nr_ram, MAX_RAM, b->ram_high, size - low);
}

static void set_cmdline(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && n < sizeof(cmdline) - 1 && s[n]) {
		cmdline[n] = s[n];
		n++;
	}
	cmdline[n] = '\0';
	have_cmdline = true;
}

/*
 * Called for every node / property of the device tree: inline, since under
 * QEMU TCG each return is an indirect jump the emulator has to look up.
 */
#define __hot_inline static inline __attribute__((always_inline))

/* name is want, or want@unit-address */
__hot_inline bool node_is(const char *name, const char *want)
{
	while (*want && *name == *want) {
		name++;
		want++;
	}
	return !*want && (!*name || *name == '@');
}

static bool in_window(uintptr_t p, size_t len)
{
	const struct arm64_board *b = &arm64_board;

	return p >= b->ram.base && p - b->ram.base < b->ram.size &&
	       len <= b->ram.size - (p - b->ram.base);
}

__hot_inline bool streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* A property value that is exactly the string s. */
static bool value_is(const char *val, int len, const char *s)
{
	return val && len > 0 && !val[len - 1] && streq(val, s);
}

static uint64_t read_cells(const char *p, uint32_t n)
{
	uint64_t v = ukfdt_be32a(p);

	return n == 2 ? (v << 32 | ukfdt_be32a(p + 4)) : v;
}

/* (address, size) pairs of a "reg" value into a[] */
static void add_regs(struct span *a, unsigned int *n, unsigned int max,
		     const char *val, int len, uint32_t ac, uint32_t sc)
{
	int esz = 4 * (int)(ac + sc);

	if (!val || ac - 1 > 1 || sc - 1 > 1)      /* 1 or 2 cells each */
		return;
	for (; len >= esz; len -= esz, val += esz)
		add_span(a, n, max, read_cells(val, ac), read_cells(val + 4 * ac, sc));
}

/*
 * What the boot code reads from a device tree. Matching properties only
 * have their value noted in a slot; the slots are interpreted when their
 * node ends. So the walk below runs the same few basic blocks for every
 * property — under QEMU TCG, where boot time is mostly the translation of
 * each new basic block, that is what keeps a 330-token tree cheap.
 */
enum { TOP_CHOSEN, TOP_PSCI, TOP_RESMEM, TOP_OTHER };
enum { S_AC, S_SC, S_REG, S_DEVTYPE, S_STATUS, S_BOOTARGS, S_METHOD,
       S_RAC, S_RSC, S_RESREG, S_RESSTATUS, NR_SLOTS };

static const char *const top_names[] = {
	[TOP_CHOSEN] = "chosen", [TOP_PSCI] = "psci", [TOP_RESMEM] = "reserved-memory",
};

static const struct dt_rule {
	uint8_t depth, top, slot;      /* top: TOP_OTHER = any top-level node */
	const char *prop;
} dt_rules[] = {
	{ 0, TOP_OTHER,  S_AC,        "#address-cells" },
	{ 0, TOP_OTHER,  S_SC,        "#size-cells" },
	{ 1, TOP_OTHER,  S_REG,       "reg" },
	{ 1, TOP_OTHER,  S_DEVTYPE,   "device_type" },
	{ 1, TOP_OTHER,  S_STATUS,    "status" },
	{ 1, TOP_CHOSEN, S_BOOTARGS,  "bootargs" },
	{ 1, TOP_PSCI,   S_METHOD,    "method" },
	{ 1, TOP_RESMEM, S_RAC,       "#address-cells" },
	{ 1, TOP_RESMEM, S_RSC,       "#size-cells" },
	{ 2, TOP_RESMEM, S_RESREG,    "reg" },
	{ 2, TOP_RESMEM, S_RESSTATUS, "status" },
};

struct slot {
	const char *val;
	int len;
};

static uint32_t slot_u32(const struct slot *s, uint32_t dflt)
{
	return s->len == 4 ? ukfdt_be32a(s->val) : dflt;
}

static bool slot_enabled(const struct slot *s)
{
	return !s->val || value_is(s->val, s->len, "okay") || value_is(s->val, s->len, "ok");
}

/*
 * One pass over the tree: the root's cells, memory nodes (device_type
 * "memory", not disabled — QEMU marks its Secure-only RAM so),
 * /chosen/bootargs, /psci method, /reserved-memory children; then the
 * memory reservation block.
 */
static void from_dtb(const void *dtb)
{
	static struct slot slot[NR_SLOTS];     /* .bss: no memset, MMU is off */
	const struct dt_rule *r;
	struct ukfdt_iter it;
	const char *name;
	const void *val;
	int kind, len, i, top = TOP_OTHER;
	uint64_t a, s;

	ukfdt_iter_init(dtb, &it);
	while ((kind = ukfdt_iter_next(&it, &name, &val, &len)) > 0) {
		if (kind == UKFDT_ITER_PROP) {
			/* most properties start with none of the rules' letters */
			switch (name[0]) {
			case '#': case 'b': case 'd': case 'm': case 'r': case 's':
				break;
			default:
				continue;
			}
			if (it.depth > 2)
				continue;
			for (r = dt_rules; r < dt_rules + UK_ARRAY_SIZE(dt_rules); r++)
				if (r->depth == it.depth && (r->top == TOP_OTHER || r->top == top) &&
				    streq(name, r->prop)) {
					slot[r->slot].val = val;
					slot[r->slot].len = len;
					break;
				}
		} else if (kind == UKFDT_ITER_NODE) {
			if (it.depth == 1)
				for (top = 0; top < TOP_OTHER && !node_is(name, top_names[top]); top++)
					;
		} else if (it.depth == 1) {              /* a top-level node ends */
			if (value_is(slot[S_DEVTYPE].val, slot[S_DEVTYPE].len, "memory") &&
			    slot_enabled(&slot[S_STATUS]))
				add_regs(ram, &nr_ram, MAX_RAM, slot[S_REG].val, slot[S_REG].len,
					 slot_u32(&slot[S_AC], 2), slot_u32(&slot[S_SC], 1));
			slot[S_REG].val = slot[S_DEVTYPE].val = slot[S_STATUS].val = NULL;
		} else if (it.depth == 2 && top == TOP_RESMEM) {
			if (slot_enabled(&slot[S_RESSTATUS]))
				add_regs(rsv, &nr_rsv, MAX_RSV, slot[S_RESREG].val, slot[S_RESREG].len,
					 slot_u32(&slot[S_RAC], 2), slot_u32(&slot[S_RSC], 1));
			slot[S_RESREG].val = slot[S_RESSTATUS].val = NULL;
		}
	}
	if (slot[S_BOOTARGS].val)
		set_cmdline(slot[S_BOOTARGS].val, (size_t)slot[S_BOOTARGS].len);
	if (value_is(slot[S_METHOD].val, slot[S_METHOD].len, "hvc"))
		arm64_psci_conduit = ARM64_PSCI_HVC;
	else if (value_is(slot[S_METHOD].val, slot[S_METHOD].len, "smc"))
		arm64_psci_conduit = ARM64_PSCI_SMC;
	for (i = 0; i < MAX_RSV && ukfdt_mem_rsv(dtb, i, &a, &s) == 0; i++)
		add_span(rsv, &nr_rsv, MAX_RSV, a, s);
	add_span(rsv, &nr_rsv, MAX_RSV, (uintptr_t)dtb, ukfdt_totalsize(dtb));
	arm64_dtb = dtb;
	bi.dtb = (void *)dtb;
	bi.bootloader = "dtb";
}

/* ATAGS (the 32-bit Linux boot protocol QEMU still writes for raw images
 * without a device tree): a list of (size in words, tag, data...). */
#define ATAG_CORE    0x54410001U
#define ATAG_MEM     0x54410002U
#define ATAG_CMDLINE 0x54410009U

static bool from_atags(const uint32_t *t)
{
	const uint32_t *end = t + 4096;     /* 16 KiB at most */
	unsigned int n;

	if (t[1] != ATAG_CORE || t[0] < 2 || t[0] > 5)
		return false;
	for (n = 0; n < 64 && t + 2 <= end; n++) {
		uint32_t size = t[0], tag = t[1];

		if (size < 2 || tag == 0 || t + size > end)
			break;
		if (tag == ATAG_MEM && size >= 4 && t[2]) {
			if (t[3] == arm64_board.ram.base)
				add_board_ram(t[2]);
			else
				add_span(ram, &nr_ram, MAX_RAM, t[3], t[2]);
		} else if (tag == ATAG_CMDLINE) {
			set_cmdline((const char *)&t[2], (size - 2) * 4);
		}
		t += size;
	}
	bi.bootloader = "atags";
	return true;
}

static void find_boot_info(void *arg)
{
	const struct arm64_board *b = &arm64_board;
	uintptr_t p = (uintptr_t)arg;

	bi.bootloader = "none";
	if (p && !(p & 7) && in_window(p, UKFDT_HEADER_SIZE) &&
	    ukfdt_check(arg, UK_MIN(DTB_MAX_SIZE, b->ram.size - (p - b->ram.base))) == 0)
		from_dtb(arg);
	else if (b->dtb_probe && (uintptr_t)_start - b->dtb_probe >= UKFDT_HEADER_SIZE &&
		 ukfdt_check((void *)b->dtb_probe,
			     UK_MIN(DTB_MAX_SIZE, (uintptr_t)_start - b->dtb_probe)) == 0)
		from_dtb((void *)b->dtb_probe);
	else if (p && !(p & 3) && in_window(p, 16))
		from_atags(arg);

#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING)
	if (!have_cmdline) {
		/* QEMU hands out "<kernel file> <-append text>": drop the first word */
		long n = arm64_semihost_cmdline(cmdline, sizeof(cmdline));
		char *c = cmdline;

		if (n >= 0) {
			while (*c && *c != ' ')
				c++;
			while (*c == ' ')
				c++;
			set_cmdline(c, sizeof(cmdline));
		}
	}
	if (!nr_ram) {
		/* QEMU answers with the end of the largest gap between loaded
		 * images in the largest RAM region: the RAM end, unless the
		 * gap below the image is the larger one (tiny RAM); then all
		 * we know is that RAM reaches past the image */
		uint64_t end = arm64_semihost_ram_end();

		if (end && end < (uintptr_t)_end)
			end = UK_ALIGN_UP((uintptr_t)_end, __PAGE_SIZE);
		if (end > b->ram.base)
			add_board_ram(UK_MIN(end - b->ram.base, b->ram.size));
	}
#endif
	if (!have_cmdline)
		set_cmdline(CONFIG_PLAT_ARM64_DEFAULT_CMDLINE, sizeof(cmdline));
	if (!nr_ram)
		add_board_ram(b->ram_default);

	if (arm64_psci_conduit == ARM64_PSCI_NONE && !arm64_dtb && arm64_entry_el == 1)
		arm64_psci_conduit = b->psci;
}

static const struct span *ram_containing(uint64_t base, uint64_t end)
{
	unsigned int i;

	for (i = 0; i < nr_ram; i++)
		if (base >= ram[i].base && end <= ram[i].end)
			return &ram[i];
	return NULL;
}

static void __noreturn boot_fail(const char *why)
{
	uk_crash(why, NULL);
}

static void setup_mmu(void)
{
	const struct arm64_board *b = &arm64_board;
	uint64_t base, end;
	unsigned int i;
	int rc = 0;

	arm64_mmu_init(pgtables, CONFIG_PLAT_ARM64_PAGE_TABLES);
	for (i = 0; i < b->nr_mmio; i++) {
		base = UK_ALIGN_DOWN(b->mmio[i].base, BLOCK_2M);
		end = UK_ALIGN_UP(b->mmio[i].base + b->mmio[i].size, BLOCK_2M);
		rc |= arm64_mmu_map(base, end - base, ARM64_MEM_DEVICE);
	}
	for (i = 0; i < nr_ram; i++)
		rc |= arm64_mmu_map(ram[i].base, ram[i].end - ram[i].base, ARM64_MEM_NORMAL);
	/* the image and the device tree, should the RAM description miss them */
	if (!ram_containing((uintptr_t)_start, (uintptr_t)_end))
		rc |= arm64_mmu_map((uintptr_t)_start, _end - _start, ARM64_MEM_NORMAL);
	if (arm64_dtb && !ram_containing((uintptr_t)arm64_dtb,
					 (uintptr_t)arm64_dtb + ukfdt_totalsize(arm64_dtb)))
		rc |= arm64_mmu_map((uintptr_t)arm64_dtb, ukfdt_totalsize(arm64_dtb),
				    ARM64_MEM_NORMAL);
	rc |= arm64_mmu_map(0, ARM64_PAGE_SIZE, ARM64_MEM_UNMAPPED);   /* NULL */
	if (rc)
		boot_fail("arm64: page tables do not fit (raise PLAT_ARM64_PAGE_TABLES)");
	arm64_mmu_enable();
}

static void add_region(uint64_t base, uint64_t end, int type)
{
	struct ukplat_memregion *m;

	if (type == UKPLAT_MEMR_FREE && base < __PAGE_SIZE)
		base = __PAGE_SIZE;         /* page 0 stays unmapped (NULL) */
	if (end <= base || bi.nr_mrd >= UKPLAT_MEMR_MAX)
		return;
	m = &bi.mrd[bi.nr_mrd++];
	m->base = (uintptr_t)base;
	m->len = (size_t)(end - base);
	m->type = type;
}

static void sort_spans(struct span *a, unsigned int n)
{
	unsigned int i, j;
	struct span t;

	for (i = 1; i < n; i++) {
		t = a[i];
		for (j = i; j > 0 && a[j - 1].base > t.base; j--)
			a[j] = a[j - 1];
		a[j] = t;
	}
}

/*
 * The memory map, by address: for every RAM bank, the free gaps between
 * the reservations (page aligned inward) and the reservations themselves
 * (the image as KERNEL, the rest RESERVED; page aligned outward).
 * Reservations outside RAM are left out.
 */
static void build_memregions(void)
{
	uint64_t pos, b, e;
	unsigned int i, j;

	sort_spans(ram, nr_ram);
	sort_spans(rsv, nr_rsv);
	for (i = 0; i < nr_ram; i++) {
		pos = ram[i].base;
		for (j = 0; j < nr_rsv; j++) {
			b = UK_MAX(UK_ALIGN_DOWN(rsv[j].base, __PAGE_SIZE), pos);
			e = UK_MIN(UK_ALIGN_UP(rsv[j].end, __PAGE_SIZE), ram[i].end);
			if (e <= b)
				continue;
			add_region(UK_ALIGN_UP(pos, __PAGE_SIZE), b, UKPLAT_MEMR_FREE);
			add_region(b, e, rsv[j].base == (uintptr_t)_start ?
				   UKPLAT_MEMR_KERNEL : UKPLAT_MEMR_RESERVED);
			pos = e;
		}
		add_region(UK_ALIGN_UP(pos, __PAGE_SIZE), UK_ALIGN_DOWN(ram[i].end, __PAGE_SIZE),
			   UKPLAT_MEMR_FREE);
	}
}

extern char arm64_park[];                /* start.S */

/* Secondary cores waiting on a spin table: into a WFI loop (start.S). */
static void park_secondaries(void)
{
	const struct arm64_board *b = &arm64_board;
	unsigned int i;

	for (i = 1; b->spin_table && i < b->nr_cpus; i++)
		*(volatile uint64_t *)(b->spin_table + 8 * i) = (uintptr_t)arm64_park;
	__asm__ __volatile__("dsb sy; sev" : : : "memory");
}

void __noreturn arm64_boot(void *loader_arg, unsigned int el, uint64_t cycles)
{
	const struct span *bank;

	ukplat_boot_cycles = cycles;
	arm64_entry_el = el;
	park_secondaries();
	arm64_uart_init(arm64_board.uart);

	/* reservations 0 and 1 (never crowded out): the image, and the boot
	 * loader's area below it in its bank (QEMU's boot stub, the spin
	 * tables secondary cores wait on, ATAGS) once the banks are known */
	add_span(rsv, &nr_rsv, MAX_RSV, (uintptr_t)_start, _end - _start);
	nr_rsv = 2;
	find_boot_info(loader_arg);
	bank = ram_containing((uintptr_t)_start, (uintptr_t)_end);
	if (bank) {
		rsv[1].base = bank->base;
		rsv[1].end = (uintptr_t)_start;
	}

	setup_mmu();
	arm64_irqc_init();
	arm64_timer_stop();

	build_memregions();
	bi.cmdline = cmdline;
	ukplat_entry(&bi);
}
