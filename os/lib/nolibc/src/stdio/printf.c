/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printf family and the character output functions of <stdio.h>.
 * stdout and stderr are the console: each call collects its output in a
 * buffer on the stack and writes it with ukplat_cout() when the buffer is
 * full and before returning, so nothing stays buffered between calls and
 * a crash loses nothing. Other streams (stdin) fail with EBADF.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <uk/plat.h>
#include "../internal.h"

static struct __nolibc_file files[3] = { { 0 }, { 1 }, { 2 } };
FILE *const stdin = &files[0];
FILE *const stdout = &files[1];
FILE *const stderr = &files[2];

#define CONSOLE_BUF 256

static int writable(FILE *f)
{
	if (f == stdout || f == stderr)
		return 1;
	errno = EBADF;
	return 0;
}

int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap)
{
	char buf[CONSOLE_BUF];
	struct __nolibc_out o = { buf, 0, sizeof(buf), 0, 1 };
	int r;

	if (!writable(f))
		return -1;
	r = __nolibc_vformat(&o, fmt, ap);
	if (o.pos)
		ukplat_cout(buf, o.pos);
	return r;
}

int vprintf(const char *__restrict fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt, va_list ap)
{
	struct __nolibc_out o = { buf, 0, size ? size - 1 : 0, 0, 0 };
	int r = __nolibc_vformat(&o, fmt, ap);

	if (size)
		buf[o.pos] = '\0';
	return r;
}

int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap)
{
	return vsnprintf(buf, (size_t)INT_MAX + 1, fmt, ap);
}

int vasprintf(char **strp, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	*strp = NULL;
	if (n < 0 || !(*strp = malloc((size_t)n + 1)))
		return -1;
	return vsnprintf(*strp, (size_t)n + 1, fmt, ap);
}

int printf(const char *__restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return r;
}

int fprintf(FILE *__restrict f, const char *__restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int sprintf(char *__restrict buf, const char *__restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int asprintf(char **strp, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(strp, fmt, ap);
	va_end(ap);
	return r;
}

size_t fwrite(const void *__restrict p, size_t size, size_t nmemb, FILE *__restrict f)
{
	if (!size || !nmemb)
		return 0;
	if (!writable(f))
		return 0;
	ukplat_cout(p, size * nmemb);
	return nmemb;
}

int fputs(const char *__restrict s, FILE *__restrict f)
{
	if (!writable(f))
		return EOF;
	ukplat_cout(s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	char buf[CONSOLE_BUF];
	struct __nolibc_out o = { buf, 0, sizeof(buf), 0, 1 };

	__nolibc_out(&o, s, strlen(s));
	__nolibc_out(&o, "\n", 1);
	ukplat_cout(buf, o.pos);
	return 0;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	if (!writable(f))
		return EOF;
	ukplat_cout(&ch, 1);
	return (unsigned char)ch;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

/* Nothing is ever buffered between calls. */
int fflush(FILE *f)
{
	return 0;
}

void perror(const char *s)
{
	if (s && *s)
		fprintf(stderr, "%s: %s\n", s, strerror(errno));
	else
		fprintf(stderr, "%s\n", strerror(errno));
}
