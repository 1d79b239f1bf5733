/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev: the network-device API between NIC drivers (virtio-net) and
 * network stacks (lwIP's netif glue, raw-frame tests).
 *
 * A device is one Ethernet interface with one RX and one TX queue. The
 * driver fills a struct uk_netdev (MAC, MTU, offload features, ops) and
 * calls uk_netdev_register() from its probe; the registry names it
 * "en0", "en1", ... in registration order. The stack finds devices with
 * uk_netdev_count()/uk_netdev_get(i) and moves frames:
 *
 *   RX  uk_netdev_rx(dev, &nb)   one frame (a netbuf chain when it spans
 *                                several device buffers), or -EAGAIN;
 *       uk_netbuf_free(nb)       gives the buffers back (the driver
 *                                refills its ring with them).
 *   TX  uk_netdev_tx(dev, frame) the driver copies the frame (a chain is
 *                                allowed); 0, or -EAGAIN when the queue
 *                                is full (retry after the tx callback,
 *                                or drop).
 *
 * Frames are whole Ethernet frames (destination MAC first, no FCS); they
 * never include a device header such as virtio-net's, the driver adds and
 * strips that.
 *
 * Events: without an RX callback the stack polls (uk_netdev_poll +
 * uk_netdev_rx). With one (uk_netdev_set_rx_cb), the callback runs in
 * interrupt context when frames arrive; RX interrupts then stay off until
 * the stack has drained the queue and calls uk_netdev_rx_intr_enable(),
 * which returns true if frames arrived meanwhile (drain again then).
 *
 * Concurrency: uk_netdev_rx, uk_netdev_tx and uk_netdev_poll on one device
 * must be serialised by the caller (the stack's lock or thread).
 * uk_netbuf_free of a driver's RX buffers and the RX interrupt's arming
 * may run from any thread; drivers protect their rings against that and
 * against their interrupt handlers. Buffers from uk_netbuf_alloc follow
 * the allocator's rule: never freed from an interrupt handler.
 *
 * Implementation: lib/uknetdev/netdev.c (registry, dispatch),
 * lib/uknetdev/netbuf.c (buffer helpers).
 */
#ifndef UK_NETDEV_H
#define UK_NETDEV_H

#include <uk/essentials.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct uk_alloc;

#define UK_NETDEV_NAME_MAX 8          /* "en0".."en99", NUL included */
#define UK_NETDEV_ETH_ALEN 6
#define UK_NETDEV_ETH_HLEN 14         /* dst, src, ethertype */
#define UK_NETDEV_MTU_DEFAULT 1500

/* ---- buffers -------------------------------------------------------- */

/* nb->flags (only the first netbuf of a frame carries them) */
#define UK_NETBUF_F_CSUM_PARTIAL 0x1  /* TX: the device completes the
				       * checksum: the 16-bit ones'
				       * complement sum from csum_start
				       * to the end of the frame is stored
				       * at csum_start + csum_offset (the
				       * field holds the pseudo-header sum).
				       * RX: the device left it so (same
				       * meaning); the data is valid. */
#define UK_NETBUF_F_DATA_VALID   0x2  /* RX: the device verified the
				       * transport checksum (the stack may
				       * skip checking it). */

/*
 * One buffer of a frame. data/len is the part in use, inside the owner's
 * storage buf/size (data - buf is the headroom). A frame is a chain
 * linked through next; its length is the sum of the lens.
 *
 * Ownership: whoever holds the first netbuf of a chain owns the chain and
 * must hand it back with uk_netbuf_free() exactly once; each buffer's
 * free() returns it to its owner (the driver for RX buffers, the
 * allocator for uk_netbuf_alloc() buffers). free may be NULL for
 * buffers that need no release (on the stack, static).
 */
struct uk_netbuf {
	void *data;
	uint32_t len;
	struct uk_netbuf *next;
	uint16_t flags;               /* UK_NETBUF_F_* */
	uint16_t csum_start;          /* from the start of the frame */
	uint16_t csum_offset;         /* from csum_start */
	void (*free)(struct uk_netbuf *nb);
	void *buf;                    /* the storage data points into */
	uint32_t size;                /* bytes at buf */
	void *priv;                   /* the owner's (driver or allocator) */
};

/* Sets up nb over size bytes at buf, with data = buf + headroom, len 0,
 * no next, no flags. headroom must be <= size (assert). */
void uk_netbuf_init(struct uk_netbuf *nb, void *buf, uint32_t size,
		    uint32_t headroom, void (*free)(struct uk_netbuf *nb),
		    void *priv);

/* One netbuf and its storage (size bytes, data at headroom) in a single
 * allocation from a (the default allocator if NULL); freed back to it by
 * uk_netbuf_free. NULL when out of memory. */
struct uk_netbuf *uk_netbuf_alloc(struct uk_alloc *a, uint32_t size,
				  uint32_t headroom);

/* Releases every netbuf of the chain (calls each one's free, next is read
 * before). NULL is allowed. */
void uk_netbuf_free(struct uk_netbuf *nb);

/* Sum of the lens of the chain. */
uint32_t uk_netbuf_chain_len(const struct uk_netbuf *nb);

/* Number of netbufs in the chain. */
unsigned uk_netbuf_chain_count(const struct uk_netbuf *nb);

/* Copies up to len bytes of the frame, starting at byte off, to dst;
 * returns how many were copied (less than len when the frame is
 * shorter). */
uint32_t uk_netbuf_copy_out(const struct uk_netbuf *nb, uint32_t off,
			    void *dst, uint32_t len);

/* ---- devices -------------------------------------------------------- */

/* dev->features */
#define UK_NETDEV_F_RX_CSUM    0x1    /* RX frames may carry DATA_VALID or
				       * CSUM_PARTIAL (the device checked
				       * or left the checksum). */
#define UK_NETDEV_F_TX_CSUM    0x2    /* TX frames may carry CSUM_PARTIAL */
#define UK_NETDEV_F_MRG_RXBUF  0x4    /* RX frames may be chains */
#define UK_NETDEV_F_LINK_STATE 0x8    /* link_up follows the device; else
				       * always up */

/* Counters kept by the driver (monotonic, never reset). */
struct uk_netdev_stats {
	uint64_t rx_frames;           /* frames given by uk_netdev_rx */
	uint64_t rx_bytes;
	uint64_t rx_drops;            /* dropped for lack of buffers or a
				       * frame too long to deliver */
	uint64_t rx_errors;           /* malformed from the device (bad
				       * length, header, buffer count) */
	uint64_t tx_frames;           /* frames accepted by uk_netdev_tx */
	uint64_t tx_bytes;
	uint64_t tx_drops;            /* refused: too long, no memory */
	uint64_t tx_full;             /* -EAGAIN returns (queue full) */
	uint64_t tx_errors;           /* completions the device reported
				       * wrongly */
};

struct uk_netdev;

/* Called in interrupt context (or from uk_netdev_poll in polling mode). */
typedef void (*uk_netdev_event_fn)(struct uk_netdev *dev, void *arg);

/* What a driver implements. rx/tx/poll are called serialised by the
 * caller; the rest may be called at any time. */
struct uk_netdev_ops {
	/* One frame into *nb, or -EAGAIN when none is ready. Other -E...
	 * are not returned: bad frames are counted and skipped. */
	int (*rx)(struct uk_netdev *dev, struct uk_netbuf **nb);
	/* Copies the frame; 0, -EAGAIN (queue full), -EMSGSIZE (longer
	 * than MTU + Ethernet header), -ENOMEM. */
	int (*tx)(struct uk_netdev *dev, const struct uk_netbuf *frame);
	/* Re-arms the RX interrupt; true when frames are already pending. */
	bool (*rx_intr_enable)(struct uk_netdev *dev);
	void (*rx_intr_disable)(struct uk_netdev *dev);
	/* Reclaims finished TX buffers, re-reads the link state; true
	 * when RX frames are pending. May be NULL. */
	bool (*poll)(struct uk_netdev *dev);
};

struct uk_netdev {
	char name[UK_NETDEV_NAME_MAX];  /* set by uk_netdev_register */
	unsigned int index;             /* position in the registry */
	uint8_t mac[UK_NETDEV_ETH_ALEN];
	uint16_t mtu;                   /* largest L3 payload (IP packet) */
	volatile bool link_up;
	uint32_t features;              /* UK_NETDEV_F_* */
	const struct uk_netdev_ops *ops;
	void *priv;                     /* the driver's */

	/* Owned by uknetdev (uk_netdev_set_rx_cb/set_tx_cb). */
	uk_netdev_event_fn rx_cb;
	void *rx_cb_arg;
	uk_netdev_event_fn tx_cb;
	void *tx_cb_arg;

	struct uk_netdev_stats stats;   /* written by the driver */
	struct uk_netdev *next;         /* registry link */
};

/* ---- registry ------------------------------------------------------- */

/* Adds dev and names it "en<index>". The driver has filled mac, mtu,
 * features and ops (rx, tx, rx_intr_enable, rx_intr_disable required).
 * Returns 0, -EINVAL when ops are missing or mtu is 0, -EEXIST when dev
 * is already registered. Devices are never unregistered. */
int uk_netdev_register(struct uk_netdev *dev);

unsigned int uk_netdev_count(void);

/* Device i in registration order, NULL when i >= uk_netdev_count(). */
struct uk_netdev *uk_netdev_get(unsigned int i);

/* The device named name ("en0"), or NULL. */
struct uk_netdev *uk_netdev_find(const char *name);

/* ---- frames and events ---------------------------------------------- */

/* See struct uk_netdev_ops; these only dispatch. */
static inline int uk_netdev_rx(struct uk_netdev *dev, struct uk_netbuf **nb)
{
	return dev->ops->rx(dev, nb);
}

static inline int uk_netdev_tx(struct uk_netdev *dev,
			       const struct uk_netbuf *frame)
{
	return dev->ops->tx(dev, frame);
}

/* Polling mode: reclaims TX buffers, refreshes link_up, and calls the
 * tx callback if the queue had been full and has room again. Returns
 * true when frames are waiting for uk_netdev_rx. */
bool uk_netdev_poll(struct uk_netdev *dev);

/* Installs (fn != NULL) the RX callback and arms the RX interrupt, or
 * removes it (fn == NULL) and disarms it (polling mode). The callback
 * runs in interrupt context with the RX interrupt already disarmed: the
 * stack drains with uk_netdev_rx and re-arms with
 * uk_netdev_rx_intr_enable. If frames were pending when fn is installed,
 * fn is called once before this returns. */
void uk_netdev_set_rx_cb(struct uk_netdev *dev, uk_netdev_event_fn fn,
			 void *arg);

/* Re-arms the RX interrupt; true when frames arrived meanwhile (the
 * interrupt is then armed too, but the caller should drain first: the
 * callback may not fire for frames already there). */
static inline bool uk_netdev_rx_intr_enable(struct uk_netdev *dev)
{
	return dev->ops->rx_intr_enable(dev);
}

static inline void uk_netdev_rx_intr_disable(struct uk_netdev *dev)
{
	dev->ops->rx_intr_disable(dev);
}

/* Installs the TX-ready callback: it runs (interrupt context, or in
 * uk_netdev_poll) after uk_netdev_tx returned -EAGAIN, once the queue
 * has room again. NULL removes it. */
void uk_netdev_set_tx_cb(struct uk_netdev *dev, uk_netdev_event_fn fn,
			 void *arg);

/* For drivers: calls the RX / TX callback if one is set. */
void uk_netdev_rx_event(struct uk_netdev *dev);
void uk_netdev_tx_event(struct uk_netdev *dev);

/* Formats the MAC as "52:54:00:12:34:56" into buf (>= 18 bytes). */
void uk_netdev_mac_str(const struct uk_netdev *dev, char *buf);

#endif
