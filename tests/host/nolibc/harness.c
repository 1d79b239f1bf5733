/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Differential host test of nolibc against glibc. nolibc is compiled with
 * the guest flags and every one of its symbols renamed with an nl_ prefix
 * (objcopy --prefix-symbols), so nl_snprintf and glibc's snprintf live side
 * by side in this ordinary glibc program. The platform and ukalloc/ukboot
 * functions nolibc calls are the nl_* shims below.
 *
 *   harness GROUP      GROUP: printf strtol string ctype qsort stdlib
 *                             console headers uktest
 *
 * Prints one line per mismatch and ends with
 *   RESULT <group> checks=N failures=M
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- nolibc, as renamed ---------------------------------------------- */
extern __thread int nl_errno;
int nl_snprintf(char *, size_t, const char *, ...);
int nl_sprintf(char *, const char *, ...);
int nl_printf(const char *, ...);
int nl_fprintf(void *, const char *, ...);
int nl_asprintf(char **, const char *, ...);
int nl_puts(const char *);
int nl_putchar(int);
int nl_fputs(const char *, void *);
int nl_fputc(int, void *);
size_t nl_fwrite(const void *, size_t, size_t, void *);
void nl_perror(const char *);
long nl_write(int, const void *, size_t);
extern void *const nl_stdout, *const nl_stderr, *const nl_stdin;

long nl_strtol(const char *, char **, int);
unsigned long nl_strtoul(const char *, char **, int);
long long nl_strtoll(const char *, char **, int);
unsigned long long nl_strtoull(const char *, char **, int);
intmax_t nl_strtoimax(const char *, char **, int);
uintmax_t nl_strtoumax(const char *, char **, int);
int nl_atoi(const char *);
long nl_atol(const char *);
long long nl_atoll(const char *);

void *nl_memcpy(void *, const void *, size_t);
void *nl_memmove(void *, const void *, size_t);
void *nl_memset(void *, int, size_t);
int nl_memcmp(const void *, const void *, size_t);
void *nl_memchr(const void *, int, size_t);
void *nl_memrchr(const void *, int, size_t);
size_t nl_strlen(const char *);
size_t nl_strnlen(const char *, size_t);
char *nl_strcpy(char *, const char *);
char *nl_strncpy(char *, const char *, size_t);
char *nl_stpcpy(char *, const char *);
char *nl_strcat(char *, const char *);
char *nl_strncat(char *, const char *, size_t);
int nl_strcmp(const char *, const char *);
int nl_strncmp(const char *, const char *, size_t);
int nl_strcasecmp(const char *, const char *);
int nl_strncasecmp(const char *, const char *, size_t);
char *nl_strchr(const char *, int);
char *nl_strrchr(const char *, int);
char *nl_strstr(const char *, const char *);
size_t nl_strspn(const char *, const char *);
size_t nl_strcspn(const char *, const char *);
char *nl_strpbrk(const char *, const char *);
char *nl_strtok_r(char *, const char *, char **);
char *nl_strtok(char *, const char *);
char *nl_strsep(char **, const char *);
char *nl_strdup(const char *);
char *nl_strndup(const char *, size_t);
char *nl_strerror(int);

int nl_isalnum(int), nl_isalpha(int), nl_isascii(int), nl_isblank(int), nl_iscntrl(int);
int nl_isdigit(int), nl_isgraph(int), nl_islower(int), nl_isprint(int), nl_ispunct(int);
int nl_isspace(int), nl_isupper(int), nl_isxdigit(int), nl_tolower(int), nl_toupper(int);

void nl_qsort(void *, size_t, size_t, int (*)(const void *, const void *));
void *nl_bsearch(const void *, const void *, size_t, size_t, int (*)(const void *, const void *));
void *nl_malloc(size_t);
void *nl_calloc(size_t, size_t);
void *nl_realloc(void *, size_t);
void nl_free(void *);
int nl_posix_memalign(void **, size_t, size_t);
void *nl_aligned_alloc(size_t, size_t);
int nl_atexit(void (*)(void));
void nl_exit(int);
void nl__Exit(int);
void nl__exit(int);
void nl_abort(void);
char *nl_getenv(const char *);
extern char **nl_environ;
int nl_abs(int);
long long nl_llabs(long long);

int nl_uktest_run_all(void);

/* from guest_side.c */
void nl_assert_true(void);
void nl_assert_false(int);
extern const long long nl_limits_values[];
extern const char *const nl_pri_values[];
int *nl_errno_address(void);

/* ---- shims: what nolibc needs from the platform, ukalloc and ukboot ---- */
static char cout_buf[1 << 16];
static size_t cout_len;
static int cout_calls;
static int cout_capture;

void nl_ukplat_cout(const char *buf, size_t n)
{
	cout_calls++;
	if (!cout_capture) {
		fwrite(buf, 1, n, stdout);
		return;
	}
	if (cout_len + n <= sizeof(cout_buf)) {
		memcpy(cout_buf + cout_len, buf, n);
		cout_len += n;
	}
}

static void capture(void)
{
	fflush(stdout);
	cout_capture = 1;
	cout_len = 0;
	cout_calls = 0;
}

static int have_heap = 1;
static int the_heap;

