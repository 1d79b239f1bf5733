/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * arm64 boot, in C (entered from start.S with the MMU off, so: nothing
 * unaligned, plain stores reach memory directly):
 *
 *  1. console up, so anything that goes wrong from here is reported;
 *  2. boot information, from the first source that has it:
 *       - a device tree at x0 (QEMU virt; any board started with -dtb) or
 *         at the board's probe address (QEMU virt with an ELF image):
 *         /memory, /chosen/bootargs and linux,initrd-start/end,
 *         /reserved-memory, /memreserve/ (and
 *         /psci when PSCI is first used: psci.c);
 *       - ATAGS at x0 (QEMU's Linux loader without a device tree:
 *         raspi3b, zcu102 raw images): ATAG_MEM, ATAG_CMDLINE,
 *         ATAG_INITRD2;
 *       - semihosting (QEMU -semihosting-config), when the loader passed
 *         neither: the command line (-append); and the end of RAM
 *         (SYS_HEAPINFO) when nothing else described RAM;
 *       - the board's defaults and PLAT_ARM64_DEFAULT_CMDLINE;
 *  3. identity page tables (RAM normal write-back, the board's MMIO
 *     Device-nGnRE, page 0 unmapped to catch NULL) and the MMU on;
 *  4. struct ukplat_bootinfo (free RAM = RAM minus the image, the loader
 *     area below it, the device tree and reservations; page aligned) and
 *     ukplat_entry().
 * The interrupt controller and the timers are set up when interrupts are
 * first used (irq.c), not here.
 *
 * Under QEMU TCG boot time is mostly the translation of the code that runs
 * for the first time: per basic block, and per instruction in it (a load,
 * store, compare or branch costs several times an ALU instruction). So
 * this file is written small: one path per source of boot information,
 * shared helpers, no unrolled or duplicated code, the device tree read in
 * one pass by ukfdt_scan.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/assert.h>
#include <uk/fdt.h>
#include <arm64/cpu.h>
#include <arm64/mmu.h>
#include <arm64/board.h>
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
#define MAX_RAM       8
#define MAX_RSV       16

uint64_t ukplat_boot_cycles;
unsigned int arm64_entry_el;
const void *arm64_dtb;

/* The page table pool is cleared with the rest of .bss (arm64_mmu_load()
 * wants it zeroed); the stacks are in start.S. */
static arm64_pt_t pgtables[CONFIG_PLAT_ARM64_PAGE_TABLES] __align(4096);

extern char _start[], _end[];          /* arm64.lds */
extern char __data_start[];
extern char arm64_boot_stack_guard[], arm64_exc_stack_guard[];   /* start.S */
extern char arm64_park[];              /* start.S */

struct span {
	uint64_t base, end;
};

static struct ukplat_bootinfo bi;
const struct ukplat_bootinfo *const arm64_bootinfo = &bi;

/* A list of address ranges: n used of max entries at s. */
struct spans {
	unsigned int n, max;
	struct span *s;
};
static struct span ram_spans[MAX_RAM], rsv_spans[MAX_RSV];
static struct spans ram_list = { 0, MAX_RAM, ram_spans };
/* two entries kept for the image and the area below it (arm64_boot) */
static struct spans rsv_list = { 0, MAX_RSV - 2, rsv_spans };
#define RAM (&ram_list)
#define RSV (&rsv_list)

static char cmdline[CMDLINE_MAX];      /* when the command line needs a copy */
static uint64_t dtb_end;               /* arm64_dtb + its size */

/* [base, base + size) into l, kept sorted by base; empty, wrapping or one
 * too many: dropped. */
static void add_span(struct spans *l, uint64_t base, uint64_t size)
{
	unsigned int i = l->n;

	if (base + size <= base || i >= l->max)
		return;
	for (; i && l->s[i - 1].base > base; i--)
		l->s[i] = l->s[i - 1];
	l->s[i].base = base;
	l->s[i].end = base + size;
	l->n++;
}

/* RAM of `size` at the board's RAM base; what exceeds the first bank's
 * window continues at ram_high (ZynqMP: DDR above 2 GiB is at 32 GiB). */
