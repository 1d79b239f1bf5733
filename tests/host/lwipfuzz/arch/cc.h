/*
 * lwIP's arch/cc.h for the host fuzzer (tests/host/lwipfuzz): glibc
 * types and byte order, assertions that abort (so libFuzzer reports them
 * as crashes), diagnostics off, and the harness's deterministic random
 * numbers. The guest's own cc.h is os/lib/lwip's.
 */
#ifndef LWIPFUZZ_ARCH_CC_H
#define LWIPFUZZ_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <sys/types.h>

#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_TIMEVAL_PRIVATE 0

#define LWIP_PLATFORM_DIAG(x) do { } while (0)
#define LWIP_PLATFORM_ASSERT(x) do { \
	fprintf(stderr, "lwIP assertion \"%s\" failed at %s:%d\n", x, __FILE__, __LINE__); \
	abort(); \
} while (0)

uint32_t fz_rand(void);
#define LWIP_RAND() fz_rand()

#endif
