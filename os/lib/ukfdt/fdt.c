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

/*
 * Small helpers are forced inline: under an emulator that translates each
 * new basic block (QEMU TCG, where boot time is mostly translation), every
 * call and return starts a new block.
 */
#define __fdt_inline static inline __attribute__((always_inline))

__fdt_inline uint32_t hdr(const void *fdt, unsigned int field)
{
	return ukfdt_be32a((const uint8_t *)fdt + field);
}

__fdt_inline uint32_t struct_size(const void *fdt)
{
	if (hdr(fdt, H_VERSION) >= 17)
		return hdr(fdt, H_SIZE_STRUCT);
	return hdr(fdt, H_TOTALSIZE) - hdr(fdt, H_OFF_STRUCT);
}

int ukfdt_check(const void *fdt, size_t bufsize)
{
	int64_t total, soff, ssize, version;

	if (!fdt || bufsize < 4)
		return UKFDT_ETRUNCATED;
	if ((uintptr_t)fdt & 3)
		return UKFDT_EALIGN;
	if (hdr(fdt, H_MAGIC) != UKFDT_MAGIC)
		return UKFDT_EBADMAGIC;
	if (bufsize < UKFDT_HEADER_SIZE)
		return UKFDT_ETRUNCATED;
	version = hdr(fdt, H_VERSION);
	if (version < 16 || hdr(fdt, H_LAST_COMP) > 17)
		return UKFDT_EBADVERSION;
	total = hdr(fdt, H_TOTALSIZE);
	if ((uint64_t)total > bufsize && total <= 0x7fffffff)
		return UKFDT_ETRUNCATED;
	/*
	 * The layout, as one test: each condition a <= b is b - a >= 0 on
	 * 64 bits (the fields are 32-bit), so OR-ing the differences gives
	 * a negative number if any fails. Plain arithmetic: under an
	 * emulator that translates the code it runs, compares cost more.
	 */
	soff = hdr(fdt, H_OFF_STRUCT);
	ssize = version >= 17 ? (int64_t)hdr(fdt, H_SIZE_STRUCT) : total - soff;
	return ((total - UKFDT_HEADER_SIZE) | (0x7fffffff - total) |
		(soff - (UKFDT_HEADER_SIZE - 4)) | -(soff & 3) | (ssize - 8) |
		(total - soff - ssize) |
		(total - hdr(fdt, H_OFF_STRINGS) - hdr(fdt, H_SIZE_STRINGS)) |
		(hdr(fdt, H_OFF_RSVMAP) - (UKFDT_HEADER_SIZE - 4)) |
		-(int64_t)(hdr(fdt, H_OFF_RSVMAP) & 3) |
		(total - hdr(fdt, H_OFF_RSVMAP))) < 0 ? UKFDT_EBADHEADER : 0;
}

uint32_t ukfdt_totalsize(const void *fdt)
{
	return hdr(fdt, H_TOTALSIZE);
}

__fdt_inline void view(const void *fdt, struct blob *b)
{
	b->s = (const uint8_t *)fdt + hdr(fdt, H_OFF_STRUCT);
	b->slen = struct_size(fdt);
	b->str = (const uint8_t *)fdt + hdr(fdt, H_OFF_STRINGS);
	b->strlen = hdr(fdt, H_SIZE_STRINGS);
}

/* Length of the NUL-terminated string at p, or -1 if no NUL before max. */
__fdt_inline int bounded_strlen(const uint8_t *p, uint32_t max)
{
	uint32_t i;

	for (i = 0; i < max; i++)
		if (!p[i])
			return (int)i;
	return -1;
}

/* Is the property name at nameoff a string inside the strings block? When
 * the block ends with a NUL (dtc and QEMU write it so) any offset in it is. */
