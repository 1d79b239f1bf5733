/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of posix-mmap and of the page-fault handler chain
 * (uk/fault.h), through the syscall handlers themselves. The same cases
 * run on the VMs (the demand-paged area) and on linuxu (the host's calls);
 * cases about the area itself (where mappings go, what a reservation
 * costs, the page tables' protections, the region walker) only on the VMs.
 *
 * A test fault handler at priority 90, after demand paging (10) and any
 * signal delivery (50), claims faults only in the one page a case arms
 * it for: it records what it saw and makes the page read-write, so the
 * faulting access runs again and succeeds.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/fault.h>
#include <uk/plat.h>
#include <uk/test.h>
#include <uk/mmap.h>
#include <uk/linux/mman.h>
#include <uk/uaccess.h>
#include "../mmap_sys.h"

#define PG 4096UL
#define P(a) ((void *)(a))
#define RW (UK_PROT_READ | UK_PROT_WRITE)
#define ANON (UK_MAP_PRIVATE | UK_MAP_ANONYMOUS)

#if defined(CONFIG_PLAT_LINUXU)
#define ON_VM 0
#else
#define ON_VM 1
#endif

static volatile uintptr_t armed;        /* the page the test handler claims */
static volatile int seen;
static volatile bool seen_write, seen_present;

static int test_fault(struct uk_fault *f)
{
	if (!armed || f->addr - armed >= PG)
		return UK_FAULT_NOT_HANDLED;
	seen++;
	seen_write = f->write;
	seen_present = f->user_present;
	if (uk_sys_mprotect(P(armed), PG, RW))
		return UK_FAULT_NOT_HANDLED;
	armed = 0;
	return UK_FAULT_HANDLED;
}
UK_FAULT_HANDLER(test_fault, 90);

static long map(unsigned long len, unsigned long prot, unsigned long flags)
{
	return uk_sys_mmap(0, len, prot, flags, (unsigned long)-1, 0);
}

static bool all_zero(const volatile uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

UK_TESTCASE(posix_mmap, anon_zeroed_and_writable)
{
	long a = map(3 * PG, RW, ANON);
	volatile uint8_t *p = (volatile uint8_t *)a;

	UK_TEST_ASSERT(a > 0 && !(a & (PG - 1)));
	if (ON_VM)
		UK_TEST_EXPECT(a >= (long)UK_MMAP_AREA_START && a < (long)UK_MMAP_AREA_END);
	UK_TEST_EXPECT(all_zero(p, 3 * PG));
	p[0] = 1;
	p[3 * PG - 1] = 2;
	UK_TEST_EXPECT_EQ(p[0] + p[3 * PG - 1], 3);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 3 * PG), 0);
}

/* A syscall's copy into a page of a mapping nobody touched yet (a fresh
 * malloc'd buffer handed to read()) succeeds: uaccess faults it in as the
 * access would. PROT_NONE and unmapped pages stay -EFAULT. */
UK_TESTCASE(posix_mmap, uaccess_on_untouched_pages)
{
	long a = map(4 * PG, RW, ANON);
	long g = map(PG, UK_PROT_NONE, ANON);
	char buf[16] = "copied";
	char back[16];

	UK_TEST_ASSERT(a > 0 && g > 0);
	UK_TEST_EXPECT_EQ(uk_copy_to_user(P(a + PG + 100), buf, sizeof(buf)), 0);
	UK_TEST_EXPECT_EQ(((volatile char *)a)[PG + 100], 'c');
	UK_TEST_EXPECT_EQ(uk_copy_from_user(back, P(a + 3 * PG), sizeof(back)), 0);
	UK_TEST_EXPECT_EQ(back[0], 0);
	UK_TEST_EXPECT(uk_access_ok(P(a + 2 * PG), PG, true));
	UK_TEST_EXPECT_EQ(uk_copy_to_user(P(g), buf, 1), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_copy_from_user(back, P(g), 1), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 4 * PG), 0);
	UK_TEST_EXPECT_EQ(uk_copy_from_user(back, P(a), 1), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(g), PG), 0);
}

