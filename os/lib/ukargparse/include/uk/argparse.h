/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukargparse: split a command line into words, in place.
 *
 *   char line[] = "ukalloc.heap_kb=512 -- hello 'big world'";
 *   char *argv[8];
 *   int argc = uk_argnparse(line, sizeof(line) - 1, argv, 8);
 *   // argc == 4: "ukalloc.heap_kb=512", "--", "hello", "big world"
 *
 * The rules are a small subset of the POSIX shell's:
 *   - blanks (space, tab, newline, CR, VT, FF) separate words;
 *   - '...' groups everything literally up to the next single quote;
 *   - "..." groups; inside, a backslash only escapes '"' and '\', any
 *     other backslash is kept as is;
 *   - outside quotes, a backslash makes the next character literal
 *     (a blank, a quote, a backslash);
 *   - quotes and escaping backslashes are removed, and quoting may glue
 *     parts together: a"b c"'d' is the one word "ab cd"; "" is an empty word;
 *   - an unterminated quote runs to the end of the line; a backslash as
 *     the very last character is kept.
 */
#ifndef UK_ARGPARSE_H
#define UK_ARGPARSE_H

#include <uk/essentials.h>

/*
 * Splits the first maxlen characters of buf (fewer if a NUL comes first)
 * into at most maxcount words. Each word is NUL-terminated in place (the text
 * only ever shrinks) and argv[i] points into buf. A word that ends exactly at
 * maxlen is terminated by writing buf[maxlen], so buf must have room for
 * maxlen + 1 bytes, as any C string of length maxlen does. When fewer than
 * maxcount words are found, argv[count] is set to NULL. Words beyond maxcount
 * are left unparsed. Returns the number of words (0 for a NULL buf or argv,
 * or maxcount <= 0).
 */
int uk_argnparse(char *buf, size_t maxlen, char *argv[], int maxcount);

#endif
