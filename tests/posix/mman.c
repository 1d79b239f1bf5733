/* SPDX-License-Identifier: BSD-3-Clause */
/* Memory: anonymous and file-backed (private and shared) mmap, MAP_FIXED,
 * partial munmap, mremap, madvise(MADV_DONTNEED) zeroing, mprotect with a
 * write fault, PROT_NONE faults (si_addr, si_code) left by siglongjmp,
 * brk, and the argument checks. The fault probe is harness.c's
 * pt_faults; a handler that repairs the page and returns is in signal.c. */
#include "pt.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PG 4096

static void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

static void touch_write(void *p)
{
	*(volatile char *)p = 1;
}

static void *anon(size_t len, int prot)
{
	return mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void mman_anon_zeroed_rw(void)
{
	unsigned char *p = anon(8 * PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	PT_CHECK(((uintptr_t)p & (PG - 1)) == 0);
	for (int i = 0; i < 8 * PG; i++)
		PT_CHECK(p[i] == 0);
	for (int i = 0; i < 8 * PG; i++)
		p[i] = (unsigned char)i;
	for (int i = 0; i < 8 * PG; i++)
		PT_CHECK(p[i] == (unsigned char)i);
	unsigned char *q = anon(PG, PROT_READ | PROT_WRITE);
	PT_CHECK(q != MAP_FAILED && (q + PG <= p || q >= p + 8 * PG));   /* never overlapping */
	PT_OK(munmap(p, 8 * PG));
	PT_OK(munmap(q, PG));
}

static void mman_large_anon(void)
{
	size_t len = 8u << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	PT_CHECK(p != MAP_FAILED);
	for (size_t i = 0; i < len; i += PG)
		p[i] = (char)(i >> 12);
	for (size_t i = 0; i < len; i += PG)
		PT_CHECK(p[i] == (char)(i >> 12));
	PT_OK(munmap(p, len));
	char *s = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	PT_CHECK(s != MAP_FAILED);
	s[16 * PG - 1] = 1;
	PT_OK(munmap(s, 16 * PG));
}

/* A file of 3 pages: page i filled with 'a' + i. */
static int make_paged_file(const char *rel)
{
	static char page[PG];
	int fd = open(pt_path(rel), O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		memset(page, 'a' + i, PG);
		if (pt_write_all(fd, page, PG) != 0)
			return -1;
	}
	return fd;
}

static void mman_file_private(void)
{
	char c;
	int fd = make_paged_file("f");
	PT_CHECK(fd >= 0);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
	PT_CHECK(p != MAP_FAILED);
	PT_CHECK(p[0] == 'b' && p[PG - 1] == 'b' && p[PG] == 'c' && p[2 * PG - 1] == 'c');
	p[0] = 'X';                               /* a private copy: the file keeps 'b' */
	PT_CHECK(pread(fd, &c, 1, PG) == 1 && c == 'b');
	PT_CHECK(p[0] == 'X');
	PT_OK(munmap(p, 2 * PG));
	/* a mapping past the end of a file: the rest of the last page reads 0 */
	PT_OK(ftruncate(fd, PG + 10));
	p = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	PT_CHECK(p != MAP_FAILED);
	PT_CHECK(p[PG + 9] == 'b' && p[PG + 10] == 0 && p[2 * PG - 1] == 0);
	PT_OK(munmap(p, 2 * PG));
	PT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);   /* offset not page-aligned */
	PT_OK(close(fd));
}

static void mman_file_shared(void)
{
	char buf[4];
	int fd = make_paged_file("f");
	PT_CHECK(fd >= 0);
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	PT_CHECK(p != MAP_FAILED);
	memcpy(p + PG + 100, "MAPD", 4);           /* the file sees stores through the map */
	PT_CHECK(pread(fd, buf, 4, PG + 100) == 4 && !memcmp(buf, "MAPD", 4));
	PT_CHECK(pwrite(fd, "FILE", 4, 2 * PG + 7) == 4);   /* and the map sees writes */
	PT_CHECK(!memcmp(p + 2 * PG + 7, "FILE", 4));
	char *q = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);   /* two maps, one page */
	PT_CHECK(q != MAP_FAILED && !memcmp(q + 100, "MAPD", 4));
	p[PG] = '!';
	PT_CHECK(q[0] == '!');
	PT_OK(munmap(p, 3 * PG));
	PT_OK(munmap(q, PG));
	PT_OK(close(fd));
	fd = open(pt_path("f"), O_RDONLY);           /* what was stored stays in the file */
	PT_CHECK(fd >= 0 && pread(fd, buf, 4, PG + 100) == 4 && !memcmp(buf, "MAPD", 4));
	PT_OK(close(fd));
}

