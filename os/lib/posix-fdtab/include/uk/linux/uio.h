/* SPDX-License-Identifier: BSD-3-Clause */
/* struct iovec (readv/writev) and the limit on its count. */
#ifndef UK_LINUX_UIO_H
#define UK_LINUX_UIO_H

#include <uk/essentials.h>

struct uk_iovec {
	void *iov_base;
	unsigned long iov_len;
};

#define UK_IOV_MAX 1024

#endif
