/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Command line splitting (see include/uk/argparse.h for the rules). One pass
 * over the text with a read index r and a write index w <= r: removing quotes
 * and escapes only moves characters left, so every word is rebuilt in place
 * at its own start and terminated where the write index stops.
 */
#include <uk/argparse.h>

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

int uk_argnparse(char *buf, size_t maxlen, char *argv[], int maxcount)
{
	size_t r = 0, w;
	int argc = 0;
	char quote;

	if (!buf || !argv || maxcount <= 0)
		return 0;

	while (argc < maxcount) {
		while (r < maxlen && buf[r] && is_blank(buf[r]))
			r++;
		if (r >= maxlen || !buf[r])
			break;

		argv[argc++] = &buf[r];
		w = r;
		quote = 0;
		for (; r < maxlen && buf[r]; r++) {
			char c = buf[r];

			if (quote == '\'') {
				if (c == '\'')
					quote = 0;
				else
					buf[w++] = c;
			} else if (quote == '"') {
				if (c == '"') {
					quote = 0;
				} else if (c == '\\' && r + 1 < maxlen &&
					   (buf[r + 1] == '"' || buf[r + 1] == '\\')) {
					buf[w++] = buf[++r];
				} else {
					buf[w++] = c;
				}
			} else if (is_blank(c)) {
				break;
			} else if (c == '\'' || c == '"') {
				quote = c;
			} else if (c == '\\' && r + 1 < maxlen && buf[r + 1]) {
				buf[w++] = buf[++r];
			} else {
				buf[w++] = c;
			}
		}
		/*
		 * r points at the separating blank, the NUL, or maxlen; step past
		 * a blank before overwriting it (w <= r) so the scan goes on.
		 */
		if (r < maxlen && buf[r])
			r++;
		buf[w] = '\0';
	}
	if (argc < maxcount)
		argv[argc] = NULL;
	return argc;
}
