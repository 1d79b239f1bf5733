/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fork for a waiting parent, in one address space (ARCHITECTURE.md,
 * "Binary compatibility / Processes"). There is one address space and one
 * CPU, so a child cannot run beside its parent: fork/vfork/clone without
 * CLONE_THREAD suspend the parent and run the child in its place, on a
 * saved copy of everything the child could change:
 *
 * - the memory: every posix-mmap region and its present pages, and the
 *   break (uk/mmap_snapshot.h) — taken at fork, or for CLONE_VM (vfork,
 *   posix_spawn), whose child shares the parent's memory as on Linux, at
 *   the child's execve, before the new program replaces it;
 * - the calling thread's stack from this function's frame up to the
 *   caller's stack pointer (the trap frame and the kernel frames under it,
 *   which the child overwrites even with CLONE_VM);
 * - the kernel side: the fd table (the child's fds share descriptions with
 *   the parent's, offsets included), the cwd, the umask, the signal actions,
 *   mask, pending set and alternate stack, the thread's POSIX words
 *   (clear-tid, robust list), its thread pointer (FS base / TPIDR_EL0), the
 *   running program's path, argv and envp, the pids, the unreaped children.
 *
 * The child gets a new pid (getpid, gettid; getppid = the parent's) and
 * returns 0 from the same call. When it ends — exit_group, exit, a fatal
 * signal, or the end of the program it exec'd — everything is put back on
 * a stack of our own, and the parent returns from its fork with the
 * child's pid; the child is then a zombie whose status wait4 reaps, and the
 * parent gets the clone's exit signal (SIGCHLD). Children nest (a child
 * may fork) up to FORK_DEPTH.
 *
 * Limits: one child runs at a time and its parent waits for its end, so a
 * parent never runs beside its child: a pipeline's writer runs to its end
 * before the reader starts (vfscore grows a pipe a child writes beyond its
 * 64 KiB), and a child that waits for its parent or a later sibling (a pipe
 * they should fill) blocks forever: the guest hangs until its timeout.
 * The calling thread's stack must be posix-mmap memory (it is
 * for programs ukelfload starts); the parent's other threads are not
 * stopped and their stacks come back with the memory: one that runs while
 * the child runs would resume on an old stack (a multi-threaded program's
 * fork is not safe). Needs the trapped entry
 * (the caller's frame) and, for a full fork, posix-mmap on a VM platform;
 * otherwise fork is -ENOSYS.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/assert.h>
#include <uk/alloc.h>
#include <uk/arch.h>
#include <uk/arch_jmp.h>
#include <uk/string.h>
#include <uk/plat/irq.h>
#include <uk/process.h>
#include <uk/user.h>
#include <uk/linux/resource.h>
#if defined(CONFIG_LIBUKSCHED)
#include <uk/sched.h>
#endif
#if defined(CONFIG_LIBUKTLS)
#include <uk/tls.h>
#endif
#if defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/fdtab.h>
#include <uk/linux/fcntl.h>
#endif
#if defined(CONFIG_LIBPOSIX_SIGNAL)
#include <uk/signal.h>
#endif
#if defined(CONFIG_LIBPOSIX_MMAP) && !defined(CONFIG_PLAT_LINUXU)
#include <uk/mmap_snapshot.h>
#define HAVE_SNAPSHOT 1         /* posix-mmap's snapshot.c (VM platforms) */
#endif
#include "process_impl.h"

#define FORK_DEPTH   8
#define MAX_ZOMBIES  64
#define RESTORE_STACK 16384

/* Linux's clone flags (include/uapi/linux/sched.h) */
#define CLONE_CSIGNAL         0x000000ff
#define CLONE_VM              0x00000100
#define CLONE_FS              0x00000200
#define CLONE_FILES           0x00000400
#define CLONE_SIGHAND         0x00000800
#define CLONE_VFORK           0x00004000
#define CLONE_PARENT          0x00008000
#define CLONE_THREAD          0x00010000
#define CLONE_SETTLS          0x00080000
#define CLONE_PARENT_SETTID   0x00100000
#define CLONE_CHILD_CLEARTID  0x00200000
#define CLONE_DETACHED        0x00400000
#define CLONE_CHILD_SETTID    0x01000000
#define FORK_FLAGS (CLONE_CSIGNAL | CLONE_VM | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
		    CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_CHILD_SETTID)
