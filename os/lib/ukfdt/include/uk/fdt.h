/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukfdt: a small, bounds-checked reader for flattened device trees (the
 * DTB format of the Devicetree Specification, version 16/17).
 *
 * Every function takes the blob as passed by the boot loader. ukfdt_check()
 * validates the header against the size of the buffer that holds it (and
 * wants the blob and its blocks 4-byte aligned, as the specification and
 * boot loaders place them: the reservation block is even 8-aligned); after
 * it returned 0, no other function reads outside [fdt, fdt + totalsize),
 * whatever the contents of the structure and strings blocks are (the host
 * test tests/host/test_fdt.py fuzzes this under AddressSanitizer). Nothing
 * allocates, nothing writes, no alignment is assumed.
 *
 * Nodes and properties are named by their byte offset in the structure
 * block (>= 0); the root node is ukfdt_root(). Negative values are errors
 * (-E..., below). Typical use:
 *
 *   if (ukfdt_check(dtb, 2 << 20) == 0) {
 *       int chosen = ukfdt_path(dtb, "/chosen");
 *       int len;
 *       const char *args = ukfdt_getprop(dtb, chosen, "bootargs", &len);
 *   }
 */
#ifndef UK_FDT_H
#define UK_FDT_H

#include <uk/essentials.h>
#include <uk/errno.h>

#define UKFDT_MAGIC        0xd00dfeedU
#define UKFDT_HEADER_SIZE  40

/*
 * Errors are the kernel's (<uk/errno.h>), negated:
 *   -ENOENT   no such node or property (also: the end of an iteration)
 *   -EINVAL   not a flattened device tree (bad magic), or an offset that is
 *             not a node/property here
 *   -ENOTSUP  a tree older than version 16
 *   -ERANGE   the buffer is smaller than the header says
 *   -EBADMSG  sizes/offsets outside the blob, or a malformed structure block
 *   -EFAULT   the blob is not 4-byte aligned (the spec wants 8)
 */

/*
 * Big-endian loads that need no alignment. Byte loads on purpose: no
 * branch on the alignment, which matters more than the instruction count
 * where boot code runs under an emulator that translates every new basic
 * block (QEMU TCG).
 */
static inline uint32_t ukfdt_be32(const void *p)
{
	const uint8_t *b = (const uint8_t *)p;

	return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) |
	       ((uint32_t)b[2] << 8) | (uint32_t)b[3];
}

/*
 * The same for a 4-byte aligned p: one load and a byte swap. Every token,
 * property value and header field of a blob ukfdt_check() accepted is
 * 4-byte aligned.
 */
static inline uint32_t ukfdt_be32a(const void *p)
{
	return __builtin_bswap32(*(const uint32_t *)p);
}

static inline uint64_t ukfdt_be64(const void *p)
{
	return ((uint64_t)ukfdt_be32(p) << 32) |
	       ukfdt_be32((const uint8_t *)p + 4);
}

/*
 * 0 if fdt looks like a usable device tree that fits in bufsize bytes
 * (bufsize: how much memory at fdt may be read; pass an upper bound such as
 * the rest of RAM when unknown). Must succeed before any other call.
 */
int ukfdt_check(const void *fdt, size_t bufsize);
/* The header's totalsize (call after ukfdt_check). */
uint32_t ukfdt_totalsize(const void *fdt);

/* The root node, or a negative error. */
int ukfdt_root(const void *fdt);
/*
 * The next node after `node` in document order. *depth (may be NULL) is
 * adjusted: +1 for a child, 0 for a sibling, -n when climbing up. Returns
 * -ENOENT at the end of the tree.
 */
int ukfdt_next_node(const void *fdt, int node, int *depth);
/* First child / next sibling of a node, -ENOENT when none. */
int ukfdt_first_child(const void *fdt, int node);
int ukfdt_next_sibling(const void *fdt, int node);
/* The child whose name is `name` ("memory@40000000"); a name without '@'
 * also matches children with a unit address ("memory" finds "memory@0"). */
int ukfdt_subnode(const void *fdt, int parent, const char *name, size_t namelen);
/* A node by absolute path ("/chosen", "/soc/serial@7e201000"). */
int ukfdt_path(const void *fdt, const char *path);
/* A node's name with unit address (root: ""), NUL-terminated; *len if set. */
const char *ukfdt_name(const void *fdt, int node, int *len);

