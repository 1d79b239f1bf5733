/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The boot thread's TLS block (layout: lib/uktls). It comes from a static
 * buffer of UKBOOT_TLS_STATIC bytes when the image's TLS fits, which is the
 * usual case (errno and a few variables) and costs no heap; a larger TLS
 * is allocated from the heap, whose first use then builds it. Runs before
 * the init functions: nothing before it may touch a __thread variable
 * (platform entry, argument splitting and heap bookkeeping do not).
 */
#include <uk/essentials.h>
#include <uk/assert.h>
#include <uk/tls.h>
#include <uk/boot.h>
#if defined(CONFIG_LIBUKALLOC)
#include <uk/alloc.h>
#endif

static char boot_tls[CONFIG_UKBOOT_TLS_STATIC] __align(64);

void ukboot_tls_init(void)
{
	size_t need = uk_tls_size();
	void *block = boot_tls;

	if (need > sizeof(boot_tls)) {
#if defined(CONFIG_LIBUKALLOC)
		struct uk_alloc *a = uk_alloc_get_default();

		block = a ? uk_malloc(a, need) : NULL;
#else
		block = NULL;
#endif
		if (!block)
			uk_crashf("the TLS block needs %lu bytes: more than "
				  "CONFIG_UKBOOT_TLS_STATIC (%u) and no heap to allocate it from; "
				  "raise CONFIG_UKBOOT_TLS_STATIC or give the guest more memory",
				  (unsigned long)need, (unsigned int)sizeof(boot_tls));
	}
	arch_tls_set_tp(uk_tls_init(block));
}
