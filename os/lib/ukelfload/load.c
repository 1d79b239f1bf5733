/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Reading and mapping one ELF file: through the VFS (vfscore's openat,
 * posix-fdtab's pread64 and fstat, kernel-side calls of the syscall
 * handlers) and posix-mmap (mmap, mprotect: each PT_LOAD with its own
 * permissions, never writable and executable at once). Every check that
 * can fail is done by elf_open/elf_check_place, before the caller's point
 * of no return; elf_map can then fail only for want of memory.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/syscall.h>
#include <uk/mmap.h>
#include <uk/linux/fcntl.h>
#include <uk/linux/stat.h>
#include <uk/linux/mman.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "loader.h"

#if defined(CONFIG_ARCH_X86_64)
#define MACHINE UK_EM_X86_64
#else
#define MACHINE UK_EM_AARCH64
#endif
#define PAGE UK_ELF_PAGE

char elf_why[WHY_MAX];

void elf_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(elf_why, sizeof(elf_why), fmt, ap);
	va_end(ap);
}

/* Reads exactly len bytes at off. 0, or -EIO for a short file, -E. */
static long read_at(int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	long got;

	while (done < len) {
		got = uk_sys_pread64(fd, (char *)buf + done, len - done, (long)(off + done));
		if (got < 0)
			return got;
		if (!got)
			return -EIO;
		done += (size_t)got;
	}
	return 0;
}

/* The parser's complaint as a phrase, with the program header's number. */
static int parse_failed(const struct elf_file *f, int rc, const char *why, const void *ph)
{
	const struct uk_elf_info *in = &f->info;

	if (in->bad_phdr >= 0 && ph) {
		uint32_t type;
		const char *name;

		memcpy(&type, (const char *)ph + in->bad_phdr * UK_ELF_PHDR_SIZE, 4);
		name = uk_elf_phdr_name(type);
		if (name)
			elf_say("program header %d (%s): %s", in->bad_phdr, name, why);
		else
			elf_say("program header %d (type %#x): %s", in->bad_phdr, type, why);
	} else {
		elf_say("%s", why);
	}
	return rc;
}

int elf_open(struct elf_file *f, const char *path)
{
	unsigned char ehdr[UK_ELF_EHDR_SIZE];
	struct uk_stat st;
	const char *why = "";
	void *ph = NULL;
	unsigned int i;
	long rc;

	memset(f, 0, sizeof(*f));
	f->path = path;
	f->fd = -1;
	rc = uk_sys_openat(UK_AT_FDCWD, path, UK_O_RDONLY | UK_O_CLOEXEC, 0);
	if (rc < 0) {
		elf_say(rc == -ENOENT ? "no such file" :
			rc == -ENOTDIR ? "a component of the path is not a directory" :
			rc == -EACCES ? "permission denied" : "cannot open it (error %ld)", -rc);
		return rc == -ENOTDIR ? -ENOENT : (int)rc;
	}
	f->fd = (int)rc;
	rc = uk_sys_fstat(f->fd, &st);
	if (rc < 0) {
		elf_say("cannot stat it (error %ld)", -rc);
		goto fail;
	}
	if (UK_S_ISDIR(st.st_mode)) {
		elf_say("is a directory");
		rc = -EACCES;
		goto fail;
	}
	if (!UK_S_ISREG(st.st_mode)) {
		elf_say("not a regular file");
		rc = -EACCES;
		goto fail;
	}
	if (!(st.st_mode & 0111)) {
		elf_say("not executable (mode %03o: no x bit)", st.st_mode & 0777);
		rc = -EACCES;
		goto fail;
	}
	f->size = (uint64_t)st.st_size;
	rc = read_at(f->fd, ehdr, UK_MIN(sizeof(ehdr), f->size), 0);
	if (rc < 0) {
		elf_say("cannot read it (error %ld)", -rc);
		goto fail;
	}
	rc = uk_elf_check_ehdr(ehdr, UK_MIN(sizeof(ehdr), f->size), f->size, MACHINE,
			       &f->info, &why);
	if (rc) {
		parse_failed(f, rc, why, NULL);
		goto fail;
	}
	ph = uk_malloc(uk_alloc_get_default(), f->info.phnum * UK_ELF_PHDR_SIZE);
	if (!ph) {
		elf_say("out of memory for the program headers");
		rc = -ENOMEM;
		goto fail;
	}
	rc = read_at(f->fd, ph, f->info.phnum * UK_ELF_PHDR_SIZE, f->info.phoff);
	if (rc < 0) {
		elf_say("cannot read the program headers (error %ld)", -rc);
		goto fail;
	}
	rc = uk_elf_check_phdrs(ph, f->info.phnum * UK_ELF_PHDR_SIZE, f->size, &f->info, &why);
	if (rc) {
		parse_failed(f, rc, why, ph);
		goto fail;
	}
	/* W^X: posix-mmap would refuse the mapping; say why here */
	for (i = 0; i < f->info.nloads; i++)
		if ((f->info.load[i].flags & (UK_PF_W | UK_PF_X)) == (UK_PF_W | UK_PF_X)) {
			elf_say("PT_LOAD segment at %#lx is writable and executable: refused "
				"(this kernel keeps W^X)", (unsigned long)f->info.load[i].vaddr);
			rc = -ENOEXEC;
			goto fail;
		}
	if (f->info.interp_len) {
		f->interp = uk_malloc(uk_alloc_get_default(), f->info.interp_len);
		if (!f->interp) {
			elf_say("out of memory for the interpreter's path");
			rc = -ENOMEM;
			goto fail;
		}
		rc = read_at(f->fd, f->interp, f->info.interp_len, f->info.interp_off);
		if (rc < 0) {
			elf_say("cannot read PT_INTERP (error %ld)", -rc);
			goto fail;
		}
		rc = uk_elf_check_interp(f->interp, f->info.interp_len, &why);
		if (rc) {
			elf_say("%s", why);
			goto fail;
		}
	}
	uk_free(uk_alloc_get_default(), ph);
	return 0;
fail:
	uk_free(uk_alloc_get_default(), ph);
	elf_close(f);
	return (int)rc;
}

