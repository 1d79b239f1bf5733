/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the trapped path: the x86_64 `syscall` instruction and
 * arm64 `svc #0` reach the same table as uk_syscall(), return the result in
 * rax / x0, and preserve every register Linux preserves (x86_64: all but
 * rax, rcx, r11, plus the red zone below rsp; arm64: all but x0). The
 * helpers (trap_x86_64.S, trap_arm64.S) load known patterns and record
 * what came back. Not on linuxu: there the instruction goes to the host
 * kernel.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/syscall.h>
#include <uk/test.h>

#define PAT(i) (0x0123456789ab0000UL + (i))

#if defined(__x86_64__)
long uksc_trap_x86(long nr, uint64_t out[20]);

UK_TESTCASE(uksyscall, syscall_instruction_reaches_the_table_and_preserves_registers)
{
	uint64_t out[20] = { 0 };
	static const unsigned int pat[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	unsigned int i;
	long r;

	r = uksc_trap_x86(UK_NR_socket, out);          /* posix-socket is not selected */
	UK_TEST_EXPECT_EQ(r, -ENOSYS);
	for (i = 0; i < 12; i++)                       /* rbx rbp rdi rsi rdx r8 r9 r10 r12-r15 */
		UK_TEST_EXPECT_EQ(out[i], PAT(pat[i]));
	UK_TEST_EXPECT_EQ(out[12], PAT(1));            /* xmm0 */
	UK_TEST_EXPECT_EQ(out[13], PAT(2));            /* xmm15 */
	UK_TEST_EXPECT_EQ(out[14], out[18]);           /* rcx = the return address */
	UK_TEST_EXPECT((out[15] & 0x2) != 0);          /* r11 = rflags (bit 1 always set) */
	UK_TEST_EXPECT_EQ(out[16], 0);                 /* the red zone is untouched */
	UK_TEST_EXPECT_EQ(out[17], 0);                 /* rsp is back */
	/* an unknown number too, through the same table */
	UK_TEST_EXPECT_EQ(uksc_trap_x86(1000000, out), -ENOSYS);
}
#elif defined(__aarch64__)
long uksc_trap_arm64(long nr, uint64_t out[40]);

UK_TESTCASE(uksyscall, svc_reaches_the_table_and_preserves_registers)
{
	uint64_t out[40] = { 0 };
	unsigned int i;
	long r;

	r = uksc_trap_arm64(UK_NR_socket, out);        /* posix-socket is not selected */
	UK_TEST_EXPECT_EQ(r, -ENOSYS);
	for (i = 1; i <= 28; i++) {
		if (i == 8)
			UK_TEST_EXPECT_EQ(out[8], UK_NR_socket);
		else
			UK_TEST_EXPECT_EQ(out[i], PAT(i));
	}
	UK_TEST_EXPECT_EQ(out[29], PAT(1));            /* d8 */
	UK_TEST_EXPECT_EQ(out[30], PAT(2));            /* q16 */
	UK_TEST_EXPECT_EQ(out[32], 0);                 /* sp is back */
	UK_TEST_EXPECT_EQ(uksc_trap_arm64(1000000, out), -ENOSYS);
}
#endif
