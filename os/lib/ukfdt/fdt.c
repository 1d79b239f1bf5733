/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukfdt: flattened device tree reader. Written from the Devicetree
 * Specification (v0.4, chapter 5 "Flattened Devicetree (DTB) Format").
 *
 * Layout reminder: a 40-byte big-endian header, a memory reservation block
 * of (address, size) u64 pairs ending with (0, 0), a structure block of
 * 4-byte-aligned tokens (BEGIN_NODE name, PROP len nameoff value, END_NODE,
 * NOP, END) and a strings block holding property names.
 *
 * Safety rule: every read goes through token(), which checks the offset
 * against the structure block size taken from the (validated) header, so
 * a corrupted blob yields an error, never an out-of-bounds read. Every loop
 * moves strictly forward through the block, so all of them terminate.
 */
#include <uk/essentials.h>
#include <uk/string.h>
#include <uk/fdt.h>

#define TOK_BEGIN_NODE 0x1
#define TOK_END_NODE   0x2
#define TOK_PROP       0x3
#define TOK_NOP        0x4
#define TOK_END        0x9

/* Header field offsets. */
#define H_MAGIC       0
#define H_TOTALSIZE   4
#define H_OFF_STRUCT  8
#define H_OFF_STRINGS 12
#define H_OFF_RSVMAP  16
#define H_VERSION     20
#define H_LAST_COMP   24
#define H_SIZE_STRINGS 32
#define H_SIZE_STRUCT 36

#define blob ukfdt_view      /* include/uk/fdt.h */

static inline uint32_t hdr(const void *fdt, unsigned int field)
{
	return ukfdt_be32a((const uint8_t *)fdt + field);
}

static inline uint32_t struct_size(const void *fdt)
{
	if (hdr(fdt, H_VERSION) >= 17)
		return hdr(fdt, H_SIZE_STRUCT);
	return hdr(fdt, H_TOTALSIZE) - hdr(fdt, H_OFF_STRUCT);
}

int ukfdt_check(const void *fdt, size_t bufsize)
{
	int64_t total, soff, ssize, version, stroff, strsize, rsv;

	if (!fdt || bufsize < 4)
		return -ERANGE;
	if ((uintptr_t)fdt & 3)
		return -EFAULT;
	if (hdr(fdt, H_MAGIC) != UKFDT_MAGIC)
		return -EINVAL;
	if (bufsize < UKFDT_HEADER_SIZE)
		return -ERANGE;
	version = hdr(fdt, H_VERSION);
	if (version < 16 || hdr(fdt, H_LAST_COMP) > 17)
		return -ENOTSUP;
	total = hdr(fdt, H_TOTALSIZE);
	if ((uint64_t)total > bufsize && total <= 0x7fffffff)
		return -ERANGE;
	/* every block inside the blob, after the header; the structure block
	 * and the reservation map 4-byte aligned (64-bit arithmetic on
	 * 32-bit fields: nothing wraps) */
	soff = hdr(fdt, H_OFF_STRUCT);
	ssize = version >= 17 ? (int64_t)hdr(fdt, H_SIZE_STRUCT) : total - soff;
	stroff = hdr(fdt, H_OFF_STRINGS);
	strsize = hdr(fdt, H_SIZE_STRINGS);
	rsv = hdr(fdt, H_OFF_RSVMAP);
	if (total < UKFDT_HEADER_SIZE || total > 0x7fffffff)
		return -EBADMSG;
	if (soff < UKFDT_HEADER_SIZE - 4 || (soff & 3) || ssize < 8 || soff + ssize > total)
		return -EBADMSG;
	if (stroff + strsize > total)
		return -EBADMSG;
	if (rsv < UKFDT_HEADER_SIZE - 4 || (rsv & 3) || rsv > total)
		return -EBADMSG;
	return 0;
}

uint32_t ukfdt_totalsize(const void *fdt)
{
	return hdr(fdt, H_TOTALSIZE);
}

static inline void view(const void *fdt, struct blob *b)
{
	b->s = (const uint8_t *)fdt + hdr(fdt, H_OFF_STRUCT);
	b->slen = struct_size(fdt);
	b->str = (const uint8_t *)fdt + hdr(fdt, H_OFF_STRINGS);
	b->strlen = hdr(fdt, H_SIZE_STRINGS);
}

