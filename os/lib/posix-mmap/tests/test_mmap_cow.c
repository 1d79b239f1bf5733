/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of private file mappings that share the file's pages
 * (copy on write: mmap.c, pages.c) and of fork's snapshot keeping them
 * shared (snapshot.c), and of the fault counters (uk_mmap_stats), on the
 * VM platforms with vfscore (ramfs files).
 * Beside test_mmap.c, in the same suite.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/test.h>
#include <uk/linux/mman.h>
#include <uk/mmap.h>
#include <uk/mmap_snapshot.h>
#include "../mmap_sys.h"

#if defined(CONFIG_LIBVFSCORE) && !defined(CONFIG_PLAT_LINUXU)
#include <uk/linux/fcntl.h>

#define PG 4096UL
#define P(a) ((void *)(a))
#define RW (UK_PROT_READ | UK_PROT_WRITE)

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

/*
 * uk_mmap_stats: a private mapping of a 64-page ramfs file counts its 64
 * file pages, and reading it through from start to end takes no fault
 * (mmap mapped them all, read-only); the first write to one is one fault,
 * a copy on write; four fresh anonymous pages touched are four zero-fill
 * faults; the handler's time is counted.
 */
UK_TESTCASE(posix_mmap, stats_count_faults_and_file_pages)
{
	enum { N = 64 };
	static uint8_t page[4096];
	struct uk_mmap_stats s0, s1, s2, s3;
	volatile uint8_t *p, *q;
	unsigned long i, sum = 0;
	int fd = (int)uk_sys_openat(UK_AT_FDCWD, "/mmap-stats", UK_O_CREAT | UK_O_TRUNC | UK_O_RDWR,
				    0644);
	long a, b;

	UK_TEST_ASSERT(fd >= 0);
	for (i = 0; i < N; i++) {
		__builtin_memset(page, (int)(i + 1), sizeof(page));
		UK_TEST_ASSERT(uk_sys_write(fd, page, sizeof(page)) == (long)sizeof(page));
	}
	uk_mmap_stats(&s0);
	a = uk_sys_mmap(NULL, N * PG, RW, UK_MAP_PRIVATE, (unsigned long)fd, 0);
	UK_TEST_ASSERT(a > 0);
	p = (volatile uint8_t *)a;
	for (i = 0; i < N * PG; i += 64)        /* a sequential read of it all */
		sum += p[i];
	UK_TEST_EXPECT_EQ(sum, 64 * (N * (N + 1) / 2));
	uk_mmap_stats(&s1);
	UK_TEST_EXPECT_EQ(s1.file_pages - s0.file_pages, N);
	UK_TEST_EXPECT_EQ(s1.zero_faults + s1.cow_faults + s1.passed_faults,
			  s0.zero_faults + s0.cow_faults + s0.passed_faults);
	p[3 * PG] = 0xee;
	uk_mmap_stats(&s2);
	UK_TEST_EXPECT_EQ(s2.cow_faults - s1.cow_faults, 1);
	UK_TEST_EXPECT_EQ(s2.zero_faults, s1.zero_faults);
	UK_TEST_EXPECT(s2.fault_ticks > s1.fault_ticks);
	b = uk_sys_mmap(NULL, 4 * PG, RW, UK_MAP_PRIVATE | UK_MAP_ANONYMOUS, (unsigned long)-1, 0);
	UK_TEST_ASSERT(b > 0);
	q = (volatile uint8_t *)b;
	for (i = 0; i < 4; i++)
		q[i * PG + 5] = (uint8_t)i;
	uk_mmap_stats(&s3);
	UK_TEST_EXPECT_EQ(s3.zero_faults - s2.zero_faults, 4);
	UK_TEST_EXPECT_EQ(s3.cow_faults, s2.cow_faults);
	UK_TEST_EXPECT_EQ(s3.passed_faults, s2.passed_faults);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(b), 4 * PG), 0);
	UK_TEST_EXPECT_EQ(uk_sys_munmap(P(a), N * PG), 0);
	UK_TEST_EXPECT_EQ(uk_sys_close(fd), 0);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/mmap-stats"), 0);
}

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
