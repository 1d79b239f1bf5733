/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of fork in one address space (fork.c), through the
 * trapped entry as a Linux binary calls it: the raw clone syscall (x86_64
 * `syscall`, arm64 `svc #0`), on a thread whose stack is posix-mmap memory
 * (as a program ukelfload starts has). The child changes memory (a
 * mapping's contents, a new mapping, the break), fds, the cwd, the umask,
 * a signal action and exits or dies; the parent must see none of it, get
 * the child's pid, and reap the child's real status with wait4.
 * Needs uksyscall, posix-mmap on a VM platform and a scheduler; the fd/cwd
 * parts need vfscore and ramfs.
 */
#if defined(CONFIG_LIBUKSYSCALL) && defined(CONFIG_LIBPOSIX_MMAP) && defined(CONFIG_LIBUKSCHED) && \
	!defined(CONFIG_PLAT_LINUXU)
#include <uk/test.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/alloc.h>
#include <uk/process.h>
#include <uk/sched.h>
#include <uk/syscall.h>
#include <uk/linux/mman.h>
#include <uk/linux/resource.h>
#if defined(CONFIG_LIBPOSIX_SIGNAL)
#include <uk/linux/signal.h>
#endif
#if defined(CONFIG_LIBVFSCORE) && defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/linux/fcntl.h>
#define WITH_FILES 1
#endif

#define CLONE_VM          0x00000100
#define CLONE_VFORK       0x00004000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_CHILD_CLEARTID 0x00200000
#define SIGCHLD 17

/* Inlined: a CLONE_VM child must not return from the function that issued
 * the clone (as with vfork on Linux: its frames are the parent's). */
static inline __attribute__((always_inline)) long raw_syscall(long nr, long a0, long a1, long a2, long a3, long a4)
{
#if defined(__x86_64__)
	register long r10 __asm__("r10") = a3;
	register long r8 __asm__("r8") = a4;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(nr), "D"(a0), "S"(a1), "d"(a2), "r"(r10), "r"(r8)
			     : "rcx", "r11", "memory");
	return ret;
#else
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a0;
	register long x1 __asm__("x1") = a1;
	register long x2 __asm__("x2") = a2;
	register long x3 __asm__("x3") = a3;
	register long x4 __asm__("x4") = a4;

	__asm__ __volatile__("svc #0"
			     : "+r"(x0)
			     : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			     : "memory");
	return x0;
#endif
}

/* clone(flags, newsp, ptid, ctid, tls) in x86_64's order; arm64 swaps the
 * last two (CONFIG_CLONE_BACKWARDS) */
static inline __attribute__((always_inline)) long raw_clone(unsigned long flags, int *ctid)
{
#if defined(__x86_64__)
	return raw_syscall(UK_NR_clone, (long)flags, 0, 0, (long)ctid, 0);
#else
	return raw_syscall(UK_NR_clone, (long)flags, 0, 0, 0, (long)ctid);
#endif
}

/* What the run saw: kept in the kernel heap, which fork does not restore,
 * so the child's observations survive it. */
struct fork_result {
	int failed_line;                /* the first failed check, 0: none */
	long child_pid, child_getpid, child_getppid, child_gettid, child_ctid;
	long parent_fork_ret, wait_pid, wait_status, wait_again;
	long sig_pid, sig_status;
	long vfork_pid, vfork_status, vfork_shared;
	long nested_status;
};

#define CHECK(r, cond) do { if (!(cond) && !(r)->failed_line) (r)->failed_line = __LINE__; } while (0)

#if WITH_FILES
static int pfd = -1;    /* the parent's file (a kernel global: not restored, never changed) */
#endif

static void child_work(struct fork_result *r, volatile int *mem, unsigned long brk0)
{
	volatile int *more;

	r->child_getpid = uk_sys_getpid();
	r->child_getppid = uk_sys_getppid();
	r->child_gettid = raw_syscall(UK_NR_gettid, 0, 0, 0, 0, 0);
	mem[0] = 222;                                   /* the parent's page */
	more = (volatile int *)uk_sys_mmap(NULL, 8192, UK_PROT_READ | UK_PROT_WRITE,
					   UK_MAP_PRIVATE | UK_MAP_ANONYMOUS, -1, 0);
	if ((long)more > 0)
		more[0] = 5;
	uk_sys_brk(brk0 + 65536);
	*(volatile int *)brk0 = 77;
#if WITH_FILES
	uk_sys_close(pfd);                      /* the parent's open file */
	uk_sys_openat(UK_AT_FDCWD, "/fork-child", UK_O_CREAT | UK_O_WRONLY, 0600); /* at pfd */
	uk_sys_mkdirat(UK_AT_FDCWD, "/forkdir", 0755);
	uk_sys_chdir("/forkdir");
	uk_sys_umask(077);
#endif
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	{
		struct uk_sigaction ign = { .sa_handler = UK_SIG_IGN };

		uk_sys_rt_sigaction(UK_SIGUSR1, &ign, NULL, sizeof(unsigned long));
	}
#endif
}

