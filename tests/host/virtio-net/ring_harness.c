/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for os/drivers/virtio-net/rx.c and tx.c
 * (tests/host/test_virtio_net_rings.py): the driver's RX and TX paths
 * against a scripted device. The virtqueues, the allocator and the
 * interrupt mask are fakes here; rx.c, tx.c, hdr.c and uknetdev's
 * netbuf.c/netdev.c are the real files.
 *
 *   ring_harness good MRG BUFSIZE NBUFS FRAMELEN...
 *       a correct device sends each frame (header + counter pattern);
 *       prints "frame len=<n> bufs=<k> ok=<0|1>" per frame received,
 *       then "stats rx=.. errors=.. drops=.. posted=.. bufs=.."
 *   ring_harness txburst N
 *       one frame, then N frames in flight at once, all reclaimed:
 *       prints the allocations in use, idle, before and after the burst
 *   ring_harness fuzz SEED ROUNDS
 *       a device that writes random headers, buffer counts and lengths
 *       (only what the core's bounds checks let through: lengths up to a
 *       buffer's size); checks every invariant, prints the stats. Any
 *       broken invariant aborts (and ASan/UBSan catch memory errors).
 *   ring_harness tx
 *       the TX queue filling up (-EAGAIN, the TX-ready callback once,
 *       buffers reused), chains copied behind the header, partial
 *       checksums completed in software; prints one line per step.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/virtio.h>
#include "vnet.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant broken: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

/* ---- fakes ----------------------------------------------------------- */

#define QMAX 4096
struct uk_virtq {
	void *avail[QMAX];
	unsigned ah, at;                 /* FIFO: what the driver posted */
	struct { void *c; uint32_t len; } used[QMAX];
	unsigned uh, ut;                 /* FIFO: what the device used */
	struct uk_sg sg[QMAX];           /* TX: what was posted */
	unsigned kicks, size;
	bool armed;
};
static struct uk_virtq rxq, txq;
static unsigned live_allocs;

struct uk_alloc *uk_alloc_get_default(void) { return (struct uk_alloc *)&live_allocs; }
void *uk_malloc(struct uk_alloc *a, size_t n) { (void)a; live_allocs++; return malloc(n); }
void uk_free(struct uk_alloc *a, void *p) { (void)a; if (p) live_allocs--; free(p); }
unsigned long ukplat_lcpu_save_irqf(void) { return 0; }
void ukplat_lcpu_restore_irqf(unsigned long f) { (void)f; }
bool uk_virtio_polling(struct uk_virtio_dev *d) { (void)d; return false; }

static unsigned q_count(unsigned h, unsigned t) { return t - h; }

int uk_virtq_add(struct uk_virtq *vq, const struct uk_sg *sg, unsigned nout, unsigned nin,
		 void *cookie)
{
	struct uk_netbuf *nb = cookie;

	CHECK(cookie && q_count(vq->ah, vq->at) < QMAX);
	if (vq == &txq) {
		CHECK(nout == 1 && nin == 0);
		if (q_count(vq->ah, vq->at) + q_count(vq->uh, vq->ut) >= vq->size)
			return -ENOSPC;
		vq->sg[vq->at % QMAX] = *sg;
		vq->avail[vq->at++ % QMAX] = cookie;
		return 0;
	}
	CHECK(nout == 0 && nin == 1);
	CHECK(sg->addr == (uint64_t)(uintptr_t)nb->buf && sg->len == nb->size);
	vq->avail[vq->at++ % QMAX] = cookie;
	return 0;
}
void uk_virtq_kick(struct uk_virtq *vq) { vq->kicks++; }
void *uk_virtq_get(struct uk_virtq *vq, uint32_t *len)
{
	void *c;

	if (vq->uh == vq->ut)
		return NULL;
	c = vq->used[vq->uh % QMAX].c;
	*len = vq->used[vq->uh % QMAX].len;
	vq->uh++;
	return c;
}
bool uk_virtq_pending(struct uk_virtq *vq) { return vq->uh != vq->ut; }
bool uk_virtq_intr_enable(struct uk_virtq *vq) { vq->armed = true; return uk_virtq_pending(vq); }
void uk_virtq_intr_disable(struct uk_virtq *vq) { vq->armed = false; }
bool uk_virtq_broken(struct uk_virtq *vq) { (void)vq; return false; }

/* The device side: takes the next posted buffer, or NULL. */
static struct uk_netbuf *dev_take(void)
{
	if (rxq.ah == rxq.at)
		return NULL;
	return rxq.avail[rxq.ah++ % QMAX];
}

static void dev_use(struct uk_netbuf *nb, uint32_t len)
{
	CHECK(len <= nb->size);            /* the core's bounds check */
	rxq.used[rxq.ut % QMAX].c = nb;
	rxq.used[rxq.ut % QMAX].len = len;
	rxq.ut++;
}

/* ---- set-up ---------------------------------------------------------- */

static struct vnet v;

static void setup(bool mrg, uint32_t bufsize, unsigned nbufs)
{
	memset(&v, 0, sizeof(v));
	v.rxq = &rxq;
	v.mrg = mrg;
	v.hdr_len = 12;
	v.nd.mtu = 1500;
	v.frame_max = VNET_FRAME_MAX(1500);
	v.rxbuf_size = bufsize;
	v.rx_bufs = nbufs;
	CHECK(vnet_rx_setup(&v) == 0);
	CHECK(v.rx_bufs == nbufs && v.rx_posted == nbufs);
}

static unsigned chain_count(struct uk_netbuf *nb)
{
	return uk_netbuf_chain_count(nb);
}

/* Every buffer is in exactly one place: posted, used (not yet taken by
 * the driver), in the driver's partial frame, or held by the caller. */
static void check_accounting(unsigned held)
{
	unsigned posted = q_count(rxq.ah, rxq.at), used = q_count(rxq.uh, rxq.ut);

	CHECK(posted == v.rx_posted - used);
	CHECK(posted + used + chain_count(v.rx_head) + held == v.rx_bufs);
	CHECK(live_allocs == v.rx_bufs);
}

/* ---- good: a correct device ------------------------------------------ */

static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 13 + 5); }

