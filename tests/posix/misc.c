/* SPDX-License-Identifier: BSD-3-Clause */
/* The process and the system: getrandom, uname, identity (pid, tid,
 * uid/gid), page size, limits, sysinfo, sched_yield/getaffinity, prctl's
 * thread name, wait4 without children, unknown syscalls (ENOSYS through
 * musl's syscall() and through the trap instruction, the program going
 * on), and stdio and malloc on top of it all. */
#include "pt.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* A syscall number no kernel defines (x86_64 stops near 460, arm64 too). */
#define PT_NO_SUCH_SYSCALL 1000

static void misc_getrandom(void)
{
	unsigned char a[64], b[64];
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	PT_CHECK(getrandom(a, sizeof(a), 0) == (ssize_t)sizeof(a));
	PT_CHECK(getrandom(b, sizeof(b), GRND_NONBLOCK) == (ssize_t)sizeof(b));
	PT_CHECK(memcmp(a, b, sizeof(a)) != 0);       /* equal by chance: 2^-512 */
	PT_CHECK(getrandom(a, 0, 0) == 0);
	PT_ERRNO(getrandom(a, sizeof(a), 0x100), EINVAL);
	static unsigned char big[100000];
	PT_CHECK(getrandom(big, sizeof(big), 0) > 0);
}

static void misc_uname(void)
{
	struct utsname u;
	memset(&u, 0x7f, sizeof(u));
	PT_OK(uname(&u));
	PT_CHECK(memchr(u.sysname, 0, sizeof(u.sysname)) && u.sysname[0]);
	PT_CHECK(memchr(u.nodename, 0, sizeof(u.nodename)));
	PT_CHECK(memchr(u.release, 0, sizeof(u.release)) && u.release[0]);
	PT_CHECK(memchr(u.version, 0, sizeof(u.version)));
#if defined(__x86_64__)
	PT_CHECK(!strcmp(u.machine, "x86_64"));
#elif defined(__aarch64__)
	PT_CHECK(!strcmp(u.machine, "aarch64"));
#endif
	char host[256];
	PT_OK(gethostname(host, sizeof(host)));
	PT_CHECK(!strcmp(host, u.nodename));
}

static void misc_identity(void)
{
	PT_CHECK(getpid() > 0 && getppid() >= 0 && getppid() != getpid());
	PT_CHECK(getuid() == geteuid() && getgid() == getegid());
	PT_CHECK(getpgrp() >= 0 && getsid(0) >= 0);
	PT_OK(setuid(getuid()));                      /* to oneself: always allowed */
	PT_OK(setgid(getgid()));
	gid_t groups[64];
	PT_CHECK(getgroups(64, groups) >= 0);
}

static void misc_page_size_and_cpus(void)
{
	PT_CHECK(sysconf(_SC_PAGESIZE) == 4096 && getpagesize() == 4096);
	PT_CHECK(sysconf(_SC_NPROCESSORS_ONLN) >= 1);
	cpu_set_t set;
	CPU_ZERO(&set);
	PT_OK(sched_getaffinity(0, sizeof(set), &set));
	PT_CHECK(CPU_COUNT(&set) >= 1);
	PT_OK(sched_yield());
}

static void misc_limits_and_sysinfo(void)
{
	struct rlimit r, again;
	PT_OK(getrlimit(RLIMIT_NOFILE, &r));
	PT_CHECK(r.rlim_cur >= 256 && r.rlim_cur <= r.rlim_max);
	PT_OK(setrlimit(RLIMIT_NOFILE, &r));
	PT_OK(getrlimit(RLIMIT_NOFILE, &again));
	PT_CHECK(again.rlim_cur == r.rlim_cur && again.rlim_max == r.rlim_max);
	PT_OK(getrlimit(RLIMIT_STACK, &r));
	PT_CHECK(r.rlim_cur > 0);
	struct rlimit bad = {.rlim_cur = 10, .rlim_max = 5};
	PT_ERRNO(setrlimit(RLIMIT_NOFILE, &bad), EINVAL);
	PT_OK(prlimit(0, RLIMIT_NOFILE, NULL, &r));
	struct sysinfo si;
	PT_OK(sysinfo(&si));
	PT_CHECK(si.totalram > 0 && si.mem_unit > 0 && si.freeram <= si.totalram && si.procs >= 1);
}

