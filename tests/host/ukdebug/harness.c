/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for ukdebug (driven by test_ukdebug_host.py): links format.c,
 * print.c and crash.c into a Linux process whose "platform" writes to stdout
 * and exits. argv[1] picks the scenario.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/backtrace.h>
#include <uk/print.h>
#include "../../../os/lib/ukdebug/format.h"

static int crash_in_cout;

void ukplat_cout(const char *buf, size_t n)
{
	if (crash_in_cout && n >= 6 && !memcmp(buf, "UK-BT ", 6))
		uk_crash("crash while printing the registers", NULL);
	if (write(1, buf, n) < 0)
		_exit(3);
}

void ukplat_halt(int status)
{
	_exit(status);
}

/* ---- formatter against the host's snprintf ------------------------------ */

static int failures, checks;

static void check(const char *fmt, const char *mine, int mine_n, const char *libc, int libc_n)
{
	checks++;
	if (strcmp(mine, libc) || mine_n != libc_n) {
		printf("MISMATCH fmt=\"%s\" ukdebug=\"%s\"(%d) libc=\"%s\"(%d)\n",
		       fmt, mine, mine_n, libc, libc_n);
		failures++;
	}
}

#define CMP(fmt, ...) do {                                                  \
	char a[256], b[256];                                                \
	int na = ukd_snprintf(a, sizeof(a), fmt, __VA_ARGS__);              \
	int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__);                  \
	check(fmt, a, na, b, nb);                                           \
} while (0)

static int format_suite(void)
{
	static const char *const flags[] = { "", "-", "0", "+", " ", "#", "-+", "0+", "- ", "#0", "-#" };
	static const char *const widths[] = { "", "1", "5", "12", "22" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".4", ".20" };
	static const long long ints[] = {
		0, 1, -1, 7, 42, -42, 255, 65535, 2147483647, -2147483647 - 1,
		9223372036854775807LL, -9223372036854775807LL - 1, 123456789012LL,
	};
	static const char *const strs[] = { "", "a", "hello", "a longer string here" };
	char fmt[64];
	size_t f, w, p, i;

	for (f = 0; f < sizeof(flags) / sizeof(*flags); f++)
	for (w = 0; w < sizeof(widths) / sizeof(*widths); w++)
	for (p = 0; p < sizeof(precs) / sizeof(*precs); p++) {
		for (i = 0; i < sizeof(ints) / sizeof(*ints); i++) {
			long long v = ints[i];
			const char *conv[] = { "d", "i", "u", "x", "X" };

			for (size_t c = 0; c < 5; c++) {
				/* '+', ' ' are for signed conversions only */
				if (c >= 2 && strpbrk(flags[f], "+ "))
					continue;
				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s]", flags[f], widths[w], precs[p], conv[c]);
				CMP(fmt, (int)v);
				snprintf(fmt, sizeof(fmt), "[%%%s%s%sl%s]", flags[f], widths[w], precs[p], conv[c]);
				CMP(fmt, (long)v);
				snprintf(fmt, sizeof(fmt), "[%%%s%s%sll%s]", flags[f], widths[w], precs[p], conv[c]);
				CMP(fmt, v);
				snprintf(fmt, sizeof(fmt), "[%%%s%s%sz%s]", flags[f], widths[w], precs[p], conv[c]);
				CMP(fmt, (size_t)v);
			}
		}
		if (strpbrk(flags[f], "0+ #"))
			continue;       /* undefined for %s and %c */
		for (i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
			snprintf(fmt, sizeof(fmt), "[%%%s%s%ss]", flags[f], widths[w], precs[p]);
			CMP(fmt, strs[i]);
		}
		if (!precs[p][0]) {
			snprintf(fmt, sizeof(fmt), "[%%%s%sc]", flags[f], widths[w]);
			CMP(fmt, 'q');
		}
	}
	CMP("%p %p %p", (void *)0x1000, (void *)format_suite, (void *)&failures);
	CMP("%*d|%-*d|%.*d|%*.*s|", 6, 42, 6, 42, 4, 7, 8, 3, "abcdef");
	CMP("%*d|%.*s|", -6, 42, -1, "neg");
	CMP("%%|%c%c|", 'a', 'b');
	CMP("%hd %hu %hx %hhd %hhu", 12, 34, 0x56, 7, 8);
	CMP("%jd %td %zd", (intmax_t)-5, (ptrdiff_t)6, (ssize_t)-7);
	CMP("%s", "no conversions at all, just a long-ish line of text to copy over");
	{
		char small[4];
		int n = ukd_snprintf(small, sizeof(small), "%d", 123456);

		if (n != 6 || strcmp(small, "123")) {
			printf("MISMATCH truncation: %d \"%s\"\n", n, small);
			failures++;
		}
	}
	printf("format checks=%d failures=%d\n", checks, failures);
	return failures ? 1 : 0;
}

