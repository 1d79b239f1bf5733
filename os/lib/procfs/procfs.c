/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * procfs at /proc: the files real programs read. /proc/self -> 1 (the one
 * process), /proc/1/exe -> the app's path ("/" + its name), /proc/1/stat,
 * /proc/1/maps (posix-mmap's regions, when it is in the image),
 * /proc/cpuinfo (cpu.c), /proc/meminfo (the heap's numbers),
 * /proc/sys/vm/overcommit_memory, /proc/sys/net/core/somaxconn. Every file
 * is generated at open (uk/seqfile.h). Nothing can be created here.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/alloc.h>
#include <uk/string.h>
#include <uk/seqfile.h>
#include <uk/vfs.h>
#include <uk/linux/statfs.h>
#include <uk/syscall.h>
#ifdef CONFIG_LIBPOSIX_MMAP
#include <uk/mmap.h>
#include <uk/linux/mman.h>
#endif
#ifdef CONFIG_LIBPOSIX_PROCESS
#include <uk/process.h>
#endif
#include "procfs.h"

static void gen_text(struct uk_seq *s, void *arg)
{
	uk_seq_puts(s, arg);
}

static void kb_line(struct uk_seq *s, const char *name, size_t bytes)
{
	uk_seq_puts(s, name);
	uk_seq_puts(s, ":");
	{
		/* right-aligned in 15 columns after the colon, as Linux */
		struct uk_seq n = { 0 };
		size_t i;

		uk_seq_putu(&n, (unsigned long)(bytes / 1024));
		for (i = n.len + uk_strlen(name) + 1; i < 24; i++)
			uk_seq_putc(s, ' ');
		for (i = 0; i < n.len; i++)
			uk_seq_putc(s, n.buf[i]);
		uk_free(uk_alloc_get_default(), n.buf);
	}
	uk_seq_puts(s, " kB\n");
}

static void gen_meminfo(struct uk_seq *s, void *arg __unused)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats st;
	size_t avail = uk_alloc_availmem(a);

	uk_alloc_stats(a, &st);
	kb_line(s, "MemTotal", st.cur_bytes + avail);
	kb_line(s, "MemFree", avail);
	kb_line(s, "MemAvailable", avail);
	kb_line(s, "Buffers", 0);
	kb_line(s, "Cached", 0);
	kb_line(s, "SwapCached", 0);
	kb_line(s, "SwapTotal", 0);
	kb_line(s, "SwapFree", 0);
	kb_line(s, "Shmem", 0);
	kb_line(s, "HugePages_Total", 0);
}

/* The process's comm, as Linux sets it at exec: the running program's
 * file name (posix-process: what ukelfload ran), else the app's name. */
static const char *comm(void)
{
#ifdef CONFIG_LIBPOSIX_PROCESS
	const char *exe = uk_process_exe(), *slash = exe;

	for (const char *p = exe; *p; p++)
		if (*p == '/')
			slash = p + 1;
	if (*slash)
		return slash;
#endif
	return CONFIG_UK_APPNAME;
}

/* /proc/1/stat: the 52 fields of proc(5), the unknown ones 0. redis reads
 * the 24th (RSS, pages) by counting spaces, so comm (at most 15 bytes, as
 * Linux's) is the only field that may hold one. */
static void gen_stat(struct uk_seq *s, void *arg __unused)
{
	struct uk_alloc_stats st;
	const char *name = comm();
	int i;

	uk_alloc_stats(uk_alloc_get_default(), &st);
	uk_seq_puts(s, "1 (");
	for (i = 0; name[i] && i < 15; i++)
		uk_seq_putc(s, name[i]);
	uk_seq_puts(s, ") R 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 0 ");
	uk_seq_putu(s, st.cur_bytes);           /* vsize */
	uk_seq_putc(s, ' ');
	uk_seq_putu(s, st.cur_bytes / 4096);    /* rss, pages */
	uk_seq_puts(s, " 18446744073709551615");
	for (i = 26; i <= 52; i++)
		uk_seq_puts(s, " 0");
	uk_seq_putc(s, '\n');
}

#ifdef CONFIG_LIBPOSIX_MMAP
static int map_line(const struct uk_mmap_region *r, void *arg)
{
	struct uk_seq *s = arg;

	uk_seq_putx(s, r->start, 8);
	uk_seq_putc(s, '-');
	uk_seq_putx(s, r->end, 8);
	uk_seq_putc(s, ' ');
	uk_seq_putc(s, (r->prot & UK_PROT_READ) ? 'r' : '-');
	uk_seq_putc(s, (r->prot & UK_PROT_WRITE) ? 'w' : '-');
	uk_seq_putc(s, (r->prot & UK_PROT_EXEC) ? 'x' : '-');
	uk_seq_putc(s, (r->flags & UK_MAP_SHARED) ? 's' : 'p');
	uk_seq_putc(s, ' ');
	uk_seq_putx(s, r->offset, 8);
	uk_seq_puts(s, " 00:00 0");
	if (r->name) {
		uk_seq_puts(s, "                          ");
		uk_seq_puts(s, r->name);
	}
	uk_seq_putc(s, '\n');
	return 0;
}
#endif

static void gen_maps(struct uk_seq *s __unused, void *arg __unused)
{
#ifdef CONFIG_LIBPOSIX_MMAP
	uk_mmap_walk(map_line, s);
#endif
}

static const struct uk_fs_type procfs_fs = {
	.name = "proc",
	.magic = UK_PROC_MAGIC,
};

#define TRY(x) do { r = (x); if (r) return r; } while (0)

/* After the root and devfs (class 3, prio 8 and 9). */
static int procfs_init(void)
{
	long r = uk_sys_mkdirat(UK_AT_FDCWD, "/proc", 0555);

	if (r && r != -EEXIST)
		return (int)r;
	TRY(uk_vfs_mount("/proc", &procfs_fs, NULL, NULL));
	TRY(uk_vfs_mknode("/proc/1", UK_S_IFDIR | 0555, 0, NULL, NULL));
	TRY(uk_vfs_mklink("/proc/self", "1"));
	TRY(procfs_init_self());
	TRY(uk_vfs_mkseq("/proc/1/stat", 0444, gen_stat, NULL));
	TRY(uk_vfs_mkseq("/proc/1/maps", 0444, gen_maps, NULL));
	TRY(uk_vfs_mkseq("/proc/cpuinfo", 0444, procfs_gen_cpuinfo, NULL));
	TRY(uk_vfs_mkseq("/proc/meminfo", 0444, gen_meminfo, NULL));
	TRY(uk_vfs_mknode("/proc/sys", UK_S_IFDIR | 0555, 0, NULL, NULL));
	TRY(uk_vfs_mknode("/proc/sys/vm", UK_S_IFDIR | 0555, 0, NULL, NULL));
	TRY(uk_vfs_mknode("/proc/sys/net", UK_S_IFDIR | 0555, 0, NULL, NULL));
	TRY(uk_vfs_mknode("/proc/sys/net/core", UK_S_IFDIR | 0555, 0, NULL, NULL));
	/* 1, "always overcommit": the policy posix-mmap follows (a mapping is
	 * never charged against free memory when made, only its pages when
	 * touched), so redis's "overcommit must be enabled" warning is right
	 * not to appear; somaxconn: Linux 5.4+'s default */
	TRY(uk_vfs_mkseq("/proc/sys/vm/overcommit_memory", 0644, gen_text, "1\n"));
	TRY(uk_vfs_mkseq("/proc/sys/net/core/somaxconn", 0644, gen_text, "4096\n"));
	return 0;
}
uk_initcall(procfs_init, UK_INIT_CLASS_LIB, 9);
