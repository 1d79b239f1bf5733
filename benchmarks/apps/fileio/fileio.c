/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * File I/O benchmark (benchmarks/bench_fileio.py): in a memory file system
 * (the unikernel's ramfs; tmpfs in the Linux VM, mounted by this program
 * when it runs as /init; the host's /tmp when run there), per round:
 *
 *   small_create  open(O_CREAT|O_EXCL|O_WRONLY) + close, N empty files
 *   small_write   open(O_WRONLY) + write SIZE bytes + close, each file
 *   small_read    open(O_RDONLY) + read SIZE bytes + close, each file (checked)
 *   small_unlink  unlink, each file
 *   big_write     one file of BIG MiB, in 64 KiB writes (created first)
 *   big_read      the same, read back in 64 KiB reads (checked)
 *   big_unlink    unlink it
 *
 * and prints one BENCH line per phase (bench_report.h: a sample is one
 * round, ops = files per phase, or 1 for the big file), then BENCH-DONE.
 * A read that returns other bytes than written is a BENCH-ERROR, never a
 * figure. The same file is the unikernel app (musl) and, with
 * -DBENCH_ON_LINUX, the Linux program.
 *
 *   fileio [files] [size] [big_mib] [rounds] [dir]
 *          (defaults: 10000 1024 64 5 /tmp/fileio)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef BENCH_ON_LINUX
#include <sys/mount.h>
#endif
#include "bench_clock.h"
#include "bench_report.h"

#define CHUNK (64 * 1024)
#define MAX_ROUNDS 64

static unsigned char wbuf[CHUNK], rbuf[CHUNK];
static uint64_t t_create[MAX_ROUNDS], t_write[MAX_ROUNDS], t_read[MAX_ROUNDS],
		t_unlink[MAX_ROUNDS], t_bwrite[MAX_ROUNDS], t_bread[MAX_ROUNDS],
		t_bunlink[MAX_ROUNDS];

static int fail(const char *what, const char *path)
{
	printf("BENCH-ERROR %s %s: %s\n", what, path, strerror(errno));
	printf("BENCH-DONE\n");
	return bench_finish(1);
}

static void name_of(char *out, size_t n, const char *dir, unsigned i)
{
	snprintf(out, n, "%s/f%05u", dir, i);
}

int main(int argc, char **argv)
{
	unsigned files = argc > 1 ? (unsigned)atoi(argv[1]) : 10000;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 1024;
	unsigned big_mib = argc > 3 ? (unsigned)atoi(argv[3]) : 64;
	unsigned rounds = argc > 4 ? (unsigned)atoi(argv[4]) : 5;
	const char *dir = argc > 5 ? argv[5] : "/tmp/fileio";
	char path[512], big[512];
	size_t big_len = (size_t)big_mib << 20;

	if (!files || size > CHUNK || !rounds || rounds > MAX_ROUNDS) {
		printf("BENCH-ERROR bad arguments\nBENCH-DONE\n");
		return bench_finish(2);
	}
#ifdef BENCH_ON_LINUX
	if (getpid() == 1) {         /* /init of the Linux VM: a tmpfs of our own */
		mkdir("/tmp", 01777);
		if (mount("tmpfs", "/tmp", "tmpfs", 0, "size=90%"))
			return fail("mount tmpfs on", "/tmp");
	}
#endif
	for (size_t i = 0; i < CHUNK; i++)
		wbuf[i] = (unsigned char)(i * 31 + 7);
	/* mkdir -p dir: the unikernel's / has no /tmp unless the rootfs has one */
	snprintf(path, sizeof(path), "%s", dir);
	for (char *s = path + 1; ; s++) {
		char c = *s;

		if (c && c != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return fail("mkdir", path);
		if (!c)
			break;
		*s = '/';
	}
	snprintf(big, sizeof(big), "%s/big", dir);

	for (unsigned r = 0; r < rounds; r++) {
		uint64_t t0;
		int fd;

		t0 = bench_now_ns();
		for (unsigned i = 0; i < files; i++) {
			name_of(path, sizeof(path), dir, i);
			fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (fd < 0)
				return fail("create", path);
			close(fd);
		}
		t_create[r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		for (unsigned i = 0; i < files; i++) {
			name_of(path, sizeof(path), dir, i);
			fd = open(path, O_WRONLY);
			if (fd < 0 || write(fd, wbuf, size) != (ssize_t)size)
				return fail("write", path);
			close(fd);
		}
		t_write[r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		for (unsigned i = 0; i < files; i++) {
			name_of(path, sizeof(path), dir, i);
			fd = open(path, O_RDONLY);
			if (fd < 0 || read(fd, rbuf, CHUNK) != (ssize_t)size)
				return fail("read", path);
			close(fd);
			if (memcmp(rbuf, wbuf, size)) {
				errno = EIO;
				return fail("read back other bytes from", path);
			}
		}
		t_read[r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		for (unsigned i = 0; i < files; i++) {
			name_of(path, sizeof(path), dir, i);
			if (unlink(path))
				return fail("unlink", path);
		}
		t_unlink[r] = bench_now_ns() - t0;

		if (!big_len)
			continue;
		t0 = bench_now_ns();
		fd = open(big, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd < 0)
			return fail("create", big);
		for (size_t done = 0; done < big_len; done += CHUNK)
			if (write(fd, wbuf, CHUNK) != CHUNK)
				return fail("write", big);
		if (close(fd))
			return fail("close", big);
		t_bwrite[r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		fd = open(big, O_RDONLY);
		if (fd < 0)
			return fail("open", big);
		for (size_t done = 0; done < big_len; done += CHUNK) {
			if (read(fd, rbuf, CHUNK) != CHUNK)
				return fail("read", big);
			if (done % (1 << 20) == 0 && memcmp(rbuf, wbuf, CHUNK)) {
				errno = EIO;
				return fail("read back other bytes from", big);
			}
		}
		close(fd);
		t_bread[r] = bench_now_ns() - t0;

		t0 = bench_now_ns();
		if (unlink(big))
			return fail("unlink", big);
		t_bunlink[r] = bench_now_ns() - t0;
	}
	printf("BENCH-INFO files=%u size=%zu big_mib=%u rounds=%u\n", files, size, big_mib, rounds);
	bench_report("small_create", t_create, rounds, files);
	bench_report("small_write", t_write, rounds, files);
	bench_report("small_read", t_read, rounds, files);
	bench_report("small_unlink", t_unlink, rounds, files);
	if (big_len) {
		bench_report("big_write", t_bwrite, rounds, 1);
		bench_report("big_read", t_bread, rounds, 1);
		bench_report("big_unlink", t_bunlink, rounds, 1);
	}
	printf("BENCH-DONE\n");
	return bench_finish(0);
}
