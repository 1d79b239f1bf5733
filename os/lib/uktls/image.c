/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * This image's TLS template, from the symbols every platform's linker script
 * defines around .tdata and .tbss (see ARCHITECTURE.md, "Linker scripts").
 */
#include <uk/tls.h>

extern const char __tdata_start[], __tdata_end[], __tbss_end[], __tls_align[];

void uk_tls_image(struct uk_tls_template *t)
{
	t->init = __tdata_start;
	t->filesz = (size_t)(__tdata_end - __tdata_start);
	t->memsz = (size_t)(__tbss_end - __tdata_start);
	t->align = (size_t)__tls_align;        /* an absolute symbol: its value */
}