static int good(int argc, char **argv)
{
	bool mrg = atoi(argv[2]);
	uint32_t bufsize = (uint32_t)atoi(argv[3]);
	unsigned nbufs = (unsigned)atoi(argv[4]);

	setup(mrg, bufsize, nbufs);
	for (int a = 5; a < argc; a++) {
		uint32_t flen = (uint32_t)atoi(argv[a]), off = 0, total = v.hdr_len + flen;
		struct uk_netbuf *bufs[64], *got;
		unsigned n = 0;
		bool ok = true;

		/* fill buffers as QEMU does: each one full before the next */
		while (off < total) {
			struct uk_netbuf *nb = dev_take();
			uint32_t room, take;

			CHECK(nb && n < 64);
			room = nb->size;
			take = total - off < room ? total - off : room;
			for (uint32_t i = 0; i < take; i++) {
				uint32_t pos = off + i;

				((uint8_t *)nb->buf)[i] = pos < v.hdr_len ? 0 : pattern(pos - v.hdr_len);
			}
			bufs[n++] = nb;
			off += take;
			if (!mrg)
				break;               /* one buffer or nothing */
		}
		if (off < total) {
			/* a frame that fits no buffer: the device drops it */
			printf("frame len=%u dropped-by-device\n", flen);
			rxq.ah--;                    /* not used: back to posted */
			continue;
		}
		((struct vnet_hdr *)bufs[0]->buf)->num_buffers = (uint16_t)n;
		for (unsigned i = 0; i < n; i++)
			dev_use(bufs[i], i + 1 < n ? bufs[i]->size : total - (n - 1) * bufs[0]->size);
		check_accounting(0);
		if (vnet_rx(&v.nd, &got) < 0) {
			printf("frame len=%u none\n", flen);
			check_accounting(0);
			continue;
		}
		check_accounting(chain_count(got));
		for (uint32_t i = 0; i < uk_netbuf_chain_len(got); i++) {
			uint8_t b;

			uk_netbuf_copy_out(got, i, &b, 1);
			ok &= b == pattern(i);
		}
		printf("frame len=%u bufs=%u ok=%d\n", uk_netbuf_chain_len(got), chain_count(got), ok);
		uk_netbuf_free(got);
		check_accounting(0);
	}
	printf("stats rx=%llu errors=%llu drops=%llu posted=%u bufs=%u\n",
	       (unsigned long long)v.nd.stats.rx_frames, (unsigned long long)v.nd.stats.rx_errors,
	       (unsigned long long)v.nd.stats.rx_drops, v.rx_posted, v.rx_bufs);
	return 0;
}

/* ---- tx: a device that is slow to send -------------------------------- */

