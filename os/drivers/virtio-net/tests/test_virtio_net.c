/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of virtio-net through uknetdev, with raw frames against
 * QEMU user networking (slirp: gateway 10.0.2.2, DHCP server, answers
 * ARP and pings for its own address). The host side
 * (tests/boot/test_netdev.py) boots with one NIC whose MAC it chose and
 * checks the "UK-NETDEV" line each case prints.
 *
 * Every case works on en0, in polling mode unless it says otherwise, and
 * waits at most WAIT_S seconds for an answer (TCG on a loaded host).
 */
#include <stdio.h>
#include <uk/netdev.h>
#include <uk/errno.h>
#include <uk/plat/irq.h>
#include <uk/plat/time.h>
#include <uk/string.h>
#include <uk/test.h>
#include <uk/virtio.h>
#include "../vnet.h"

#define WAIT_S 20
#define ETH_P_IP  0x0800
#define ETH_P_ARP 0x0806

static const uint8_t GUEST_IP[4] = { 10, 0, 2, 15 };
static const uint8_t SLIRP_IP[4] = { 10, 0, 2, 2 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint8_t frame[2048];      /* the last frame received, linear */
static uint32_t frame_len;
static unsigned frame_bufs;      /* netbufs it came in */
static uint16_t frame_flags;

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)get16(p) << 16 | get16(p + 2); }
static void cpy(void *d, const void *s, unsigned n) { __builtin_memcpy(d, s, n); }
static bool eq(const void *a, const void *b, unsigned n) { return __builtin_memcmp(a, b, n) == 0; }

/* Ones' complement sum of n bytes, added to sum (not folded). */
static uint32_t sum16(const uint8_t *p, uint32_t n, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += get16(p + i);
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The UDP/TCP pseudo-header sum for an IPv4 header at ip. */
static uint32_t pseudo_sum(const uint8_t *ip, uint16_t l4len)
{
	return sum16(ip + 12, 8, 0) + ip[9] + l4len;
}

static struct uk_netdev *en0(void)
{
	return uk_netdev_get(0);
}

static uint64_t deadline(void)
{
	return ukplat_clock_ticks() + WAIT_S * ukplat_clock_freq();
}

static int send(struct uk_netdev *d, uint8_t *buf, uint32_t len, uint16_t flags,
		uint16_t csum_start, uint16_t csum_offset)
{
	struct uk_netbuf nb;
	uint64_t end = deadline();
	int rc;

	uk_netbuf_init(&nb, buf, len, 0, NULL, NULL);
	nb.len = len;
	nb.flags = flags;
	nb.csum_start = csum_start;
	nb.csum_offset = csum_offset;
	do {
		rc = uk_netdev_tx(d, &nb);
		if (rc == -EAGAIN)
			uk_netdev_poll(d);
	} while (rc == -EAGAIN && ukplat_clock_ticks() < end);
	return rc;
}

static void eth_hdr(struct uk_netdev *d, uint8_t *f, const uint8_t *dst, uint16_t type)
{
	cpy(f, dst, 6);
	cpy(f + 6, d->mac, 6);
	put16(f + 12, type);
}

/* An ARP packet: op 1 request (tha zero), 2 reply. */
static uint32_t arp(struct uk_netdev *d, uint8_t *f, uint16_t op, const uint8_t *dst_mac,
		    const uint8_t *tha, const uint8_t *tpa)
{
	static const uint8_t zero[6];

	eth_hdr(d, f, dst_mac, ETH_P_ARP);
	put16(f + 14, 1);
	put16(f + 16, ETH_P_IP);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, op);
	cpy(f + 22, d->mac, 6);
	cpy(f + 28, GUEST_IP, 4);
	cpy(f + 32, tha ? tha : zero, 6);
	cpy(f + 38, tpa, 4);
	__builtin_memset(f + 42, 0, 18);  /* pad to the 60-byte minimum */
	return 60;
}

/* slirp asking for our address: answer so it can send us IP. */
static void answer_arp(struct uk_netdev *d)
{
	uint8_t r[60];

	if (frame_len >= 42 && get16(frame + 12) == ETH_P_ARP && get16(frame + 20) == 1 &&
	    eq(frame + 38, GUEST_IP, 4))
		send(d, r, arp(d, r, 2, frame + 6, frame + 22, frame + 28), 0, 0, 0);
}