#define SIGCHLD 17


struct zombie {
	int pid;
	int wstatus;
};

/* One suspended parent. */
struct fork_frame {
	struct arch_jmp ctx;            /* the parent's, in fork */
	unsigned long irqf;
	unsigned long flags;
	int child, pid, ppid;
	int tid;                        /* the forking thread's uksched tid */
	int wstatus;                    /* the child's, at its end */
	int *ptid;
	void *stack_copy;               /* [stack_lo, stack_hi) */
	uintptr_t stack_lo, stack_hi;
	struct uk_mmap_snapshot *mem;
	struct uk_fdtab_copy *fds;
	struct uk_file *cwd;
	unsigned int umask;
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	struct uk_signal_state sig;
#endif
#if defined(CONFIG_LIBUKSCHED)
	void *posix_words[UK_THREAD_POSIX_WORDS];       /* the thread's POSIX words */
#else
	void *posix_words[1];                           /* unused: no threads */
#endif
	uintptr_t tp;
	char *exe, *cmdline, *environ_;
	size_t cmdline_len, environ_len;
	struct zombie zombies[MAX_ZOMBIES];
	int nzombies;
};

static struct fork_frame *frames[FORK_DEPTH];
static int depth;
static int next_pid = 2;
/* the running process's unreaped children */
static struct zombie zombies[MAX_ZOMBIES];
static int nzombies;
static char restore_stack[RESTORE_STACK] __attribute__((aligned(16)));

/* vfscore's and posix-mmap's, when they are in the image */
long uk_sys_openat(int dfd, const char *filename, int flags, unsigned int mode) __weak;
long uk_sys_fchdir(int fd) __weak;
long uk_sys_umask(int mask) __weak;
struct __regs *uk_syscall_regs(void) __weak;
#if HAVE_SNAPSHOT
int uk_mmap_snapshot_take(struct uk_mmap_snapshot **out) __weak;
#endif

bool uk_mmap_fault_in(uintptr_t addr, bool write) __weak;

/*
 * Handlers run on the caller's stack, which for a program is posix-mmap
 * memory paged on demand: a fresh stack page touched inside the allocator
 * (its lock held) would fault into the allocator again. fork and execve go
 * deep (copies, the loader): their pages are made present first.
 */
#define STACK_PROBE (24 * 1024)

void __attribute__((noinline)) process_probe_stack(void)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0), a;

	if (!uk_mmap_fault_in)
		return;
	for (a = sp & ~4095UL; a > sp - STACK_PROBE; a -= 4096)
		if (!uk_mmap_fault_in(a, true))
			break;
}

bool uk_process_in_child(void)
{
	return depth > 0;
}

int uk_process_tid(int tid)
{
	if (depth && tid == frames[depth - 1]->tid)
		return frames[depth - 1]->child;
	return tid;
}

static int current_tid(void)
{
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current())
		return uk_thread_tid(uk_thread_current());
#endif
	return 1;
}

static uintptr_t get_tp(void)
{
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current())
		return uk_thread_get_tp(uk_thread_current());
#endif
#if defined(CONFIG_LIBUKTLS)
	return arch_tls_get_tp();
#else
	return 0;
#endif
}

static void set_tp(uintptr_t tp)
{
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current()) {
		uk_thread_set_tp(tp);
		return;
	}
#endif
#if defined(CONFIG_LIBUKTLS)
	arch_tls_set_tp(tp);
#else
	(void)tp;
#endif
}

static void **posix_words(void)
{
#if defined(CONFIG_LIBUKSCHED)
	if (uk_thread_current())
		return uk_thread_posix_data(uk_thread_current());
#endif
	return NULL;
}

static unsigned long regs_sp(const struct __regs *r)
{
#if defined(__x86_64__)
	return r->rsp;
#else
	return r->sp;
#endif
}

static void set_regs_sp(struct __regs *r, unsigned long sp)
{
#if defined(__x86_64__)
	r->rsp = sp;
#else
	r->sp = sp;
#endif
}

