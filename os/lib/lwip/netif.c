/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A uknetdev device as an lwIP interface (Ethernet, ARP, IPv6 ND).
 *
 * RX: with a scheduler the device's RX callback (interrupt context)
 * posts a preallocated message to the tcpip thread's mailbox; the thread
 * drains up to RX_BUDGET frames into lwIP under the core lock, then
 * re-arms the interrupt (or re-posts itself when it stopped at the budget
 * or frames arrived meanwhile: other work in the mailbox gets its turn).
 * Without a scheduler uk_lwip_poll() drains (no interrupts).
 *
 * Each received frame is copied into one PBUF_RAM pbuf and the driver's
 * buffers go back at once. Decided over referencing them (custom pbufs):
 * lwIP keeps received pbufs for as long as an application leaves data
 * unread (TCP's receive and out-of-sequence queues), so referencing would
 * let one slow reader take the driver's whole RX ring (128 buffers) and
 * stop all reception; a copy of at most one frame per frame is small
 * next to what the rest of the path costs (and mergeable chains need no
 * special case).
 *
 * Checksums: a frame the device marks DATA_VALID (or CSUM_PARTIAL, which
 * only a local sender produces) is handed in with lwIP's TCP/UDP checks
 * off for that frame only (per-interface checksum control). lwIP computes
 * TX checksums itself.
 *
 * TX: a pbuf chain becomes a netbuf chain on the stack (the driver copies
 * it); a queue that stays full is polled (reclaiming finished frames) for
 * up to TX_WAIT_NS before the frame is dropped (ERR_MEM: TCP retransmits).
 *
 * Link state: uk_netdev_poll() refreshes dev->link_up; a 500 ms lwIP
 * timer (uk_lwip_poll without a scheduler) forwards changes to lwIP.
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/print.h>
#include <uk/time.h>
#include <uk/netdev.h>
#include "lwip/opt.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/timeouts.h"
#include "netif/ethernet.h"
#if !NO_SYS
#include <uk/sched.h>
#include "lwip/tcpip.h"
#endif
#include "lwip_impl.h"

#define RX_BUDGET 64                    /* frames per drain before yielding */
#define TX_SEGS 16                      /* pbufs per frame sent without a copy */
#define TX_WAIT_NS 20000000ull          /* 20 ms of a full TX queue: drop */
#define LINK_POLL_MS 500

static void rx_input(struct uk_lwip_if *i, struct pbuf *p, uint16_t flags)
{
#if LWIP_CHECKSUM_CTRL_PER_NETIF
	u16_t saved = i->nif.chksum_flags;

	if (flags & (UK_NETBUF_F_DATA_VALID | UK_NETBUF_F_CSUM_PARTIAL))
		i->nif.chksum_flags = (u16_t)(saved & ~(NETIF_CHECKSUM_CHECK_TCP |
							 NETIF_CHECKSUM_CHECK_UDP));
#endif
	if (i->nif.input(p, &i->nif) != ERR_OK)
		pbuf_free(p);
#if LWIP_CHECKSUM_CTRL_PER_NETIF
	i->nif.chksum_flags = saved;
#endif
}

/* Hands up to budget frames to lwIP (core lock held / NO_SYS loop). */
static int rx_drain(struct uk_lwip_if *i, int budget)
{
	int n;

	for (n = 0; n < budget; n++) {
		struct uk_netbuf *nb;
		struct pbuf *p;
		uint32_t len;
		uint16_t flags;

		if (uk_netdev_rx(i->dev, &nb) < 0)
			break;
		len = uk_netbuf_chain_len(nb);
		flags = nb->flags;
		p = len && len <= 0xffff ? pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM) : NULL;
		if (p)
			uk_netbuf_copy_out(nb, 0, p->payload, len);
		uk_netbuf_free(nb);
		if (!p) {
			i->rx_nomem++;
			continue;
		}
		rx_input(i, p, flags);
	}
	return n;
}

static void link_update(struct uk_lwip_if *i)
{
	bool up = i->dev->link_up;

	if (up && !netif_is_link_up(&i->nif))
		netif_set_link_up(&i->nif);
	else if (!up && netif_is_link_up(&i->nif))
		netif_set_link_down(&i->nif);
}

