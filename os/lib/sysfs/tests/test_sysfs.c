/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of sysfs and of the /etc defaults. */
#include <uk/test.h>
#include <uk/syscall.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/linux/fcntl.h>

static char buf[256];

static long slurp(const char *path)
{
	long fd = uk_sys_open(path, UK_O_RDONLY, 0), r, n = 0;

	if (fd < 0)
		return fd;
	while ((r = uk_sys_read((int)fd, buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	uk_sys_close((int)fd);
	buf[n] = 0;
	return n;
}

UK_TESTCASE(sysfs, cpu_online_and_thp)
{
	UK_TEST_EXPECT_EQ(slurp("/sys/devices/system/cpu/online"), 2);
	UK_TEST_EXPECT(uk_streq(buf, "0\n"));
	UK_TEST_EXPECT(slurp("/sys/kernel/mm/transparent_hugepage/enabled") > 0);
	UK_TEST_EXPECT(uk_streq(buf, "always madvise [never]\n"));
	UK_TEST_EXPECT_EQ(uk_sys_mkdir("/sys/x", 0755), -EACCES);
}

#ifdef CONFIG_LIBVFSCORE_ETC
UK_TESTCASE(sysfs, etc_defaults_exist)
{
	UK_TEST_EXPECT(slurp("/etc/passwd") > 0);
	UK_TEST_EXPECT(!uk_strncmp(buf, "root:x:0:0:", 11));
	UK_TEST_EXPECT(slurp("/etc/group") > 0);
	UK_TEST_EXPECT(!uk_strncmp(buf, "root:x:0:", 9));
	UK_TEST_EXPECT(slurp("/etc/hostname") > 0);
	UK_TEST_EXPECT(!uk_strncmp(buf, CONFIG_UK_APPNAME "\n", uk_strlen(CONFIG_UK_APPNAME) + 1));
	UK_TEST_EXPECT_EQ(slurp("/etc/localtime"), 114);
	UK_TEST_EXPECT(!uk_strncmp(buf, "TZif2", 5));
	UK_TEST_EXPECT(!uk_strncmp(buf + 108, "\nUTC0\n", 6));
}
#endif