/* Length of the NUL-terminated string at p, or -1 if no NUL before max. */
static inline int bounded_strlen(const uint8_t *p, uint32_t max)
{
	size_t n = uk_strnlen((const char *)p, max);

	return n < max ? (int)n : -1;
}

/* Is the property name at nameoff a string inside the strings block? When
 * the block ends with a NUL (dtc and QEMU write it so) any offset in it is. */
static inline bool name_ok(const struct blob *b, uint32_t nameoff)
{
	if (nameoff >= b->strlen)
		return false;
	return !b->str[b->strlen - 1] ||
	       bounded_strlen(b->str + nameoff, b->strlen - nameoff) >= 0;
}

/*
 * The token at off: returns its tag (> 0) and stores the offset of the
 * following token in *next; a negative error if off is not a well-formed
 * token inside the structure block.
 */
static inline int token_inline(const struct blob *b, int off, int *next)
{
	uint32_t o = (uint32_t)off, len;
	int n;

	if (off < 0 || (o & 3) || b->slen < 4 || o > b->slen - 4)
		return -EINVAL;
	switch (ukfdt_be32a(b->s + o)) {
	case TOK_BEGIN_NODE:
		n = bounded_strlen(b->s + o + 4, b->slen - o - 4);
		if (n < 0)
			return -EBADMSG;
		*next = (int)((o + 4 + (uint32_t)n + 1 + 3) & ~3U);
		return TOK_BEGIN_NODE;
	case TOK_PROP:
		if (b->slen - o < 12)
			return -EBADMSG;
		len = ukfdt_be32a(b->s + o + 4);
		if (len > b->slen - o - 12)
			return -EBADMSG;
		*next = (int)((o + 12 + len + 3) & ~3U);
		return TOK_PROP;
	case TOK_END_NODE:
	case TOK_NOP:
	case TOK_END:
		*next = (int)(o + 4);
		return (int)ukfdt_be32a(b->s + o);
	default:
		return -EBADMSG;
	}
}

static int token(const struct blob *b, int off, int *next)
{
	return token_inline(b, off, next);
}

/* Errors from token() on an offset the caller passed in are EBADOFFSET;
 * errors further on are a malformed block. */
static int expect(const struct blob *b, int off, int tag, int *next)
{
	int t = token(b, off, next);

	if (t < 0)
		return t;
	return t == tag ? 0 : -EINVAL;
}

static int after_begin(const void *fdt, struct blob *b, int node)
{
	int next, rc;

	view(fdt, b);
	rc = expect(b, node, TOK_BEGIN_NODE, &next);
	return rc < 0 ? rc : next;
}

int ukfdt_root(const void *fdt)
{
	struct blob b;
	int off = 0, next, t;

	view(fdt, &b);
	for (;;) {
		t = token(&b, off, &next);
		if (t < 0)
			return -EBADMSG;
		if (t == TOK_BEGIN_NODE)
			return off;
		if (t != TOK_NOP)
			return -EBADMSG;
		off = next;
	}
}

int ukfdt_next_node(const void *fdt, int node, int *depth)
{
	struct blob b;
	int off = after_begin(fdt, &b, node), next, t, d = 0;

	if (off < 0)
		return off;
	for (;; off = next) {
		t = token(&b, off, &next);
		if (t < 0)
			return -EBADMSG;
		switch (t) {
		case TOK_BEGIN_NODE:
			if (depth)
				*depth += d + 1;
			return off;
		case TOK_END_NODE:
			d--;
			break;
		case TOK_END:
			return -ENOENT;
		}
	}
}

int ukfdt_first_child(const void *fdt, int node)
{
	struct blob b;
	int off = after_begin(fdt, &b, node), next, t;

	if (off < 0)
		return off;
	for (;; off = next) {
		t = token(&b, off, &next);
		if (t < 0)
			return -EBADMSG;
		if (t == TOK_BEGIN_NODE)
			return off;
		if (t == TOK_END_NODE)
			return -ENOENT;
		if (t == TOK_END)
			return -EBADMSG;
	}
}

