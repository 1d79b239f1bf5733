"""The Linux baseline's initramfs: /dev/console (5:1) and a static, libc-free
/init (floor/linux_init.c) that prints one line and powers off, in a newc
archive written by uniforge.cpio (no root needed for the device node).

    build_init(arch)       -> benchmarks/cache/init-<arch>
    build_initramfs(arch)  -> benchmarks/cache/initramfs-<arch>.cpio.gz
"""
from __future__ import annotations

import gzip
from pathlib import Path

from common import CACHE_DIR, FLOOR_DIR, check, get_arch
from uniforge.cpio import newc_chardev, newc_dir, newc_file, write_newc

LINUX_MARKER = "LINUX-INIT-HELLO"
INIT_SRC = FLOOR_DIR / "linux_init.c"
INIT_CFLAGS = [
    "-static", "-nostdlib", "-Os", "-fno-stack-protector", "-fno-asynchronous-unwind-tables",
    "-fno-pie", "-no-pie", "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096", "-s",
]


def build_init(arch: str, marker: str = LINUX_MARKER) -> Path:
    """Compile benchmarks/floor/linux_init.c into a static, libc-free /init."""
    a = get_arch(arch)
    out = CACHE_DIR / f"init-{arch}"
    if out.exists() and out.stat().st_mtime >= INIT_SRC.stat().st_mtime:
        return out
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    check([a.cc, *INIT_CFLAGS, f'-DMARKER="{marker}"', "-o", str(out), str(INIT_SRC)], timeout=120)
    return out


def build_initramfs(arch: str) -> Path:
    """benchmarks/cache/initramfs-<arch>.cpio.gz: /dev/console (5:1) and /init."""
    init = build_init(arch)
    out = CACHE_DIR / f"initramfs-{arch}.cpio.gz"
    if out.exists() and out.stat().st_mtime >= init.stat().st_mtime:
        return out
    archive = write_newc([
        newc_dir("dev"),
        newc_chardev("dev/console", 5, 1),
        newc_file("init", init.read_bytes(), 0o755),
    ])
    tmp = out.with_suffix(".tmp")
    with open(tmp, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as gz:
        gz.write(archive)
    tmp.replace(out)
    return out
