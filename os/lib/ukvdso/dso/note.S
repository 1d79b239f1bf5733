/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The vDSO's "Linux" ELF note (PT_NOTE), as Linux's: the kernel version
 * code, 6.1.0 (uname's release, posix-process: Debian 12's kernel), which
 * a libc may read instead of calling uname.
 */
	.section .note.Linux, "a", %note
	.balign 4
	.long 2f - 1f                   /* namesz */
	.long 4f - 3f                   /* descsz */
	.long 0                         /* type */
1:	.asciz "Linux"
2:	.balign 4
3:	.long (6 << 16) | (1 << 8) | 0  /* LINUX_VERSION_CODE */
4:

	.section .note.GNU-stack, "", %progbits
