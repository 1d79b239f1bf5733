/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Host harness for the split virtqueue of os/drivers/virtio (virtq.c,
 * compiled as it is) playing a device that may be buggy or hostile
 * (tests/host/test_virtio_ring.py), with core.c for the device's error.
 *
 * The input is a script: each byte picks an operation, the bytes after it
 * its arguments. The driver side calls the real API (uk_virtq_add, _get,
 * _kick, _intr_enable); the device side writes the rings' memory as a
 * device could: well-formed used entries for chains it was given,
 * arbitrary used entries and used indexes, scribbles over the descriptor
 * table and available ring, the used ring's flags.
 *
 * The oracle is the contract of uk/virtio.h, kept here in a model of
 * the chains in flight (head -> cookie, writable bytes), independent of
 * virtq.c's own state:
 *  - uk_virtq_add: -EINVAL for an empty chain, a zero length or no cookie;
 *    -ENOSPC when the free descriptors do not suffice; -EIO once broken;
 *  - uk_virtq_get returns exactly what the next used entry names when the
 *    entry is sound (the id is a head in flight, the length within its
 *    writable bytes, no more entries than chains in flight), and otherwise
 *    NULL with the queue broken and the device error -EIO, for good;
 *  - the free descriptor count plus the descriptors of the chains in
 *    flight is always the ring size, the free list has no loop and no
 *    index out of range;
 *  - kick notifies exactly when the used ring's NO_NOTIFY flag is clear;
 *  - intr_enable reports pending work exactly when an entry is there.
 * A violation aborts (libFuzzer reports it); ASan and UBSan catch any
 * access outside the rings or the driver's arrays.
 *
 * Built with clang -fsanitize=fuzzer (-DFUZZ) it is a libFuzzer target;
 * built with gcc it runs the files named on its command line, or with
 * `-random N SEED` N pseudo-random scripts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/errno.h>
#include "virtq.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "check failed: %s (line %d)\n", #c, __LINE__); abort(); } } while (0)

struct in {
	const unsigned char *p;
	size_t n;
};