/* ---- crash scenarios ----------------------------------------------------- */

#define NOINLINE __attribute__((noinline))
#define NOT_A_TAIL_CALL() __asm__ __volatile__("" ::: "memory")

static volatile int sink;
static const char *scenario;

static NOINLINE void level3(int x)
{
	if (!strcmp(scenario, "assert"))
		UK_ASSERT(x == 42);
	else if (!strcmp(scenario, "crash"))
		uk_crash("explicit crash", NULL);
	else if (!strcmp(scenario, "crashf"))
		UK_CRASH("formatted\nreason %d %s\n", x, "end");
	else if (!strcmp(scenario, "segv"))
		sink = *(volatile int *)(uintptr_t)x;    /* x == 8: NULL page */
	else if (!strcmp(scenario, "recursive")) {
		crash_in_cout = 1;
		uk_crash("first crash", NULL);
	} else if (!strcmp(scenario, "longreason")) {
		char r[400];

		memset(r, 'r', sizeof(r) - 1);
		r[sizeof(r) - 1] = '\0';
		uk_crash(r, NULL);
	}
	NOT_A_TAIL_CALL();
}

static NOINLINE void level2(int x)
{
	level3(x);
	NOT_A_TAIL_CALL();
}

static NOINLINE void level1(int x)
{
	level2(x + 4);
	NOT_A_TAIL_CALL();
}

#if defined(__x86_64__)
/* What a linuxu platform does: turn the signal context into struct __regs. */
static void on_segv(int sig, siginfo_t *si, void *ctx)
{
	const greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
	struct __regs r = {
		.r15 = g[REG_R15], .r14 = g[REG_R14], .r13 = g[REG_R13], .r12 = g[REG_R12],
		.r11 = g[REG_R11], .r10 = g[REG_R10], .r9 = g[REG_R9], .r8 = g[REG_R8],
		.rbp = g[REG_RBP], .rdi = g[REG_RDI], .rsi = g[REG_RSI], .rdx = g[REG_RDX],
		.rcx = g[REG_RCX], .rbx = g[REG_RBX], .rax = g[REG_RAX],
		.vector = 14, .error_code = g[REG_ERR],
		.rip = g[REG_RIP], .cs = 0x33, .rflags = g[REG_EFL], .rsp = g[REG_RSP], .ss = 0x2b,
	};

	(void)sig;
	(void)si;
	uk_crash("page fault", &r);
}
#endif

int main(int argc, char *argv[])
{
	if (argc < 2)
		return 2;
	scenario = argv[1];
	if (!strcmp(scenario, "format"))
		return format_suite();
	if (!strcmp(scenario, "printk")) {
		char longmsg[1000];

		uk_pr_crit("crit %d\n", 1);
		uk_pr_err("err %s\n", "two");
		uk_pr_warn("warn %#x\n", 3);
		uk_pr_info("info is above the level\n");
		uk_pr_debug("debug is above the level\n");
		uk_printk("plain %s\n", "printk");
		memset(longmsg, 'x', sizeof(longmsg) - 1);
		longmsg[sizeof(longmsg) - 1] = '\0';
		uk_printk("long:%s:end\n", longmsg);
		_uk_printk(0, NULL, "odd level\n");
		_uk_printk(9, "x", "above every level: dropped\n");
		return 0;
	}
#if defined(__x86_64__)
	if (!strcmp(scenario, "segv")) {
		struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };

		sigaction(SIGSEGV, &sa, NULL);
	}
#endif
	level1(argc + 2);       /* x == 8 in level3 */
	NOT_A_TAIL_CALL();
	return 0;
}
