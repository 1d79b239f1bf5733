/* SPDX-License-Identifier: BSD-3-Clause */
/* rseq(2), restartable sequences (os/lib/posix-thread/rseq.c), through the
 * `syscall` / `svc #0` instruction as glibc issues it (on linuxu through
 * musl's syscall(): the instruction would reach the host's kernel):
 *
 * - registration and its errors, as Linux gives them: the CPU fields
 *   written, the same area again -EBUSY, another area -EINVAL, another
 *   signature -EPERM, a bad length or alignment -EINVAL, unknown flags
 *   -EINVAL, an unmapped area -EFAULT, unregistration (cpu_id back to
 *   RSEQ_CPU_ID_UNINITIALIZED), a thread starts unregistered;
 * - a fault's SIGSEGV in a section: the handler returns to abort_ip;
 * - the restart: two threads, pinned to one CPU, add 1 to a per-CPU
 *   counter in a hand-written critical section (start, commit, abort
 *   labels and an rseq_cs descriptor) that loads, spins, and stores. A
 *   preemption inside it must send the thread to the abort label;
 *   otherwise the other thread's adds made meanwhile are lost. The case
 *   requires aborts (at least 4) and the counters' sum equal to the
 *   commits; before it, a spinning thread must lose the CPU to a thread
 *   made meanwhile. On linuxu the policy is cooperative (no preemption),
 *   so these two cases fail there, as test_posix.py expects. */
#include "pt.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
#define RSEQ_SIG 0x53053053U    /* glibc's, x86_64 */
#else
#define RSEQ_SIG 0xd428bc00U    /* glibc's, arm64: brk #0x45e0 */
#endif
#define RSEQ_FLAG_UNREGISTER 1
#define CPU_ID_UNINITIALIZED 0xffffffffU

struct rs {
	uint32_t cpu_id_start, cpu_id;
	uint64_t rseq_cs;
	uint32_t flags, node_id, mm_cid, pad;
} __attribute__((aligned(32)));

/* The raw call, -errno on failure. */
static long rseq_call(void *area, unsigned long len, long flags, unsigned long sig)
{
#if defined(CONFIG_PLAT_LINUXU)
	long r = syscall(SYS_rseq, area, len, flags, sig);
	return r == -1 ? -errno : r;
#elif defined(__x86_64__)
	register long r10 __asm__("r10") = (long)sig;
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"((long)SYS_rseq), "D"(area), "S"(len), "d"(flags), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_rseq, x0 __asm__("x0") = (long)area,
		x1 __asm__("x1") = (long)len, x2 __asm__("x2") = flags, x3 __asm__("x3") = (long)sig;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
#endif
}

#define NCPU 1024
static struct rs areas[4];

static void rseq_register_and_errors(void)
{
	struct rs *a = &areas[0];
	static char big[64] __attribute__((aligned(32)));

	memset(a, 0xff, sizeof(*a));
	a->rseq_cs = 0;
	a->flags = 0;
	PT_CHECK(rseq_call(a, 32, 2, RSEQ_SIG) == -EINVAL);            /* unknown flag */
	PT_CHECK(rseq_call(a, 31, 0, RSEQ_SIG) == -EINVAL);            /* too short */
	PT_CHECK(rseq_call((char *)a + 16, 32, 0, RSEQ_SIG) == -EINVAL);  /* 16-aligned */
#if defined(CONFIG_LIBUKSYSCALL)
	/* here -EFAULT; Linux registers it and sends SIGSEGV at the return */
	PT_CHECK(rseq_call(pt_unmapped(), 32, 0, RSEQ_SIG) == -EFAULT);
#endif
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == -EINVAL);  /* none yet */
	PT_CHECK(rseq_call(a, 32, 0, RSEQ_SIG) == 0);
	PT_CHECK(a->cpu_id_start == a->cpu_id && a->cpu_id != CPU_ID_UNINITIALIZED);
	PT_CHECK(a->cpu_id < NCPU);                                    /* a CPU */
	PT_CHECK(a->node_id == 0 && a->rseq_cs == 0);
	PT_CHECK(rseq_call(a, 32, 0, RSEQ_SIG) == -EBUSY);             /* again */
	PT_CHECK(rseq_call(a, 32, 0, RSEQ_SIG + 1) == -EPERM);         /* another signature */
	PT_CHECK(rseq_call(&areas[1], 32, 0, RSEQ_SIG) == -EINVAL);    /* another area */
	PT_CHECK(rseq_call(a, 64, 0, RSEQ_SIG) == -EINVAL);            /* another length */
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER | 2, RSEQ_SIG) == -EINVAL);
	PT_CHECK(rseq_call(&areas[1], 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == -EINVAL);
	PT_CHECK(rseq_call(a, 64, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == -EINVAL);
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG + 1) == -EPERM);
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0);
	PT_CHECK(a->cpu_id == CPU_ID_UNINITIALIZED && a->cpu_id_start == 0 && a->node_id == 0);
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == -EINVAL);  /* gone */
	/* a longer area (AT_RSEQ_FEATURE_SIZE and more), 32-aligned */
	memset(big, 0xff, sizeof(big));
	memset(big + 8, 0, 16);
	PT_CHECK(rseq_call(big, 64, 0, RSEQ_SIG) == 0);
	PT_CHECK(((struct rs *)big)->cpu_id < NCPU);
	PT_CHECK(rseq_call(big, 64, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0);
}