static void *fork_thread(void *arg)
{
	struct fork_result *r = arg;
	volatile int *mem;
	unsigned long brk0;
	int ctid = 0;
	int status = -1;
	long pid;

	mem = (volatile int *)uk_sys_mmap(NULL, 4096, UK_PROT_READ | UK_PROT_WRITE,
					  UK_MAP_PRIVATE | UK_MAP_ANONYMOUS, -1, 0);
	CHECK(r, (long)mem > 0);
	mem[0] = 111;
	brk0 = (unsigned long)uk_sys_brk(0);
	uk_sys_brk(brk0 + 4096);
	*(volatile int *)brk0 = 11;
#if WITH_FILES
	pfd = (int)uk_sys_openat(UK_AT_FDCWD, "/fork-parent", UK_O_CREAT | UK_O_RDWR, 0600);
	CHECK(r, pfd >= 0);
	CHECK(r, uk_sys_write(pfd, "parent", 6) == 6);
	uk_sys_umask(022);
#endif

	/* 1. fork: the child exits with 7 after changing everything */
	pid = raw_clone(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, &ctid);
	if (pid == 0) {
		r->child_ctid = ctid;
		child_work(r, mem, brk0);
		raw_syscall(UK_NR_exit_group, 7, 0, 0, 0, 0);
		r->failed_line = __LINE__;      /* never here */
	}
	r->parent_fork_ret = pid;
	CHECK(r, mem[0] == 111);
	CHECK(r, (unsigned long)uk_sys_brk(0) == brk0 + 4096);
	CHECK(r, *(volatile int *)brk0 == 11);
	CHECK(r, ctid == 0);                    /* CHILD_SETTID wrote the child's memory */
	CHECK(r, uk_sys_getpid() == 1 && uk_sys_getppid() == 0);
#if WITH_FILES
	CHECK(r, uk_sys_umask(022) == 022);
	{
		char buf[16] = { 0 };

		CHECK(r, uk_sys_pread64(pfd, buf, sizeof(buf), 0) == 6 && !uk_strncmp(buf, "parent", 7));
		CHECK(r, uk_sys_getcwd(buf, sizeof(buf)) == 2 && !uk_strncmp(buf, "/", 2));
		long cfd = uk_sys_openat(UK_AT_FDCWD, "/fork-child", UK_O_RDONLY, 0);

		CHECK(r, cfd == pfd + 1);  /* the child's fd was closed; its file stays */
		uk_sys_close((int)cfd);
	}
#endif
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	{
		struct uk_sigaction old;

		uk_sys_rt_sigaction(UK_SIGUSR1, NULL, &old, sizeof(unsigned long));
		CHECK(r, old.sa_handler == UK_SIG_DFL);
	}
#endif
	r->wait_pid = uk_sys_wait4(-1, &status, 0, NULL);
	r->wait_status = status;
	r->wait_again = uk_sys_wait4(-1, &status, UK_WNOHANG, NULL);

#if defined(CONFIG_LIBPOSIX_SIGNAL)
	/* 2. a child killed by a signal: WIFSIGNALED */
	pid = raw_clone(SIGCHLD, NULL);
	if (pid == 0) {
		mem[0] = 333;
		raw_syscall(UK_NR_kill, uk_sys_getpid(), UK_SIGTERM, 0, 0, 0);
		r->failed_line = __LINE__;
	}
	r->sig_pid = pid;
	CHECK(r, mem[0] == 111);
	CHECK(r, uk_sys_wait4((int)pid, &status, 0, NULL) == pid);
	r->sig_status = status;
#endif

	/* 3. vfork-style (CLONE_VM | CLONE_VFORK): the memory is shared */
	pid = raw_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	if (pid == 0) {
		mem[0] = 444;
		raw_syscall(UK_NR_exit_group, 3, 0, 0, 0, 0);
		r->failed_line = __LINE__;
	}
	r->vfork_pid = pid;
	r->vfork_shared = mem[0];
	mem[0] = 111;
	CHECK(r, uk_sys_wait4((int)pid, &status, 0, NULL) == pid);
	r->vfork_status = status;

	/* 4. nested: a child forks a grandchild and reaps it */
	pid = raw_clone(SIGCHLD, NULL);
	if (pid == 0) {
		long g = raw_clone(SIGCHLD, NULL);

		if (g == 0) {
			mem[0] = 555;
			raw_syscall(UK_NR_exit_group, 9, 0, 0, 0, 0);
		}
		status = 0;
		if (mem[0] != 111 || uk_sys_wait4((int)g, &status, 0, NULL) != g)
			raw_syscall(UK_NR_exit_group, 1, 0, 0, 0, 0);
		raw_syscall(UK_NR_exit_group, (status >> 8) + 10, 0, 0, 0, 0);
	}
	CHECK(r, uk_sys_wait4(-1, &status, 0, NULL) == pid);
	r->nested_status = status;
	CHECK(r, mem[0] == 111);
	CHECK(r, uk_sys_wait4(-1, &status, 0, NULL) == -ECHILD);
#if WITH_FILES
	uk_sys_close(pfd);
	uk_sys_unlinkat(UK_AT_FDCWD, "/fork-parent", 0);
	uk_sys_unlinkat(UK_AT_FDCWD, "/fork-child", 0);
	uk_sys_unlinkat(UK_AT_FDCWD, "/forkdir", UK_AT_REMOVEDIR);
#endif
	uk_sys_brk(brk0);
	uk_sys_munmap((void *)mem, 4096);
	return NULL;
}

