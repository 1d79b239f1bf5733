/* SPDX-License-Identifier: BSD-3-Clause */
/* errno: one per thread, in the thread's TLS block (lib/uktls). */
#include <errno.h>

__thread int errno;