void *nl_uk_alloc_get_default(void) { return have_heap ? &the_heap : NULL; }
void *nl_uk_malloc(void *a, size_t n) { return malloc(n); }
void *nl_uk_calloc(void *a, size_t m, size_t n) { return calloc(m, n); }
void *nl_uk_realloc(void *a, void *p, size_t n) { return realloc(p, n); }
void nl_uk_free(void *a, void *p) { free(p); }
void *nl_uk_memalign(void *a, size_t al, size_t n) { return aligned_alloc(al, (n + al - 1) / al * al); }
int nl_uk_posix_memalign(void *a, void **p, size_t al, size_t n) { return posix_memalign(p, al, n); }

/* The ways out of the guest come back here. */
static jmp_buf stop;
static char stop_reason[512];
static int stop_status;

void nl_uk_crash(const char *reason, const void *regs)
{
	snprintf(stop_reason, sizeof(stop_reason), "%s", reason);
	longjmp(stop, 1);
}

/* The order exit() runs things in: atexit handlers h1-h3 record 1-3,
 * ukboot's .fini_array runner records 9. */
static int order[40], norder;

void nl_ukboot_run_fini(void)
{
	order[norder++] = 9;
}

void nl_ukboot_shutdown(int status)
{
	stop_status = status;
	longjmp(stop, 2);
}

void nl_ukplat_halt(int status)
{
	stop_status = status;
	longjmp(stop, 3);
}

/* nolibc built without uktime (as here) has its clocks and sleeps call
 * this; test_nolibc_time.py tests them, with uktime. */
unsigned long nl_nolibc_time_needs_uktime__add_uktime_to_libraries(void)
{
	abort();
}

/* ---- checking --------------------------------------------------------- */
static long checks, failures;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
	va_list ap;

	failures++;
	if (failures > 60)
		return;
	printf("MISMATCH ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

#define CHECK(cond, ...) do { checks++; if (!(cond)) fail(__VA_ARGS__); } while (0)
static int sgn(long long v) { return (v > 0) - (v < 0); }

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* ---- printf ----------------------------------------------------------- */
/* Formats with both libraries and compares text and return value. */
#define PF(fmt, ...) do {                                                    \
	char __a[2048], __b[2048];                                           \
	int __ra = nl_snprintf(__a, sizeof(__a), fmt, __VA_ARGS__);           \
	int __rb = snprintf(__b, sizeof(__b), fmt, __VA_ARGS__);              \
	CHECK(__ra == __rb && !strcmp(__a, __b), "printf \"%s\": nolibc \"%s\" (%d) glibc \"%s\" (%d)", \
	      fmt, __a, __ra, __b, __rb);                                     \
} while (0)

/*
 * Doubles: as PF, but knows one glibc bug. With '#', %g must keep its
 * trailing zeros, but when rounding carries into a new exponent in the
 * e-style (999999.5 -> "1.00000e+06") glibc prints "1.e+06". There the
 * reference becomes glibc's own %#e with precision P-1, which C99 says %#g
 * is in that case. p < -1: no '*' argument.
 */
static void pfd(const char *fmt, int p, double v)
{
	char a[2048], b[2048], alt[64], *c;
	const char *q;
	int ra, rb;

	if (p < -1) {
		ra = nl_snprintf(a, sizeof(a), fmt, v);
		rb = snprintf(b, sizeof(b), fmt, v);
	} else {
		ra = nl_snprintf(a, sizeof(a), fmt, p, v);
		rb = snprintf(b, sizeof(b), fmt, p, v);
	}
	if ((ra != rb || strcmp(a, b)) && strchr(fmt, '#') && strpbrk(fmt, "gG") &&
	    (strstr(b, ".e") || strstr(b, ".E"))) {
		int P = 6;
		const char *dot = strchr(fmt, '.');

		if (p >= -1)
			P = p < 0 ? 6 : p;
		else if (dot)
			P = atoi(dot + 1);
		P = P ? P - 1 : 0;
		for (q = fmt, c = alt; *q; q++) {
			if (*q == '.') {                /* drop ".N" and ".*" */
				if (*++q == '*')
					continue;
				while (*q >= '0' && *q <= '9')
					q++;
				q--;
			} else if (*q == 'g' || *q == 'G') {
				*c++ = '.';
				*c++ = '*';
				*c++ = *q == 'g' ? 'e' : 'E';
			} else {
				*c++ = *q;
			}
		}
		*c = 0;
		rb = snprintf(b, sizeof(b), alt, P, v);
	}
	CHECK(ra == rb && !strcmp(a, b), "printf \"%s\" (%d, %.17g): nolibc \"%s\" (%d) glibc \"%s\" (%d)",
	      fmt, p, v, a, ra, b, rb);
}

static const char *const flagsets[] = { "", "-", "0", "+", " ", "#", "-+", "0+", "0 ", "#0", "-#", "+ ", "-0" };
static const char *const widths[] = { "", "1", "6", "25" };
static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".22" };

