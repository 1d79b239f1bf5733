/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The ELF C runtime tables (the linker scripts collect them, see
 * ARCHITECTURE.md): .preinit_array then .init_array run before main(), in
 * table order (init_array.N by priority first), each called as
 * fn(argc, argv, envp) like glibc and musl do; .fini_array runs at exit,
 * last entry first, after the libc's atexit handlers (C11 7.22.4.4 with the
 * ELF gABI: the order glibc and musl use).
 */
#include <uk/essentials.h>
#include <uk/boot.h>

typedef void (*crt_func_t)(int, char **, char **);
typedef void (*crt_fini_t)(void);

extern const crt_func_t __preinit_array_start[], __preinit_array_end[];
extern const crt_func_t __init_array_start[], __init_array_end[];
extern const crt_fini_t __fini_array_start[], __fini_array_end[];

/* How many .fini_array entries are still to run (each runs at most once,
 * even if a handler calls exit() again). */
static const crt_fini_t *fini_next = __fini_array_end;

void ukboot_run_ctors(int argc, char **argv, char **envp)
{
	const crt_func_t *f;

	for (f = __preinit_array_start; f < __preinit_array_end; f++)
		(*f)(argc, argv, envp);
	for (f = __init_array_start; f < __init_array_end; f++)
		(*f)(argc, argv, envp);
}

void ukboot_run_fini(void)
{
	while (fini_next > __fini_array_start)
		(*--fini_next)();
}