static char *dup_bytes(const char *s, size_t n)
{
	char *d = uk_malloc(uk_alloc_get_default(), n ? n : 1);

	if (d && n)
		__builtin_memcpy(d, s, n);
	return d;
}

/* Frees what save_kernel_state() took (a fork that failed, or the end). */
static void free_frame(struct fork_frame *f)
{
	struct uk_alloc *a = uk_alloc_get_default();

#if defined(CONFIG_LIBPOSIX_FDTAB)
	if (f->fds)
		uk_fdtab_drop(f->fds);
	if (f->cwd)
		uk_file_put(f->cwd);
#endif
#if HAVE_SNAPSHOT
	if (f->mem)
		uk_mmap_snapshot_drop(f->mem);
#endif
	uk_free(a, f->stack_copy);
	uk_free(a, f->exe);
	uk_free(a, f->cmdline);
	uk_free(a, f->environ_);
	uk_free(a, f);
}

/* The parent's kernel-side state into f: 0 or -ENOMEM. */
static int save_kernel_state(struct fork_frame *f)
{
	const char *exe = uk_process_exe();
	void **w = posix_words();

	f->exe = dup_bytes(exe, uk_strlen(exe) + 1);
	f->cmdline_len = uk_process_cmdline(NULL, 0);
	f->cmdline = uk_malloc(uk_alloc_get_default(), f->cmdline_len + 1);
	f->environ_len = uk_process_environ(NULL, 0);
	f->environ_ = uk_malloc(uk_alloc_get_default(), f->environ_len + 1);
	if (!f->exe || !f->cmdline || !f->environ_)
		return -ENOMEM;
	uk_process_cmdline(f->cmdline, f->cmdline_len);
	uk_process_environ(f->environ_, f->environ_len);
#if defined(CONFIG_LIBPOSIX_FDTAB)
	if (uk_sys_openat && uk_sys_fchdir) {
		long fd = uk_sys_openat(UK_AT_FDCWD, ".", UK_O_PATH | UK_O_DIRECTORY, 0);

		if (fd >= 0) {
			f->cwd = uk_fdtab_get((int)fd);
			uk_fdtab_close((int)fd);
		}
	}
	f->fds = uk_fdtab_save();
	if (!f->fds)
		return -ENOMEM;
#endif
	if (uk_sys_umask) {
		f->umask = (unsigned int)uk_sys_umask(0);
		uk_sys_umask((int)f->umask);
	}
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	uk_signal_save(&f->sig);
#endif
	if (w)
		__builtin_memcpy(f->posix_words, w, sizeof(f->posix_words));
	f->tp = get_tp();
	f->pid = uk_process_pid();
	f->ppid = uk_process_ppid();
	f->tid = current_tid();
	__builtin_memcpy(f->zombies, zombies, sizeof(zombies));
	f->nzombies = nzombies;
	return 0;
}

/* The parent's kernel-side state back (on the parent's stack again). */
static void restore_kernel_state(struct fork_frame *f)
{
	void **w = posix_words();

#if defined(CONFIG_LIBPOSIX_FDTAB)
	uk_fdtab_restore(f->fds);
	f->fds = NULL;
	if (f->cwd) {
		int fd = uk_fdtab_install(f->cwd, 0, 0);

		if (fd >= 0) {
			uk_sys_fchdir(fd);
			uk_fdtab_close(fd);
		}
	}
#endif
	if (uk_sys_umask)
		uk_sys_umask((int)f->umask);
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	uk_signal_restore(&f->sig);
#endif
	if (w)
		__builtin_memcpy(w, f->posix_words, sizeof(f->posix_words));
	set_tp(f->tp);
	if (f->exe[0])
		uk_process_set_exe(f->exe);
	process_restore_args(f->cmdline, f->cmdline_len, f->environ_, f->environ_len);
	f->cmdline = f->environ_ = NULL;        /* process_restore_args took them */
	process_set_ids(f->pid, f->ppid);
	__builtin_memcpy(zombies, f->zombies, sizeof(zombies));
	nzombies = f->nzombies;
}

/* Whether the parent (now running) lets its children be reaped: a
 * SIGCHLD set to SIG_IGN or SA_NOCLDWAIT leaves no zombie, as on Linux. */
