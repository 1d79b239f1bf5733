/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for os/lib/ukcpio (tests/host/test_cpio.py).
 *
 * As a program (gcc, ASan + UBSan): `harness FILE` lists FILE's members,
 * one line each, for the differential tests against Python's reading of
 * the same archive:
 *   M <offset> <ino> <mode octal> <uid> <gid> <nlink> <mtime> <rmaj> <rmin>
 *     <size> <name hex> <data sha-free hex prefix...>
 * ending with "END" or "ERR <rc> <offset> <reason>".
 *
 * As a libFuzzer target (clang -fsanitize=fuzzer,address,undefined with
 * -DFUZZ): LLVMFuzzerTestOneInput runs the parser over the input and checks
 * the iterator's invariants (every member inside the buffer, offsets
 * strictly increasing, names normalised).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/cpio.h>
#include <uk/errno.h>

static struct uk_cpio_entry ent;

static void check_entry(const unsigned char *buf, size_t len,
			const struct uk_cpio_entry *e, size_t prev)
{
	const unsigned char *d = e->data;

	if (e->offset >= len || (prev != (size_t)-1 && e->offset <= prev))
		abort();
	if (d < buf || d > buf + len || e->size > (size_t)(buf + len - d))
		abort();
	if (strlen(e->name) != e->namelen || e->namelen >= UK_CPIO_NAME_MAX)
		abort();
	if (e->name[0] == '/' || (e->namelen && e->name[e->namelen - 1] == '/'))
		abort();
	if (strstr(e->name, "//"))
		abort();
	/* no "." or ".." component */
	for (const char *c = e->name; *c; ) {
		size_t n = strcspn(c, "/");

		if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			abort();
		c += n + (c[n] == '/');
	}
	if (!uk_cpio_type_name(e->mode))
		abort();
}

static int walk(const unsigned char *buf, size_t len, int print)
{
	struct uk_cpio_iter it;
	size_t prev = (size_t)-1;
	int rc, n = 0;

	uk_cpio_iter_init(&it, buf, len);
	while ((rc = uk_cpio_next(&it, &ent)) == 1) {
		check_entry(buf, len, &ent, prev);
		prev = ent.offset;
		if (print) {
			printf("M %zu %u %o %u %u %u %u %u %u %zu ", ent.offset,
			       ent.ino, ent.mode, ent.uid, ent.gid, ent.nlink,
			       ent.mtime, ent.rdevmajor, ent.rdevminor, ent.size);
			for (size_t i = 0; i < ent.namelen; i++)
				printf("%02x", (unsigned char)ent.name[i]);
			printf(" ");
			for (size_t i = 0; i < ent.size; i++)
				printf("%02x", ((const unsigned char *)ent.data)[i]);
			printf(" -\n");
		}
		n++;
	}
	if (rc < 0) {
		if (!it.err || it.err_off > len)
			abort();
		/* sticky */
		if (uk_cpio_next(&it, &ent) != rc)
			abort();
		if (print)
			printf("ERR %d %zu %s\n", rc, it.err_off, it.err);
	} else if (rc != 0) {
		abort();
	} else if (print) {
		printf("END\n");
	}
	return n;
}

#ifdef FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	walk(data, size, 0);
	return 0;
}
#else
int main(int argc, char **argv)
{
	FILE *f;
	unsigned char *buf;
	long len;

	if (argc != 2) {
		fprintf(stderr, "usage: %s ARCHIVE\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	/* exactly len bytes, so ASan sees any read past the end */
	buf = malloc(len ? len : 1);
	if (len && fread(buf, 1, len, f) != (size_t)len) {
		perror("read");
		return 2;
	}
	fclose(f);
	walk(buf, len, 1);
	free(buf);
	return 0;
}
#endif
