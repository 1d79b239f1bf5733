/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukelfload's main: runs the program the app arguments name. The guest's
 * argv is [app name, PATH, ARGS...] (the tool passes the binary's guest
 * path first); PATH runs with argv [PATH, ARGS...] and the kernel's
 * environment. When the boot kept a fixed range free (ukboot.reserve=),
 * it becomes posix-mmap's fixed window first, for programs linked at a
 * fixed address. On success this never returns: the program's exit_group
 * ends the guest with its status. A program that cannot be started is one
 * line, "ukelfload: PATH: what is wrong", and status 127 (not found) or
 * 126 (found, but not executable), as a shell reports them.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/boot.h>
#include <uk/mmap.h>
#include <uk/elfload.h>
#include <stdio.h>
#include <unistd.h>

int elfload_init(void);

int main(int argc, char *argv[])
{
	uintptr_t start, end;
	int rc;

	if (argc < 2 || !argv[1][0]) {
		fprintf(stderr, "ukelfload: no program to run: give its path in the "
			"rootfs as the first argument (uniforge run BINARY does)\n");
		return 127;
	}
	rc = elfload_init();
	if (rc) {
		fprintf(stderr, "ukelfload: out of memory at start (give the guest more, -m)\n");
		return 127;
	}
	if (ukboot_reserved_range(&start, &end)) {
		rc = uk_mmap_fixed_window(start, end);
		if (rc) {
			fprintf(stderr, "ukelfload: ukboot.reserve=%#lx-%#lx cannot be the fixed "
				"window (error %d): it must lie between 64 KiB and %#lx\n",
				(unsigned long)start, (unsigned long)end, -rc,
				(unsigned long)UK_MMAP_AREA_START);
			return 127;
		}
	}
	rc = uk_elfload_exec(argv[1], argv + 1, environ);
	fprintf(stderr, "ukelfload: %s: %s\n", argv[1], uk_elfload_why());
	return rc == -ENOENT ? 127 : 126;
}