static void *try_unregister(void *arg)
{
	/* a new thread has no registration of its own (its creator's is not
	 * inherited): unregistering the creator's area is -EINVAL */
	return (void *)rseq_call(arg, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
}

static void rseq_thread_starts_unregistered(void)
{
	struct rs *a = &areas[0];
	pthread_t t;
	void *ret;

	memset(a, 0, sizeof(*a));
	PT_CHECK(rseq_call(a, 32, 0, RSEQ_SIG) == 0);
	PT_CHECK(pthread_create(&t, NULL, try_unregister, a) == 0);
	PT_CHECK(pthread_join(t, &ret) == 0);
	PT_CHECK((long)ret == -EINVAL);
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0);
}

/*
 * long pt_rseq_add(struct rs *area, long *counters): counters[area->cpu_id]
 * += 1 in a critical section; 0 when it committed, 1 when it was aborted
 * (nothing stored). The section loads, spins SPIN times (so that a
 * preemption lands inside it most of the time), and stores.
 */
long pt_rseq_add(struct rs *area, long *counters);
#define SPIN "2000"
#if defined(__x86_64__)
__asm__(
	"	.text\n"
	"	.globl pt_rseq_add\n"
	"	.type pt_rseq_add, @function\n"
	"pt_rseq_add:\n"
	"	leaq .Lpt_rseq_cs(%rip), %rax\n"
	"	movq %rax, 8(%rdi)\n"                  /* area->rseq_cs */
	".Lpt_rseq_start:\n"
	"	movl 4(%rdi), %eax\n"                  /* cpu_id */
	"	leaq (%rsi,%rax,8), %rdx\n"
	"	movq (%rdx), %rcx\n"
	"	addq $1, %rcx\n"
	"	movl $" SPIN ", %eax\n"
	"1:	decl %eax\n"
	"	jnz 1b\n"
	"	movq %rcx, (%rdx)\n"                   /* the commit */
	".Lpt_rseq_post:\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"	.long 0x53053053\n"                    /* RSEQ_SIG before abort_ip */
	".Lpt_rseq_abort:\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"	.size pt_rseq_add, . - pt_rseq_add\n"
	"	.data\n"
	"	.balign 32\n"
	".Lpt_rseq_cs:\n"
	"	.long 0, 0\n"                          /* version, flags */
	"	.quad .Lpt_rseq_start, .Lpt_rseq_post - .Lpt_rseq_start, .Lpt_rseq_abort\n"
	"	.text\n");
