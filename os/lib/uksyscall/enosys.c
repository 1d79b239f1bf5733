/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unknown syscalls: -ENOSYS, and the first time a number is seen one
 * machine-readable console line (uniforge's tests and users grep it):
 *
 *   UK-ENOSYS nr=41 name=socket lib=posix-socket
 *
 * lib= names the library that would provide the syscall (select it), or
 * "-" when none does yet; name= is "?" for a number Linux does not have
 * on this architecture. Written straight to the platform console (no
 * ukdebug needed), one ukplat_cout per line.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/string.h>
#include "syscall_table.h"

#define SEEN_WORDS 16                    /* numbers 0..1023 */
#define OTHERS 8                         /* other numbers remembered */

static unsigned long seen[SEEN_WORDS];
static long others[OTHERS];
static unsigned int n_others;

/* Whether nr was logged before; marks it. Numbers beyond the bitmap: the
 * first OTHERS distinct ones are remembered, later ones are not logged. */
static bool seen_before(long nr)
{
	unsigned long bits = sizeof(seen[0]) * 8;
	unsigned int i;

	if ((unsigned long)nr < SEEN_WORDS * bits) {
		unsigned long m = 1UL << ((unsigned long)nr % bits);
		bool was = seen[(unsigned long)nr / bits] & m;

		seen[(unsigned long)nr / bits] |= m;
		return was;
	}
	for (i = 0; i < n_others; i++)
		if (others[i] == nr)
			return true;
	if (n_others == OTHERS)
		return true;
	others[n_others++] = nr;
	return false;
}

static size_t put_str(char *p, size_t at, size_t size, const char *s)
{
	while (*s && at < size)
		p[at++] = *s++;
	return at;
}

static size_t put_long(char *p, size_t at, size_t size, long v)
{
	char d[24];
	int n = 0;
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do {
		d[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[n++] = '-';
	while (n && at < size)
		p[at++] = d[--n];
	return at;
}

long uksc_enosys(long nr)
{
	char line[128];
	size_t at = 0;
	const char *name = NULL, *lib = NULL;

	if (seen_before(nr))
		return -ENOSYS;
	if ((unsigned long)nr < uk_syscall_table_len) {
		name = uksc_name((unsigned long)nr);
		lib = uksc_lib((unsigned long)nr);
	}
	if (ukplat_cout_midline())
		line[at++] = UKPLAT_COUT_RS;
	at = put_str(line, at, sizeof(line), "UK-ENOSYS nr=");
	at = put_long(line, at, sizeof(line), nr);
	at = put_str(line, at, sizeof(line), " name=");
	at = put_str(line, at, sizeof(line), name ? name : "?");
	at = put_str(line, at, sizeof(line), " lib=");
	at = put_str(line, at, sizeof(line), lib ? lib : "-");
	at = put_str(line, at, sizeof(line), "\n");
	ukplat_cout(line, at);
	return -ENOSYS;
}