UK_TESTCASE(posix_mmap, bad_arguments)
{
	long a = map(PG, RW, ANON);

	UK_TEST_EXPECT_EQ(map(0, RW, ANON), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(0, PG, RW, ANON, (unsigned long)-1, 100), -EINVAL);
	UK_TEST_EXPECT_EQ(map(PG, RW, UK_MAP_ANONYMOUS), -EINVAL);      /* no type */
	UK_TEST_EXPECT_EQ(map(PG, 0x10, ANON), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(0, PG, RW, UK_MAP_PRIVATE, (unsigned long)-1, 0), -EBADF);
	UK_TEST_EXPECT_EQ(map(PG, RW | UK_PROT_EXEC, ANON), -EACCES);   /* W^X */
	UK_TEST_EXPECT_EQ(uk_sys_mmap(P(a + 1), PG, RW, ANON | UK_MAP_FIXED, (unsigned long)-1, 0),
			  -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a + 1), PG), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a + 1), PG, UK_PROT_READ), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, RW | UK_PROT_EXEC), -EACCES);
	UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a), PG, 9999), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_msync(P(a), PG, UK_MS_SYNC | UK_MS_ASYNC), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mremap(P(a), PG, 2 * PG, 0x100, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mremap(P(a), PG, 2 * PG, UK_MREMAP_FIXED, P(a + 8 * PG)), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), PG), 0);
	/* a range that is not mapped (any more) */
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, UK_PROT_READ), -ENOMEM);
	UK_TEST_EXPECT_EQ(uk_sys_msync(P(a), PG, UK_MS_SYNC), -ENOMEM);
	UK_TEST_EXPECT_EQ(uk_sys_mremap(P(a), PG, 2 * PG, UK_MREMAP_MAYMOVE, 0), -EFAULT);
}

UK_TESTCASE(posix_mmap, munmap_partial_splits)
{
	long a = map(4 * PG, RW, ANON);
	volatile uint8_t *p = (volatile uint8_t *)a;
	unsigned char vec[4];

	UK_TEST_ASSERT(a > 0);
	p[0] = 7;
	p[3 * PG] = 9;
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a + PG), 2 * PG), 0);
	UK_TEST_EXPECT_EQ(p[0], 7);
	UK_TEST_EXPECT_EQ(p[3 * PG], 9);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(a), PG, vec), 0);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(a + PG), PG, vec), -ENOMEM);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(a + 3 * PG), PG, vec), 0);
	/* the hole can be mapped again, exactly there */
	UK_TEST_EXPECT_EQ(uk_sys_mmap(P(a + PG), 2 * PG, RW, ANON | UK_MAP_FIXED_NOREPLACE,
				      (unsigned long)-1, 0), a + PG);
	UK_TEST_EXPECT(all_zero(p + PG, 2 * PG));
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 4 * PG), 0);
}

UK_TESTCASE(posix_mmap, fixed_and_noreplace)
{
	long a = map(2 * PG, RW, ANON);
	volatile uint8_t *p = (volatile uint8_t *)a;

	UK_TEST_ASSERT(a > 0);
	p[0] = 5;
	p[PG] = 6;
	UK_TEST_EXPECT_EQ(uk_sys_mmap(P(a), PG, RW, ANON | UK_MAP_FIXED_NOREPLACE,
				      (unsigned long)-1, 0), -EEXIST);
	UK_TEST_EXPECT_EQ(p[0], 5);
	/* MAP_FIXED replaces: fresh zeroed memory, the neighbour untouched */
	UK_TEST_EXPECT_EQ(uk_sys_mmap(P(a), PG, RW, ANON | UK_MAP_FIXED, (unsigned long)-1, 0), a);
	UK_TEST_EXPECT_EQ(p[0], 0);
	UK_TEST_EXPECT_EQ(p[PG], 6);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 2 * PG), 0);
	/* a free hint is taken */
	UK_TEST_EXPECT_EQ(uk_sys_mmap(P(a + PG), PG, RW, ANON, (unsigned long)-1, 0), a + PG);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a + PG), PG), 0);
}

