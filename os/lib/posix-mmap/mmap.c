/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mmap, munmap, mprotect, mremap, madvise, msync and mincore on the VM
 * platforms: regions in the reserved area (region.c), pages on demand
 * (pages.c). Every argument is checked before anything changes; errors are
 * Linux's: -EINVAL (bad flags, length 0, unaligned address or offset),
 * -ENOMEM (no room, or a range that is not mapped), -EBADF, -EACCES,
 * -EEXIST (MAP_FIXED_NOREPLACE over a mapping).
 *
 * W^X: a mapping is never writable and executable at once. PROT_WRITE |
 * PROT_EXEC is refused with -EACCES by mmap and mprotect (as under PaX or
 * SELinux's execmem denial); write the code, then mprotect it PROT_READ |
 * PROT_EXEC.
 *
 * File mappings map the file's own pages (uk_file_ops.get_page: ramfs),
 * all at mmap time (a fault handler must not take the file system's
 * lock), and keep a reference to the file (it may be closed right after
 * mmap). MAP_SHARED writes to them; a private mapping maps them without
 * write permission and gives a page a copy of its own on its first write
 * (pages.c), so it sees writes to the file until then, as on Linux. A
 * file system without get_page: a private mapping is a copy read at mmap
 * time through vfs's uk_sys_pread64, MAP_SHARED is -ENODEV. MAP_SHARED anonymous memory is ordinary memory (one
 * address space, no fork).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/alloc.h>
#include <uk/plat.h>
#include <uk/linux/mman.h>
#include "area.h"
#include "mmap_sys.h"
#if defined(CONFIG_LIBPOSIX_FDTAB)
#include <uk/fdtab.h>
#include <uk/file.h>
#include <uk/linux/stat.h>
#endif

/* vfs may be absent: then there are no files to map (-EBADF) */
#pragma weak uk_sys_pread64

#define PROT_ALL  (UK_PROT_READ | UK_PROT_WRITE | UK_PROT_EXEC)
#define MAP_KNOWN (UK_MAP_TYPE | UK_MAP_FIXED | UK_MAP_ANONYMOUS | UK_MAP_32BIT |  \
		   UK_MAP_GROWSDOWN | UK_MAP_DENYWRITE | UK_MAP_EXECUTABLE |       \
		   UK_MAP_LOCKED | UK_MAP_NORESERVE | UK_MAP_POPULATE |            \
		   UK_MAP_NONBLOCK | UK_MAP_STACK | UK_MAP_HUGETLB | UK_MAP_SYNC | \
		   UK_MAP_FIXED_NOREPLACE | UK_MAP_UNINITIALIZED)

#define LOCK()   unsigned long irqf_ = ukplat_lcpu_save_irqf()
#define UNLOCK() ukplat_lcpu_restore_irqf(irqf_)

static bool aligned(unsigned long v)
{
	return !(v & (PAGE_SIZE - 1));
}

/* len rounded up to pages, 0 if that overflows or leaves the area. */
static size_t page_len(unsigned long len)
{
	if (len > UK_MMAP_AREA_END - UK_MMAP_AREA_START)
		return 0;
	return UK_ALIGN_UP(len, PAGE_SIZE);
}

/* Reads the file part of a private mapping into fresh pages, before it is
 * placed: pages[i] gets the page for offset off + i * PAGE_SIZE. 0 or -E. */
static long read_file(int fd, unsigned long off, size_t len, uintptr_t *pages)
{
	size_t i, n = len / PAGE_SIZE;
	long got;

	for (i = 0; i < n; i++) {
		if (!(pages[i] = page_alloc()))
			return -ENOMEM;
		got = uk_sys_pread64(fd, (void *)pages[i], PAGE_SIZE,
				     (long)(off + i * PAGE_SIZE));
		if (got < 0)
			return got;
		if (got < (long)PAGE_SIZE)
			break;          /* end of file: the rest stays zero */
	}
	return 0;
}