UK_TESTCASE(posix_process, fork_child_changes_nothing_of_the_parent)
{
	struct fork_result *r = uk_calloc(uk_alloc_get_default(), 1, sizeof(*r));
	size_t stack_size = 65536;
	void *stack = (void *)uk_sys_mmap(NULL, stack_size, UK_PROT_READ | UK_PROT_WRITE,
					  UK_MAP_PRIVATE | UK_MAP_ANONYMOUS | UK_MAP_STACK, -1, 0);
	struct uk_thread *t;

	UK_TEST_EXPECT_NOT_NULL(r);
	UK_TEST_EXPECT((long)stack > 0);
	UK_TEST_EXPECT_EQ(uk_thread_create_ext(&t, "fork", 0, (uintptr_t)stack + stack_size,
					       uk_thread_get_tp(uk_thread_current()), fork_thread,
					       r), 0);
	UK_TEST_EXPECT_EQ(uk_thread_join(t, NULL), 0);
	UK_TEST_EXPECT_EQ(r->failed_line, 0);
	UK_TEST_EXPECT(r->parent_fork_ret >= 2);
	UK_TEST_EXPECT_EQ(r->child_getpid, r->parent_fork_ret);
	UK_TEST_EXPECT_EQ(r->child_gettid, r->parent_fork_ret);
	UK_TEST_EXPECT_EQ(r->child_getppid, 1);
	UK_TEST_EXPECT_EQ(r->child_ctid, r->parent_fork_ret);
	UK_TEST_EXPECT_EQ(r->wait_pid, r->parent_fork_ret);
	UK_TEST_EXPECT_EQ(r->wait_status, 7 << 8);      /* WIFEXITED, WEXITSTATUS 7 */
	UK_TEST_EXPECT_EQ(r->wait_again, -ECHILD);
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	UK_TEST_EXPECT_EQ(r->sig_pid, r->parent_fork_ret + 1);
	UK_TEST_EXPECT_EQ(r->sig_status, 15);           /* WIFSIGNALED, WTERMSIG 15 */
#endif
	UK_TEST_EXPECT(r->vfork_pid >= 2);
	UK_TEST_EXPECT_EQ(r->vfork_shared, 444);
	UK_TEST_EXPECT_EQ(r->vfork_status, 3 << 8);
	UK_TEST_EXPECT_EQ(r->nested_status, 19 << 8);   /* the grandchild's 9, + 10 */
	uk_sys_munmap(stack, stack_size);
	uk_free(uk_alloc_get_default(), r);
}
#endif