UK_TESTCASE(posix_mmap, populate_and_noreserve)
{
	struct uk_alloc *h = uk_alloc_get_default();
	size_t before = ON_VM ? uk_alloc_availmem(h) : 0;
	long big = map(256UL << 20, RW, ANON | UK_MAP_NORESERVE);
	long pop = map(4 * PG, RW, ANON | UK_MAP_POPULATE);
	unsigned char vec[4] = { 0 };
	volatile uint8_t *b = (volatile uint8_t *)big;

	UK_TEST_ASSERT(big > 0 && pop > 0);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(pop), 4 * PG, vec), 0);
	UK_TEST_EXPECT(vec[0] && vec[1] && vec[2] && vec[3]);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(big), 2 * PG, vec), 0);
	UK_TEST_EXPECT(!vec[0] && !vec[1]);
	/* touching one page of the reservation makes that page only */
	b[(128UL << 20) + 5] = 1;
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(big + (128L << 20)), 2 * PG, vec), 0);
	UK_TEST_EXPECT(vec[0] && !vec[1]);
	if (ON_VM) {    /* 256 MiB reserved in a guest far smaller: a few pages spent */
		UK_TEST_EXPECT(before - uk_alloc_availmem(h) < 256 * 1024);
		/* what uk_access_ok relies on: faulting a page in without a fault */
		UK_TEST_EXPECT(ukplat_page_prot(big + PG) < 0);
		UK_TEST_EXPECT(uk_mmap_fault_in(big + PG + 8, true));
		UK_TEST_EXPECT_EQ(ukplat_page_prot(big + PG), UKPLAT_PROT_READ | UKPLAT_PROT_WRITE);
		UK_TEST_EXPECT(!uk_mmap_fault_in(UK_MMAP_AREA_END - PG, false));
	}
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(big), 256UL << 20), 0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(pop), 4 * PG), 0);
}

UK_TESTCASE(posix_mmap, write_to_read_only_reaches_the_fault_chain)
{
	long a = map(PG, RW, ANON);
	volatile uint32_t *p = (volatile uint32_t *)a;

	UK_TEST_ASSERT(a > 0);
	p[0] = 41;
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, UK_PROT_READ), 0);
	if (ON_VM)
		UK_TEST_EXPECT_EQ(ukplat_page_prot(a), UKPLAT_PROT_READ);
	UK_TEST_EXPECT_EQ(p[0], 41);            /* still readable */
	seen = 0;
	armed = a;
	p[1] = 42;                              /* faults; the handler allows it */
	UK_TEST_EXPECT_EQ(seen, 1);
	UK_TEST_EXPECT(seen_write);
	UK_TEST_EXPECT(seen_present);
	UK_TEST_EXPECT_EQ(p[1], 42);
	if (ON_VM)
		UK_TEST_EXPECT_EQ(ukplat_page_prot(a), UKPLAT_PROT_READ | UKPLAT_PROT_WRITE);
	armed = 0;
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), PG), 0);
}

UK_TESTCASE(posix_mmap, prot_none_guard_is_not_demand_paged)
{
	long a = map(2 * PG, RW, ANON);
	volatile uint8_t *p = (volatile uint8_t *)a;

	UK_TEST_ASSERT(a > 0);
	p[PG] = 3;
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a + PG), PG, UK_PROT_NONE), 0);
	if (ON_VM)
		UK_TEST_EXPECT_EQ(ukplat_page_prot(a + PG), -ENOENT);
	seen = 0;
	armed = a + PG;
	/* demand paging (prio 10) leaves a PROT_NONE page alone: the test
	 * handler (90) gets the fault, and maps the page read-write again,
	 * contents kept */
	UK_TEST_EXPECT_EQ(p[PG], 3);
	UK_TEST_EXPECT_EQ(seen, 1);
	UK_TEST_EXPECT(!seen_write);
	armed = 0;
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 2 * PG), 0);
}

UK_TESTCASE(posix_mmap, brk_grows_zeroed_and_shrinks)
{
	long b0 = uk_sys_brk(0);
	volatile uint8_t *p = (volatile uint8_t *)b0;
	long top = b0 + 3 * (long)PG + 5;

	UK_TEST_ASSERT(b0 > 0);
	UK_TEST_EXPECT_EQ(uk_sys_brk(0), b0);
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)top), top);
	UK_TEST_EXPECT_EQ(uk_sys_brk(0), top);
	UK_TEST_EXPECT(all_zero(p, 3 * PG + 5));
	p[2 * PG] = 0xaa;
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)b0), b0);
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)top), top);
	UK_TEST_EXPECT_EQ(p[2 * PG], 0);        /* given back, then zeroed */
	if (ON_VM)      /* out of range: the break stays */
		UK_TEST_EXPECT_EQ(uk_sys_brk(1), top);
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)b0), b0);
}

