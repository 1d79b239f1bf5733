/* SPDX-License-Identifier: BSD-3-Clause */
/* ukrandom internals: the seed sources (entropy.c) random.c reads. */
#ifndef UKRANDOM_ENTROPY_H
#define UKRANDOM_ENTROPY_H

#include <uk/essentials.h>

/* A 64-bit number from the CPU's generator (RDRAND, RNDR), or false when
 * the CPU has none or it failed ten times in a row. */
bool ukrandom_hw64(uint64_t *out);
/* The CPU generator's name ("rdrand", "rndr"), whether or not it works. */
extern const char *const ukrandom_hw_name;

/*
 * Calls absorb(ctx, bytes, n) with every seed input the machine has: the
 * CPU generator (4 x 64 bits), the loader's random bytes (linuxu:
 * AT_RANDOM), cycle-counter jitter, the boot information. Returns the name
 * of the strongest source that gave something.
 */
const char *ukrandom_gather(void (*absorb)(void *ctx, const void *p, size_t n), void *ctx);

#endif
