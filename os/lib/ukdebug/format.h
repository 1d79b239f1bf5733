/* SPDX-License-Identifier: BSD-3-Clause */
/* ukdebug internals: the printf-style formatter shared by print.c and crash.c. */
#ifndef UKDEBUG_FORMAT_H
#define UKDEBUG_FORMAT_H

#include <uk/essentials.h>
#include <stdarg.h>

/*
 * Where formatted characters go: into buf; when flush is set, a full buffer
 * is handed to flush and reused (nothing is lost), otherwise the output is
 * cut at size - 1 characters. total counts every character produced.
 */
struct ukd_out {
	char *buf;
	size_t size;
	size_t pos;
	size_t total;
	void (*flush)(const char *buf, size_t len);
};

/*
 * The va_list goes by pointer: on arm64 (with -mstrict-align) passing one by
 * value makes GCC call memcpy, which a crash path without libc cannot have.
 */
void ukd_vformat(struct ukd_out *o, const char *fmt, va_list *ap);
/* Like snprintf: NUL-terminates (if size > 0), returns the full length. */
int ukd_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

#endif