static void add_board_ram(uint64_t size)
{
	const struct arm64_board *b = &arm64_board;
	uint64_t low = UK_MIN(size, b->ram.size);

	add_span(RAM, b->ram.base, low);
	if (b->ram_high)
		add_span(RAM, b->ram_high, size - low);
}

/* A string at s, len bytes long at most: s itself if its NUL is the last
 * byte (device trees and ATAGS write them so) and it is not in page 0
 * (unmapped once the MMU is on: QEMU's ATAGS are at 0x100), else a bounded
 * copy. */
static const char *cmdline_at(const char *s, size_t len)
{
	size_t n;

	if (len && !s[len - 1] && (uintptr_t)s >= __PAGE_SIZE)
		return s;
	for (n = 0; n < len && n < sizeof(cmdline) - 1 && s[n]; n++)
		cmdline[n] = s[n];
	cmdline[n] = '\0';
	return cmdline;
}

/* The device tree (ukfdt_boot_info): /memory, /reserved-memory,
 * /memreserve/, /chosen/bootargs. (/psci is read when PSCI is first
 * called: psci.c.) */
static const char *from_dtb(const void *dtb)
{
	static struct ukfdt_boot dt;          /* .bss: not on the boot stack */
	unsigned int i;

	dtb_end = (uintptr_t)dtb + ukfdt_totalsize(dtb);
	add_span(RSV, (uintptr_t)dtb, dtb_end - (uintptr_t)dtb);
	ukfdt_boot_info(dtb, &dt);            /* a malformed tree: what was read */
	for (i = 0; i < dt.nr_mem; i++)
		add_span(RAM, dt.mem[i].base, dt.mem[i].size);
	for (i = 0; i < dt.nr_rsv; i++)
		add_span(RSV, dt.rsv[i].base, dt.rsv[i].size);
	if (dt.initrd_end > dt.initrd_start) {    /* QEMU -initrd */
		bi.initrd = (const void *)(uintptr_t)dt.initrd_start;
		bi.initrd_len = (size_t)(dt.initrd_end - dt.initrd_start);
		add_span(RSV, dt.initrd_start, bi.initrd_len);
	}
	arm64_dtb = dtb;
	bi.dtb = (void *)dtb;
	bi.bootloader = "dtb";
	return dt.bootargs ? cmdline_at(dt.bootargs, (size_t)dt.bootargs_len) : NULL;
}

/* ATAGS (the 32-bit Linux boot protocol QEMU still writes for raw images
 * without a device tree): a list of (size in words, tag, data...). */
#define ATAG_CORE    0x54410001U
#define ATAG_MEM     0x54410002U
#define ATAG_CMDLINE 0x54410009U
#define ATAG_INITRD2 0x54420005U      /* physical start, size */

static const char *from_atags(const uint32_t *t)
{
	const uint32_t *end = t + 4096;     /* 16 KiB at most */
	const char *cl = NULL;
	uint32_t size, tag;
	unsigned int n;

	bi.bootloader = "atags";
	for (n = 0; n < 64 && end - t >= 4; n++, t += size) {
		size = t[0];
		tag = t[1];
		if (size < 2 || tag == 0 || size > (uint32_t)(end - t))
			break;
		if (tag == ATAG_MEM && size >= 4) {
			if (t[3] == arm64_board.ram.base)
				add_board_ram(t[2]);
			else
				add_span(RAM, t[3], t[2]);
		} else if (tag == ATAG_CMDLINE) {
			cl = cmdline_at((const char *)&t[2], (size - 2) * 4);
		} else if (tag == ATAG_INITRD2 && size >= 4 && t[3]) {
			bi.initrd = (const void *)(uintptr_t)t[2];
			bi.initrd_len = t[3];
			add_span(RSV, t[2], t[3]);
		}
	}
	return cl;
}