UK_TESTCASE(posix_mmap, mremap_grows_moves_and_shrinks)
{
	/* two pages, and a third right after them as a wall: growing the
	 * two must move them */
	long a = map(3 * PG, RW, ANON), b, c;
	volatile uint8_t *p = (volatile uint8_t *)a, *q;

	UK_TEST_ASSERT(a > 0);
	p[0] = 1;
	p[PG] = 2;
	UK_TEST_EXPECT_EQ(uk_sys_mremap(P(a), 2 * PG, 8 * PG, 0, 0), -ENOMEM);
	c = uk_sys_mremap(P(a), 2 * PG, 8 * PG, UK_MREMAP_MAYMOVE, 0);
	UK_TEST_ASSERT(c > 0 && c != a);
	q = (volatile uint8_t *)c;
	UK_TEST_EXPECT_EQ(q[0] + q[PG], 3);
	UK_TEST_EXPECT(all_zero(q + 2 * PG, 6 * PG));
	q[8 * PG - 1] = 4;
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(a), PG, &b), -ENOMEM);  /* old one gone */
	/* shrinking stays in place */
	UK_TEST_EXPECT_EQ(uk_sys_mremap(P(c), 8 * PG, PG, 0, 0), c);
	UK_TEST_EXPECT_EQ(q[0], 1);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(c), PG), 0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a + 2 * PG), PG), 0);
}

UK_TESTCASE(posix_mmap, madvise_dontneed_and_free_zero)
{
	long a = map(3 * PG, RW, ANON);
	volatile uint8_t *p = (volatile uint8_t *)a;

	UK_TEST_ASSERT(a > 0);
	p[0] = 1;
	p[PG] = 2;
	p[2 * PG] = 3;
	UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a), PG, UK_MADV_DONTNEED), 0);
	UK_TEST_EXPECT_EQ(p[0], 0);
	UK_TEST_EXPECT_EQ(p[PG], 2);
	UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a + PG), PG, UK_MADV_WILLNEED), 0);
	UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a), 3 * PG, UK_MADV_SEQUENTIAL), 0);
	UK_TEST_EXPECT_EQ(p[PG], 2);
	if (ON_VM) {    /* the host frees MADV_FREE pages lazily, under pressure */
		UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a + 2 * PG), PG, UK_MADV_FREE), 0);
		UK_TEST_EXPECT_EQ(p[2 * PG], 0);
	}
	UK_TEST_EXPECT_EQ(uk_sys_msync(P(a), 3 * PG, UK_MS_SYNC), 0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 3 * PG), 0);
}

/* Code written into a mapping, then made read-execute: W^X kept. */
UK_TESTCASE(posix_mmap, write_then_execute)
{
	long a = map(PG, RW, ANON);
	int (*fn)(void) = (int (*)(void))a;

	UK_TEST_ASSERT(a > 0);
#if defined(__x86_64__)
	/* mov $42, %eax; ret */
	static const uint8_t code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
#else
	/* mov w0, #42; ret */
	static const uint32_t code[] = { 0x52800540, 0xd65f03c0 };
#endif
	__builtin_memcpy((void *)a, code, sizeof(code));
#if defined(__aarch64__)
	__asm__ __volatile__("dc cvau, %0; dsb ish; ic ivau, %0; dsb ish; isb"
			     : : "r"(a) : "memory");
#endif
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, UK_PROT_READ | UK_PROT_EXEC), 0);
	UK_TEST_EXPECT_EQ(fn(), 42);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), PG), 0);
}

#if !defined(CONFIG_PLAT_LINUXU)
struct walk {
	uintptr_t last_end;
	int in_order, saw_a, saw_heap;
	uintptr_t a;
};

static int walk_fn(const struct uk_mmap_region *r, void *arg)
{
	struct walk *w = arg;

	w->in_order &= r->start >= w->last_end && r->end > r->start;
	w->last_end = r->end;
	if (r->start <= w->a && w->a < r->end && r->prot == UK_PROT_READ &&
	    (r->flags & UK_MAP_ANONYMOUS))
		w->saw_a = 1;
	if (r->name && r->name[0] == '[' && r->name[1] == 'h')
		w->saw_heap = 1;
	return 0;
}

