/* SPDX-License-Identifier: BSD-3-Clause */
/* The region allocator's constructor (os/lib/ukallocregion), for code that builds
 * one over memory of its own; the heap gets it through UK_ALLOC_BACKEND. */
#ifndef UK_ALLOCREGION_H
#define UK_ALLOCREGION_H

#include <uk/alloc.h>

/* An allocator over [base, base + len); its struct uk_alloc lives inside
 * that memory. NULL if len is too small. */
struct uk_alloc *uk_allocregion_init(void *base, size_t len);

#endif
