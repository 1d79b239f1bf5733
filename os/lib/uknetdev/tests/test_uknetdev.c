/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * In-guest tests of uknetdev without hardware: netbuf helpers, and the
 * registry and event dispatch over a fake device that loops TX back to RX
 * (registered only by the case that needs it, so it is en<N> after any
 * real NIC). Device tests with virtio-net are in drivers/virtio-net/tests.
 */
#include <uk/netdev.h>
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/string.h>
#include <uk/test.h>

UK_TESTCASE(uknetdev, netbuf_alloc_headroom_and_free)
{
	struct uk_alloc *a = uk_alloc_get_default();
	size_t before = uk_alloc_availmem(a);
	struct uk_netbuf *nb = uk_netbuf_alloc(a, 256, 32);

	UK_TEST_ASSERT(nb != NULL);
	UK_TEST_EXPECT_EQ((char *)nb->data - (char *)nb->buf, 32);
	UK_TEST_EXPECT_EQ(nb->size, 256);
	UK_TEST_EXPECT_EQ(nb->len, 0);
	UK_TEST_EXPECT(nb->next == NULL && nb->flags == 0);
	uk_netbuf_free(nb);
	UK_TEST_EXPECT_EQ(uk_alloc_availmem(a), before);
	UK_TEST_EXPECT(uk_netbuf_alloc(a, 16, 17) == NULL);
	uk_netbuf_free(NULL);
}

static unsigned freed;
static void count_free(struct uk_netbuf *nb __unused)
{
	freed++;
}

UK_TESTCASE(uknetdev, chain_len_copy_out_and_free_each)
{
	char s1[] = "abcd", s2[] = "efg", s3[] = "hijklm", out[16];
	struct uk_netbuf a, b, c;

	uk_netbuf_init(&a, s1, 4, 0, count_free, NULL);
	uk_netbuf_init(&b, s2, 3, 0, count_free, NULL);
	uk_netbuf_init(&c, s3, 6, 0, count_free, NULL);
	a.len = 4; b.len = 3; c.len = 6;
	a.next = &b; b.next = &c;
	UK_TEST_EXPECT_EQ(uk_netbuf_chain_len(&a), 13);
	UK_TEST_EXPECT_EQ(uk_netbuf_chain_count(&a), 3);
	UK_TEST_EXPECT_EQ(uk_netbuf_copy_out(&a, 2, out, 8), 8);
	UK_TEST_EXPECT(uk_strncmp(out, "cdefghij", 8) == 0);
	/* past the end: only what is there */
	UK_TEST_EXPECT_EQ(uk_netbuf_copy_out(&a, 10, out, 8), 3);
	UK_TEST_EXPECT(uk_strncmp(out, "klm", 3) == 0);
	UK_TEST_EXPECT_EQ(uk_netbuf_copy_out(&a, 13, out, 8), 0);
	freed = 0;
	uk_netbuf_free(&a);
	UK_TEST_EXPECT_EQ(freed, 3);
	UK_TEST_EXPECT(a.next == NULL && b.next == NULL);
}

/* A loop-back device: tx copies into a one-frame slot, rx hands it out. */
struct loopdev {
	struct uk_netdev dev;
	struct uk_netbuf slot;
	char buf[1514];
	bool full, armed;
};

static int loop_rx(struct uk_netdev *dev, struct uk_netbuf **nb)
{
	struct loopdev *l = (struct loopdev *)dev;

	if (!l->full)
		return -EAGAIN;
	l->full = false;
	*nb = &l->slot;
	dev->stats.rx_frames++;
	return 0;
}

static int loop_tx(struct uk_netdev *dev, const struct uk_netbuf *f)
{
	struct loopdev *l = (struct loopdev *)dev;
	uint32_t len = uk_netbuf_chain_len(f);

	if (l->full) {
		dev->stats.tx_full++;
		return -EAGAIN;
	}
	if (len > sizeof(l->buf))
		return -EMSGSIZE;
	uk_netbuf_init(&l->slot, l->buf, sizeof(l->buf), 0, NULL, NULL);
	l->slot.len = uk_netbuf_copy_out(f, 0, l->buf, len);
	l->full = true;
	dev->stats.tx_frames++;
	if (l->armed) {
		l->armed = false;
		uk_netdev_rx_event(dev);
	}
	return 0;
}

static bool loop_intr_enable(struct uk_netdev *dev)
{
	struct loopdev *l = (struct loopdev *)dev;

	l->armed = true;
	return l->full;
}

