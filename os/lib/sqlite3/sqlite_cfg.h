/* sqlite_cfg.h: what SQLite's configure would find (sqlite_cfg.h.in), for
 * musl 1.2.3 under our kernel. Debian's build runs configure on glibc; we
 * write its answers here instead (-D_HAVE_SQLITE_CONFIG_H makes
 * sqliteInt.h include this file). One line per choice. */
#ifndef UNIFORGE_SQLITE_CFG_H
#define UNIFORGE_SQLITE_CFG_H

/* The standard headers and types: all in musl. */
#define HAVE_INTTYPES_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_UNISTD_H 1
#define HAVE_MALLOC_H 1
#define HAVE_INT8_T 1
#define HAVE_INT16_T 1
#define HAVE_INT32_T 1
#define HAVE_INT64_T 1
#define HAVE_INTPTR_T 1
#define HAVE_UINT8_T 1
#define HAVE_UINT16_T 1
#define HAVE_UINT32_T 1
#define HAVE_UINT64_T 1
#define HAVE_UINTPTR_T 1
#define STDC_HEADERS 1

/* fdatasync: posix-fdtab implements it (else SQLite calls fsync). */
#define HAVE_FDATASYNC 1
/* Thread-safe time conversions (date and time functions). */
#define HAVE_GMTIME_R 1
#define HAVE_LOCALTIME_R 1
/* isnan() from math.h (shown as HAVE_ISNAN in pragma compile_options, as
 * on Debian). */
#define HAVE_ISNAN 1
#define HAVE_STRCHRNUL 1
/* usleep for the busy handler's sleeps (else whole seconds). */
#define HAVE_USLEEP 1
/* utime: only the dot-file locking style uses it; present in musl. */
#define HAVE_UTIME 1
/* pread/pwrite at an offset (USE_PREAD): one syscall per page instead of
 * lseek + read. musl names them pread/pwrite (pread64 only as a macro
 * under _LARGEFILE64_SOURCE), so HAVE_PREAD64 stays off. */
#define HAVE_PREAD 1
#define HAVE_PWRITE 1
/* Not defined, as in Debian (10-665363-disable-malloc-usable-size.patch):
 * HAVE_MALLOC_USABLE_SIZE. Not defined: HAVE_LOCALTIME_S (Windows),
 * HAVE_DLFCN_H (no loadable extensions), HAVE_ZLIB_H (no zlib: the shell's
 * .archive and zipfile() are left out). */

#endif