#elif defined(__aarch64__)
__asm__(
	"	.text\n"
	"	.globl pt_rseq_add\n"
	"	.type pt_rseq_add, %function\n"
	"pt_rseq_add:\n"
	"	adrp x2, .Lpt_rseq_cs\n"
	"	add x2, x2, :lo12:.Lpt_rseq_cs\n"
	"	str x2, [x0, #8]\n"                    /* area->rseq_cs */
	".Lpt_rseq_start:\n"
	"	ldr w3, [x0, #4]\n"                    /* cpu_id */
	"	add x4, x1, w3, uxtw #3\n"
	"	ldr x5, [x4]\n"
	"	add x5, x5, #1\n"
	"	mov w6, #" SPIN "\n"
	"1:	subs w6, w6, #1\n"
	"	b.ne 1b\n"
	"	str x5, [x4]\n"                        /* the commit */
	".Lpt_rseq_post:\n"
	"	mov x0, #0\n"
	"	ret\n"
	"	.long 0xd428bc00\n"                    /* RSEQ_SIG before abort_ip */
	".Lpt_rseq_abort:\n"
	"	mov x0, #1\n"
	"	ret\n"
	"	.size pt_rseq_add, . - pt_rseq_add\n"
	"	.data\n"
	"	.balign 32\n"
	".Lpt_rseq_cs:\n"
	"	.long 0, 0\n"
	"	.quad .Lpt_rseq_start, .Lpt_rseq_post - .Lpt_rseq_start, .Lpt_rseq_abort\n"
	"	.text\n");
#endif

/*
 * long pt_rseq_load(struct rs *area, const long *p): loads *p inside a
 * critical section of that one instruction; 0 when it committed, 1 when
 * it was aborted.
 */
long pt_rseq_load(struct rs *area, const long *p);
#if defined(__x86_64__)
__asm__(
	"	.text\n"
	"	.globl pt_rseq_load\n"
	"	.type pt_rseq_load, @function\n"
	"pt_rseq_load:\n"
	"	leaq .Lpt_rseq_cs2(%rip), %rax\n"
	"	movq %rax, 8(%rdi)\n"
	".Lpt_rseq_start2:\n"
	"	movq (%rsi), %rax\n"
	".Lpt_rseq_post2:\n"
	"	xorl %eax, %eax\n"
	"	ret\n"
	"	.long 0x53053053\n"
	".Lpt_rseq_abort2:\n"
	"	movl $1, %eax\n"
	"	ret\n"
	"	.size pt_rseq_load, . - pt_rseq_load\n"
	"	.data\n"
	"	.balign 32\n"
	".Lpt_rseq_cs2:\n"
	"	.long 0, 0\n"
	"	.quad .Lpt_rseq_start2, .Lpt_rseq_post2 - .Lpt_rseq_start2, .Lpt_rseq_abort2\n"
	"	.text\n");
#elif defined(__aarch64__)
__asm__(
	"	.text\n"
	"	.globl pt_rseq_load\n"
	"	.type pt_rseq_load, %function\n"
	"pt_rseq_load:\n"
	"	adrp x2, .Lpt_rseq_cs2\n"
	"	add x2, x2, :lo12:.Lpt_rseq_cs2\n"
	"	str x2, [x0, #8]\n"
	".Lpt_rseq_start2:\n"
	"	ldr x3, [x1]\n"
	".Lpt_rseq_post2:\n"
	"	mov x0, #0\n"
	"	ret\n"
	"	.long 0xd428bc00\n"
	".Lpt_rseq_abort2:\n"
	"	mov x0, #1\n"
	"	ret\n"
	"	.size pt_rseq_load, . - pt_rseq_load\n"
	"	.data\n"
	"	.balign 32\n"
	".Lpt_rseq_cs2:\n"
	"	.long 0, 0\n"
	"	.quad .Lpt_rseq_start2, .Lpt_rseq_post2 - .Lpt_rseq_start2, .Lpt_rseq_abort2\n"
	"	.text\n");
#endif

static long *guarded;
static volatile int segvs;

static void open_guarded(int sig)
{
	(void)sig;
	segvs++;
	mprotect(guarded, 4096, PROT_READ | PROT_WRITE);
}

/* A signal delivered in a section (a fault's SIGSEGV, whose handler makes
 * the page readable and returns) restarts it too: the handler returns to
 * abort_ip, rseq_cs cleared, as Linux's rseq_signal_deliver(). Without a
 * fault the same section commits. */
