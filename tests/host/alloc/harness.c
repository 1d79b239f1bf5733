/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for the ukalloc test suite: gives a backend a region from the
 * host heap, makes it the default allocator and runs every UK_TESTCASE.
 *
 *   harness buddy|region|generic [heap_bytes]
 *
 * "generic" is a backend with only malloc/free/getsize (over glibc): it runs
 * the suite through alloc.c's generic memalign/realloc/palloc fallbacks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <uk/alloc.h>
#include <uk/allocbuddy.h>
#include <uk/allocregion.h>
#include <uk/test.h>

/* uk/assert.h's UK_ASSERT (enabled for host builds) ends up here. */
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

static void *g_malloc(struct uk_alloc *a, size_t n)
{
	(void)a;
	return malloc(n);       /* glibc: 16-byte aligned on x86_64/arm64 */
}

static void g_free(struct uk_alloc *a, void *p)
{
	(void)a;
	free(p);
}

static size_t g_getsize(struct uk_alloc *a, void *p)
{
	(void)a;
	return malloc_usable_size(p);
}

static struct uk_alloc generic = {
	.name = "generic",
	.malloc = g_malloc,
	.free = g_free,
	.getsize = g_getsize,
	.flags = UK_ALLOC_F_FREES,
};

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "buddy";
	size_t len = argc > 2 ? strtoul(argv[2], NULL, 0) : 4u << 20;
	/* deliberately not page aligned: backends must cope */
	char *mem = malloc(len + 64), *base = mem + 24;
	struct uk_alloc *a;
	int failed;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(which, "buddy"))
		a = uk_allocbuddy_init(base, len);
	else if (!strcmp(which, "region"))
		a = uk_allocregion_init(base, len);
	else if (!strcmp(which, "generic"))
		a = &generic;
	else
		return fprintf(stderr, "unknown backend %s\n", which), 2;
	if (!a)
		return fprintf(stderr, "%s: init failed\n", which), 2;
	uk_alloc_set_default(a);
	printf("backend %s availmem %zu\n", a->name, uk_alloc_availmem(a));
	failed = uktest_run_all();
	printf("backend %s availmem %zu at the end\n", a->name, uk_alloc_availmem(a));
	free(mem);
	return failed ? 1 : 0;
}
