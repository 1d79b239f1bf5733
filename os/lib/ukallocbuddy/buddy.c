/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukallocbuddy: a binary buddy allocator over 4 KiB pages plus per-size-class
 * slabs for small objects. Design notes in README.md.
 *
 * Memory layout of one region (the first region also starts with
 * struct buddy, which holds the struct uk_alloc):
 *
 *   [struct bregion | struct bpage pg[npages] | pad to 4 KiB | npages pages]
 *
 * pg[i] describes page i. Blocks are aligned by absolute address (a block
 * of order k starts at a multiple of 4 KiB << k), so the buddy of the block
 * at addr is addr ^ (4 KiB << k).
 *
 * Descriptors are written lazily: pages [0, carved) of a region have been
 * handed to the buddy system and their descriptors are valid; pages
 * [carved, npages) are fresh (free, on no list, descriptors never written,
 * so they may hold anything). carve() moves fresh pages onto the free lists
 * one maximal aligned block at a time when an allocation needs them, so
 * init and addmem cost O(1) instead of O(pages).
 * Invariant: below `carved`, pg[i].type == PG_FREE exactly when page i heads
 * a block that is on free list pg[i].order.
 */
#include <uk/essentials.h>
#include <uk/alloc.h>
#include <uk/allocbuddy.h>
#include <uk/print.h>
#include <uk/assert.h>

#include <uk/errno.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)
#define MAX_ORDER  26                   /* largest block: 2^26 pages, 256 GiB */
#define SLAB_MAX   2048                 /* larger requests get whole pages */

enum { PG_USED = 0, PG_FREE, PG_LARGE, PG_SLAB };

struct bpage {
	struct bpage *next, *prev;      /* free list (FREE) / partial slabs (SLAB) */
	union {
		uintptr_t addr;         /* FREE: address of the block */
		void *objs;             /* SLAB: first free object */
	};
	uint32_t npages;                /* LARGE: pages in the allocation */
	uint16_t inuse;                 /* SLAB: objects handed out */
	uint8_t type;                   /* PG_* */
	uint8_t order;                  /* FREE: block order; SLAB: size class */
};

_Static_assert(sizeof(struct bpage) == 4 * sizeof(void *), "struct bpage grew");

struct bregion {
	struct bregion *next;
	uintptr_t start;                /* first managed page */
	size_t npages;
	size_t carved;                  /* pages below: descriptors valid */
	struct bpage pg[];
};

/* Multiples of 16, so every object is 16-aligned. */
static const uint16_t cls_size[] = {
	16, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048
};
#define NCLASSES UK_ARRAY_SIZE(cls_size)

struct buddy {
	struct uk_alloc a;
	struct bregion *regions;
	size_t free_pages;              /* on the free lists */
	size_t fresh_pages;             /* not carved yet, in all regions */
	uint32_t nonempty;              /* bit k set: free[k] is not empty */
	struct bpage *free[MAX_ORDER + 1];
	struct bpage *partial[NCLASSES];        /* slabs with free objects */
};

/* ---- lists of page descriptors ------------------------------------------ */

static void list_push(struct bpage **head, struct bpage *d)
{
	d->prev = NULL;
	d->next = *head;
	if (*head)
		(*head)->prev = d;
	*head = d;
}

static void list_del(struct bpage **head, struct bpage *d)
{
	if (d->prev)
		d->prev->next = d->next;
	else
		*head = d->next;
	if (d->next)
		d->next->prev = d->prev;
}

static void free_push(struct buddy *b, struct bpage *d, uintptr_t addr, unsigned int k)
{
	d->type = PG_FREE;
	d->order = k;
	d->addr = addr;
	list_push(&b->free[k], d);
	b->nonempty |= 1U << k;
	b->free_pages += 1UL << k;
}

static void free_del(struct buddy *b, struct bpage *d)
{
	unsigned int k = d->order;

	list_del(&b->free[k], d);
	if (!b->free[k])
		b->nonempty &= ~(1U << k);
	d->type = PG_USED;
	b->free_pages -= 1UL << k;
}

