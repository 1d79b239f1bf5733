/* SPDX-License-Identifier: BSD-3-Clause */
/* The POSIX suite's harness: how a case is declared, how it checks and
 * fails, and the scratch paths it works in. The runner is harness.c; the
 * cases are the other files of this folder, one topic each. The same
 * sources build against musl for the host (Debian's musl-gcc) and for the
 * guest (`libraries: [musl]`); tests/boot/test_posix.py compares the two.
 *
 * A case is a `static void name(void)` listed with PT_CASE(name) in its
 * file's table; it stops at its first failed check, which records the
 * file, the line, the expression and errno. Cases may only compare what
 * Linux and the unikernel must agree on: results and errno values, never
 * pids, times or inode numbers. */
#ifndef PT_H
#define PT_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>

struct pt_case {
	const char *name;
	void (*fn)(void);
};

#define PT_CASE(fn) { #fn, fn }
#define PT_END { 0, 0 }

/* Records the first failure of the running case (later ones are ignored). */
void pt_fail(const char *file, int line, const char *what, int err);
/* Non-zero once the running case has failed. */
int pt_failed(void);

/* Fails the case and returns from it when `cond` is false. */
#define PT_CHECK(cond) do { \
		if (!(cond)) { pt_fail(__FILE__, __LINE__, #cond, errno); return; } \
	} while (0)
/* `expr` must fail with -1 (or MAP_FAILED) and errno == `e`. */
#define PT_ERRNO(expr, e) do { \
		errno = 0; \
		long pt_r_ = (long)(expr); \
		if (pt_r_ != -1 || errno != (e)) { \
			pt_fail(__FILE__, __LINE__, #expr " == -1 && errno == " #e, errno); return; \
		} \
	} while (0)
/* `expr` must succeed (not -1). */
#define PT_OK(expr) do { \
		errno = 0; \
		if ((long)(expr) == -1) { pt_fail(__FILE__, __LINE__, #expr " != -1", errno); return; } \
	} while (0)

/* The running case's own empty scratch directory (made by the harness
 * before the case runs, inside the base directory given on the command
 * line). */
const char *pt_dir(void);
/* pt_dir()/rel, in one of 8 rotating static buffers. */
const char *pt_path(const char *rel);

/* Writes all of `s` to `fd` and fills files: 0 or -1 (errno). */
int pt_write_all(int fd, const void *s, size_t n);
/* A new file at `rel` in the case's directory holding `s`: 0 or -1. */
int pt_make_file(const char *rel, const char *s);

/* An address that is not mapped (a page mapped and unmapped again). */
void *pt_unmapped(void);

/* Runs fn(arg) and reports whether it raised SIGSEGV (1) or not (0);
 * -1 if the handler could not be installed. On a fault, `*addr` (if not
 * NULL) is the si_addr and `*code` the si_code the handler saw. */
int pt_faults(void (*fn)(void *), void *arg, void **addr, int *code);

#endif
