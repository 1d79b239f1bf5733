/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * strace: with the kernel parameter uksyscall.strace=1 (`uniforge run
 * --strace`), every syscall that goes through the table (uk_syscall, so
 * both the native and the trapped path) is printed after it returns, as
 * one console line the runner sends to its stderr without the prefix:
 *
 *   UK-STRACE openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
 *   UK-STRACE read(3, "root:x:0:0:root:/root:/bin/sh\n"..., 4096) = 31
 *   UK-STRACE socket(2, 0x1, 0) = -1 ENOSYS
 *
 * Arguments are decoded by the registry's kinds (syscalls.toml): fds,
 * AT_FDCWD, strings and buffers (read through uk/uaccess.h: a bad pointer
 * prints as its address, never faults), open/mmap/prot flags, octal modes.
 * exit and exit_group, which do not return, are printed before the call
 * with "= ?". A line is built in a buffer and written with one
 * ukplat_cout (truncated with "..." past LINE_MAX bytes).
 *
 * With uksyscall.strace_time=1 too (a profiling aid: where a program's
 * start-up goes), each line starts with when the call was made and how
 * long it took, in microseconds of the platform clock since the boot's
 * first instruction:
 *
 *   UK-STRACE @58139+1804 mmap(NULL, 1437528, PROT_READ, ...) = 0x6040884000
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/libparam.h>
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/uaccess.h>
#include "strace.h"
#include "syscall_table.h"
#if defined(CONFIG_LIBPOSIX_MMAP)
#include <uk/mmap.h>
#endif

#define LINE_MAX 400
#define STR_MAX 32              /* bytes of a string or buffer shown */

bool uksc_strace_on;
static bool strace;
UK_LIB_PARAM(strace, bool);
/* each line with "@<us since boot>+<us in the call> " */
static bool strace_time;
UK_LIB_PARAM(strace_time, bool);

static int strace_init(void)
{
	uksc_strace_on = strace;
	return 0;
}
uk_early_initcall(strace_init);

/* What the table says about one syscall number. */
struct call {
	const char *name;
	bool typed;             /* it has a library, so the registry has its arguments */
	uint64_t sig;           /* uk_syscall_sig: kinds */
	uk_syscall_fn fn;
};

struct line {
	char buf[LINE_MAX + 4];
	size_t n;
};

static void put(struct line *l, const char *s)
{
	while (*s && l->n < LINE_MAX)
		l->buf[l->n++] = *s++;
}

static void putc_(struct line *l, char c)
{
	if (l->n < LINE_MAX)
		l->buf[l->n++] = c;
}

/* Every line starts here: the console's record separator first when the
 * program's output stopped mid-line (uk/plat.h), then "UK-STRACE ". */
static void put_prefix(struct line *l)
{
	l->n = 0;
	if (ukplat_cout_midline())
		putc_(l, UKPLAT_COUT_RS);
	put(l, "UK-STRACE ");
}

