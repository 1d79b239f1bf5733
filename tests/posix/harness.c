/* SPDX-License-Identifier: BSD-3-Clause */
/* The POSIX suite's runner: runs every case of every topic table (or only
 * those after one, to resume after a case that crashed), each in its own
 * scratch directory, and prints one machine-readable line per case:
 *
 *   POSIX-COUNT <number of cases compiled in>
 *   POSIX-BEGIN <name>                     before the case runs
 *   POSIX-CASE <name> ok
 *   POSIX-CASE <name> FAIL <file>:<line>: <check> (errno=<n> <text>)
 *   POSIX-RESULT total=<n> passed=<n> failed=<n>
 *
 * Usage: posix [--list] [--after NAME] BASEDIR
 *   BASEDIR  a directory for scratch files (made if missing; on the host a
 *            temporary one, in the guest one in its ramfs)
 *   --list   print `POSIX-LIST <name>` for every case and run none
 *   --after  run only the cases that follow NAME in the tables
 * Exit status: 0 when every case that ran passed, 1 otherwise, 2 on a
 * usage error. Output goes through write(2) straight to fd 1, so a case
 * that crashes the program leaves every earlier line behind. */
#include "pt.h"

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

extern const struct pt_case pt_files_cases[], pt_dirs_cases[], pt_fds_cases[], pt_mman_cases[],
	pt_signal_cases[], pt_time_cases[], pt_thread_cases[], pt_env_cases[], pt_errno_cases[],
	pt_misc_cases[], pt_sysfile_cases[], pt_event_cases[], pt_socket_cases[], pt_tmp_cases[],
	pt_args_cases[], pt_dbfile_cases[];
extern const struct pt_case pt_survey_cases[];
extern const struct pt_case pt_rseq_cases[];
extern const struct pt_case pt_unix_cases[];
extern const struct pt_case pt_unix_scm_cases[];
extern const struct pt_case pt_unix_proc_cases[];

static const struct pt_case *const topics[] = {
	pt_files_cases, pt_dirs_cases, pt_fds_cases, pt_mman_cases, pt_signal_cases,
	pt_time_cases, pt_thread_cases, pt_env_cases, pt_errno_cases, pt_misc_cases, pt_sysfile_cases,
	pt_event_cases, pt_socket_cases, pt_tmp_cases, pt_args_cases, pt_dbfile_cases,
	pt_survey_cases,
	pt_rseq_cases,
	pt_unix_cases,
	pt_unix_scm_cases,
	pt_unix_proc_cases,
};
#define NTOPICS (sizeof(topics) / sizeof(topics[0]))

static char base[512];
static char casedir[768];
static char failure[512];
static int failed;

static void out(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	pt_write_all(1, line, n);
}

void pt_fail(const char *file, int line, const char *what, int err)
{
	if (failed)
		return;
	failed = 1;
	const char *slash = strrchr(file, '/');
	snprintf(failure, sizeof(failure), "%s:%d: %s (errno=%d %s)", slash ? slash + 1 : file, line, what, err,
		 strerror(err));
}

int pt_failed(void)
{
	return failed;
}

const char *pt_dir(void)
{
	return casedir;
}

const char *pt_path(const char *rel)
{
	static char bufs[8][1024];
	static unsigned next;
	char *b = bufs[next++ % 8];

	snprintf(b, sizeof(bufs[0]), "%s/%s", casedir, rel);
	return b;
}

int pt_write_all(int fd, const void *s, size_t n)
{
	const char *p = s;

	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

int pt_make_file(const char *rel, const char *s)
{
	int fd = open(pt_path(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	int r = pt_write_all(fd, s, strlen(s));
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

void *pt_unmapped(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(p, 4096);
	return p;
}

static sigjmp_buf fault_env;
static volatile sig_atomic_t in_probe;
static void *volatile fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	if (!in_probe)
		_exit(3);
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(fault_env, 1);
}

int pt_faults(void (*fn)(void *), void *arg, void **addr, int *code)
{
	struct sigaction sa, old;
	int faulted;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old) != 0)
		return -1;
	if (sigsetjmp(fault_env, 1) == 0) {
		in_probe = 1;
		fn(arg);
		faulted = 0;
	} else {
		faulted = 1;
		if (addr)
			*addr = fault_addr;
		if (code)
			*code = fault_code;
	}
	in_probe = 0;
	sigaction(SIGSEGV, &old, NULL);
	return faulted;
}

/* mkdir -p for the base directory: 0, or -1 with errno. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		int r = mkdir(path, 0755);
		*p = '/';
		if (r != 0 && errno != EEXIST)
			return -1;
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

static int usage(const char *why)
{
	out("POSIX-USAGE %s: posix [--list] [--after NAME] BASEDIR", why);
	return 2;
}

int main(int argc, char **argv)
{
	const char *after = NULL, *dir = NULL;
	int list = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--list"))
			list = 1;
		else if (!strcmp(argv[i], "--after") && i + 1 < argc)
			after = argv[++i];
		else if (argv[i][0] != '-' && !dir)
			dir = argv[i];
		else
			return usage(argv[i]);
	}

	int count = 0;
	for (size_t t = 0; t < NTOPICS; t++)
		for (const struct pt_case *c = topics[t]; c->name; c++)
			count++;
	out("POSIX-COUNT %d", count);
	if (list) {
		for (size_t t = 0; t < NTOPICS; t++)
			for (const struct pt_case *c = topics[t]; c->name; c++)
				out("POSIX-LIST %s", c->name);
		return 0;
	}
	if (!dir)
		return usage("no BASEDIR");
	if (strlen(dir) >= sizeof(base) || dir[0] != '/')
		return usage("BASEDIR must be an absolute path");
	strcpy(base, dir);
	if (make_dirs(base) != 0) {
		out("POSIX-USAGE cannot make %s: %s", base, strerror(errno));
		return 2;
	}

	int skipping = after != NULL, total = 0, passed = 0;
	for (size_t t = 0; t < NTOPICS; t++) {
		for (const struct pt_case *c = topics[t]; c->name; c++) {
			if (skipping) {
				skipping = strcmp(c->name, after) != 0;
				continue;
			}
			out("POSIX-BEGIN %s", c->name);
			failed = 0;
			snprintf(casedir, sizeof(casedir), "%s/%s", base, c->name);
			if (mkdir(casedir, 0755) != 0)
				pt_fail(__FILE__, __LINE__, "mkdir(case directory)", errno);
			else
				c->fn();
			total++;
			if (failed) {
				out("POSIX-CASE %s FAIL %s", c->name, failure);
			} else {
				out("POSIX-CASE %s ok", c->name);
				passed++;
			}
		}
	}
	if (skipping)
		return usage("--after names no case");
	out("POSIX-RESULT total=%d passed=%d failed=%d", total, passed, total - passed);
	return passed == total ? 0 : 1;
}
