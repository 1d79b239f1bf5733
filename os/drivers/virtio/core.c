/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The virtio core: the driver registry, the status handshake and feature
 * negotiation a transport asks for when it finds a device
 * (uk_virtio_dev_probe), queue setup over the transport, config space and
 * interrupt dispatch. The rings themselves are virtq.c.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/print.h>
#include "virtq.h"
#if defined(CONFIG_LIBUKLIBPARAM)
#include <uk/libparam.h>
#endif

#if defined(CONFIG_LIBVIRTIO_POLL)
#define IS_POLL_DEFAULT true
#else
#define IS_POLL_DEFAULT false
#endif

/* Polling mode for every device: Kconfig LIBVIRTIO_POLL, or the kernel
 * parameter virtio.poll=1 (with uklibparam). */
static bool poll = IS_POLL_DEFAULT;
#if defined(CONFIG_LIBUKLIBPARAM)
UK_LIB_PARAM(poll, bool);
#endif

bool uk_virtio_poll_mode(void)
{
	return poll;
}

static struct uk_virtio_driver *drivers;
static struct uk_virtio_dev *devs[UK_VIRTIO_MAX_DEVS];
static unsigned int ndevs;

/* Bits the core itself negotiates (on top of the driver's 0-23). */
#define CORE_FEATURES_MODERN UK_VIRTIO_BIT(UK_VIRTIO_F_VERSION_1)
#define DRIVER_FEATURE_MASK  ((1ULL << 24) - 1)

int uk_virtio_driver_register(struct uk_virtio_driver *drv)
{
	struct uk_virtio_driver *d;

	if (!drv || !drv->name || !drv->probe || !drv->device_id)
		return -EINVAL;
	for (d = drivers; d; d = d->next)
		if (d->device_id == drv->device_id)
			return -EEXIST;
	drv->next = drivers;
	drivers = drv;
	return 0;
}

const struct uk_virtio_driver *uk_virtio_driver_find(uint16_t device_id)
{
	struct uk_virtio_driver *d;

	for (d = drivers; d; d = d->next)
		if (d->device_id == device_id)
			return d;
	return NULL;
}

unsigned int uk_virtio_dev_count(void)
{
	return ndevs;
}

struct uk_virtio_dev *uk_virtio_dev_get(unsigned int i)
{
	return i < ndevs ? devs[i] : NULL;
}

void virtio_dev_fail(struct uk_virtio_dev *dev, int err, const char *what)
{
	if (!dev->err)
		dev->err = err;
	if (what)
		uk_pr_err("%s: %s (error %d)\n", dev->name ? dev->name : "virtio",
			  what, err);
}

/* Leaves the device FAILED, records err and logs what; returns err. */
static int dev_failed(struct uk_virtio_dev *dev, int err, const char *what)
{
	virtio_dev_fail(dev, err, what);
	dev->ops->set_status(dev, dev->ops->get_status(dev) | UK_VIRTIO_S_FAILED);
	return err;
}

int uk_virtio_dev_probe(struct uk_virtio_dev *dev)
{
	const struct uk_virtio_driver *drv;
	uint8_t status;
	uint64_t want;
	int rc;

	if (ndevs < UK_VIRTIO_MAX_DEVS)
		devs[ndevs++] = dev;
	dev->ops->reset(dev);
	dev->ops->set_status(dev, UK_VIRTIO_S_ACKNOWLEDGE);
	drv = uk_virtio_driver_find(dev->device_id);
	if (!drv) {
		uk_pr_info("%s: device type %u: no driver\n", dev->name,
			   dev->device_id);
		dev->ops->reset(dev);
		return -ENODEV;
	}
	dev->drv = drv;
	dev->ops->set_status(dev, UK_VIRTIO_S_ACKNOWLEDGE | UK_VIRTIO_S_DRIVER);

	dev->dev_features = dev->ops->get_features(dev);
	want = drv->features & DRIVER_FEATURE_MASK;
	if (dev->modern) {
		if (!(dev->dev_features & CORE_FEATURES_MODERN))
			return dev_failed(dev, -EIO,
				"modern interface without VERSION_1");
		want |= CORE_FEATURES_MODERN;
	}
	dev->features = dev->dev_features & want;
	dev->ops->set_features(dev, dev->features);
	if (dev->modern) {
		dev->ops->set_status(dev, UK_VIRTIO_S_ACKNOWLEDGE
			| UK_VIRTIO_S_DRIVER | UK_VIRTIO_S_FEATURES_OK);
		status = dev->ops->get_status(dev);
		if (!(status & UK_VIRTIO_S_FEATURES_OK))
			return dev_failed(dev, -EIO,
				"the device refused the features (FEATURES_OK)");
	}
	uk_pr_info("%s: %s, %s, features %#llx of %#llx\n", dev->name,
		   drv->name, dev->modern ? "modern" : "legacy",
		   (unsigned long long)dev->features,
		   (unsigned long long)dev->dev_features);
	rc = drv->probe(dev);
	if (rc < 0)
		return dev_failed(dev, rc, "driver probe failed");
	return 0;
}

uint64_t uk_virtio_features(struct uk_virtio_dev *dev)
{
	return dev->features;
}

bool uk_virtio_has(struct uk_virtio_dev *dev, unsigned int bit)
{
	return bit < 64 && (dev->features >> bit) & 1;
}

uint64_t uk_virtio_device_features(struct uk_virtio_dev *dev)
{
	return dev->dev_features;
}

