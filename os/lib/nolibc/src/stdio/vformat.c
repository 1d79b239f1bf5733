/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The printf core: parses the format and writes the characters to a
 * struct __nolibc_out (a string, or a buffer flushed to the console).
 * Everything printf-like in stdio/printf.c ends up here.
 *
 * Conversions d i u o x X c s p % and, with LIBNOLIBC_PRINTF_FLOAT,
 * f F e E g G; flags - + space # 0; width and precision, also as *;
 * length modifiers hh h l ll j z t L (q as ll). NULL %s prints "(null)"
 * (nothing when the precision is under 6) and NULL %p "(nil)", as glibc
 * does. %n, %a and positional arguments (%1$d) are not supported; an
 * unknown conversion is printed as it stands.
 *
 * Floating point is printed exactly: the double's binary value is turned
 * into all its decimal digits (at most 767) with small-factor
 * multiplications, then rounded half-to-even at the requested digit, which
 * is what glibc prints in the default rounding mode.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <limits.h>
#include <errno.h>
#include <uk/plat.h>
#include "../internal.h"

#define F_LEFT   1
#define F_PLUS   2
#define F_SPACE  4
#define F_ALT    8
#define F_ZERO  16

enum { L_HH = 1, L_H, L_NONE, L_L, L_LL, L_LD };

void __nolibc_out(struct __nolibc_out *o, const char *s, size_t n)
{
	size_t k;

	o->total += n;
	while (n) {
		if (o->pos == o->cap) {
			if (!o->console)
				return;
			ukplat_cout(o->buf, o->pos);
			o->pos = 0;
		}
		k = o->cap - o->pos;
		if (k > n)
			k = n;
		memcpy(o->buf + o->pos, s, k);
		o->pos += k;
		s += k;
		n -= k;
	}
}

static void pad(struct __nolibc_out *o, char c, size_t n)
{
	while (n--)
		__nolibc_out(o, &c, 1);
}

/*
 * Starts a field of width w whose prefix (sign, 0x) is pre and whose body
 * will be nbody characters; returns the spaces still owed after the body.
 */
static size_t field(struct __nolibc_out *o, int fl, int w, const char *pre, size_t npre,
		    size_t nbody)
{
	size_t len = npre + nbody, n = w > 0 && (size_t)w > len ? (size_t)w - len : 0;

	if (fl & F_LEFT) {
		__nolibc_out(o, pre, npre);
		return n;
	}
	if (!(fl & F_ZERO))
		pad(o, ' ', n);
	__nolibc_out(o, pre, npre);
	if (fl & F_ZERO)
		pad(o, '0', n);
	return 0;
}

static void fmt_int(struct __nolibc_out *o, uintmax_t v, int neg, int base, int upper,
		    int fl, int w, int prec, int sign)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[3 * sizeof(uintmax_t)], *end = tmp + sizeof(tmp), *p = end;
	char pre[2];
	size_t npre = 0, nd, nz;
	int zero = prec < 0 && (fl & F_ZERO);   /* '0' only counts without a precision */

	if (sign) {
		if (neg)
			pre[npre++] = '-';
		else if (fl & F_PLUS)
			pre[npre++] = '+';
		else if (fl & F_SPACE)
			pre[npre++] = ' ';
	}
	if (v && base == 16 && (fl & F_ALT)) {
		pre[npre++] = '0';
		pre[npre++] = upper ? 'X' : 'x';
	}
	if (v || prec != 0) {
		do
			*--p = digits[v % base];
		while ((v /= base));
	}
	nd = end - p;
	/* %#o: the first digit is a 0 */
	if (base == 8 && (fl & F_ALT) && (nd == 0 || *p != '0') && prec <= (int)nd)
		prec = nd + 1;
	fl &= ~F_ZERO;
	fl |= zero ? F_ZERO : 0;
	nz = prec > (int)nd ? prec - nd : 0;
	w = (int)field(o, fl, w, pre, npre, nz + nd);
	pad(o, '0', nz);
	__nolibc_out(o, p, nd);
	pad(o, ' ', w);
}

#if defined(CONFIG_LIBNOLIBC_PRINTF_FLOAT)