static void test_printf(void)
{
	char f[64];
	size_t fi, wi, pi, vi, ci, li;

	/* int conversions: every flag/width/precision combination */
	static const int ivals[] = { 0, 1, -1, 7, 42, -42, 255, 1000000, INT_MIN, INT_MAX, 0x7fff, -0x8000 };
	for (fi = 0; fi < sizeof(flagsets) / sizeof(*flagsets); fi++)
		for (wi = 0; wi < 4; wi++)
			for (pi = 0; pi < 6; pi++)
				for (ci = 0; ci < 6; ci++) {
					snprintf(f, sizeof(f), "[%%%s%s%s%c]", flagsets[fi], widths[wi], precs[pi], "diuxXo"[ci]);
					for (vi = 0; vi < sizeof(ivals) / sizeof(*ivals); vi++)
						PF(f, ivals[vi]);
				}

	/* length modifiers */
	static const long long llvals[] = { 0, 1, -1, 127, -128, 255, 32767, -32768, 65535, INT_MIN, UINT_MAX,
					    1LL << 40, -(1LL << 40), LLONG_MIN, LLONG_MAX, (long long)0xdeadbeefcafeULL };
	static const char *const lens[] = { "hh", "h", "l", "ll", "j", "z", "t", "q", "L" };
	static const char *const fl2[] = { "", "#", "-10", "020", "+.3", "#.15" };
	for (li = 0; li < 9; li++)
		for (fi = 0; fi < 6; fi++)
			for (ci = 0; ci < 6; ci++) {
				snprintf(f, sizeof(f), "%%%s%s%c", fl2[fi], lens[li], "diuxXo"[ci]);
				for (vi = 0; vi < sizeof(llvals) / sizeof(*llvals); vi++) {
					long long v = llvals[vi];

					if (li < 2)
						PF(f, (int)v);      /* promoted */
					else
						PF(f, v);
				}
			}
	PF("%llu %llx %llo", ULLONG_MAX, ULLONG_MAX, ULLONG_MAX);
	PF("%lld %lli", LLONG_MIN, LLONG_MIN);

	/* strings, characters, pointers, %% */
	static const char *const svals[] = { "", "a", "hello", "hello, world", NULL };
	for (fi = 0; fi < 3; fi++)
		for (wi = 0; wi < 4; wi++)
			for (pi = 0; pi < 6; pi++) {
				snprintf(f, sizeof(f), "[%%%s%s%ss]", flagsets[fi * 1], widths[wi], precs[pi]);
				for (vi = 0; vi < 5; vi++)
					if (svals[vi] || pi == 0 || pi >= 4 || pi == 1)
						PF(f, svals[vi]);
				snprintf(f, sizeof(f), "[%%%s%sc]", flagsets[fi * 1], widths[wi]);
				PF(f, 'x');
				PF(f, 0xff);
				snprintf(f, sizeof(f), "[%%%s%sp]", fi == 2 ? "" : flagsets[fi], widths[wi]);
				PF(f, (void *)0);
				PF(f, (void *)0x1234);
				PF(f, (void *)~0UL);
				PF(f, (void *)f);
			}
	PF("%%|%5%|%-5%|%s", "x");
	PF("[%*d][%-*d][%*d][%.*d][%.*d][%*.*d]", 5, 1, 5, 2, -5, 3, 4, 4, -4, 5, 8, 3, 6);
	PF("[%.*s][%.*s][%*s]", 2, "abcdef", -1, "abc", -4, "ab");
	PF("%s %d %c %x %s", "mixed", -3, 'q', 0xabc, "end");
	PF("no conversions at all %s", "");
	PF("%y %k%d", 1);
	PF("%-010d|%0-10d|%+ 5d|% +5d", 1, 2, 3, 4);

	/* floating point */
	static const double dvals[] = {
		0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 3.5, -0.5, 0.125, 0.375, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3,
		3.14159265358979, 2.718281828459045, 9.9999995, 9.5, 99.5, 0.05, 0.15, 0.25, 0.35, 1.005,
		1e-5, 1.234e-5, 1e-4, 0.00012345, 1e5, 1e6, 123456.789, 999999.5, 9999999.0, 1e15, 1e16,
		1e17, 1e21, 1e22, 1e23, 1e100, 1e300, -1e300, 1e-300, 1e-310, 4.9406564584124654e-324,
		DBL_MAX, DBL_MIN, DBL_EPSILON, 0.999999, 0.9999999, 5e-7, 5e-5, 65536.0, 4294967296.0,
		18446744073709551616.0, 1.0 / 0.0, -1.0 / 0.0, __builtin_nan(""), -__builtin_nan(""),
	};
	static const char *const fprecs[] = { "", ".0", ".1", ".2", ".3", ".6", ".10", ".17", ".30" };
	static const char *const fflags[] = { "", "-", "0", "+", " ", "#", "#0", "-+", "+0", "#-" };
	static const char *const fwidths[] = { "", "3", "12", "40" };
	for (fi = 0; fi < 10; fi++)
		for (wi = 0; wi < 4; wi++)
			for (pi = 0; pi < 9; pi++)
				for (ci = 0; ci < 6; ci++) {
					snprintf(f, sizeof(f), "[%%%s%s%s%c]", fflags[fi], fwidths[wi], fprecs[pi], "feEgGF"[ci]);
					for (vi = 0; vi < sizeof(dvals) / sizeof(*dvals); vi++) {
						double a = fabs(dvals[vi]);

						/* ~100 us each (all ~760 digits): fewer layouts */
						if ((a < 1e-200 || (a > 1e200 && a <= DBL_MAX)) && (wi || fi > 1))
							continue;
						pfd(f, -2, dvals[vi]);
					}
				}
	PF("%.500f", 4.9406564584124654e-324);
	PF("%.400e", 4.9406564584124654e-324);
	PF("%f", DBL_MAX);
	PF("%.60g", 0.1);
	PF("%Lf %Le %Lg", 1.5L, -2.25e10L, 1e-20L);
	/* random doubles: every bit pattern class, checked to all digits */
	for (vi = 0; vi < 3000; vi++) {
		union { uint64_t i; double d; } u = { rnd() };
		int p = rnd() % 25;

		if (vi % 3 == 0)      /* also moderate magnitudes */
			u.d = (double)(int64_t)rnd() / (double)(1ULL << (rnd() % 64));
		pfd("%.17g", -2, u.d);
		pfd("%.*e", p, u.d);
		pfd("%.*g", p, u.d);
		pfd("%#.*g", p, u.d);
		if (fabs(u.d) < 1e30)
			pfd("%.*f", p, u.d);
	}

	/* truncation: every buffer size */
	char a[64], b[64];
	const char *txt = "%s|%d|%x";
	for (vi = 0; vi <= 24; vi++) {
		memset(a, 'Z', sizeof(a));
		memset(b, 'Z', sizeof(b));
		int ra = nl_snprintf(a, vi, txt, "abcdef", -12345, 0xbeef);
		int rb = snprintf(b, vi, txt, "abcdef", -12345, 0xbeef);
		CHECK(ra == rb && !memcmp(a, b, sizeof(a)), "snprintf size %zu: %d vs %d", vi, ra, rb);
	}
	CHECK(nl_snprintf(NULL, 0, "%d", 123456) == 6, "snprintf(NULL, 0)");
	CHECK(nl_sprintf(a, "%05.1f|%s", 2.25, "ok") == 8 && !strcmp(a, "002.2|ok"), "sprintf: %s", a);
	char *as = NULL;
	CHECK(nl_asprintf(&as, "%s-%03d", "id", 7) == 6 && as && !strcmp(as, "id-007"), "asprintf");
	free(as);
}

