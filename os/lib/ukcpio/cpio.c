/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The newc reader (uk/cpio.h). A member is
 *
 *   header (110 bytes: "070701" + 13 fields of 8 hex digits: ino, mode,
 *           uid, gid, nlink, mtime, filesize, devmajor, devminor,
 *           rdevmajor, rdevminor, namesize, check)
 *   name   (namesize bytes, the last one NUL), padded so that the data
 *           starts on a multiple of 4 from the archive's start
 *   data   (filesize bytes), padded to a multiple of 4
 *
 * and the archive ends with a member named TRAILER!!!. Every length is
 * checked against what is left of the buffer before it is used (as
 * "left < need", never "off + need > len", so nothing overflows).
 * initrd.c is the other half: it unpacks the members into the file system.
 */
#include <uk/cpio.h>
#include <uk/errno.h>

#define F_INO       0
#define F_MODE      1
#define F_UID       2
#define F_GID       3
#define F_NLINK     4
#define F_MTIME     5
#define F_FILESIZE  6
#define F_DEVMAJOR  7
#define F_DEVMINOR  8
#define F_RDEVMAJOR 9
#define F_RDEVMINOR 10
#define F_NAMESIZE  11
#define F_CHECK     12
#define NR_FIELDS   13

static const char TRAILER[] = "TRAILER!!!";

void uk_cpio_iter_init(struct uk_cpio_iter *it, const void *buf, size_t len)
{
	it->buf = buf;
	it->len = buf ? len : 0;
	it->off = 0;
	it->in_archive = false;
	it->rc = 0;
	it->err_off = 0;
	it->err = NULL;
}

static int fail(struct uk_cpio_iter *it, int rc, size_t off, const char *why)
{
	it->rc = rc;
	it->err_off = off;
	it->err = why;
	return rc;
}

/* 8 hex digits at p -> *v; -1 if one is not a hex digit (its index in
 * *bad). */
static int hex8(const unsigned char *p, uint32_t *v, int *bad)
{
	uint32_t x = 0;

	for (int i = 0; i < 8; i++) {
		unsigned char c = p[i];
		uint32_t d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else {
			*bad = i;
			return -1;
		}
		x = (x << 4) | d;
	}
	*v = x;
	return 0;
}

const char *uk_cpio_type_name(uint32_t mode)
{
	switch (mode & UK_CPIO_S_IFMT) {
	case UK_CPIO_S_IFREG:  return "regular file";
	case UK_CPIO_S_IFDIR:  return "directory";
	case UK_CPIO_S_IFLNK:  return "symlink";
	case UK_CPIO_S_IFCHR:  return "character device";
	case UK_CPIO_S_IFBLK:  return "block device";
	case UK_CPIO_S_IFIFO:  return "fifo";
	case UK_CPIO_S_IFSOCK: return "socket";
	default:               return NULL;
	}
}

/*
 * Normalise the raw name [raw, raw + n) (no NUL inside) into e->name:
 * drop empty and "." components (so a leading '/' or "./" goes too),
 * refuse "..". Returns 0, or -EPERM / -ENAMETOOLONG with *bad the offset
 * in raw of the component at fault.
 */
static int normalise(const unsigned char *raw, size_t n,
		     struct uk_cpio_entry *e, size_t *bad)
{
	size_t i = 0, o = 0;

	while (i < n) {
		size_t s = i, clen;

		while (i < n && raw[i] != '/')
			i++;
		clen = i - s;
		if (i < n)
			i++;                   /* the '/' */
		if (clen == 0 || (clen == 1 && raw[s] == '.'))
			continue;
		if (clen == 2 && raw[s] == '.' && raw[s + 1] == '.') {
			*bad = s;
			return -EPERM;
		}
		/* room for a '/', the component and the final NUL */
		if ((o ? 1 : 0) + clen >= sizeof(e->name) - o) {
			*bad = s;
			return -ENAMETOOLONG;
		}
		if (o)
			e->name[o++] = '/';
		for (size_t k = 0; k < clen; k++)
			e->name[o++] = (char)raw[s + k];
	}
	e->name[o] = '\0';
	e->namelen = o;
	return 0;
}

static bool is_trailer(const unsigned char *name, uint32_t namesize)
{
	if (namesize != sizeof(TRAILER))
		return false;
	for (size_t i = 0; i < sizeof(TRAILER); i++)
		if (name[i] != (unsigned char)TRAILER[i])
			return false;
	return true;
}

/* Skip the NUL padding between concatenated archives (4-byte steps, as
 * Linux's initramfs reader). Returns true if a header follows. */
static bool skip_padding(struct uk_cpio_iter *it)
{
	while (it->len - it->off >= 4 && !it->buf[it->off] &&
	       !it->buf[it->off + 1] && !it->buf[it->off + 2] &&
	       !it->buf[it->off + 3])
		it->off += 4;
	while (it->off < it->len && !it->buf[it->off])
		it->off++;
	return it->off < it->len;
}

