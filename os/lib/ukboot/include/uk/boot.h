/* SPDX-License-Identifier: BSD-3-Clause */
/* ukboot internals shared between boot.c, heap.c and boottime.c. */
#ifndef UK_BOOT_H
#define UK_BOOT_H

#include <uk/plat.h>

/* At most this many words on the command line; main's argv, a NULL, the
 * environment and a NULL fit in UKBOOT_VEC_WORDS pointers. */
#define UKBOOT_MAX_ARGS 64
#define UKBOOT_VEC_WORDS (1 + UKBOOT_MAX_ARGS + 1 + UKBOOT_MAX_ARGS + 1)

/* Run the terminators in reverse and halt the platform with status. */
void ukboot_shutdown(int status) __noreturn;
/* Install the default allocator, built on first use from the platform's
 * free memory regions (heap.c). */
void ukboot_heap_init(struct ukplat_bootinfo *bi);
void ukboot_print_boottime(void);
/* UKBOOT_MEMREPORT (memreport.c): the UK-MEM line, at shutdown. */
void ukboot_memreport(void);
/* ukboot.reserve=START-END (reserve.c): cuts that range out of the free
 * memory regions; run before anything takes memory from them. A malformed
 * value, or one over the kernel image, stops the boot (status 64). */
void ukboot_mem_reserve(struct ukplat_bootinfo *bi);
/* The range ukboot.reserve= kept free, if any (for posix-mmap's fixed
 * window through ukelfload). */
bool ukboot_reserved_range(uintptr_t *start, uintptr_t *end);
/* Give the boot thread its TLS block and thread pointer (tls.c): in
 * buf (len bytes, memory that lives for ever) when the block fits, else in
 * pages from the end of the largest free memory region. */
#define UKBOOT_TLS_BUF 256
void ukboot_tls_init(struct ukplat_bootinfo *bi, void *buf, size_t len);
/* Run .preinit_array and .init_array, in order (crt.c). */
void ukboot_run_ctors(int argc, char **argv, char **envp);
/* Run what is left of .fini_array, last entry first (crt.c). The libc's
 * exit() calls it after the atexit handlers; safe to call more than once. */
void ukboot_run_fini(void);
/* A libc that starts itself (musl; libc_start.c): ukboot_libc_init() lays
 * out argv as split_args() made it (args, NULL, environment, NULL) with the
 * auxiliary vector after it and initialises the libc (its TLS block, page
 * size, random secret), before the init functions; ukboot_libc_start()
 * runs the constructors, then exit(main(...)), after them. */
void ukboot_libc_init(int argc, char **argv);
void ukboot_libc_start(int argc) __noreturn;

#endif
