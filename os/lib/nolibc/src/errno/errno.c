/* SPDX-License-Identifier: BSD-3-Clause */
/* errno: one global, the OS being single-threaded. */
#include <errno.h>

int errno;
