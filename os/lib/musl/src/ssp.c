/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Replaces musl's src/env/__stack_chk_fail.c. The stack protector's canary
 * is the kernel's: the global __stack_chk_guard and __stack_chk_fail()
 * belong to ukdebug, which sets the canary from RDRAND/RNDR at the first
 * instruction (ARCHITECTURE.md, "Memory protection"). musl itself is
 * compiled without the protector, and changing the canary here, with
 * protected frames already on the stack, would make them fail on return.
 * So musl's start-up hook keeps the kernel's canary as it is.
 */
#include "pthread_impl.h"

void __init_ssp(void *entropy)
{
	(void)entropy;
}
