/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukelfload's ELF parser: bounds-checked validation of an ELF64 executable's
 * header, program headers and PT_INTERP, with no kernel dependency (only
 * the compiler's freestanding headers), so the host fuzzes elfparse.c as it
 * is (tests/host/test_elfload_fuzz.py).
 *
 * Safety rule: no function reads outside the buffer it is given, whatever
 * the bytes; every offset and size is checked against the file's size
 * without overflow. A failure is -ENOEXEC (8) with *why set to a static
 * string saying what is wrong and info->bad_phdr the index of the program
 * header concerned (-1 when the problem is not in one), so the caller can
 * print "program header 3 (PT_LOAD): extends past the end of the file".
 */
#ifndef UK_ELFPARSE_H
#define UK_ELFPARSE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define UK_ELF_EHDR_SIZE   64
#define UK_ELF_PHDR_SIZE   56
#define UK_ELF_MAX_PHDRS   128           /* more is refused */
#define UK_ELF_MAX_LOADS   16            /* PT_LOAD segments, at most */
#define UK_ELF_INTERP_MAX  4096          /* PT_INTERP, NUL included (PATH_MAX) */
#define UK_ELF_SPAN_MAX    (1ULL << 36)  /* PT_LOADs span at most 64 GiB */
#define UK_ELF_ADDR_LIMIT  (1ULL << 47)  /* x86_64/arm64 user half */
#define UK_ELF_PAGE        4096ULL

#define UK_EM_X86_64  62
#define UK_EM_AARCH64 183

#define UK_ET_EXEC 2
#define UK_ET_DYN  3

#define UK_PT_LOAD         1
#define UK_PT_DYNAMIC      2
#define UK_PT_INTERP       3
#define UK_PT_NOTE         4
#define UK_PT_PHDR         6
#define UK_PT_TLS          7
#define UK_PT_GNU_EH_FRAME 0x6474e550
#define UK_PT_GNU_STACK    0x6474e551
#define UK_PT_GNU_RELRO    0x6474e552

#define UK_PF_X 1
#define UK_PF_W 2
#define UK_PF_R 4

struct uk_elf_load {
	uint64_t vaddr, memsz;          /* in memory (before the load bias) */
	uint64_t offset, filesz;        /* in the file; filesz <= memsz */
	uint32_t flags;                 /* UK_PF_* */
};

struct uk_elf_info {
	uint16_t type;                  /* UK_ET_EXEC or UK_ET_DYN */
	uint16_t machine;
	uint64_t entry;                 /* before the load bias */
	uint64_t phoff;                 /* program headers: file offset */
	uint16_t phnum;
	unsigned int nloads;
	struct uk_elf_load load[UK_ELF_MAX_LOADS];  /* by ascending vaddr */
	uint64_t lo, hi;                /* the PT_LOADs' span, page-aligned */
	uint64_t phdr_vaddr;            /* where the program headers are in
					 * memory (PT_PHDR, else the PT_LOAD
					 * holding them), before the bias */
	uint64_t interp_off, interp_len;  /* PT_INTERP (NUL included); 0: none */
	bool has_tls;
	uint64_t tls_vaddr, tls_memsz, tls_align;
	bool exec_stack;                /* PT_GNU_STACK with PF_X */
	uint64_t relro_vaddr, relro_memsz;  /* PT_GNU_RELRO; memsz 0: none */
	uint64_t dynamic_vaddr;         /* PT_DYNAMIC; 0: none (static) */
	int bad_phdr;                   /* on failure: the index, or -1 */
};

/* "PT_LOAD", "PT_INTERP"... or "type 0x..." is not given: NULL for others. */
const char *uk_elf_phdr_name(uint32_t type);

/*
 * Checks the ELF header ehdr (len bytes available, at least 64 needed) of a
 * file of filesize bytes for machine (UK_EM_*): class 64, little endian,
 * version 1, ET_EXEC or ET_DYN, the machine, phentsize 56, 1..128 program
 * headers lying inside the file. Fills type, machine, entry, phoff, phnum.
 * 0 or -ENOEXEC (*why).
 */
int uk_elf_check_ehdr(const void *ehdr, size_t len, uint64_t filesize, uint16_t machine,
		      struct uk_elf_info *info, const char **why);

/*
 * Checks the info->phnum program headers in ph (len bytes; at least phnum *
 * 56 needed), read from info->phoff of a file of filesize bytes, and fills
 * the rest of info: PT_LOADs (in the file, filesz <= memsz, ascending and
 * not overlapping, alignment a power of two with vaddr % align == offset %
 * align and the same page offset, inside the user half, span at most
 * UK_ELF_SPAN_MAX), PT_INTERP (one, inside the file, 2..4096 bytes),
 * PT_TLS (one, filesz <= memsz, inside a PT_LOAD), PT_GNU_STACK,
 * PT_GNU_RELRO and PT_DYNAMIC (inside a PT_LOAD), PT_PHDR (inside a
 * PT_LOAD); the entry point inside an executable PT_LOAD. 0 or -ENOEXEC.
 */
int uk_elf_check_phdrs(const void *ph, size_t len, uint64_t filesize,
		       struct uk_elf_info *info, const char **why);

/* Checks the PT_INTERP bytes s (len = info->interp_len): NUL-terminated,
 * with no NUL before the end, an absolute path. 0 or -ENOEXEC. */
int uk_elf_check_interp(const char *s, size_t len, const char **why);

/* All three over a whole file in memory. 0 or -ENOEXEC. */
int uk_elf_parse(const void *file, size_t len, uint16_t machine,
		 struct uk_elf_info *info, const char **why);

#endif
