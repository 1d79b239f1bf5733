/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ukboot.reserve=START-END (hex, page-aligned): keeps [START, END) out of
 * the free memory regions before anything hands memory out (the boot
 * thread's TLS pages, the heap), so that a program linked at a fixed
 * address (a non-PIE Linux executable at 0x400000, ukelfload) can be
 * mapped there later (posix-mmap's fixed window). Regions the range only
 * touches are cut; a range over the kernel image itself cannot be kept
 * free and stops the boot (status 64) with what to do. A range where the
 * platform has no RAM (arm64 virt: below 1 GiB) cuts nothing and is fine.
 * `uniforge run BINARY` computes the range from the ELF's PT_LOADs.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/print.h>
#include <uk/boot.h>
#include <uk/libparam.h>

static const char *reserve;
UK_LIB_PARAM(reserve, charp);

static uintptr_t res_start, res_end;

/* Compiled only with uklibparam (the parameter's way in). */

/* A hex number (0x optional) up to stop; false if malformed or too big. */
static bool hex(const char **s, char stop, uintptr_t *v)
{
	const char *p = *s;
	unsigned int n = 0;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (*v = 0; *p && *p != stop; p++, n++) {
		unsigned int d = *p >= '0' && *p <= '9' ? (unsigned int)(*p - '0') :
				 *p >= 'a' && *p <= 'f' ? (unsigned int)(*p - 'a' + 10) :
				 *p >= 'A' && *p <= 'F' ? (unsigned int)(*p - 'A' + 10) : 16;

		if (d > 15 || n >= 12)
			return false;
		*v = *v << 4 | d;
	}
	*s = p;
	return n > 0 && *p == stop;
}

static void __noreturn bad(const char *why)
{
	uk_pr_crit("ukboot: ukboot.reserve=%s: %s\n", reserve, why);
	ukboot_shutdown(64);
}

void ukboot_mem_reserve(struct ukplat_bootinfo *bi)
{
	const char *s = reserve;
	unsigned int i, n;
	uintptr_t a, b;

	if (!s || !*s)
		return;
	if (!hex(&s, '-', &a) || !(s++, hex(&s, '\0', &b)) || b <= a ||
	    (a | b) & (__PAGE_SIZE - 1))
		bad("expected START-END, page-aligned hex addresses with START < END "
		    "(e.g. 0x400000-0xb20000)");
	n = bi->nr_mrd;
	for (i = 0; i < n; i++) {
		struct ukplat_memregion *m = &bi->mrd[i];
		uintptr_t ms = m->base, me = m->base + m->len;

		if (me <= a || ms >= b)
			continue;
		if (m->type == UKPLAT_MEMR_KERNEL)
			bad("the range overlaps the kernel image: the program's fixed "
			    "addresses are taken (give more memory does not help; "
			    "link the program as PIE)");
		if (m->type != UKPLAT_MEMR_FREE)
			continue;
		/* keep the part below; the part above goes in a new slot */
		m->len = ms < a ? a - ms : 0;
		if (me > b) {
			if (!m->len) {
				m->base = b;
				m->len = me - b;
			} else if (bi->nr_mrd < UKPLAT_MEMR_MAX) {
				bi->mrd[bi->nr_mrd++] = (struct ukplat_memregion){
					.base = b, .len = me - b, .type = UKPLAT_MEMR_FREE,
				};
			} else {
				uk_pr_warn("ukboot: reserve: no slot left for the memory "
					   "above %lx: %lu KiB unused\n", (unsigned long)b,
					   (unsigned long)((me - b) >> 10));
			}
		}
	}
	res_start = a;
	res_end = b;
}

bool ukboot_reserved_range(uintptr_t *start, uintptr_t *end)
{
	*start = res_start;
	*end = res_end;
	return res_end != 0;
}
