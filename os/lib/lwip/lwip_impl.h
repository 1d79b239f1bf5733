/* SPDX-License-Identifier: BSD-3-Clause */
/* Between the lwip library's own files (not exported). */
#ifndef LWIP_IMPL_H
#define LWIP_IMPL_H

/* Brings every uknetdev device up as an lwIP interface and configures
 * it (DHCP or the netdev.* parameters), waiting for DHCP (bounded).
 * 0 or -E... (a device that fails is reported and skipped: 0). */
int uk_lwip_netifs_start(void);
/* NO_SYS: hands frames every device received to lwIP; their count. */
int uk_lwip_netifs_poll(void);

#endif