int uk_cpio_next(struct uk_cpio_iter *it, struct uk_cpio_entry *e)
{
	const unsigned char *h, *name;
	uint32_t f[NR_FIELDS];
	size_t off, left, pad, dataoff, size;
	bool crc;
	int rc, bad;

	if (it->rc)
		return it->rc;
	for (;;) {                             /* until a member that is not a trailer */
		if (!it->in_archive) {
			if (!skip_padding(it))
				return 0;
			if (it->off % 4)
				return fail(it, -EINVAL, it->off,
					    "an archive that does not start on a multiple of 4 bytes");
			it->in_archive = true;
		}
		off = it->off;
		left = it->len - off;
		if (left < UK_CPIO_HDR_LEN)
			return fail(it, -ENODATA, off, left ? "a truncated header"
						: "the archive ends without TRAILER!!!");
		h = it->buf + off;
		if (h[0] != '0' || h[1] != '7' || h[2] != '0' || h[3] != '7' ||
		    h[4] != '0' || (h[5] != '1' && h[5] != '2'))
			return fail(it, -EINVAL, off,
				    "bad magic (not 070701 or 070702: not a newc archive)");
		crc = h[5] == '2';
		for (int i = 0; i < NR_FIELDS; i++)
			if (hex8(h + 6 + 8 * i, &f[i], &bad))
				return fail(it, -EINVAL, off + 6 + 8 * i + bad,
					    "a header field with a non-hex digit");

		/* the name */
		if (f[F_NAMESIZE] < 2)
			return fail(it, -EINVAL, off + 6 + 8 * F_NAMESIZE,
				    "a name size below 2 (an empty name)");
		if (left - UK_CPIO_HDR_LEN < f[F_NAMESIZE])
			return fail(it, -ENODATA, off + 6 + 8 * F_NAMESIZE,
				    "a name that runs past the end of the archive");
		name = h + UK_CPIO_HDR_LEN;
		if (name[f[F_NAMESIZE] - 1] != '\0')
			return fail(it, -EINVAL, off + UK_CPIO_HDR_LEN + f[F_NAMESIZE] - 1,
				    "a name without its terminating NUL");
		for (size_t i = 0; i + 1 < f[F_NAMESIZE]; i++)
			if (!name[i])
				return fail(it, -EINVAL, off + UK_CPIO_HDR_LEN + i,
					    "a NUL inside a name");
		dataoff = UK_CPIO_HDR_LEN + (size_t)f[F_NAMESIZE];
		pad = -dataoff % 4;
		if (!is_trailer(name, f[F_NAMESIZE]))
			break;
		/* a trailer: the end of this archive (its padding may be cut) */
		if (f[F_FILESIZE])
			return fail(it, -EINVAL, off + 6 + 8 * F_FILESIZE,
				    "a TRAILER!!! with data");
		it->off = off + dataoff + UK_MIN(pad, left - dataoff);
		it->in_archive = false;
	}
	if (left - dataoff < pad)
		return fail(it, -ENODATA, off + dataoff,
			    "the archive ends in the padding after a name");
	dataoff += pad;

	/* the data */
	size = f[F_FILESIZE];
	if (left - dataoff < size)
		return fail(it, -ENODATA, off + 6 + 8 * F_FILESIZE,
			    "file data that runs past the end of the archive");
	pad = -(dataoff + size) % 4;
	/* the padding after the last member's data may be cut off only if
	 * nothing follows; a TRAILER!!! must follow, so it may not */
	if (left - dataoff - size < pad)
		return fail(it, -ENODATA, off + dataoff + size,
			    "the archive ends in the padding after file data");

	/* the mode, and what sizes each type may have */
	switch (f[F_MODE] & UK_CPIO_S_IFMT) {
	case UK_CPIO_S_IFREG:
		break;
	case UK_CPIO_S_IFLNK:
		if (size == 0)
			return fail(it, -EINVAL, off + 6 + 8 * F_FILESIZE,
				    "a symlink with an empty target");
		if (size >= UK_CPIO_LINK_MAX)
			return fail(it, -ENAMETOOLONG, off + 6 + 8 * F_FILESIZE,
				    "a symlink target longer than 4095 bytes");
		for (size_t i = 0; i < size; i++)
			if (!h[dataoff + i])
				return fail(it, -EINVAL, off + dataoff + i,
					    "a NUL inside a symlink target");
		break;
	case UK_CPIO_S_IFDIR:
	case UK_CPIO_S_IFCHR:
	case UK_CPIO_S_IFBLK:
	case UK_CPIO_S_IFIFO:
	case UK_CPIO_S_IFSOCK:
		if (size)
			return fail(it, -EINVAL, off + 6 + 8 * F_FILESIZE,
				    "a directory, device, fifo or socket with data");
		break;
	default:
		return fail(it, -EINVAL, off + 6 + 8 * F_MODE,
			    "a mode with an unknown file type");
	}
	if (f[F_MODE] & ~(uint32_t)(UK_CPIO_S_IFMT | 07777))
		return fail(it, -EINVAL, off + 6 + 8 * F_MODE,
			    "a mode with bits above the file type");
	if (crc && (f[F_MODE] & UK_CPIO_S_IFMT) == UK_CPIO_S_IFREG) {
		uint32_t sum = 0;        /* GNU cpio sums regular files only */

		for (size_t i = 0; i < size; i++)
			sum += h[dataoff + i];
		if (sum != f[F_CHECK])
			return fail(it, -EINVAL, off + 6 + 8 * F_CHECK,
				    "a 070702 member whose data does not match its checksum");
	}

	{
		size_t at;

		rc = normalise(name, f[F_NAMESIZE] - 1, e, &at);
		if (rc == -EPERM)
			return fail(it, rc, off + UK_CPIO_HDR_LEN + at,
				    "a name with a '..' component");
		if (rc)
			return fail(it, rc, off + UK_CPIO_HDR_LEN + at,
				    "a name longer than 4095 bytes");
	}
	e->ino = f[F_INO];
	e->mode = f[F_MODE];
	e->uid = f[F_UID];
	e->gid = f[F_GID];
	e->nlink = f[F_NLINK];
	e->mtime = f[F_MTIME];
	e->devmajor = f[F_DEVMAJOR];
	e->devminor = f[F_DEVMINOR];
	e->rdevmajor = f[F_RDEVMAJOR];
	e->rdevminor = f[F_RDEVMINOR];
	e->data = h + dataoff;
	e->size = size;
	e->offset = off;
	it->off = off + dataoff + size + pad;
	return 1;
}
