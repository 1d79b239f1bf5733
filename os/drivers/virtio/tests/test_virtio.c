/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of the virtio core over whichever transport the image has
 * (virtio-pci on pc, virtio-mmio on microvm and arm64 virt), with a small
 * test driver for virtio-net devices (LIBVIRTIO_TESTS, only without the
 * real virtio-net driver, which owns device type 1 otherwise). The host
 * side (tests/boot/test_virtio.py) boots with a virtio-net device and a
 * user-mode network, and compares the line
 *
 *   UK-VIRTIO dev=<name> type=1 modern=<0|1> polling=<0|1> mac=<mac> features=<hex> offered=<hex>
 *
 * with what it put on the QEMU command line. The cases: the device was
 * probed with the negotiated features inside what both sides offered
 * (VERSION_1 exactly on modern devices); the registry's errors; a frame
 * sent on the transmit queue comes back used (by interrupt, or by polling
 * in polling mode); receive buffers come back with a frame (QEMU's user
 * network answers the ARP request for 10.0.2.2 we send).
 */
#include <stdio.h>
#include <uk/errno.h>
#include <uk/plat.h>
#include <uk/test.h>
#include <uk/init.h>
#include <uk/virtio_transport.h>

#define NET_F_MAC     5
#define NET_F_STATUS  16
#define RX_BUFS       8
#define BUF_LEN       2048

static struct uk_virtio_dev *tdev;
static struct uk_virtq *rxq, *txq;
static int probes;
static unsigned int rx_free_after_probe;
static volatile unsigned int rx_cb, tx_cb;
static uint8_t mac[6];
static uint8_t rxbuf[RX_BUFS][BUF_LEN] __align(64);
static uint8_t txbuf[BUF_LEN] __align(64);

static void on_rx(struct uk_virtq *vq __unused, void *arg __unused)
{
	rx_cb++;
	uk_virtq_intr_disable(vq);
}

static void on_tx(struct uk_virtq *vq __unused, void *arg __unused)
{
	tx_cb++;
	uk_virtq_intr_disable(vq);
}

static int test_probe(struct uk_virtio_dev *dev)
{
	unsigned int i;

	probes++;
	if (tdev)
		return -EBUSY;          /* one device is enough */
	tdev = dev;
	uk_virtio_config_read(dev, 0, mac, 6);
	rxq = uk_virtio_vq_setup(dev, 0, 0, on_rx, NULL);
	txq = uk_virtio_vq_setup(dev, 1, 0, on_tx, NULL);
	if (!rxq || !txq)
		return uk_virtio_err(dev);
	for (i = 0; i < RX_BUFS; i++) {
		struct uk_sg sg = { (uintptr_t)rxbuf[i], BUF_LEN };

		if (uk_virtq_add(rxq, &sg, 0, 1, rxbuf[i]) < 0)
			return -EIO;
	}
	uk_virtq_kick(rxq);
	rx_free_after_probe = uk_virtq_free(rxq);
	return uk_virtio_driver_ok(dev);
}

static struct uk_virtio_driver test_drv = {
	.name = "virtio-net-test",
	.device_id = UK_VIRTIO_ID_NET,
	.features = UK_VIRTIO_BIT(NET_F_MAC) | UK_VIRTIO_BIT(NET_F_STATUS),
	.probe = test_probe,
};

static int test_register(void)
{
	return uk_virtio_driver_register(&test_drv);
}
uk_initcall(test_register, UK_INIT_CLASS_PLAT, 2);

/* The virtio-net header: 10 bytes on a legacy device without mergeable
 * buffers, 12 on a modern one (num_buffers is always there). */
static unsigned int net_hdr_len(void)
{
	return uk_virtio_is_modern(tdev) ? 12 : 10;
}

/* Waits up to ~2 s for *counter to move past `from`, with interrupts on
 * (or polling q in polling mode). */
static bool wait_for(volatile unsigned int *counter, unsigned int from,
		     struct uk_virtq *q)
{
	uint64_t t0 = ukplat_clock_ticks(), lim = 2 * ukplat_clock_freq();
	bool intr = !uk_virtio_polling(tdev);

	uk_virtq_intr_enable(q);
	if (intr)
		ukplat_lcpu_enable_irq();
	while (*counter == from && ukplat_clock_ticks() - t0 < lim)
		if (!intr)
			uk_virtq_poll(q);
	ukplat_lcpu_disable_irq();
	return *counter != from;
}

UK_TESTCASE(virtio, net_device_probed_and_negotiated)
{
	uint64_t f, offered;

	UK_TEST_ASSERT(tdev != NULL);
	UK_TEST_EXPECT_EQ(probes, 1);
	UK_TEST_EXPECT_EQ(uk_virtio_err(tdev), 0);
	f = uk_virtio_features(tdev);
	offered = uk_virtio_device_features(tdev);
	UK_TEST_EXPECT_EQ(f & ~offered, 0);
	UK_TEST_EXPECT_EQ(f & ~(test_drv.features
				| UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1)), 0);
	UK_TEST_EXPECT(uk_virtio_has(tdev, NET_F_MAC));
	UK_TEST_EXPECT_EQ(uk_virtio_has(tdev, UK_VIRTIO_F_VERSION_1),
			  uk_virtio_is_modern(tdev));
	UK_TEST_EXPECT(uk_virtq_size(rxq) >= RX_BUFS);
	UK_TEST_EXPECT_EQ(rx_free_after_probe, uk_virtq_size(rxq) - RX_BUFS);
	printf("UK-VIRTIO dev=%s type=%u modern=%d polling=%d "
	       "mac=%02x:%02x:%02x:%02x:%02x:%02x features=%#llx offered=%#llx\n",
	       tdev->name, tdev->device_id, uk_virtio_is_modern(tdev),
	       uk_virtio_polling(tdev), mac[0], mac[1], mac[2], mac[3],
	       mac[4], mac[5], (unsigned long long)f,
	       (unsigned long long)offered);
}

