/* SPDX-License-Identifier: BSD-3-Clause */
/* A small printf so kernel messages and crash reports need no libc nor heap.
 * Flags - 0 + space #, width and precision (also *), lengths l ll z j t (h, hh
 * read as int), conversions d i u x X p s c %. No octal, no floating point:
 * %o, %f... are printed as written. */
#include "format.h"

enum { LEFT = 1, ZERO = 2, PLUS = 4, SPACE = 8, ALT = 16 };  /* "-0+ #" */
struct spec {
	int flags, width, prec;     /* prec < 0: none given */
};

static int idx(const char *set, char c)
{
	for (int i = 0; set[i]; i++)
		if (set[i] == c)
			return i;
	return -1;
}

static void put(struct ukd_out *o, char c)
{
	if (o->flush && o->pos == o->size)
		o->flush(o->buf, o->pos), o->pos = 0;
	if (o->flush || o->pos + 1 < o->size)
		o->buf[o->pos++] = c;
	o->total++;
}

/* [spaces] sign prefix [zeros] body (reversed if rev) [spaces] */
static void emit(struct ukd_out *o, const struct spec *sp, char sign, const char *prefix,
		 int zeros, const char *body, int n, bool rev)
{
	int len = n + zeros + (sign != 0) + (prefix[0] ? 2 : 0), i;

	if ((sp->flags & (ZERO | LEFT)) == ZERO && sp->prec < 0 && sp->width > len)
		zeros += sp->width - len, len = sp->width;
	for (i = len; !(sp->flags & LEFT) && i < sp->width; i++)
		put(o, ' ');
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	for (i = 0; i < zeros; i++)
		put(o, '0');
	for (i = 0; i < n; i++)
		put(o, body[rev ? n - 1 - i : i]);
	for (i = len; (sp->flags & LEFT) && i < sp->width; i++)
		put(o, ' ');
}

static void num(struct ukd_out *o, const struct spec *sp, unsigned long long v,
		bool neg, char conv)
{
	unsigned int base = conv == 'x' || conv == 'X' || conv == 'p' ? 16 : 10;
	const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24], sign = neg ? '-' : sp->flags & PLUS ? '+' : sp->flags & SPACE ? ' ' : 0;
	int n = 0;

	if (v || sp->prec != 0)
		do
			tmp[n++] = digits[v % base];
		while ((v /= base));
	emit(o, sp, sign, conv == 'p' || (n && tmp[n - 1] != '0' && (sp->flags & ALT)
		&& base == 16) ? (conv == 'X' ? "0X" : "0x") : "",
	     sp->prec > n ? sp->prec - n : 0, tmp, n, true);
}

static int number(const char **f)
{
	int v = 0;

	while (**f >= '0' && **f <= '9')
		v = v * 10 + (*(*f)++ - '0');
	return v;
}

void ukd_vformat(struct ukd_out *o, const char *fmt, va_list *ap)
{
	while (*fmt) {
		const char *start = fmt, *s;
		struct spec sp = { 0, 0, -1 };
		int len;          /* length: 0 (h, hh too), 1 l, 2 ll z j t */
		long long v;
		char c;

		if (*fmt != '%') {
			put(o, *fmt++);
			continue;
		}
		for (fmt++; *fmt && (len = idx("-0+ #", *fmt)) >= 0; fmt++)
			sp.flags |= 1 << len;
		sp.width = *fmt == '*' ? (fmt++, va_arg(*ap, int)) : number(&fmt);
		if (sp.width < 0)
			sp.flags |= LEFT, sp.width = -sp.width;
		if (*fmt == '.') {
			fmt++;
			sp.prec = *fmt == '*' ? (fmt++, va_arg(*ap, int)) : number(&fmt);
			sp.prec = sp.prec < 0 ? -1 : sp.prec;
		}
		for (len = 0; (c = *fmt) && idx("hlzjt", c) >= 0; fmt++)
			len = c == 'h' ? len : (c == 'l' && !len) ? 1 : 2;
		switch ((c = *fmt++)) {
		case 'd': case 'i':
			v = len == 2 ? va_arg(*ap, long long) : len ? va_arg(*ap, long) : va_arg(*ap, int);
			num(o, &sp, v < 0 ? -(unsigned long long)v : (unsigned long long)v, v < 0, c);
			break;
		case 'u': case 'x': case 'X':
			num(o, &sp, len == 2 ? va_arg(*ap, unsigned long long) : len ?
			    va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int), false, c);
			break;
		case 'p':
			num(o, &sp, (uintptr_t)va_arg(*ap, void *), false, c);
			break;
		case 's':
			s = va_arg(*ap, const char *);
			s = s ? s : "(null)";
			for (len = 0; s[len] && (sp.prec < 0 || len < sp.prec); len++)
				;
			emit(o, &sp, 0, "", 0, s, len, false);
			break;
		case 'c':
			c = (char)va_arg(*ap, int);
			emit(o, &sp, 0, "", 0, &c, 1, false);
			break;
		case '%':
			put(o, '%');
			break;
		default:          /* unknown: print the spec as written */
			fmt -= !c;
			while (start < fmt)
				put(o, *start++);
		}
	}
}

int ukd_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct ukd_out o = { .buf = buf, .size = size };
	va_list ap;

	va_start(ap, fmt);
	ukd_vformat(&o, fmt, &ap);
	va_end(ap);
	if (size)
		buf[o.pos] = '\0';
	return (int)o.total;
}
