/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The syscall handlers posix-mmap defines (their prototypes come from the
 * registry, os/lib/uksyscall/syscalls.toml, through <uk/syscall.h>), and
 * the copy-out helper (<uk/uaccess.h>).
 */
#ifndef POSIX_MMAP_SYS_H
#define POSIX_MMAP_SYS_H

#include <uk/essentials.h>

#include <uk/syscall.h>
#include <uk/uaccess.h>

#endif