int ukfdt_next_sibling(const void *fdt, int node)
{
	struct blob b;
	int off = after_begin(fdt, &b, node), next, t, d = 1;

	if (off < 0)
		return off;
	for (;; off = next) {
		t = token(&b, off, &next);
		if (t < 0)
			return -EBADMSG;
		switch (t) {
		case TOK_BEGIN_NODE:
			if (d == 0)
				return off;
			d++;
			break;
		case TOK_END_NODE:
			if (d == 0)
				return -ENOENT;   /* the parent ends */
			d--;
			break;
		case TOK_END:
			return -ENOENT;
		}
	}
}

const char *ukfdt_name(const void *fdt, int node, int *len)
{
	struct blob b;
	int off = after_begin(fdt, &b, node);

	if (off < 0) {
		if (len)
			*len = off;
		return NULL;
	}
	/* token() found the NUL inside the block */
	if (len)
		*len = bounded_strlen(b.s + node + 4, b.slen - (uint32_t)node - 4);
	return (const char *)b.s + node + 4;
}

static int skip_nops(const struct blob *b, int off)
{
	int next, t;

	for (;; off = next) {
		t = token(b, off, &next);
		if (t < 0)
			return -EBADMSG;
		if (t == TOK_PROP)
			return off;
		if (t != TOK_NOP)
			return -ENOENT;
	}
}

int ukfdt_first_prop(const void *fdt, int node)
{
	struct blob b;
	int off = after_begin(fdt, &b, node);

	return off < 0 ? off : skip_nops(&b, off);
}

int ukfdt_next_prop(const void *fdt, int prop)
{
	struct blob b;
	int next, rc;

	view(fdt, &b);
	rc = expect(&b, prop, TOK_PROP, &next);
	return rc < 0 ? rc : skip_nops(&b, next);
}

const void *ukfdt_prop(const void *fdt, int prop, const char **name, int *len)
{
	struct blob b;
	uint32_t nameoff;
	int next, rc;

	view(fdt, &b);
	rc = expect(&b, prop, TOK_PROP, &next);
	if (rc == 0) {
		nameoff = ukfdt_be32a(b.s + prop + 8);
		if (!name_ok(&b, nameoff))
			rc = -EBADMSG;
	}
	if (rc < 0) {
		if (len)
			*len = rc;
		return NULL;
	}
	if (name)
		*name = (const char *)b.str + nameoff;
	if (len)
		*len = (int)ukfdt_be32a(b.s + prop + 4);   /* < slen, checked */
	return b.s + prop + 12;
}

const void *ukfdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	const char *pname;
	const void *val;
	int prop, plen;

	for (prop = ukfdt_first_prop(fdt, node); prop >= 0;
	     prop = ukfdt_next_prop(fdt, prop)) {
		val = ukfdt_prop(fdt, prop, &pname, &plen);
		if (val && uk_streq(pname, name)) {
			if (len)
				*len = plen;
			return val;
		}
	}
	if (len)
		*len = prop;
	return NULL;
}

uint32_t ukfdt_getprop_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const void *p = ukfdt_getprop(fdt, node, name, &len);

	return (p && len == 4) ? ukfdt_be32a(p) : dflt;
}

bool ukfdt_strlist_has(const void *val, int len, const char *s)
{
	const char *p = val;
	int i = 0, j;

	if (!p)
		return false;
	while (i < len) {
		for (j = 0; i + j < len && s[j] && p[i + j] == s[j]; j++)
			;
		if (!s[j] && i + j < len && !p[i + j])
			return true;
		while (i < len && p[i])     /* to the next string */
			i++;
		i++;
	}
	return false;
}

bool ukfdt_prop_has_string(const void *fdt, int node, const char *name, const char *s)
{
	int len;
	const void *p = ukfdt_getprop(fdt, node, name, &len);

	return p && ukfdt_strlist_has(p, len, s);
}

