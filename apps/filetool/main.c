/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * filetool: walks a tree, writes it, reads it back and checksums it.
 *
 *   filetool [SRC [DST]]        (defaults: /data and /tmp/filetool)
 *
 * 1. creates DST (and its missing parents), copies SRC to DST/copy: directories and regular files with their
 *    permission bits, symlinks as symlinks (opendir/readdir/lstat,
 *    open/read/write, mkdir, readlink/symlink);
 * 2. writes generated files DST/generated/gen-SIZE (sizes around the
 *    4 KiB block and up to 1 MiB; bytes from xorshift32 seeded by SIZE, so
 *    the test can make the same files on the host);
 * 3. walks DST again and prints, sorted by path (strcmp), one line per
 *    regular file in `sha256sum` format ("HEX  ./path") and one per
 *    symlink ("symlink ./path -> target"), then a summary line.
 *
 * Plain POSIX C: it runs as a Linux process and in the guest (musl, the
 * rootfs unpacked into ramfs); tests/boot/test_filetool.py compares its
 * output with the host's sha256sum of the same tree. Exit status 0, or 1
 * with the failing call and path on stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sha256.h"

/* Path buffers live on the stack of the recursive walks (four per level):
 * small enough for a unikernel's main stack (64 KiB by default). */
#define PATH_LEN 1024

static unsigned char buf[64 * 1024];

static void die(const char *what, const char *path)
{
	fprintf(stderr, "filetool: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void join(char *out, const char *a, const char *b)
{
	if ((size_t)snprintf(out, PATH_LEN, "%s/%s", a, b) >= PATH_LEN) {
		errno = ENAMETOOLONG;
		die("path", a);
	}
}

static void write_all(int fd, const unsigned char *p, size_t n, const char *path)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write", path);
		}
		p += w;
		n -= (size_t)w;
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir (but . and ..), sorted; *n is their count. */
static char **list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;

	if (!d)
		die("opendir", dir);
	*n = 0;
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof(*names));
			if (!names)
				die("realloc", dir);
		}
		names[(*n)++] = strdup(de->d_name);
		errno = 0;
	}
	if (errno)
		die("readdir", dir);
	closedir(d);
	qsort(names, *n, sizeof(*names), by_name);
	return names;
}

static void copy_file(const char *src, const char *dst, mode_t mode)
{
	int in = open(src, O_RDONLY), out;
	ssize_t r;

	if (in < 0)
		die("open", src);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, mode & 07777);
	if (out < 0)
		die("create", dst);
	while ((r = read(in, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("read", src);
		}
		write_all(out, buf, (size_t)r, dst);
	}
	if (close(out))
		die("close", dst);
	close(in);
	if (chmod(dst, mode & 07777))    /* past the umask */
		die("chmod", dst);
}

static void copy_tree(const char *src, const char *dst, mode_t mode)
{
	char s[PATH_LEN], d[PATH_LEN], target[PATH_LEN];
	size_t n;
	char **names;
	struct stat st;

	if (mkdir(dst, 0700) && errno != EEXIST)
		die("mkdir", dst);
	names = list_dir(src, &n);
	for (size_t i = 0; i < n; i++) {
		join(s, src, names[i]);
		join(d, dst, names[i]);
		if (lstat(s, &st))
			die("lstat", s);
		if (S_ISDIR(st.st_mode)) {
			copy_tree(s, d, st.st_mode);
		} else if (S_ISREG(st.st_mode)) {
			copy_file(s, d, st.st_mode);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t len = readlink(s, target, sizeof(target) - 1);

			if (len < 0)
				die("readlink", s);
			target[len] = '\0';
			if (symlink(target, d))
				die("symlink", d);
		}
		free(names[i]);
	}
	free(names);
	if (chmod(dst, mode & 07777))
		die("chmod", dst);
}

/* mkdir -p: dir and its missing parents (the guest's / may have no /tmp). */
static void make_dirs(const char *dir)
{
	char p[PATH_LEN];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; ; s++) {
		char c = *s;

		if (c != '/' && c)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			die("mkdir", p);
		if (!c)
			break;
		*s = '/';
	}
}

/* The generated files: the same bytes as gen_bytes() in the test. */
static void generate(const char *dir)
{
	static const size_t sizes[] = { 0, 1, 63, 64, 65, 4095, 4096, 4097,
					65543, 1048576 };
	char path[PATH_LEN], name[32];

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("mkdir", dir);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		uint32_t x = (uint32_t)sizes[k] * 2654435761u + 1;
		size_t left = sizes[k];
		int fd;

		snprintf(name, sizeof(name), "gen-%zu", sizes[k]);
		join(path, dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			die("create", path);
		while (left) {
			size_t n = left < sizeof(buf) ? left : sizeof(buf);

			for (size_t i = 0; i < n; i++) {
				x ^= x << 13;
				x ^= x >> 17;
				x ^= x << 5;
				buf[i] = (unsigned char)x;
			}
			write_all(fd, buf, n, path);
			left -= n;
		}
		if (close(fd))
			die("close", path);
	}
}

static unsigned long nfiles, nlinks, ndirs;
static unsigned long long nbytes;

/* Print the checksums of everything under root/rel, sorted by path. */
static void checksum_tree(const char *root, const char *rel)
{
	char dir[PATH_LEN], p[PATH_LEN], r[PATH_LEN], target[PATH_LEN];
	char **names;
	size_t n;
	struct stat st;

	join(dir, root, rel);
	names = list_dir(dir, &n);
	ndirs++;
	for (size_t i = 0; i < n; i++) {
		join(p, dir, names[i]);
		join(r, rel, names[i]);
		if (lstat(p, &st))
			die("lstat", p);
		if (S_ISDIR(st.st_mode)) {
			checksum_tree(root, r);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t len = readlink(p, target, sizeof(target) - 1);

			if (len < 0)
				die("readlink", p);
			target[len] = '\0';
			printf("symlink %s -> %s\n", r, target);
			nlinks++;
		} else if (S_ISREG(st.st_mode)) {
			struct sha256 h;
			unsigned char out[32];
			unsigned long long total = 0;
			int fd = open(p, O_RDONLY);
			ssize_t got;

			if (fd < 0)
				die("open", p);
			sha256_init(&h);
			while ((got = read(fd, buf, sizeof(buf))) != 0) {
				if (got < 0)
					die("read", p);
				sha256_update(&h, buf, (size_t)got);
				total += (size_t)got;
			}
			close(fd);
			if (total != (unsigned long long)st.st_size) {
				fprintf(stderr, "filetool: %s: read %llu bytes, stat says %lld\n",
					p, total, (long long)st.st_size);
				exit(1);
			}
			sha256_final(&h, out);
			for (int k = 0; k < 32; k++)
				printf("%02x", out[k]);
			printf("  %s\n", r);
			nfiles++;
			nbytes += total;
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	const char *src = argc > 1 ? argv[1] : "/data";
	const char *dst = argc > 2 ? argv[2] : "/tmp/filetool";
	char copy[PATH_LEN], gen[PATH_LEN];
	struct stat st;

	if (stat(src, &st))
		die("stat", src);
	make_dirs(dst);
	join(copy, dst, "copy");
	join(gen, dst, "generated");
	copy_tree(src, copy, st.st_mode);
	generate(gen);
	checksum_tree(dst, ".");
	printf("filetool: %lu files, %llu bytes, %lu symlinks, %lu directories\n",
	       nfiles, nbytes, nlinks, ndirs);
	return 0;
}
