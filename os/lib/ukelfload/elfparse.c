/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ELF parser (uk/elfparse.h): validates what the loader is about to
 * trust, an ELF64 little-endian executable's header and program headers.
 * Fields are read byte by byte (no alignment assumed, no libc), every
 * length is compared with what is left ("left < need", so nothing
 * overflows), and each rule that fails has its own message. No kernel
 * dependency: the host fuzzer compiles this file as it is.
 */
#include <uk/elfparse.h>
#include <uk/errno.h>

static uint16_t rd16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
	return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* Whether [off, off + len) lies inside a file of size bytes. */
static bool in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static bool pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

static int fail(struct uk_elf_info *info, int ph, const char **why, const char *msg)
{
	info->bad_phdr = ph;
	*why = msg;
	return -ENOEXEC;
}

const char *uk_elf_phdr_name(uint32_t type)
{
	switch (type) {
	case UK_PT_LOAD:         return "PT_LOAD";
	case UK_PT_DYNAMIC:      return "PT_DYNAMIC";
	case UK_PT_INTERP:       return "PT_INTERP";
	case UK_PT_NOTE:         return "PT_NOTE";
	case UK_PT_PHDR:         return "PT_PHDR";
	case UK_PT_TLS:          return "PT_TLS";
	case UK_PT_GNU_EH_FRAME: return "PT_GNU_EH_FRAME";
	case UK_PT_GNU_STACK:    return "PT_GNU_STACK";
	case UK_PT_GNU_RELRO:    return "PT_GNU_RELRO";
	default:                 return 0;
	}
}

int uk_elf_check_ehdr(const void *ehdr, size_t len, uint64_t filesize, uint16_t machine,
		      struct uk_elf_info *info, const char **why)
{
	const unsigned char *e = ehdr;
	uint16_t phentsize;

	info->bad_phdr = -1;
	if (len >= 2 && filesize >= 2 && e[0] == '#' && e[1] == '!')
		return fail(info, -1, why, "a script (#!): only ELF executables run here");
	if (len < 4 || filesize < 4 || e[0] != 0x7f || e[1] != 'E' || e[2] != 'L' || e[3] != 'F')
		return fail(info, -1, why, "not an ELF file (no \\x7fELF magic)");
	if (len < UK_ELF_EHDR_SIZE || filesize < UK_ELF_EHDR_SIZE)
		return fail(info, -1, why, "too short for an ELF header (64 bytes)");
	if (e[4] != 2)
		return fail(info, -1, why, "not a 64-bit ELF file (ELFCLASS64 expected)");
	if (e[5] != 1)
		return fail(info, -1, why, "not a little-endian ELF file");
	if (e[6] != 1 || rd32(e + 20) != 1)
		return fail(info, -1, why, "unknown ELF version (1 expected)");
	info->type = rd16(e + 16);
	info->machine = rd16(e + 18);
	if (info->type != UK_ET_EXEC && info->type != UK_ET_DYN)
		return fail(info, -1, why, "not an executable (ELF type is neither ET_EXEC nor ET_DYN)");
	if (info->machine != machine)
		return fail(info, -1, why, machine == UK_EM_X86_64 ?
			    "built for another architecture (x86_64 expected)" :
			    "built for another architecture (aarch64 expected)");
	info->entry = rd64(e + 24);
	info->phoff = rd64(e + 32);
	if (rd16(e + 52) < UK_ELF_EHDR_SIZE)
		return fail(info, -1, why, "ELF header size field below 64");
	phentsize = rd16(e + 54);
	info->phnum = rd16(e + 56);
	if (phentsize != UK_ELF_PHDR_SIZE)
		return fail(info, -1, why, "program header entry size is not 56");
	if (!info->phnum)
		return fail(info, -1, why, "no program headers");
	if (info->phnum > UK_ELF_MAX_PHDRS)
		return fail(info, -1, why, "more than 128 program headers");
	if (!in_file(info->phoff, (uint64_t)info->phnum * UK_ELF_PHDR_SIZE, filesize))
		return fail(info, -1, why, "the program header table extends past the end of the file");
	return 0;
}

/* The PT_LOAD that holds [vaddr, vaddr + len) in memory, or -1. */
static int load_holding(const struct uk_elf_info *info, uint64_t vaddr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < info->nloads; i++) {
		const struct uk_elf_load *l = &info->load[i];

		if (vaddr >= l->vaddr && vaddr - l->vaddr <= l->memsz &&
		    len <= l->memsz - (vaddr - l->vaddr))
			return (int)i;
	}
	return -1;
}