static void misc_prctl_name(void)
{
	char name[16] = {0}, old[16] = {0};
	PT_OK(prctl(PR_GET_NAME, old));
	PT_OK(prctl(PR_SET_NAME, "posix-suite-long-name"));
	PT_OK(prctl(PR_GET_NAME, name));
	prctl(PR_SET_NAME, old);
	PT_CHECK(!strcmp(name, "posix-suite-lon"));   /* cut to 15 bytes */
}

static void misc_no_children(void)
{
	int status;
	PT_ERRNO(wait4(-1, &status, WNOHANG, NULL), ECHILD);
	PT_ERRNO(waitpid(-1, &status, 0), ECHILD);
}

static void misc_enosys_through_libc(void)
{
	PT_ERRNO(syscall(PT_NO_SUCH_SYSCALL, 1, 2, 3), ENOSYS);
	PT_ERRNO(syscall(PT_NO_SUCH_SYSCALL + 1), ENOSYS);
	PT_CHECK(getpid() > 0);                       /* and the program goes on */
}

static void misc_enosys_trapped(void)
{
	long r;
#if defined(__x86_64__)
	__asm__ volatile("syscall" : "=a"(r) : "a"((long)PT_NO_SUCH_SYSCALL) : "rcx", "r11", "memory");
	long pid;
	__asm__ volatile("syscall" : "=a"(pid) : "a"((long)SYS_getpid) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = PT_NO_SUCH_SYSCALL, x0 __asm__("x0") = 0;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8) : "memory");
	r = x0;
	register long y8 __asm__("x8") = SYS_getpid, y0 __asm__("x0") = 0;
	__asm__ volatile("svc #0" : "+r"(y0) : "r"(y8) : "memory");
	long pid = y0;
#endif
	PT_CHECK(r == -ENOSYS);
	PT_CHECK(pid == getpid());
}

static void misc_stdio_file(void)
{
	char line[64];
	FILE *f = fopen(pt_path("f"), "w+");
	PT_CHECK(f != NULL);
	PT_CHECK(fprintf(f, "%s %d %.2f\n", "line", 42, 2.5) == 13);
	PT_CHECK(fputs("second\n", f) >= 0);
	PT_OK(fflush(f));
	rewind(f);
	PT_CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "line 42 2.50\n"));
	PT_CHECK(fgets(line, sizeof(line), f) && !strcmp(line, "second\n"));
	PT_CHECK(fgets(line, sizeof(line), f) == NULL && feof(f));
	PT_CHECK(fclose(f) == 0);
	PT_CHECK(fopen(pt_path("missing"), "r") == NULL && errno == ENOENT);
}

static void misc_malloc(void)
{
	enum { N = 2000 };
	static char *p[N];
	for (int i = 0; i < N; i++) {
		p[i] = malloc(16 + i * 13);
		PT_CHECK(p[i] != NULL);
		memset(p[i], i & 0xff, 16 + i * 13);
	}
	for (int i = 0; i < N; i++) {
		PT_CHECK((unsigned char)p[i][15 + i * 13] == (i & 0xff));
		free(p[i]);
	}
	char *big = malloc(4 << 20);
	PT_CHECK(big != NULL);
	memset(big, 'm', 4 << 20);
	big = realloc(big, 8 << 20);
	PT_CHECK(big != NULL && big[(4 << 20) - 1] == 'm');
	free(big);
	void *al = NULL;
	PT_CHECK(posix_memalign(&al, 4096, 100) == 0 && ((unsigned long)al & 4095) == 0);
	free(al);
	PT_CHECK(calloc(1, 64) != NULL);
}

const struct pt_case pt_misc_cases[] = {
	PT_CASE(misc_getrandom),
	PT_CASE(misc_uname),
	PT_CASE(misc_identity),
	PT_CASE(misc_page_size_and_cpus),
	PT_CASE(misc_limits_and_sysinfo),
	PT_CASE(misc_prctl_name),
	PT_CASE(misc_no_children),
	PT_CASE(misc_enosys_through_libc),
	PT_CASE(misc_enosys_trapped),
	PT_CASE(misc_stdio_file),
	PT_CASE(misc_malloc),
	PT_END
};
