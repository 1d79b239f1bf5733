/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unpacks the boot initrd (ukplat_bootinfo_get()->initrd, a cpio newc
 * archive: `uniforge run --rootfs DIR`) into the root file system before
 * main, through vfscore's syscall handlers (uk_sys_*), as Linux unpacks an
 * initramfs:
 *
 *   directory     mkdir (an existing one is kept), then mode and owner;
 *                 failing to set those (a mount point such as /dev, whose
 *                 file system may refuse) is a console line, not an error;
 *   regular file  created (a file of that name replaced), data, mode, owner,
 *                 mtime; a member with nlink > 1 whose (ino, dev) was seen
 *                 before becomes a hard link to the first name, and its data
 *                 (GNU cpio puts it on the last link) goes to the shared file;
 *   symlink       symlink, owner and mtime of the link itself;
 *   device, fifo, socket   skipped with a warning (ramfs holds none).
 *
 * Directory mtimes are set in a second pass, once nothing more is created
 * in them (a failure there is a console line too). The parser (cpio.c) checks the archive; a corrupt one stops the
 * boot with the offset of the problem and exit status UK_CPIO_EXIT_CORRUPT,
 * never a crash. The init runs in class ROOTFS, priority 5: after vfscore
 * mounts ramfs at / and devfs, procfs, sysfs (class LIB), before the /etc
 * defaults (vfscore's etc.c, ROOTFS 9), which only fill in what the archive
 * lacks.
 */
#include <uk/alloc.h>
#include <uk/boot.h>
#include <uk/cpio.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/linux/fcntl.h>
#include <uk/plat.h>
#include <uk/plat/bootinfo.h>
#include <uk/print.h>
#include <uk/syscall.h>
#if !defined(CONFIG_PLAT_LINUXU) && defined(CONFIG_LIBRAMFS) && defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/fdtab.h>
#include <uk/file.h>
#include <uk/ramfs.h>
#define ADOPT 1
#else
#define ADOPT 0
#endif

#define PAGE __PAGE_SIZE

/* The boot's exit status for a corrupt archive (sysexits' EX_DATAERR). */
#define UK_CPIO_EXIT_CORRUPT 65

/* utimensat's times: Linux's struct timespec, two longs on x86_64 and
 * arm64 (struct uk_timespec is only passed through). */
struct times {
	long tv_sec;
	long tv_nsec;
};

/* One inode that has hard links: the first name it was unpacked as. */
struct link {
	uint32_t ino, devmajor, devminor;
	char *path;
};

static struct uk_cpio_entry ent;                /* init runs once, alone */
static char path[UK_CPIO_NAME_MAX + 1];
static char target[UK_CPIO_LINK_MAX];

static void say(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	ukplat_cout(s, n);
}

static void say_num(unsigned long v, unsigned int base)
{
	char buf[24];
	int i = sizeof(buf);

	buf[--i] = '\0';
	do {
		buf[--i] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	say(buf + i);
}

static void say_failure(const char *what, const char *name, long rc)
{
	say("ukcpio: initrd: ");
	say(what);
	say(" /");
	say(name);
	say(" failed: -");
	say_num((unsigned long)-rc, 10);
	say("\n");
}

/* path = "/" + e->name */
static void set_path(const struct uk_cpio_entry *e)
{
	path[0] = '/';
	for (size_t i = 0; i <= e->namelen; i++)
		path[i + 1] = e->name[i];
}

static long set_times(const struct uk_cpio_entry *e)
{
	struct times ts[2] = {
		{ .tv_sec = e->mtime, .tv_nsec = 0 },
		{ .tv_sec = e->mtime, .tv_nsec = 0 },
	};

	return uk_sys_utimensat(UK_AT_FDCWD, path, (const struct uk_timespec *)ts,
				UK_AT_SYMLINK_NOFOLLOW);
}

static long owner_and_mode(const struct uk_cpio_entry *e, bool mode)
{
	long rc = uk_sys_fchownat(UK_AT_FDCWD, path, e->uid, e->gid,
				  UK_AT_SYMLINK_NOFOLLOW);

	if (!rc && mode)       /* after chown, which may clear set-id bits */
		rc = uk_sys_fchmodat(UK_AT_FDCWD, path, e->mode & 07777);
	return rc;
}

/* Remove what is at path unless it is a directory (a later member of the
 * same name replaces an earlier one). */
static long clear_path(void)
{
	long rc = uk_sys_unlinkat(UK_AT_FDCWD, path, 0);

	return rc == -ENOENT ? 0 : rc;
}

static long write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		long w = uk_sys_write(fd, p, n);

		if (w < 0)
			return w;
		if (w == 0)
			return -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Zero copy. The tool writes the data of every regular file of a page or
 * more page-aligned in the archive (uniforge/cpio.py); when the archive
 * itself lies page-aligned in memory, such a file's whole pages become the
 * file's own ramfs blocks as they lie (uk_ramfs_adopt) and only the rest
 * of its last page is copied. For that the archive's pages are given to
 * the heap before the unpack as pages in use (uk_alloc_addmem_used; not
 * those of the ukboot.reserve= range), so the file frees each like any
 * block; release() then frees the pages no file took. Without ramfs,
 * fdtab, an allocator that can, or on linuxu (the initrd is the host
 * file): copies, and the whole archive goes to the heap afterwards.
 */
struct given {
	uintptr_t lo, hi;               /* page-aligned; empty when lo == hi */
	bool in_use;                    /* given as pages in use (adoptable) */
};
static struct given given[2];           /* below and above the reserved range */
static unsigned char *taken;            /* bit i: page i of given[] adopted */
static bool adopting;
static size_t bytes_adopted, bytes_copied;     /* file data, for the log */

/* The bit of the page at p in taken[], or -1 when no range given in use
 * holds it. */
static long page_bit(uintptr_t p)
{
	long base = 0;

	for (unsigned int i = 0; i < 2; i++) {
		if (given[i].in_use && p >= given[i].lo && p < given[i].hi)
			return base + (long)((p - given[i].lo) / PAGE);
		base += (long)((given[i].hi - given[i].lo) / PAGE);
	}
	return -1;
}

/* Adopts the whole pages of e's data into the file fd as far as it can
 * (from the start, in order): the bytes done. */
static size_t adopt_pages(int fd, const struct uk_cpio_entry *e)
{
	size_t done = 0;
#if ADOPT
	uintptr_t p = (uintptr_t)e->data;
	struct uk_file *f;
	long bit;

	if (!adopting || (p % PAGE) || e->size < PAGE || !(f = uk_fdtab_get(fd)))
		return 0;
	for (; e->size - done >= PAGE; done += PAGE) {
		if ((bit = page_bit(p + done)) < 0 ||
		    uk_ramfs_adopt(f, done, (void *)(p + done)))
			break;
		taken[bit / 8] |= (unsigned char)(1U << (bit % 8));
	}
	uk_file_put(f);
#else
	(void)fd;
	(void)e;
#endif
	return done;
}

/* e's data into the new (empty) file fd: its whole pages adopted when
 * they can be, the rest written. 0 or -E. */
static long write_data(int fd, const struct uk_cpio_entry *e)
{
	size_t done = adopt_pages(fd, e);
	long rc;

	bytes_adopted += done;
	bytes_copied += e->size - done;
	if (done == e->size)
		return 0;
	if (done && (rc = uk_sys_lseek(fd, (long)done, 0 /* SEEK_SET */)) < 0)
		return rc;
	return write_all(fd, (const unsigned char *)e->data + done, e->size - done);
}

static struct link *links;
static size_t nr_links, cap_links;

static struct link *find_link(const struct uk_cpio_entry *e)
{
	for (size_t i = 0; i < nr_links; i++)
		if (links[i].ino == e->ino && links[i].devmajor == e->devmajor &&
		    links[i].devminor == e->devminor)
			return &links[i];
	return NULL;
}

static long remember_link(const struct uk_cpio_entry *e)
{
	struct uk_alloc *a = uk_alloc_get_default();
	char *copy;

	if (nr_links == cap_links) {
		size_t cap = cap_links ? 2 * cap_links : 16;
		struct link *n = uk_realloc(a, links, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		links = n;
		cap_links = cap;
	}
	copy = uk_malloc(a, e->namelen + 2);
	if (!copy)
		return -ENOMEM;
	for (size_t i = 0; i <= e->namelen + 1; i++)
		copy[i] = path[i];
	links[nr_links++] = (struct link){ e->ino, e->devmajor, e->devminor, copy };
	return 0;
}

static long unpack_file(const struct uk_cpio_entry *e)
{
	struct link *l = e->nlink > 1 ? find_link(e) : NULL;
	long rc, fd;


	rc = clear_path();
	if (rc)
		return rc;
	if (l) {
		rc = uk_sys_linkat(UK_AT_FDCWD, l->path, UK_AT_FDCWD, path, 0);
		if (rc || !e->size)
			return rc;
		fd = uk_sys_openat(UK_AT_FDCWD, path, UK_O_WRONLY | UK_O_TRUNC, 0);
	} else {
		if (e->nlink > 1 && (rc = remember_link(e)))
			return rc;
		fd = uk_sys_openat(UK_AT_FDCWD, path,
				   UK_O_WRONLY | UK_O_CREAT | UK_O_TRUNC | UK_O_NOFOLLOW,
				   e->mode & 07777);
	}
	if (fd < 0)
		return fd;
	rc = write_data((int)fd, e);
	uk_sys_close((int)fd);
	if (!rc)
		rc = owner_and_mode(e, true);
	if (!rc)
		rc = set_times(e);
	return rc;
}

static long unpack_symlink(const struct uk_cpio_entry *e)
{
	long rc = clear_path();

	if (rc)
		return rc;
	for (size_t i = 0; i < e->size; i++)
		target[i] = ((const char *)e->data)[i];
	target[e->size] = '\0';
	rc = uk_sys_symlinkat(target, UK_AT_FDCWD, path);
	if (!rc)
		rc = owner_and_mode(e, false);
	if (!rc)
		rc = set_times(e);
	return rc;
}

static void say_kept(const char *what, long rc)
{
	say("ukcpio: initrd: ");
	say(what);
	say(" of /");
	say(ent.name);
	say(" left as it is (-");
	say_num((unsigned long)-rc, 10);
	say(")\n");
}

static long unpack_dir(const struct uk_cpio_entry *e)
{
	long rc = 0;

	if (e->namelen)          /* "" is the root, which exists */
		rc = uk_sys_mkdirat(UK_AT_FDCWD, path, e->mode & 07777);
	if (rc && rc != -EEXIST)
		return rc;
	rc = owner_and_mode(e, true);
	if (rc)
		say_kept("the owner and mode", rc);
	return 0;
}

static int corrupt(const struct uk_cpio_iter *it, int rc)
{
	say("ukcpio: initrd: corrupt cpio archive at byte ");
	say_num(it->err_off, 10);
	say(" (0x");
	say_num(it->err_off, 16);
	say("): ");
	say(it->err);
	say(" (-");
	say_num((unsigned long)-rc, 10);
	say(")\n");
	ukboot_shutdown(UK_CPIO_EXIT_CORRUPT);
	return rc;
}

/* Pass 1 creates everything; pass 2 (dirs == true) sets directory mtimes.
 * Returns 0 or the first failure. */
static int unpack_pass(const void *buf, size_t len, bool dirs)
{
	struct uk_cpio_iter it;
	int rc;

	uk_cpio_iter_init(&it, buf, len);
	while ((rc = uk_cpio_next(&it, &ent)) == 1) {
		uint32_t type = ent.mode & UK_CPIO_S_IFMT;
		long r = 0;
		const char *what;

		set_path(&ent);
		if (dirs) {
			if (type == UK_CPIO_S_IFDIR && (r = set_times(&ent)))
				say_kept("the mtime", r);
			continue;
		} else if (type == UK_CPIO_S_IFDIR) {
			r = unpack_dir(&ent);
			what = "creating the directory";
		} else if (type == UK_CPIO_S_IFREG) {
			r = unpack_file(&ent);
			what = "creating the file";
		} else if (type == UK_CPIO_S_IFLNK) {
			r = unpack_symlink(&ent);
			what = "creating the symlink";
		} else {
			say("ukcpio: initrd: skipping /");
			say(ent.name);
			say(", a ");
			say(uk_cpio_type_name(ent.mode));
			say(" (ramfs holds none)\n");
			continue;
		}
		if (r) {
			say_failure(what, ent.name, r);
			return (int)r;
		}
	}
	return rc < 0 ? corrupt(&it, rc) : 0;
}

/*
 * The archive's memory, once every member is in ramfs, goes to the heap:
 * the platform kept it out of free memory at boot, and nothing reads
 * bootinfo's initrd after this init (a Linux binary's files are ramfs's).
 * Only whole pages inside the archive are given, so a neighbour sharing
 * its first or last page keeps it, and never those of the range
 * ukboot.reserve= keeps for a fixed-address program (posix-mmap's fixed
 * window maps it; QEMU may have put the archive there). Not on linuxu,
 * whose initrd is the host file mapped read-only; an allocator without
 * addmem (region) keeps the hole. Without this a root file system cost
 * its size twice for the whole run (tests/boot/test_initrd_free.py).
 */
static void split_given(const struct ukplat_bootinfo *bi)
{
	uintptr_t lo = UK_ALIGN_UP((uintptr_t)bi->initrd, PAGE);
	uintptr_t hi = UK_ALIGN_DOWN((uintptr_t)bi->initrd + bi->initrd_len, PAGE);

	if (hi <= lo)
		return;
	given[0] = (struct given){ lo, hi, false };
#if defined(CONFIG_LIBUKLIBPARAM)
	{
		uintptr_t rs, re;

		if (ukboot_reserved_range(&rs, &re) && rs < hi && re > lo) {
			given[0] = (struct given){ lo, UK_MAX(lo, UK_ALIGN_DOWN(rs, PAGE)), false };
			given[1] = (struct given){ UK_MIN(hi, UK_ALIGN_UP(re, PAGE)), hi, false };
		}
	}
#endif
}

/* Before the unpack: the given ranges to the heap as pages in use, if
 * the allocator can take them so (then adopting is set). */
static void give_in_use(void)
{
#if ADOPT
	struct uk_alloc *a = uk_alloc_get_default();
	size_t pages = 0;
	unsigned int i;

	if (!uk_alloc_can_addmem_used(a))
		return;
	for (i = 0; i < 2; i++)
		pages += (given[i].hi - given[i].lo) / PAGE;
	if (!pages || !(taken = uk_calloc(a, (pages + 7) / 8, 1)))
		return;
	for (i = 0; i < 2; i++)
		if (given[i].hi > given[i].lo)
			given[i].in_use = !uk_alloc_addmem_used(a, (void *)given[i].lo,
								given[i].hi - given[i].lo);
	adopting = given[0].in_use || given[1].in_use;
#endif
}

/* After the unpack: the pages no file took (in-use ranges) or the whole
 * range (the others) to the heap. */
static void release(void)
{
#if !defined(CONFIG_PLAT_LINUXU)
	struct uk_alloc *a = uk_alloc_get_default();
	uintptr_t p;
	unsigned int i;
	long bit;

	if (!a)
		return;
	for (i = 0; i < 2; i++) {
		if (given[i].hi <= given[i].lo)
			continue;
		if (!given[i].in_use) {
			uk_alloc_addmem(a, (void *)given[i].lo, given[i].hi - given[i].lo);
			continue;
		}
		for (p = given[i].lo; p < given[i].hi; p += PAGE)
			if ((bit = page_bit(p)) >= 0 && !(taken[bit / 8] & (1U << (bit % 8))))
				uk_pfree(a, (void *)p, 1);
	}
	uk_free(a, taken);
	taken = NULL;
	adopting = false;
#endif
}

static int uk_cpio_initrd_unpack(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();
	int rc;

	if (!bi->initrd_len)
		return 0;
#if !defined(CONFIG_PLAT_LINUXU)
	split_given(bi);
	give_in_use();
#endif
	rc = unpack_pass(bi->initrd, bi->initrd_len, false);
	if (!rc)
		rc = unpack_pass(bi->initrd, bi->initrd_len, true);
	for (size_t i = 0; i < nr_links; i++)        /* the hard-link table */
		uk_free(uk_alloc_get_default(), links[i].path);
	uk_free(uk_alloc_get_default(), links);
	links = NULL;
	nr_links = cap_links = 0;
	if (!rc || adopting)    /* (adopted pages: the heap's already) */
		release();
	uk_pr_info("initrd: %lu KiB of file data taken in place, %lu KiB copied\n",
		   (unsigned long)(bytes_adopted >> 10), (unsigned long)(bytes_copied >> 10));
	return rc;
}

uk_initcall(uk_cpio_initrd_unpack, UK_INIT_CLASS_ROOTFS, 5);