/* Checks one PT_LOAD (index i) and appends it. */
static int add_load(struct uk_elf_info *info, int i, const unsigned char *p,
		    uint64_t filesize, const char **why)
{
	struct uk_elf_load *l, *prev;
	uint64_t align = rd64(p + 48);

	if (info->nloads >= UK_ELF_MAX_LOADS)
		return fail(info, i, why, "one PT_LOAD too many (16 at most)");
	l = &info->load[info->nloads];
	l->flags = rd32(p + 4);
	l->offset = rd64(p + 8);
	l->vaddr = rd64(p + 16);
	l->filesz = rd64(p + 32);
	l->memsz = rd64(p + 40);
	if (l->filesz > l->memsz)
		return fail(info, i, why, "file size larger than its memory size");
	if (!in_file(l->offset, l->filesz, filesize))
		return fail(info, i, why, "extends past the end of the file");
	if (!l->memsz)
		return fail(info, i, why, "empty (memory size 0)");
	if (l->vaddr >= UK_ELF_ADDR_LIMIT || l->memsz > UK_ELF_ADDR_LIMIT - l->vaddr)
		return fail(info, i, why, "address range outside the user half (2^47)");
	if (align > 1 && !pow2(align))
		return fail(info, i, why, "alignment is not a power of two");
	if (align > 1 && l->vaddr % align != l->offset % align)
		return fail(info, i, why, "address and file offset differ modulo the alignment");
	if (l->vaddr % UK_ELF_PAGE != l->offset % UK_ELF_PAGE)
		return fail(info, i, why, "address and file offset differ modulo the page size (4096)");
	if (!(l->flags & (UK_PF_R | UK_PF_W | UK_PF_X)))
		return fail(info, i, why, "neither readable, writable nor executable");
	if (info->nloads) {
		prev = &info->load[info->nloads - 1];
		if (l->vaddr < prev->vaddr + prev->memsz)
			return fail(info, i, why,
				    "not above the previous PT_LOAD (they must ascend without overlapping)");
	}
	info->nloads++;
	return 0;
}

int uk_elf_check_phdrs(const void *ph, size_t len, uint64_t filesize,
		       struct uk_elf_info *info, const char **why)
{
	const unsigned char *p;
	uint64_t off, sz, vaddr, memsz, phlen;
	bool interp = false, phdr = false;
	unsigned int i;
	int rc, j;

	info->bad_phdr = -1;
	info->nloads = 0;
	info->lo = info->hi = info->phdr_vaddr = 0;
	info->interp_off = info->interp_len = 0;
	info->has_tls = false;
	info->tls_vaddr = info->tls_memsz = info->tls_align = 0;
	info->exec_stack = false;
	info->relro_vaddr = info->relro_memsz = info->dynamic_vaddr = 0;
	if (!info->phnum || info->phnum > UK_ELF_MAX_PHDRS ||
	    len < (size_t)info->phnum * UK_ELF_PHDR_SIZE)
		return fail(info, -1, why, "the program header table is incomplete");
	phlen = (uint64_t)info->phnum * UK_ELF_PHDR_SIZE;

	/* PT_LOADs first: the others are checked against them */
	for (i = 0; i < info->phnum; i++) {
		p = (const unsigned char *)ph + i * UK_ELF_PHDR_SIZE;
		if (rd32(p) == UK_PT_LOAD && (rc = add_load(info, (int)i, p, filesize, why)))
			return rc;
	}
	if (!info->nloads)
		return fail(info, -1, why, "no PT_LOAD segment: nothing to load");
	info->lo = info->load[0].vaddr & ~(UK_ELF_PAGE - 1);
	vaddr = info->load[info->nloads - 1].vaddr + info->load[info->nloads - 1].memsz;
	/* below 2^47 (add_load), so rounding up cannot wrap */
	info->hi = (vaddr + UK_ELF_PAGE - 1) & ~(UK_ELF_PAGE - 1);
	if (info->hi - info->lo > UK_ELF_SPAN_MAX)
		return fail(info, -1, why, "the PT_LOAD segments span more than 64 GiB");
	if (info->type == UK_ET_EXEC && info->lo < 0x10000)
		return fail(info, -1, why, "a fixed-address program loaded below 64 KiB");

