/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel side of the vDSO: where it is (embed.S puts it in the text).
 */
#include <uk/essentials.h>
#include <uk/vdso.h>

extern const char uk_vdso_image[];

const void *uk_vdso_base(void)
{
	return uk_vdso_image;
}