/* ---- strtol ----------------------------------------------------------- */
static void test_strtol(void)
{
	static const char *const in[] = {
		"", " ", "0", "-0", "+0", "00", "0x", "0X", "0x1f", "0X1F", "0x1g", "-0x10", "+0x", " 0x 1",
		"  \t\n\v\f\r42", "42abc", "-42", "+-1", "-+1", "-", "+", "--1", "1 2",
		"7fffffff", "80000000", "ffffffff", "100000000",
		"2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
		"9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
		"18446744073709551615", "18446744073709551616", "-18446744073709551615", "-18446744073709551616",
		"99999999999999999999999999999", "-99999999999999999999999999999", "000000000000000000000000001",
		"0777", "0778", "08", "0x7fffffffffffffff", "0x8000000000000000", "-0x8000000000000000",
		"0xffffffffffffffff", "0x10000000000000000", "z", "Z", "zz", "ZZZZZZZZZZZZZ", "zzzzzzzzzzzzzz",
		"1010", "-1010", "11111111111111111111111111111111111111111111111111111111111111111",
		"1y", "\x80" "1", "1\x80", "١",
	};
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 3, 7, 35 };
	char rs[40];
	size_t i, b, k;

	for (k = 0; k < sizeof(in) / sizeof(*in) + 400; k++) {
		const char *s = k < sizeof(in) / sizeof(*in) ? in[k] : rs;

		if (s == rs) {              /* random: sign, prefix, digits */
			int n = 0, len = rnd() % 30;

			if (rnd() % 3 == 0)
				rs[n++] = "+- "[rnd() % 3];
			if (rnd() % 4 == 0)
				rs[n++] = '0', rs[n++] = "xX"[rnd() % 2];
			while (len--)
				rs[n++] = "0123456789abcdefxyzABCXYZ"[rnd() % (rnd() % 2 ? 10 : 25)];
			rs[n] = 0;
		}
		for (b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
			int base = bases[b];
			char *ea, *eb;
			long long va, vb;
			unsigned long long ua, ub;
			int era, erb;

#define CMP_SIGNED(fn) do {                                                   \
	nl_errno = 0; errno = 0;                                              \
	va = nl_##fn(s, &ea, base); era = nl_errno;                           \
	vb = fn(s, &eb, base); erb = errno;                                   \
	CHECK(va == vb && era == erb && ea - s == eb - s,                     \
	      #fn "(\"%s\", %d): nolibc %lld errno %d end +%td, glibc %lld errno %d end +%td", \
	      s, base, va, era, ea - s, vb, erb, eb - s);                     \
} while (0)
#define CMP_UNSIGNED(fn) do {                                                 \
	nl_errno = 0; errno = 0;                                              \
	ua = nl_##fn(s, &ea, base); era = nl_errno;                           \
	ub = fn(s, &eb, base); erb = errno;                                   \
	CHECK(ua == ub && era == erb && ea - s == eb - s,                     \
	      #fn "(\"%s\", %d): nolibc %llu errno %d end +%td, glibc %llu errno %d end +%td", \
	      s, base, ua, era, ea - s, ub, erb, eb - s);                     \
} while (0)
			CMP_SIGNED(strtol);
			CMP_SIGNED(strtoll);
			CMP_SIGNED(strtoimax);
			CMP_UNSIGNED(strtoul);
			CMP_UNSIGNED(strtoull);
			CMP_UNSIGNED(strtoumax);
		}
		CHECK(nl_atol(s) == atol(s), "atol(\"%s\")", s);
		CHECK(nl_atoll(s) == atoll(s), "atoll(\"%s\")", s);
		if (labs(strtol(s, NULL, 10)) < INT_MAX)
			CHECK(nl_atoi(s) == atoi(s), "atoi(\"%s\")", s);
	}
	/* NULL endptr, invalid bases */
	CHECK(nl_strtol("123", NULL, 10) == 123, "NULL endptr");
	for (i = 0; i < 3; i++) {
		static const int bad[] = { 1, 37, -1 };

		nl_errno = 0;
		CHECK(nl_strtol("10", NULL, bad[i]) == 0 && nl_errno == EINVAL, "base %d", bad[i]);
	}
}