UK_TESTCASE(virtio, registry_errors)
{
	static struct uk_virtio_driver dup = { "dup", UK_VIRTIO_ID_NET, 0,
					       test_probe, NULL };
	static struct uk_virtio_driver bad = { "bad", 0, 0, test_probe, NULL };

	UK_TEST_EXPECT_EQ(uk_virtio_driver_register(&dup), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_virtio_driver_register(&bad), -EINVAL);
	UK_TEST_EXPECT(uk_virtio_driver_find(UK_VIRTIO_ID_NET) == &test_drv);
	UK_TEST_EXPECT(uk_virtio_driver_find(UK_VIRTIO_ID_BLOCK) == NULL);
}

UK_TESTCASE(virtio, add_rejects_bad_chains)
{
	struct uk_sg sg[2] = { { (uintptr_t)txbuf, 0 }, { (uintptr_t)txbuf, 64 } };
	unsigned int free;

	UK_TEST_ASSERT(txq != NULL);
	free = uk_virtq_free(txq);
	UK_TEST_EXPECT_EQ(uk_virtq_add(txq, sg, 1, 0, txbuf), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_virtq_add(txq, sg + 1, 1, 0, NULL), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_virtq_add(txq, sg + 1, 0, 0, txbuf), -EINVAL);
	UK_TEST_EXPECT_EQ(uk_virtq_free(txq), free);
	UK_TEST_EXPECT(uk_virtq_get(txq, NULL) == NULL);
}

/* An ARP request for 10.0.2.2 from 10.0.2.15 (QEMU's user network). */
static unsigned int arp_request(uint8_t *p)
{
	static const uint8_t tail[] = {
		0x08, 0x06,             /* ARP */
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,   /* Ethernet/IPv4, request */
	};
	unsigned int i, n = 0;

	for (i = 0; i < 6; i++)
		p[n++] = 0xff;
	for (i = 0; i < 6; i++)
		p[n++] = mac[i];
	for (i = 0; i < sizeof(tail); i++)
		p[n++] = tail[i];
	for (i = 0; i < 6; i++)
		p[n++] = mac[i];
	p[n++] = 10; p[n++] = 0; p[n++] = 2; p[n++] = 15;
	for (i = 0; i < 6; i++)
		p[n++] = 0;
	p[n++] = 10; p[n++] = 0; p[n++] = 2; p[n++] = 2;
	while (n < 60)
		p[n++] = 0;
	return n;
}

UK_TESTCASE(virtio, tx_used_and_rx_frame)
{
	unsigned int hl, n, tx0, rx0, i;
	struct uk_sg sg[2];
	uint32_t len = 0xdead;
	uint8_t *got;
	bool arp_reply = false;

	UK_TEST_ASSERT(txq != NULL && rxq != NULL);
	hl = net_hdr_len();
	for (i = 0; i < hl; i++)
		txbuf[i] = 0;
	n = arp_request(txbuf + hl);
	sg[0] = (struct uk_sg){ (uintptr_t)txbuf, hl };
	sg[1] = (struct uk_sg){ (uintptr_t)txbuf + hl, n };
	tx0 = tx_cb;
	rx0 = rx_cb;
	UK_TEST_ASSERT(uk_virtq_add(txq, sg, 2, 0, txbuf) == 0);
	uk_virtq_kick(txq);
	UK_TEST_EXPECT(wait_for(&tx_cb, tx0, txq));
	UK_TEST_EXPECT(uk_virtq_get(txq, &len) == txbuf);
	UK_TEST_EXPECT_EQ(len, 0);              /* nothing device-writable */
	UK_TEST_EXPECT(uk_virtq_get(txq, &len) == NULL);

	UK_TEST_EXPECT(wait_for(&rx_cb, rx0, rxq));
	while ((got = uk_virtq_get(rxq, &len))) {
		UK_TEST_EXPECT(got >= rxbuf[0] && got <= rxbuf[RX_BUFS - 1]);
		UK_TEST_EXPECT(len > hl && len <= BUF_LEN);
		if (len >= hl + 42 && got[hl + 12] == 0x08 && got[hl + 13] == 0x06
		    && got[hl + 21] == 2 && got[hl + 28] == 10 && got[hl + 31] == 2)
			arp_reply = true;
	}
	UK_TEST_EXPECT(arp_reply);
	UK_TEST_EXPECT(!uk_virtq_broken(rxq) && !uk_virtq_broken(txq));
	UK_TEST_EXPECT_EQ(uk_virtio_err(tdev), 0);
}