#if defined(CONFIG_LIBPOSIX_FDTAB)
/*
 * The file's own pages for [off, off + n) (get_page), in pages[]; for a
 * private mapping only those below the end of the file (the rest stays 0:
 * zeroed on demand). 0 or -ENOMEM.
 */
static long borrow_pages(struct uk_file *f, bool shared, unsigned long off, size_t n,
			 uintptr_t *pages)
{
	uint64_t end = ~0ULL;
	struct uk_stat st;
	size_t i;
	void *p;

	if (!shared) {
		if (f->ops->fstat(f, &st))
			return -EIO;
		end = st.st_size > 0 ? (uint64_t)st.st_size : 0;
	}
	for (i = 0; i < n / PAGE_SIZE && off + i * PAGE_SIZE < end; i++) {
		if (!(p = f->ops->get_page(f, off + i * PAGE_SIZE)))
			return -ENOMEM;
		pages[i] = (uintptr_t)p;
	}
	return 0;
}
#endif

/*
 * The pages of a file mapping, before it is placed. When the file system
 * has get_page (ramfs) they are the file's own (*filep gets a reference
 * the caller drops; a private mapping copies a page on its first write);
 * else a private copy read through pread64 (*filep stays NULL). 0 or -E
 * (copies made so far stay in pages[] for the caller to free; no
 * reference is left when *filep is NULL).
 */
static long file_pages(int fd, bool shared, unsigned long prot, unsigned long off, size_t n,
		       uintptr_t *pages, struct uk_file **filep)
{
#if defined(CONFIG_LIBPOSIX_FDTAB)
	struct uk_file *f = uk_fdtab_get(fd);
	long rc;

	if (!f)
		return -EBADF;
	if (!(f->fflags & UK_FILE_SEEKABLE)) {         /* a pipe, a device */
		uk_file_put(f);
		return -ENODEV;
	}
	if (!uk_file_readable(f) || (shared && (prot & UK_PROT_WRITE) && !uk_file_writable(f))) {
		uk_file_put(f);
		return -EACCES;
	}
	if (!f->ops->get_page) {
		uk_file_put(f);
		return shared ? -ENODEV : read_file(fd, off, n, pages);
	}
	rc = borrow_pages(f, shared, off, n, pages);
	if (rc) {
		__builtin_memset(pages, 0, n / PAGE_SIZE * sizeof(*pages));
		uk_file_put(f);
		return rc;
	}
	*filep = f;
	return 0;
#else
	(void)prot;
	(void)filep;
	if (shared)
		return -ENODEV;         /* no files with pages of their own */
	return read_file(fd, off, n, pages);
#endif
}

/* Whether v may become writable: not a MAP_SHARED file opened read-only. */
static bool may_write(const struct vma *v)
{
#if defined(CONFIG_LIBPOSIX_FDTAB)
	return v->kind != VMA_SHARED || uk_file_writable(v->file);
#else
	(void)v;
	return true;
#endif
}

/* Maps the file's pages into [start, end) of a MAP_SHARED region grown by
 * mremap (file page by page, unlocked: get_page takes the file system's
 * lock). f is held by the caller. 0 or -E. */
static long shared_fill(struct uk_file *f, uintptr_t start, uintptr_t end, unsigned long off)
{
#if defined(CONFIG_LIBPOSIX_FDTAB)
	uintptr_t va;
	struct vma *v;
	void *p;
	long rc = 0;

	for (va = start; !rc && va < end; va += PAGE_SIZE, off += PAGE_SIZE) {
		if (!(p = f->ops->get_page(f, off)))
			return -ENOMEM;
		LOCK();
		v = vma_find(va);
		if (v && v->kind == VMA_SHARED && v->file == f && !page_get(va))
			rc = page_install_borrowed(va, (uintptr_t)p, v->prot);
		UNLOCK();
	}
	return rc;
#else
	(void)f, (void)start, (void)end, (void)off;
	return -ENODEV;
#endif
}

/* Drops a file's reference (posix-fdtab), if any. */
static void file_put(struct uk_file *f)
{
	vma_file_put(f);
}