/* ---- string functions ------------------------------------------------- */
static void rand_str(char *s, size_t max, const char *alpha)
{
	size_t n = rnd() % max, i;

	for (i = 0; i < n; i++)
		s[i] = alpha[rnd() % strlen(alpha)];
	s[n] = 0;
}

static void test_string(void)
{
	static const char *const alphas[] = { "ab", "abc", "aAbB\x80\xff", "abcdefghij " };
	char s1[80], s2[80], s3[80];
	unsigned char x[300], y[300], z[300];
	int k;

	for (k = 0; k < 20000; k++) {
		const char *al = alphas[k % 4];
		size_t n = rnd() % 40;
		int c = (unsigned char)al[rnd() % strlen(al)];
		char *sa, *sb, *pa, *pb;

		rand_str(s1, 40, al);
		rand_str(s2, k % 7 ? 6 : 40, al);
		if (k % 5 == 0)
			strcpy(s2, s1);
		if (k % 11 == 0 && strlen(s1) > 3)
			memcpy(s2, s1 + 1, 2), s2[2] = 0;

		CHECK(nl_strlen(s1) == strlen(s1), "strlen");
		CHECK(nl_strnlen(s1, n) == strnlen(s1, n), "strnlen");
		CHECK(sgn(nl_strcmp(s1, s2)) == sgn(strcmp(s1, s2)), "strcmp \"%s\" \"%s\"", s1, s2);
		CHECK(sgn(nl_strncmp(s1, s2, n)) == sgn(strncmp(s1, s2, n)), "strncmp \"%s\" \"%s\" %zu", s1, s2, n);
		CHECK(sgn(nl_strcasecmp(s1, s2)) == sgn(strcasecmp(s1, s2)), "strcasecmp \"%s\" \"%s\"", s1, s2);
		CHECK(sgn(nl_strncasecmp(s1, s2, n)) == sgn(strncasecmp(s1, s2, n)), "strncasecmp");
		CHECK(sgn(nl_memcmp(s1, s2, n < 6 ? n : 6)) == sgn(memcmp(s1, s2, n < 6 ? n : 6)), "memcmp");
		CHECK(nl_strchr(s1, c) == strchr(s1, c), "strchr \"%s\" %c", s1, c);
		CHECK(nl_strchr(s1, 0) == strchr(s1, 0), "strchr NUL");
		CHECK(nl_strrchr(s1, c) == strrchr(s1, c), "strrchr \"%s\" %c", s1, c);
		CHECK(nl_memchr(s1, c, n) == memchr(s1, c, n), "memchr");
		CHECK(nl_memrchr(s1, c, n) == memrchr(s1, c, n), "memrchr");
		CHECK(nl_strstr(s1, s2) == strstr(s1, s2), "strstr \"%s\" \"%s\"", s1, s2);
		CHECK(nl_strspn(s1, s2) == strspn(s1, s2), "strspn \"%s\" \"%s\"", s1, s2);
		CHECK(nl_strcspn(s1, s2) == strcspn(s1, s2), "strcspn \"%s\" \"%s\"", s1, s2);
		CHECK(nl_strpbrk(s1, s2) == strpbrk(s1, s2), "strpbrk \"%s\" \"%s\"", s1, s2);

		/* copies: compare whole buffers, canary bytes included */
		memset(s3, 'Q', sizeof(s3));
		memset(x, 'Q', sizeof(s3));
		strcpy((char *)x, s2);
		nl_strcpy(s3, s2);
		CHECK(!memcmp(s3, x, sizeof(s3)), "strcpy");
		CHECK(nl_stpcpy(s3, s2) == s3 + strlen(s2), "stpcpy");
		nl_strcat(s3, s1);
		strcat((char *)x, s1);
		CHECK(!memcmp(s3, x, sizeof(s3)), "strcat");
		memset(s3, 'Q', sizeof(s3));
		memset(x, 'Q', sizeof(s3));
		nl_strncpy(s3, s1, n);
		strncpy((char *)x, s1, n);
		CHECK(!memcmp(s3, x, sizeof(s3)), "strncpy %zu", n);
		strcpy(s3, s2);
		strcpy((char *)x, s2);
		nl_strncat(s3, s1, n);
		strncat((char *)x, s1, n);
		CHECK(!memcmp(s3, x, sizeof(s3)), "strncat");

		/* tokenisers */
		strcpy(s3, s1);
		strcpy((char *)x, s1);
		const char *delim = k % 3 ? " a" : "b";
		for (sa = nl_strtok_r(s3, delim, &pa), sb = strtok_r((char *)x, delim, &pb);;
		     sa = nl_strtok_r(NULL, delim, &pa), sb = strtok_r(NULL, delim, &pb)) {
			CHECK((!sa && !sb) || (sa && sb && sa - s3 == sb - (char *)x && !strcmp(sa, sb)),
			      "strtok_r \"%s\"", s1);
			if (!sa || !sb)
				break;
		}
		strcpy(s3, s1);
		strcpy((char *)x, s1);
		pa = s3;
		pb = (char *)x;
		for (;;) {
			sa = nl_strsep(&pa, delim);
			sb = strsep(&pb, delim);
			CHECK((!sa && !sb) || (sa && sb && sa - s3 == sb - (char *)x && !strcmp(sa, sb)),
			      "strsep \"%s\"", s1);
			if (!sa || !sb)
				break;
		}
		sa = nl_strdup(s1);
		CHECK(sa && !strcmp(sa, s1), "strdup");
		free(sa);
		sa = nl_strndup(s1, n);
		sb = strndup(s1, n);
		CHECK(sa && !strcmp(sa, sb), "strndup");
		free(sa);
		free(sb);

		/* memcpy/memmove/memset over random offsets and lengths */
		size_t len = rnd() % 130, so = rnd() % 130, dof = rnd() % 130;
		int v = (int)rnd();
		for (size_t i = 0; i < sizeof(x); i++)
			x[i] = y[i] = (unsigned char)rnd();
		memcpy(z, x, sizeof(z));
		memmove(y + dof, y + so, len);
		CHECK(nl_memmove(x + dof, x + so, len) == x + dof && !memcmp(x, y, sizeof(x)),
		      "memmove %zu<-%zu %zu", dof, so, len);
		memcpy(x, z, sizeof(x));
		memcpy(y, z, sizeof(y));
		nl_memcpy(x + dof, z + so, len);
		memcpy(y + dof, z + so, len);
		CHECK(!memcmp(x, y, sizeof(x)), "memcpy %zu<-%zu %zu", dof, so, len);
		CHECK(nl_memset(x + so, v, len) == x + so, "memset ret");
		memset(y + so, v, len);
		CHECK(!memcmp(x, y, sizeof(x)), "memset %zu %zu", so, len);
	}
	/* strtok keeps its own state */
	strcpy(s1, "a b  c");
	CHECK(!strcmp(nl_strtok(s1, " "), "a") && !strcmp(nl_strtok(NULL, " "), "b") &&
	      !strcmp(nl_strtok(NULL, " "), "c") && !nl_strtok(NULL, " "), "strtok");
	/* strerror: known numbers have a message, unknown ones one fallback */
	for (k = -2; k < 140; k++) {
		const char *m = nl_strerror(k);
		CHECK(m && *m, "strerror(%d)", k);
	}
	CHECK(!strcmp(nl_strerror(ENOENT), strerror(ENOENT)), "strerror(ENOENT)");
	CHECK(!strcmp(nl_strerror(EINVAL), strerror(EINVAL)), "strerror(EINVAL)");
	CHECK(!strcmp(nl_strerror(ERANGE), "Result out of range"), "strerror(ERANGE)");
}