UK_TESTCASE(posix_mmap, region_walker)
{
	long b0 = uk_sys_brk(0), a = map(2 * PG, UK_PROT_READ, ANON);
	struct walk w = { 0, 1, 0, 0, (uintptr_t)a };

	UK_TEST_ASSERT(a > 0);
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)b0 + PG), b0 + (long)PG);
	UK_TEST_EXPECT_EQ(uk_mmap_walk(walk_fn, &w), 0);
	UK_TEST_EXPECT(w.in_order);
	UK_TEST_EXPECT(w.saw_a);
	UK_TEST_EXPECT(w.saw_heap);
	UK_TEST_EXPECT_EQ(uk_sys_brk((unsigned long)b0), b0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 2 * PG), 0);
}
#endif

/* The native path by number (what musl's syscall_arch.h calls) reaches
 * these handlers through uksyscall's table. */
UK_TESTCASE(posix_mmap, reached_by_number)
{
	long a = uk_syscall(UK_NR_mmap, 0, 2 * PG, RW, ANON, -1, 0);
	unsigned char vec[2];

	UK_TEST_ASSERT(a > 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_mprotect, a, PG, UK_PROT_READ, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_madvise, a, 2 * PG, UK_MADV_NORMAL, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_msync, a, 2 * PG, UK_MS_ASYNC, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_mincore, a, 2 * PG, (long)vec, 0, 0, 0), 0);
	UK_TEST_EXPECT(uk_syscall(UK_NR_brk, 0, 0, 0, 0, 0, 0) > 0);
	/* one region again, then shrunk to its first page */
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_mprotect, a, PG, RW, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_mremap, a, 2 * PG, PG, 0, 0, 0), a);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_munmap, a, PG, 0, 0, 0, 0), 0);
}

#if defined(CONFIG_LIBVFSCORE)
#include <uk/linux/fcntl.h>
#include <uk/linux/types.h>

/* A ramfs file of 2 pages + 100 bytes, "pattern" bytes i % 251. */
static int make_file(const char *path, long flags)
{
	static uint8_t buf[2 * 4096 + 100];
	unsigned int i;
	int fd = (int)uk_sys_openat(UK_AT_FDCWD, path, UK_O_CREAT | UK_O_TRUNC | UK_O_RDWR, 0644);

	if (fd < 0)
		return fd;
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i % 251);
	if (uk_sys_write(fd, buf, sizeof(buf)) != (long)sizeof(buf))
		return -1;
	uk_sys_close(fd);
	return (int)uk_sys_openat(UK_AT_FDCWD, path, (int)flags, 0);
}

UK_TESTCASE(posix_mmap, private_file_mapping_is_a_copy)
{
	int fd = make_file("/mmap-private", UK_O_RDWR);
	volatile uint8_t *p;
	uint8_t b = 0;
	long a;

	UK_TEST_ASSERT(fd >= 0);
	a = uk_sys_mmap(NULL, 3 * PG, RW, UK_MAP_PRIVATE, (unsigned long)fd, PG);
	UK_TEST_ASSERT(a > 0);
	UK_TEST_EXPECT_EQ(uk_sys_close(fd), 0);         /* the mapping outlives the fd */
	p = (volatile uint8_t *)a;
	UK_TEST_EXPECT_EQ(p[0], PG % 251);
	UK_TEST_EXPECT_EQ(p[PG + 99], (PG + PG + 99) % 251);
	UK_TEST_EXPECT_EQ(p[PG + 100], 0);              /* past the end: zeros */
	UK_TEST_EXPECT_EQ(p[2 * PG], 0);
	p[0] = 0xee;                                    /* a private copy */
	fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-private", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, PG), 1);
	UK_TEST_EXPECT_EQ(b, PG % 251);
	/* errors: an unaligned offset, a closed fd, a write-only fd */
	UK_TEST_EXPECT_EQ(uk_sys_mmap(NULL, PG, UK_PROT_READ, UK_MAP_PRIVATE, (unsigned long)fd, 1), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(NULL, PG, UK_PROT_READ, UK_MAP_PRIVATE, 999, 0), -EBADF);
	uk_sys_close(fd);
	fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-private", UK_O_WRONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(NULL, PG, UK_PROT_READ, UK_MAP_PRIVATE, (unsigned long)fd, 0), -EACCES);
	uk_sys_close(fd);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 3 * PG), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-private"), 0);
}

