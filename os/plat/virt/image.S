/* SPDX-License-Identifier: BSD-3-Clause */
/* Load at RAM base (0x40000000) + 512 KiB: QEMU's Linux loader puts the raw image at RAM base + text_offset. */
#include <arm64/board.h>

ARM64_IMAGE_LAYOUT(0x40080000, 0x40000000)
