/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a program loader needs from posix-mmap beyond the syscalls
 * (uk/mmap.h): the fixed window, a second range below the area where
 * MAP_FIXED may map (programs linked at a fixed address, 0x400000 for
 * x86_64's non-PIE executables), and the reset of every mapping at execve.
 *
 * The window is memory the boot kept out of the heap (ukboot.reserve=),
 * so nothing of the kernel's lives there; on x86 the identity map still
 * covers it, and that translation is removed here, so that the window is
 * paged on demand like the area (pages.c: its table starts at address 0).
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/mmap.h>
#include "area.h"

uintptr_t mm_win_start, mm_win_end;

#define LOW_LIMIT 0x10000UL             /* never map the first 64 KiB */

int uk_mmap_fixed_window(uintptr_t start, uintptr_t end)
{
	int rc;

	if ((start | end) & (PAGE_SIZE - 1) || start < LOW_LIMIT || end <= start ||
	    end > UK_MMAP_AREA_START)
		return -EINVAL;
	if (mm_win_end)
		return -EEXIST;
	/* the platform may not map all of it (arm64: no RAM at 0x400000):
	 * an unmap of nothing is no error */
	rc = ukplat_page_unmap(start, end - start);
	if (rc && rc != -ENOENT)
		return rc;
	{
		unsigned long irqf = ukplat_lcpu_save_irqf();

		mm_win_start = start;
		mm_win_end = end;
		ukplat_lcpu_restore_irqf(irqf);
	}
	return 0;
}

bool uk_mmap_fixed_ok(uintptr_t start, uintptr_t end)
{
	return end > start && in_user(start, end - start);
}

void uk_mmap_exec_reset(void)
{
	unsigned long irqf = ukplat_lcpu_save_irqf();
	struct vma *v;

	while ((v = vma_first()))
		unmap_range(v->start, v->end - v->start);
	deferred_reset();
	brk_reset();
	ukplat_lcpu_restore_irqf(irqf);
}
