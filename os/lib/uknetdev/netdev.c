/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev registry and event dispatch: drivers register devices at probe
 * (UK_INIT_CLASS_PLAT), stacks look them up later. The list only grows and
 * is written before any stack runs (probe is single-threaded at boot), so
 * lookups take no lock. Buffers are in netbuf.c.
 */
#include <uk/netdev.h>
#include <uk/assert.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/print.h>
#include <uk/string.h>

static struct uk_netdev *netdevs;       /* registration order */
static unsigned int netdev_count;

/* "en" + decimal index; UK_NETDEV_NAME_MAX bounds the index to 99999. */
static void netdev_name(char *buf, unsigned int idx)
{
	char digits[10];
	unsigned int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + idx % 10);
		idx /= 10;
	} while (idx && n < UK_NETDEV_NAME_MAX - 3);
	buf[i++] = 'e';
	buf[i++] = 'n';
	while (n)
		buf[i++] = digits[--n];
	buf[i] = '\0';
}

int uk_netdev_register(struct uk_netdev *dev)
{
	struct uk_netdev **pp;
	const struct uk_netdev_ops *ops = dev->ops;

	if (!ops || !ops->rx || !ops->tx || !ops->rx_intr_enable ||
	    !ops->rx_intr_disable || dev->mtu == 0)
		return -EINVAL;
	for (pp = &netdevs; *pp; pp = &(*pp)->next)
		if (*pp == dev)
			return -EEXIST;
	dev->index = netdev_count++;
	netdev_name(dev->name, dev->index);
	dev->rx_cb = NULL;
	dev->tx_cb = NULL;
	dev->next = NULL;
	*pp = dev;
	{
		char mac[18];

		uk_netdev_mac_str(dev, mac);
		uk_pr_info("%s: mac %s mtu %u link %s\n", dev->name, mac,
			   dev->mtu, dev->link_up ? "up" : "down");
	}
	return 0;
}

unsigned int uk_netdev_count(void)
{
	return netdev_count;
}

struct uk_netdev *uk_netdev_get(unsigned int i)
{
	struct uk_netdev *d;

	for (d = netdevs; d && i; d = d->next)
		i--;
	return d;
}

struct uk_netdev *uk_netdev_find(const char *name)
{
	struct uk_netdev *d;

	for (d = netdevs; d; d = d->next)
		if (uk_streq(d->name, name))
			return d;
	return NULL;
}

bool uk_netdev_poll(struct uk_netdev *dev)
{
	if (dev->ops->poll)
		return dev->ops->poll(dev);
	/* Without a poll op the driver reclaims in rx/tx; pending is
	 * what re-arming would report, so ask without leaving the
	 * interrupt armed when no callback wants it. */
	if (dev->rx_cb)
		return dev->ops->rx_intr_enable(dev);
	{
		bool pending = dev->ops->rx_intr_enable(dev);

		dev->ops->rx_intr_disable(dev);
		return pending;
	}
}

void uk_netdev_set_rx_cb(struct uk_netdev *dev, uk_netdev_event_fn fn,
			 void *arg)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	dev->ops->rx_intr_disable(dev);
	dev->rx_cb_arg = arg;
	dev->rx_cb = fn;
	ukplat_lcpu_restore_irqf(f);
	if (fn && dev->ops->rx_intr_enable(dev)) {
		/* Frames came before the interrupt was armed: tell once,
		 * with the interrupt off as the callback contract says. */
		dev->ops->rx_intr_disable(dev);
		fn(dev, arg);
	}
}

void uk_netdev_set_tx_cb(struct uk_netdev *dev, uk_netdev_event_fn fn,
			 void *arg)
{
	unsigned long f = ukplat_lcpu_save_irqf();

	dev->tx_cb_arg = arg;
	dev->tx_cb = fn;
	ukplat_lcpu_restore_irqf(f);
}

void uk_netdev_rx_event(struct uk_netdev *dev)
{
	uk_netdev_event_fn fn = dev->rx_cb;

	if (fn)
		fn(dev, dev->rx_cb_arg);
}

void uk_netdev_tx_event(struct uk_netdev *dev)
{
	uk_netdev_event_fn fn = dev->tx_cb;

	if (fn)
		fn(dev, dev->tx_cb_arg);
}

void uk_netdev_mac_str(const struct uk_netdev *dev, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < UK_NETDEV_ETH_ALEN; i++) {
		buf[i * 3] = hex[dev->mac[i] >> 4];
		buf[i * 3 + 1] = hex[dev->mac[i] & 0xf];
		buf[i * 3 + 2] = i + 1 < UK_NETDEV_ETH_ALEN ? ':' : '\0';
	}
}