/* Properties of a node: first / next, -ENOENT when no more. */
int ukfdt_first_prop(const void *fdt, int node);
int ukfdt_next_prop(const void *fdt, int prop);
/* Value, length (*len) and name (*name) of the property at `prop`. */
const void *ukfdt_prop(const void *fdt, int prop, const char **name, int *len);
/* Property `name` of `node`; NULL when absent (then *len < 0 is the error). */
const void *ukfdt_getprop(const void *fdt, int node, const char *name, int *len);
/* A one-cell (u32) property, or dflt when absent or not 4 bytes long. */
uint32_t ukfdt_getprop_u32(const void *fdt, int node, const char *name, uint32_t dflt);
/* True if the string-list property `name` (e.g. "compatible") contains s. */
bool ukfdt_prop_has_string(const void *fdt, int node, const char *name, const char *s);

/* #address-cells / #size-cells a node declares for its children (spec
 * defaults 2 and 1 when absent; values above 2 are reported as-is). */
uint32_t ukfdt_address_cells(const void *fdt, int node);
uint32_t ukfdt_size_cells(const void *fdt, int node);
/*
 * Entry idx of the node's "reg", decoded with the parent's cell counts
 * (acells, scells: 0..2 each). 0 on success, -ENOENT past the end.
 */
int ukfdt_reg(const void *fdt, int node, uint32_t acells, uint32_t scells,
	      int idx, uint64_t *addr, uint64_t *size);

/*
 * One pass over the whole tree, token by token: the cheapest way to pick
 * several things out of a large tree (boot code reads /memory, /chosen,
 * /psci... in one walk). After ukfdt_iter_init(), each ukfdt_iter_next()
 * returns
 *   UKFDT_ITER_NODE      a node starts: *name; it->depth is its depth (root 0)
 *   UKFDT_ITER_PROP      a property of the node at it->depth: *name, *val, *len
 *   UKFDT_ITER_END_NODE  the node at it->depth ends
 *   0                    the end of the tree
 *   < 0                  a malformed structure block (stop there)
 */
#define UKFDT_ITER_NODE     1
#define UKFDT_ITER_PROP     2
#define UKFDT_ITER_END_NODE 3

/* Where the blocks are (internal). */
struct ukfdt_view {
	const uint8_t *s;         /* structure block */
	uint32_t slen;
	const uint8_t *str;       /* strings block */
	uint32_t strlen;
};

struct ukfdt_iter {
	struct ukfdt_view v;
	int off;                  /* next token */
	int open;                 /* nodes open */
	int depth;                /* depth of the node the last item belongs to */
};

void ukfdt_iter_init(const void *fdt, struct ukfdt_iter *it);
int ukfdt_iter_next(struct ukfdt_iter *it, const char **name, const void **val, int *len);

/*
 * What a kernel needs from the device tree to boot, in one pass: RAM (the
 * "reg" of top-level nodes with device_type "memory" and not disabled,
 * with the root's #address-cells/#size-cells), reservations (the children
 * of /reserved-memory that are not disabled, with its cells; then the
 * memory reservation block), /chosen/bootargs, /chosen's
 * linux,initrd-start and linux,initrd-end (32 or 64 bits each; both, or
 * the initrd is absent) and the /psci "method".
 * Cells of 1 or 2 only (others: the entries are skipped); entries beyond
 * UKFDT_BOOT_MAX are dropped. Strings are pointers into the blob (NULL:
 * absent) with their length including the NUL.
 *
 * Written small on purpose: where boot time is the translation of the code
 * run for the first time (QEMU TCG), every instruction of it costs.
 */
#define UKFDT_BOOT_MAX 16

struct ukfdt_range {
	uint64_t base, size;
};

struct ukfdt_boot {
	struct ukfdt_range mem[UKFDT_BOOT_MAX], rsv[UKFDT_BOOT_MAX];
	unsigned int nr_mem, nr_rsv;
	const char *bootargs, *psci_method;
	int bootargs_len, psci_method_len;
	uint64_t initrd_start, initrd_end;    /* [start, end); 0, 0: none */
};

/* 0, or a negative error for a malformed structure block (what was read
 * up to there is in *b). Call after ukfdt_check. */
int ukfdt_boot_info(const void *fdt, struct ukfdt_boot *b);

/* Entry idx of a "reg"-style value (len bytes of (address, size) cells). */
int ukfdt_reg_decode(const void *val, int len, uint32_t acells, uint32_t scells,
		     int idx, uint64_t *addr, uint64_t *size);
/* Whether the string-list value val[0..len) contains s. */
bool ukfdt_strlist_has(const void *val, int len, const char *s);

/* Memory reservation block entry idx; -ENOENT past the last one. */
int ukfdt_mem_rsv(const void *fdt, int idx, uint64_t *addr, uint64_t *size);

#endif
