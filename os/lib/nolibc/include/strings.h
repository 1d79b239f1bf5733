/* SPDX-License-Identifier: BSD-3-Clause */
/* nolibc: case-insensitive comparisons (ASCII only, "C" locale). */
#ifndef _STRINGS_H
#define _STRINGS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif
