/* SPDX-License-Identifier: BSD-3-Clause */
/* Between the lwip library's own files (not exported). */
#ifndef LWIP_IMPL_H
#define LWIP_IMPL_H

#include <uk/essentials.h>
#include "lwip/opt.h"
#include "lwip/netif.h"

struct uk_netdev;
struct tcpip_callback_msg;

/* One uknetdev device as an lwIP interface (netif.c). */
struct uk_lwip_if {
	struct netif nif;
	struct uk_netdev *dev;
#if !NO_SYS
	struct tcpip_callback_msg *rx_msg;  /* "drain this device", posted by
					     * the RX interrupt */
#endif
	volatile int rx_missed;             /* a post failed (mailbox full):
					     * the link timer drains */
	uint64_t rx_nomem;                  /* frames dropped: no pbuf */
	const char *via;                    /* "dhcp" or "static" */
	bool announced;                     /* its UK-NET line is out */
};

/* netif.c: adds dev as an lwIP interface (core lock held); 0 or -E... */
int uk_lwip_if_add(struct uk_lwip_if *i, struct uk_netdev *dev);
/* netif.c, after the interface is configured: starts RX (interrupt
 * callback with a scheduler, polling without). */
void uk_lwip_if_start_rx(struct uk_lwip_if *i);
/* netif.c, NO_SYS: hands i's received frames to lwIP; their count. */
int uk_lwip_if_poll(struct uk_lwip_if *i);

/* netcfg.c: brings every uknetdev device up as an lwIP interface and
 * configures it (DHCP or the netdev.* parameters), waiting for DHCP
 * (bounded). 0 or -E... (a device that fails is reported and skipped). */
int uk_lwip_netifs_start(void);
/* netcfg.c, NO_SYS: uk_lwip_if_poll over every interface. */
int uk_lwip_netifs_poll(void);

#endif