#if !NO_SYS
/* The tcpip thread, core lock held: drain, then re-arm or go again. */
static void rx_drain_msg(void *arg)
{
	struct uk_lwip_if *i = arg;

	i->rx_missed = 0;
	if (rx_drain(i, RX_BUDGET) == RX_BUDGET || uk_netdev_rx_intr_enable(i->dev)) {
		if (tcpip_callbackmsg_trycallback(i->rx_msg) != ERR_OK)
			i->rx_missed = 1;
	}
}

/* Interrupt context, RX interrupt already off. */
static void rx_irq(struct uk_netdev *dev __unused, void *arg)
{
	struct uk_lwip_if *i = arg;

	if (tcpip_callbackmsg_trycallback_fromisr(i->rx_msg) != ERR_OK)
		i->rx_missed = 1;
}

/* lwIP timer (core lock held): link state, finished TX frames, and a
 * drain the interrupt could not post. */
static void link_tmr(void *arg)
{
	struct uk_lwip_if *i = arg;

	if (uk_netdev_poll(i->dev) && i->rx_missed)
		rx_drain_msg(i);
	link_update(i);
	sys_timeout(LINK_POLL_MS, link_tmr, i);
}

void uk_lwip_if_start_rx(struct uk_lwip_if *i)
{
	sys_timeout(LINK_POLL_MS, link_tmr, i);
	uk_netdev_set_rx_cb(i->dev, rx_irq, i);
}
#else
void uk_lwip_if_start_rx(struct uk_lwip_if *i __unused)
{
}

int uk_lwip_if_poll(struct uk_lwip_if *i)
{
	int n = 0, got;

	uk_netdev_poll(i->dev);
	link_update(i);
	do {
		got = rx_drain(i, RX_BUDGET);
		n += got;
	} while (got == RX_BUDGET);
	return n;
}
#endif

static int tx_once(struct uk_netdev *dev, const struct uk_netbuf *frame)
{
	uint64_t deadline = 0;
	int r;

	while ((r = uk_netdev_tx(dev, frame)) == -EAGAIN) {
		uint64_t now = uk_time_now_ns();

		if (!deadline)
			deadline = now + TX_WAIT_NS;
		else if (now >= deadline)
			break;
		uk_netdev_poll(dev);
#if !NO_SYS
		uk_sched_yield();
#endif
	}
	return r;
}

static err_t linkoutput(struct netif *nif, struct pbuf *p)
{
	struct uk_lwip_if *i = nif->state;
	struct uk_netbuf nb[TX_SEGS];
	struct pbuf *q, *flat = NULL;
	unsigned int n = 0;
	int r;

	if (pbuf_clen(p) > TX_SEGS) {
		flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!flat)
			return ERR_MEM;
		p = flat;
	}
	for (q = p; q; q = q->next) {
		if (!q->len)
			continue;
		uk_netbuf_init(&nb[n], q->payload, q->len, 0, NULL, NULL);
		nb[n].len = q->len;
		if (n)
			nb[n - 1].next = &nb[n];
		n++;
	}
	r = n ? tx_once(i->dev, &nb[0]) : 0;
	if (flat)
		pbuf_free(flat);
	return r == 0 ? ERR_OK : r == -EAGAIN || r == -ENOMEM ? ERR_MEM : ERR_IF;
}

static err_t if_init(struct netif *nif)
{
	struct uk_lwip_if *i = nif->state;
	struct uk_netdev *dev = i->dev;

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->mtu = dev->mtu;
	nif->hwaddr_len = ETH_HWADDR_LEN;
	for (int k = 0; k < ETH_HWADDR_LEN; k++)
		nif->hwaddr[k] = dev->mac[k];
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
		     NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
	nif->output = etharp_output;
#if LWIP_IPV6
	nif->output_ip6 = ethip6_output;
#endif
	nif->linkoutput = linkoutput;
#if LWIP_NETIF_HOSTNAME
	nif->hostname = CONFIG_UK_APPNAME;
#endif
	return ERR_OK;
}

int uk_lwip_if_add(struct uk_lwip_if *i, struct uk_netdev *dev)
{
	i->dev = dev;
#if !NO_SYS
	i->rx_msg = tcpip_callbackmsg_new(rx_drain_msg, i);
	if (!i->rx_msg)
		return -ENOMEM;
#endif
	if (!netif_add(&i->nif, NULL, NULL, NULL, i, if_init, ethernet_input))
		return -EINVAL;
	netif_set_up(&i->nif);
	link_update(i);
	return 0;
}
