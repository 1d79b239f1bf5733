/* SPDX-License-Identifier: BSD-3-Clause */
/* kernel8.img: the firmware (and QEMU -M raspi3b) loads it at 0x80000; RAM starts at 0. */
#include <arm64/board.h>

ARM64_IMAGE_LAYOUT(0x80000, 0x0)