	for (i = 0; i < info->phnum; i++) {
		p = (const unsigned char *)ph + i * UK_ELF_PHDR_SIZE;
		off = rd64(p + 8);
		vaddr = rd64(p + 16);
		sz = rd64(p + 32);
		memsz = rd64(p + 40);
		switch (rd32(p)) {
		case UK_PT_INTERP:
			if (interp)
				return fail(info, (int)i, why, "a second PT_INTERP");
			interp = true;
			if (!in_file(off, sz, filesize))
				return fail(info, (int)i, why, "extends past the end of the file");
			if (sz < 2 || sz > UK_ELF_INTERP_MAX)
				return fail(info, (int)i, why,
					    "interpreter path length outside 2..4096 bytes");
			info->interp_off = off;
			info->interp_len = sz;
			break;
		case UK_PT_TLS:
			if (info->has_tls)
				return fail(info, (int)i, why, "a second PT_TLS");
			if (sz > memsz)
				return fail(info, (int)i, why, "file size larger than its memory size");
			if (!in_file(off, sz, filesize))
				return fail(info, (int)i, why, "extends past the end of the file");
			if (rd64(p + 48) > 1 && !pow2(rd64(p + 48)))
				return fail(info, (int)i, why, "alignment is not a power of two");
			if (load_holding(info, vaddr, sz) < 0)
				return fail(info, (int)i, why, "its initial data is outside every PT_LOAD");
			info->has_tls = true;
			info->tls_vaddr = vaddr;
			info->tls_memsz = memsz;
			info->tls_align = rd64(p + 48);
			break;
		case UK_PT_GNU_STACK:
			info->exec_stack = rd32(p + 4) & UK_PF_X;
			break;
		case UK_PT_GNU_RELRO:
			if (load_holding(info, vaddr, memsz) < 0)
				return fail(info, (int)i, why, "outside every PT_LOAD");
			info->relro_vaddr = vaddr;
			info->relro_memsz = memsz;
			break;
		case UK_PT_DYNAMIC:
			if (!in_file(off, sz, filesize))
				return fail(info, (int)i, why, "extends past the end of the file");
			if (load_holding(info, vaddr, memsz) < 0)
				return fail(info, (int)i, why, "outside every PT_LOAD");
			info->dynamic_vaddr = vaddr;
			break;
		case UK_PT_PHDR:
			if (phdr)
				return fail(info, (int)i, why, "a second PT_PHDR");
			phdr = true;
			if (load_holding(info, vaddr, phlen) < 0)
				return fail(info, (int)i, why, "the program headers it names are outside every PT_LOAD");
			info->phdr_vaddr = vaddr;
			break;
		default:
			break;
		}
	}

	/* AT_PHDR: where the table is in memory, if PT_PHDR did not say */
	if (!phdr) {
		for (i = 0; i < info->nloads; i++) {
			const struct uk_elf_load *l = &info->load[i];

			if (info->phoff >= l->offset && info->phoff - l->offset <= l->filesz &&
			    phlen <= l->filesz - (info->phoff - l->offset)) {
				info->phdr_vaddr = l->vaddr + (info->phoff - l->offset);
				break;
			}
		}
		if (i == info->nloads)
			return fail(info, -1, why,
				    "the program headers are in no PT_LOAD segment (no PT_PHDR either)");
	}
	j = load_holding(info, info->entry, 1);
	if (j < 0 || !(info->load[j].flags & UK_PF_X))
		return fail(info, -1, why, "the entry point is outside every executable PT_LOAD");
	return 0;
}

int uk_elf_check_interp(const char *s, size_t len, const char **why)
{
	size_t i;

	if (len < 2 || len > UK_ELF_INTERP_MAX) {
		*why = "PT_INTERP: interpreter path length outside 2..4096 bytes";
		return -ENOEXEC;
	}
	if (s[len - 1]) {
		*why = "PT_INTERP: the interpreter path is not NUL-terminated";
		return -ENOEXEC;
	}
	for (i = 0; i + 1 < len; i++)
		if (!s[i]) {
			*why = "PT_INTERP: a NUL inside the interpreter path";
			return -ENOEXEC;
		}
	if (s[0] != '/') {
		*why = "PT_INTERP: the interpreter path is not absolute";
		return -ENOEXEC;
	}
	return 0;
}

int uk_elf_parse(const void *file, size_t len, uint16_t machine,
		 struct uk_elf_info *info, const char **why)
{
	const unsigned char *f = file;
	int rc;

	rc = uk_elf_check_ehdr(f, len, len, machine, info, why);
	if (rc)
		return rc;
	/* check_ehdr put the table inside [0, len) */
	rc = uk_elf_check_phdrs(f + info->phoff, len - (size_t)info->phoff, len, info, why);
	if (rc)
		return rc;
	if (info->interp_len)
		return uk_elf_check_interp((const char *)f + info->interp_off,
					   (size_t)info->interp_len, why);
	return 0;
}