/* ---- ctype ------------------------------------------------------------ */
static void test_ctype(void)
{
	int c;

#define CT(fn) CHECK(!!nl_##fn(c) == !!fn(c), #fn "(%d): %d vs %d", c, nl_##fn(c), fn(c))
	for (c = -1; c < 256; c++) {
		CT(isalnum); CT(isalpha); CT(isascii); CT(isblank); CT(iscntrl); CT(isdigit);
		CT(isgraph); CT(islower); CT(isprint); CT(ispunct); CT(isspace); CT(isupper);
		CT(isxdigit);
		CHECK(nl_tolower(c) == tolower(c), "tolower(%d)", c);
		CHECK(nl_toupper(c) == toupper(c), "toupper(%d)", c);
	}
}

/* ---- qsort, bsearch --------------------------------------------------- */
static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

struct rec12 { int key; char pad[8]; };
struct rec5 { unsigned char b[5]; };
static int cmp_rec12(const void *a, const void *b) { return cmp_int(a, b); }
static int cmp_rec5(const void *a, const void *b) { return memcmp(a, b, 5); }

static void test_qsort(void)
{
	static int a[2000], b[2000];
	static struct rec12 r1[300], r2[300];
	static struct rec5 q1[300], q2[300];
	int k, i;

	for (k = 0; k < 300; k++) {
		int n = k < 10 ? k : (int)(rnd() % 2000), mod = k % 3 ? 1000000 : 5;

		for (i = 0; i < n; i++) {
			a[i] = b[i] = k % 7 == 1 ? i : k % 7 == 2 ? n - i : (int)(rnd() % mod);
		}
		nl_qsort(a, n, sizeof(int), cmp_int);
		qsort(b, n, sizeof(int), cmp_int);
		CHECK(!memcmp(a, b, n * sizeof(int)), "qsort int n=%d", n);
		for (i = 0; i < 20 && n; i++) {
			int key = i % 2 ? b[rnd() % n] : (int)(rnd() % mod);
			int *fa = nl_bsearch(&key, a, n, sizeof(int), cmp_int);
			int *fb = bsearch(&key, b, n, sizeof(int), cmp_int);
			CHECK(!fa == !fb && (!fa || *fa == key), "bsearch %d", key);
		}
		/* unique keys, so the order is fully determined */
		n = rnd() % 300;
		for (i = 0; i < n; i++) {
			r1[i].key = i * 7919 % 300;
			memset(r1[i].pad, i, 8);
			q1[i].b[0] = rnd();
			q1[i].b[1] = i;
			q1[i].b[2] = i >> 8;
			q1[i].b[3] = rnd();
			q1[i].b[4] = rnd();
		}
		memcpy(r2, r1, sizeof(r1));
		memcpy(q2, q1, sizeof(q1));
		nl_qsort(r1, n, sizeof(r1[0]), cmp_rec12);
		qsort(r2, n, sizeof(r2[0]), cmp_rec12);
		CHECK(!memcmp(r1, r2, n * sizeof(r1[0])), "qsort rec12 n=%d", n);
		nl_qsort(q1, n, 5, cmp_rec5);
		qsort(q2, n, 5, cmp_rec5);
		CHECK(!memcmp(q1, q2, n * 5), "qsort rec5 n=%d", n);
	}
}

