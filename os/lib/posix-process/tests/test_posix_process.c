/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of posix-process, calling the handlers as the syscall
 * table does. Every case puts back what it changed (ids, limits, the
 * thread's name). exit and exit_group end the guest: tests/boot/test_proc.py
 * checks them through the fixture's main.
 */
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/linux/utsname.h>
#include <uk/linux/resource.h>
#include <uk/linux/prctl.h>
#include <uk/user.h>

#if !__has_include(<uk/syscall.h>)
long uk_sys_getpid(void);
long uk_sys_getppid(void);
long uk_sys_getuid(void);
long uk_sys_geteuid(void);
long uk_sys_getgid(void);
long uk_sys_getegid(void);
long uk_sys_setuid(unsigned int uid);
long uk_sys_setresuid(unsigned int r, unsigned int e, unsigned int s);
long uk_sys_getresuid(unsigned int *r, unsigned int *e, unsigned int *s);
long uk_sys_setreuid(unsigned int r, unsigned int e);
long uk_sys_setgid(unsigned int gid);
long uk_sys_getgroups(int size, unsigned int *list);
long uk_sys_setgroups(int size, const unsigned int *list);
long uk_sys_getpgid(int pid);
long uk_sys_getsid(int pid);
long uk_sys_uname(struct uk_utsname *name);
long uk_sys_getrlimit(unsigned int resource, struct uk_rlimit *rlim);
long uk_sys_setrlimit(unsigned int resource, const struct uk_rlimit *rlim);
long uk_sys_prlimit64(int pid, unsigned int resource, const struct uk_rlimit *n, struct uk_rlimit *o);
long uk_sys_getrusage(int who, struct uk_rusage *ru);
long uk_sys_sysinfo(struct uk_sysinfo *info);
long uk_sys_sched_yield(void);
long uk_sys_sched_getaffinity(int pid, unsigned int len, unsigned long *mask);
long uk_sys_sched_setaffinity(int pid, unsigned int len, const unsigned long *mask);
long uk_sys_prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5);
long uk_sys_wait4(int upid, int *stat_addr, int options, struct uk_rusage *ru);
long uk_sys_fork(void);
long uk_sys_vfork(void);
long uk_sys_execve(const char *filename, const char *const *argv, const char *const *envp);
#endif

UK_TESTCASE(posix_process, ids_of_the_one_process)
{
	UK_TEST_EXPECT_EQ(uk_sys_getpid(), 1);
	UK_TEST_EXPECT_EQ(uk_sys_getppid(), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getuid(), CONFIG_LIBPOSIX_PROCESS_UID);
	UK_TEST_EXPECT_EQ(uk_sys_geteuid(), CONFIG_LIBPOSIX_PROCESS_UID);
	UK_TEST_EXPECT_EQ(uk_sys_getgid(), CONFIG_LIBPOSIX_PROCESS_GID);
	UK_TEST_EXPECT_EQ(uk_sys_getegid(), CONFIG_LIBPOSIX_PROCESS_GID);
	UK_TEST_EXPECT_EQ(uk_sys_getpgid(0), 1);
	UK_TEST_EXPECT_EQ(uk_sys_getsid(1), 1);
	UK_TEST_EXPECT_EQ(uk_sys_getpgid(7), -ESRCH);
}

/* Root drops its effective uid, is refused another, takes root back from
 * the real uid; setresuid by an unprivileged caller only among its ids. */