static struct bregion *region_of(struct buddy *b, uintptr_t addr)
{
	struct bregion *r;

	for (r = b->regions; r; r = r->next)
		if (addr - r->start < (r->npages << PAGE_SHIFT))
			return r;
	return NULL;
}

static inline struct bpage *desc_of(struct bregion *r, uintptr_t addr)
{
	return &r->pg[(addr - r->start) >> PAGE_SHIFT];
}

/* Whether addr is in r's carved part, where descriptors are valid. */
static inline bool is_carved(struct bregion *r, uintptr_t addr)
{
	return addr - r->start < (r->carved << PAGE_SHIFT);
}

static inline unsigned int floor_log2(unsigned long n)
{
	return 8 * sizeof(n) - 1 - __builtin_clzl(n);
}

/* The order of the largest block at addr that is aligned (by absolute
 * address) and fits in npages (> 0) pages. */
static unsigned int block_order(uintptr_t addr, unsigned long npages)
{
	unsigned long pfn = addr >> PAGE_SHIFT;
	unsigned int k = floor_log2(npages);

	if (pfn && (unsigned int)__builtin_ctzl(pfn) < k)
		k = __builtin_ctzl(pfn);
	return k > MAX_ORDER ? MAX_ORDER : k;
}

/* ---- buddy blocks ----------------------------------------------------------- */

/*
 * Moves the first block of fresh pages of a region onto a free list: the
 * largest aligned block that starts at the lowest fresh page and fits. Done
 * from the bottom up, that yields the maximal aligned blocks free_range()
 * would make of the whole region, none of them a buddy of another (or they
 * would have been one block), so carved blocks never need to merge with
 * fresh memory. The block's descriptors are cleared (PG_USED) first.
 * Returns 0 when no region has fresh pages left.
 */
static int carve(struct buddy *b)
{
	struct bregion *r = b->regions;
	struct bpage *d;
	uintptr_t addr;
	unsigned int k;

	if (!b->fresh_pages)
		return 0;
	while (r->carved == r->npages)
		r = r->next;
	addr = r->start + (r->carved << PAGE_SHIFT);
	k = block_order(addr, r->npages - r->carved);
	d = &r->pg[r->carved];
	__builtin_memset(d, 0, sizeof(*d) << k);
	r->carved += 1UL << k;
	b->fresh_pages -= 1UL << k;
	free_push(b, d, addr, k);
	return 1;
}

/* A block of 2^k pages: the descriptor of its first page, whose addr is the
 * block's address; NULL when there is none. (Returned, not stored through a
 * pointer to the caller's variable: that would cost each caller a stack
 * protector canary.) */
static struct bpage *block_alloc(struct buddy *b, unsigned int k)
{
	uint32_t m;
	struct bpage *d;
	uintptr_t addr;
	unsigned int j;

	while (!(m = b->nonempty >> k))         /* nothing listed is large enough */
		if (!carve(b))
			return NULL;
	j = k + __builtin_ctz(m);
	d = b->free[j];
	addr = d->addr;
	free_del(b, d);
	while (j > k) {         /* give back the upper halves */
		j--;
		free_push(b, d + (1UL << j), addr + (PAGE_SIZE << j), j);
	}
	return d;               /* d->addr: free_del() keeps it */
}

/* Free the block of 2^k pages at addr (descriptor d), merging with buddies. */
static void block_free(struct buddy *b, struct bregion *r, struct bpage *d,
		       uintptr_t addr, unsigned int k)
{
	while (k < MAX_ORDER) {
		uintptr_t baddr = addr ^ (PAGE_SIZE << k);
		struct bpage *bd;

		if (!is_carved(r, baddr))  /* fresh or outside: never a buddy */
			break;
		bd = desc_of(r, baddr);
		if (bd->type != PG_FREE || bd->order != k)
			break;
		free_del(b, bd);
		if (baddr < addr) {
			addr = baddr;
			d = bd;
		}
		k++;
	}
	free_push(b, d, addr, k);
}