bool uk_virtio_is_modern(struct uk_virtio_dev *dev)
{
	return dev->modern;
}

bool uk_virtio_polling(struct uk_virtio_dev *dev)
{
	return dev->polling;
}

int uk_virtio_err(struct uk_virtio_dev *dev)
{
	return dev->err;
}

void uk_virtio_config_read(struct uk_virtio_dev *dev, unsigned int off,
			   void *buf, unsigned int len)
{
	uint32_t gen;
	unsigned int tries = 0;

	if (!dev->ops->config_gen) {
		dev->ops->config_read(dev, off, buf, len);
		return;
	}
	/* A value wider than the device's atomic accesses is consistent
	 * only if the generation did not move while it was read. */
	do {
		gen = dev->ops->config_gen(dev);
		dev->ops->config_read(dev, off, buf, len);
	} while (gen != dev->ops->config_gen(dev) && ++tries < 100);
}

void uk_virtio_config_write(struct uk_virtio_dev *dev, unsigned int off,
			    const void *buf, unsigned int len)
{
	dev->ops->config_write(dev, off, buf, len);
}

void uk_virtio_set_config_cb(struct uk_virtio_dev *dev,
			     void (*fn)(struct uk_virtio_dev *dev, void *arg),
			     void *arg)
{
	dev->on_config_arg = arg;
	dev->on_config = fn;
}

/* No libc here (the image may have none): rings are zeroed by hand. */
static void zero(void *p, size_t n)
{
	volatile uint64_t *w = p;   /* p is page-aligned */
	unsigned char *b;
	size_t i;

	for (i = 0; i < n / 8; i++)
		w[i] = 0;
	for (b = (unsigned char *)p + i * 8; b < (unsigned char *)p + n; b++)
		*b = 0;
}

struct uk_virtq *uk_virtio_vq_setup(struct uk_virtio_dev *dev, unsigned int idx,
		unsigned int size,
		void (*on_used)(struct uk_virtq *vq, void *arg), void *arg)
{
	struct uk_alloc *a = uk_alloc_get_default();
	struct uk_virtq_layout l;
	struct uk_virtq *vq;
	unsigned int max;
	bool fixed = false;
	void *mem, *state;
	int rc;

	if (dev->nvqs >= UK_VIRTIO_MAX_VQS) {
		virtio_dev_fail(dev, -ENOSPC, "too many queues");
		return NULL;
	}
	max = dev->ops->vq_max(dev, idx, &fixed);
	if (!max) {
		virtio_dev_fail(dev, -ENOENT, "no such queue");
		return NULL;
	}
	if (max > VIRTQ_MAX_SIZE)
		max = VIRTQ_MAX_SIZE;
	if (!size)
		size = max;
	if (size > max || (size & (size - 1)) || (fixed && size != max)) {
		virtio_dev_fail(dev, -EINVAL, "bad queue size");
		return NULL;
	}
	if (!a) {
		virtio_dev_fail(dev, -ENOMEM, "no allocator");
		return NULL;
	}
	vq = uk_calloc(a, 1, sizeof(*vq));
	state = uk_calloc(a, 1, virtq_state_bytes(size));
	mem = uk_memalign(a, VIRTQ_LEGACY_ALIGN, virtq_ring_bytes(size));
	if (!vq || !state || !mem) {
		uk_free(a, vq);
		uk_free(a, state);
		uk_free(a, mem);
		virtio_dev_fail(dev, -ENOMEM, "no memory for a queue");
		return NULL;
	}
	zero(mem, virtq_ring_bytes(size));
	virtq_init(vq, dev, idx, size, mem, state);
	vq->on_used = on_used;
	vq->arg = arg;
	virtq_layout(vq, &l);
	rc = dev->ops->vq_enable(dev, &l, vq);
	if (rc < 0) {
		uk_free(a, vq);
		uk_free(a, state);
		uk_free(a, mem);
		virtio_dev_fail(dev, rc, "the transport could not enable a queue");
		return NULL;
	}
	dev->vqs[dev->nvqs++] = vq;
	return vq;
}

int uk_virtio_driver_ok(struct uk_virtio_dev *dev)
{
	uint8_t status;
	int rc = -ENOTSUP;

	if (!poll && dev->ops->intr_enable)
		rc = dev->ops->intr_enable(dev);
	if (rc < 0) {
		if (rc != -ENOTSUP)
			uk_pr_warn("%s: no interrupt (error %d): polling\n",
				   dev->name, rc);
		dev->polling = true;
	}
	status = dev->ops->get_status(dev);
	dev->ops->set_status(dev, status | UK_VIRTIO_S_DRIVER_OK);
	if (dev->ops->get_status(dev) & UK_VIRTIO_S_DEVICE_NEEDS_RESET)
		return dev_failed(dev, -EIO, "the device needs a reset");
	return 0;
}

void uk_virtio_dev_intr(struct uk_virtio_dev *dev, unsigned int isr)
{
	unsigned int i;

	if (isr & UK_VIRTIO_ISR_QUEUE)
		for (i = 0; i < dev->nvqs; i++)
			uk_virtq_intr(dev->vqs[i]);
	if (isr & UK_VIRTIO_ISR_CONFIG)
		uk_virtio_config_intr(dev);
}

void uk_virtio_config_intr(struct uk_virtio_dev *dev)
{
	if (dev->on_config)
		dev->on_config(dev, dev->on_config_arg);
}
