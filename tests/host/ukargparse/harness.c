/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for uk_argnparse (driven by tests/host/test_argparse.py).
 * stdin is a sequence of cases, each "<maxlen> <maxcount> <textlen>\n" then
 * textlen raw bytes. The text is copied into a buffer of exactly textlen + 1
 * bytes (NUL at the end), so AddressSanitizer catches any write outside it.
 * For each case it prints "<count> <ok>\n" then one line per word in hex;
 * ok is 0 if a byte after buf[maxlen] or an argv slot past the words
 * (beyond argv[count], or argv[count] when count == maxcount) was touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/argparse.h>

#define SENTINEL ((char *)0x5a5a5a5a)

int main(void)
{
	long maxlen, maxcount, textlen;

	while (scanf("%ld %ld %ld", &maxlen, &maxcount, &textlen) == 3) {
		char *buf, *orig, **argv;
		int i, n, ok = 1;

		if (getchar() != '\n')
			return 2;
		buf = malloc(textlen + 1);
		orig = malloc(textlen + 1);
		argv = malloc(sizeof(char *) * (maxcount > 0 ? maxcount + 1 : 1));
		if (!buf || !orig || !argv ||
		    fread(buf, 1, textlen, stdin) != (size_t)textlen)
			return 2;
		buf[textlen] = '\0';
		memcpy(orig, buf, textlen + 1);
		for (i = 0; i < (maxcount > 0 ? maxcount + 1 : 1); i++)
			argv[i] = SENTINEL;

		n = uk_argnparse(buf, (size_t)maxlen, argv, (int)maxcount);

		for (i = (int)maxlen + 1; i <= textlen; i++)
			if (buf[i] != orig[i])
				ok = 0;
		if (n < 0 || n > (maxcount > 0 ? maxcount : 0))
			ok = 0;
		if (n < maxcount && argv[n] != NULL)
			ok = 0;
		if (maxcount > 0 && argv[maxcount] != SENTINEL)
			ok = 0;
		printf("%d %d\n", n, ok);
		for (i = 0; i < n && n <= maxcount; i++) {
			const unsigned char *p = (const unsigned char *)argv[i];

			if (argv[i] < buf || argv[i] > buf + textlen) {
				printf("out-of-buffer\n");
				continue;
			}
			for (; *p; p++)
				printf("%02x", *p);
			printf("\n");
		}
		free(buf);
		free(orig);
		free(argv);
	}
	fflush(stdout);
	return 0;
}