static void rseq_signal_in_section_restarts(void)
{
	struct rs *a = &areas[0];
	struct sigaction sa = { .sa_handler = open_guarded }, old;
	long r;

	guarded = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(guarded != MAP_FAILED);
	PT_CHECK(sigaction(SIGSEGV, &sa, &old) == 0);
	memset(a, 0, sizeof(*a));
	segvs = 0;
	PT_CHECK(rseq_call(a, 32, 0, RSEQ_SIG) == 0);
	r = pt_rseq_load(a, guarded);
	PT_CHECK(sigaction(SIGSEGV, &old, NULL) == 0);
	PT_CHECK(segvs == 1 && r == 1 && a->rseq_cs == 0);
	PT_CHECK(pt_rseq_load(a, guarded) == 0 && segvs == 1);  /* readable now */
	PT_CHECK(rseq_call(a, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0);
	PT_CHECK(munmap(guarded, 4096) == 0);
}

#define ADDERS 2
#define MIN_ABORTS 4
#define MIN_COMMITS 2000
#define DEADLINE_S 10

static long counters[NCPU];
static volatile long total_aborts;

struct adder {
	struct rs *area;
	long commits, aborts, reg;
	struct timespec until;
};

static int before(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec < t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec < t->tv_nsec);
}

static void *adder(void *arg)
{
	struct adder *a = arg;
	cpu_set_t one;

	/* one CPU for both (Linux: they preempt each other; here there is
	 * one CPU and the call's result does not matter) */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	memset(a->area, 0, sizeof(*a->area));
	a->reg = rseq_call(a->area, 32, 0, RSEQ_SIG);
	if (a->reg)
		return NULL;
	/* the clock is read once every 256 sections: under TCG arm64 reading
	 * it takes QEMU's big lock, which delays the timer's interrupt until
	 * just after the read -- outside the section -- when it is read on
	 * every pass (the preemptions then all land in clock_gettime) */
	while ((total_aborts < MIN_ABORTS || a->commits < MIN_COMMITS) &&
	       ((a->commits + a->aborts) % 256 || before(&a->until))) {
		if (pt_rseq_add(a->area, counters))
			__atomic_add_fetch(&total_aborts, 1, __ATOMIC_RELAXED), a->aborts++;
		else
			a->commits++;
	}
	a->reg = rseq_call(a->area, 32, RSEQ_FLAG_UNREGISTER, RSEQ_SIG);
	return NULL;
}

static volatile int flag;

static void *set_flag(void *arg)
{
	(void)arg;
	flag = 1;
	return NULL;
}

/* What the restart needs first: a thread that spins (never blocks) loses
 * the CPU to one made while it ran alone (the scheduler gives it a time
 * slice then, not only at its next switch). */
static void rseq_spinning_thread_is_preempted(void)
{
	struct timespec until;
	pthread_t t;

	flag = 0;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += DEADLINE_S;
	PT_CHECK(pthread_create(&t, NULL, set_flag, NULL) == 0);
	while (!flag && before(&until))
		;
	PT_CHECK(flag == 1);
	PT_CHECK(pthread_join(t, NULL) == 0);
}

static void rseq_preempted_section_restarts(void)
{
	struct adder ad[ADDERS];
	pthread_t t[ADDERS];
	long sum = 0, commits = 0, aborts = 0;
	struct timespec until;
	int i;

	memset(counters, 0, sizeof(counters));
	total_aborts = 0;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += DEADLINE_S;
	for (i = 0; i < ADDERS; i++) {
		ad[i] = (struct adder){ .area = &areas[i], .until = until };
		PT_CHECK(pthread_create(&t[i], NULL, adder, &ad[i]) == 0);
	}
	for (i = 0; i < ADDERS; i++)
		PT_CHECK(pthread_join(t[i], NULL) == 0);
	for (i = 0; i < ADDERS; i++) {
		PT_CHECK(ad[i].reg == 0);               /* registered and unregistered */
		commits += ad[i].commits;
		aborts += ad[i].aborts;
	}
	for (i = 0; i < NCPU; i++)
		sum += counters[i];
	PT_CHECK(aborts >= MIN_ABORTS);                 /* the abort path was taken */
	PT_CHECK(sum == commits);                       /* and no add was lost */
	PT_CHECK(ad[0].commits >= MIN_COMMITS && ad[1].commits >= MIN_COMMITS);
}

const struct pt_case pt_rseq_cases[] = {
	PT_CASE(rseq_register_and_errors),
	PT_CASE(rseq_thread_starts_unregistered),
	PT_CASE(rseq_signal_in_section_restarts),
	PT_CASE(rseq_spinning_thread_is_preempted),
	PT_CASE(rseq_preempted_section_restarts),
	PT_END,
};