int ukfdt_subnode(const void *fdt, int parent, const char *name, size_t namelen)
{
	bool want_unit = false;
	const char *cn;
	size_t i;
	int child, clen;

	for (i = 0; i < namelen; i++)
		if (name[i] == '@')
			want_unit = true;
	for (child = ukfdt_first_child(fdt, parent); child >= 0;
	     child = ukfdt_next_sibling(fdt, child)) {
		cn = ukfdt_name(fdt, child, &clen);
		if (!cn || (size_t)clen < namelen)
			continue;
		for (i = 0; i < namelen && cn[i] == name[i]; i++)
			;
		if (i < namelen)
			continue;
		if ((size_t)clen == namelen || (!want_unit && cn[namelen] == '@'))
			return child;
	}
	return child;
}

int ukfdt_path(const void *fdt, const char *path)
{
	int node = ukfdt_root(fdt);
	size_t n;

	if (!path || path[0] != '/')
		return -ENOENT;
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (!*path)
			return node;
		for (n = 0; path[n] && path[n] != '/'; n++)
			;
		node = ukfdt_subnode(fdt, node, path, n);
		path += n;
	}
	return node;
}

uint32_t ukfdt_address_cells(const void *fdt, int node)
{
	return ukfdt_getprop_u32(fdt, node, "#address-cells", 2);
}

uint32_t ukfdt_size_cells(const void *fdt, int node)
{
	return ukfdt_getprop_u32(fdt, node, "#size-cells", 1);
}

static inline uint64_t cells(const uint8_t *p, uint32_t n)
{
	return n == 2 ? ((uint64_t)ukfdt_be32a(p) << 32 | ukfdt_be32a(p + 4)) :
	       n == 1 ? ukfdt_be32a(p) : 0;
}

int ukfdt_reg_decode(const void *val, int len, uint32_t acells, uint32_t scells,
		     int idx, uint64_t *addr, uint64_t *size)
{
	const uint8_t *p = val;
	uint32_t esz;

	if (acells > 2 || scells > 2 || acells == 0 || idx < 0 || len < 0 || !p)
		return -EBADMSG;
	esz = (acells + scells) * 4;
	if (((uint64_t)idx + 1) * esz > (uint32_t)len)
		return -ENOENT;
	p += (uint32_t)idx * esz;
	if (addr)
		*addr = cells(p, acells);
	if (size)
		*size = cells(p + acells * 4, scells);
	return 0;
}

int ukfdt_reg(const void *fdt, int node, uint32_t acells, uint32_t scells,
	      int idx, uint64_t *addr, uint64_t *size)
{
	int len;
	const void *p = ukfdt_getprop(fdt, node, "reg", &len);

	if (!p)
		return len;
	return ukfdt_reg_decode(p, len, acells, scells, idx, addr, size);
}

void ukfdt_iter_init(const void *fdt, struct ukfdt_iter *it)
{
	view(fdt, &it->v);
	it->off = 0;
	it->open = 0;
	it->depth = -1;
}

int ukfdt_iter_next(struct ukfdt_iter *it, const char **name, const void **val, int *len)
{
	const struct blob *b = &it->v;
	uint32_t nameoff;
	int next, t;

	for (;;) {
		t = token_inline(b, it->off, &next);
		if (t == TOK_PROP) {
			if (!it->open)
				return -EBADMSG;
			nameoff = ukfdt_be32a(b->s + it->off + 8);
			if (!name_ok(b, nameoff))
				return -EBADMSG;
			*name = (const char *)b->str + nameoff;
			*val = b->s + it->off + 12;
			*len = (int)ukfdt_be32a(b->s + it->off + 4);
			it->depth = it->open - 1;
			it->off = next;
			return UKFDT_ITER_PROP;
		}
		if (t == TOK_BEGIN_NODE) {
			*name = (const char *)b->s + it->off + 4;
			it->depth = it->open++;
			it->off = next;
			return UKFDT_ITER_NODE;
		}
		if (t == TOK_END_NODE) {
			if (!it->open)
				return -EBADMSG;
			it->depth = --it->open;
			it->off = next;
			return UKFDT_ITER_END_NODE;
		}
		if (t == TOK_END)
			return it->open ? -EBADMSG : 0;
		if (t < 0)
			return -EBADMSG;
		it->off = next;            /* NOP */
	}
}

