/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * linuxu: the thread pointer (FS base) of a Linux process is set by Linux,
 * through arch_prctl(ARCH_SET_FS); a process cannot write the MSR itself.
 * This stands in for the x86_64 architecture's arch_tls_set_tp(). A failure
 * cannot be recovered (every __thread access would fault): it is a crash.
 */
#include <uk/tls.h>
#include <uk/assert.h>
#include <linuxu/syscall.h>

#define LINUXU_ARCH_SET_FS 0x1002

void arch_tls_set_tp(uintptr_t tp)
{
	long rc = linuxu_syscall2(LINUXU_SYS_arch_prctl, LINUXU_ARCH_SET_FS, (long)tp);

	if (rc < 0)
		uk_crash("linuxu: arch_prctl(ARCH_SET_FS) failed", NULL);
}
