/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for the vfs libraries (posix-fdtab, vfscore, ramfs, devfs)
 * under AddressSanitizer/UBSan: the platform and time below them are
 * stand-ins (one thread, no interrupts, a counting clock, a silent
 * console that is at the end of its input), the heap is the host's
 * malloc behind ukalloc's API, so ASan sees every block. Runs the init table (ramfs at /,
 * devfs at /dev with fds 0-2), then every in-guest case of vfscore and
 * devfs; a use after free or a leak of a freed name shows here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <uk/alloc.h>
#include <uk/init.h>
#include <uk/test.h>
#include <uk/uaccess.h>
#include <uk/errno.h>

void uk_crashf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "UK-CRASH ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* One CPU, no interrupts on the host. */
unsigned long ukplat_lcpu_save_irqf(void)
{
	return 0;
}

void ukplat_lcpu_restore_irqf(unsigned long flags)
{
	(void)flags;
}

static uint64_t now = 1700000000ULL * 1000000000ULL;

uint64_t uk_time_now_ns(void)
{
	return now += 1000;
}

uint64_t uk_time_wall_ns(void)
{
	return uk_time_now_ns();
}

/* The host harness's clock is ready from the start (the boot-stamp path,
 * UK_VFS_TIME_BOOT, is the guest's: tests/boot/test_vfs.py). */
bool uk_time_calibrated(void)
{
	return true;
}

uint64_t uk_time_boot_wall_ns(void)
{
	return 1700000000ULL * 1000000000ULL;
}

void uk_sleep_until_ns(uint64_t deadline)
{
	if (now < deadline)
		now = deadline;
}

/* posix-fdtab's timed wait without a scheduler: no interrupts here, so
 * the halt lasts until the deadline. */
void uk_time_halt_until(uint64_t deadline)
{
	if (deadline != UINT64_MAX && now < deadline)
		now = deadline;
}

void ukplat_cout(const char *buf, size_t n)
{
	fwrite(buf, 1, n, stdout);
}

int ukplat_cin(char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return -1;      /* the end of input */
}

/* The caller's memory is ours; the NULL page (and a wrapping range) is
 * the bad pointer the suites use. */
bool uk_access_ok(const void *p, size_t n, bool write)
{
	(void)write;
	return n == 0 || ((uintptr_t)p >= 4096 && (uintptr_t)p + n >= (uintptr_t)p);
}

int uk_copy_from_user(void *dst, const void *usrc, size_t n)
{
	if (!uk_access_ok(usrc, n, false))
		return -EFAULT;
	memcpy(dst, usrc, n);
	return 0;
}

int uk_copy_to_user(void *udst, const void *src, size_t n)
{
	if (!uk_access_ok(udst, n, true))
		return -EFAULT;
	memcpy(udst, src, n);
	return 0;
}

long uk_strncpy_from_user(char *dst, const char *usrc, size_t max)
{
	size_t i;

	if (!uk_access_ok(usrc, 1, false))
		return -EFAULT;
	for (i = 0; i < max; i++) {
		dst[i] = usrc[i];
		if (!dst[i])
			return (long)i;
	}
	dst[max - 1] = 0;
	return -ENAMETOOLONG;
}

static void *h_malloc(struct uk_alloc *a, size_t n)
{
	(void)a;
	return malloc(n);
}

static void *h_memalign(struct uk_alloc *a, size_t align, size_t n)
{
	(void)a;
	return aligned_alloc(align, UK_ALIGN_UP(n, align));
}

static void h_free(struct uk_alloc *a, void *p)
{
	(void)a;
	free(p);
}

static size_t h_getsize(struct uk_alloc *a, void *p)
{
	(void)a;
	return malloc_usable_size(p);
}

static size_t h_availmem(struct uk_alloc *a)
{
	(void)a;
	return 64u << 20;
}

static struct uk_alloc host_heap = {
	.name = "host",
	.malloc = h_malloc,
	.memalign = h_memalign,
	.free = h_free,
	.getsize = h_getsize,
	.availmem = h_availmem,
	.flags = UK_ALLOC_F_FREES,
};

int main(void)
{
	const uk_init_func_t *fn;
	int failed;

	setvbuf(stdout, NULL, _IONBF, 0);
	uk_alloc_set_default(&host_heap);
	for (fn = uk_inittab_start; fn < uk_inittab_end; fn++)
		if ((*fn)()) {
			fprintf(stderr, "init %p failed\n", (void *)*fn);
			return 2;
		}
	failed = uktest_run_all();
	return failed ? 1 : 0;
}