/* Free npages pages at addr as maximal aligned blocks (any start, any count). */
static void free_range(struct buddy *b, struct bregion *r, uintptr_t addr, unsigned long npages)
{
	while (npages) {
		unsigned int k = block_order(addr, npages);

		block_free(b, r, desc_of(r, addr), addr, k);
		addr += PAGE_SIZE << k;
		npages -= 1UL << k;
	}
}

/* npages pages aligned to 4 KiB << min_order; the rounding tail is freed. */
static void *large_alloc(struct buddy *b, unsigned long npages, unsigned int min_order)
{
	unsigned int k;
	struct bpage *d;
	uintptr_t addr;

	if (!npages || npages > (1UL << MAX_ORDER) || min_order > MAX_ORDER)
		return NULL;
	k = npages == 1 ? 0 : floor_log2(npages - 1) + 1;
	k = UK_MAX(k, min_order);
	d = block_alloc(b, k);
	if (!d)
		return NULL;
	addr = d->addr;
	if ((1UL << k) > npages)
		free_range(b, region_of(b, addr), addr + (npages << PAGE_SHIFT),
			   (1UL << k) - npages);
	d->type = PG_LARGE;
	d->npages = npages;
	return (void *)addr;
}

static inline unsigned long pages_for(size_t size)
{
	return (size + PAGE_SIZE - 1) >> PAGE_SHIFT;    /* wraps to 0: fails */
}

/* ---- slabs -------------------------------------------------------------- */

static void *slab_alloc(struct buddy *b, unsigned int cls)
{
	struct bpage *d = b->partial[cls];
	void *obj;

	if (!d) {
		size_t sz = cls_size[cls], n = PAGE_SIZE / sz, i;
		uintptr_t page;

		d = block_alloc(b, 0);
		if (!d)
			return NULL;
		page = d->addr;
		for (i = 0; i < n; i++)
			*(void **)(page + i * sz) = i + 1 < n ? (void *)(page + (i + 1) * sz) : NULL;
		d->type = PG_SLAB;
		d->order = cls;
		d->inuse = 0;
		d->objs = (void *)page;
		list_push(&b->partial[cls], d);
	}
	obj = d->objs;
	d->objs = *(void **)obj;
	d->inuse++;
	if (!d->objs)
		list_del(&b->partial[cls], d);
	return obj;
}

static void slab_free(struct buddy *b, struct bregion *r, struct bpage *d, uintptr_t addr)
{
	uintptr_t page = addr & ~(PAGE_SIZE - 1);
	unsigned int cls = d->order;

	if ((addr - page) % cls_size[cls]) {
		uk_pr_err("free(%p): not the start of a block\n", (void *)addr);
		return;
	}
	UK_ASSERT(d->inuse > 0);
	if (!d->objs)           /* was full: has room again */
		list_push(&b->partial[cls], d);
	*(void **)addr = d->objs;
	d->objs = (void *)addr;
	if (--d->inuse == 0) {  /* empty: the page goes back to the buddy */
		list_del(&b->partial[cls], d);
		d->type = PG_USED;
		block_free(b, r, d, page, 0);
	}
}

static unsigned int class_of(size_t size, size_t align)
{
	unsigned int i = 0;

	while (cls_size[i] < size || cls_size[i] % align)
		i++;
	return i;
}

/* ---- struct uk_alloc operations ----------------------------------------- */

static void *buddy_malloc(struct uk_alloc *a, size_t size)
{
	struct buddy *b = (struct buddy *)a;

	if (size <= SLAB_MAX)
		return slab_alloc(b, class_of(size, 1));
	return large_alloc(b, pages_for(size), 0);
}

static void *buddy_memalign(struct uk_alloc *a, size_t align, size_t size)
{
	struct buddy *b = (struct buddy *)a;

	if (size <= SLAB_MAX && align <= SLAB_MAX)      /* 2048 % align == 0 */
		return slab_alloc(b, class_of(size, align));
	return large_alloc(b, pages_for(size),
			   align > PAGE_SIZE ? floor_log2(align) - PAGE_SHIFT : 0);
}

static void *buddy_palloc(struct uk_alloc *a, unsigned long npages)
{
	return large_alloc((struct buddy *)a, npages, 0);
}