UK_TESTCASE(posix_process, set_ids_follow_linux_rules)
{
	unsigned int r, e, s;

	UK_TEST_ASSERT(uk_sys_geteuid() == 0);
	UK_TEST_EXPECT_EQ(uk_sys_setresuid(-1, 1000, -1), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getresuid(&r, &e, &s), 0);
	UK_TEST_EXPECT(r == 0 && e == 1000 && s == 0);
	UK_TEST_EXPECT_EQ(uk_sys_setuid(5), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_setresuid(7, -1, -1), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_setgid(5), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_setgroups(0, NULL), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_geteuid(), 1000);
	UK_TEST_EXPECT_EQ(uk_sys_setuid(0), 0);                 /* back to the real uid */
	UK_TEST_EXPECT_EQ(uk_sys_geteuid(), 0);
	UK_TEST_EXPECT_EQ(uk_sys_setuid(-1), -EINVAL);
	/* setreuid: a new real uid makes the saved one follow the effective */
	UK_TEST_EXPECT_EQ(uk_sys_setreuid(0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getresuid(&r, &e, &s), 0);
	UK_TEST_EXPECT(r == 0 && e == 0 && s == 0);
}

UK_TESTCASE(posix_process, supplementary_groups)
{
	const unsigned int set[3] = { 4, 24, 27 };
	unsigned int got[3] = { 0 };

	UK_TEST_EXPECT_EQ(uk_sys_getgroups(0, NULL), 0);
	UK_TEST_EXPECT_EQ(uk_sys_setgroups(3, set), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getgroups(0, NULL), 3);
	UK_TEST_EXPECT_EQ(uk_sys_getgroups(2, got), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_getgroups(3, got), 3);
	UK_TEST_EXPECT(got[0] == 4 && got[1] == 24 && got[2] == 27);
	UK_TEST_EXPECT_EQ(uk_sys_setgroups(-1, set), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_setgroups(0, NULL), 0);
}

UK_TESTCASE(posix_process, uname_says_linux_and_the_machine)
{
	struct uk_utsname u;

	UK_TEST_ASSERT(uk_sys_uname(&u) == 0);
	UK_TEST_EXPECT(uk_streq(u.sysname, "Linux"));
	/* default: the app's name (this fixture's: "proc"), as /etc/hostname */
	UK_TEST_EXPECT(uk_streq(u.nodename, sizeof(CONFIG_LIBPOSIX_PROCESS_NODENAME) > 1 ?
				CONFIG_LIBPOSIX_PROCESS_NODENAME : "proc"));
	UK_TEST_EXPECT(uk_streq(u.release, CONFIG_LIBPOSIX_PROCESS_RELEASE));
#if defined(__x86_64__)
	UK_TEST_EXPECT(uk_streq(u.machine, "x86_64"));
#else
	UK_TEST_EXPECT(uk_streq(u.machine, "aarch64"));
#endif
}

UK_TESTCASE(posix_process, rlimits_are_stored_and_checked)
{
	struct uk_rlimit l, old, n = { 100, 200 };

	UK_TEST_ASSERT(uk_sys_getrlimit(UK_RLIMIT_STACK, &l) == 0);
	UK_TEST_EXPECT(l.rlim_cur == 8UL << 20 && l.rlim_max == UK_RLIM_INFINITY);
	UK_TEST_ASSERT(uk_sys_getrlimit(UK_RLIMIT_NOFILE, &old) == 0);
	UK_TEST_EXPECT(old.rlim_cur == CONFIG_LIBPOSIX_PROCESS_NOFILE);
	UK_TEST_EXPECT_EQ(uk_sys_setrlimit(UK_RLIMIT_NOFILE, &n), 0);
	UK_TEST_EXPECT_EQ(uk_sys_getrlimit(UK_RLIMIT_NOFILE, &l), 0);
	UK_TEST_EXPECT(l.rlim_cur == 100 && l.rlim_max == 200);
	/* prlimit64: the old value out, the new one in, in one call */
	UK_TEST_EXPECT_EQ(uk_sys_prlimit64(0, UK_RLIMIT_NOFILE, &old, &l), 0);
	UK_TEST_EXPECT(l.rlim_cur == 100 && l.rlim_max == 200);
	n.rlim_cur = 300;                                     /* cur > max */
	UK_TEST_EXPECT_EQ(uk_sys_setrlimit(UK_RLIMIT_NOFILE, &n), -EINVAL);
	n = (struct uk_rlimit){ 1, 2000000 };                 /* over fs.nr_open */
	UK_TEST_EXPECT_EQ(uk_sys_setrlimit(UK_RLIMIT_NOFILE, &n), -EPERM);
	UK_TEST_EXPECT_EQ(uk_sys_getrlimit(UK_RLIM_NLIMITS, &l), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_prlimit64(2, UK_RLIMIT_CPU, NULL, &l), -ESRCH);
	UK_TEST_EXPECT_EQ(uk_sys_getrlimit(UK_RLIMIT_NOFILE, &l), 0);
	UK_TEST_EXPECT_EQ(l.rlim_cur, CONFIG_LIBPOSIX_PROCESS_NOFILE);
}

UK_TESTCASE(posix_process, sysinfo_and_rusage)
{
	struct uk_sysinfo si;
	struct uk_rusage ru;

	UK_TEST_ASSERT(uk_sys_sysinfo(&si) == 0);
	UK_TEST_EXPECT(si.totalram >= si.freeram && si.freeram > 0);
	UK_TEST_EXPECT_EQ(si.mem_unit, 1);
	UK_TEST_EXPECT(si.procs >= 1);
	UK_TEST_EXPECT(si.uptime >= 0 && si.uptime < 3600);
	UK_TEST_EXPECT_EQ(uk_sys_getrusage(UK_RUSAGE_SELF, &ru), 0);
	UK_TEST_EXPECT(ru.ru_utime.tv_sec > 0 || ru.ru_utime.tv_usec > 0);
	UK_TEST_EXPECT_EQ(uk_sys_getrusage(5, &ru), -EINVAL);
}

UK_TESTCASE(posix_process, one_cpu_affinity)
{
	unsigned long m = 0;

	UK_TEST_EXPECT_EQ(uk_sys_sched_yield(), 0);
	UK_TEST_EXPECT_EQ(uk_sys_sched_getaffinity(0, sizeof(m), &m), sizeof(m));
	UK_TEST_EXPECT_EQ(m, 1);
	UK_TEST_EXPECT_EQ(uk_sys_sched_getaffinity(0, 4, &m), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_sched_getaffinity(9999, sizeof(m), &m), -ESRCH);
	UK_TEST_EXPECT_EQ(uk_sys_sched_setaffinity(0, sizeof(m), &m), 0);
	m = 2;
	UK_TEST_EXPECT_EQ(uk_sys_sched_setaffinity(0, sizeof(m), &m), -EINVAL);
}

UK_TESTCASE(posix_process, prctl_name_and_capabilities)
{
	char name[UK_TASK_COMM_LEN], saved[UK_TASK_COMM_LEN];

	UK_TEST_ASSERT(uk_sys_prctl(UK_PR_GET_NAME, (unsigned long)saved, 0, 0, 0) == 0);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_SET_NAME, (unsigned long)"a-name-longer-than-15", 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_GET_NAME, (unsigned long)name, 0, 0, 0), 0);
	UK_TEST_EXPECT(uk_streq(name, "a-name-longer-t"));
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_SET_NAME, (unsigned long)saved, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_CAPBSET_READ, 0, 0, 0, 0), 1);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_CAPBSET_READ, 40, 0, 0, 0), 1);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(UK_PR_CAPBSET_READ, 41, 0, 0, 0), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_prctl(4242, 0, 0, 0, 0), -EINVAL);
}

