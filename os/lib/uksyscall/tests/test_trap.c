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
#include <uk/plat.h>
#include <uk/syscall.h>
#include <uk/test.h>
#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
#include <uk/sched.h>
#endif

#define PAT(i) (0x0123456789ab0000UL + (i))

#if defined(__x86_64__)
long uksc_trap_x86(long nr, uint64_t out[20]);
#define TRAP(nr, out) uksc_trap_x86(nr, out)

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
#define TRAP(nr, out) uksc_trap_arm64(nr, out)

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

/* The caller's interrupt mask comes back as it was, on or off (the entry
 * masks interrupts, the handler runs with the caller's mask, the return
 * restores it). */
UK_TESTCASE(uksyscall, trap_keeps_the_interrupt_mask)
{
	uint64_t out[40] = { 0 };
	unsigned long flags = ukplat_lcpu_save_irqf();

	ukplat_lcpu_enable_irq();
	UK_TEST_EXPECT_EQ(TRAP(UK_NR_socket, out), -ENOSYS);
	UK_TEST_EXPECT(!ukplat_lcpu_irqs_disabled());
#if defined(__x86_64__)
	UK_TEST_EXPECT((out[15] & 0x200) != 0);        /* r11 = rflags, IF set */
#endif
	ukplat_lcpu_disable_irq();
	UK_TEST_EXPECT_EQ(TRAP(UK_NR_socket, out), -ENOSYS);
	UK_TEST_EXPECT(ukplat_lcpu_irqs_disabled());
#if defined(__x86_64__)
	UK_TEST_EXPECT((out[15] & 0x200) == 0);
#endif
	ukplat_lcpu_restore_irqf(flags);
}

#if defined(CONFIG_LIBUKSCHED_PREEMPTION)
/* Two threads issue the instruction in a loop, with interrupts on, while
 * the scheduler preempts them (each call's frame is on its own thread's
 * stack): every call must still return -ENOSYS with every register
 * intact. Each thread goes on until it has seen the other one make
 * progress several times while it was itself still looping (so the
 * timer really switched between them), within a bound. */
#define MIN_CALLS 1000
#define MIN_SWITCHES 4
#define MAX_CALLS 2000000UL

static volatile unsigned long progress[2];

static struct trap_result {
	unsigned long bad, calls, switches;
} trap_results[2];

static void *trap_loop(void *arg)
{
	struct trap_result *res = arg;
	unsigned int me = res == trap_results ? 0 : 1;
	unsigned long other = progress[1 - me];
	uint64_t out[40];

	while (res->calls < MAX_CALLS && (res->calls < MIN_CALLS || res->switches < MIN_SWITCHES)) {
		if (TRAP(UK_NR_socket, out) != -ENOSYS)
			res->bad++;
#if defined(__x86_64__)
		/* not the red zone (out[16]): an interrupt taken in ring 0 outside
		 * the syscall pushes its frame below rsp (hence -mno-red-zone) */
		res->bad += out[0] != PAT(1) || out[11] != PAT(12) || out[12] != PAT(1) ||
			    out[13] != PAT(2) || out[17] != 0;
#else
		res->bad += out[1] != PAT(1) || out[28] != PAT(28) || out[29] != PAT(1) || out[32] != 0;
#endif
		progress[me] = ++res->calls;
		if (progress[1 - me] != other) {
			other = progress[1 - me];
			res->switches++;
		}
	}
	return NULL;
}

UK_TESTCASE(uksyscall, threads_trap_under_preemption)
{
	struct uk_thread *t[2];
	unsigned int i;

	ukplat_lcpu_enable_irq();
	for (i = 0; i < 2; i++)
		UK_TEST_ASSERT(uk_thread_create(&t[i], "trap", 0, trap_loop, &trap_results[i]) == 0);
	for (i = 0; i < 2; i++) {
		UK_TEST_ASSERT(uk_thread_join(t[i], NULL) == 0);
		UK_TEST_EXPECT_EQ(trap_results[i].bad, 0);
		UK_TEST_EXPECT(trap_results[i].switches >= MIN_SWITCHES);
	}
}
#endif
