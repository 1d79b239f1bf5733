/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Runs the in-guest test suite as the last init step and, with
 * LIBUKTEST_EXIT (default), stops the guest: status 0 when every case
 * passed, 1 otherwise — so `uniforge run` of a test build is a test.
 */
#include <uk/init.h>
#include <uk/plat.h>
#include <uk/test.h>

static int uktest_boot_run(void)
{
	int failed = uktest_run_all();

#if defined(CONFIG_LIBUKTEST_EXIT)
	ukplat_halt(failed ? 1 : 0);
#endif
	(void)failed;
	return 0;
}
uk_initcall(uktest_boot_run, 6, 9);
