/* SPDX-License-Identifier: BSD-3-Clause */
/* DDR starts at 0; 512 KiB above it, like the other boards (QEMU's loader stub and ATAGS sit below). */
#include <arm64/board.h>

ARM64_IMAGE_LAYOUT(0x80000, 0x0)
