/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * nolibc: formatted output to the console and to strings. There are no
 * files: stdout and stderr both write to the platform console
 * (ukplat_cout), unbuffered across calls (one printf is one console write
 * for output up to 256 bytes), so nothing is lost when the guest crashes.
 * Conversions: d i u o x X c s p % f F e E g G, flags - + space # 0, width
 * and precision (also *), length hh h l ll j z t L.
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stddef.h>
#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EOF (-1)
#define BUFSIZ 256
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

typedef struct __nolibc_file FILE;

extern FILE *const stdin;
extern FILE *const stdout;
extern FILE *const stderr;
#define stdin  stdin
#define stdout stdout
#define stderr stderr

#define __nolibc_printf(a, b) __attribute__((__format__(__printf__, a, b)))

int printf(const char *__restrict fmt, ...) __nolibc_printf(1, 2);
int fprintf(FILE *__restrict f, const char *__restrict fmt, ...) __nolibc_printf(2, 3);
int sprintf(char *__restrict buf, const char *__restrict fmt, ...) __nolibc_printf(2, 3);
int snprintf(char *__restrict buf, size_t size, const char *__restrict fmt, ...)
	__nolibc_printf(3, 4);
int asprintf(char **strp, const char *fmt, ...) __nolibc_printf(2, 3);
int vprintf(const char *__restrict fmt, va_list ap) __nolibc_printf(1, 0);
int vfprintf(FILE *__restrict f, const char *__restrict fmt, va_list ap) __nolibc_printf(2, 0);
int vsprintf(char *__restrict buf, const char *__restrict fmt, va_list ap) __nolibc_printf(2, 0);
int vsnprintf(char *__restrict buf, size_t size, const char *__restrict fmt, va_list ap)
	__nolibc_printf(3, 0);
int vasprintf(char **strp, const char *fmt, va_list ap) __nolibc_printf(2, 0);

int puts(const char *s);
int putchar(int c);
int fputs(const char *__restrict s, FILE *__restrict f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
size_t fwrite(const void *__restrict p, size_t size, size_t nmemb, FILE *__restrict f);
int fflush(FILE *f);
void perror(const char *s);

#ifdef __cplusplus
}
#endif

#endif
