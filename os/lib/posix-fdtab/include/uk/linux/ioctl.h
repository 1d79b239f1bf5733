/* SPDX-License-Identifier: BSD-3-Clause */
/* The terminal and file ioctls (asm-generic numbers: x86_64 and arm64
 * agree), the kernel's struct termios (what TCGETS fills) and winsize. */
#ifndef UK_LINUX_IOCTL_H
#define UK_LINUX_IOCTL_H

#define UK_TCGETS     0x5401
#define UK_TCSETS     0x5402
#define UK_TCSETSW    0x5403
#define UK_TCSETSF    0x5404
#define UK_TIOCGPGRP  0x540F
#define UK_TIOCSPGRP  0x5410
#define UK_TIOCGWINSZ 0x5413
#define UK_TIOCSWINSZ 0x5414
#define UK_FIONREAD   0x541B
#define UK_FIONBIO    0x5421
#define UK_FIONCLEX   0x5450
#define UK_FIOCLEX    0x5451

#define UK_NCCS 19
struct uk_termios {
	unsigned int c_iflag;
	unsigned int c_oflag;
	unsigned int c_cflag;
	unsigned int c_lflag;
	unsigned char c_line;
	unsigned char c_cc[UK_NCCS];
};

struct uk_winsize {
	unsigned short ws_row;
	unsigned short ws_col;
	unsigned short ws_xpixel;
	unsigned short ws_ypixel;
};

#endif
