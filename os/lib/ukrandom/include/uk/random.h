/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukrandom: the kernel's cryptographically secure random numbers, a
 * ChaCha20 generator (RFC 8439 block function) with fast key erasure,
 * seeded at first use from the best source the machine has (see
 * README.md). It serves getrandom(2) (getrandom.c), devfs's /dev/urandom
 * and /dev/random, and a libc's AT_RANDOM.
 *
 *   uint64_t key;
 *   uk_random_fill(&key, sizeof(key));
 */
#ifndef UK_RANDOM_H
#define UK_RANDOM_H

#include <uk/essentials.h>

/*
 * Fills buf with n random bytes. Never fails and never blocks: the
 * generator seeds itself on the first call. Safe from any context
 * (interrupt handlers included): the state changes with interrupts masked,
 * a chunk of at most 224 bytes at a time. buf is kernel memory (callers
 * copying to an application check the pointer themselves).
 */
void uk_random_fill(void *buf, size_t n);

/* Mixes n bytes into the generator's key (a driver's entropy, a device's
 * serial). Never lowers the generator's strength. */
void uk_random_mix(const void *buf, size_t n);

/* The strongest source the seed came from: "rdrand", "rndr", "at_random"
 * (linuxu: the host kernel's) or "jitter" (the cycle counter and boot
 * information only). NULL before the first uk_random_fill(). */
const char *uk_random_seed_source(void);

#endif