static unsigned tx_events;
static void on_tx(struct uk_netdev *d, void *arg) { (void)d; (void)arg; tx_events++; }

/* The device sends the oldest posted frame; prints it. */
static void dev_send(void)
{
	struct uk_sg sg;
	void *c;

	CHECK(txq.ah != txq.at);
	sg = txq.sg[txq.ah % QMAX];
	c = txq.avail[txq.ah++ % QMAX];
	printf("sent len=%u hdr_flags=%u start=%u off=%u data=", sg.len - v.hdr_len,
	       ((uint8_t *)(uintptr_t)sg.addr)[0],
	       ((struct vnet_hdr *)(uintptr_t)sg.addr)->csum_start,
	       ((struct vnet_hdr *)(uintptr_t)sg.addr)->csum_offset);
	for (uint32_t i = v.hdr_len; i < sg.len && i < v.hdr_len + 48; i++)
		printf("%02x", ((uint8_t *)(uintptr_t)sg.addr)[i]);
	printf("\n");
	txq.used[txq.ut % QMAX].c = c;
	txq.used[txq.ut % QMAX].len = 0;
	txq.ut++;
	if (txq.armed)
		vnet_tx_used(&txq, &v);      /* the interrupt */
}

static int tx_test(void)
{
	static uint8_t a[40], b[20];
	struct uk_netbuf fa, fb;
	int rc;

	memset(&v, 0, sizeof(v));
	v.txq = &txq;
	txq.size = 2;
	v.hdr_len = 12;
	v.nd.mtu = 1500;
	v.frame_max = VNET_FRAME_MAX(1500);
	v.tx_bufs = 2;
	CHECK(vnet_tx_setup(&v) == 0 && v.tx_bufs == 2 && live_allocs == 2);
	v.nd.tx_cb = on_tx;
	for (unsigned i = 0; i < sizeof(a); i++)
		a[i] = (uint8_t)i;
	for (unsigned i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)(0x80 + i);
	uk_netbuf_init(&fa, a, sizeof(a), 0, NULL, NULL);
	uk_netbuf_init(&fb, b, sizeof(b), 0, NULL, NULL);
	fa.len = sizeof(a);
	fb.len = sizeof(b);
	fa.next = &fb;                       /* one 60-byte frame in two parts */

	printf("tx1 rc=%d\n", vnet_tx(&v.nd, &fa));
	printf("tx2 rc=%d\n", vnet_tx(&v.nd, &fa));
	rc = vnet_tx(&v.nd, &fa);
	printf("tx3 rc=%d armed=%d full=%llu allocs=%u\n", rc, txq.armed,
	       (unsigned long long)v.nd.stats.tx_full, live_allocs);
	dev_send();
	printf("events=%u armed=%d\n", tx_events, txq.armed);
	dev_send();
	printf("events=%u\n", tx_events);
	/* partial checksum: no device offload, so completed in software;
	 * the field (bytes 36-37 of the frame) holds a seed sum of 0 */
	fa.flags = UK_NETBUF_F_CSUM_PARTIAL;
	fa.csum_start = 34;
	fa.csum_offset = 2;
	a[36] = a[37] = 0;
	printf("tx4 rc=%d allocs=%u\n", vnet_tx(&v.nd, &fa), live_allocs);
	dev_send();
	/* with the device's offload: the header says NEEDS_CSUM */
	v.csum = true;
	printf("tx5 rc=%d\n", vnet_tx(&v.nd, &fa));
	dev_send();
	printf("stats tx=%llu bytes=%llu full=%llu drops=%llu\n",
	       (unsigned long long)v.nd.stats.tx_frames, (unsigned long long)v.nd.stats.tx_bytes,
	       (unsigned long long)v.nd.stats.tx_full, (unsigned long long)v.nd.stats.tx_drops);
	return 0;
}

/* ---- txburst: memory in use does not depend on past bursts ---------- */

/* One frame, then a burst of BURST frames in flight at once, each time
 * sent by the device and reclaimed: the driver's allocations in use,
 * idle, must be the same after the burst as before it (the boot flood
 * test saw them grow for good). Prints "idle allocs before=.. after=..
 * bufs=..". */