static void mman_msync(void)
{
	int fd = make_paged_file("f");
	PT_CHECK(fd >= 0);
	char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	PT_CHECK(p != MAP_FAILED);
	p[0] = 'S';
	PT_OK(msync(p, PG, MS_SYNC));
	PT_ERRNO(msync(p + 1, PG, MS_SYNC), EINVAL);
	PT_OK(munmap(p, PG));
	PT_OK(close(fd));
}

static void mman_fixed_replaces(void)
{
	char *p = anon(3 * PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	memset(p, 'x', 3 * PG);
	char *m = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	PT_CHECK(m == p + PG);
	PT_CHECK(p[PG - 1] == 'x' && m[0] == 0 && m[PG - 1] == 0 && p[2 * PG] == 'x');
	PT_ERRNO(mmap(p + 1, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	PT_OK(munmap(p, 3 * PG));
}

static void mman_munmap_partial(void)
{
	char *p = anon(3 * PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	memset(p, 'y', 3 * PG);
	PT_OK(munmap(p + PG, PG));
	PT_CHECK(p[0] == 'y' && p[PG - 1] == 'y' && p[2 * PG] == 'y' && p[3 * PG - 1] == 'y');
	void *at = NULL;
	PT_CHECK(pt_faults(touch_read, p + PG + 8, &at, NULL) == 1);
	PT_CHECK(at == p + PG + 8);
	PT_OK(munmap(p, 3 * PG));                  /* over a hole: fine */
	PT_OK(munmap(p, 3 * PG));                  /* nothing mapped: fine too */
}

static void mman_mremap(void)
{
	char *p = anon(PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	memset(p, 'r', PG);
	char *q = mremap(p, PG, 4 * PG, MREMAP_MAYMOVE);
	PT_CHECK(q != MAP_FAILED);
	PT_CHECK(q[0] == 'r' && q[PG - 1] == 'r' && q[PG] == 0 && q[4 * PG - 1] == 0);
	q[4 * PG - 1] = 'e';
	char *s = mremap(q, 4 * PG, 2 * PG, 0);        /* shrinking stays in place */
	PT_CHECK(s == q && s[0] == 'r');
	PT_ERRNO(mremap(s, 2 * PG, 0, 0), EINVAL);
	PT_ERRNO(mremap(s + 1, PG, 2 * PG, MREMAP_MAYMOVE), EINVAL);
	PT_OK(munmap(s, 2 * PG));
}

static void mman_madvise(void)
{
	char *p = anon(4 * PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	memset(p, 'd', 4 * PG);
	PT_OK(madvise(p + PG, 2 * PG, MADV_DONTNEED));
	PT_CHECK(p[0] == 'd' && p[PG] == 0 && p[3 * PG - 1] == 0 && p[3 * PG] == 'd');
	p[PG] = 'n';                               /* still mapped and writable */
	PT_CHECK(p[PG] == 'n');
	PT_OK(madvise(p, 4 * PG, MADV_WILLNEED));
	PT_OK(madvise(p, 4 * PG, MADV_NORMAL));
	PT_OK(madvise(p, 4 * PG, MADV_SEQUENTIAL));
	PT_OK(madvise(p, 4 * PG, MADV_RANDOM));
	PT_ERRNO(madvise(p + 1, PG, MADV_NORMAL), EINVAL);
	PT_OK(munmap(p, 4 * PG));
}

static void mman_mprotect(void)
{
	char *p = anon(2 * PG, PROT_READ | PROT_WRITE);
	PT_CHECK(p != MAP_FAILED);
	p[0] = 'w';
	PT_OK(mprotect(p, PG, PROT_READ));
	PT_CHECK(p[0] == 'w');
	void *at = NULL;
	PT_CHECK(pt_faults(touch_write, p + 5, &at, NULL) == 1);
	PT_CHECK(at == p + 5);
	PT_CHECK(pt_faults(touch_write, p + PG, NULL, NULL) == 0);   /* the other page kept RW */
	PT_OK(mprotect(p, PG, PROT_READ | PROT_WRITE));
	PT_CHECK(pt_faults(touch_write, p, NULL, NULL) == 0);
	PT_CHECK(p[0] == 1);
	/* (musl's mprotect rounds the start down: the kernel's check needs the raw call) */
	PT_ERRNO(syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL);
	PT_OK(munmap(p, 2 * PG));
}

static void mman_prot_none_siglongjmp(void)
{
	char *p = anon(PG, PROT_NONE);
	PT_CHECK(p != MAP_FAILED);
	void *at = NULL;
	PT_CHECK(pt_faults(touch_read, p + 100, &at, NULL) == 1);
	PT_CHECK(at == p + 100);
	PT_CHECK(pt_faults(touch_write, p, &at, NULL) == 1);     /* and again: the handler stays */
	PT_CHECK(at == p);
	PT_OK(mprotect(p, PG, PROT_READ));
	PT_CHECK(pt_faults(touch_read, p, NULL, NULL) == 0 && p[0] == 0);
	PT_OK(munmap(p, PG));
}

static void mman_segv_si_code(void)
{
	char *p = anon(PG, PROT_NONE);
	PT_CHECK(p != MAP_FAILED);
	int code = 0;
	PT_CHECK(pt_faults(touch_read, p, NULL, &code) == 1);
	PT_CHECK(code == SEGV_ACCERR);             /* mapped, but not accessible */
	PT_OK(munmap(p, PG));
	code = 0;
	PT_CHECK(pt_faults(touch_read, p, NULL, &code) == 1);
	PT_CHECK(code == SEGV_MAPERR);             /* not mapped at all */
}

static void mman_brk(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	PT_CHECK(cur != NULL && cur != (char *)-1);
	PT_CHECK(sbrk(0) == cur);                   /* musl's sbrk: only sbrk(0), the same call */
	char *want = cur + 16 * PG;
	char *got = (char *)syscall(SYS_brk, want);
	PT_CHECK(got == want);
	memset(cur, 'b', 16 * PG);
	PT_CHECK(cur[16 * PG - 1] == 'b');
	PT_CHECK((char *)syscall(SYS_brk, cur) == cur);
	PT_CHECK((char *)syscall(SYS_brk, 0) == cur);
}

static void mman_bad_arguments(void)
{
	PT_ERRNO(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	PT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);    /* neither private nor shared */
	PT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, -1, 0), EBADF);       /* a file map needs a file */
	PT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 987, 0), EBADF);
	int p[2];
	PT_OK(pipe(p));
	PT_ERRNO(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, p[0], 0), ENODEV);
	PT_OK(close(p[0]));
	PT_OK(close(p[1]));
	int fd = open(pt_path("ro"), O_RDONLY | O_CREAT, 0644);
	PT_CHECK(fd >= 0);
	PT_ERRNO(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), EACCES);
	PT_OK(close(fd));
	PT_ERRNO(munmap((void *)(uintptr_t)(PG + 1), PG), EINVAL);
	PT_ERRNO(munmap(NULL, 0), EINVAL);
}

const struct pt_case pt_mman_cases[] = {
	PT_CASE(mman_anon_zeroed_rw),
	PT_CASE(mman_large_anon),
	PT_CASE(mman_file_private),
	PT_CASE(mman_file_shared),
	PT_CASE(mman_msync),
	PT_CASE(mman_fixed_replaces),
	PT_CASE(mman_munmap_partial),
	PT_CASE(mman_mremap),
	PT_CASE(mman_madvise),
	PT_CASE(mman_mprotect),
	PT_CASE(mman_prot_none_siglongjmp),
	PT_CASE(mman_segv_si_code),
	PT_CASE(mman_brk),
	PT_CASE(mman_bad_arguments),
	PT_END
};
