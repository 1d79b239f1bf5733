/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of uksyscall: unknown and unselected syscalls are -ENOSYS
 * (the host test, tests/boot/test_syscall.py, checks the one UK-ENOSYS line
 * per number), and the uaccess helpers turn unmapped or read-only memory
 * into -EFAULT instead of a crash. Built with nolibc: no libc needed.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/syscall.h>
#include <uk/test.h>
#include <uk/uaccess.h>

/* A number no Linux syscall has on this architecture (a gap in the table). */
#if defined(__x86_64__)
#define GAP_NR 400
#else
#define GAP_NR 250
#endif
/* Far above any mapping on every target (x86_64 maps the low 512 GiB at
 * most, arm64 uses 39-bit addresses, linuxu's image and heap are low). */
#define UNMAPPED ((void *)0x7ff000000000UL)

static const char rodata[16] = "read-only bytes";

UK_TESTCASE(uksyscall, unknown_numbers_are_enosys)
{
	UK_TEST_EXPECT_EQ(uk_syscall(GAP_NR, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UK_TEST_EXPECT(uk_syscall_name(GAP_NR) == NULL);
	UK_TEST_EXPECT_EQ(uk_syscall(-1, 0, 0, 0, 0, 0, 0), -ENOSYS);
	UK_TEST_EXPECT_EQ(uk_syscall(1000000, 0, 0, 0, 0, 0, 0), -ENOSYS);
	/* logged once only: the host test counts the lines */
	UK_TEST_EXPECT_EQ(uk_syscall(GAP_NR, 1, 2, 3, 4, 5, 6), -ENOSYS);
}

UK_TESTCASE(uksyscall, unselected_library_is_enosys)
{
	/* posix-socket (issue 9) is not in this image */
	UK_TEST_ASSERT(uk_syscall_name(UK_NR_socket) != NULL);
	UK_TEST_EXPECT(uk_streq(uk_syscall_name(UK_NR_socket), "socket"));
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_socket, 2, 1, 0, 0, 0, 0), -ENOSYS);
	UK_TEST_EXPECT_EQ(uk_syscall(UK_NR_socket, 2, 1, 0, 0, 0, 0), -ENOSYS);
	UK_TEST_EXPECT(uk_streq(uk_syscall_name(UK_NR_openat), "openat"));
}

UK_TESTCASE(uksyscall, copy_from_unmapped_memory_is_efault)
{
	char buf[32];

	UK_TEST_EXPECT_EQ(uk_copy_from_user(buf, UNMAPPED, 8), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_copy_from_user(buf, (void *)8, 8), -EFAULT);       /* the NULL page */
	UK_TEST_EXPECT_EQ(uk_copy_from_user(buf, (void *)-8L, 16), -EFAULT);    /* wraps */
	UK_TEST_EXPECT(!uk_access_ok(UNMAPPED, 1, false));
	UK_TEST_EXPECT(!uk_access_ok((void *)-8L, 16, false));
	UK_TEST_EXPECT(uk_access_ok(UNMAPPED, 0, false));
	UK_TEST_EXPECT_EQ(uk_copy_from_user(buf, rodata, sizeof(rodata)), 0);
	UK_TEST_EXPECT(uk_streq(buf, "read-only bytes"));
	UK_TEST_EXPECT_EQ(uk_copy_from_user(buf, UNMAPPED, 0), 0);
}

UK_TESTCASE(uksyscall, copy_to_read_only_or_unmapped_memory_is_efault)
{
	char src[16] = "overwritten!!!!";

	UK_TEST_EXPECT(uk_access_ok(rodata, sizeof(rodata), false));
	UK_TEST_EXPECT(!uk_access_ok(rodata, sizeof(rodata), true));
	UK_TEST_EXPECT_EQ(uk_copy_to_user((void *)rodata, src, sizeof(src)), -EFAULT);
	UK_TEST_EXPECT(uk_streq(rodata, "read-only bytes"));
	UK_TEST_EXPECT_EQ(uk_copy_to_user(UNMAPPED, src, 4), -EFAULT);
}

UK_TESTCASE(uksyscall, copies_between_good_buffers)
{
	static char dst[300];
	char src[300];
	unsigned int i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7);
	/* odd offsets and lengths: the word and byte paths of the copy */
	UK_TEST_EXPECT_EQ(uk_copy_to_user(dst + 3, src + 3, 250), 0);
	for (i = 3; i < 253; i++)
		UK_TEST_EXPECT_EQ(dst[i], src[i]);
	UK_TEST_EXPECT_EQ(dst[253], 0);
	UK_TEST_EXPECT(uk_access_ok(dst, sizeof(dst), true));
}

UK_TESTCASE(uksyscall, strncpy_from_user)
{
	char buf[8];

	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, "abc", sizeof(buf)), 3);
	UK_TEST_EXPECT(uk_streq(buf, "abc"));
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, "", sizeof(buf)), 0);
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, "1234567", sizeof(buf)), 7);
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, "12345678", sizeof(buf)), -ENAMETOOLONG);
	UK_TEST_EXPECT_EQ(buf[7], 0);
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, UNMAPPED, sizeof(buf)), -EFAULT);
	UK_TEST_EXPECT_EQ(uk_strncpy_from_user(buf, (const char *)8, sizeof(buf)), -EFAULT);
}
