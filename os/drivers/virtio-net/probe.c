/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * virtio-net: the driver's registration with the virtio core, feature
 * negotiation, configuration (MAC, link status, MTU), queue set-up and
 * the uknetdev registration (en0, en1, ... in probe order). Frames move
 * in rx.c and tx.c; the header is in hdr.c.
 */
#include <uk/alloc.h>
#include <uk/errno.h>
#include <uk/init.h>
#include <uk/print.h>
#include <uk/virtio.h>
#include "vnet.h"

static uint64_t vnet_features(void)
{
	uint64_t f = UK_VIRTIO_BIT(VNET_F_MAC) | UK_VIRTIO_BIT(VNET_F_STATUS) |
		     UK_VIRTIO_BIT(VNET_F_MTU);

#if CONFIG_LIBVIRTIO_NET_MRG_RXBUF
	f |= UK_VIRTIO_BIT(VNET_F_MRG_RXBUF);
#endif
#if CONFIG_LIBVIRTIO_NET_CSUM
	f |= UK_VIRTIO_BIT(VNET_F_CSUM) | UK_VIRTIO_BIT(VNET_F_GUEST_CSUM);
#endif
	return f;
}

static void vnet_link_read(struct vnet *v)
{
	uint16_t status = VNET_S_LINK_UP;

	if (uk_virtio_has(v->vdev, VNET_F_STATUS))
		uk_virtio_config_read(v->vdev, VNET_CFG_STATUS, &status,
				      sizeof(status));
	v->nd.link_up = status & VNET_S_LINK_UP;
}

static void vnet_config_changed(struct uk_virtio_dev *vdev __unused,
				void *arg)
{
	vnet_link_read(arg);
}

/* Polling mode and lazy TX reclaim: runs the queues' callbacks if the
 * device used buffers, reclaims TX, re-reads the link. */
static bool vnet_poll(struct uk_netdev *nd)
{
	struct vnet *v = (struct vnet *)nd;

	if (uk_virtio_polling(v->vdev)) {
		uk_virtq_poll(v->txq);
		uk_virtq_poll(v->rxq);
		vnet_link_read(v);
	}
	vnet_tx_reclaim(v);
	if (v->tx_waiting && v->tx_free) {
		v->tx_waiting = false;
		uk_netdev_tx_event(nd);
	}
	return uk_virtq_pending(v->rxq);
}

static const struct uk_netdev_ops vnet_ops = {
	.rx = vnet_rx,
	.tx = vnet_tx,
	.rx_intr_enable = vnet_rx_intr_enable,
	.rx_intr_disable = vnet_rx_intr_disable,
	.poll = vnet_poll,
};

static int vnet_probe(struct uk_virtio_dev *vdev)
{
	struct vnet *v;
	unsigned qsize;
	int rc;

	v = uk_calloc(uk_alloc_get_default(), 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vdev = vdev;
	vdev->priv = v;
	v->mrg = uk_virtio_has(vdev, VNET_F_MRG_RXBUF);
	v->guest_csum = uk_virtio_has(vdev, VNET_F_GUEST_CSUM);
	v->csum = uk_virtio_has(vdev, VNET_F_CSUM);
	v->hdr_len = (v->mrg || uk_virtio_is_modern(vdev)) ? 12 : 10;

	if (uk_virtio_has(vdev, VNET_F_MAC)) {
		uk_virtio_config_read(vdev, VNET_CFG_MAC, v->nd.mac, 6);
	} else {
		/* Locally administered, unicast, told apart by probe order. */
		static const uint8_t base[6] = { 0x02, 0x75, 0x66, 0, 0, 0 };

		for (unsigned i = 0; i < 6; i++)
			v->nd.mac[i] = base[i];
		v->nd.mac[5] = (uint8_t)uk_netdev_count();
	}
	v->nd.mtu = UK_NETDEV_MTU_DEFAULT;
	if (uk_virtio_has(vdev, VNET_F_MTU)) {
		uint16_t mtu = 0;

		uk_virtio_config_read(vdev, VNET_CFG_MTU, &mtu, sizeof(mtu));
		/* The device's maximum; 68 is IPv4's minimum. */
		if (mtu >= 68)
			v->nd.mtu = mtu;
	}
	v->frame_max = VNET_FRAME_MAX(v->nd.mtu);

	/* RX buffers: without mergeable buffers each must hold a whole
	 * frame behind the header. */
	v->rxbuf_size = CONFIG_LIBVIRTIO_NET_RXBUF_SIZE;
	if (!v->mrg) {
		uint32_t need = 64 + v->hdr_len + v->frame_max;

		if (v->rxbuf_size < need)
			v->rxbuf_size = UK_ALIGN_UP(need, 64);
	}

	v->rxq = uk_virtio_vq_setup(vdev, VNET_RXQ, 0, vnet_rx_used, v);
	v->txq = v->rxq ? uk_virtio_vq_setup(vdev, VNET_TXQ, 0, vnet_tx_used, v)
			: NULL;
	if (!v->txq) {
		rc = uk_virtio_err(vdev);
		goto fail;
	}
	uk_virtq_intr_disable(v->rxq);
	uk_virtq_intr_disable(v->txq);
	qsize = uk_virtq_size(v->rxq);
	v->rx_bufs = UK_MIN(qsize, (unsigned)CONFIG_LIBVIRTIO_NET_RX_BUFS);
	qsize = uk_virtq_size(v->txq);
	v->tx_bufs = UK_MIN(qsize, (unsigned)CONFIG_LIBVIRTIO_NET_TX_BUFS);
	rc = vnet_tx_setup(v);
	if (rc < 0)
		goto fail;
	rc = vnet_rx_setup(v);
	if (rc < 0)
		goto fail;

	v->nd.features = UK_NETDEV_F_LINK_STATE;
	if (v->guest_csum)
		v->nd.features |= UK_NETDEV_F_RX_CSUM;
	if (v->csum)
		v->nd.features |= UK_NETDEV_F_TX_CSUM;
	if (v->mrg)
		v->nd.features |= UK_NETDEV_F_MRG_RXBUF;
	v->nd.ops = &vnet_ops;
	v->nd.priv = vdev;
	vnet_link_read(v);
	uk_virtio_set_config_cb(vdev, vnet_config_changed, v);

	rc = uk_virtio_driver_ok(vdev);
	if (rc < 0)
		goto fail;
	uk_virtq_kick(v->rxq);
	rc = uk_netdev_register(&v->nd);
	if (rc < 0)
		goto fail;
	uk_pr_info("%s: %s, %s%s%s%s\n", v->nd.name, vdev->name,
		   uk_virtio_is_modern(vdev) ? "modern" : "legacy",
		   v->mrg ? ", mergeable rx" : "",
		   v->guest_csum ? ", rx csum" : "",
		   v->csum ? ", tx csum" : "");
	return 0;
fail:
	/* The buffers already in a ring stay there: the core leaves the
	 * device FAILED and never resets it, so the device may still own
	 * them. Only the record goes if no buffer points to it. The TX
	 * buffers were never handed to the device. */
	vnet_tx_release(v);
	if (!v->rx_bufs)
		uk_free(uk_alloc_get_default(), v);
	return rc;
}

static struct uk_virtio_driver vnet_driver = {
	.name = "virtio-net",
	.device_id = UK_VIRTIO_ID_NET,
	.probe = vnet_probe,
};

static int vnet_register(void)
{
	vnet_driver.features = vnet_features();
	return uk_virtio_driver_register(&vnet_driver);
}
uk_initcall(vnet_register, UK_INIT_CLASS_PLAT, 2);