/* 2^-1074 * (2^53 - 1) has 767 significant digits; one more for a carry. */
#define NDIG 770

struct dec {
	unsigned char d[NDIG];    /* decimal digits, least significant first */
	int n;                    /* digits in use; 0 for zero */
	int e;                    /* the value is d * 10^e */
};

/* d *= f, for f <= 2^59 (so digit * f + carry, < 10 * f, fits in 64 bits) */
static void dec_mul(struct dec *x, uint64_t f)
{
	uint64_t c = 0, t;
	int i;

	for (i = 0; i < x->n; i++) {
		t = x->d[i] * f + c;
		x->d[i] = t % 10;
		c = t / 10;
	}
	for (; c; c /= 10)
		x->d[i++] = c % 10;
	x->n = i;
}

/* The digit at decimal position p (10^p). */
static int dec_at(const struct dec *x, int p)
{
	p -= x->e;
	return p >= 0 && p < x->n ? x->d[p] : 0;
}

/* Position of the leading digit (0 for zero). */
static int dec_top(const struct dec *x)
{
	return x->n ? x->n - 1 + x->e : 0;
}

/* Rounds to a multiple of 10^cut, ties to even; drops leading zeros. */
static void dec_round(struct dec *x, int cut)
{
	int i = cut - x->e, j, up;

	if (i > x->n) {
		x->n = 0;
	} else if (i > 0) {
		up = x->d[i - 1] > 5;
		if (x->d[i - 1] == 5) {
			for (j = 0; j < i - 1 && !x->d[j]; j++)
				;
			up = j < i - 1 || (i < x->n && (x->d[i] & 1));
		}
		for (j = 0; j < i; j++)
			x->d[j] = 0;
		if (up) {
			for (j = i; j < x->n && x->d[j] == 9; j++)
				x->d[j] = 0;
			if (j == x->n)
				x->n++, x->d[j] = 1;
			else
				x->d[j]++;
		}
	}
	while (x->n && !x->d[x->n - 1])
		x->n--;
}

/* Position of the lowest non-zero digit (0 for zero). */
static int dec_low(const struct dec *x)
{
	int i = 0;

	while (i < x->n && !x->d[i])
		i++;
	return i < x->n ? i + x->e : 0;
}

#if __LDBL_MANT_DIG__ == 113
/*
 * arm64's long double is IEEE binary128, converted in software by libgcc,
 * which the image does not link: truncate to a double by hand.
 */
static double ld_to_d(long double v)
{
	union { long double f; uint64_t w[2]; } q = { v };
	union { uint64_t i; double f; } r;
	uint64_t hi = q.w[1], lo = q.w[0], m;
	int e = (hi >> 48) & 0x7fff;

	m = ((hi & 0xffffffffffffULL) << 4) | (lo >> 60);
	if (e == 0x7fff) {
		e = 0x7ff;
		if ((hi & 0xffffffffffffULL) | lo)
			m |= 1ULL << 51;
	} else if (e - 16383 + 1023 >= 0x7ff) {
		e = 0x7ff;
		m = 0;
	} else if (e - 16383 + 1023 <= 0) {
		e = 0;
		m = 0;
	} else {
		e = e - 16383 + 1023;
	}
	r.i = (hi & (1ULL << 63)) | ((uint64_t)e << 52) | m;
	return r.f;
}
#else
#define ld_to_d(v) ((double)(v))
#endif