int ukfdt_mem_rsv(const void *fdt, int idx, uint64_t *addr, uint64_t *size)
{
	const uint8_t *p = (const uint8_t *)fdt + hdr(fdt, H_OFF_RSVMAP);
	const uint8_t *end = (const uint8_t *)fdt + hdr(fdt, H_TOTALSIZE);
	uint64_t a, s;

	/* entries before idx must not be the (0, 0) terminator; the block
	 * is 4-byte aligned (ukfdt_check) */
	for (;; p += 16, idx--) {
		if (idx < 0 || end - p < 16)
			return -ENOENT;
		a = (uint64_t)ukfdt_be32a(p) << 32 | ukfdt_be32a(p + 4);
		s = (uint64_t)ukfdt_be32a(p + 8) << 32 | ukfdt_be32a(p + 12);
		if (!(a | s))
			return -ENOENT;
		if (!idx)
			break;
	}
	if (addr)
		*addr = a;
	if (size)
		*size = s;
	return 0;
}

/*
 * ukfdt_boot_info (include/uk/fdt.h). Under an emulator that translates
 * each new basic block, the cost is mostly the code run for the first time
 * (a block, and each load, store and compare in it), so this is one loop
 * with one routine comparing strings, rather than the iterator and a
 * caller's logic.
 */

/* The index of the string at p (avail > 0 readable bytes; ending with a
 * NUL, or with `stop`) in list ("a\0b\0" ending with an empty string), or
 * -1. */
static int which(const uint8_t *p, uint32_t avail, const char *list, unsigned int stop)
{
	uint32_t k;
	int i;

	for (i = 0; *list; i++) {
		for (k = 0; k < avail && list[k] && p[k] == (uint8_t)list[k]; k++)
			;
		if (!list[k] && k < avail && (!p[k] || p[k] == stop))
			return i;
		while (*list++)
			;
	}
	return -1;
}

enum { B_REG, B_STATUS, B_DEVTYPE, B_AC, B_SC, B_BOOTARGS, B_METHOD, B_RD_START, B_RD_END,
       B_NPROPS };
#define B_PROPS "reg\0status\0device_type\0#address-cells\0#size-cells\0bootargs\0method\0" \
		"linux,initrd-start\0linux,initrd-end\0"
enum { B_CHOSEN, B_PSCI, B_RESMEM };
#define B_NODES "chosen\0psci\0reserved-memory\0"

struct boot_val {
	const uint8_t *p;
	uint32_t len;
};

/* A 32- or 64-bit cell value; -1 (all ones) for any other length. */
static uint64_t boot_u64(const struct boot_val *v)
{
	if (v->len == 4)
		return ukfdt_be32(v->p);
	if (v->len == 8)
		return (uint64_t)ukfdt_be32(v->p) << 32 | ukfdt_be32(v->p + 4);
	return ~0ULL;
}

/* The "reg" of v[] (address, size pairs; cells from the parent's values)
 * into r[], unless its status says it is disabled. */
static void boot_regs(const struct boot_val *v, const struct boot_val *parent,
		      struct ukfdt_range *r, unsigned int *n)
{
	uint32_t ac = parent[B_AC].len == 4 ? ukfdt_be32a(parent[B_AC].p) : 2;
	uint32_t sc = parent[B_SC].len == 4 ? ukfdt_be32a(parent[B_SC].p) : 1;
	const uint8_t *p = v[B_REG].p, *end = p + v[B_REG].len;
	uint64_t x[2];
	uint32_t k, c;

	if ((v[B_STATUS].p && which(v[B_STATUS].p, v[B_STATUS].len, "okay\0ok\0", 0) < 0) ||
	    ac - 1 > 1 || sc - 1 > 1)
		return;
	while (end - p >= 4 * (ac + sc) && *n < UKFDT_BOOT_MAX) {
		for (k = 0; k < 2; k++) {       /* address, then size */
			c = k ? sc : ac;
			x[k] = ukfdt_be32a(p);
			if (c == 2)
				x[k] = x[k] << 32 | ukfdt_be32a(p + 4);
			p += 4 * c;
		}
		r[*n].base = x[0];
		r[*n].size = x[1];
		(*n)++;
	}
}