static bool keeps_zombies(void)
{
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	struct uk_signal_state *s = uk_malloc(uk_alloc_get_default(), sizeof(*s));
	bool keep = true;

	if (s) {
		uk_signal_save(s);
		keep = s->actions[SIGCHLD].sa_handler != UK_SIG_IGN &&
		       !(s->actions[SIGCHLD].sa_flags & UK_SA_NOCLDWAIT);
		uk_free(uk_alloc_get_default(), s);
	}
	return keep;
#else
	return true;
#endif
}

/* On restore_stack, interrupts masked: the memory, then the stack slice,
 * then back into the parent's arch_jmp_save. */
static void restore_on_own_stack(void *arg)
{
	struct fork_frame *f = arg;

#if HAVE_SNAPSHOT
	if (f->mem) {
		if (uk_mmap_snapshot_restore(f->mem))
			uk_pr_err("fork: the parent's memory could not be restored (out of memory)\n");
		f->mem = NULL;
	}
#endif
	__builtin_memcpy((void *)f->stack_lo, f->stack_copy, f->stack_hi - f->stack_lo);
	arch_jmp_resume(&f->ctx, 1);
}

void uk_process_child_exit(int wstatus)
{
	struct fork_frame *f = frames[depth - 1];

	UK_ASSERT(depth > 0);
	f->wstatus = wstatus;
	ukplat_lcpu_disable_irq();
	arch_call_on_stack(restore_on_own_stack, f,
			   (uintptr_t)restore_stack + sizeof(restore_stack));
}

/* The child's pid, back in the parent (on its own stack, memory restored). */
static long parent_resumes(struct fork_frame *f)
{
	int pid = f->child, sig = (int)(f->flags & CLONE_CSIGNAL);

	depth--;
	frames[depth] = NULL;
	restore_kernel_state(f);
	if (keeps_zombies() && nzombies < MAX_ZOMBIES)
		zombies[nzombies++] = (struct zombie){ pid, f->wstatus };
	if (f->flags & CLONE_PARENT_SETTID)
		uk_copy_to_user(f->ptid, &pid, sizeof(pid));
	ukplat_lcpu_restore_irqf(f->irqf);
	free_frame(f);
#if defined(CONFIG_LIBPOSIX_SIGNAL)
	if (sig)
		uk_signal_send(sig);
#else
	(void)sig;
#endif
	return pid;
}

