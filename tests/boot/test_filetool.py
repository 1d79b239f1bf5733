"""apps/filetool: walks /data from the app's rootfs, copies it, writes
generated files, reads everything back and prints SHA-256 lines in
`sha256sum` format. The expected output is made on the host: the same tree
(the app's rootfs/data as copy/, the generated files from the same
xorshift32 as generated/) checksummed by the host's `sha256sum`, symlinks
by os.readlink.

- as a Linux process (host gcc + glibc): the program and its SHA-256
  against the host's sha256sum, over awkward file sizes;
- in the guest (musl, the rootfs unpacked into ramfs by ukcpio):
  qemu/x86_64, microvm/x86_64, qemu/arm64 and linuxu/x86_64.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import APPS, uniforge

APP = APPS / "filetool"
GEN_SIZES = [0, 1, 63, 64, 65, 4095, 4096, 4097, 65543, 1048576]
GUEST_TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "linuxu/x86_64"]


def gen_bytes(size: int) -> bytes:
    """generate() in apps/filetool/main.c."""
    x = (size * 2654435761 + 1) & 0xFFFFFFFF
    out = bytearray(size)
    for i in range(size):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x & 0xFF
    return bytes(out)


def expected(src: Path, tmp: Path) -> list[str]:
    """What filetool prints for SRC, made with the host's sha256sum."""
    ref = tmp / "expected"
    shutil.copytree(src, ref / "copy", symlinks=True)
    (ref / "generated").mkdir()
    for n in GEN_SIZES:
        (ref / "generated" / f"gen-{n}").write_bytes(gen_bytes(n))
    files = sorted((os.path.relpath(p, ref) for p in ref.rglob("*")
                    if p.is_file() and not p.is_symlink()), key=os.fsencode)
    out = subprocess.run(["sha256sum", "--", *[f"./{f}" for f in files]], cwd=ref,
                         capture_output=True, text=True, check=True).stdout.splitlines()
    links = [f"symlink ./{os.path.relpath(p, ref)} -> {os.readlink(p)}"
             for p in ref.rglob("*") if p.is_symlink()]
    return sorted(out + links, key=lambda line: os.fsencode(line.split(" ", 1)[1].lstrip(" ").split(" -> ")[0]))


def checksum_lines(out: str) -> list[str]:
    return [line for line in out.splitlines()
            if line.startswith("symlink ") or (len(line) > 66 and line[64:66] == "  ")]


def test_sha256_and_tree_walk_as_a_linux_process(tmp_path):
    exe = tmp_path / "filetool"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", str(APP / "main.c"),
                    str(APP / "sha256.c"), "-o", str(exe)], check=True)
    src = tmp_path / "src"
    shutil.copytree(APP / "rootfs" / "data", src, symlinks=True)
    (src / "many").mkdir()
    for n in list(range(0, 130)) + [1000, 8191, 8192, 8193, 65535, 65536, 65537]:
        (src / "many" / f"s{n}").write_bytes(gen_bytes(n + 7)[:n])
    r = subprocess.run([str(exe), str(src), str(tmp_path / "out")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    got = checksum_lines(r.stdout)
    assert got == expected(src, tmp_path)
    assert sum(1 for line in got if not line.startswith("symlink")) == 5 + 137 + len(GEN_SIZES)
    assert r.stdout.splitlines()[-1].startswith(f"filetool: {5 + 137 + len(GEN_SIZES)} files,")


@pytest.mark.boot
@pytest.mark.parametrize("target", GUEST_TARGETS)
def test_filetool_in_the_guest_matches_sha256sum(target, tmp_path):
    """The app as it is (a hermetic copy): its rootfs/data unpacked into
    ramfs, walked, copied to /tmp, generated files written, everything
    read back and checksummed; the output must be the host's sha256sum
    of the same tree, line for line."""
    app = tmp_path / "filetool"          # symlinks kept (conftest's copy_app follows them)
    shutil.copytree(APP, app, symlinks=True, ignore=shutil.ignore_patterns(".uniforge"))
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "300", timeout=1200)
    assert r.rc == 0, r.text
    want = expected(APP / "rootfs" / "data", tmp_path)
    assert checksum_lines(r.out) == want, r.text
    n = sum(1 for line in want if not line.startswith("symlink"))
    assert f"filetool: {n} files, " in r.out, r.text


def test_missing_source_is_an_error(tmp_path):
    exe = tmp_path / "filetool"
    subprocess.run(["gcc", "-O2", str(APP / "main.c"), str(APP / "sha256.c"), "-o", str(exe)], check=True)
    r = subprocess.run([str(exe), str(tmp_path / "nope"), str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert r.stderr == f"filetool: stat {tmp_path / 'nope'}: No such file or directory\n"