static void buddy_free(struct uk_alloc *a, void *p)
{
	struct buddy *b = (struct buddy *)a;
	uintptr_t addr = (uintptr_t)p;
	struct bregion *r = region_of(b, addr);
	struct bpage *d;
	unsigned long n;

	if (!r) {
		uk_pr_err("free(%p): not from this allocator\n", p);
		return;
	}
	d = is_carved(r, addr) ? desc_of(r, addr) : NULL;   /* fresh: never allocated */
	if (d && d->type == PG_SLAB) {
		slab_free(b, r, d, addr);
	} else if (d && d->type == PG_LARGE && !(addr & (PAGE_SIZE - 1))) {
		n = d->npages;
		d->type = PG_USED;
		free_range(b, r, addr, n);
	} else {
		uk_pr_err("free(%p): not an allocated block (double free?)\n", p);
	}
}

static size_t buddy_getsize(struct uk_alloc *a, void *p)
{
	struct buddy *b = (struct buddy *)a;
	struct bregion *r = region_of(b, (uintptr_t)p);
	struct bpage *d;

	if (!r || !is_carved(r, (uintptr_t)p))
		return 0;
	d = desc_of(r, (uintptr_t)p);
	if (d->type == PG_SLAB && !(((uintptr_t)p & (PAGE_SIZE - 1)) % cls_size[d->order]))
		return cls_size[d->order];
	if (d->type == PG_LARGE && !((uintptr_t)p & (PAGE_SIZE - 1)))
		return (size_t)d->npages << PAGE_SHIFT;
	return 0;       /* not the start of a live block */
}

static size_t buddy_availmem(struct uk_alloc *a)
{
	struct buddy *b = (struct buddy *)a;

	return (b->free_pages + b->fresh_pages) << PAGE_SHIFT;
}

/* Adds [base, base + len) as a region of fresh pages: O(1), see carve().
 * -EINVAL when not even one page and its descriptor fit. */
static int region_add(struct buddy *b, void *base, size_t len)
{
	uintptr_t lo = (uintptr_t)base, end = lo + len, first;
	struct bregion *r = (struct bregion *)UK_ALIGN_UP(lo, 16);
	size_t n;

	if (end < lo)
		end = UINTPTR_MAX;                      /* wrapped: to the top */
	end = UK_ALIGN_DOWN(end, PAGE_SIZE);
	if (end <= (uintptr_t)r->pg)
		return -EINVAL;
	n = (end - (uintptr_t)r->pg) / (PAGE_SIZE + sizeof(struct bpage));
	/* n pages and their descriptors fit, but maybe not with the padding to
	 * a page boundary; n - 1 always do */
	first = UK_ALIGN_UP((uintptr_t)&r->pg[n], PAGE_SIZE);
	if (n && first + (n << PAGE_SHIFT) > end)
		n--;
	if (!n)
		return -EINVAL;
	first = UK_ALIGN_UP((uintptr_t)&r->pg[n], PAGE_SIZE);
	r->start = first;
	r->npages = n;
	r->carved = 0;                  /* all fresh: see carve() */
	r->next = b->regions;
	b->regions = r;
	b->fresh_pages += n;
	uk_pr_debug("buddy: %lu pages at %p\n", (unsigned long)n, (void *)first);
	return 0;
}

static int buddy_addmem(struct uk_alloc *a, void *base, size_t len)
{
	return region_add((struct buddy *)a, base, len);
}

/*
 * uk_alloc_addmem_used: [base, base + len) (page-aligned, checked by
 * ukalloc) as a region whose pages are all handed out, one page each
 * (PG_LARGE, npages 1), so uk_pfree gives them back one by one and they
 * merge into blocks there. The region's descriptors cannot sit in its own
 * pages (they are in use): they take a block of the heap, kept for good.
 * -ENOMEM when the heap has no room for them.
 */
