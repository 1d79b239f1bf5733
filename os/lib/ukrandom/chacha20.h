/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ChaCha20 block function of RFC 8439 (section 2.3), alone: no
 * state, no allocation, no platform. random.c builds the CSPRNG on it; the
 * host test (tests/host/test_ukrandom.py) checks it against the RFC's test
 * vectors.
 */
#ifndef UKRANDOM_CHACHA20_H
#define UKRANDOM_CHACHA20_H

#include <uk/essentials.h>

#define CHACHA20_KEY_SIZE   32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

/*
 * out = the 64-byte block for (key, counter, nonce), serialised
 * little-endian as the RFC does (section 2.3.2). Key and nonce are read
 * as bytes (any alignment).
 */
void chacha20_block(uint8_t out[CHACHA20_BLOCK_SIZE], const uint8_t key[CHACHA20_KEY_SIZE],
		    uint32_t counter, const uint8_t nonce[CHACHA20_NONCE_SIZE]);

#endif