/* ---- stdlib: allocation, exit paths, assert --------------------------- */
static void h1(void) { order[norder++] = 1; }
static void h2(void) { order[norder++] = 2; }
static void h3(void) { order[norder++] = 3; }

static void test_stdlib(void)
{
	void *p;
	int r, i;

	/* with a heap */
	p = nl_malloc(33);
	CHECK(p && (uintptr_t)p % 16 == 0, "malloc");
	p = nl_realloc(p, 1000);
	CHECK(p != NULL, "realloc");
	CHECK(nl_realloc(p, 0) == NULL, "realloc(p, 0) frees");
	p = nl_realloc(NULL, 10);
	CHECK(p != NULL, "realloc(NULL)");
	nl_free(p);
	p = nl_calloc(10, 10);
	CHECK(p && !memcmp(p, calloc(1, 100), 100), "calloc");
	nl_free(p);
	nl_errno = 0;
	CHECK(!nl_calloc(SIZE_MAX / 4, 8) && nl_errno == ENOMEM, "calloc overflow");
	CHECK(nl_posix_memalign(&p, 4096, 5) == 0 && (uintptr_t)p % 4096 == 0, "posix_memalign");
	nl_free(p);
	CHECK(nl_posix_memalign(&p, 3, 5) == EINVAL, "posix_memalign(3)");
	CHECK(nl_posix_memalign(&p, 4, 5) == EINVAL, "posix_memalign(4)");
	p = nl_aligned_alloc(512, 1024);
	CHECK(p && (uintptr_t)p % 512 == 0, "aligned_alloc");
	nl_free(p);
	nl_errno = 0;
	CHECK(!nl_aligned_alloc(48, 96) && nl_errno == EINVAL, "aligned_alloc(48)");

	/* without a default allocator */
	have_heap = 0;
	nl_errno = 0;
	CHECK(!nl_malloc(1) && nl_errno == ENOMEM, "malloc without heap");
	nl_errno = 0;
	CHECK(!nl_calloc(1, 1) && nl_errno == ENOMEM, "calloc without heap");
	nl_errno = 0;
	CHECK(!nl_realloc(NULL, 1) && nl_errno == ENOMEM, "realloc without heap");
	CHECK(nl_posix_memalign(&p, 64, 1) == ENOMEM, "posix_memalign without heap");
	CHECK(!nl_strdup("x"), "strdup without heap");
	nl_free(NULL);
	have_heap = 1;

	/* exit: atexit handlers last-first, .fini_array, then ukboot_shutdown(status) */
	nl_atexit(h1);
	nl_atexit(h2);
	nl_atexit(h3);
	if (!(r = setjmp(stop)))
		nl_exit(7);
	CHECK(r == 2 && stop_status == 7, "exit -> ukboot_shutdown: %d %d", r, stop_status);
	CHECK(norder == 4 && order[0] == 3 && order[1] == 2 && order[2] == 1 && order[3] == 9,
	      "atexit order, then .fini_array");
	for (i = 0; i < 32; i++)
		CHECK(nl_atexit(h1) == 0, "atexit %d", i);
	CHECK(nl_atexit(h1) != 0, "atexit 33rd");
	norder = 0;
	if (!(r = setjmp(stop)))
		nl_exit(1);
	CHECK(norder == 33, "32 handlers and the .fini_array ran: %d", norder);
	if (!(r = setjmp(stop)))
		nl__Exit(300);
	CHECK(r == 3 && stop_status == 300 % 256, "_Exit -> ukplat_halt: %d %d", r, stop_status);
	if (!(r = setjmp(stop)))
		nl__exit(3);
	CHECK(r == 3 && stop_status == 3, "_exit");
	if (!(r = setjmp(stop)))
		nl_abort();
	CHECK(r == 1 && !strcmp(stop_reason, "abort() called"), "abort: %d %s", r, stop_reason);
	if (!(r = setjmp(stop)))
		nl_assert_true();
	CHECK(r == 0, "assert(true)");
	if (!(r = setjmp(stop)))
		nl_assert_false(4);
	CHECK(r == 1 && strstr(stop_reason, "assertion failed: x == 3") &&
	      strstr(stop_reason, "guest_side.c:") && strstr(stop_reason, "assert_false"),
	      "assert: %s", stop_reason);
	CHECK(nl_getenv("HOME") == NULL, "getenv: empty environment");
	{
		static char *env[] = { "HOME=/h", "HOMER=x", "E=", NULL };
		char **saved = nl_environ;

		nl_environ = env;
		CHECK(!strcmp(nl_getenv("HOME"), "/h") && !strcmp(nl_getenv("E"), "") &&
		      !nl_getenv("HOM") && !nl_getenv("HOME=/h") && !nl_getenv(""), "getenv");
		nl_environ = saved;
	}
	CHECK(nl_abs(INT_MIN + 1) == INT_MAX && nl_llabs(-5) == 5, "abs");
}

