/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NO_SYS=1 (no scheduler in the image): lwIP's clock. Everything else of
 * this mode is in init.c (uk_lwip_poll).
 */
#include <uk/time.h>
#include "lwip/opt.h"
#include "lwip/sys.h"

u32_t sys_now(void)
{
	return (u32_t)(uk_time_now_ns() / 1000000ull);
}
