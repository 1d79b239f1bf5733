/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vDSO in the image: vdso.so (built from dso/ by the tool's
 * [[shared_object]] step, found through -Wa,-Igen/ukvdso) at a page
 * boundary in the text (read + execute, never writable: W^X), then, at
 * UK_VDSO_VVAR_OFFSET from its start, the vvar table (vvar.h) of the
 * kernel functions it calls. The table's entries are weak: without
 * posix-time they are 0 and the vDSO traps instead.
 */
#include "vvar.h"

	.section .text.uk_vdso, "ax", %progbits
	.balign 4096
	.globl uk_vdso_image
	.type uk_vdso_image, %object
uk_vdso_image:
	.incbin "vdso.so"
	/* an error here ("attempt to move .org backwards"): vdso.so has
	 * grown past UK_VDSO_VVAR_OFFSET; raise it */
	.org uk_vdso_image + UK_VDSO_VVAR_OFFSET, 0
	.globl uk_vdso_vvar
uk_vdso_vvar:
	.quad UK_VDSO_MAGIC
	.quad uk_sys_clock_gettime
	.quad uk_sys_gettimeofday
	.quad uk_sys_time
	.quad uk_sys_clock_getres
	.size uk_vdso_image, . - uk_vdso_image

	.weak uk_sys_clock_gettime
	.weak uk_sys_gettimeofday
	.weak uk_sys_time
	.weak uk_sys_clock_getres

	.section .note.GNU-stack, "", %progbits