#if defined(CONFIG_PLAT_LINUXU)
/* The host cannot map our ramfs's pages (host.c). */
UK_TESTCASE(posix_mmap, shared_file_mapping_is_enodev_on_linuxu)
{
	int fd = make_file("/mmap-shared", UK_O_RDWR);

	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(NULL, PG, RW, UK_MAP_SHARED, (unsigned long)fd, 0), -ENODEV);
	uk_sys_close(fd);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-shared"), 0);
}
#else
UK_TESTCASE(posix_mmap, shared_file_mapping_is_the_file)
{
	int fd = make_file("/mmap-shared", UK_O_RDWR);
	volatile uint8_t *p, *q;
	uint8_t b = 0;
	long a, c;

	UK_TEST_ASSERT(fd >= 0);
	a = uk_sys_mmap(NULL, 2 * PG, RW, UK_MAP_SHARED, (unsigned long)fd, 0);
	c = uk_sys_mmap(NULL, PG, UK_PROT_READ, UK_MAP_SHARED, (unsigned long)fd, PG);
	UK_TEST_ASSERT(a > 0 && c > 0);
	p = (volatile uint8_t *)a;
	q = (volatile uint8_t *)c;
	UK_TEST_EXPECT_EQ(p[PG + 7], (PG + 7) % 251);
	p[PG + 7] = 0xab;                       /* through the mapping... */
	UK_TEST_EXPECT_EQ(q[7], 0xab);          /* ...seen by another mapping */
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, PG + 7), 1);
	UK_TEST_EXPECT_EQ(b, 0xab);             /* and by read() */
	b = 0x5c;
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64(fd, &b, 1, 3), 1);
	UK_TEST_EXPECT_EQ(p[3], 0x5c);          /* write() shows in the mapping */
	UK_TEST_EXPECT_EQ(uk_sys_msync(P(a), 2 * PG, UK_MS_SYNC), 0);
	/* MADV_DONTNEED keeps a shared mapping's contents */
	UK_TEST_EXPECT_EQ(uk_sys_madvise(P(a), PG, UK_MADV_DONTNEED), 0);
	UK_TEST_EXPECT_EQ(p[3], 0x5c);
	/* the mapping survives close; munmap leaves the file alone */
	UK_TEST_EXPECT_EQ(uk_sys_close(fd), 0);
	UK_TEST_EXPECT_EQ(p[3], 0x5c);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 2 * PG), 0);
	UK_TEST_EXPECT_EQ(q[7], 0xab);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(c), PG), 0);
	/* a read-only fd: no writable shared mapping, now or by mprotect */
	fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-shared", UK_O_RDONLY, 0);
	UK_TEST_EXPECT_EQ(uk_sys_mmap(NULL, PG, RW, UK_MAP_SHARED, (unsigned long)fd, 0), -EACCES);
	a = uk_sys_mmap(NULL, PG, UK_PROT_READ, UK_MAP_SHARED, (unsigned long)fd, 0);
	UK_TEST_ASSERT(a > 0);
	UK_TEST_EXPECT_EQ(((volatile uint8_t *)a)[3], 0x5c);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, RW), -EACCES);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), PG), 0);
	uk_sys_close(fd);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-shared"), 0);
}

/* Free heap memory now (uk_alloc_availmem). */
static size_t avail(void)
{
	return uk_alloc_availmem(uk_alloc_get_default());
}

/*
 * A private mapping of a ramfs file maps the file's own pages (no copy)
 * until a page is written: then that page gets a copy of its own, and the
 * file stays as it was. A page not written yet shows later writes to the
 * file (as on Linux, whose private mappings share the page cache until
 * the copy); a written one does not. Copying the file at mmap time (the
 * old way) cost its 64 pages here.
 */