/* Receives (polling) until match() accepts a frame or WAIT_S pass; the
 * accepted frame is in frame[]. Answers slirp's ARP requests meanwhile. */
static bool wait_for(struct uk_netdev *d, bool (*match)(struct uk_netdev *d))
{
	uint64_t end = deadline();
	struct uk_netbuf *nb;

	while (ukplat_clock_ticks() < end) {
		uk_netdev_poll(d);
		if (uk_netdev_rx(d, &nb) < 0)
			continue;
		frame_len = uk_netbuf_chain_len(nb);
		frame_bufs = uk_netbuf_chain_count(nb);
		frame_flags = nb->flags;
		if (frame_len > sizeof(frame))
			frame_len = sizeof(frame);
		uk_netbuf_copy_out(nb, 0, frame, frame_len);
		uk_netbuf_free(nb);
		if (match(d))
			return true;
		answer_arp(d);
	}
	return false;
}

static bool is_arp_reply_from_slirp(struct uk_netdev *d)
{
	return frame_len >= 42 && get16(frame + 12) == ETH_P_ARP && get16(frame + 20) == 2 &&
	       eq(frame + 28, SLIRP_IP, 4) && eq(frame + 32, d->mac, 6) && eq(frame, d->mac, 6);
}

static uint8_t slirp_mac[6];

UK_TESTCASE(virtio_net, device_registered_with_the_vms_mac)
{
	struct uk_netdev *d = en0();
	char mac[18];

	UK_TEST_ASSERT(d != NULL);
	uk_netdev_mac_str(d, mac);
	/* en0 is a virtio-net device: its record starts with the netdev */
	printf("UK-NETDEV name=%s mac=%s mtu=%u link=%s features=%s%s%s virtio=%s hdr=%u\n",
	       d->name, mac, d->mtu, d->link_up ? "up" : "down",
	       (d->features & UK_NETDEV_F_MRG_RXBUF) ? "mrg_rxbuf," : "",
	       (d->features & UK_NETDEV_F_RX_CSUM) ? "rx_csum," : "",
	       (d->features & UK_NETDEV_F_TX_CSUM) ? "tx_csum," : "",
	       uk_virtio_is_modern(((struct vnet *)d)->vdev) ? "modern" : "legacy",
	       (unsigned)((struct vnet *)d)->hdr_len);
	UK_TEST_EXPECT(uk_streq(d->name, "en0"));
	UK_TEST_EXPECT(d->link_up);
	UK_TEST_EXPECT(d->mtu >= 68);    /* the host test checks the value */
	UK_TEST_EXPECT(d->features & UK_NETDEV_F_LINK_STATE);
}

UK_TESTCASE(virtio_net, arp_request_for_the_gateway_is_answered)
{
	struct uk_netdev *d = en0();
	uint8_t f[60];
	uint64_t rx0, errors0, drops0;

	UK_TEST_ASSERT(d != NULL);
	rx0 = d->stats.rx_frames;
	errors0 = d->stats.rx_errors;
	drops0 = d->stats.tx_drops;
	UK_TEST_ASSERT(send(d, f, arp(d, f, 1, BCAST, NULL, SLIRP_IP), 0, 0, 0) == 0);
	UK_TEST_ASSERT(wait_for(d, is_arp_reply_from_slirp));
	cpy(slirp_mac, frame + 22, 6);
	printf("UK-NETDEV arp 10.0.2.2 is-at %02x:%02x:%02x:%02x:%02x:%02x\n", slirp_mac[0],
	       slirp_mac[1], slirp_mac[2], slirp_mac[3], slirp_mac[4], slirp_mac[5]);
	UK_TEST_EXPECT(eq(frame + 6, slirp_mac, 6));
	UK_TEST_EXPECT(d->stats.rx_frames > rx0);
	UK_TEST_EXPECT_EQ(d->stats.rx_errors, errors0);
	UK_TEST_EXPECT_EQ(d->stats.tx_drops, drops0);
}

/* The same exchange waiting for the RX callback: interrupts on, no
 * uk_netdev_poll (unless the virtio core itself is in polling mode,
 * where only uk_netdev_poll runs the queues). */
