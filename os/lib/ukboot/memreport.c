/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * UKBOOT_MEMREPORT: where the memory went, one console line at shutdown
 * (ukboot_shutdown, before the terminators), for finding a program's
 * smallest memory (-m) and what takes it:
 *
 *   UK-MEM boot_free_kib=F reserve_kib=R initrd_kib=I heap_peak_kib=P
 *          heap_used_kib=U heap_free_kib=A        (one line)
 *
 * F: the free RAM regions the platform reported, after ukboot.reserve=
 * was cut out (the heap starts from them); R: that reserved range (0
 * without one); I: the initrd (ukcpio gives its pages to the heap: those
 * it takes in place as pages in use, the rest free); P, U: the heap's
 * high-water mark and use at the end (ukalloc's statistics: every
 * allocation, page and initrd page taken in place); A: what the heap has
 * left (the backend's availmem). Written with ukplat_cout, whatever the
 * log level.
 */
#include <uk/essentials.h>
#include <uk/plat.h>
#include <uk/plat/bootinfo.h>
#include <uk/alloc.h>
#include <uk/boot.h>

static void out(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	ukplat_cout(s, n);
}

/* " name=<v in KiB>" */
static void field(const char *name, uint64_t bytes)
{
	char buf[24];
	int i = sizeof(buf);
	uint64_t v = bytes >> 10;

	buf[--i] = '\0';
	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out(" ");
	out(name);
	out("=");
	out(buf + i);
}

void ukboot_memreport(void)
{
	const struct ukplat_bootinfo *bi = ukplat_bootinfo_get();
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_alloc_stats st;
	uint64_t free_ram = 0, reserve = 0;
	unsigned int i;

	for (i = 0; i < bi->nr_mrd; i++)
		if (bi->mrd[i].type == UKPLAT_MEMR_FREE)
			free_ram += bi->mrd[i].len;
#if defined(CONFIG_LIBUKLIBPARAM)
	{
		uintptr_t rs, re;

		if (ukboot_reserved_range(&rs, &re))
			reserve = re - rs;
	}
#endif
	uk_alloc_stats(a, &st);
	out("UK-MEM");
	field("boot_free_kib", free_ram);
	field("reserve_kib", reserve);
	field("initrd_kib", bi->initrd_len);
	field("heap_peak_kib", st.peak_bytes);
	field("heap_used_kib", st.cur_bytes);
	field("heap_free_kib", uk_alloc_availmem(a));
	out("\n");
}