static unsigned int byte(struct in *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t u32(struct in *in)
{
	uint32_t v = byte(in);

	v |= byte(in) << 8;
	v |= byte(in) << 16;
	return v | (uint32_t)byte(in) << 24;
}

/* The transport, as far as virtq.c uses it; core.c is linked for
 * virtio_dev_fail and uk_virtio_err, its allocator calls unused here. */
static unsigned int notified;

struct uk_alloc *uk_alloc_get_default(void) { return NULL; }
void *uk_calloc(struct uk_alloc *a, size_t n, size_t s) { (void)a; (void)n; (void)s; return NULL; }
void *uk_memalign(struct uk_alloc *a, size_t al, size_t s) { (void)a; (void)al; (void)s; return NULL; }
void uk_free(struct uk_alloc *a, void *p) { (void)a; (void)p; }

static void notify(struct uk_virtio_dev *dev, unsigned int idx)
{
	(void)dev;
	(void)idx;
	notified++;
}

static const struct uk_virtio_transport_ops ops = { .notify = notify };

#define MAX_SIZE 256
#define MAX_SG   8

struct model {
	unsigned int size;
	void *head_cookie[MAX_SIZE];      /* chain in flight at this head */
	uint32_t head_in[MAX_SIZE];
	uint16_t head_ndesc[MAX_SIZE];
	unsigned int inflight, desc_inflight;
	uint16_t used_idx;                /* what the device wrote last */
	uint16_t taken;                   /* entries the driver took */
	uint16_t avail_seen;              /* device's read position */
	bool broken;
};

static char cookies[1 << 16];

static void check_free_list(struct uk_virtq *vq, struct model *m)
{
	static unsigned char seen[MAX_SIZE];
	unsigned int i, d = vq->free_head;

	CHECK(vq->nfree + m->desc_inflight == m->size);
	memset(seen, 0, m->size);
	for (i = 0; i < vq->nfree; i++) {
		CHECK(d < m->size);
		CHECK(!seen[d]);
		seen[d] = 1;
		d = vq->next[d];
	}
	CHECK(uk_virtq_free(vq) == vq->nfree);
}

/* The used entry the driver will look at next, judged by the contract. */
static void *expected_get(struct uk_virtq *vq, struct model *m, uint32_t *len, bool *breaks)
{
	uint16_t n = (uint16_t)(m->used_idx - m->taken);
	uint32_t id, l;

	*breaks = false;
	if (m->broken || !n)
		return NULL;
	if (n > m->inflight) {
		*breaks = true;
		return NULL;
	}
	id = vq->used->ring[m->taken % m->size].id;
	l = vq->used->ring[m->taken % m->size].len;
	if (id >= m->size || !m->head_cookie[id] || l > m->head_in[id]) {
		*breaks = true;
		return NULL;
	}
	*len = l;
	return m->head_cookie[id];
}

static void run(const unsigned char *data, size_t len)
{
	struct in in = { data, len };
	struct uk_virtio_dev dev;
	struct uk_virtq vq;
	struct model m;
	unsigned int size = 1u << (byte(&in) % 9);      /* 1 .. 256 */
	void *mem, *state;
	unsigned int next_cookie = 0, steps = 0;

	memset(&dev, 0, sizeof(dev));
	memset(&m, 0, sizeof(m));
	dev.ops = &ops;
	dev.name = "fuzz";
	m.size = size;
	/* exactly the rings' bytes, so ASan sees any access past them (the
	 * page alignment a device needs does not matter here) */
	mem = malloc(virtq_ring_bytes(size));
	state = calloc(1, virtq_state_bytes(size));
	CHECK(mem && state);
	memset(mem, 0, virtq_ring_bytes(size));
	virtq_init(&vq, &dev, 0, size, mem, state);
	CHECK(uk_virtq_size(&vq) == size);

	while (in.n && steps++ < 4096) {
		switch (byte(&in) % 8) {
		case 0: {       /* driver: add a chain */
			struct uk_sg sg[MAX_SG];
			unsigned int nout = byte(&in) % 4, nin = byte(&in) % 5, i;
			uint32_t inb = 0;
			bool zero = false;
			void *cookie = (byte(&in) == 0xff) ? NULL : &cookies[next_cookie++ & 0xffff];
			int rc, want;

			for (i = 0; i < nout + nin; i++) {
				sg[i].addr = 0x100000 + 4096 * i;
				sg[i].len = byte(&in) * 17;
				zero |= !sg[i].len;
				if (i >= nout)
					inb += sg[i].len;
			}
			want = m.broken ? -EIO : (!(nout + nin) || zero || !cookie) ? -EINVAL
			     : nout + nin > vq.nfree ? -ENOSPC : 0;
			rc = uk_virtq_add(&vq, sg, nout, nin, cookie);
			CHECK(rc == want);
			if (!rc) {
				uint16_t head = vq.avail->ring[(uint16_t)(vq.avail->idx - 1) % size];

				CHECK(head < size && !m.head_cookie[head]);
				m.head_cookie[head] = cookie;
				m.head_in[head] = inb;
				m.head_ndesc[head] = (uint16_t)(nout + nin);
				m.inflight++;
				m.desc_inflight += nout + nin;
			}
			break;
		}
		case 1: {       /* device: use the next available chain (length
				 * right, or one byte too long) */
			uint16_t head;

			if (m.avail_seen == vq.avail->idx)
				break;
			head = vq.avail->ring[m.avail_seen++ % size];
			vq.used->ring[m.used_idx % size].id = head;
			vq.used->ring[m.used_idx % size].len =
				head < size ? byte(&in) % (m.head_in[head] + 2) : 0;   /* may be 1 too long */
			vq.used->idx = ++m.used_idx;
			break;
		}
		case 2: {       /* device: an arbitrary used entry (small values
				 * often, to hit heads in flight and lengths near
				 * the chains' sizes) */
			unsigned int how = byte(&in);

			vq.used->ring[m.used_idx % size].id = how & 1 ? u32(&in) : byte(&in) % size;
			vq.used->ring[m.used_idx % size].len = how & 2 ? u32(&in) : byte(&in) * 17u;
			vq.used->idx = ++m.used_idx;
			break;
		}
		case 3:         /* device: an arbitrary used index */
			m.used_idx = (uint16_t)(byte(&in) | byte(&in) << 8);
			vq.used->idx = m.used_idx;
			break;
		case 4: {       /* driver: take what was used */
			uint32_t l = 0, want_len = 0xffffffffu;
			bool breaks;
			void *want = expected_get(&vq, &m, &want_len, &breaks);
			void *got = uk_virtq_get(&vq, &l);

			CHECK(got == want);
			if (breaks) {
				m.broken = true;
				CHECK(uk_virtio_err(&dev) == -EIO);
			}
			CHECK(uk_virtq_broken(&vq) == m.broken);
			if (got) {
				uint32_t id = vq.used->ring[m.taken % size].id;

				CHECK(l == want_len);
				m.head_cookie[id] = NULL;
				m.inflight--;
				m.desc_inflight -= m.head_ndesc[id];
				m.taken++;
			}
			break;
		}
		case 5: {       /* device: scribble over what it only reads */
			size_t off = (byte(&in) | byte(&in) << 8) % (16 * size + 4 + 2 * size);

			((unsigned char *)mem)[off] = (unsigned char)byte(&in);
			break;
		}
		case 6: {       /* driver: kick, device: maybe suppress */
			unsigned int before = notified;

			vq.used->flags = (uint16_t)(byte(&in) & 1);
			uk_virtq_kick(&vq);
			CHECK(notified == before + !(vq.used->flags & 1));
			break;
		}
		case 7: {       /* driver: interrupts off / on */
			bool pend;

			if (byte(&in) & 1) {
				uk_virtq_intr_disable(&vq);
				break;
			}
			pend = uk_virtq_intr_enable(&vq);
			CHECK(pend == (!m.broken && vq.used->idx != m.taken));
			CHECK(uk_virtq_pending(&vq) == pend);
			break;
		}
		}
		check_free_list(&vq, &m);
		CHECK(uk_virtio_err(&dev) == (m.broken ? -EIO : 0));
		if (m.broken)
			CHECK(!uk_virtq_pending(&vq));
	}
	free(mem);
	free(state);
}

#ifdef FUZZ
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	run(data, size);
	return 0;
}
#else
int main(int argc, char **argv)
{
	int i;

	if (argc == 4 && !strcmp(argv[1], "-random")) {
		unsigned long n = strtoul(argv[2], NULL, 0), k;
		unsigned char buf[512];

		srand((unsigned int)strtoul(argv[3], NULL, 0));
		for (k = 0; k < n; k++) {
			size_t len = (size_t)rand() % sizeof(buf), j;

			for (j = 0; j < len; j++)
				buf[j] = (unsigned char)rand();
			run(buf, len);
		}
		printf("ran %lu scripts\n", n);
		return 0;
	}
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf;
		long len;

		if (!f) {
			perror(argv[i]);
			return 2;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(len ? (size_t)len : 1);
		if (len && fread(buf, 1, (size_t)len, f) != (size_t)len)
			return 2;
		fclose(f);
		run(buf, (size_t)len);
		free(buf);
	}
	return 0;
}
#endif
