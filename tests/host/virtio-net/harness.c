/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for os/drivers/virtio-net/hdr.c (tests/host/test_virtio_net_hdr.py):
 *   harness rx FLAGS GSO NUMBUF MRG GUEST_CSUM MAXBUFS CSTART COFF
 *       prints "rc=<n> flags=<f> start=<s> off=<o>" of vnet_rx_hdr
 *   harness csum START OFF < frame-bytes
 *       completes the checksum (vnet_csum_complete), prints the frame hex
 *   harness tx LEN CSUM FLAGS START OFF
 *       prints "rc=<n> flags=<f> start=<s> off=<o>" of vnet_tx_hdr
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vnet.h"

int main(int argc, char **argv)
{
	if (argc == 10 && !strcmp(argv[1], "rx")) {
		struct vnet_hdr h = { 0 };
		struct uk_netbuf nb = { 0 };
		int rc;

		h.flags = (uint8_t)atoi(argv[2]);
		h.gso_type = (uint8_t)atoi(argv[3]);
		h.num_buffers = (uint16_t)atoi(argv[4]);
		h.csum_start = (uint16_t)atoi(argv[8]);
		h.csum_offset = (uint16_t)atoi(argv[9]);
		nb.flags = 0xffff;
		rc = vnet_rx_hdr(&h, atoi(argv[5]), atoi(argv[6]), (unsigned)atoi(argv[7]), &nb);
		printf("rc=%d flags=%u start=%u off=%u\n", rc, nb.flags, nb.csum_start,
		       nb.csum_offset);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "csum")) {
		static uint8_t buf[65536];
		size_t n = fread(buf, 1, sizeof(buf), stdin);

		vnet_csum_complete(buf, (uint32_t)n, (uint16_t)atoi(argv[2]),
				   (uint16_t)atoi(argv[3]));
		for (size_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
		return 0;
	}
	if (argc == 7 && !strcmp(argv[1], "tx")) {
		struct vnet_hdr h;
		struct uk_netbuf nb = { 0 };
		int rc;

		memset(&h, 0xaa, sizeof(h));
		nb.flags = (uint16_t)atoi(argv[4]);
		nb.csum_start = (uint16_t)atoi(argv[5]);
		nb.csum_offset = (uint16_t)atoi(argv[6]);
		rc = vnet_tx_hdr(&h, &nb, (uint32_t)atoi(argv[2]), atoi(argv[3]));
		printf("rc=%d flags=%u start=%u off=%u gso=%u nbuf=%u\n", rc, h.flags,
		       h.csum_start, h.csum_offset, h.gso_type, h.num_buffers);
		return 0;
	}
	fprintf(stderr, "usage: see the file's comment\n");
	return 2;
}