static volatile unsigned rx_calls;
static void on_rx(struct uk_netdev *d __unused, void *arg __unused)
{
	rx_calls++;
}

UK_TESTCASE(virtio_net, rx_callback_fires_in_interrupt_mode)
{
	struct uk_netdev *d = en0();
	struct uk_netbuf *nb;
	uint8_t f[60];
	uint64_t end;
	unsigned round, seen = 0;

	UK_TEST_ASSERT(d != NULL);
	while (uk_netdev_rx(d, &nb) == 0)
		uk_netbuf_free(nb);
	rx_calls = 0;
	uk_netdev_set_rx_cb(d, on_rx, NULL);
	ukplat_lcpu_enable_irq();
	/* several rounds: each needs the interrupt re-armed by the last */
	for (round = 0; round < 4; round++) {
		unsigned calls = rx_calls;
		bool got = false;

		UK_TEST_ASSERT(send(d, f, arp(d, f, 1, BCAST, NULL, SLIRP_IP), 0, 0, 0) == 0);
		end = deadline();
		while (!got && ukplat_clock_ticks() < end) {
#if CONFIG_LIBVIRTIO_POLL
			uk_netdev_poll(d);
#endif
			if (rx_calls == calls)
				continue;
			calls = rx_calls;
			/* drain, then re-arm; true means more came meanwhile */
			do {
				while (uk_netdev_rx(d, &nb) == 0) {
					frame_len = uk_netbuf_copy_out(nb, 0, frame, sizeof(frame));
					uk_netbuf_free(nb);
					got |= is_arp_reply_from_slirp(d);
				}
			} while (uk_netdev_rx_intr_enable(d));
		}
		seen += got;
	}
	uk_netdev_set_rx_cb(d, NULL, NULL);
	UK_TEST_EXPECT_EQ(seen, 4);
	UK_TEST_EXPECT(rx_calls >= 4);
}

/* ---- DHCP ------------------------------------------------------------ */

#define DHCP_XID 0x75666e64u   /* "ufnd" */

static bool is_dhcp_offer(struct uk_netdev *d)
{
	const uint8_t *ip = frame + 14, *udp, *bootp, *opt;
	uint32_t ihl, iplen;

	if (frame_len < 14 + 20 + 8 + 240 || get16(frame + 12) != ETH_P_IP || ip[9] != 17)
		return false;
	ihl = (ip[0] & 0xf) * 4u;
	iplen = get16(ip + 2);
	if (14 + iplen > frame_len)
		return false;
	udp = ip + ihl;
	bootp = udp + 8;
	if (get16(udp + 2) != 68 || bootp[0] != 2 || get32(bootp + 4) != DHCP_XID ||
	    !eq(bootp + 28, d->mac, 6) || get32(bootp + 236) != 0x63825363)
		return false;
	for (opt = bootp + 240; opt + 2 < ip + iplen && *opt != 255; opt += 2 + opt[1])
		if (opt[0] == 53 && opt[1] == 1)
			return opt[2] == 2;    /* DHCPOFFER */
	return false;
}