static int txburst_test(unsigned burst)
{
	static uint8_t a[60];
	struct uk_netbuf fa;
	unsigned before;

	memset(&v, 0, sizeof(v));
	v.txq = &txq;
	txq.size = 64;
	v.hdr_len = 12;
	v.nd.mtu = 1500;
	v.frame_max = VNET_FRAME_MAX(1500);
	v.tx_bufs = 64;
	CHECK(vnet_tx_setup(&v) == 0);
	uk_netbuf_init(&fa, a, sizeof(a), 0, NULL, NULL);
	fa.len = sizeof(a);
	CHECK(vnet_tx(&v.nd, &fa) == 0);
	dev_send();
	vnet_tx_reclaim(&v);
	before = live_allocs;
	for (unsigned i = 0; i < burst; i++)
		CHECK(vnet_tx(&v.nd, &fa) == 0);
	for (unsigned i = 0; i < burst; i++)
		dev_send();
	vnet_tx_reclaim(&v);
	CHECK(v.tx_inflight == 0);
	printf("idle allocs before=%u after=%u bufs=%u\n", before, live_allocs, v.tx_bufs);
	return 0;
}

/* ---- fuzz: a device that gets everything wrong ----------------------- */

static uint64_t rng;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static struct uk_netbuf *held[512];
static unsigned nheld;

static unsigned held_bufs(void)
{
	unsigned n = 0;

	for (unsigned i = 0; i < nheld; i++)
		n += chain_count(held[i]);
	return n;
}

static int fuzz(char **argv)
{
	unsigned rounds = (unsigned)atoi(argv[3]);

	rng = strtoull(argv[2], NULL, 0) * 2654435761u + 1;
	setup(rnd(2), 256 + rnd(3) * 512, 8 + rnd(56));
	v.guest_csum = rnd(2);
	for (unsigned r = 0; r < rounds; r++) {
		unsigned k = rnd(5), i;
		struct uk_netbuf *got;

		/* the device uses up to k buffers with arbitrary contents */
		for (i = 0; i < k; i++) {
			struct uk_netbuf *nb = dev_take();
			struct vnet_hdr *h;
			uint32_t len;

			if (!nb)
				break;
			h = nb->buf;
			for (uint32_t j = 0; j < 16; j++)
				((uint8_t *)nb->buf)[j] = (uint8_t)rnd(256);
			switch (rnd(4)) {
			case 0: h->num_buffers = (uint16_t)(1 + rnd(4)); h->gso_type = 0; break;
			case 1: h->num_buffers = 1; h->gso_type = 0; h->flags &= 3; break;
			default: break;              /* random header */
			}
			switch (rnd(4)) {
			case 0: len = rnd(16); break;
			case 1: len = nb->size; break;
			default: len = rnd(nb->size + 1); break;
			}
			dev_use(nb, len);
		}
		check_accounting(held_bufs());
		/* the driver takes what it can; the stack holds some frames */
		while (vnet_rx(&v.nd, &got) == 0) {
			uint32_t len = uk_netbuf_chain_len(got);

			CHECK(len >= UK_NETDEV_ETH_HLEN && len <= v.frame_max);
			CHECK(got->data == (char *)got->buf + v.hdr_len);
			CHECK(v.mrg || got->next == NULL);
			for (struct uk_netbuf *b = got; b; b = b->next)
				CHECK((char *)b->data + b->len <= (char *)b->buf + b->size && (b == got || b->len > 0));
			if (got->flags & UK_NETBUF_F_CSUM_PARTIAL)
				CHECK(v.guest_csum &&
				      (uint32_t)got->csum_start + got->csum_offset + 2 <= len);
			if (got->flags & UK_NETBUF_F_DATA_VALID)
				CHECK(v.guest_csum);
			held[nheld++] = got;
			if (nheld == 512 || rnd(3))
				uk_netbuf_free(held[--nheld]);
		}
		check_accounting(held_bufs());
		/* sometimes the stack gives everything back */
		if (rnd(8) == 0)
			while (nheld)
				uk_netbuf_free(held[--nheld]);
	}
	while (nheld)
		uk_netbuf_free(held[--nheld]);
	check_accounting(0);
	printf("stats rx=%llu errors=%llu drops=%llu\n",
	       (unsigned long long)v.nd.stats.rx_frames, (unsigned long long)v.nd.stats.rx_errors,
	       (unsigned long long)v.nd.stats.rx_drops);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "good"))
		return good(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "fuzz"))
		return fuzz(argv);
	if (argc == 2 && !strcmp(argv[1], "tx"))
		return tx_test();
	if (argc == 3 && !strcmp(argv[1], "txburst"))
		return txburst_test((unsigned)atoi(argv[2]));
	fprintf(stderr, "usage: see the file's comment\n");
	return 2;
}
