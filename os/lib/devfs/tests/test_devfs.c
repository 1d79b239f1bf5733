/* SPDX-License-Identifier: BSD-3-Clause */
/* In-guest tests of devfs: the devices, their numbers, and fds 0-2 on
 * the console (a terminal: TCGETS, TIOCGWINSZ). */
#include <uk/test.h>
#include <uk/syscall.h>
#include <uk/errno.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#include <uk/linux/ioctl.h>
#include "devfs.h"

static long rdev(const char *path)
{
	struct uk_stat st;

	if (uk_sys_stat(path, &st) || !UK_S_ISCHR(st.st_mode))
		return -1;
	return (long)st.st_rdev;
}

UK_TESTCASE(devfs, device_nodes_and_numbers)
{
	UK_TEST_EXPECT_EQ(rdev("/dev/null"), (long)uk_makedev(1, 3));
	UK_TEST_EXPECT_EQ(rdev("/dev/zero"), (long)uk_makedev(1, 5));
	UK_TEST_EXPECT_EQ(rdev("/dev/tty"), (long)uk_makedev(5, 0));
	UK_TEST_EXPECT_EQ(rdev("/dev/console"), (long)uk_makedev(5, 1));
#ifdef CONFIG_LIBUKRANDOM
	UK_TEST_EXPECT_EQ(rdev("/dev/random"), (long)uk_makedev(1, 8));
	UK_TEST_EXPECT_EQ(rdev("/dev/urandom"), (long)uk_makedev(1, 9));
#endif
}

UK_TESTCASE(devfs, null_and_zero)
{
	char buf[300];
	long fd, i, nz = 0;

	fd = uk_sys_open("/dev/null", UK_O_RDWR, 0);
	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, "gone", 4), 4);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), 0);
	UK_TEST_EXPECT_EQ(uk_sys_lseek((int)fd, 0, UK_SEEK_SET), 0);
	uk_sys_close((int)fd);
	fd = uk_sys_open("/dev/zero", UK_O_RDONLY, 0);
	__builtin_memset(buf, 0x55, sizeof(buf));
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, buf, sizeof(buf)), (long)sizeof(buf));
	for (i = 0; i < (long)sizeof(buf); i++)
		nz += buf[i] != 0;
	UK_TEST_EXPECT_EQ(nz, 0);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, (void *)8, 4), -EFAULT);
	uk_sys_close((int)fd);
	/* files made under /dev are plain files (devtmpfs allows them) */
	fd = uk_sys_open("/dev/shm-like", UK_O_CREAT | UK_O_RDWR, 0600);
	UK_TEST_EXPECT(fd >= 0);
	uk_sys_close((int)fd);
	UK_TEST_EXPECT_EQ(uk_sys_unlink("/dev/shm-like"), 0);
}

#ifdef CONFIG_LIBUKRANDOM
UK_TESTCASE(devfs, urandom_gives_different_bytes)
{
	unsigned char a[64], b[64];
	long fd = uk_sys_open("/dev/urandom", UK_O_RDWR, 0), same = 0, i;

	UK_TEST_ASSERT(fd >= 0);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, a, sizeof(a)), 64);
	UK_TEST_EXPECT_EQ(uk_sys_read((int)fd, b, sizeof(b)), 64);
	for (i = 0; i < 64; i++)
		same += a[i] == b[i];
	UK_TEST_EXPECT(same < 16);
	UK_TEST_EXPECT_EQ(uk_sys_write((int)fd, a, 8), 8);
	uk_sys_close((int)fd);
}
#endif

UK_TESTCASE(devfs, stdio_is_the_console_terminal)
{
	struct uk_termios t;
	struct uk_winsize ws;
	struct uk_stat a, b;
	int i;

	for (i = 0; i < 3; i++) {
		UK_TEST_EXPECT_EQ(uk_sys_fstat(i, &a), 0);
		UK_TEST_EXPECT_EQ(a.st_rdev, uk_makedev(5, 1));
		UK_TEST_EXPECT_EQ(uk_sys_fcntl(i, UK_F_GETFL, 0) & UK_O_ACCMODE, UK_O_RDWR);
	}
	if (devfs_console_is_tty()) {
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TCGETS, (unsigned long)&t), 0);
		UK_TEST_EXPECT(t.c_lflag & 0x2);        /* ICANON */
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TCSETS, (unsigned long)&t), 0);
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TIOCGWINSZ, (unsigned long)&ws), 0);
		UK_TEST_EXPECT(ws.ws_row == 24 && ws.ws_col == 80);
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TIOCGWINSZ, 8), -EFAULT);
	} else {
		/* devfs.tty=0 (`uniforge run` with its stdin not a terminal) */
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(0, UK_TCGETS, (unsigned long)&t), -ENOTTY);
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TCSETS, (unsigned long)&t), -ENOTTY);
		UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, UK_TIOCGWINSZ, (unsigned long)&ws), -ENOTTY);
	}
	UK_TEST_EXPECT_EQ(uk_sys_ioctl(1, 0x1234, 0), -ENOTTY);
	UK_TEST_EXPECT_EQ(uk_sys_lseek(1, 0, UK_SEEK_CUR), -ESPIPE);
	UK_TEST_EXPECT_EQ(uk_sys_write(2, "devfs: stderr\n", 14), 14);
	UK_TEST_EXPECT_EQ(uk_sys_stat("/dev/tty", &b), 0);
	UK_TEST_EXPECT(UK_S_ISCHR(b.st_mode));
}