/* conv is one of f e g (lower case); upper selects F E G. */
static __attribute__((noinline)) void fmt_float(struct __nolibc_out *o, double v, int conv,
						int upper, int fl, int w, int prec)
{
	union { double f; uint64_t i; } u = { v };
	struct dec x;
	uint64_t m = u.i & ((1ULL << 52) - 1);
	int be = (u.i >> 52) & 0x7ff, e2, k, top, lo, p, estyle = conv == 'e';
	char pre[1], ex[8];
	size_t npre = 0, nex = 0, n;
	int pt;

	if (u.i >> 63)
		pre[npre++] = '-';
	else if (fl & F_PLUS)
		pre[npre++] = '+';
	else if (fl & F_SPACE)
		pre[npre++] = ' ';

	if (be == 0x7ff) {
		const char *s = m ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");

		w = (int)field(o, fl & ~F_ZERO, w, pre, npre, 3);
		__nolibc_out(o, s, 3);
		pad(o, ' ', w);
		return;
	}

	/* v = m * 2^e2 exactly, then all of its decimal digits */
	if (be)
		m |= 1ULL << 52;
	else
		be = 1;
	e2 = be - 1075;
	while (m && !(m & 1)) {
		m >>= 1;
		e2++;
	}
	for (x.n = 0; m; m /= 10)
		x.d[x.n++] = m % 10;
	x.e = 0;
	if (!x.n)
		e2 = 0;
	for (; e2 > 0; e2 -= k) {
		k = e2 < 59 ? e2 : 59;
		dec_mul(&x, 1ULL << k);
	}
	for (; e2 < 0; e2 += k) {        /* m / 2^k = m * 5^k / 10^k */
		uint64_t f = 1;

		k = -e2 < 25 ? -e2 : 25;
		for (p = 0; p < k; p++)
			f *= 5;
		dec_mul(&x, f);
		x.e -= k;
	}

	if (prec < 0)
		prec = 6;
	if (conv == 'f') {
		dec_round(&x, -prec);
	} else {
		if (conv == 'g' && prec == 0)
			prec = 1;
		if (conv == 'g')
			prec--;            /* significant digits after the first */
		dec_round(&x, dec_top(&x) - prec);
		top = dec_top(&x);
		if (conv == 'g') {
			estyle = top < -4 || top > prec;
			if (!estyle)
				prec -= top;   /* digits after the point */
			if (!(fl & F_ALT)) {
				lo = dec_low(&x);
				k = estyle ? top - lo : -lo;
				if (!x.n || k < 0)
					k = 0;
				if (k < prec)
					prec = k;
			}
		}
	}

	/* the digits from position top down to lo, the point after position pt */
	top = dec_top(&x);
	if (estyle) {
		lo = top - prec;
		pt = top;
		ex[nex++] = upper ? 'E' : 'e';
		ex[nex++] = top < 0 ? '-' : '+';
		k = top < 0 ? -top : top;
		if (k >= 100)
			ex[nex++] = '0' + k / 100;
		ex[nex++] = '0' + k / 10 % 10;
		ex[nex++] = '0' + k % 10;
	} else {
		if (top < 0)
			top = 0;
		lo = -prec;
		pt = 0;
	}
	k = prec || (fl & F_ALT);      /* is there a point? */
	n = (size_t)(top - lo + 1) + k + nex;
	w = (int)field(o, fl, w, pre, npre, n);
	for (p = top; p >= lo; p--) {
		char c = '0' + dec_at(&x, p);

		__nolibc_out(o, &c, 1);
		if (p == pt && k)
			__nolibc_out(o, ".", 1);
	}
	__nolibc_out(o, ex, nex);
	pad(o, ' ', w);
}
#endif /* CONFIG_LIBNOLIBC_PRINTF_FLOAT */

/* A decimal number in the format, or -1 where there is none. */
static int number(const char **fmt)
{
	int n = -1;

	for (; **fmt >= '0' && **fmt <= '9'; (*fmt)++) {
		if (n < 0)
			n = 0;
		if (n < INT_MAX / 10 - 1)      /* beyond that, stay there */
			n = n * 10 + (**fmt - '0');
	}
	return n;
}

