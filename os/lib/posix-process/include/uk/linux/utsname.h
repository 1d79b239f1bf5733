/* SPDX-License-Identifier: BSD-3-Clause */
/* Linux's struct new_utsname (include/uapi/linux/utsname.h), what uname(2)
 * fills on x86_64 and arm64. */
#ifndef UK_LINUX_UTSNAME_H
#define UK_LINUX_UTSNAME_H

#define UK_UTSNAME_LEN 65

struct uk_utsname {
	char sysname[UK_UTSNAME_LEN];
	char nodename[UK_UTSNAME_LEN];
	char release[UK_UTSNAME_LEN];
	char version[UK_UTSNAME_LEN];
	char machine[UK_UTSNAME_LEN];
	char domainname[UK_UTSNAME_LEN];
};

#endif
