/* SPDX-License-Identifier: BSD-3-Clause */
/* Without uknetdev in the image: only the loopback interface exists. */
#include "lwip_impl.h"

int uk_lwip_netifs_start(void)
{
	return 0;
}

int uk_lwip_netifs_poll(void)
{
	return 0;
}
