/* SPDX-License-Identifier: BSD-3-Clause */
/* Host harness for os/lib/ukrandom/chacha20.c: for each argument
 * "KEYHEX:COUNTER:NONCEHEX" prints the block as hex, one line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "chacha20.h"

static int unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned int v;

	if (strlen(s) < 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t key[32], nonce[12], out[64];
	int i, j;

	for (i = 1; i < argc; i++) {
		char *c1 = strchr(argv[i], ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2 || unhex(argv[i], key, 32) || unhex(c2 + 1, nonce, 12))
			return 2;
		chacha20_block(out, key, (uint32_t)strtoul(c1 + 1, NULL, 0), nonce);
		for (j = 0; j < 64; j++)
			printf("%02x", out[j]);
		printf("\n");
	}
	return 0;
}