UK_TESTCASE(posix_mmap, private_file_mapping_shares_until_written)
{
	enum { N = 64 };
	static uint8_t page[4096];
	volatile uint8_t *p;
	size_t before, mapped, written;
	unsigned long i, sum = 0;
	uint8_t b = 0;
	int fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-cow", UK_O_CREAT | UK_O_TRUNC | UK_O_RDWR,
				    0644);
	long a;

	UK_TEST_ASSERT(fd >= 0);
	for (i = 0; i < N; i++) {
		__builtin_memset(page, (int)(i + 1), sizeof(page));
		UK_TEST_ASSERT(uk_sys_write(fd, page, sizeof(page)) == (long)sizeof(page));
	}
	before = avail();
	a = uk_sys_mmap(NULL, N * PG, RW, UK_MAP_PRIVATE, (unsigned long)fd, 0);
	UK_TEST_ASSERT(a > 0);
	p = (volatile uint8_t *)a;
	for (i = 0; i < N; i++)                 /* every page read */
		sum += p[i * PG];
	UK_TEST_EXPECT_EQ(sum, N * (N + 1) / 2);
	mapped = avail();
	/* at most a node of the page table and the region: not 64 pages */
	UK_TEST_EXPECT(before - mapped <= 3 * PG);
	p[5 * PG + 1] = 0xee;                   /* the first write: a copy */
	written = avail();
	UK_TEST_EXPECT(mapped - written >= PG && mapped - written <= 2 * PG);
	UK_TEST_EXPECT_EQ(p[5 * PG], 6);        /* the copy has the rest */
	UK_TEST_EXPECT_EQ(p[5 * PG + 1], 0xee);
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, 5 * PG + 1), 1);
	UK_TEST_EXPECT_EQ(b, 6);                /* the file is unchanged */
	b = 0x77;                               /* writes to the file: */
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64(fd, &b, 1, 7 * PG), 1);
	UK_TEST_EXPECT_EQ(p[7 * PG], 0x77);     /* seen where not copied yet */
	UK_TEST_EXPECT_EQ(uk_sys_pwrite64(fd, &b, 1, 5 * PG), 1);
	UK_TEST_EXPECT_EQ(p[5 * PG], 6);        /* not where copied */
	/* mprotect keeps the sharing: read-only, then writable again */
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), N * PG, UK_PROT_READ), 0);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), N * PG, RW), 0);
	p[9 * PG] = 0xdd;
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, 9 * PG), 1);
	UK_TEST_EXPECT_EQ(b, 10);
	/* the copy helpers break the sharing too (a read() into it) */
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, P(a + 11 * PG), 1, 0), 1);
	UK_TEST_EXPECT_EQ(p[11 * PG], 1);
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, 11 * PG), 1);
	UK_TEST_EXPECT_EQ(b, 12);
	/* the mapping outlives the name and the fd */
	UK_TEST_EXPECT_EQ(uk_sys_close(fd), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-cow"), 0);
	UK_TEST_EXPECT_EQ(p[20 * PG], 21);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), N * PG), 0);
}

#include <uk/mmap_snapshot.h>

/*
 * fork's snapshot (snapshot.c) saves a private file mapping's unwritten
 * pages as the file's, not as copies: the snapshot grows by the one page
 * the mapping wrote, not by its 16. Restoring undoes what the "child"
 * wrote, written pages and not, and the file never changes.
 */
UK_TESTCASE(posix_mmap, snapshot_keeps_file_pages_shared)
{
	enum { N = 16 };
	static uint8_t page[4096];
	struct uk_mmap_snapshot *s0, *s;
	volatile uint8_t *p;
	unsigned long i;
	uint8_t b = 0;
	size_t base;
	int fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-snap", UK_O_CREAT | UK_O_TRUNC | UK_O_RDWR,
				    0644);
	long a;

	UK_TEST_ASSERT(fd >= 0);
	for (i = 0; i < N; i++) {
		__builtin_memset(page, (int)(i + 1), sizeof(page));
		UK_TEST_ASSERT(uk_sys_write(fd, page, sizeof(page)) == (long)sizeof(page));
	}
	UK_TEST_ASSERT(uk_mmap_snapshot_take(&s0) == 0);
	base = uk_mmap_snapshot_size(s0);       /* the memory there is already */
	uk_mmap_snapshot_drop(s0);
	a = uk_sys_mmap(NULL, N * PG, RW, UK_MAP_PRIVATE, (unsigned long)fd, 0);
	UK_TEST_ASSERT(a > 0);
	p = (volatile uint8_t *)a;
	for (i = 0; i < N; i++)
		(void)p[i * PG];
	p[3 * PG] = 0x33;                       /* one page of its own */
	UK_TEST_ASSERT(uk_mmap_snapshot_take(&s) == 0);
	/* that page copied; the 15 others saved as the file's */
	UK_TEST_EXPECT_EQ(uk_mmap_snapshot_size(s), base + PG);
	p[3 * PG] = 0x44;                       /* the "child" */
	p[5 * PG] = 0x55;
	UK_TEST_EXPECT_EQ(uk_mmap_snapshot_restore(s), 0);
	UK_TEST_EXPECT_EQ(p[3 * PG], 0x33);
	UK_TEST_EXPECT_EQ(p[5 * PG], 6);
	p[5 * PG + 1] = 0x66;                   /* still copy on write */
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, 5 * PG + 1), 1);
	UK_TEST_EXPECT_EQ(b, 6);
	UK_TEST_EXPECT_EQ(uk_sys_pread64(fd, &b, 1, 3 * PG), 1);
	UK_TEST_EXPECT_EQ(b, 4);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), N * PG), 0);
	uk_sys_close(fd);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-snap"), 0);
}
#endif
#endif