static void put_unsigned(struct line *l, unsigned long v, unsigned int base)
{
	char d[24];
	int n = 0;

	do {
		d[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		putc_(l, d[--n]);
}

static void put_signed(struct line *l, long v)
{
	if (v < 0) {
		putc_(l, '-');
		put_unsigned(l, -(unsigned long)v, 10);
	} else {
		put_unsigned(l, (unsigned long)v, 10);
	}
}

static void put_hex(struct line *l, unsigned long v)
{
	put(l, "0x");
	put_unsigned(l, v, 16);
}

/* Bytes as a C string literal, escaped; "..." after it when cut. */
static void put_quoted(struct line *l, const char *s, size_t n, bool cut)
{
	size_t i;

	putc_(l, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\n': put(l, "\\n"); break;
		case '\t': put(l, "\\t"); break;
		case '\r': put(l, "\\r"); break;
		case '"':  put(l, "\\\""); break;
		case '\\': put(l, "\\\\"); break;
		default:
			if (c >= 0x20 && c < 0x7f) {
				putc_(l, (char)c);
			} else {
				putc_(l, '\\');
				putc_(l, (char)('0' + (c >> 6)));
				putc_(l, (char)('0' + ((c >> 3) & 7)));
				putc_(l, (char)('0' + (c & 7)));
			}
		}
	}
	putc_(l, '"');
	if (cut)
		put(l, "...");
}

static void put_str_arg(struct line *l, long p)
{
	char s[STR_MAX + 1];
	long n;

	if (!p) {
		put(l, "NULL");
		return;
	}
	n = uk_strncpy_from_user(s, (const char *)p, sizeof(s));
	if (n == -EFAULT) {
		put_hex(l, (unsigned long)p);
		return;
	}
	put_quoted(l, s, n < 0 ? STR_MAX : (size_t)n, n < 0);
}

static void put_buf(struct line *l, long p, long len)
{
	char s[STR_MAX];
	size_t n = len < 0 ? 0 : UK_MIN((size_t)len, sizeof(s));

	if (!p || uk_copy_from_user(s, (const void *)p, n)) {
		put(l, p ? "" : "NULL");
		if (p)
			put_hex(l, (unsigned long)p);
		return;
	}
	put_quoted(l, s, n, (size_t)len > n);
}

/* An iovec array: [{"bytes", len}, ...], at most 4 entries and, once the
 * call has returned a count, only the bytes it moved. */
static void put_iov(struct line *l, long p, long cnt, long ret)
{
	struct { long base; long len; } v;
	long i, left = ret >= 0 ? ret : 0;

	if (cnt < 0 || uk_copy_from_user(&v, (const void *)p, sizeof(v))) {
		put_hex(l, (unsigned long)p);
		return;
	}
	putc_(l, '[');
	for (i = 0; i < cnt && i < 4; i++) {
		if (uk_copy_from_user(&v, (const char *)p + i * sizeof(v), sizeof(v))) {
			put(l, "...");
			break;
		}
		put(l, i ? ", {" : "{");
		put_buf(l, v.base, UK_MIN(v.len, left));
		left -= UK_MIN(v.len, left);
		put(l, ", ");
		put_unsigned(l, (unsigned long)v.len, 10);
		putc_(l, '}');
	}
	if (cnt > 4)
		put(l, ", ...");
	putc_(l, ']');
}

struct flag {
	unsigned long bit;
	const char *name;
};

/* Linux's values (include/uapi/asm-generic/fcntl.h; arm64 moves four). */
static const struct flag open_flags[] = {
	{ 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
	{ 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" },
	{ 020000, "O_ASYNC" },
#if defined(__aarch64__)
	{ 040000, "O_DIRECTORY" }, { 0100000, "O_NOFOLLOW" }, { 0200000, "O_DIRECT" },
	{ 0400000, "O_LARGEFILE" },
#else
	{ 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
	{ 0400000, "O_NOFOLLOW" },
#endif
	{ 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" }, { 04000000, "O_SYNC" },
	{ 010000000, "O_PATH" }, { 020000000, "O_TMPFILE" }, { 0, NULL },
};
static const struct flag prot_flags[] = {
	{ 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" }, { 0, NULL },
};
static const struct flag map_flags[] = {
	{ 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" },
	{ 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
	{ 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
	{ 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x100000, "MAP_FIXED_NOREPLACE" },
	{ 0, NULL },
};

/* first: the name of the value of the low bits, if any (O_RDONLY...). */
static void put_flags(struct line *l, unsigned long v, const struct flag *t, const char *first,
		      const char *none)
{
	bool any = false;

	if (first) {
		put(l, first);
		any = true;
	}
	for (; t->name; t++) {
		if (v & t->bit) {
			if (any)
				putc_(l, '|');
			put(l, t->name);
			v &= ~t->bit;
			any = true;
		}
	}
	if (v || !any) {
		if (any)
			putc_(l, '|');
		if (!v && none)
			put(l, none);
		else
			put_hex(l, v);
	}
}

static void put_arg(struct line *l, const struct call *e, unsigned int i,
		    const long *a, long ret)
{
	long v = a[i];

	switch (UKSC_KIND(e->sig, i)) {
	case UK_SC_D:
	case UK_SC_FD:
		put_signed(l, (int)v);
		break;
	case UK_SC_DIRFD:
		if ((int)v == -100)
			put(l, "AT_FDCWD");
		else
			put_signed(l, (int)v);
		break;
	case UK_SC_U:
		put_unsigned(l, (unsigned int)v, 10);
		break;
	case UK_SC_LD:
		put_signed(l, v);
		break;
	case UK_SC_LU:
		put_unsigned(l, (unsigned long)v, 10);
		break;
	case UK_SC_OCT:
		if ((unsigned int)v)
			putc_(l, '0');
		put_unsigned(l, (unsigned int)v, 8);
		break;
	case UK_SC_STR:
		put_str_arg(l, v);
		break;
	case UK_SC_IBUF:
		put_buf(l, v, a[UKSC_REF(e->sig, i)]);
		break;
	case UK_SC_OBUF:
		if (ret >= 0)
			put_buf(l, v, ret);
		else if (v)
			put_hex(l, (unsigned long)v);
		else
			put(l, "NULL");
		break;
	case UK_SC_IOV:
		put_iov(l, v, a[UKSC_REF(e->sig, i)], ret);
		break;
	case UK_SC_OFLAGS: {
		static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };

		put_flags(l, (unsigned long)(v & ~3L) & 0xffffffffUL, open_flags, acc[v & 3], NULL);
		break;
	}
	case UK_SC_PROT:
		put_flags(l, (unsigned long)v, prot_flags, NULL, "PROT_NONE");
		break;
	case UK_SC_MFLAGS: {
		static const char *const type[] = { "0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE" };

		put_flags(l, (unsigned long)v & ~0xfUL, map_flags, type[v & 3], NULL);
		break;
	}
	case UK_SC_PTR:
		if (!v) {
			put(l, "NULL");
			break;
		}
		/* fall through */
	case UK_SC_HEX:
	default:
		put_hex(l, (unsigned long)v);
		break;
	}
}

#define E(n) [n] = #n,
static const char *const errnames[] = {
	E(EPERM) E(ENOENT) E(ESRCH) E(EINTR) E(EIO) E(ENXIO) E(E2BIG) E(ENOEXEC) E(EBADF)
	E(ECHILD) E(EAGAIN) E(ENOMEM) E(EACCES) E(EFAULT) E(ENOTBLK) E(EBUSY) E(EEXIST)
	E(EXDEV) E(ENODEV) E(ENOTDIR) E(EISDIR) E(EINVAL) E(ENFILE) E(EMFILE) E(ENOTTY)
	E(ETXTBSY) E(EFBIG) E(ENOSPC) E(ESPIPE) E(EROFS) E(EMLINK) E(EPIPE) E(EDOM) E(ERANGE)
	E(EDEADLK) E(ENAMETOOLONG) E(ENOLCK) E(ENOSYS) E(ENOTEMPTY) E(ELOOP) E(ENOMSG)
	E(EIDRM) E(ECHRNG) E(EL2NSYNC) E(EL3HLT) E(EL3RST) E(ELNRNG) E(EUNATCH) E(ENOCSI)
	E(EL2HLT) E(EBADE) E(EBADR) E(EXFULL) E(ENOANO) E(EBADRQC) E(EBADSLT) E(EBFONT)
	E(ENOSTR) E(ENODATA) E(ETIME) E(ENOSR) E(ENONET) E(ENOPKG) E(EREMOTE) E(ENOLINK)
	E(EADV) E(ESRMNT) E(ECOMM) E(EPROTO) E(EMULTIHOP) E(EDOTDOT) E(EBADMSG) E(EOVERFLOW)
	E(ENOTUNIQ) E(EBADFD) E(EREMCHG) E(ELIBACC) E(ELIBBAD) E(ELIBSCN) E(ELIBMAX)
	E(ELIBEXEC) E(EILSEQ) E(ERESTART) E(ESTRPIPE) E(EUSERS) E(ENOTSOCK) E(EDESTADDRREQ)
	E(EMSGSIZE) E(EPROTOTYPE) E(ENOPROTOOPT) E(EPROTONOSUPPORT) E(ESOCKTNOSUPPORT)
	E(EOPNOTSUPP) E(EPFNOSUPPORT) E(EAFNOSUPPORT) E(EADDRINUSE) E(EADDRNOTAVAIL)
	E(ENETDOWN) E(ENETUNREACH) E(ENETRESET) E(ECONNABORTED) E(ECONNRESET) E(ENOBUFS)
	E(EISCONN) E(ENOTCONN) E(ESHUTDOWN) E(ETOOMANYREFS) E(ETIMEDOUT) E(ECONNREFUSED)
	E(EHOSTDOWN) E(EHOSTUNREACH) E(EALREADY) E(EINPROGRESS) E(ESTALE) E(EUCLEAN)
	E(ENOTNAM) E(ENAVAIL) E(EISNAM) E(EREMOTEIO) E(EDQUOT) E(ENOMEDIUM) E(EMEDIUMTYPE)
	E(ECANCELED) E(ENOKEY) E(EKEYEXPIRED) E(EKEYREVOKED) E(EKEYREJECTED) E(EOWNERDEAD)
	E(ENOTRECOVERABLE) E(ERFKILL) E(EHWPOISON)
};
#undef E

static void put_result(struct line *l, const struct call *e, long r)
{
	put(l, " = ");
	if (r < 0 && r >= -4095) {
		put(l, "-1 ");
		if ((unsigned long)-r < UK_ARRAY_SIZE(errnames) && errnames[-r])
			put(l, errnames[-r]);
		else
			put_signed(l, -r);
	} else if (e && e->typed && UKSC_RET(e->sig) == UK_SC_HEX) {
		put_hex(l, (unsigned long)r);
	} else {
		put_signed(l, r);
	}
}

/* Platform clock ticks as microseconds. */
static long ticks_us(uint64_t ticks)
{
	uint64_t per_us = ukplat_clock_freq() / 1000000;

	return (long)(ticks / (per_us ? per_us : 1));
}

/* t0, t1: the platform clock before and after the call (strace_time). */
static void emit(long nr, const struct call *e, const long *a, long r, bool noreturn,
		 uint64_t t0, uint64_t t1)
{
	struct line l;
	bool typed = e && e->typed;     /* the registry has its arguments */
	unsigned int i, nargs = typed ? UKSC_NARGS(e->sig) : 6;

	put_prefix(&l);
	if (strace_time) {
		putc_(&l, '@');
		put_signed(&l, ticks_us(t0 - ukplat_boot_cycles));
		putc_(&l, '+');
		put_signed(&l, ticks_us(t1 - t0));
		putc_(&l, ' ');
	}
	if (e && e->name) {
		put(&l, e->name);
	} else {
		put(&l, "syscall_");
		put_signed(&l, nr);
	}
	putc_(&l, '(');
	for (i = 0; i < nargs; i++) {
		if (i)
			put(&l, ", ");
		if (typed)
			put_arg(&l, e, i, a, r);
		else
			put_hex(&l, (unsigned long)a[i]);
	}
	putc_(&l, ')');
	if (noreturn)
		put(&l, " = ?");
	else
		put_result(&l, e, r);
	if (l.n >= LINE_MAX)
		put(&l, "...");
	l.buf[l.n++] = '\n';
	ukplat_cout(l.buf, l.n);
}

/*
 * With strace_time, at the program's exit: what demand paging cost
 * (posix-mmap's uk_mmap_stats, when it is in the image), as one more
 * line:
 *   UK-STRACE posix-mmap: faults 32 zero-filled, 41 copied on write, 0 passed on, 1711 us; 2304 file pages mapped
 */
static void emit_mmap_stats(void)
{
#if defined(CONFIG_LIBPOSIX_MMAP)
	struct uk_mmap_stats st;
	struct line l;

	uk_mmap_stats(&st);
	put_prefix(&l);
	put(&l, "posix-mmap: faults ");
	put_signed(&l, (long)st.zero_faults);
	put(&l, " zero-filled, ");
	put_signed(&l, (long)st.cow_faults);
	put(&l, " copied on write, ");
	put_signed(&l, (long)st.passed_faults);
	put(&l, " passed on, ");
	put_signed(&l, ticks_us(st.fault_ticks));
	put(&l, " us; ");
	put_signed(&l, (long)st.file_pages);
	put(&l, " file pages mapped\n");
	ukplat_cout(l.buf, l.n);
#endif
}

long uksc_strace_call(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	const long a[6] = { a0, a1, a2, a3, a4, a5 };
	struct call call, *e = NULL;
	uint64_t t0;
	long r;

	if ((unsigned long)nr < uk_syscall_table_len && uksc_name((unsigned long)nr)) {
		call.name = uksc_name((unsigned long)nr);
		call.typed = uk_syscall_lib_of[nr] != 0;
		call.sig = uk_syscall_sig[nr];
		call.fn = uk_syscall_fns[nr];
		e = &call;
	}
	t0 = strace_time ? ukplat_clock_ticks() : 0;
#if defined(UK_NR_exit)
	if (nr == UK_NR_exit || nr == UK_NR_exit_group) {
		if (strace_time)
			emit_mmap_stats();
		emit(nr, e, a, 0, true, t0, t0);
	}
#endif
	if (e && e->fn)
		r = e->fn(a0, a1, a2, a3, a4, a5);
	else
		r = uksc_enosys(nr);
	emit(nr, e, a, r, false, t0, strace_time ? ukplat_clock_ticks() : 0);
	return r;
}