int __nolibc_vformat(struct __nolibc_out *o, const char *fmt, va_list ap)
{
	const char *spec, *s;
	int fl, w, prec, len, conv, base, neg;
	uintmax_t v;
	intmax_t sv;
	char c;
	size_t n;
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		for (s = fmt; *fmt && *fmt != '%'; fmt++)
			;
		__nolibc_out(o, s, fmt - s);
		if (!*fmt)
			break;
		spec = fmt++;

		for (fl = 0;; fmt++) {
			if (*fmt == '-')
				fl |= F_LEFT;
			else if (*fmt == '+')
				fl |= F_PLUS;
			else if (*fmt == ' ')
				fl |= F_SPACE;
			else if (*fmt == '#')
				fl |= F_ALT;
			else if (*fmt == '0')
				fl |= F_ZERO;
			else
				break;
		}
		if (*fmt == '*') {
			fmt++;
			w = va_arg(aq, int);
			if (w < 0) {
				fl |= F_LEFT;
				w = w == INT_MIN ? INT_MAX : -w;
			}
		} else {
			w = number(&fmt);
		}
		prec = -1;
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				fmt++;
				prec = va_arg(aq, int);
				if (prec < 0)
					prec = -1;
			} else {
				prec = number(&fmt);
				if (prec < 0)
					prec = 0;
			}
		}
		if (fl & F_LEFT)
			fl &= ~F_ZERO;
		if (fl & F_PLUS)
			fl &= ~F_SPACE;

		len = L_NONE;
		switch (*fmt) {
		case 'h':
			len = *++fmt == 'h' ? (fmt++, L_HH) : L_H;
			break;
		case 'l':
			len = *++fmt == 'l' ? (fmt++, L_LL) : L_L;
			break;
		case 'q':
			fmt++;
			len = L_LL;
			break;
		case 'L':
			fmt++;
			len = L_LD;
			break;
		case 'j':
			fmt++;
			len = sizeof(intmax_t) > sizeof(long) ? L_LL : L_L;
			break;
		case 'z':
		case 't':
			fmt++;
			len = sizeof(size_t) > sizeof(long) ? L_LL : L_L;
			break;
		}

		conv = *fmt++;
		base = 10;
		neg = 0;
		switch (conv) {
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
			/* fetch as the promoted type, then narrow as the length says */
			if (len >= L_LL)
				v = va_arg(aq, unsigned long long);
			else if (len == L_L)
				v = va_arg(aq, unsigned long);
			else
				v = va_arg(aq, unsigned int);
			if (conv == 'd' || conv == 'i') {
				sv = len == L_HH ? (signed char)v : len == L_H ? (short)v :
				     len == L_NONE ? (int)v : len == L_L ? (long)v : (intmax_t)v;
				neg = sv < 0;
				v = neg ? 0 - (uintmax_t)sv : (uintmax_t)sv;
			} else {
				v = len == L_HH ? (unsigned char)v : len == L_H ? (unsigned short)v : v;
				base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
			}
			fmt_int(o, v, neg, base, conv == 'X', fl, w, prec, base == 10 && conv != 'u');
			break;
		case 'p':
			v = (uintptr_t)va_arg(aq, void *);
			if (v) {
				fmt_int(o, v, 0, 16, 0, fl | F_ALT, w, prec, 1);
				break;
			}
			s = "(nil)";
			n = 5;
			goto string;
		case 'c':
			c = (char)va_arg(aq, int);
			s = &c;
			n = 1;
			goto string;
		case 's':
			s = va_arg(aq, const char *);
			if (!s)
				s = prec < 0 || prec >= 6 ? "(null)" : "";
			n = prec < 0 ? strlen(s) : strnlen(s, prec);
string:
			w = (int)field(o, fl & ~F_ZERO, w, NULL, 0, n);
			__nolibc_out(o, s, n);
			pad(o, ' ', w);
			break;
		case '%':
			__nolibc_out(o, "%", 1);
			break;
		case 'f': case 'F':
		case 'e': case 'E':
		case 'g': case 'G':
#if defined(CONFIG_LIBNOLIBC_PRINTF_FLOAT)
			fmt_float(o, len == L_LD ? ld_to_d(va_arg(aq, long double))
				  : va_arg(aq, double), conv | 32, conv < 'a', fl, w, prec);
			break;
#else
			if (len == L_LD)
				(void)va_arg(aq, long double);
			else
				(void)va_arg(aq, double);
			__nolibc_out(o, spec, fmt - spec);
			break;
#endif
		case '\0':
			fmt--;
			/* fall through */
		default:
			__nolibc_out(o, spec, fmt - spec);
			break;
		}
	}
	va_end(aq);
	if (o->total > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o->total;
}
