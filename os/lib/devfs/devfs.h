/* SPDX-License-Identifier: BSD-3-Clause */
/* devfs's private header: the console's file ops (console.c), which
 * devices.c puts behind /dev/console, /dev/tty and fds 0-2. */
#ifndef DEVFS_H
#define DEVFS_H

#include <uk/vfs.h>

extern const struct uk_file_ops devfs_console_ops;
/* Whether the console answers as a terminal (devfs.tty, console.c). */
bool devfs_console_is_tty(void);

#endif
