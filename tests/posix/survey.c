/* SPDX-License-Identifier: BSD-3-Clause */
/* The syscall surface of Debian 12's programs (shared/data/
 * syscalls-debian-apps.md: glibc's start-up set, the 73 calls of busybox,
 * sqlite3, lua5.4, python3.11, redis-server and nginx) issued the way those
 * binaries issue them: through the `syscall` / `svc #0` instruction, with
 * the flags and argument forms the survey saw, and the failures it saw
 * (ENOENT probes, ENOTTY/EINVAL ioctls, EAGAIN accepts, PR_CAPBSET_READ's
 * EINVAL above the last capability...).
 *
 * On linuxu the instruction reaches the host's kernel, not ours, so there
 * (CONFIG_PLAT_LINUXU, from the image's uk/config.h) the same numbers go
 * through musl's syscall(), the native path to the same handlers. arm64
 * has no legacy calls (open, access, readlink, mkdir, ...): there each case
 * issues the *at form an arm64 glibc issues, with the same expected results.
 * The raw calls' results are Linux's: -errno, never -1. */
#include "pt.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PG 4096

/* <linux/futex.h>'s, which musl-gcc's headers lack */
#define FUTEX_WAIT               0
#define FUTEX_WAKE_PRIVATE       (1 | 128)
#define FUTEX_WAIT_BITSET_PRIVATE (9 | 128)
#define FUTEX_CLOCK_REALTIME     256
#define FUTEX_BITSET_MATCH_ANY   0xffffffff

/* One raw syscall: the result as the kernel returns it (-errno on failure). */
static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
#if defined(CONFIG_PLAT_LINUXU)
	long r = syscall(nr, a, b, c, d, e, f);
	return r == -1 ? -errno : r;
#elif defined(__x86_64__)
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
		x2 __asm__("x2") = c, x3 __asm__("x3") = d, x4 __asm__("x4") = e, x5 __asm__("x5") = f;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5)
			 : "memory");
	return x0;