UK_TESTCASE(virtio_net, dhcp_discover_gets_an_offer)
{
	struct uk_netdev *d = en0();
	static uint8_t f[14 + 20 + 8 + 300];
	uint8_t *ip = f + 14, *udp = ip + 20, *b = udp + 8;
	const uint8_t *rip, *rudp;
	uint16_t udplen = 8 + 300, ihl;
	bool partial;

	UK_TEST_ASSERT(d != NULL);
	__builtin_memset(f, 0, sizeof(f));
	eth_hdr(d, f, BCAST, ETH_P_IP);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + udplen));
	ip[8] = 64;
	ip[9] = 17;
	put32(ip + 16, 0xffffffff);          /* 0.0.0.0 -> broadcast */
	put16(ip + 10, (uint16_t)~fold(sum16(ip, 20, 0)));
	put16(udp, 68);
	put16(udp + 2, 67);
	put16(udp + 4, udplen);
	b[0] = 1;                            /* BOOTREQUEST */
	b[1] = 1;
	b[2] = 6;
	put32(b + 4, DHCP_XID);
	put16(b + 10, 0x8000);               /* answer by broadcast */
	cpy(b + 28, d->mac, 6);
	put32(b + 236, 0x63825363);
	b[240] = 53; b[241] = 1; b[242] = 1; /* DHCPDISCOVER */
	b[243] = 255;
	/* The UDP checksum is left to the device (CSUM_PARTIAL): the field
	 * holds the pseudo-header sum; virtio-net completes it, in software
	 * when the device has no VIRTIO_NET_F_CSUM. slirp drops UDP with a
	 * wrong checksum, so an offer proves it right. */
	put16(udp + 6, fold(pseudo_sum(ip, udplen)));
	UK_TEST_ASSERT(send(d, f, sizeof(f), UK_NETBUF_F_CSUM_PARTIAL, 34, 6) == 0);
	UK_TEST_ASSERT(wait_for(d, is_dhcp_offer));

	rip = frame + 14;
	ihl = (uint16_t)((rip[0] & 0xf) * 4);
	rudp = rip + ihl;
	printf("UK-NETDEV dhcp offer yiaddr=%u.%u.%u.%u from=%u.%u.%u.%u flags=%s\n",
	       rudp[8 + 16], rudp[8 + 17], rudp[8 + 18], rudp[8 + 19],
	       rip[12], rip[13], rip[14], rip[15],
	       (frame_flags & UK_NETBUF_F_DATA_VALID) ? "data_valid" :
	       (frame_flags & UK_NETBUF_F_CSUM_PARTIAL) ? "csum_partial" : "none");
	UK_TEST_EXPECT(eq(rudp + 8 + 16, GUEST_IP, 4));
	UK_TEST_EXPECT_EQ(fold(sum16(rip, ihl, 0)), 0xffff);  /* IP header */
	/* UDP: checked unless the device left it partial (RX_CSUM). */
	partial = frame_flags & UK_NETBUF_F_CSUM_PARTIAL;
	UK_TEST_EXPECT(partial ? (d->features & UK_NETDEV_F_RX_CSUM) != 0 :
		       get16(rudp + 6) == 0 ||
		       fold(sum16(rudp, get16(rudp + 4), pseudo_sum(rip, get16(rudp + 4)))) == 0xffff);
	if (!(d->features & UK_NETDEV_F_RX_CSUM))
		UK_TEST_EXPECT_EQ(frame_flags, 0);
}

/* ---- a frame larger than one RX buffer --------------------------------- */

#define PING_PAYLOAD 1400
#define PING_ID 0x7566

static bool is_echo_reply(struct uk_netdev *d __unused)
{
	const uint8_t *ip = frame + 14;

	return frame_len >= 14 + 20 + 8 && get16(frame + 12) == ETH_P_IP && ip[9] == 1 &&
	       eq(ip + 12, SLIRP_IP, 4) && ip[20] == 0 && get16(ip + 24) == PING_ID;
}

