/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Crash reports (os/include/uk/assert.h). Overrides the weak one-liners of
 * lib/ukboot/crash_fallback.c with the full report of the console protocol
 * (ARCHITECTURE.md), which the host tool parses and symbolises:
 *
 *   UK-CRASH <reason>
 *   UK-REGS RIP=0x... RSP=0x... ...      (only with saved registers)
 *   UK-BT 0x<faulting pc>                (only with saved registers)
 *   UK-BT 0x<return address>             (one per frame, innermost first)
 *   UK-CRASH-END
 *
 * and stops the guest with status 255. A crash may come from a broken heap or
 * a corrupted stack, so this path allocates nothing, formats into buffers on
 * the stack, and bounds the frame walk. A crash while reporting one prints
 * "UK-CRASH recursive" and halts at once.
 *
 * UK-BT addresses after the first are return addresses: they point just after
 * the call instruction (the host should look up addr - 1).
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/arch.h>
#include <uk/assert.h>
#include <uk/backtrace.h>
#include <uk/plat.h>
#include "format.h"

#define REASON_MAX 160

static volatile int crashing;    /* plain flag: no atomics helpers needed */
#if defined(CONFIG_LIBUKSCHED)
/* The crashing thread's name, or NULL (uksched's; weak: a crash may come
 * before it is linked in a partial build). Not built without a scheduler. */
extern const char *uk_crash_thread_name(void) __weak;
#endif

static void out(const char *s)
{
	ukplat_cout(s, uk_strlen(s));
}

static void outf(const char *fmt, ...) __printf(1, 2);
static void outf(const char *fmt, ...)
{
	char buf[96];
	struct ukd_out o = { .buf = buf, .size = sizeof(buf), .flush = ukplat_cout };
	va_list ap;

	va_start(ap, fmt);
	ukd_vformat(&o, fmt, &ap);
	va_end(ap);
	if (o.pos)
		ukplat_cout(buf, o.pos);
}

int uk_backtrace_walk(uintptr_t fp, uintptr_t *pcs, int max)
{
	int n = 0;

	while (n < max && fp && !(fp & (sizeof(uintptr_t) - 1))) {
		const uintptr_t *rec = (const uintptr_t *)fp;
		uintptr_t next = rec[0], ra = rec[1];

		if (!ra)
			break;
		pcs[n++] = ra;
		if (next <= fp || next - fp > UK_BACKTRACE_MAX_FRAME)
			break;
		fp = next;
	}
	return n;
}

/* "UK-REGS" lines of four registers each; names[i] goes with vals[i]. */
static void print_regs(const char *const names[], const uint64_t vals[], int count)
{
	for (int i = 0; i < count; i++)
		outf("%s%s=0x%016llx%s", i % 4 ? " " : "UK-REGS ", names[i],
		     (unsigned long long)vals[i], i % 4 == 3 || i == count - 1 ? "\n" : "");
}

/*
 * print_arch(): the UK-REGS lines, and where the report goes on from: the
 * faulting pc, the frame pointer and stack pointer at the fault, and the
 * return address of a call into a page that cannot be executed (the fault
 * is on the first instruction fetch, before the callee could save a frame,
 * so the frame walk would skip the caller; 0 for other faults).
 */