/* ---- console: stdout/stderr through ukplat_cout ------------------------ */
static void test_console(void)
{
	char big[1000];
	int r;

	capture();
	r = nl_printf("hello %s %d\n", "world", 42);
	CHECK(r == 15 && cout_calls == 1 && cout_len == 15 && !memcmp(cout_buf, "hello world 42\n", 15),
	      "printf: one console write (%d calls)", cout_calls);
	capture();
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	r = nl_printf("<%s>", big);
	CHECK(r == 1001 && cout_len == 1001 && cout_buf[0] == '<' && cout_buf[1000] == '>' && cout_calls <= 5,
	      "long printf: %d bytes in %d calls", (int)cout_len, cout_calls);
	capture();
	r = nl_printf("no newline");
	CHECK(cout_calls == 1 && cout_len == 10, "printf without newline is flushed");
	capture();
	nl_fprintf(nl_stderr, "e%d", 1);
	nl_fprintf(nl_stdout, "o%d", 2);
	CHECK(cout_len == 4 && !memcmp(cout_buf, "e1o2", 4), "fprintf stdout/stderr");
	nl_errno = 0;
	CHECK(nl_fprintf(nl_stdin, "x") < 0 && nl_errno == EBADF, "fprintf(stdin)");
	capture();
	CHECK(nl_puts("line") >= 0 && cout_calls == 1 && cout_len == 5 && !memcmp(cout_buf, "line\n", 5), "puts");
	capture();
	CHECK(nl_putchar('A') == 'A' && nl_fputc('B', nl_stderr) == 'B' && nl_fputs("CD", nl_stdout) >= 0 &&
	      nl_fwrite("EFG", 1, 3, nl_stdout) == 3 && nl_fwrite("HI", 2, 1, nl_stderr) == 1,
	      "putchar/fputc/fputs/fwrite");
	CHECK(cout_len == 9 && !memcmp(cout_buf, "ABCDEFGHI", 9), "character output: %.*s", (int)cout_len, cout_buf);
	CHECK(nl_fputc('x', nl_stdin) == EOF && nl_fputs("x", nl_stdin) == EOF &&
	      nl_fwrite("x", 1, 1, nl_stdin) == 0, "writes to stdin fail");
	capture();
	CHECK(nl_write(1, "wr", 2) == 2 && nl_write(2, "it", 2) == 2, "write(1/2)");
	nl_errno = 0;
	CHECK(nl_write(3, "x", 1) == -1 && nl_errno == EBADF, "write(3)");
	CHECK(cout_len == 4 && !memcmp(cout_buf, "writ", 4), "write output");
	capture();
	nl_errno = ENOMEM;
	nl_perror("alloc");
	cout_buf[cout_len] = 0;
	CHECK(!strcmp(cout_buf, "alloc: Out of memory\n"), "perror: %s", cout_buf);
	cout_capture = 0;
}

/* ---- headers: limits, inttypes, errno ---------------------------------- */
static void test_headers(void)
{
	static const long long host[] = {
		CHAR_BIT, SCHAR_MIN, SCHAR_MAX, UCHAR_MAX, CHAR_MIN, CHAR_MAX,
		SHRT_MIN, SHRT_MAX, USHRT_MAX, INT_MIN, INT_MAX, UINT_MAX,
		LONG_MIN, LONG_MAX, (long long)ULONG_MAX, LLONG_MIN, LLONG_MAX, (long long)ULLONG_MAX,
		SSIZE_MAX, PATH_MAX,
		sizeof(INT_MAX), sizeof(UINT_MAX), sizeof(LONG_MAX), sizeof(ULONG_MAX),
		sizeof(LLONG_MAX), sizeof(ULLONG_MAX),
	};
	static const char *const hpri[] = {
		PRId8, PRId16, PRId32, PRId64, PRIi64, PRIu8, PRIu16, PRIu32, PRIu64,
		PRIx8, PRIx16, PRIx32, PRIx64, PRIX64, PRIo64,
		PRIdLEAST8, PRIdLEAST16, PRIdLEAST32, PRIdLEAST64,
		PRIdFAST8, PRIdFAST16, PRIdFAST32, PRIdFAST64, PRIuFAST16, PRIxFAST32,
		PRIdMAX, PRIuMAX, PRIxMAX, PRIdPTR, PRIuPTR, PRIxPTR, NULL,
	};
	size_t i;

	for (i = 0; i < sizeof(host) / sizeof(*host); i++)
		CHECK(nl_limits_values[i] == host[i], "limits #%zu: %lld vs %lld", i, nl_limits_values[i], host[i]);
	for (i = 0; hpri[i]; i++)
		CHECK(nl_pri_values[i] && !strcmp(nl_pri_values[i], hpri[i]), "PRI #%zu: %s vs %s", i,
		      nl_pri_values[i], hpri[i]);
	CHECK(nl_errno_address() == &nl_errno, "errno");
}

int main(int argc, char **argv)
{
	const char *g = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(g, "printf"))
		test_printf();
	else if (!strcmp(g, "strtol"))
		test_strtol();
	else if (!strcmp(g, "string"))
		test_string();
	else if (!strcmp(g, "ctype"))
		test_ctype();
	else if (!strcmp(g, "qsort"))
		test_qsort();
	else if (!strcmp(g, "stdlib"))
		test_stdlib();
	else if (!strcmp(g, "console"))
		test_console();
	else if (!strcmp(g, "headers"))
		test_headers();
	else if (!strcmp(g, "uktest")) {
		int r;

		fflush(stdout);
		if (!(r = setjmp(stop)))
			failures = nl_uktest_run_all();
		else
			fail("uktest suite stopped the guest (%d): %s", r, stop_reason);
		checks = 1;
	} else {
		fprintf(stderr, "unknown group '%s'\n", g);
		return 2;
	}
	fflush(stdout);
	printf("RESULT %s checks=%ld failures=%ld\n", g, checks, failures);
	return failures != 0;
}