UK_TESTCASE(virtio_net, large_icmp_echo_round_trips)
{
	struct uk_netdev *d = en0();
	static uint8_t f[14 + 20 + 8 + PING_PAYLOAD], a[60];
	uint8_t *ip = f + 14, *icmp = ip + 20;
	const uint8_t *rip;
	uint16_t iplen = 20 + 8 + PING_PAYLOAD;
	uint32_t i, bufdata, expect_bufs;
	bool intact = true;

	UK_TEST_ASSERT(d != NULL);
	/* slirp learns our MAC from our ARP request (and we learn its). */
	UK_TEST_ASSERT(send(d, a, arp(d, a, 1, BCAST, NULL, SLIRP_IP), 0, 0, 0) == 0);
	UK_TEST_ASSERT(wait_for(d, is_arp_reply_from_slirp));
	__builtin_memset(f, 0, sizeof(f));
	eth_hdr(d, f, frame + 22, ETH_P_IP);
	ip[0] = 0x45;
	put16(ip + 2, iplen);
	put16(ip + 6, 0x4000);               /* don't fragment */
	ip[8] = 64;
	ip[9] = 1;
	cpy(ip + 12, GUEST_IP, 4);
	cpy(ip + 16, SLIRP_IP, 4);
	put16(ip + 10, (uint16_t)~fold(sum16(ip, 20, 0)));
	icmp[0] = 8;                         /* echo request */
	put16(icmp + 4, PING_ID);
	put16(icmp + 6, 1);
	for (i = 0; i < PING_PAYLOAD; i++)
		icmp[8 + i] = (uint8_t)(i * 7 + 3);
	put16(icmp + 2, (uint16_t)~fold(sum16(icmp, 8 + PING_PAYLOAD, 0)));
	UK_TEST_ASSERT(send(d, f, sizeof(f), 0, 0, 0) == 0);
	UK_TEST_ASSERT(wait_for(d, is_echo_reply));

	rip = frame + 14;
	UK_TEST_EXPECT_EQ(frame_len, sizeof(f));
	UK_TEST_EXPECT_EQ(fold(sum16(rip + 20, iplen - 20, 0)), 0xffff);
	for (i = 0; i < PING_PAYLOAD; i++)
		intact &= rip[28 + i] == (uint8_t)(i * 7 + 3);
	UK_TEST_EXPECT(intact);
	/* With mergeable buffers the device fills each buffer before the
	 * next: the frame and the header span exactly this many. */
	bufdata = CONFIG_LIBVIRTIO_NET_RXBUF_SIZE - 64;
	expect_bufs = (d->features & UK_NETDEV_F_MRG_RXBUF) ?
		(uint32_t)(12 + sizeof(f) + bufdata - 1) / bufdata : 1;
	printf("UK-NETDEV ping bytes=%u bufs=%u\n", (unsigned)frame_len, frame_bufs);
	UK_TEST_EXPECT_EQ(frame_bufs, expect_bufs);
}

UK_TESTCASE(virtio_net, oversized_and_runt_frames_are_refused)
{
	struct uk_netdev *d = en0();
	static uint8_t f[1600];
	static struct uk_netbuf chain[48];   /* 48 x 1600 > 65535 + 19 */
	uint32_t want, left, i;
	uint64_t drops;

	UK_TEST_ASSERT(d != NULL);
	drops = d->stats.tx_drops;
	eth_hdr(d, f, BCAST, ETH_P_IP);
	/* one byte over MTU + header + VLAN tag, as a chain over f */
	want = VNET_FRAME_MAX(d->mtu) + 1;
	for (i = 0, left = want; left; i++) {
		uk_netbuf_init(&chain[i], f, sizeof(f), 0, NULL, NULL);
		chain[i].len = left < sizeof(f) ? left : sizeof(f);
		chain[i].next = NULL;
		if (i)
			chain[i - 1].next = &chain[i];
		left -= chain[i].len;
	}
	UK_TEST_EXPECT_EQ(uk_netbuf_chain_len(chain), want);
	UK_TEST_EXPECT_EQ(uk_netdev_tx(d, chain), -EMSGSIZE);
	UK_TEST_EXPECT_EQ(send(d, f, 13, 0, 0, 0), -EINVAL);
	/* a partial checksum whose field is past the frame */
	UK_TEST_EXPECT_EQ(send(d, f, 60, UK_NETBUF_F_CSUM_PARTIAL, 40, 19), -EINVAL);
	UK_TEST_EXPECT_EQ(d->stats.tx_drops, drops + 3);
}

#if CONFIG_LIBVIRTIO_NET_TESTS_FLOOD
/* ---- a window of UDP datagrams through slirp to a host echo server ----- */

#include <uk/libparam.h>

/* The host's UDP echo port (on its loopback: 10.0.2.2 from the guest). */
static unsigned int test_udp_port;
UK_LIB_PARAM(test_udp_port, uint);

#define FLOOD_N      3000
#define FLOOD_WINDOW 48
#define FLOOD_LEN    1400
#define FLOOD_SPORT  40000

static uint8_t flood_seen[FLOOD_N];

static uint8_t flood_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 31 + i * 7 + 1);
}

