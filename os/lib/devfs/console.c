/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The console as a terminal: /dev/console, /dev/tty, fds 0-2. Output goes
 * to ukplat_cout; input comes from ukplat_cin (the UART on the VMs, the
 * process's stdin on linuxu), polled every millisecond while a read
 * waits. The host's end of input: linuxu's stdin reaching EOF, or, on the
 * VMs (a UART cannot say EOF), a ^D (0x04) byte, which `uniforge run`
 * sends when its own stdin ends; from then on every read returns 0.
 * Answers TCGETS/TCSETS* (a termios that TCSETS* updates) and
 * TIOCGWINSZ (24x80), so a libc's isatty() says yes -- unless the kernel
 * parameter devfs.tty=0 says the console is not a terminal: then those
 * are -ENOTTY and isatty() says no. `uniforge run` passes it when its own
 * stdin is not a terminal, so a program decides as it would on the host
 * (sqlite3 and lua prompt, and print a banner, only on a terminal).
 *
 * poll: no platform gives a receive interrupt here (the UARTs are polled,
 * linuxu's stdin too), so nothing calls uk_file_wake when input arrives.
 * Console files are UK_FILE_POLLED instead (devices.c): posix-event's
 * poll, select and epoll re-poll them every millisecond while they wait,
 * as a blocking read does. (epoll's EPOLLET then behaves as level.)
 */
#include <uk/essentials.h>
#include <uk/errno.h>
#include <uk/libparam.h>
#include <uk/plat.h>
#include <uk/time.h>
#include <uk/timer.h>
#include <uk/linux/ioctl.h>
#include <uk/uaccess.h>
#include "devfs.h"

#define ASCII_EOT 0x04
#define POLL_NS 1000000ULL

static char inbuf[256];
static size_t inlen;
static bool in_eof;

static struct uk_termios termios = {
	.c_iflag = 0x0500,      /* ICRNL | IXON */
	.c_oflag = 0x0005,      /* OPOST | ONLCR */
	.c_cflag = 0x00bf,      /* B38400 | CS8 | CREAD */
	.c_lflag = 0x8a3b,      /* ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN */
	.c_cc = { 3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16 },
};
static struct uk_winsize winsize = { 24, 80, 0, 0 };

/* devfs.tty: 1 (default), the console is a terminal; 0, it is not. */
static int tty = 1;
UK_LIB_PARAM(tty, int);

bool devfs_console_is_tty(void)
{
	return tty != 0;
}

static void fill(void)
{
	int r;

	if (in_eof || inlen == sizeof(inbuf))
		return;
	r = ukplat_cin(inbuf + inlen, sizeof(inbuf) - inlen);
	if (r < 0)
		in_eof = true;
	else
		inlen += (size_t)r;
}

static void consume(size_t n)
{
	__builtin_memmove(inbuf, inbuf + n, inlen - n);
	inlen -= n;
}

static long con_read(struct uk_file *f, void *ubuf, size_t n, uint64_t *off __unused)
{
	if (!n)
		return 0;
	for (;;) {
		size_t i, c;

		fill();
		for (i = 0; i < inlen && inbuf[i] != ASCII_EOT; i++)
			;
		if (i < inlen && i == 0) {      /* ^D first: the end of input */
			in_eof = true;
			inlen = 0;
			return 0;
		}
		if (i) {
			c = UK_MIN(i, n);
			if (uk_copy_to_user(ubuf, inbuf, c))
				return -EFAULT;
			consume(c);
			return (long)c;
		}
		if (in_eof)
			return 0;
		if (f->flags & UK_O_NONBLOCK)
			return -EAGAIN;
		uk_sleep_until_ns(uk_time_now_ns() + POLL_NS);
	}
}

static long con_write(struct uk_file *f __unused, const void *ubuf, size_t n,
		      uint64_t *off __unused, bool append __unused)
{
	char chunk[256];
	size_t done = 0;

	while (done < n) {
		size_t c = UK_MIN(n - done, sizeof(chunk));

		if (uk_copy_from_user(chunk, (const char *)ubuf + done, c))
			return done ? (long)done : -EFAULT;
		ukplat_cout(chunk, c);
		done += c;
	}
	return (long)done;
}

static unsigned int con_poll(struct uk_file *f __unused)
{
	fill();
	return UK_POLLOUT | UK_POLLWRNORM | ((inlen || in_eof) ? UK_POLLIN | UK_POLLRDNORM : 0);
}

static long con_ioctl(struct uk_file *f __unused, unsigned int cmd, unsigned long arg)
{
	int n;

	if (!tty && cmd != UK_FIONREAD)
		return -ENOTTY;         /* every terminal request: not a terminal */
	switch (cmd) {
	case UK_TCGETS:
		return uk_copy_to_user((void *)arg, &termios, sizeof(termios));
	case UK_TCSETS:
	case UK_TCSETSW:
	case UK_TCSETSF:
		return uk_copy_from_user(&termios, (const void *)arg, sizeof(termios));
	case UK_TIOCGWINSZ:
		return uk_copy_to_user((void *)arg, &winsize, sizeof(winsize));
	case UK_TIOCSWINSZ:
		return uk_copy_from_user(&winsize, (const void *)arg, sizeof(winsize));
	case UK_TIOCGPGRP:
		n = 1;
		return uk_copy_to_user((void *)arg, &n, sizeof(n));
	case UK_TIOCSPGRP:
		return 0;
	case UK_FIONREAD:
		fill();
		n = (int)inlen;
		return uk_copy_to_user((void *)arg, &n, sizeof(n));
	default:
		return -ENOTTY;
	}
}

const struct uk_file_ops devfs_console_ops = {
	.read = con_read,
	.write = con_write,
	.ioctl = con_ioctl,
	.poll = con_poll,
	UK_VFS_FILE_OPS,
	.release = uk_vfs_file_release,
};
