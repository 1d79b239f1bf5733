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

/* name is want, or want@unit-address */
static bool node_is(const char *name, const char *want)
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

static bool streq(const char *a, const char *b)
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
	int i;

	for (i = 0; i < len && s[i] && val[i] == s[i]; i++)
		;
	return !s[i] && i == len - 1 && !val[i];
}

static void add_regs(struct span *a, unsigned int *n, unsigned int max,
		     const void *val, int len, uint32_t ac, uint32_t sc)
{
	uint64_t base, size;
	int i;

	for (i = 0; ukfdt_reg_decode(val, len, ac, sc, i, &base, &size) == 0; i++)
		add_span(a, n, max, base, size);
}

/*
 * What the boot code takes from a device tree: (depth, top-level node,
 * property) -> action. Table driven, so the walk below runs the same few
 * basic blocks for every property (cheap under an emulator, see ukfdt_be32).
 */
enum { TOP_ANY, TOP_CHOSEN, TOP_PSCI, TOP_RESMEM, TOP_OTHER };
enum { ACT_AC, ACT_SC, ACT_RAC, ACT_RSC,     /* = index in cells[] */
       ACT_REG, ACT_DEVTYPE, ACT_STATUS, ACT_BOOTARGS, ACT_METHOD, ACT_RESREG };

static const char *const top_names[] = {
	[TOP_CHOSEN] = "chosen", [TOP_PSCI] = "psci", [TOP_RESMEM] = "reserved-memory",
};

static const struct dt_rule {
	uint8_t depth, top, action;
	const char *prop;
} dt_rules[] = {
	{ 0, TOP_ANY,    ACT_AC,       "#address-cells" },
	{ 0, TOP_ANY,    ACT_SC,       "#size-cells" },
	{ 1, TOP_ANY,    ACT_REG,      "reg" },
	{ 1, TOP_ANY,    ACT_DEVTYPE,  "device_type" },
	{ 1, TOP_ANY,    ACT_STATUS,   "status" },
	{ 1, TOP_CHOSEN, ACT_BOOTARGS, "bootargs" },
	{ 1, TOP_PSCI,   ACT_METHOD,   "method" },
	{ 1, TOP_RESMEM, ACT_RAC,      "#address-cells" },
	{ 1, TOP_RESMEM, ACT_RSC,      "#size-cells" },
	{ 2, TOP_RESMEM, ACT_RESREG,   "reg" },
};

/*
 * One pass over the tree: the root's cells, memory nodes (device_type
 * "memory"), /chosen/bootargs, /psci method, /reserved-memory children;
 * then the memory reservation block.
 */
static void from_dtb(const void *dtb)
{
	uint32_t cells[4] = { 2, 1, 2, 1 };   /* #address/#size: root, reserved-memory */
	const void *val, *reg = NULL;
	const struct dt_rule *r;
	const char *name;
	struct ukfdt_iter it;
	int kind, len, reglen = 0, i, top = TOP_OTHER;
	bool is_memory = false, enabled = true;
	uint64_t a, s;

	ukfdt_iter_init(dtb, &it);
	while ((kind = ukfdt_iter_next(&it, &name, &val, &len)) > 0) {
		if (kind == UKFDT_ITER_NODE) {
			if (it.depth != 1)
				continue;
			for (top = TOP_CHOSEN; top < TOP_OTHER; top++)
				if (node_is(name, top_names[top]))
					break;
			is_memory = false;
			enabled = true;
			reg = NULL;
			continue;
		}
		if (kind == UKFDT_ITER_END_NODE) {
			/* a memory node ends (device_type may come after reg);
			 * status "disabled": e.g. QEMU's Secure-only RAM */
			if (it.depth == 1 && is_memory && enabled && reg)
				add_regs(ram, &nr_ram, MAX_RAM, reg, reglen, cells[0], cells[1]);
			continue;
		}
		for (r = dt_rules; r < dt_rules + UK_ARRAY_SIZE(dt_rules); r++)
			if (r->depth == it.depth && (r->top == TOP_ANY || r->top == top) &&
			    streq(name, r->prop))
				break;
		if (r == dt_rules + UK_ARRAY_SIZE(dt_rules))
			continue;
		switch (r->action) {
		case ACT_AC:
		case ACT_SC:
		case ACT_RAC:
		case ACT_RSC:
			if (len == 4)
				cells[r->action] = ukfdt_be32(val);
			break;
		case ACT_REG:
			reg = val;
			reglen = len;
			break;
		case ACT_DEVTYPE:
			is_memory = value_is(val, len, "memory");
			break;
		case ACT_STATUS:
			enabled = value_is(val, len, "okay") || value_is(val, len, "ok");
			break;
		case ACT_BOOTARGS:
			set_cmdline(val, (size_t)len);
			break;
		case ACT_METHOD:
			arm64_psci_conduit = value_is(val, len, "hvc") ? ARM64_PSCI_HVC :
					     value_is(val, len, "smc") ? ARM64_PSCI_SMC :
					     ARM64_PSCI_NONE;
			break;
		case ACT_RESREG:
			add_regs(rsv, &nr_rsv, MAX_RSV, val, len, cells[2], cells[3]);
			break;
		}
	}
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

void __noreturn arm64_boot(void *loader_arg, unsigned int el, uint64_t cycles)
{
	const struct span *bank;

	ukplat_boot_cycles = cycles;
	arm64_entry_el = el;
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
