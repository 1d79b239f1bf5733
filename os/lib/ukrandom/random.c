/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator (uk/random.h): a 32-byte ChaCha20 key, used with fast key
 * erasure (D. J. Bernstein, "Fast-key-erasure random-number generators",
 * 2017). A refill computes POOL_BLOCKS blocks under the key; the first 32
 * bytes of them become the next key at once, the rest is handed out and
 * wiped as it goes. Whoever reads the state later learns nothing about
 * output already given (backtracking resistance). With a CPU generator
 * each refill also mixes 64 fresh bits into the key.
 *
 * Seeding and uk_random_mix() absorb input into the key: key ^= 32-byte
 * chunk, then key = the first 32 bytes of ChaCha20(key, 0, "ukrandom-mix"),
 * so every input bit reaches every key bit and no input can lower what
 * the key already holds.
 *
 * One CPU: the state changes with interrupts masked.
 */
#include <uk/essentials.h>
#include <uk/plat/irq.h>
#include <uk/random.h>
#include "chacha20.h"
#include "entropy.h"

#define POOL_BLOCKS 4
#define POOL_SIZE   (POOL_BLOCKS * CHACHA20_BLOCK_SIZE)

static uint8_t key[CHACHA20_KEY_SIZE];
static uint8_t pool[POOL_SIZE];
static size_t pool_pos = POOL_SIZE;     /* bytes of pool used: none left */
static const char *seed_source;

static const uint8_t mix_nonce[CHACHA20_NONCE_SIZE] = "ukrandom-mix";
static const uint8_t gen_nonce[CHACHA20_NONCE_SIZE];

static void wipe(void *p, size_t n)
{
	volatile uint8_t *b = p;

	while (n--)
		*b++ = 0;
}

/* key = F(key ^ chunk) for each 32-byte chunk of p (the last zero-padded). */
static void absorb(void *ctx __unused, const void *p, size_t n)
{
	const uint8_t *in = p;
	uint8_t block[CHACHA20_BLOCK_SIZE];
	size_t i, k;

	while (n) {
		k = UK_MIN(n, sizeof(key));
		for (i = 0; i < k; i++)
			key[i] ^= in[i];
		chacha20_block(block, key, 0, mix_nonce);
		for (i = 0; i < sizeof(key); i++)
			key[i] = block[i];
		in += k;
		n -= k;
	}
	wipe(block, sizeof(block));
	pool_pos = POOL_SIZE;                   /* output from the old key: gone */
}

static void seed(void)
{
	seed_source = ukrandom_gather(absorb, NULL);
}

/* New pool under the key, whose first 32 bytes become the next key. */
static void refill(void)
{
	uint64_t hw;
	unsigned int i;

	if (ukrandom_hw64(&hw))
		absorb(NULL, &hw, sizeof(hw));
	for (i = 0; i < POOL_BLOCKS; i++)
		chacha20_block(pool + i * CHACHA20_BLOCK_SIZE, key, i, gen_nonce);
	for (i = 0; i < sizeof(key); i++) {
		key[i] = pool[i];
		pool[i] = 0;
	}
	pool_pos = sizeof(key);
	wipe(&hw, sizeof(hw));
}

void uk_random_fill(void *buf, size_t n)
{
	uint8_t *out = buf;
	unsigned long flags;
	size_t k, i;

	while (n) {
		flags = ukplat_lcpu_save_irqf();
		if (!seed_source)
			seed();
		if (pool_pos == POOL_SIZE)
			refill();
		k = UK_MIN(n, POOL_SIZE - pool_pos);
		for (i = 0; i < k; i++) {
			out[i] = pool[pool_pos + i];
			pool[pool_pos + i] = 0;
		}
		pool_pos += k;
		ukplat_lcpu_restore_irqf(flags);
		out += k;
		n -= k;
	}
}

void uk_random_mix(const void *buf, size_t n)
{
	unsigned long flags = ukplat_lcpu_save_irqf();

	if (!seed_source)
		seed();
	absorb(NULL, buf, n);
	ukplat_lcpu_restore_irqf(flags);
}

const char *uk_random_seed_source(void)
{
	return seed_source;
}
