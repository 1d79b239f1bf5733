/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux's getrandom(2) flags (include/uapi/linux/random.h), the same on
 * every architecture. */
#ifndef UK_LINUX_RANDOM_H
#define UK_LINUX_RANDOM_H

#define UK_GRND_NONBLOCK 0x0001
#define UK_GRND_RANDOM   0x0002
#define UK_GRND_INSECURE 0x0004

#endif