static void free_pages(uintptr_t *pages, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (pages[i])
			page_free(pages[i]);
}

/*
 * munmap of the stack the caller runs on: a thread that ends unmaps its
 * own stack and then calls exit (musl's __unmapself), and here syscalls
 * run on the caller's stack (natively, and the trapped entry too). Such a
 * range is unmapped later, by the next call that does not run on it; the
 * region stays reserved meanwhile, so nothing is mapped over it.
 */
#define DEFERRED 8

static struct {
	uintptr_t start;
	size_t len;
} deferred[DEFERRED];

static bool on_this_stack(uintptr_t start, size_t len)
{
	return (uintptr_t)__builtin_frame_address(0) - start < len;
}

/* Unmaps the deferred ranges the caller does not run on. Masked. */
static void run_deferred(void)
{
	unsigned int i;

	for (i = 0; i < DEFERRED; i++)
		if (deferred[i].len && !on_this_stack(deferred[i].start, deferred[i].len) &&
		    !unmap_range(deferred[i].start, deferred[i].len))
			deferred[i].len = 0;
}

/* Records [start, start + len) for run_deferred; false when full. */
static bool defer(uintptr_t start, size_t len)
{
	unsigned int i;

	for (i = 0; i < DEFERRED; i++)
		if (!deferred[i].len) {
			deferred[i].start = start;
			deferred[i].len = len;
			return true;
		}
	return false;
}

void deferred_reset(void)
{
	unsigned int i;

	for (i = 0; i < DEFERRED; i++)
		deferred[i].len = 0;
}

int unmap_range(uintptr_t start, size_t len)
{
	int rc = vma_isolate(start, start + len);

	if (rc)
		return rc;
	pages_release(start, start + len);
	vma_remove(start, start + len);
	return 0;
}