#if defined(__x86_64__)
static void print_arch(const struct __regs *r, uintptr_t *pc, uintptr_t *fp, uintptr_t *sp,
		       uintptr_t *call)
{
	static const char *const names[] = {
		"RIP", "RSP", "RBP", "RFLAGS", "RAX", "RBX", "RCX", "RDX",
		"RSI", "RDI", "R8", "R9", "R10", "R11", "R12", "R13",
		"R14", "R15", "CS", "SS", "VECTOR", "ERROR",
	};
	const uint64_t vals[] = {
		r->rip, r->rsp, r->rbp, r->rflags, r->rax, r->rbx, r->rcx, r->rdx,
		r->rsi, r->rdi, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13,
		r->r14, r->r15, r->cs, r->ss, r->vector, r->error_code,
	};

	print_regs(names, vals, (int)UK_ARRAY_SIZE(vals));
	*pc = r->rip;
	*fp = r->rbp;
	*sp = r->rsp;
	/* page fault on an instruction fetch: the call's return address is
	 * on top of the stack (the call pushed it there, so it is mapped) */
	*call = r->vector == 14 && (r->error_code & 0x10) && r->rsp && !(r->rsp & 7)
		? *(const uintptr_t *)(uintptr_t)r->rsp : 0;
}
#elif defined(__aarch64__)
static void print_arch(const struct __regs *r, uintptr_t *pc, uintptr_t *fp, uintptr_t *sp,
		       uintptr_t *call)
{
	static const char *const names[] = {
		"ELR", "SP", "X29", "X30", "SPSR", "ESR", "FAR",
		"X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9",
		"X10", "X11", "X12", "X13", "X14", "X15", "X16", "X17", "X18",
		"X19", "X20", "X21", "X22", "X23", "X24", "X25", "X26", "X27", "X28",
	};
	uint64_t vals[UK_ARRAY_SIZE(names)];

	vals[0] = r->elr, vals[1] = r->sp, vals[2] = r->x[29], vals[3] = r->x[30];
	vals[4] = r->spsr, vals[5] = r->esr, vals[6] = r->far;
	for (int i = 0; i < 29; i++)
		vals[7 + i] = r->x[i];
	print_regs(names, vals, (int)UK_ARRAY_SIZE(vals));
	*pc = r->elr;
	*fp = r->x[29];
	*sp = r->sp;
	/* instruction abort at the current EL (ESR.EC 0x21): the link
	 * register still holds the call's return address */
	*call = (r->esr >> 26) == 0x21 ? r->x[30] : 0;
}
#else
#error "ukdebug: crash reports are written for x86_64 and arm64 only"
#endif

/* The report; `fp` is where the walk starts when there are no registers. */
static void __attribute__((noinline))
report(const char *reason, const struct __regs *regs, uintptr_t fp)
{
	uintptr_t pcs[UK_BACKTRACE_MAX], pc = 0, sp = fp, call = 0;
	char line[REASON_MAX];
	int n, i = 0;

	if (crashing++) {
		if (crashing == 2)   /* a third time: even printing crashes */
			out("\nUK-CRASH recursive\nUK-CRASH-END\n");
		ukplat_halt(255);
	}
	/* the reason must stay on the UK-CRASH line: cut it, no line breaks */
	for (i = 0; reason && reason[i] && i < REASON_MAX - 1; i++)
		line[i] = reason[i] == '\n' || reason[i] == '\r' ? ' ' : reason[i];
	while (i && line[i - 1] == ' ')
		i--;
	line[i] = '\0';
	outf("\nUK-CRASH %s\n", i ? line : "(no reason)");
#if defined(CONFIG_LIBUKSCHED)
	if (uk_crash_thread_name && uk_crash_thread_name())   /* which thread crashed */
		outf("UK-THREAD %s\n", uk_crash_thread_name());
#endif
	i = 0;
	if (regs) {
		print_arch(regs, &pc, &fp, &sp, &call);
		outf("UK-BT 0x%lx\n", (unsigned long)pc);
		i = 1;
		if (call) {
			outf("UK-BT 0x%lx\n", (unsigned long)call);
			i = 2;
		}
	}
	/* a frame pointer below the stack pointer or far above it is garbage */
	n = fp >= sp && fp - sp <= UK_BACKTRACE_MAX_FRAME
	    ? uk_backtrace_walk(fp, pcs, UK_BACKTRACE_MAX - i) : 0;
	for (i = 0; i < n; i++)
		outf("UK-BT 0x%lx\n", (unsigned long)pcs[i]);
	out("UK-CRASH-END\n");
}

void uk_crash(const char *reason, const struct __regs *regs)
{
	report(reason, regs, uk_backtrace_fp());
	ukplat_halt(255);
}

void uk_crashf(const char *fmt, ...)
{
	char reason[REASON_MAX];
	struct ukd_out o = { .buf = reason, .size = sizeof(reason) };
	va_list ap;

	if (!crashing && fmt) {     /* else report() says "recursive" */
		va_start(ap, fmt);
		ukd_vformat(&o, fmt, &ap);
		va_end(ap);
	}
	reason[o.pos] = '\0';
	report(reason, NULL, uk_backtrace_fp());
	ukplat_halt(255);
}
