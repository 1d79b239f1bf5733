/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the page-table operations of the platform API
 * (uk/plat/paging.h), shared by the VM platforms: os/plat/kvm builds this
 * file, os/plat/arm64/tests/test_paging.c includes it. They check the
 * image's W^X protections as boot left them, then map a RAM page at a
 * second address (an alias far above RAM), write through one and read
 * through the other, change and query protections, split a 2 MiB page,
 * unmap, which updates invalidate the TLB (ukplat_tlb_flushes, and a
 * frame replaced under an address read just before), and the -E returns
 * for bad arguments. No fault is taken: the
 * protections are read back with ukplat_page_prot().
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/test.h>

#define PAGE UKPLAT_PAGE_SIZE
#define R    UKPLAT_PROT_READ
#define W    UKPLAT_PROT_WRITE
#define X    UKPLAT_PROT_EXEC
#define MIB2 (2UL << 20)
/* Unused addresses in both address spaces (x86_64: 512 GiB, arm64: 39 bits). */
#define ALIAS  (256UL << 30)
#define ALIAS2 (ALIAS + (64UL << 20))      /* same 1 GiB: one table fewer */

static uint8_t page_buf[2 * PAGE] __align(4096);
static const char ro_string[] = "read-only";
static int data_word = 1;

/* The address of a function as data (an object pointer). */
#define FN_ADDR(f) ((uintptr_t)(void *)&(f))

/* rodata: never writable. On kvm it also has pages of its own, no-execute
 * (free there: no file padding); the arm64 raw images keep text and rodata
 * in one read-only, executable region (ARCHITECTURE.md, Memory protection). */
#if defined(__aarch64__)
#define RODATA_PROT (R | X)
#else
#define RODATA_PROT R
#endif

UK_TESTCASE(ukplat_paging, image_is_w_xor_x)
{
	int stack_word;

	UK_TEST_EXPECT_EQ(ukplat_page_prot(FN_ADDR(ukplat_page_map)), R | X);
	UK_TEST_EXPECT_EQ(ukplat_page_prot((uintptr_t)ro_string), RODATA_PROT);
	UK_TEST_EXPECT_EQ(ukplat_page_prot((uintptr_t)&data_word), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot((uintptr_t)page_buf), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot((uintptr_t)&stack_word), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(0), -ENOENT);     /* NULL faults */
}

UK_TESTCASE(ukplat_paging, map_alias_protect_unmap)
{
	volatile uint8_t *alias = (volatile uint8_t *)ALIAS;

	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), -ENOENT);
	UK_TEST_ASSERT(ukplat_page_map(ALIAS, (uintptr_t)page_buf, 2 * PAGE, R | W) == 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS + PAGE), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS + 2 * PAGE), -ENOENT);
	alias[5] = 0x5a;
	alias[PAGE + 7] = 0xa5;
	UK_TEST_EXPECT_EQ(((volatile uint8_t *)page_buf)[5], 0x5a);
	UK_TEST_EXPECT_EQ(((volatile uint8_t *)page_buf)[PAGE + 7], 0xa5);
	((volatile uint8_t *)page_buf)[9] = 0x33;
	UK_TEST_EXPECT_EQ(alias[9], 0x33);

	UK_TEST_EXPECT_EQ(ukplat_page_protect(ALIAS + PAGE, PAGE, R), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS + PAGE), R);
	UK_TEST_EXPECT_EQ(alias[PAGE + 7], 0xa5);           /* still readable */
	UK_TEST_EXPECT_EQ(ukplat_page_protect(ALIAS, PAGE, R | X), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), R | X);
	/* the original stays as it was */
	UK_TEST_EXPECT_EQ(ukplat_page_prot((uintptr_t)page_buf), R | W);

	UK_TEST_EXPECT_EQ(ukplat_page_unmap(ALIAS, 2 * PAGE), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), -ENOENT);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS + PAGE), -ENOENT);
	/* unmapping what is not mapped is not an error; protecting it is */
	UK_TEST_EXPECT_EQ(ukplat_page_unmap(ALIAS, 2 * PAGE), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_protect(ALIAS, PAGE, R), -ENOENT);
}