/* Boot information (see the top of the file); the command line. */
static const char *find_boot_info(void *arg)
{
	const struct arm64_board *b = &arm64_board;
	uintptr_t p = (uintptr_t)arg, probe = b->dtb_probe;
	uint64_t room = p - b->ram.base;      /* from p to the end of the RAM window */
	const char *cl = NULL;

	room = room < b->ram.size ? b->ram.size - room : 0;
	bi.bootloader = "none";
	if (p && !(p & 7) && room >= UKFDT_HEADER_SIZE &&
	    ukfdt_check(arg, UK_MIN(DTB_MAX_SIZE, room)) == 0)
		cl = from_dtb(arg);
	else if (probe && (uintptr_t)_start - probe >= UKFDT_HEADER_SIZE &&
		 ukfdt_check((void *)probe, UK_MIN(DTB_MAX_SIZE, (uintptr_t)_start - probe)) == 0)
		cl = from_dtb((void *)probe);
	else if (p && !(p & 3) && room >= 16 && ((uint32_t *)arg)[1] == ATAG_CORE &&
		 ((uint32_t *)arg)[0] - 2 <= 3)
		cl = from_atags(arg);
#if defined(CONFIG_PLAT_ARM64_SEMIHOSTING)
	/* No device tree, no ATAGS: ask the host. (Not when a loader passed
	 * either: QEMU puts -append there too, and on hardware without a
	 * debugger the call would be an undefined instruction.) */
	else {
		/* QEMU hands out "<kernel file> <-append text>": drop the first word */
		uint64_t blk[2] = { (uintptr_t)cmdline, sizeof(cmdline) - 1 };
		char *c = cmdline;

		if (arm64_semihost(SEMIHOST_SYS_GET_CMDLINE, blk) == 0) {
			while (*c && *c != ' ')
				c++;
			while (*c == ' ')
				c++;
			cl = c;
		}
	}
	if (!RAM->n) {
		/* QEMU answers with the end of the largest gap between loaded
		 * images in the largest RAM region: the RAM end, unless the
		 * gap below the image is the larger one (tiny RAM); then all
		 * we know is that RAM reaches past the image */
		uint64_t info[4] = { 0, 0, 0, 0 }, ptr = (uintptr_t)info, end;

		end = arm64_semihost(SEMIHOST_SYS_HEAPINFO, &ptr) == 0 ? info[1] : 0;
		if (end && end < (uintptr_t)_end)
			end = UK_ALIGN_UP((uintptr_t)_end, __PAGE_SIZE);
		if (end > b->ram.base)
			add_board_ram(UK_MIN(end - b->ram.base, b->ram.size));
	}
#endif
	if (!RAM->n)
		add_board_ram(b->ram_default);
	return cl ? cl : CONFIG_PLAT_ARM64_DEFAULT_CMDLINE;
}

/* Map [base, end) Normal unless it is in a RAM window of the board's map. */
static int map_normal(uint64_t base, uint64_t end)
{
	const struct arm64_board *b = &arm64_board;

	if ((base >= b->ram.base && end - b->ram.base <= b->ram.size) ||
	    (base >= b->ram_high && end - b->ram_high <= b->ram_high_size))
		return 0;
	return arm64_mmu_map(base, end - base, ARM64_MEM_NORMAL);
}

/*
 * The identity map: the board's fixed map (its RAM windows Normal but for
 * page 0, its MMIO windows Device-nGnRE), written as it is; then the RAM
 * banks, the image and the device tree, should any be outside the RAM
 * windows.
 */
static void setup_mmu(void)
{
	const struct arm64_board *b = &arm64_board;
	unsigned int i;
	int rc;

	if (b->map_tables > CONFIG_PLAT_ARM64_PAGE_TABLES)
		uk_crash("arm64: the board's map needs more PLAT_ARM64_PAGE_TABLES", NULL);
	arm64_mmu_load(pgtables, CONFIG_PLAT_ARM64_PAGE_TABLES, b->map_tables, b->map, b->nr_map);
	rc = map_normal((uintptr_t)_start, (uintptr_t)_end);
	if (arm64_dtb)
		rc |= map_normal((uintptr_t)arm64_dtb, dtb_end);
	if (bi.initrd_len)
		rc |= map_normal((uintptr_t)bi.initrd, (uintptr_t)bi.initrd + bi.initrd_len);
	for (i = 0; i < RAM->n; i++)
		rc |= map_normal(RAM->s[i].base, RAM->s[i].end);
	/* W^X (all RAM is Normal, not executable): the image's text and
	 * rodata read-only and executable, one region up to the page-aligned
	 * data (arm64.lds: a page boundary between them would be up to 4 KiB
	 * of padding in the raw image); the stacks' guard pages unmapped */
	rc |= arm64_mmu_map((uintptr_t)_start, __data_start - _start, ARM64_MEM_NORMAL_RX);
	rc |= arm64_mmu_map((uintptr_t)arm64_exc_stack_guard, __PAGE_SIZE, ARM64_MEM_UNMAPPED);
	rc |= arm64_mmu_map((uintptr_t)arm64_boot_stack_guard, __PAGE_SIZE, ARM64_MEM_UNMAPPED);
	if (rc)
		uk_crash("arm64: page tables do not fit (raise PLAT_ARM64_PAGE_TABLES)", NULL);
	arm64_mmu_enable();
}