int ukfdt_boot_info(const void *fdt, struct ukfdt_boot *b)
{
	struct blob v;
	struct boot_val val[4][B_NPROPS], *cur;
	const uint8_t *p, *end, *q;
	uint32_t tag, len, depth = 0, off, seen[16];
	int8_t seen_idx[16];
	int i, top = -1, rc = -EBADMSG;
	uint64_t a, sz;

	view(fdt, &v);
	p = v.s;
	end = v.s + (v.slen & ~3U);
	b->nr_mem = b->nr_rsv = 0;
	b->bootargs = b->psci_method = NULL;
	b->initrd_start = b->initrd_end = 0;
	for (i = 0; i < 16; i++)
		seen[i] = ~0U;
	/* p stays 4-byte aligned and inside [s, end); a token's fields are
	 * read only once they are known to fit */
	while (end - p >= 4) {
		tag = ukfdt_be32a(p);
		cur = val[(depth - 1) & 3];                    /* a property's node (depth <= 3) */
		if (tag == TOK_PROP) {
			if (end - p < 12 || !depth || (len = ukfdt_be32a(p + 4)) > (uint32_t)(end - p) - 12)
				break;
			off = ukfdt_be32a(p + 8);
			if (depth <= 3 && off < v.strlen) {
				/* a tree has few property names, used many times:
				 * remember which they are by their offset */
				if (seen[off & 15] != off) {
					seen[off & 15] = off;
					seen_idx[off & 15] = (int8_t)which(v.str + off, v.strlen - off,
									   B_PROPS, 0);
				}
				i = seen_idx[off & 15];
				if (i >= 0) {
					cur[i].p = p + 12;
					cur[i].len = len;
				}
			}
			p += 12 + ((len + 3) & ~3U);
		} else if (tag == TOK_BEGIN_NODE) {
			for (q = p + 4; q < end && *q; q++)
				;
			if (q >= end)
				break;
			if (depth < 3) {
				for (i = 0; i < B_NPROPS; i++)
					val[depth][i] = (struct boot_val){ NULL, 0 };
				if (depth == 1)
					top = which(p + 4, q + 1 - (p + 4), B_NODES, '@');
			}
			depth++;
			p = p + ((q + 1 - p + 3) & ~3);
		} else if (tag == TOK_END_NODE) {
			if (!depth)
				break;
			p += 4;
			if (--depth == 1) {             /* a top-level node ended */
				if (top == B_CHOSEN && cur[B_BOOTARGS].p) {
					b->bootargs = (const char *)cur[B_BOOTARGS].p;
					b->bootargs_len = (int)cur[B_BOOTARGS].len;
				}
				if (top == B_CHOSEN && cur[B_RD_START].p && cur[B_RD_END].p &&
				    boot_u64(&cur[B_RD_START]) <= boot_u64(&cur[B_RD_END]) &&
				    boot_u64(&cur[B_RD_END]) != ~0ULL) {
					b->initrd_start = boot_u64(&cur[B_RD_START]);
					b->initrd_end = boot_u64(&cur[B_RD_END]);
				}
				if (top == B_PSCI && cur[B_METHOD].p) {
					b->psci_method = (const char *)cur[B_METHOD].p;
					b->psci_method_len = (int)cur[B_METHOD].len;
				}
				if (cur[B_DEVTYPE].p &&
				    which(cur[B_DEVTYPE].p, cur[B_DEVTYPE].len, "memory\0", 0) == 0)
					boot_regs(cur, val[0], b->mem, &b->nr_mem);
			} else if (depth == 2 && top == B_RESMEM) {
				boot_regs(cur, val[1], b->rsv, &b->nr_rsv);
			}
		} else if (tag == TOK_NOP) {
			p += 4;
		} else {
			if (tag == TOK_END && !depth)
				rc = 0;
			break;
		}
	}
	for (i = 0; ukfdt_mem_rsv(fdt, i, &a, &sz) == 0 && b->nr_rsv < UKFDT_BOOT_MAX; i++) {
		b->rsv[b->nr_rsv].base = a;
		b->rsv[b->nr_rsv++].size = sz;
	}
	return rc;
}