__fdt_inline bool name_ok(const struct blob *b, uint32_t nameoff)
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
__fdt_inline int token_inline(const struct blob *b, int off, int *next)
{
	uint32_t o = (uint32_t)off, len;
	int n;

	if (off < 0 || (o & 3) || b->slen < 4 || o > b->slen - 4)
		return UKFDT_EBADOFFSET;
	switch (ukfdt_be32a(b->s + o)) {
	case TOK_BEGIN_NODE:
		n = bounded_strlen(b->s + o + 4, b->slen - o - 4);
		if (n < 0)
			return UKFDT_EBADSTRUCT;
		*next = (int)((o + 4 + (uint32_t)n + 1 + 3) & ~3U);
		return TOK_BEGIN_NODE;
	case TOK_PROP:
		if (b->slen - o < 12)
			return UKFDT_EBADSTRUCT;
		len = ukfdt_be32a(b->s + o + 4);
		if (len > b->slen - o - 12)
			return UKFDT_EBADSTRUCT;
		*next = (int)((o + 12 + len + 3) & ~3U);
		return TOK_PROP;
	case TOK_END_NODE:
	case TOK_NOP:
	case TOK_END:
		*next = (int)(o + 4);
		return (int)ukfdt_be32a(b->s + o);
	default:
		return UKFDT_EBADSTRUCT;
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
	return t == tag ? 0 : UKFDT_EBADOFFSET;
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
			return UKFDT_EBADSTRUCT;
		if (t == TOK_BEGIN_NODE)
			return off;
		if (t != TOK_NOP)
			return UKFDT_EBADSTRUCT;
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
			return UKFDT_EBADSTRUCT;
		switch (t) {
		case TOK_BEGIN_NODE:
			if (depth)
				*depth += d + 1;
			return off;
		case TOK_END_NODE:
			d--;
			break;
		case TOK_END:
			return UKFDT_ENOTFOUND;
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
			return UKFDT_EBADSTRUCT;
		if (t == TOK_BEGIN_NODE)
			return off;
		if (t == TOK_END_NODE)
			return UKFDT_ENOTFOUND;
		if (t == TOK_END)
			return UKFDT_EBADSTRUCT;
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
			return UKFDT_EBADSTRUCT;
		switch (t) {
		case TOK_BEGIN_NODE:
			if (d == 0)
				return off;
			d++;
			break;
		case TOK_END_NODE:
			if (d == 0)
				return UKFDT_ENOTFOUND;   /* the parent ends */
			d--;
			break;
		case TOK_END:
			return UKFDT_ENOTFOUND;
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
			return UKFDT_EBADSTRUCT;
		if (t == TOK_PROP)
			return off;
		if (t != TOK_NOP)
			return UKFDT_ENOTFOUND;
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
			rc = UKFDT_EBADSTRUCT;
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

static bool streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

const void *ukfdt_getprop(const void *fdt, int node, const char *name, int *len)
{
	const char *pname;
	const void *val;
	int prop, plen;

	for (prop = ukfdt_first_prop(fdt, node); prop >= 0;
	     prop = ukfdt_next_prop(fdt, prop)) {
		val = ukfdt_prop(fdt, prop, &pname, &plen);
		if (val && streq(pname, name)) {
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
		return UKFDT_ENOTFOUND;
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

__fdt_inline uint64_t cells(const uint8_t *p, uint32_t n)
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
		return UKFDT_EBADSTRUCT;
	esz = (acells + scells) * 4;
	if (((uint64_t)idx + 1) * esz > (uint32_t)len)
		return UKFDT_ENOTFOUND;
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
				return UKFDT_EBADSTRUCT;
			nameoff = ukfdt_be32a(b->s + it->off + 8);
			if (!name_ok(b, nameoff))
				return UKFDT_EBADSTRUCT;
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
				return UKFDT_EBADSTRUCT;
			it->depth = --it->open;
			it->off = next;
			return UKFDT_ITER_END_NODE;
		}
		if (t == TOK_END)
			return it->open ? UKFDT_EBADSTRUCT : 0;
		if (t < 0)
			return UKFDT_EBADSTRUCT;
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
			return UKFDT_ENOTFOUND;
		a = (uint64_t)ukfdt_be32a(p) << 32 | ukfdt_be32a(p + 4);
		s = (uint64_t)ukfdt_be32a(p + 8) << 32 | ukfdt_be32a(p + 12);
		if (!(a | s))
			return UKFDT_ENOTFOUND;
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
 * The scan (include/uk/fdt.h). Under an emulator that translates each new
 * basic block, the cost is mostly the code run for the first time (a
 * block, and each load, store and compare in it), so this is written
 * small rather than fast: one loop, one name comparison routine, the
 * checks of a token folded into one test.
 */
int ukfdt_scan_init(struct ukfdt_scan *sc, const void *fdt,
		    const char *const *props, unsigned int nprops,
		    const char *const *nodes, unsigned int nnodes)
{
	view(fdt, &sc->v);
	sc->off = 0;
	sc->open = 0;
	sc->depth = -1;
	sc->props = props;
	sc->nodes = nodes;
	/* every property name is a string inside the strings block if the
	 * block ends with a NUL (it does but in a malformed tree) */
	sc->nprops = sc->v.strlen && !sc->v.str[sc->v.strlen - 1] ?
		     UK_MIN(nprops, UKFDT_SCAN_PROPS) : 0;
	sc->nnodes = nnodes;
	/* the smallest tree: BEGIN_NODE "", END_NODE, END */
	return sc->v.slen < 16 ? UKFDT_EBADSTRUCT : 0;
}

/* The index in list[0, n) of the NUL-terminated name p (up to a '@' too
 * when stop is '@'), or -1. */
static int scan_match(const uint8_t *p, const char *const *list, unsigned int n, unsigned int stop)
{
	const uint8_t *w;
	unsigned int i, k;

	for (i = 0; i < n; i++) {
		w = (const uint8_t *)list[i];
		for (k = 0; w[k] && p[k] == w[k]; k++)
			;
		if (!w[k] && (!p[k] || p[k] == stop))
			return (int)i;
	}
	return -1;
}

int ukfdt_scan_next(struct ukfdt_scan *sc)
{
	const uint8_t *s = sc->v.s;
	int64_t slen = sc->v.slen, o = sc->off, len, n;
	uint32_t tag, d;
	int i;

	/* bounds as sign tests of 64-bit differences (see ukfdt_check) */
	for (;;) {
		if (slen - 4 - o < 0)                   /* slen >= 16 */
			return UKFDT_EBADSTRUCT;
		tag = ukfdt_be32a(s + o);
		d = sc->open;
		if (tag == TOK_PROP) {
			/* length and name offset, read from where they fit */
			n = slen - 12 - o < 0 ? (slen - 12) & ~3 : o;   /* o is 4-byte aligned */
			len = ukfdt_be32a(s + n + 4);
			n = ukfdt_be32a(s + n + 8);
			if (((slen - 12 - o - len) | ((int64_t)d - 1)) < 0)
				return UKFDT_EBADSTRUCT;
			if (((UKFDT_SCAN_DEPTH - (int64_t)d) | (sc->v.strlen - 1 - n)) >= 0) {
				i = scan_match(sc->v.str + n, sc->props, sc->nprops, 0);
				if (i >= 0) {
					sc->prop[d - 1][i].val = s + o + 12;
					sc->prop[d - 1][i].len = (int)len;
				}
			}
			o += 12 + ((len + 3) & ~3);
		} else if (tag == TOK_BEGIN_NODE) {
			/* the name, NUL-terminated inside the block */
			for (n = o + 4; n < slen && s[n]; n++)
				;
			if (n >= slen)
				return UKFDT_EBADSTRUCT;
			if (d < UKFDT_SCAN_DEPTH) {
				sc->node[d] = scan_match(s + o + 4, sc->nodes, sc->nnodes, '@');
				for (i = 0; i < UKFDT_SCAN_PROPS; i++)
					sc->prop[d][i].val = NULL;
			}
			sc->open = d + 1;
			o = (n + 1 + 3) & ~3;
		} else if (tag == TOK_END_NODE) {
			o += 4;
			sc->open = --d;
			if ((int)d < UKFDT_SCAN_DEPTH) {    /* also when no node was open */
				sc->off = (uint32_t)o;
				sc->depth = (int)d;
				return (int)d < 0 ? UKFDT_EBADSTRUCT : 1;
			}
		} else if (tag == TOK_NOP) {
			o += 4;
		} else {
			return tag == TOK_END && !d ? 0 : UKFDT_EBADSTRUCT;
		}
	}
}
