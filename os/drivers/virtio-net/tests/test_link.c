/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest test of the link state (LIBVIRTIO_NET_TESTS_LINK): the host
 * (tests/boot/test_netdev.py) takes en0's link down and up through QEMU's
 * monitor (QMP set_link) when the guest says it waits; link_up must follow
 * from the device's configuration-change interrupt alone (uk_netdev_poll
 * only in the core's polling mode, where it is the only way).
 */
#include <stdio.h>
#include <uk/netdev.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/test.h>

#define WAIT_S 60

static bool wait_link(struct uk_netdev *d, bool up)
{
	uint64_t end = ukplat_clock_ticks() + WAIT_S * ukplat_clock_freq();

	while (d->link_up != up && ukplat_clock_ticks() < end) {
#if CONFIG_LIBVIRTIO_POLL
		uk_netdev_poll(d);
#endif
	}
	return d->link_up == up;
}

UK_TESTCASE(virtio_net_link, follows_the_device)
{
	struct uk_netdev *d = uk_netdev_get(0);

	UK_TEST_ASSERT(d != NULL);
	UK_TEST_ASSERT(d->features & UK_NETDEV_F_LINK_STATE);
	UK_TEST_EXPECT(d->link_up);
	ukplat_lcpu_enable_irq();
	printf("UK-NETDEV link-wait down\n");
	UK_TEST_ASSERT(wait_link(d, false));
	printf("UK-NETDEV link-wait up\n");
	UK_TEST_ASSERT(wait_link(d, true));
	printf("UK-NETDEV link-done\n");
}
