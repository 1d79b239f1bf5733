/* SPDX-License-Identifier: BSD-3-Clause */
/* SHA-256 (FIPS 180-4), streaming: init, update any number of times, final. */
#ifndef FILETOOL_SHA256_H
#define FILETOOL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;            /* bytes hashed so far */
	unsigned char buf[64];
	size_t n;                /* bytes waiting in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, unsigned char out[32]);

#endif