UK_TESTCASE(ukplat_paging, large_page_split)
{
	uintptr_t pa = UK_ALIGN_DOWN((uintptr_t)page_buf, MIB2);
	uintptr_t off = (uintptr_t)page_buf - pa;
	volatile uint8_t *alias = (volatile uint8_t *)(ALIAS2 + off);

	/* one 2 MiB mapping, then one page of it read-only: split */
	UK_TEST_ASSERT(ukplat_page_map(ALIAS2, pa, MIB2, R | W) == 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + MIB2 - PAGE), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_protect(ALIAS2 + off, PAGE, R), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + off), R);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + off + PAGE), R | W);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + MIB2 - PAGE), R | W);
	((volatile uint8_t *)page_buf)[100] = 0x77;
	UK_TEST_EXPECT_EQ(alias[100], 0x77);                /* same physical page */
	/* unmap one page in the middle, then all of it */
	UK_TEST_EXPECT_EQ(ukplat_page_unmap(ALIAS2 + off + PAGE, PAGE), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + off + PAGE), -ENOENT);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + off), R);
	UK_TEST_EXPECT_EQ(ukplat_page_unmap(ALIAS2, MIB2), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS2 + off), -ENOENT);
}

/*
 * TLB upkeep: mapping where nothing was mapped invalidates nothing (no
 * full flush, however many pages, one call each as demand paging makes
 * them); replacing a mapped page's frame is seen at once through the
 * same address (its entry invalidated, not left stale: the alias was read
 * just before, so its old translation is in the TLB); more than 16 mapped
 * pages changed in one call flush the whole TLB once.
 */
UK_TESTCASE(ukplat_paging, tlb_invalidated_only_where_something_was_mapped)
{
	volatile uint8_t *alias = (volatile uint8_t *)ALIAS;
	unsigned long flushes = ukplat_tlb_flushes;
	unsigned int i;

	page_buf[0] = 0x11;
	page_buf[PAGE] = 0x22;
	for (i = 0; i < 64; i++)
		UK_TEST_ASSERT(ukplat_page_map(ALIAS + i * PAGE, (uintptr_t)page_buf, PAGE, R | W) == 0);
	UK_TEST_EXPECT_EQ(ukplat_tlb_flushes, flushes);
	UK_TEST_EXPECT_EQ(alias[0], 0x11);
	UK_TEST_EXPECT_EQ(alias[63 * PAGE], 0x11);
	/* the same address to the other frame: read back through the TLB */
	UK_TEST_ASSERT(ukplat_page_map(ALIAS, (uintptr_t)page_buf + PAGE, PAGE, R | W) == 0);
	UK_TEST_EXPECT_EQ(alias[0], 0x22);
	UK_TEST_ASSERT(ukplat_page_protect(ALIAS, PAGE, R) == 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), R);
	UK_TEST_ASSERT(ukplat_page_unmap(ALIAS, PAGE) == 0);
	UK_TEST_ASSERT(ukplat_page_map(ALIAS, (uintptr_t)page_buf, PAGE, R) == 0);
	UK_TEST_EXPECT_EQ(alias[0], 0x11);
	UK_TEST_EXPECT_EQ(ukplat_tlb_flushes, flushes);
	/* 64 mapped pages at once: one full flush */
	UK_TEST_EXPECT_EQ(ukplat_page_unmap(ALIAS, 64 * PAGE), 0);
	UK_TEST_EXPECT_EQ(ukplat_tlb_flushes, flushes + 1);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS + 63 * PAGE), -ENOENT);
}

UK_TESTCASE(ukplat_paging, bad_arguments)
{
	UK_TEST_EXPECT_EQ(ukplat_page_map(ALIAS + 1, (uintptr_t)page_buf, PAGE, R), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_map(ALIAS, (uintptr_t)page_buf + 8, PAGE, R), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_map(ALIAS, (uintptr_t)page_buf, 100, R), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_map(ALIAS, (uintptr_t)page_buf, PAGE, W), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_map(1UL << 40, 0, PAGE, R), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_unmap(-PAGE, 2 * PAGE), -EINVAL);      /* wraps */
	UK_TEST_EXPECT_EQ(ukplat_page_protect(ALIAS, PAGE, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), -ENOENT);                /* untouched */
	UK_TEST_EXPECT_EQ(ukplat_stack_guard(ALIAS + 8), -EINVAL);
}

UK_TESTCASE(ukplat_paging, stack_guard_is_recorded)
{
	UK_TEST_ASSERT(ukplat_page_map(ALIAS, (uintptr_t)page_buf, 2 * PAGE, R | W) == 0);
	UK_TEST_EXPECT(!ukplat_stack_guard_hit(ALIAS + 16));
	UK_TEST_EXPECT_EQ(ukplat_stack_guard(ALIAS), 0);
	UK_TEST_EXPECT_EQ(ukplat_page_prot(ALIAS), -ENOENT);
	UK_TEST_EXPECT(ukplat_stack_guard_hit(ALIAS + 16));
	UK_TEST_EXPECT(!ukplat_stack_guard_hit(ALIAS + PAGE));
	UK_TEST_EXPECT(!ukplat_stack_guard_hit((uintptr_t)page_buf));
	ukplat_page_unmap(ALIAS, 2 * PAGE);
}
