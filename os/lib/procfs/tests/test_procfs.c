/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of procfs: the files exist, are well-formed, and are
 * read-only in their names. */
#include <uk/test.h>
#include <uk/syscall.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>

static char buf[4096];

static long slurp(const char *path)
{
	long fd = uk_sys_open(path, UK_O_RDONLY, 0), r, n = 0;

	if (fd < 0)
		return fd;
	/* small reads: the snapshot stays consistent */
	while ((r = uk_sys_read((int)fd, buf + n, 7)) > 0 && n < (long)sizeof(buf) - 8)
		n += r;
	uk_sys_close((int)fd);
	buf[n] = 0;
	return r < 0 ? r : n;
}

static bool has(const char *needle)
{
	size_t i, n = uk_strlen(needle);

	for (i = 0; buf[i]; i++)
		if (!uk_strncmp(buf + i, needle, n))
			return true;
	return false;
}

UK_TESTCASE(procfs, self_exe_and_stat)
{
	char link[64] = { 0 };
	long n, fields = 1, i;

	UK_TEST_EXPECT_EQ(uk_sys_readlink("/proc/self", link, sizeof(link)), 1);
	UK_TEST_EXPECT_EQ(link[0], '1');
	n = uk_sys_readlink("/proc/self/exe", link, sizeof(link));
	UK_TEST_EXPECT_EQ(n, (long)uk_strlen(CONFIG_UK_APPNAME) + 1);
	UK_TEST_EXPECT(link[0] == '/' && !uk_strncmp(link + 1, CONFIG_UK_APPNAME, (size_t)n - 1));
	n = slurp("/proc/self/stat");
	UK_TEST_ASSERT(n > 0);
	UK_TEST_EXPECT(!uk_strncmp(buf, "1 (", 3));
	UK_TEST_EXPECT(has(") R "));
	UK_TEST_EXPECT_EQ(buf[n - 1], '\n');
	for (i = 0; i < n; i++)
		fields += buf[i] == ' ';
	UK_TEST_EXPECT_EQ(fields, 52);
	UK_TEST_EXPECT(slurp("/proc/self/maps") >= 0);
}

UK_TESTCASE(procfs, cpuinfo_meminfo_sys)
{
	UK_TEST_EXPECT(slurp("/proc/cpuinfo") > 0);
	UK_TEST_EXPECT(has("processor\t: 0\n"));
	UK_TEST_EXPECT(slurp("/proc/meminfo") > 0);
	UK_TEST_EXPECT(!uk_strncmp(buf, "MemTotal:", 9));
	UK_TEST_EXPECT(has(" kB\nMemFree:"));
	UK_TEST_EXPECT_EQ(slurp("/proc/sys/vm/overcommit_memory"), 2);
	UK_TEST_EXPECT(uk_streq(buf, "1\n"));     /* posix-mmap never refuses a mapping */
	UK_TEST_EXPECT_EQ(slurp("/proc/sys/net/core/somaxconn"), 5);
	UK_TEST_EXPECT(uk_streq(buf, "4096\n"));
}

UK_TESTCASE(procfs, no_new_names)
{
	long fd;

	UK_TEST_EXPECT_EQ(uk_sys_open("/proc/new", UK_O_CREAT | UK_O_RDWR, 0644), -EACCES);
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/proc/d", 0755), -EACCES);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/proc/meminfo"), -EACCES);
	fd = uk_sys_open("/proc/meminfo", UK_O_WRONLY, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, "x", 1), -EINVAL);     /* generated: no write */
	uk_sys_close((int)fd);
}
