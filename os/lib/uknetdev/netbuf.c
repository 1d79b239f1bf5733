/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * uknetdev buffers: netbuf set-up, allocation from ukalloc, chain walking.
 * The registry is in netdev.c.
 */
#include <uk/netdev.h>
#include <uk/alloc.h>
#include <uk/assert.h>

void uk_netbuf_init(struct uk_netbuf *nb, void *buf, uint32_t size,
		    uint32_t headroom, void (*free)(struct uk_netbuf *nb),
		    void *priv)
{
	UK_ASSERT(headroom <= size);
	nb->buf = buf;
	nb->size = size;
	nb->data = (char *)buf + headroom;
	nb->len = 0;
	nb->next = NULL;
	nb->flags = 0;
	nb->csum_start = 0;
	nb->csum_offset = 0;
	nb->free = free;
	nb->priv = priv;
}

static void netbuf_free_alloc(struct uk_netbuf *nb)
{
	uk_free((struct uk_alloc *)nb->priv, nb);
}

struct uk_netbuf *uk_netbuf_alloc(struct uk_alloc *a, uint32_t size,
				  uint32_t headroom)
{
	struct uk_netbuf *nb;
	size_t hdr = UK_ALIGN_UP(sizeof(*nb), 16);

	if (headroom > size)
		return NULL;
	if (!a)
		a = uk_alloc_get_default();
	if (!a)
		return NULL;
	nb = uk_malloc(a, hdr + size);
	if (!nb)
		return NULL;
	uk_netbuf_init(nb, (char *)nb + hdr, size, headroom,
		       netbuf_free_alloc, a);
	return nb;
}

void uk_netbuf_free(struct uk_netbuf *nb)
{
	while (nb) {
		struct uk_netbuf *next = nb->next;

		nb->next = NULL;
		if (nb->free)
			nb->free(nb);
		nb = next;
	}
}

uint32_t uk_netbuf_chain_len(const struct uk_netbuf *nb)
{
	uint32_t len = 0;

	for (; nb; nb = nb->next)
		len += nb->len;
	return len;
}

unsigned uk_netbuf_chain_count(const struct uk_netbuf *nb)
{
	unsigned n = 0;

	for (; nb; nb = nb->next)
		n++;
	return n;
}

uint32_t uk_netbuf_copy_out(const struct uk_netbuf *nb, uint32_t off,
			    void *dst, uint32_t len)
{
	uint32_t done = 0;

	for (; nb && done < len; nb = nb->next) {
		uint32_t n;

		if (off >= nb->len) {
			off -= nb->len;
			continue;
		}
		n = UK_MIN(nb->len - off, len - done);
		__builtin_memcpy((char *)dst + done, (char *)nb->data + off, n);
		done += n;
		off = 0;
	}
	return done;
}
