/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc internals shared between source files; not installed. */
#ifndef NOLIBC_INTERNAL_H
#define NOLIBC_INTERNAL_H

#include <stddef.h>
#include <stdarg.h>

/*
 * Where the printf core (stdio/vformat.c) puts its characters: a string of
 * cap bytes, or (console != 0) a buffer that is written to ukplat_cout()
 * whenever it fills up; the caller writes out the rest.
 */
struct __nolibc_out {
	char *buf;
	size_t pos;       /* bytes in buf */
	size_t cap;       /* room in buf */
	size_t total;     /* characters produced, also those that did not fit */
	int console;
};

void __nolibc_out(struct __nolibc_out *o, const char *s, size_t n);
int __nolibc_vformat(struct __nolibc_out *o, const char *fmt, va_list ap);

struct __nolibc_file {
	int fd;           /* 0 stdin, 1 stdout, 2 stderr */
};

/* The digit value of c in bases up to 36, or 99. */
static inline int __nolibc_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

#endif
