/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RFC 8439's ChaCha20 block function (chacha20.h): 20 rounds (10 column
 * + diagonal double rounds) over the 16-word state, plus the input state.
 */
#include "chacha20.h"

static inline uint32_t rotl(uint32_t v, int n)
{
	return (v << n) | (v >> (32 - n));
}

static inline uint32_t load32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define QR(a, b, c, d) do {                                       \
	a += b; d ^= a; d = rotl(d, 16);                          \
	c += d; b ^= c; b = rotl(b, 12);                          \
	a += b; d ^= a; d = rotl(d, 8);                           \
	c += d; b ^= c; b = rotl(b, 7);                           \
} while (0)

void chacha20_block(uint8_t out[CHACHA20_BLOCK_SIZE], const uint8_t key[CHACHA20_KEY_SIZE],
		    uint32_t counter, const uint8_t nonce[CHACHA20_NONCE_SIZE])
{
	uint32_t in[16], x[16];
	int i;

	in[0] = 0x61707865;             /* "expand 32-byte k" */
	in[1] = 0x3320646e;
	in[2] = 0x79622d32;
	in[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		in[4 + i] = load32(key + 4 * i);
	in[12] = counter;
	for (i = 0; i < 3; i++)
		in[13 + i] = load32(nonce + 4 * i);
	for (i = 0; i < 16; i++)
		x[i] = in[i];
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		store32(out + 4 * i, x[i] + in[i]);
}