void elf_close(struct elf_file *f)
{
	if (f->fd >= 0)
		uk_sys_close(f->fd);
	f->fd = -1;
	uk_free(uk_alloc_get_default(), f->interp);
	f->interp = NULL;
}

int elf_check_place(const struct elf_file *f)
{
	const struct uk_elf_info *in = &f->info;

	if (in->type == UK_ET_DYN)
		return 0;               /* anywhere mmap finds room */
	if (uk_mmap_fixed_ok(in->lo, in->hi))
		return 0;
	elf_say("linked at the fixed addresses %#lx-%#lx, which this boot did not keep "
		"free: boot with ukboot.reserve=%#lx-%#lx (uniforge run BINARY passes it)",
		(unsigned long)in->lo, (unsigned long)in->hi, (unsigned long)in->lo,
		(unsigned long)in->hi);
	return -ENOEXEC;
}

static unsigned long prot_of(uint32_t pf)
{
	return (pf & UK_PF_R ? UK_PROT_READ : 0) | (pf & UK_PF_W ? UK_PROT_WRITE : 0) |
	       (pf & UK_PF_X ? UK_PROT_EXEC : 0);
}

/* Maps one PT_LOAD at bias: the file's pages (a private copy), the end of
 * its last file page zeroed, anonymous zero pages for the rest of memsz. */
static long map_load(const struct elf_file *f, const struct uk_elf_load *l, uintptr_t bias)
{
	uintptr_t start = bias + UK_ALIGN_DOWN(l->vaddr, PAGE);
	uintptr_t fend = bias + l->vaddr + l->filesz, mend = bias + l->vaddr + l->memsz;
	uintptr_t fpage = UK_ALIGN_UP(fend, PAGE), mpage = UK_ALIGN_UP(mend, PAGE);
	unsigned long prot = prot_of(l->flags);
	bool zero_tail = l->memsz > l->filesz && (fend & (PAGE - 1));
	long rc;

	if (l->filesz) {
		/* writable while the tail is zeroed, then the segment's own */
		rc = uk_sys_mmap((void *)start, fpage - start,
				 zero_tail ? UK_PROT_READ | UK_PROT_WRITE : prot,
				 UK_MAP_PRIVATE | UK_MAP_FIXED, (unsigned long)f->fd,
				 UK_ALIGN_DOWN(l->offset, PAGE));
		if (rc < 0)
			return rc;
		if (zero_tail) {
			memset((void *)fend, 0, fpage - fend);
			rc = uk_sys_mprotect((void *)start, fpage - start, prot);
			if (rc < 0)
				return rc;
		}
	} else {
		fpage = start;
	}
	if (mpage > fpage) {
		rc = uk_sys_mmap((void *)fpage, mpage - fpage, prot,
				 UK_MAP_PRIVATE | UK_MAP_ANONYMOUS | UK_MAP_FIXED, -1UL, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int elf_map(struct elf_file *f)
{
	const struct uk_elf_info *in = &f->info;
	unsigned int i;
	long rc;

	if (in->type == UK_ET_DYN) {
		/* the whole span first (PROT_NONE, no memory): the bias, and
		 * the gaps between segments stay reserved */
		rc = uk_sys_mmap(NULL, in->hi - in->lo, UK_PROT_NONE,
				 UK_MAP_PRIVATE | UK_MAP_ANONYMOUS | UK_MAP_NORESERVE, -1UL, 0);
		if (rc < 0) {
			elf_say("no room for its %lu KiB (error %ld)",
				(unsigned long)((in->hi - in->lo) >> 10), -rc);
			return (int)rc;
		}
		f->bias = (uintptr_t)rc - in->lo;
	} else {
		f->bias = 0;
	}
	for (i = 0; i < in->nloads; i++) {
		rc = map_load(f, &in->load[i], f->bias);
		if (rc < 0) {
			elf_say("cannot map its PT_LOAD segment at %#lx (error %ld%s)",
				(unsigned long)(f->bias + in->load[i].vaddr), -rc,
				rc == -ENOMEM ? ": out of memory, give the guest more (-m)" : "");
			return (int)rc;
		}
	}
	return 0;
}