/* One region of the memory map; empty ones, and those too many, dropped. */
static void add_region(uint64_t base, uint64_t end, int type)
{
	struct ukplat_memregion *m = &bi.mrd[bi.nr_mrd];

	if (end <= base || bi.nr_mrd >= UKPLAT_MEMR_MAX)
		return;
	m->base = (uintptr_t)base;
	m->len = (size_t)(end - base);
	m->type = type;
	bi.nr_mrd++;
}

/*
 * The memory map, by address: for every RAM bank, the free gaps between
 * the reservations (page aligned inward) and the reservations themselves
 * (the image as KERNEL, the rest RESERVED; page aligned outward).
 * Reservations outside RAM are left out; page 0 is never free (NULL).
 */
static void build_memregions(void)
{
	const struct span *r, *bank;
	uint64_t pos, b, e;
	unsigned int i, j;

	for (i = 0, bank = RAM->s; i < RAM->n; i++, bank++) {
		pos = UK_MAX(bank->base, __PAGE_SIZE);
		for (j = 0, r = RSV->s; j <= RSV->n; j++, r++) {
			/* past the last reservation: the rest of the bank */
			b = bank->end;
			e = 0;
			if (j < RSV->n) {
				b = UK_MAX(UK_ALIGN_DOWN(r->base, __PAGE_SIZE), pos);
				e = UK_MIN(UK_ALIGN_UP(r->end, __PAGE_SIZE), bank->end);
				if (e <= b)
					continue;
			}
			add_region(UK_ALIGN_UP(pos, __PAGE_SIZE), UK_ALIGN_DOWN(b, __PAGE_SIZE),
				   UKPLAT_MEMR_FREE);
			add_region(b, e, j < RSV->n && r->base == (uintptr_t)_start ?
				   UKPLAT_MEMR_KERNEL : UKPLAT_MEMR_RESERVED);
			pos = e;
		}
	}
}

const struct ukplat_bootinfo *ukplat_bootinfo_get(void)
{
	return &bi;
}

void __noreturn_nosp arm64_boot(void *loader_arg, unsigned int el, uint64_t cycles)
{
	const struct arm64_board *b = &arm64_board;
	unsigned int i;

	ukplat_boot_cycles = cycles;
	arm64_entry_el = el;
	/* secondary cores waiting on a spin table: into a WFI loop (start.S) */
	if (b->spin_table) {
		for (i = 1; i < b->nr_cpus; i++)
			*(volatile uint64_t *)(b->spin_table + 8 * i) = (uintptr_t)arm64_park;
		__asm__ __volatile__("dsb sy; sev" : : : "memory");
	}
	arm64_uart_init(b->uart);

	bi.cmdline = find_boot_info(loader_arg);
	/* two reservations never crowded out (see rsv_list): the image, and
	 * the boot loader's area below it in its bank (QEMU's boot stub, the
	 * spin tables secondary cores wait on, ATAGS) */
	RSV->max = MAX_RSV;
	add_span(RSV, (uintptr_t)_start, _end - _start);
	for (i = 0; i < RAM->n; i++)
		if ((uintptr_t)_start >= RAM->s[i].base && (uintptr_t)_end <= RAM->s[i].end)
			add_span(RSV, RAM->s[i].base, (uintptr_t)_start - RAM->s[i].base);

	setup_mmu();
	build_memregions();
	ukplat_entry(&bi);
}