static void loop_intr_disable(struct uk_netdev *dev)
{
	((struct loopdev *)dev)->armed = false;
}

static const struct uk_netdev_ops loop_ops = {
	.rx = loop_rx, .tx = loop_tx,
	.rx_intr_enable = loop_intr_enable, .rx_intr_disable = loop_intr_disable,
};

static struct loopdev loop = {
	.dev = { .mac = { 0x02, 0, 0, 0, 0xab, 0x0c }, .mtu = 1500, .link_up = true,
		 .ops = &loop_ops },
};

static unsigned rx_events;
static void on_rx(struct uk_netdev *dev __unused, void *arg)
{
	rx_events += (unsigned)(uintptr_t)arg;
}

UK_TESTCASE(uknetdev, registry_names_and_dispatch)
{
	unsigned n = uk_netdev_count();
	struct uk_netdev bad = { .mtu = 1500 };
	struct uk_netbuf frame, *got;
	char data[60] = "hello", mac[18];

	UK_TEST_EXPECT_EQ(uk_netdev_register(&bad), -EINVAL);
	UK_TEST_ASSERT(uk_netdev_register(&loop.dev) == 0);
	UK_TEST_EXPECT_EQ(uk_netdev_register(&loop.dev), -EEXIST);
	UK_TEST_EXPECT_EQ(uk_netdev_count(), n + 1);
	UK_TEST_EXPECT(uk_netdev_get(n) == &loop.dev);
	UK_TEST_EXPECT(uk_netdev_get(n + 1) == NULL);
	UK_TEST_EXPECT_EQ(loop.dev.index, n);
	UK_TEST_EXPECT(loop.dev.name[0] == 'e' && loop.dev.name[1] == 'n' &&
		       loop.dev.name[2] == (char)('0' + n));
	UK_TEST_EXPECT(uk_netdev_find(loop.dev.name) == &loop.dev);
	UK_TEST_EXPECT(uk_netdev_find("en99") == NULL);
	uk_netdev_mac_str(&loop.dev, mac);
	UK_TEST_EXPECT(uk_streq(mac, "02:00:00:00:ab:0c"));

	/* polling: no callback, nothing pending, then one frame */
	UK_TEST_EXPECT(!uk_netdev_poll(&loop.dev));
	uk_netbuf_init(&frame, data, sizeof(data), 0, NULL, NULL);
	frame.len = sizeof(data);
	UK_TEST_EXPECT_EQ(uk_netdev_tx(&loop.dev, &frame), 0);
	UK_TEST_EXPECT(!loop.armed);
	UK_TEST_EXPECT_EQ(uk_netdev_tx(&loop.dev, &frame), -EAGAIN);
	UK_TEST_EXPECT(uk_netdev_poll(&loop.dev));
	UK_TEST_ASSERT(uk_netdev_rx(&loop.dev, &got) == 0);
	UK_TEST_EXPECT_EQ(got->len, sizeof(data));
	UK_TEST_EXPECT(uk_strncmp(got->data, "hello", 6) == 0);
	uk_netbuf_free(got);
	UK_TEST_EXPECT_EQ(uk_netdev_rx(&loop.dev, &got), -EAGAIN);

	/* callback: a pending frame is told at once, interrupt left off */
	rx_events = 0;
	UK_TEST_EXPECT_EQ(uk_netdev_tx(&loop.dev, &frame), 0);
	uk_netdev_set_rx_cb(&loop.dev, on_rx, (void *)1);
	UK_TEST_EXPECT_EQ(rx_events, 1);
	UK_TEST_EXPECT(!loop.armed);
	UK_TEST_EXPECT_EQ(uk_netdev_rx(&loop.dev, &got), 0);
	UK_TEST_EXPECT(!uk_netdev_rx_intr_enable(&loop.dev));
	UK_TEST_EXPECT_EQ(uk_netdev_tx(&loop.dev, &frame), 0);
	UK_TEST_EXPECT_EQ(rx_events, 2);
	uk_netdev_set_rx_cb(&loop.dev, NULL, NULL);
	UK_TEST_EXPECT(!loop.armed);
	UK_TEST_EXPECT_EQ(uk_netdev_rx(&loop.dev, &got), 0);
	UK_TEST_EXPECT_EQ(loop.dev.stats.tx_frames, 3);
	UK_TEST_EXPECT_EQ(loop.dev.stats.rx_frames, 3);
}