#endif
}
#define T_(n, a, b, c, d, e, f, ...) \
	sc((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
/* T(SYS_x, args...): the raw call with missing arguments 0. */
#define T(...) T_(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)

/* The legacy calls of x86_64, or what arm64's glibc issues instead. */
#ifdef SYS_open
#define L_OPEN(p, fl, m)      T(SYS_open, p, fl, m)
#define L_ACCESS(p, m)        T(SYS_access, p, m)
#define L_READLINK(p, b, n)   T(SYS_readlink, p, b, n)
#define L_MKDIR(p, m)         T(SYS_mkdir, p, m)
#define L_RMDIR(p)            T(SYS_rmdir, p)
#define L_UNLINK(p)           T(SYS_unlink, p)
#define L_CHOWN(p, u, g)      T(SYS_chown, p, u, g)
#define L_DUP2(a, b)          T(SYS_dup2, a, b)
#define L_EPOLL_CREATE(n)     T(SYS_epoll_create, n)
#define L_EPOLL_WAIT(e, v, n, t) T(SYS_epoll_wait, e, v, n, t)
#else
#define L_OPEN(p, fl, m)      T(SYS_openat, AT_FDCWD, p, fl, m)
#define L_ACCESS(p, m)        T(SYS_faccessat, AT_FDCWD, p, m)
#define L_READLINK(p, b, n)   T(SYS_readlinkat, AT_FDCWD, p, b, n)
#define L_MKDIR(p, m)         T(SYS_mkdirat, AT_FDCWD, p, m)
#define L_RMDIR(p)            T(SYS_unlinkat, AT_FDCWD, p, AT_REMOVEDIR)
#define L_UNLINK(p)           T(SYS_unlinkat, AT_FDCWD, p, 0)
#define L_CHOWN(p, u, g)      T(SYS_fchownat, AT_FDCWD, p, u, g, 0)
#define L_DUP2(a, b)          T(SYS_dup3, a, b, 0)
#define L_EPOLL_CREATE(n)     T(SYS_epoll_create1, 0)
#define L_EPOLL_WAIT(e, v, n, t) T(SYS_epoll_pwait, e, v, n, t, 0, 8)
#endif

/* The kernel's struct sigaction (what glibc passes to rt_sigaction). */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
#define K_SA_RESTORER 0x04000000

/* clone3's argument (Linux's struct clone_args, version 0: 64 bytes). */
struct clone_args64 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

/* ld.so's and glibc's start-up calls (the 16 of the survey but execve):
 * brk, an anonymous map, the ld.so.preload probe, the library opened,
 * fstat'ed (AT_EMPTY_PATH), read (832 bytes) and pread (784 at 64), a
 * PROT_READ MAP_DENYWRITE reservation with MAP_FIXED|MAP_DENYWRITE
 * segments at offsets in it and a MAP_FIXED anonymous bss, RELRO's
 * mprotect, set_tid_address, set_robust_list, prlimit64(RLIMIT_STACK),
 * munmap. */
static void survey_startup(void)
{
	static char elf[3 * PG];
	for (unsigned i = 0; i < sizeof(elf); i++)
		elf[i] = (char)(i * 7 + 1);
	int fd = open(pt_path("lib.so"), O_WRONLY | O_CREAT | O_TRUNC, 0755);
	PT_CHECK(fd >= 0 && pt_write_all(fd, elf, sizeof(elf)) == 0 && close(fd) == 0);

	long b0 = T(SYS_brk, 0);
	PT_CHECK(b0 > 0);
	PT_CHECK(T(SYS_brk, b0 + 8192) == b0 + 8192);
	PT_CHECK(T(SYS_brk, b0) == b0);
	long anon = T(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(anon > 0 && (anon & (PG - 1)) == 0 && ((char *)anon)[8191] == 0);
	PT_CHECK(L_ACCESS(pt_path("ld.so.preload"), R_OK) == -ENOENT);
	PT_CHECK(L_ACCESS(pt_path("lib.so"), R_OK) == 0);

	fd = (int)T(SYS_openat, AT_FDCWD, pt_path("lib.so"), O_RDONLY | O_CLOEXEC);
	PT_CHECK(fd >= 0);
	PT_CHECK(T(SYS_fcntl, fd, F_GETFD) == FD_CLOEXEC);
	char hdr[832];
	PT_CHECK(T(SYS_read, fd, hdr, 832) == 832 && !memcmp(hdr, elf, 832));
	PT_CHECK(T(SYS_pread64, fd, hdr, 784, 64) == 784 && !memcmp(hdr, elf + 64, 784));
	struct stat st;
	PT_CHECK(T(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH) == 0);
	PT_CHECK(S_ISREG(st.st_mode) && st.st_size == (off_t)sizeof(elf) && (st.st_mode & 0777) == 0755);
	PT_CHECK(T(SYS_newfstatat, fd, "", &st, 0) == -ENOENT);   /* "" without the flag */

	long base = T(SYS_mmap, 0, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_DENYWRITE, fd, 0);
	PT_CHECK(base > 0 && !memcmp((void *)base, elf, PG));
	long seg = T(SYS_mmap, base + PG, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE,
		     fd, PG);
	PT_CHECK(seg == base + PG && !memcmp((void *)seg, elf + PG, PG));
	long data = T(SYS_mmap, base + 2 * PG, PG, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_FIXED | MAP_DENYWRITE, fd, 2 * PG);
	PT_CHECK(data == base + 2 * PG && ((char *)data)[5] == elf[2 * PG + 5]);
	((char *)data)[5] = 'w';                               /* private: the file keeps its byte */
	long bss = T(SYS_mmap, base + 3 * PG, PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, -1, 0);
	PT_CHECK(bss == base + 3 * PG && ((char *)bss)[100] == 0);
	PT_CHECK(T(SYS_pread64, fd, hdr, 1, 2 * PG + 5) == 1 && hdr[0] == elf[2 * PG + 5]);
	PT_CHECK(T(SYS_close, fd) == 0);
	PT_CHECK(T(SYS_mprotect, data, PG, PROT_READ) == 0);   /* RELRO */
	PT_CHECK(((char *)data)[5] == 'w');

	int tidword;
	PT_CHECK(T(SYS_set_tid_address, &tidword) == T(SYS_gettid));
	long head[3] = { (long)head, 0, 0 };
	PT_CHECK(T(SYS_set_robust_list, head, 24) == 0);
	PT_CHECK(T(SYS_set_robust_list, head, 23) == -EINVAL);
	struct rlimit old;
	PT_CHECK(T(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &old) == 0);
	PT_CHECK(old.rlim_cur == 8UL << 20);                   /* Linux's default: 8 MiB */
	PT_CHECK(T(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old) == 0 && old.rlim_cur >= 1024 &&
		 old.rlim_max >= old.rlim_cur);
	PT_CHECK(T(SYS_munmap, base, 4 * PG) == 0 && T(SYS_munmap, anon, 8192) == 0);
}

/* rseq: glibc 2.36 registers a 32-byte area with signature 0x53053053 in
 * every thread (posix-thread's rseq.c; rseq.c of this suite has the
 * rest). */
static void survey_rseq(void)
{
	static struct { uint32_t cpu_id_start, cpu_id; uint64_t cs; uint32_t flags, pad[3]; }
		__attribute__((aligned(32))) area = { 0, (uint32_t)-1, 0, 0, { 0 } };
	long r = T(SYS_rseq, &area, 32, 0, 0x53053053);

	PT_CHECK(r == 0 && area.cpu_id != (uint32_t)-1);
	PT_CHECK(T(SYS_rseq, &area, 32, 1 /* RSEQ_FLAG_UNREGISTER */, 0x53053053) == 0);
	PT_CHECK(T(SYS_getpid) == getpid());                   /* and the program goes on */
}

/* Who the process is: ids, umask, uname, sysinfo, the CPU mask redis
 * reads (128 bytes), prctl's names and redis's capability bisection
 * (40 is CAP_LAST_CAP: 48, 44, 42, 41 are EINVAL), getcwd. */
static void survey_identity(void)
{
	PT_CHECK(T(SYS_getpid) == getpid() && T(SYS_getppid) == getppid());
	PT_CHECK(T(SYS_gettid) == T(SYS_getpid));              /* the main thread */
	PT_CHECK(T(SYS_getuid) == getuid() && T(SYS_geteuid) == geteuid());
	PT_CHECK(T(SYS_getgid) == getgid() && T(SYS_getegid) == getegid());
	long um = T(SYS_umask, 0777);
	PT_CHECK(T(SYS_umask, 022) == 0777);
	T(SYS_umask, um);
	struct utsname u;
	PT_CHECK(T(SYS_uname, &u) == 0 && !strcmp(u.sysname, "Linux") && u.release[0] >= '1' &&
		 u.release[0] <= '9');
	struct sysinfo si;
	PT_CHECK(T(SYS_sysinfo, &si) == 0 && si.totalram > 0 && si.mem_unit >= 1 &&
		 si.freeram <= si.totalram && si.procs >= 1);
	unsigned long mask[16] = { 0 };
	long n = T(SYS_sched_getaffinity, 0, 128, mask);
	PT_CHECK(n >= 8 && n <= 128 && n % 8 == 0 && mask[0] != 0);
	PT_CHECK(T(SYS_sched_getaffinity, 0, 4, mask) == -EINVAL);
	unsigned int cpu = 999, node = 999;                 /* sched_getcpu() without rseq */
	PT_CHECK(T(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu < 1024 && node < 64);
	PT_CHECK((mask[cpu / 64] >> (cpu % 64)) & 1);
	PT_CHECK(T(SYS_getcpu, NULL, NULL, NULL) == 0);
	PT_CHECK(T(SYS_prctl, PR_CAPBSET_READ, 32) == 1 && T(SYS_prctl, PR_CAPBSET_READ, 40) == 1);
	PT_CHECK(T(SYS_prctl, PR_CAPBSET_READ, 48) == -EINVAL);
	PT_CHECK(T(SYS_prctl, PR_CAPBSET_READ, 41) == -EINVAL);
	char name[16] = { 0 }, old[16] = { 0 };
	PT_CHECK(T(SYS_prctl, PR_GET_NAME, old) == 0);
	PT_CHECK(T(SYS_prctl, PR_SET_NAME, "survey-thread") == 0);
	PT_CHECK(T(SYS_prctl, PR_GET_NAME, name) == 0 && !strcmp(name, "survey-thread"));
	T(SYS_prctl, PR_SET_NAME, old);
	char cwd[512];
	long cl = T(SYS_getcwd, cwd, sizeof(cwd));
	PT_CHECK(cl > 1 && cwd[0] == '/' && (long)strlen(cwd) + 1 == cl);
	PT_CHECK(T(SYS_getcwd, cwd, 1) == -ERANGE);
	int status;
	PT_CHECK(T(SYS_wait4, -1, &status, WNOHANG, 0) == -ECHILD);
}

/* The legacy path calls (x86_64: open, access, readlink, mkdir, rmdir,
 * unlink, chown, dup2) with the survey's uses: redis's open of a /proc
 * file, readlink of /etc/malloc.conf (ENOENT) and of a plain file
 * (EINVAL), busybox's mkdir/rmdir, sqlite3's unlink of a journal, nginx's
 * chown and dup2. */
static void survey_legacy_paths(void)
{
	const char *f = pt_path("file"), *d = pt_path("dir"), *l = pt_path("link");
	PT_CHECK(pt_make_file("file", "contents\n") == 0);
	int fd = (int)L_OPEN(f, O_RDONLY | O_CLOEXEC, 0);
	PT_CHECK(fd >= 0 && T(SYS_fcntl, fd, F_GETFD) == FD_CLOEXEC);
	char buf[64];
	PT_CHECK(T(SYS_read, fd, buf, sizeof(buf)) == 9 && !memcmp(buf, "contents\n", 9));
	PT_CHECK(L_OPEN(pt_path("missing"), O_RDONLY, 0) == -ENOENT);
	int o = (int)L_OPEN("/proc/sys/vm/overcommit_memory", O_RDONLY, 0);
	PT_CHECK(o >= 0);
	long n = T(SYS_read, o, buf, sizeof(buf));
	PT_CHECK(n >= 2 && buf[0] >= '0' && buf[0] <= '2' && buf[1] == '\n');
	PT_CHECK(T(SYS_close, o) == 0);

	PT_CHECK(L_ACCESS(f, R_OK | W_OK) == 0 && L_ACCESS(f, F_OK) == 0);
	PT_CHECK(L_ACCESS(pt_path("missing"), F_OK) == -ENOENT);
	PT_CHECK(symlink("file", l) == 0);
	PT_CHECK(L_READLINK(l, buf, sizeof(buf)) == 4 && !memcmp(buf, "file", 4));
	PT_CHECK(L_READLINK(l, buf, 2) == 2 && !memcmp(buf, "fi", 2));   /* truncated, no NUL */
	PT_CHECK(L_READLINK(f, buf, sizeof(buf)) == -EINVAL);
	PT_CHECK(L_READLINK(pt_path("malloc.conf"), buf, sizeof(buf)) == -ENOENT);

	PT_CHECK(L_MKDIR(d, 0755) == 0);
	PT_CHECK(L_MKDIR(d, 0755) == -EEXIST);
	struct stat st;
	PT_CHECK(T(SYS_newfstatat, AT_FDCWD, d, &st, 0) == 0 && S_ISDIR(st.st_mode));
	PT_CHECK(L_RMDIR(f) == -ENOTDIR);
	PT_CHECK(L_RMDIR(d) == 0 && L_RMDIR(d) == -ENOENT);
	PT_CHECK(L_UNLINK(d) == -ENOENT);

	PT_CHECK(L_CHOWN(f, -1, -1) == 0);
	if (geteuid() == 0) {
		PT_CHECK(L_CHOWN(f, 65534, -1) == 0);           /* nginx: to its worker user */
		PT_CHECK(T(SYS_newfstatat, AT_FDCWD, f, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_uid == 65534);
		PT_CHECK(T(SYS_fchown, fd, 0, 0) == 0);          /* sqlite3: the journal to the db's owner */
		PT_CHECK(T(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_uid == 0 && st.st_gid == 0);
	}
	PT_CHECK(L_DUP2(fd, 50) == 50);
	PT_CHECK(T(SYS_fcntl, 50, F_GETFD) == 0);               /* dup2 drops FD_CLOEXEC */
	PT_CHECK(T(SYS_lseek, 50, 0, SEEK_CUR) == 9);           /* the same description */
#ifdef SYS_dup2
	PT_CHECK(L_DUP2(50, 50) == 50);
#else
	PT_CHECK(T(SYS_dup3, 50, 50, 0) == -EINVAL);           /* glibc's dup2(fd, fd) is fcntl */
#endif
	PT_CHECK(L_DUP2(1000000, 50) == -EBADF);
	PT_CHECK(T(SYS_close, 50) == 0 && T(SYS_close, fd) == 0);
	PT_CHECK(L_UNLINK(l) == 0 && L_UNLINK(f) == 0 && L_UNLINK(f) == -ENOENT);
}

/* Descriptor I/O as sqlite3, python3 and nginx do it: pwrite64/pread64,
 * fdatasync, writev (one iovec), lseek SEEK_CUR/SEEK_SET, fcntl
 * (F_GETFD/F_SETFD/F_GETFL/F_SETFL O_NONBLOCK, F_SETLK), getdents64,
 * the stat forms, ioctl TCGETS/TIOCGWINSZ on a file (ENOTTY) and TCGETS
 * on /dev/urandom (EINVAL), FIONBIO, sendfile of a file. */
static void survey_fd_io(void)
{
	int fd = (int)T(SYS_openat, AT_FDCWD, pt_path("db"), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	PT_CHECK(fd >= 0);
	char page[512], back[512];
	memset(page, 'p', sizeof(page));
	PT_CHECK(T(SYS_pwrite64, fd, page, sizeof(page), 1024) == 512);
	PT_CHECK(T(SYS_fdatasync, fd) == 0);
	PT_CHECK(T(SYS_pread64, fd, back, sizeof(back), 1024) == 512 && !memcmp(back, page, 512));
	PT_CHECK(T(SYS_pread64, fd, back, 16, 0) == 16 && back[0] == 0 && back[15] == 0);  /* a hole */
	struct iovec iov = { "header\n", 7 };
	PT_CHECK(T(SYS_lseek, fd, 0, SEEK_SET) == 0);
	PT_CHECK(T(SYS_writev, fd, &iov, 1) == 7);
	PT_CHECK(T(SYS_lseek, fd, 0, SEEK_CUR) == 7);
	PT_CHECK(T(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC) == 0 && T(SYS_fcntl, fd, F_GETFD) == FD_CLOEXEC);
	long fl = T(SYS_fcntl, fd, F_GETFL);
	PT_CHECK(fl >= 0 && (fl & O_ACCMODE) == O_RDWR);
	PT_CHECK(T(SYS_fcntl, fd, F_SETFL, O_RDWR | O_NONBLOCK) == 0);
	PT_CHECK(T(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK);
	struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 1024, .l_len = 1 };
	PT_CHECK(T(SYS_fcntl, fd, F_SETLK, &lk) == 0);
	lk.l_type = F_UNLCK;
	PT_CHECK(T(SYS_fcntl, fd, F_SETLK, &lk) == 0);
	struct termios tio;
	struct winsize ws;
	PT_CHECK(T(SYS_ioctl, fd, TCGETS, &tio) == -ENOTTY);
	PT_CHECK(T(SYS_ioctl, fd, TIOCGWINSZ, &ws) == -ENOTTY);
	int one = 1;
	PT_CHECK(T(SYS_ioctl, fd, FIONBIO, &one) == 0);
	struct stat st;
	PT_CHECK(T(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_size == 1536);
	PT_CHECK(T(SYS_newfstatat, AT_FDCWD, pt_path("db"), &st, 0) == 0 && st.st_size == 1536);
	PT_CHECK(T(SYS_newfstatat, AT_FDCWD, pt_path("nope"), &st, 0) == -ENOENT);

	int u = (int)T(SYS_openat, AT_FDCWD, "/dev/urandom", O_RDONLY | O_CLOEXEC);
	PT_CHECK(u >= 0);
	PT_CHECK(T(SYS_ioctl, u, TCGETS, &tio) == -EINVAL);     /* a character device, not a tty */
	unsigned char rnd[32] = { 0 }, zero[32] = { 0 };
	PT_CHECK(T(SYS_read, u, rnd, sizeof(rnd)) == 32 && memcmp(rnd, zero, 32));
	PT_CHECK(T(SYS_close, u) == 0);

	/* busybox cat: sendfile(1, fd, NULL, 16 MiB) until 0 */
	int out = (int)T(SYS_openat, AT_FDCWD, pt_path("copy"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	PT_CHECK(out >= 0 && T(SYS_lseek, fd, 0, SEEK_SET) == 0);
	PT_CHECK(T(SYS_sendfile, out, fd, NULL, 16777216) == 1536);
	PT_CHECK(T(SYS_sendfile, out, fd, NULL, 16777216) == 0);
	long off = 1024;
	PT_CHECK(T(SYS_sendfile, out, fd, &off, 612) == 512 && off == 1536);
	PT_CHECK(T(SYS_newfstatat, out, "", &st, AT_EMPTY_PATH) == 0 && st.st_size == 2048);
	PT_CHECK(T(SYS_close, out) == 0);

	char dents[1024];
	int dfd = (int)T(SYS_openat, AT_FDCWD, pt_dir(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_DIRECTORY);
	PT_CHECK(dfd >= 0);
	long got = T(SYS_getdents64, dfd, dents, sizeof(dents)), names = 0;
	PT_CHECK(got > 0);
	for (long at = 0; at < got; at += *(unsigned short *)(dents + at + 16)) {
		const char *nm = dents + at + 19;
		names += !strcmp(nm, "db") || !strcmp(nm, "copy");
	}
	PT_CHECK(names == 2);
	PT_CHECK(T(SYS_getdents64, dfd, dents, sizeof(dents)) == 0);
	PT_CHECK(T(SYS_close, dfd) == 0 && T(SYS_close, fd) == 0);
	PT_CHECK(T(SYS_close, fd) == -EBADF);
}

static void survey_touch(void *p)
{
	*(volatile char *)p = 1;
}

/* jemalloc's and ld.so's memory forms: MAP_NORESERVE, MAP_STACK, PROT_NONE
 * guards opened by mprotect(PROT_READ|PROT_WRITE), madvise(MADV_DONTNEED)
 * (zeroes a private anonymous page), MADV_FREE, and one MAP_SHARED file
 * mapping (glibc's gconv-modules.cache). */
static void survey_memory(void)
{
	long big = T(SYS_mmap, 0, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		     -1, 0);
	PT_CHECK(big > 0);
	((char *)big)[(32 << 20) + 7] = 'x';
	PT_CHECK(T(SYS_madvise, big + (32 << 20), PG, MADV_DONTNEED) == 0);
	PT_CHECK(((char *)big)[(32 << 20) + 7] == 0);
	((char *)big)[PG] = 'y';
	PT_CHECK(T(SYS_madvise, big, 2 * PG, MADV_FREE) == 0);
	PT_CHECK(T(SYS_madvise, big, 2 * PG, 12345) == -EINVAL);
	PT_CHECK(T(SYS_munmap, big, 64 << 20) == 0);

	long stk = T(SYS_mmap, 0, 16 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	PT_CHECK(stk > 0);
	((char *)stk)[16 * PG - 1] = 1;
	PT_CHECK(T(SYS_mprotect, stk, PG, PROT_NONE) == 0);     /* a guard page, as pthread stacks have */
	void *at = NULL;
	PT_CHECK(pt_faults(survey_touch, (void *)stk, &at, NULL) == 1 && at == (void *)stk);
	PT_CHECK(pt_faults(survey_touch, (void *)(stk + PG), NULL, NULL) == 0);
	PT_CHECK(T(SYS_munmap, stk, 16 * PG) == 0);

	long g = T(SYS_mmap, 0, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	PT_CHECK(g > 0);
	PT_CHECK(T(SYS_mprotect, g + PG, 2 * PG, PROT_READ | PROT_WRITE) == 0);
	((char *)g)[PG] = 'a';
	((char *)g)[3 * PG - 1] = 'b';
	PT_CHECK(((char *)g)[PG] == 'a' && T(SYS_munmap, g, 4 * PG) == 0);

	PT_CHECK(T(SYS_mmap, 0, PG, PROT_READ, MAP_PRIVATE, 1000000, 0) == -EBADF);
}

/* glibc's one MAP_SHARED file mapping: gconv-modules.cache, read-only,
 * kept after the fd is closed (python3, redis-server). */
static void survey_shared_file_map(void)
{
	PT_CHECK(pt_make_file("gconv-modules.cache", "gconv cache contents") == 0);
	int fd = (int)T(SYS_openat, AT_FDCWD, pt_path("gconv-modules.cache"), O_RDONLY | O_CLOEXEC);
	PT_CHECK(fd >= 0);
	long sh = T(SYS_mmap, 0, 20, PROT_READ, MAP_SHARED, fd, 0);
	PT_CHECK(sh > 0 && !memcmp((void *)sh, "gconv cache contents", 20) && ((char *)sh)[20] == 0);
	PT_CHECK(T(SYS_close, fd) == 0);
	PT_CHECK(!memcmp((void *)sh, "gconv", 5));              /* the mapping outlives the fd */
	PT_CHECK(T(SYS_munmap, sh, 20) == 0);
}

static volatile int survey_hits;
static void survey_handler(int sig)
{
	survey_hits += sig;
}

/* Signals as python3, redis and nginx set them up: rt_sigaction with
 * SA_RESTORER (queries with a NULL action for every number), SIG_IGN for
 * SIGPIPE, rt_sigprocmask SIG_BLOCK / SIG_UNBLOCK / SIG_SETMASK, redis's
 * setitimer(ITIMER_REAL) disarm. */
static void survey_signals(void)
{
	struct k_sigaction act, old;
	for (int s = 1; s <= 64; s++) {
		long r = T(SYS_rt_sigaction, s, NULL, &old, 8);
		if (s == 32 || s == 33)         /* musl's own (Linux: valid, glibc's too) */
			continue;
		PT_CHECK(r == 0);
	}
	PT_CHECK(T(SYS_rt_sigaction, 65, NULL, &old, 8) == -EINVAL);
	PT_CHECK(T(SYS_rt_sigaction, SIGPIPE, NULL, &old, 7) == -EINVAL);     /* sigsetsize */
	act = (struct k_sigaction){ SIG_IGN, K_SA_RESTORER | SA_RESTART, (void (*)(void))survey_handler, 0 };
	PT_CHECK(T(SYS_rt_sigaction, SIGPIPE, &act, &old, 8) == 0);
	PT_CHECK(T(SYS_rt_sigaction, SIGPIPE, NULL, &old, 8) == 0 && old.handler == SIG_IGN &&
		 (old.flags & SA_RESTART));
	act = (struct k_sigaction){ SIG_DFL, K_SA_RESTORER, (void (*)(void))survey_handler, 0 };
	PT_CHECK(T(SYS_rt_sigaction, SIGPIPE, &act, NULL, 8) == 0);
	PT_CHECK(T(SYS_rt_sigaction, SIGKILL, &act, NULL, 8) == -EINVAL);

	/* a handler installed through libc (its restorer), then the mask */
	struct sigaction sa = { 0 };
	sa.sa_handler = survey_handler;
	PT_OK(sigaction(SIGUSR1, &sa, NULL));
	unsigned long set = 1UL << (SIGUSR1 - 1), oldset = 0, cur = 0;
	PT_CHECK(T(SYS_rt_sigprocmask, SIG_BLOCK, &set, &oldset, 8) == 0);
	survey_hits = 0;
	PT_CHECK(T(SYS_kill, T(SYS_getpid), SIGUSR1) == 0 && survey_hits == 0);    /* pending */
	PT_CHECK(T(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &cur, 8) == 0 && (cur & set));
	PT_CHECK(T(SYS_rt_sigprocmask, SIG_UNBLOCK, &set, NULL, 8) == 0);
	PT_CHECK(survey_hits == SIGUSR1);                        /* delivered by the unblock */
	PT_CHECK(T(SYS_rt_sigprocmask, SIG_SETMASK, &oldset, NULL, 8) == 0);
	PT_CHECK(T(SYS_rt_sigprocmask, 99, &set, NULL, 8) == -EINVAL);
	signal(SIGUSR1, SIG_DFL);

	struct itimerval zero = { { 0, 0 }, { 0, 0 } }, was;
	PT_CHECK(T(SYS_setitimer, ITIMER_REAL, &zero, &was) == 0);
	PT_CHECK(was.it_value.tv_sec == 0 && was.it_value.tv_usec == 0);
	PT_CHECK(T(SYS_setitimer, 7, &zero, NULL) == -EINVAL);
}

/* Time, randomness and futexes: clock_gettime(CLOCK_PROCESS_CPUTIME_ID)
 * (the one clock the vDSO passes to the kernel), clock_nanosleep (python's
 * time.sleep), getrandom(GRND_NONBLOCK) of 8, 24 and 2496 bytes and
 * redis's blocking 48, futex FUTEX_WAKE_PRIVATE and
 * FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME. */
static void survey_time_random_futex(void)
{
	struct timespec a, b, d = { 0, 10 * 1000 * 1000 };
	PT_CHECK(T(SYS_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, &a) == 0 && a.tv_nsec < 1000000000);
	PT_CHECK(T(SYS_clock_gettime, CLOCK_MONOTONIC, &a) == 0);
	PT_CHECK(T(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &d, NULL) == 0);
	PT_CHECK(T(SYS_clock_gettime, CLOCK_MONOTONIC, &b) == 0);
	PT_CHECK((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) >= 10 * 1000 * 1000);
	PT_CHECK(T(SYS_clock_nanosleep, 1234, 0, &d, NULL) == -EINVAL);

	static unsigned char buf[2496];
	PT_CHECK(T(SYS_getrandom, buf, 8, GRND_NONBLOCK) == 8);
	PT_CHECK(T(SYS_getrandom, buf, 24, GRND_NONBLOCK) == 24);
	PT_CHECK(T(SYS_getrandom, buf, 2496, GRND_NONBLOCK) == 2496);
	PT_CHECK(T(SYS_getrandom, buf, 48, 0) == 48);
	PT_CHECK(T(SYS_getrandom, buf, 8, 0x80) == -EINVAL);

	static int word = 5;
	PT_CHECK(T(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1) == 0);
	struct timespec past = { 1, 0 };                         /* 1970: already over */
	PT_CHECK(T(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 5, &past, NULL,
		   FUTEX_BITSET_MATCH_ANY) == -ETIMEDOUT);
	PT_CHECK(T(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 4, &past, NULL,
		   FUTEX_BITSET_MATCH_ANY) == -EAGAIN);
	PT_CHECK(T(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE, 5, &past, NULL, 0) == -EINVAL);
}

/* Descriptors of event loops: pipe2(O_NONBLOCK|O_CLOEXEC) (redis),
 * eventfd2(0, 0) and socketpair(AF_UNIX, SOCK_STREAM) (nginx), the legacy
 * epoll_create with a size and epoll_wait, nsswitch's AF_UNIX socket and
 * its connect to nscd's socket (ENOENT; ECONNREFUSED for a plain file),
 * an unconnected socket's read (EINVAL) and write (ENOTCONN). */
static void survey_event_fds(void)
{
	int p[2];
	PT_CHECK(T(SYS_pipe2, p, O_NONBLOCK | O_CLOEXEC) == 0);
	PT_CHECK(T(SYS_fcntl, p[0], F_GETFD) == FD_CLOEXEC && (T(SYS_fcntl, p[1], F_GETFL) & O_NONBLOCK));
	char c;
	PT_CHECK(T(SYS_read, p[0], &c, 1) == -EAGAIN);
	int ev = (int)T(SYS_eventfd2, 0, 0);
	PT_CHECK(ev >= 0);
	int sp[2];
	PT_CHECK(T(SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, sp) == 0);
	int ep = (int)L_EPOLL_CREATE(100);
	PT_CHECK(ep >= 0);
#ifdef SYS_epoll_create
	PT_CHECK(T(SYS_epoll_create, 0) == -EINVAL);
#endif
	struct epoll_event e = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u64 = 7 }, out[4];
	PT_CHECK(T(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &e) == 0);
	e = (struct epoll_event){ .events = EPOLLIN | EPOLLET, .data.u64 = 8 };
	PT_CHECK(T(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, ev, &e) == 0);
	e = (struct epoll_event){ .events = EPOLLIN | EPOLLRDHUP, .data.u64 = 9 };
	PT_CHECK(T(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, sp[0], &e) == 0);
	PT_CHECK(T(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, sp[0], &e) == -EEXIST);
	PT_CHECK(L_EPOLL_WAIT(ep, out, 4, 0) == 0);
	uint64_t one = 1;
	PT_CHECK(T(SYS_write, ev, &one, 8) == 8);
	PT_CHECK(T(SYS_write, sp[1], "q", 1) == 1);
	PT_CHECK(L_EPOLL_WAIT(ep, out, 4, 1000) == 2);
	PT_CHECK(out[0].data.u64 + out[1].data.u64 == 17 && (out[0].events & EPOLLIN));
	PT_CHECK(L_EPOLL_WAIT(ep, out, 4, 0) == 1 && out[0].data.u64 == 9);     /* level vs. edge */
	PT_CHECK(T(SYS_epoll_ctl, ep, EPOLL_CTL_DEL, sp[0], NULL) == 0);
	PT_CHECK(L_EPOLL_WAIT(ep, out, 4, 0) == 0);
	PT_CHECK(T(SYS_recvfrom, sp[0], &c, 1, 0, NULL, NULL) == 1 && c == 'q');

	int us = (int)T(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	PT_CHECK(us >= 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	strcpy(sun.sun_path, pt_path("nscd-socket"));
	PT_CHECK(T(SYS_connect, us, &sun, sizeof(sun)) == -ENOENT);
	PT_CHECK(pt_make_file("not-a-socket", "") == 0);
	strcpy(sun.sun_path, pt_path("not-a-socket"));
	PT_CHECK(T(SYS_connect, us, &sun, sizeof(sun)) == -ECONNREFUSED);
	PT_CHECK(T(SYS_read, us, &c, 1) == -EINVAL && T(SYS_write, us, "x", 1) == -ENOTCONN);
	PT_CHECK(T(SYS_getpeername, us, &sun, &(socklen_t){ sizeof(sun) }) == -ENOTCONN);
	int fds[] = { p[0], p[1], ev, sp[0], sp[1], ep, us };
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		PT_CHECK(T(SYS_close, fds[i]) == 0);
}

/* 5 ms, between polls of a non-blocking socket */
static void nap(void)
{
	struct timespec t = { 0, 5000000 };
	T(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &t, NULL);
}

/* A TCP server as redis and nginx run one: socket, SO_REUSEADDR, bind
 * to 127.0.0.1, listen(511), accept4 with SOCK_CLOEXEC|SOCK_NONBLOCK
 * (EAGAIN first) and with SOCK_NONBLOCK, TCP_NODELAY, SO_KEEPALIVE and
 * TCP_KEEPIDLE/INTVL/CNT, getpeername, nginx's response: TCP_CORK on,
 * writev, sendfile of the file, TCP_CORK off; recvfrom(flags 0). */
static void survey_tcp_server(void)
{
	int ls = (int)T(SYS_socket, AF_INET, SOCK_STREAM, IPPROTO_TCP), one = 1, zero = 0;
	PT_CHECK(ls >= 0);
	PT_CHECK(T(SYS_setsockopt, ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sin);
	PT_CHECK(T(SYS_bind, ls, &sin, sizeof(sin)) == 0);
	PT_CHECK(T(SYS_getsockname, ls, &sin, &sl) == 0 && sin.sin_port != 0);
	PT_CHECK(T(SYS_listen, ls, 511) == 0);
	PT_CHECK(T(SYS_fcntl, ls, F_SETFL, O_RDWR | O_NONBLOCK) == 0);
	PT_CHECK(T(SYS_accept4, ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK) == -EAGAIN);

	int c1 = (int)T(SYS_socket, AF_INET, SOCK_STREAM, 0), c2 = (int)T(SYS_socket, AF_INET, SOCK_STREAM, 0);
	PT_CHECK(c1 >= 0 && c2 >= 0);
	PT_CHECK(T(SYS_connect, c1, &sin, sizeof(sin)) == 0 && T(SYS_connect, c2, &sin, sizeof(sin)) == 0);
	struct sockaddr_in peer;
	socklen_t pl = sizeof(peer);
	int a1 = -1;
	for (int i = 0; i < 200 && a1 < 0; i++) {
		a1 = (int)T(SYS_accept4, ls, &peer, &pl, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (a1 == -EAGAIN)
			nap();
	}
	PT_CHECK(a1 >= 0 && T(SYS_fcntl, a1, F_GETFD) == FD_CLOEXEC && (T(SYS_fcntl, a1, F_GETFL) & O_NONBLOCK));
	PT_CHECK(peer.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	int a2 = -1;
	for (int i = 0; i < 200 && a2 < 0; i++) {
		a2 = (int)T(SYS_accept4, ls, NULL, NULL, SOCK_NONBLOCK);
		if (a2 == -EAGAIN)
			nap();
	}
	PT_CHECK(a2 >= 0 && T(SYS_fcntl, a2, F_GETFD) == 0 && (T(SYS_fcntl, a2, F_GETFL) & O_NONBLOCK));

	/* redis, per client */
	int idle = 300, intvl = 100, cnt = 3, v = 0;
	socklen_t vl = sizeof(v);
	PT_CHECK(T(SYS_setsockopt, a1, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
	PT_CHECK(T(SYS_setsockopt, a1, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) == 0);
	PT_CHECK(T(SYS_setsockopt, a1, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) == 0);
	PT_CHECK(T(SYS_setsockopt, a1, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl)) == 0);
	PT_CHECK(T(SYS_setsockopt, a1, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt)) == 0);
	PT_CHECK(T(SYS_getsockopt, a1, IPPROTO_TCP, TCP_KEEPIDLE, &v, &vl) == 0 && v == 300);
	pl = sizeof(peer);
	memset(&peer, 0, sizeof(peer));
	PT_CHECK(T(SYS_getpeername, a1, &peer, &pl) == 0 && pl == sizeof(peer) && peer.sin_family == AF_INET);
	PT_CHECK(T(SYS_write, c1, "GET k\r\n", 7) == 7);
	char buf[1024];
	long n = -EAGAIN;
	for (int i = 0; i < 200 && n == -EAGAIN; i++) {
		n = T(SYS_read, a1, buf, sizeof(buf));
		if (n == -EAGAIN)
			nap();
	}
	PT_CHECK(n == 7 && !memcmp(buf, "GET k\r\n", 7));

	/* nginx, per request */
	static char page[612];
	memset(page, 'h', sizeof(page));
	int pf = (int)T(SYS_openat, AT_FDCWD, pt_path("index.html"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	PT_CHECK(pf >= 0 && T(SYS_write, pf, page, sizeof(page)) == 612 && T(SYS_close, pf) == 0);
	PT_CHECK(T(SYS_write, c2, "GET / HTTP/1.1\r\n\r\n", 18) == 18);
	n = -EAGAIN;
	for (int i = 0; i < 200 && n == -EAGAIN; i++) {
		n = T(SYS_recvfrom, a2, buf, sizeof(buf), 0, NULL, NULL);
		if (n == -EAGAIN)
			nap();
	}
	PT_CHECK(n == 18);
	pf = (int)T(SYS_openat, AT_FDCWD, pt_path("index.html"), O_RDONLY | O_NONBLOCK);
	PT_CHECK(pf >= 0);
	PT_CHECK(T(SYS_setsockopt, a2, IPPROTO_TCP, TCP_CORK, &one, sizeof(one)) == 0);
	struct iovec hdr = { "HTTP/1.1 200 OK\r\n\r\n", 19 };
	PT_CHECK(T(SYS_writev, a2, &hdr, 1) == 19);
	PT_CHECK(T(SYS_sendfile, a2, pf, NULL, 612) == 612);
	PT_CHECK(T(SYS_setsockopt, a2, IPPROTO_TCP, TCP_CORK, &zero, sizeof(zero)) == 0);
	PT_CHECK(T(SYS_close, pf) == 0);
	long total = 0;
	for (int i = 0; i < 400 && total < 631; i++) {
		n = T(SYS_recvfrom, c2, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL);
		if (n > 0)
			total += n;
		else
			nap();
	}
	PT_CHECK(total == 631);
	int fds[] = { a1, a2, c1, c2, ls };
	for (unsigned i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		PT_CHECK(T(SYS_close, fds[i]) == 0);
}

/* The pseudo-files redis, python3 and nginx read, parsed the way they
 * parse them: /proc/self/stat's 24th field (redis's RSS in pages),
 * overcommit_memory, somaxconn, transparent huge pages, the clock source,
 * the online CPUs (python's os.cpu_count()). */
static int slurp_fd(const char *path, char *buf, long size)
{
	int fd = (int)T(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fd;
	long n = T(SYS_read, fd, buf, size - 1);
	T(SYS_close, fd);
	if (n < 0)
		return (int)n;
	buf[n] = 0;
	return (int)n;
}

static void survey_pseudo_files(void)
{
	char buf[4096], *p = buf;
	char path[64];
	int n;
	snprintf(path, sizeof(path), "/proc/%ld/stat", T(SYS_getpid));
	PT_CHECK(slurp_fd(path, buf, sizeof(buf)) > 0);
	PT_CHECK(slurp_fd("/proc/self/stat", buf, sizeof(buf)) > 0);
	PT_CHECK(strtol(buf, NULL, 10) == T(SYS_getpid));
	int count = 23;                                 /* redis: "RSS is the 24th field" */
	while (p && count--) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	PT_CHECK(p != NULL && strtoll(p, NULL, 10) > 0);
	PT_CHECK(strchr(buf, ')') && strchr(buf, ')')[1] == ' ' && strchr(buf, ')')[2] == 'R');
	n = slurp_fd("/proc/sys/vm/overcommit_memory", buf, sizeof(buf));
	PT_CHECK(n == 2 && buf[0] >= '0' && buf[0] <= '2');
	n = slurp_fd("/proc/sys/net/core/somaxconn", buf, sizeof(buf));
	PT_CHECK(n >= 2 && strtol(buf, NULL, 10) >= 128 && buf[n - 1] == '\n');
	n = slurp_fd("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf));
	PT_CHECK(n > 0 && strstr(buf, "[") && strstr(buf, "never"));
	n = slurp_fd("/sys/devices/system/clocksource/clocksource0/current_clocksource", buf, sizeof(buf));
	PT_CHECK(n >= 2 && buf[n - 1] == '\n' && !strchr(buf, ' '));
	n = slurp_fd("/sys/devices/system/cpu/online", buf, sizeof(buf));
	PT_CHECK(n >= 2 && buf[0] == '0' && buf[n - 1] == '\n');
	n = slurp_fd("/etc/localtime", buf, sizeof(buf));
	PT_CHECK(n >= 44 && !memcmp(buf, "TZif", 4));
}

/* A thread as glibc 2.36's pthread_create makes one (redis's 4 bio and
 * I/O threads): clone3 with CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|
 * SETTLS|PARENT_SETTID|CHILD_CLEARTID, a MAP_STACK stack in clone_args,
 * the child returning 0 from the same call on that stack (glibc's
 * clone3.S, here pt_clone3), exiting with SYS_exit; the parent waits for
 * the cleared tid word by futex. Bad arguments: EINVAL. */
long pt_clone3(struct clone_args64 *args, unsigned long size, int (*fn)(void *), void *arg);
#if defined(CONFIG_PLAT_LINUXU)
/* natively: the call alone (no trap frame to resume: -ENOSYS, a FAIL there) */
long pt_clone3(struct clone_args64 *args, unsigned long size, int (*fn)(void *) __attribute__((unused)),
	       void *arg __attribute__((unused)))
{
	return T(SYS_clone3, args, size);
}
#elif defined(__x86_64__)
__asm__(".text\n.globl pt_clone3\n.type pt_clone3,@function\npt_clone3:\n"
	"	mov %rcx, %r8\n"
	"	mov $435, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"
	"1:	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	mov %r8, %rdi\n"
	"	call *%rdx\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"
	"	syscall\n"
	"	hlt\n"
	".size pt_clone3, .-pt_clone3\n");
#elif defined(__aarch64__)
__asm__(".text\n.globl pt_clone3\n.type pt_clone3,%function\npt_clone3:\n"
	"	mov x8, #435\n"
	"	svc #0\n"
	"	cbz x0, 1f\n"
	"	ret\n"
	"1:	mov x29, #0\n"
	"	mov x30, #0\n"
	"	mov x0, x3\n"
	"	blr x2\n"
	"	mov x8, #93\n"
	"	svc #0\n"
	"	brk #0\n"
	".size pt_clone3, .-pt_clone3\n");
#endif

static volatile long survey_child_tid, survey_child_sp;
static int survey_child(void *arg)
{
	char here;
	survey_child_tid = T(SYS_gettid);
	survey_child_sp = (long)&here;
	*(volatile int *)arg = 42;
	return 0;
}

static void *thread_pointer(void)
{
	void *tp;
#if defined(__x86_64__)
	__asm__("mov %%fs:0, %0" : "=r"(tp));
#else
	__asm__("mrs %0, tpidr_el0" : "=r"(tp));
#endif
	return tp;
}

static void survey_clone3_thread(void)
{
	enum { STACK = 64 * 1024 };
	long stack = T(SYS_mmap, 0, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	PT_CHECK(stack > 0);
	static volatile int ctid, ptid, seen;
	ctid = ptid = seen = 0;
	struct clone_args64 ca = {
		.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
			 CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID,
		.child_tid = (uintptr_t)&ctid, .parent_tid = (uintptr_t)&ptid,
		.stack = (uint64_t)stack, .stack_size = STACK, .tls = (uintptr_t)thread_pointer(),
	};
	struct clone_args64 bad = ca;
	bad.exit_signal = SIGCHLD;                       /* CLONE_THREAD with an exit signal */
	PT_CHECK(pt_clone3(&bad, sizeof(bad), survey_child, (void *)&seen) == -EINVAL);
	bad = ca;
	bad.stack_size = 0;                              /* a stack without a size */
	PT_CHECK(pt_clone3(&bad, sizeof(bad), survey_child, (void *)&seen) == -EINVAL);
	PT_CHECK(pt_clone3(&ca, 32, survey_child, (void *)&seen) == -EINVAL);   /* < version 0 */

	survey_child_tid = 0;
	ctid = -1;
	long tid = pt_clone3(&ca, sizeof(ca), survey_child, (void *)&seen);
	PT_CHECK(tid > 0 && tid != T(SYS_gettid));
	PT_CHECK(ptid == tid);
	for (int i = 0; i < 1000; i++) {                 /* glibc's join: wait for the cleared word */
		int v = ctid;
		if (v == 0)
			break;
		struct timespec ten = { 0, 10000000 };
		T(SYS_futex, &ctid, FUTEX_WAIT, v, &ten);
	}
	PT_CHECK(ctid == 0 && seen == 42);
	PT_CHECK(survey_child_tid == tid);
	PT_CHECK(survey_child_sp > stack && survey_child_sp < stack + STACK);
	PT_CHECK(T(SYS_munmap, stack, STACK) == 0);
}

const struct pt_case pt_survey_cases[] = {
	PT_CASE(survey_startup),
	PT_CASE(survey_rseq),
	PT_CASE(survey_identity),
	PT_CASE(survey_legacy_paths),
	PT_CASE(survey_fd_io),
	PT_CASE(survey_memory),
	PT_CASE(survey_shared_file_map),
	PT_CASE(survey_signals),
	PT_CASE(survey_time_random_futex),
	PT_CASE(survey_event_fds),
	PT_CASE(survey_tcp_server),
	PT_CASE(survey_pseudo_files),
	PT_CASE(survey_clone3_thread),
	PT_END,
};
