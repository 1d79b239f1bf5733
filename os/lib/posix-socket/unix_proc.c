/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * /proc/net/unix (with procfs in the image): every AF_UNIX socket, one
 * line each, in Linux's format (net/unix/af_unix.c's unix_seq_show), which
 * ss and netstat read:
 *
 *   Num       RefCount Protocol Flags    Type St Inode Path
 *   ffff...: 00000002 00000000 00010000 0001 01  1234 /tmp/sock
 *
 * Num is the socket's kernel address, Flags __SO_ACCEPTCON (0x10000) for
 * a listener, Type SOCK_*, St the socket's state (SS_UNCONNECTED 1,
 * SS_CONNECTED 3; a connection not accepted yet, which has no socket,
 * SS_CONNECTING 2), Inode fstat's st_ino (0 without a file), Path the
 * name (an abstract one with '@' for its NULs, and first).
 */
#include <uk/init.h>
#include <uk/seqfile.h>
#include <uk/vfs.h>
#include "unix.h"

#define SO_ACCEPTCON 0x10000            /* Linux's __SO_ACCEPTCON */
enum { SS_UNCONNECTED = 1, SS_CONNECTING = 2, SS_CONNECTED = 3 };

/* v in decimal, right-aligned in `width` columns (printf's %5lu). */
static void put_dec(struct uk_seq *s, unsigned long v, unsigned int width)
{
	char d[24];
	unsigned int n = 0;

	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (width-- > n)
		uk_seq_putc(s, ' ');
	while (n)
		uk_seq_putc(s, d[--n]);
}

/* Linux's %08X (upper-case hex). */
static void put_hex8(struct uk_seq *s, unsigned long v)
{
	for (int i = 7; i >= 0; i--)
		uk_seq_putc(s, "0123456789ABCDEF"[(v >> (i * 4)) & 0xf]);
}

static void line(struct uk_seq *s, struct unix_sock *u)
{
	unsigned int st, i, len;

	if (!u->s.file)
		st = u->state == U_CONNECTED ? SS_CONNECTING : 4;   /* SS_DISCONNECTING */
	else
		st = u->state == U_CONNECTED ? SS_CONNECTED : SS_UNCONNECTED;
	uk_seq_putx(s, (unsigned long)u, 16);
	uk_seq_puts(s, ": ");
	put_hex8(s, (unsigned long)u->refs);
	uk_seq_puts(s, " 00000000 ");
	put_hex8(s, u->state == U_LISTEN ? SO_ACCEPTCON : 0);
	uk_seq_putc(s, ' ');
	uk_seq_putx(s, (unsigned long)u->s.type, 4);
	uk_seq_putc(s, ' ');
	uk_seq_putx(s, st, 2);
	uk_seq_putc(s, ' ');
	put_dec(s, u->s.file ? u->s.ino : 0, 5);
	if (u->alen > sizeof(unsigned short)) {
		/* a path: its bytes without the NUL bind added; abstract: '@'
		 * first, every NUL as '@' */
		const char *p = u->addr + sizeof(unsigned short);

		len = u->alen - sizeof(unsigned short);
		i = 0;
		uk_seq_putc(s, ' ');
		if (p[0]) {
			len--;
		} else {
			uk_seq_putc(s, '@');
			i++;
		}
		for (; i < len; i++)
			uk_seq_putc(s, p[i] ? p[i] : '@');
	}
	uk_seq_putc(s, '\n');
}

static void gen_unix(struct uk_seq *s, void *arg __unused)
{
	unsigned long irqf;

	uk_seq_puts(s, "Num       RefCount Protocol Flags    Type St Inode Path\n");
	irqf = ukplat_lcpu_save_irqf();
	for (struct unix_sock *u = unix_all(); u; u = u->anext)
		if (!u->dead)
			line(s, u);
	ukplat_lcpu_restore_irqf(irqf);
}

/* After procfs mounted /proc (class LIB); nothing without /proc. */
static int unix_proc_init(void)
{
	int r = uk_vfs_mknode("/proc/net", UK_S_IFDIR | 0555, 0, NULL, NULL);

	if (r == -ENOENT)
		return 0;
	if (r && r != -EEXIST)
		return r;
	return uk_vfs_mkseq("/proc/net/unix", 0444, gen_unix, NULL);
}
uk_initcall(unix_proc_init, UK_INIT_CLASS_ROOTFS, 9);
