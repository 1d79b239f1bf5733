"""Host test of how virtio-mmio reads the words QEMU microvm (and
Firecracker) append to the command line, `virtio_mmio.device=<size>@<addr>:<irq>[:<id>]`
(os/drivers/virtio-mmio/cmdline.c, included as it is into
tests/host/virtio/mmio_words.c, under ASan/UBSan): sizes with K/M/G,
decimal and 0x numbers as Linux reads them, and every malformed word
refused (never a transport at a half-read address); other words are not
ours. The probe adds exactly the well-formed ones, in order.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from guestcc import require

REPO = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "virtio" / "mmio_words.c"
EINVAL, ENOENT = -22, -2

WORDS = {
    "virtio_mmio.device=512@0xfeb00e00:12": (512, 0xfeb00e00, 12),   # what QEMU writes
    "virtio_mmio.device=4K@0x1000:5:3": (4096, 0x1000, 5),          # with a device id
    "virtio_mmio.device=1M@4096:0": (1 << 20, 4096, 0),
    "virtio_mmio.device=2g@0xA0000000:33": (2 << 30, 0xA0000000, 33),
    "virtio_mmio.device=512@0xfeb00e00": EINVAL,     # no irq
    "virtio_mmio.device=@1:2": EINVAL,               # no size
    "virtio_mmio.device=0@1:1": EINVAL,              # empty window
    "virtio_mmio.device=512@0x:1": EINVAL,           # no hex digits
    "virtio_mmio.device=99999999999999999999@1:1": EINVAL,    # overflow
    "virtio_mmio.device=17179869184G@0:1": EINVAL,   # overflow by the suffix
    "virtio_mmio.device=16G@0xffffffffffffffff:1": EINVAL,    # window wraps
    "virtio_mmio.device=512@0x10:1x": EINVAL,        # trailing junk
    "virtio_mmio.device=512@16:4294967296": EINVAL,  # irq too large
    "virtio_mmio.device=512@16:1:": EINVAL,          # empty id
    "console=ttyS0": ENOENT,
    "virtio_mmio.devices=512@16:1": ENOENT,
}


def test_words(tmp_path):
    gcc = require("gcc", "gcc")
    exe = tmp_path / "mmio_words"
    subprocess.run([gcc, "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
                    "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    "-I", str(REPO / "os" / "include"),
                    "-I", str(REPO / "os" / "drivers" / "virtio" / "include"),
                    "-I", str(REPO / "os" / "drivers" / "virtio-mmio"),
                    str(HARNESS), "-o", str(exe)], check=True)
    words = list(WORDS)
    p = subprocess.run([str(exe), *words], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    for w, line in zip(words, lines):
        want = WORDS[w]
        if isinstance(want, tuple):
            assert line == f"OK {want[0]} {want[1]:#x} {want[2]}", (w, line)
        else:
            assert line == f"ERR {want}", (w, line)
    adds = [f"ADD {v[1]:#x} {v[0]} {v[2]}" for v in WORDS.values() if isinstance(v, tuple)]
    assert lines[len(words):] == adds