UK_TESTCASE(posix_process, no_other_processes)
{
	int st;

	UK_TEST_EXPECT_EQ(uk_sys_wait4(-1, &st, UK_WNOHANG, NULL), -ECHILD);
	UK_TEST_EXPECT_EQ(uk_sys_wait4(-1, &st, 0x100, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_sys_fork(), -ENOSYS);
	UK_TEST_EXPECT_EQ(uk_sys_vfork(), -ENOSYS);
	UK_TEST_EXPECT_EQ(uk_sys_execve("/bin/sh", NULL, NULL), -ENOSYS);
}

#if __has_include(<uk/syscall.h>)
/* With uksyscall in the image: the registry's table reaches these
 * handlers by number (the native path a libc takes). */
UK_TESTCASE(posix_process, syscall_table_reaches_the_handlers)
{
	struct uk_rlimit l;

	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_getpid, 0, 0, 0, 0, 0, 0), 1);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_getppid, 0, 0, 0, 0, 0, 0), 0);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_prlimit64, 0, UK_RLIMIT_STACK, 0, (long)&l, 0, 0), 0);
	UK_TEST_EXPECT_EQ(l.rlim_cur, 8UL << 20);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_wait4, -1, 0, 1, 0, 0, 0), -ECHILD);
	/* a bad pointer is -EFAULT, not a crash (uaccess) */
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_uname, 16, 0, 0, 0, 0, 0), -EFAULT);
}
#endif