long uk_sys_mmap(void *uaddr, unsigned long len, unsigned long prot,
		 unsigned long flags, unsigned long fd, unsigned long off)
{
	unsigned long addr = (unsigned long)uaddr;
	unsigned int type = flags & UK_MAP_TYPE;
	bool anon = flags & UK_MAP_ANONYMOUS;
	bool fixed = flags & (UK_MAP_FIXED | UK_MAP_FIXED_NOREPLACE);
	bool shared = !anon && type != UK_MAP_PRIVATE;
	struct uk_file *file = NULL;
	uintptr_t *pages = NULL, at;
	size_t n, i;
	long rc = 0;

	if (!len || !aligned(off) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	if (type != UK_MAP_SHARED && type != UK_MAP_PRIVATE && type != UK_MAP_SHARED_VALIDATE)
		return -EINVAL;
	if (type == UK_MAP_SHARED_VALIDATE && (flags & ~(unsigned long)MAP_KNOWN))
		return -EOPNOTSUPP;
	if (fixed && !aligned(addr))
		return -EINVAL;
	if ((prot & UK_PROT_WRITE) && (prot & UK_PROT_EXEC))
		return -EACCES;                 /* W^X (see the top) */
	if (!(n = page_len(len)))
		return -ENOMEM;
	if (flags & UK_MAP_HUGETLB)
		return -ENOMEM;                 /* no huge page pool */
	if (fixed && !in_user(addr, n))
		return -ENOMEM;
	if (!anon) {
		if ((long)fd < 0 || (long)fd > INT32_MAX || !uk_sys_pread64)
			return -EBADF;
		if (off + n < off)
			return -EOVERFLOW;
		pages = uk_calloc(uk_alloc_get_default(), n / PAGE_SIZE, sizeof(*pages));
		if (!pages)
			return -ENOMEM;
		rc = file_pages((int)fd, shared, prot, off, n, pages, &file);
		if (rc) {
			free_pages(pages, n / PAGE_SIZE);       /* copies, if any */
			uk_free(uk_alloc_get_default(), pages);
			return rc == -EISDIR || rc == -EINVAL || rc == -ESPIPE ? -ENODEV : rc;
		}
	}

	{
		LOCK();
		run_deferred();
		if (fixed) {
			at = addr;
			if ((flags & UK_MAP_FIXED_NOREPLACE) && !(flags & UK_MAP_FIXED) &&
			    !vma_free(at, at + n))
				rc = -EEXIST;
			else
				rc = unmap_range(at, n);
		} else {
			/* a free, page-aligned hint in the area is taken as is */
			at = aligned(addr) && in_area(addr, n) && addr >= MAP_START &&
			     vma_free(addr, addr + n) ? addr :
			     vma_find_free(MAP_START, UK_MMAP_AREA_END, n);
			if (!at)
				rc = -ENOMEM;
		}
		if (!rc)
			rc = vma_insert(at, at + n, (unsigned int)prot,
					(unsigned int)flags & ~(UK_MAP_FIXED | UK_MAP_FIXED_NOREPLACE),
					anon ? VMA_ANON : shared ? VMA_SHARED : VMA_FILE,
					anon ? 0 : off, file);
		/* pages past the end of a private file stay to be made
		 * (zeroed) on demand */
		for (i = 0; !rc && pages && i < n / PAGE_SIZE && pages[i]; i++) {
			rc = shared ? page_install_borrowed(at + i * PAGE_SIZE, pages[i],
							    (unsigned int)prot) :
			     file ? page_install_cow(at + i * PAGE_SIZE, pages[i], (unsigned int)prot) :
				    page_install(at + i * PAGE_SIZE, pages[i], (unsigned int)prot);
			if (!rc) {
				pages[i] = 0;   /* the mapping owns it now */
				mm_stats.file_pages += file != NULL;
			}
		}
		if (!rc && anon && (flags & (UK_MAP_POPULATE | UK_MAP_LOCKED)))
			for (i = 0; !rc && i < n; i += PAGE_SIZE)
				rc = page_populate(at + i, (unsigned int)prot);
		if (rc && rc != -EEXIST && vma_find(at) && !vma_free(at, at + n))
			unmap_range(at, n);     /* undo a half-made mapping */
		if (!rc)
			vma_merge();
		UNLOCK();
	}
	if (pages) {
		if (!file)
			free_pages(pages, n / PAGE_SIZE);       /* copies not placed */
		uk_free(uk_alloc_get_default(), pages);
	}
	file_put(file);                 /* the region holds its own */
	return rc ? rc : (long)at;
}

long uk_sys_munmap(void *uaddr, unsigned long len)
{
	unsigned long addr = (unsigned long)uaddr;
	size_t n;
	int rc;

	if (!aligned(addr) || !len || !(n = page_len(len)) || !in_user(addr, n))
		return -EINVAL;
	{
		LOCK();
		run_deferred();
		rc = on_this_stack(addr, n) && defer(addr, n) ? 0 : unmap_range(addr, n);
		vma_merge();
		UNLOCK();
	}
	return rc;
}

long uk_sys_mprotect(void *start, unsigned long len, unsigned long prot)
{
	unsigned long addr = (unsigned long)start;
	uintptr_t end;
	struct vma *v;
	size_t n;
	int rc;

	if (!aligned(addr) || (prot & ~(unsigned long)PROT_ALL))
		return -EINVAL;
	if ((prot & UK_PROT_WRITE) && (prot & UK_PROT_EXEC))
		return -EACCES;                 /* W^X */
	if (!len)
		return 0;
	if (!(n = page_len(len)) || !in_user(addr, n))
		return -ENOMEM;
	end = addr + n;
	{
		LOCK();
		rc = vma_covered(addr, end) ? 0 : -ENOMEM;
		for (v = vma_first(); !rc && v && v->start < end; v = v->next)
			if (v->end > addr && (prot & UK_PROT_WRITE) && !may_write(v))
				rc = -EACCES;
		if (!rc)
			rc = vma_isolate(addr, end);
		for (v = vma_first(); !rc && v && v->start < end; v = v->next)
			if (v->start >= addr)
				v->prot = (unsigned int)prot;
		if (!rc)
			rc = pages_protect(addr, end, (unsigned int)prot);
		vma_merge();
		UNLOCK();
	}
	return rc;
}

long uk_sys_mremap(void *uaddr, unsigned long old_len, unsigned long new_len,
		   unsigned long flags, void *unew_addr)
{
	unsigned long addr = (unsigned long)uaddr, new_addr = (unsigned long)unew_addr;
	size_t old_n, new_n;
	uintptr_t to = 0;
	struct vma *v, keep = { 0 };
	long rc = 0;

	if (!aligned(addr) || (flags & ~(unsigned long)(UK_MREMAP_MAYMOVE | UK_MREMAP_FIXED |
						       UK_MREMAP_DONTUNMAP)))
		return -EINVAL;
	if ((flags & UK_MREMAP_FIXED) && !(flags & UK_MREMAP_MAYMOVE))
		return -EINVAL;
	if (flags & UK_MREMAP_DONTUNMAP)
		return -EINVAL;                 /* not supported */
	if (!old_len || !new_len)
		return -EINVAL;                 /* old_len 0 duplicates shared memory only */
	if (!(old_n = page_len(old_len)) || !(new_n = page_len(new_len)))
		return -ENOMEM;
	if ((flags & UK_MREMAP_FIXED) &&
	    (!aligned(new_addr) || !in_user(new_addr, new_n) ||
	     (new_addr < addr + old_n && addr < new_addr + new_n)))
		return -EINVAL;
	{
		LOCK();
		v = vma_find(addr);
		if (!v || addr + old_n > v->end) {
			rc = -EFAULT;           /* not one mapping */
			goto out;
		}
		if (new_n <= old_n && !(flags & UK_MREMAP_FIXED)) {
			if (new_n < old_n)
				rc = unmap_range(addr + new_n, old_n - new_n);
			to = addr;
			goto out;
		}
		keep = *v;
		if (!(flags & UK_MREMAP_FIXED) && addr + old_n == v->end &&
		    vma_free(v->end, addr + new_n) && in_user(addr, new_n)) {
			v->end = addr + new_n;  /* grow in place */
			to = addr;
			goto out;
		}
		if (!(flags & UK_MREMAP_MAYMOVE)) {
			rc = -ENOMEM;
			goto out;
		}
		rc = vma_isolate(addr, addr + old_n);
		if (rc)
			goto out;
		v = vma_find(addr);
		keep = *v;
		if (flags & UK_MREMAP_FIXED) {
			to = new_addr;
			rc = unmap_range(to, new_n);
		} else if (!(to = vma_find_free(MAP_START, UK_MMAP_AREA_END, new_n))) {
			rc = -ENOMEM;
		}
		if (!rc)
			rc = vma_insert(to, to + new_n, keep.prot, keep.flags,
					keep.kind == VMA_HEAP ? VMA_ANON : keep.kind, keep.off,
					keep.file);
		if (!rc)
			rc = pages_move(addr, to, UK_MIN(old_n, new_n), keep.prot);
		if (!rc)
			rc = unmap_range(addr, old_n);
out:
		vma_merge();
		if (!rc && keep.kind == VMA_SHARED && new_n > old_n)
			vma_file_get(keep.file);        /* for shared_fill */
		UNLOCK();
	}
	if (!rc && keep.kind == VMA_SHARED && new_n > old_n) {
		/* the file's pages for the part that grew */
		rc = shared_fill(keep.file, to + old_n, to + new_n, keep.off + (addr - keep.start) + old_n);
		vma_file_put(keep.file);
	}
	return rc ? rc : (long)to;
}

long uk_sys_madvise(void *start, unsigned long len, int advice)
{
	unsigned long addr = (unsigned long)start;
	uintptr_t end, va;
	struct vma *v;
	size_t n;
	long rc = 0;

	if (!aligned(addr))
		return -EINVAL;
	switch (advice) {
	case UK_MADV_NORMAL: case UK_MADV_RANDOM: case UK_MADV_SEQUENTIAL:
	case UK_MADV_WILLNEED: case UK_MADV_DONTNEED: case UK_MADV_FREE:
	case UK_MADV_REMOVE: case UK_MADV_DONTFORK: case UK_MADV_DOFORK:
	case UK_MADV_MERGEABLE: case UK_MADV_UNMERGEABLE: case UK_MADV_HUGEPAGE:
	case UK_MADV_NOHUGEPAGE: case UK_MADV_DONTDUMP: case UK_MADV_DODUMP:
	case UK_MADV_WIPEONFORK: case UK_MADV_KEEPONFORK: case UK_MADV_COLD:
	case UK_MADV_PAGEOUT: case UK_MADV_POPULATE_READ: case UK_MADV_POPULATE_WRITE:
		break;
	default:
		return -EINVAL;
	}
	if (!len)
		return 0;
	if (!(n = page_len(len)) || !in_user(addr, n))
		return -ENOMEM;
	end = addr + n;
	{
		LOCK();
		if (!vma_covered(addr, end))
			rc = -ENOMEM;
		for (v = vma_first(); !rc && v && v->start < end; v = v->next) {
			uintptr_t s = UK_MAX(v->start, addr), e = UK_MIN(v->end, end);

			if (e <= s)
				continue;
			switch (advice) {
			case UK_MADV_DONTNEED:
			case UK_MADV_FREE:
				/* private anonymous memory reads back as zeros;
				 * shared memory and a private file copy keep
				 * their contents (as Linux re-reads them) */
				if (v->kind == VMA_HEAP ||
				    (v->kind == VMA_ANON && (v->flags & UK_MAP_TYPE) == UK_MAP_PRIVATE))
					pages_release(s, e);
				break;
			case UK_MADV_REMOVE:
				/* frees the memory behind: anonymous memory */
				if (v->kind == VMA_HEAP || v->kind == VMA_ANON)
					pages_release(s, e);
				break;
			case UK_MADV_WILLNEED:
			case UK_MADV_POPULATE_READ:
			case UK_MADV_POPULATE_WRITE:
				if (!v->prot) {
					rc = advice == UK_MADV_WILLNEED ? 0 : -ENOMEM;
					break;
				}
				for (va = s; !rc && va < e; va += PAGE_SIZE)
					rc = page_populate(va, v->prot);
				break;
			}
		}
		UNLOCK();
	}
	return rc;
}

long uk_sys_msync(void *start, unsigned long len, int flags)
{
	unsigned long addr = (unsigned long)start;
	size_t n;
	bool ok;

	if (!aligned(addr) || (flags & ~(UK_MS_ASYNC | UK_MS_INVALIDATE | UK_MS_SYNC)) ||
	    ((flags & UK_MS_ASYNC) && (flags & UK_MS_SYNC)))
		return -EINVAL;
	if (!len)
		return 0;
	if (!(n = page_len(len)) || !in_user(addr, n))
		return -ENOMEM;
	{
		LOCK();
		ok = vma_covered(addr, addr + n);
		UNLOCK();
	}
	return ok ? 0 : -ENOMEM;        /* nothing to write back: memory only */
}

long uk_sys_mincore(void *start, unsigned long len, void *uvec)
{
	unsigned long addr = (unsigned long)start;
	unsigned char *vec = uvec;
	unsigned char in;
	size_t n, i;
	long rc = 0;

	if (!aligned(addr))
		return -EINVAL;
	if (!len)
		return 0;
	if (!(n = page_len(len)) || !in_user(addr, n))
		return -ENOMEM;
	for (i = 0; !rc && i < n / PAGE_SIZE; i++) {
		LOCK();
		in = page_get(addr + i * PAGE_SIZE) ? 1 : 0;
		if (!vma_covered(addr + i * PAGE_SIZE, addr + (i + 1) * PAGE_SIZE))
			rc = -ENOMEM;
		UNLOCK();
		if (!rc && uk_copy_to_user(&vec[i], &in, 1))
			rc = -EFAULT;
	}
	return rc;
}