#if defined(CONFIG_LIBUKSCHED) && !defined(CONFIG_PLAT_LINUXU)
#include <uk/sched.h>

#define STACK (16 * PG)

/* What a thread that ends does (musl's pthread_exit, __unmapself): unmap
 * its own stack, then exit, still on it. */
static void *unmap_own_stack(void *arg)
{
	long *st = arg;

	st[1] = uk_sys_munmap(P(st[0]), STACK);
	uk_thread_exit(NULL);
}

UK_TESTCASE(posix_mmap, a_thread_unmaps_its_own_stack)
{
	static long st[2];
	struct uk_thread *t;
	unsigned char vec;

	st[0] = map(STACK, RW, ANON | UK_MAP_STACK);
	UK_TEST_ASSERT(st[0] > 0);
	st[1] = -1;
	UK_TEST_ASSERT(uk_thread_create_ext(&t, "unmapper", 0, (uintptr_t)st[0] + STACK, 0,
					    unmap_own_stack, st) == 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, NULL), 0);
	UK_TEST_EXPECT_EQ(st[1], 0);
	/* the next call off that stack finishes the job */
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(map(PG, RW, ANON)), PG), 0);
	UK_TEST_EXPECT_EQ(uk_sys_mincore(P(st[0]), PG, &vec), -ENOMEM);
}
#endif

/* uksyscall's copy helpers check the page tables first: a page of a
 * mapping that was never touched must be faulted in (uk_mmap_fault_in),
 * not be -EFAULT; what the mapping forbids stays -EFAULT. */
UK_TESTCASE(posix_mmap, copy_helpers_see_never_touched_pages)
{
	long a = map(4 * PG, RW, ANON | UK_MAP_NORESERVE), r;
	uint64_t v = 0x1122334455667788ULL, back = 1;

	UK_TEST_ASSERT(a > 0);
	UK_TEST_EXPECT_EQ(uk_copy_from_user(&back, P(a + PG), sizeof(back)), 0);
	UK_TEST_EXPECT_EQ(back, 0);
	UK_TEST_EXPECT_EQ(uk_copy_to_user(P(a + 2 * PG + 8), &v, sizeof(v)), 0);
	UK_TEST_EXPECT_EQ(*(volatile uint64_t *)(a + 2 * PG + 8), v);
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user((char *)&back, P(a + 3 * PG), sizeof(back)), 0);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, UK_PROT_READ), 0);
	UK_TEST_EXPECT_EQ(uk_copy_to_user(P(a), &v, sizeof(v)), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_sys_mprotect(P(a), PG, UK_PROT_NONE), 0);
	UK_TEST_EXPECT_EQ(uk_copy_from_user(&back, P(a), sizeof(back)), -EFAULT);
	/* across a page boundary into a fresh page */
	r = uk_copy_to_user(P(a + 2 * PG - 4), &v, sizeof(v));
	UK_TEST_EXPECT_EQ(r, 0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), 4 * PG), 0);
	UK_TEST_EXPECT_EQ(uk_copy_to_user(P(a + PG), &v, sizeof(v)), -EFAULT);
}
