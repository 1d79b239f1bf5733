/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strftime in the "C" locale, matching glibc (2.36, Debian 12's) byte for
 * byte: every C99 conversion (a A b B c C d D e F g G h H I j m M n p r R S
 * t T u U V w W x X y Y z Z %), the E and O modifiers where C99 allows them
 * (no effect in the "C" locale), the GNU ones k l P s, and glibc's flags and
 * widths (`-` no padding, `_` spaces, `0` zeros, `^` upper case, `#` swapped
 * case, then a width). Numbers are as glibc prints them: %Y and %G in as
 * many digits as they need (year 5 is "5"), %y and %g of a negative year
 * counted up from 100. An unknown conversion is copied as it stands.
 * Returns the length without the NUL, or 0 when the result and its NUL do
 * not fit in max bytes (the buffer's contents are then unspecified).
 */
#include <time.h>
#include <string.h>

struct out {
	char *s;
	size_t max;
	size_t n;       /* characters produced (may exceed max) */
};

static void put(struct out *o, char c)
{
	if (o->n < o->max)
		o->s[o->n] = c;
	o->n++;
}

static const char *const wday_name[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};
static const char *const mon_name[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

struct spec {
	char pad;       /* 0, '-', '_' or '0' */
	int upper;      /* '^' */
	int swap;       /* '#' */
	int width;      /* -1: none given */
};

static char upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Text padded to the width (zeros with '0', else spaces), in upper case
 * with '^' or case > 0, lower case with case < 0 (which wins). */
static void text(struct out *o, const struct spec *sp, const char *s, size_t len, int cs)
{
	size_t i;

	for (i = len; sp->width >= 0 && i < (size_t)sp->width; i++)
		put(o, sp->pad == '0' ? '0' : ' ');
	if (sp->upper && cs == 0)
		cs = 1;
	for (i = 0; i < len; i++)
		put(o, cs > 0 ? upper(s[i]) : cs < 0 ? lower(s[i]) : s[i]);
}

/* A number as glibc 2.36 prints it: padded to `digits` characters (the
 * sign included) with zeros after the sign, or spaces before it with '_'
 * (the default pad of %e %k %l), not at all with '-'; then to the width,
 * the same way ('-' pads with spaces there). */
static void num(struct out *o, const struct spec *sp, int digits, long long v)
{
	char buf[24], *p = buf + sizeof(buf);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	int len, zeros = 0, spaces = 0, width;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	len = (int)(buf + sizeof(buf) - p) + (v < 0);
	width = sp->pad == '-' ? 0 : digits;
	if (sp->width > width)
		width = sp->width;
	if (width > len) {
		if (sp->pad == '_' || sp->pad == '-')
			spaces = width - len;
		else
			zeros = width - len;
	}
	while (spaces--)
		put(o, ' ');
	if (v < 0)
		put(o, '-');
	while (zeros--)
		put(o, '0');
	while (p < buf + sizeof(buf))
		put(o, *p++);
}

static int is_leap(long long y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

/* Days since the Monday of ISO week 1 (glibc's iso_week_days). */
static int iso_week_days(int yday, int wday)
{
	int big = (366 / 7 + 2) * 7;

	return yday - (yday - wday + 4 + big) % 7 + 4 - 1;
}

/* ISO 8601 week-based year and week number. */
static long long iso_year(const struct tm *tm, int *week)
{
	long long y = (long long)tm->tm_year + 1900;
	int days = iso_week_days(tm->tm_yday, tm->tm_wday), d;

	if (days < 0) {
		y--;
		days = iso_week_days(tm->tm_yday + 365 + is_leap(y), tm->tm_wday);
	} else {
		d = iso_week_days(tm->tm_yday - (365 + is_leap(y)), tm->tm_wday);
		if (d >= 0) {
			y++;
			days = d;
		}
	}
	*week = days / 7 + 1;
	return y;
}

static void format(struct out *o, const char *fmt, const struct tm *tm);

/* A composite conversion (%c %D %F %r %R %T %x %X): formatted on its
 * own, then padded and cased as one piece of text. */
static void sub(struct out *o, const struct spec *sp, const char *fmt, const struct tm *tm)
{
	char buf[128];
	struct out t = { buf, sizeof(buf), 0 };

	format(&t, fmt, tm);
	text(o, sp, buf, t.n < sizeof(buf) ? t.n : sizeof(buf), 0);
}

/* The pad a conversion uses when no flag is given. */
static void default_pad(struct spec *sp, char pad)
{
	if (!sp->pad)
		sp->pad = pad;
}

static void conversion(struct out *o, struct spec *sp, char c, const struct tm *tm)
{
	long long year = (long long)tm->tm_year + 1900;
	int wk, h12 = tm->tm_hour % 12 ? tm->tm_hour % 12 : 12;
	const char *s;

	switch (c) {
	case 'a':
	case 'A':
		s = tm->tm_wday >= 0 && tm->tm_wday < 7 ? wday_name[tm->tm_wday] : "?";
		text(o, sp, s, c == 'a' && s[1] ? 3 : strlen(s), sp->swap);
		break;
	case 'b':
	case 'h':
	case 'B':
		s = tm->tm_mon >= 0 && tm->tm_mon < 12 ? mon_name[tm->tm_mon] : "?";
		text(o, sp, s, c != 'B' && s[1] ? 3 : strlen(s), sp->swap);
		break;
	case 'c':
		sub(o, sp, "%a %b %e %H:%M:%S %Y", tm);
		break;
	case 'C':   /* floor(year / 100) */
		num(o, sp, 1, year / 100 - (year % 100 < 0));
		break;
	case 'd':
		num(o, sp, 2, tm->tm_mday);
		break;
	case 'D':
	case 'x':
		sub(o, sp, "%m/%d/%y", tm);
		break;
	case 'e':
		default_pad(sp, '_');
		num(o, sp, 2, tm->tm_mday);
		break;
	case 'F':
		sub(o, sp, "%Y-%m-%d", tm);
		break;
	case 'g':
		num(o, sp, 2, (iso_year(tm, &wk) % 100 + 100) % 100);
		break;
	case 'G':
		num(o, sp, 1, iso_year(tm, &wk));
		break;
	case 'H':
		num(o, sp, 2, tm->tm_hour);
		break;
	case 'I':
		num(o, sp, 2, h12);
		break;
	case 'j':
		num(o, sp, 3, tm->tm_yday + 1LL);
		break;
	case 'k':
		default_pad(sp, '_');
		num(o, sp, 2, tm->tm_hour);
		break;
	case 'l':
		default_pad(sp, '_');
		num(o, sp, 2, h12);
		break;
	case 'm':
		num(o, sp, 2, tm->tm_mon + 1LL);
		break;
	case 'M':
		num(o, sp, 2, tm->tm_min);
		break;
	case 'n':
		text(o, sp, "\n", 1, 0);
		break;
	case 'p':
		text(o, sp, tm->tm_hour >= 12 ? "PM" : "AM", 2, sp->swap ? -1 : 0);
		break;
	case 'P':
		text(o, sp, tm->tm_hour >= 12 ? "pm" : "am", 2, -1);
		break;
	case 'r':
		sub(o, sp, "%I:%M:%S %p", tm);
		break;
	case 'R':
		sub(o, sp, "%H:%M", tm);
		break;
	case 's': { /* seconds since the Epoch, padded as text (glibc: "0-1") */
		struct tm copy = *tm;
		struct spec plain = { 0, 0, 0, -1 };
		char buf[24];
		struct out t = { buf, sizeof(buf), 0 };

		num(&t, &plain, 1, timegm(&copy));
		text(o, sp, buf, t.n, 0);
		break;
	}
	case 'S':
		num(o, sp, 2, tm->tm_sec);
		break;
	case 't':
		text(o, sp, "\t", 1, 0);
		break;
	case 'T':
	case 'X':
		sub(o, sp, "%H:%M:%S", tm);
		break;
	case 'u':
		num(o, sp, 1, (tm->tm_wday - 1 + 7) % 7 + 1);
		break;
	case 'U':
		num(o, sp, 2, (tm->tm_yday - tm->tm_wday + 7) / 7);
		break;
	case 'V':
		iso_year(tm, &wk);
		num(o, sp, 2, wk);
		break;
	case 'w':
		num(o, sp, 1, tm->tm_wday);
		break;
	case 'W':
		num(o, sp, 2, (tm->tm_yday - (tm->tm_wday - 1 + 7) % 7 + 7) / 7);
		break;
	case 'y':
		num(o, sp, 2, (tm->tm_year % 100 + 100) % 100);
		break;
	case 'Y':
		num(o, sp, 1, year);
		break;
	case 'z': { /* the sign as text, then hhmm as a number (glibc's way) */
		long off = tm->tm_gmtoff, a = off < 0 ? -off : off;

		if (tm->tm_isdst < 0)
			break;
		a /= 60;
		text(o, sp, off < 0 ? "-" : "+", 1, 0);
		num(o, sp, 4, a / 60 * 100 + a % 60);
		break;
	}
	case 'Z':
		if (tm->tm_isdst < 0)
			break;
		s = tm->tm_zone ? tm->tm_zone : "";
		text(o, sp, s, strlen(s), sp->swap ? -1 : 0);
		break;
	case '%':
		text(o, sp, "%", 1, 0);
		break;
	}
}

static void format(struct out *o, const char *fmt, const struct tm *tm)
{
	const char *start;
	struct spec sp;
	char mod;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		start = fmt;
		sp = (struct spec){ 0, 0, 0, -1 };
		for (;;) {
			char f = *++fmt;

			if (f == '_' || f == '-' || f == '0')
				sp.pad = f;
			else if (f == '^')
				sp.upper = 1;
			else if (f == '#')
				sp.swap = 1;
			else
				break;
		}
		if (*fmt >= '0' && *fmt <= '9') {
			sp.width = 0;
			while (*fmt >= '0' && *fmt <= '9') {
				if (sp.width < 100000)
					sp.width = sp.width * 10 + (*fmt - '0');
				fmt++;
			}
		}
		mod = 0;
		if (*fmt == 'E' || *fmt == 'O')
			mod = *fmt++;
		if (*fmt && strchr("aAbBcCdDeFgGhHIjklmMnpPrRsStTuUVwWxXyYzZ%", *fmt) &&
		    (mod != 'E' || strchr("cCxXyY", *fmt)) &&
		    (mod != 'O' || strchr("deHIkKlmMSuUVwWyz", *fmt))) {
			conversion(o, &sp, *fmt, tm);
		} else {
			/* unknown: copied as it stands, padded to its width */
			if (!*fmt) {
				text(o, &sp, start, (size_t)(fmt - start), 0);
				return;
			}
			text(o, &sp, start, (size_t)(fmt - start) + 1, 0);
		}
	}
}

size_t strftime(char *s, size_t max, const char *fmt, const struct tm *tm)
{
	struct out o = { s, max, 0 };

	format(&o, fmt, tm);
	if (o.n >= max)
		return 0;
	s[o.n] = '\0';
	return o.n;
}