long uk_process_clone(unsigned long flags, unsigned long newsp, int *ptid, int *ctid,
		      unsigned long tls)
{
	struct __regs *regs = uk_syscall_regs ? uk_syscall_regs() : NULL;
	static bool logged;
	struct fork_frame *f;
	int pid, rc;

	if (flags & ~(unsigned long)FORK_FLAGS)
		return -EINVAL;         /* namespaces, CLONE_FILES/FS/SIGHAND sharing... */
	process_probe_stack();
	if (!regs || depth == FORK_DEPTH
#if HAVE_SNAPSHOT
	    || (!(flags & CLONE_VM) && !uk_mmap_snapshot_take)
#else
	    || !(flags & CLONE_VM)
#endif
	    ) {
		if (!logged) {
			logged = true;
			uk_pr_warn("fork: %s (ENOSYS)\n", !regs ? "needs the trapped syscall entry"
				   : depth == FORK_DEPTH ? "children nested too deep"
				   : "needs posix-mmap on a VM platform");
		}
		return -ENOSYS;
	}
	f = uk_calloc(uk_alloc_get_default(), 1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->flags = flags;
	f->ptid = ptid;
	f->irqf = ukplat_lcpu_save_irqf();
	ukplat_lcpu_restore_irqf(f->irqf);
	rc = save_kernel_state(f);
	if (rc)
		goto fail;
	if (arch_jmp_save(&f->ctx)) {
		/* the child ended: back on this stack, as it was below */
		return parent_resumes(f);
	}
	/* from this frame up to the caller's stack pointer: what the child
	 * overwrites first (the trap frame and the kernel frames under it) */
	f->stack_lo = (uintptr_t)f->ctx.w[ARCH_JMP_SP] & ~15UL;
	f->stack_hi = regs_sp(regs);
	rc = -ENOMEM;
	if (f->stack_hi <= f->stack_lo || f->stack_hi - f->stack_lo > 65536)
		goto fail;      /* not the stack we were called on: a bug */
	f->stack_copy = uk_malloc(uk_alloc_get_default(), f->stack_hi - f->stack_lo);
	if (!f->stack_copy)
		goto fail;
#if HAVE_SNAPSHOT
	if (!(flags & CLONE_VM)) {
		rc = uk_mmap_snapshot_take(&f->mem);
		if (rc)
			goto fail;
	}
#endif
	/* the copy last: it must hold this frame as the resume finds it */
	__builtin_memcpy(f->stack_copy, (void *)f->stack_lo, f->stack_hi - f->stack_lo);
	pid = next_pid++;
	f->child = pid;
	frames[depth++] = f;
	nzombies = 0;
	process_set_ids(pid, f->pid);
	if (flags & CLONE_SETTLS)
		set_tp(tls);
	if (flags & CLONE_PARENT_SETTID)
		uk_copy_to_user(ptid, &pid, sizeof(pid));
	if (flags & CLONE_CHILD_SETTID)
		uk_copy_to_user(ctid, &pid, sizeof(pid));
	if (newsp)
		set_regs_sp(regs, newsp);
	return 0;
fail:
	free_frame(f);
	return rc;
}

int uk_process_before_exec(void)
{
#if HAVE_SNAPSHOT
	struct fork_frame *f = depth ? frames[depth - 1] : NULL;

	/* a CLONE_VM child shares the parent's memory until here: the new
	 * program must not take it away */
	if (f && !f->mem)
		return uk_mmap_snapshot_take(&f->mem);
#endif
	return 0;
}

void uk_process_exec_failed(void)
{
#if HAVE_SNAPSHOT
	struct fork_frame *f = depth ? frames[depth - 1] : NULL;

	if (f && (f->flags & CLONE_VM) && f->mem) {
		uk_mmap_snapshot_drop(f->mem);
		f->mem = NULL;
	}
#endif
}

int uk_process_signal_other(int pid, int sig)
{
	int i;

	for (i = 0; i < nzombies; i++)
		if (zombies[i].pid == pid)
			return 0;               /* a zombie takes signals and ignores them */
	for (i = depth - 1; i >= 0; i--) {
		if (frames[i]->pid != pid)
			continue;
#if defined(CONFIG_LIBPOSIX_SIGNAL)
		if (sig && frames[i]->sig.actions[sig].sa_handler != UK_SIG_IGN)
			frames[i]->sig.proc_pending |= UK_SIGBIT(sig);
#endif
		return 0;
	}
	return -ESRCH;
}

long uk_sys_fork(void)
{
	return uk_process_clone(SIGCHLD, 0, NULL, NULL, 0);
}

long uk_sys_vfork(void)
{
	return uk_process_clone(CLONE_VM | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
}

/* Linux's wait status: exit code << 8, or the signal number. */
long uk_sys_wait4(int upid, int *stat_addr, int options, struct uk_rusage *ru)
{
	struct uk_rusage zero = { 0 };
	int i, pid;

	if ((unsigned int)options & ~(unsigned int)(UK_WNOHANG | UK_WUNTRACED | UK_WCONTINUED |
						    UK_WNOTHREAD | UK_WALL | UK_WCLONE))
		return -EINVAL;
	/* every child has ended by the time its parent runs again: a match is
	 * a zombie or there is none (WNOHANG changes nothing) */
	for (i = 0; i < nzombies; i++)
		if (upid <= 0 || zombies[i].pid == upid)
			break;
	if (i == nzombies)
		return -ECHILD;
	if (stat_addr && uk_copy_to_user(stat_addr, &zombies[i].wstatus, sizeof(int)))
		return -EFAULT;
	if (ru && uk_copy_to_user(ru, &zero, sizeof(zero)))
		return -EFAULT;
	pid = zombies[i].pid;
	/* in the order they ended: wait(-1) reaps the oldest first */
	__builtin_memmove(&zombies[i], &zombies[i + 1], (size_t)(nzombies - i - 1) * sizeof(zombies[0]));
	nzombies--;
	return pid;
}