static int buddy_addmem_used(struct uk_alloc *a, void *base, size_t len)
{
	struct buddy *b = (struct buddy *)a;
	size_t n = len >> PAGE_SHIFT, i;
	struct bregion *r = large_alloc(b, pages_for(sizeof(*r) + n * sizeof(r->pg[0])), 0);

	if (!r)
		return -ENOMEM;
	r->start = (uintptr_t)base;
	r->npages = n;
	r->carved = n;                  /* every descriptor valid */
	for (i = 0; i < n; i++)
		r->pg[i] = (struct bpage){ .type = PG_LARGE, .npages = 1 };
	r->next = b->regions;
	b->regions = r;
	return 0;
}

struct uk_alloc *uk_allocbuddy_init(void *base, size_t len)
{
	uintptr_t lo = (uintptr_t)base, end = lo + len;
	struct buddy *b = (struct buddy *)UK_ALIGN_UP(lo, 16);

	if (end < lo || end < (uintptr_t)(b + 1))
		return NULL;
	*b = (struct buddy){
		.a = {
			.name = "buddy",
			.malloc = buddy_malloc,
			.memalign = buddy_memalign,
			.free = buddy_free,
			.palloc = buddy_palloc,
			.getsize = buddy_getsize,
			.addmem = buddy_addmem,
			.addmem_used = buddy_addmem_used,
			.availmem = buddy_availmem,
			.flags = UK_ALLOC_F_FREES,
		},
	};
	if (region_add(b, b + 1, end - (uintptr_t)(b + 1)) < 0)
		return NULL;
	return &b->a;
}

#if defined(UK_ALLOCBUDDY_SELFCHECK)
/*
 * Host tests only: checks every invariant, returns 0 or the number of the
 * first one broken. Also requires full coalescing (no free buddy pairs).
 */
int uk_allocbuddy_check(struct uk_alloc *a);
int uk_allocbuddy_check(struct uk_alloc *a)
{
	struct buddy *b = (struct buddy *)a;
	size_t listed = 0, marked = 0, fresh = 0, i;
	struct bregion *r;
	struct bpage *d;
	unsigned int k, c;

	for (k = 0; k <= MAX_ORDER; k++) {
		if (!!b->free[k] != !!(b->nonempty & (1U << k)))
			return 1;
		for (d = b->free[k]; d; d = d->next) {
			uintptr_t baddr = d->addr ^ (PAGE_SIZE << k);

			r = region_of(b, d->addr);
			if (!r || !is_carved(r, d->addr) || desc_of(r, d->addr) != d ||
			    d->type != PG_FREE || d->order != k)
				return 2;
			if ((d->addr >> PAGE_SHIFT) & ((1UL << k) - 1))
				return 3;
			if (d->addr + (PAGE_SIZE << k) > r->start + (r->carved << PAGE_SHIFT))
				return 4;
			if (d->next && d->next->prev != d)
				return 5;
			if (k < MAX_ORDER && is_carved(r, baddr) &&
			    desc_of(r, baddr)->type == PG_FREE && desc_of(r, baddr)->order == k)
				return 6;       /* not coalesced */
			listed += 1UL << k;
		}
	}
	if (listed != b->free_pages)
		return 7;
	for (r = b->regions; r; r = r->next) {
		if (r->carved > r->npages)
			return 11;
		fresh += r->npages - r->carved;
		for (i = 0; i < r->carved; i++)
			if (r->pg[i].type == PG_FREE)
				marked += 1UL << r->pg[i].order;
	}
	if (marked != listed)
		return 8;
	if (fresh != b->fresh_pages)
		return 11;
	for (c = 0; c < NCLASSES; c++)
		for (d = b->partial[c]; d; d = d->next) {
			size_t nfree = 0;
			void *o;

			if (d->type != PG_SLAB || d->order != c || !d->objs || !d->inuse)
				return 9;
			for (o = d->objs; o; o = *(void **)o)
				nfree++;
			if (nfree + d->inuse != PAGE_SIZE / cls_size[c])
				return 10;
		}
	return 0;
}
#endif

#if defined(CONFIG_UKBOOT_ALLOC_BUDDY)
/* Chosen as the heap allocator (this library's Config.uk). */
UK_ALLOC_BACKEND("buddy", uk_allocbuddy_init);
#endif