static uint32_t flood_frame(struct uk_netdev *d, uint8_t *f, const uint8_t *dst_mac, uint32_t seq)
{
	uint8_t *ip = f + 14, *udp = ip + 20, *p = udp + 8;
	uint16_t udplen = 8 + FLOOD_LEN;
	uint32_t i;

	eth_hdr(d, f, dst_mac, ETH_P_IP);
	__builtin_memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + udplen));
	put16(ip + 4, (uint16_t)seq);
	ip[8] = 64;
	ip[9] = 17;
	cpy(ip + 12, GUEST_IP, 4);
	cpy(ip + 16, SLIRP_IP, 4);
	put16(ip + 10, (uint16_t)~fold(sum16(ip, 20, 0)));
	put16(udp, FLOOD_SPORT);
	put16(udp + 2, (uint16_t)test_udp_port);
	put16(udp + 4, udplen);
	put32(p, seq);
	for (i = 4; i < FLOOD_LEN; i++)
		p[i] = flood_byte(seq, i);
	/* partial: the driver (or the device) completes it */
	put16(udp + 6, fold(pseudo_sum(ip, udplen)));
	return 14 + 20 + udplen;
}

UK_TESTCASE(virtio_net_flood, udp_window_through_slirp)
{
	struct uk_netdev *d = en0();
	static uint8_t f[14 + 20 + 8 + FLOOD_LEN], a[60], gw[6];
	uint32_t next = 0, got = 0, bad = 0, dups = 0, i;
	uint64_t end, tx0;
	struct uk_netbuf *nb;

	UK_TEST_ASSERT(d != NULL);
	UK_TEST_ASSERT(test_udp_port != 0);    /* virtio-net.test_udp_port= */
	UK_TEST_ASSERT(send(d, a, arp(d, a, 1, BCAST, NULL, SLIRP_IP), 0, 0, 0) == 0);
	UK_TEST_ASSERT(wait_for(d, is_arp_reply_from_slirp));
	cpy(gw, frame + 22, 6);
	tx0 = d->stats.tx_frames;
	end = ukplat_clock_ticks() + 120 * ukplat_clock_freq();
	while (got < FLOOD_N && ukplat_clock_ticks() < end) {
		while (next < FLOOD_N && next - got < FLOOD_WINDOW) {
			uint32_t len = flood_frame(d, f, gw, next);
			struct uk_netbuf fb;
			int rc;

			uk_netbuf_init(&fb, f, len, 0, NULL, NULL);
			fb.len = len;
			fb.flags = UK_NETBUF_F_CSUM_PARTIAL;
			fb.csum_start = 34;
			fb.csum_offset = 6;
			rc = uk_netdev_tx(d, &fb);
			if (rc == -EAGAIN)
				break;
			UK_TEST_ASSERT(rc == 0);
			next++;
		}
		uk_netdev_poll(d);
		while (uk_netdev_rx(d, &nb) == 0) {
			const uint8_t *ip = frame + 14, *udp = ip + 20, *p = udp + 8;
			uint32_t seq;
			bool ok = true;

			frame_len = uk_netbuf_chain_len(nb);
			if (frame_len > sizeof(frame))
				frame_len = sizeof(frame);
			uk_netbuf_copy_out(nb, 0, frame, frame_len);
			uk_netbuf_free(nb);
			if (frame_len < 14 + 20 + 8 || get16(frame + 12) != ETH_P_IP || ip[9] != 17 ||
			    get16(udp + 2) != FLOOD_SPORT) {
				answer_arp(d);
				continue;
			}
			seq = get32(p);
			if (frame_len != sizeof(f) || seq >= FLOOD_N) {
				bad++;
				continue;
			}
			for (i = 4; i < FLOOD_LEN; i++)
				ok &= p[i] == flood_byte(seq, i);
			if (!ok) {
				bad++;
			} else if (flood_seen[seq]) {
				dups++;
			} else {
				flood_seen[seq] = 1;
				got++;
			}
		}
	}
	printf("UK-NETDEV flood sent=%u echoed=%u bad=%u dups=%u tx_full=%llu\n", next, got, bad, dups,
	       (unsigned long long)d->stats.tx_full);
	UK_TEST_EXPECT_EQ(got, FLOOD_N);
	UK_TEST_EXPECT_EQ(bad, 0);
	UK_TEST_EXPECT_EQ(dups, 0);
	UK_TEST_EXPECT_EQ(d->stats.tx_frames - tx0, FLOOD_N);
}
#endif
