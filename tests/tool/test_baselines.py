"""Fast checks of the pure helpers of the benchmark baselines (no QEMU, no
network): the cpio writer (uniforge/cpio.py), Linux's command line (taken
from the uniforge runner), the bzImage unpacker."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


sys.path.insert(0, str(REPO / "benchmarks"))
import common  # noqa: E402
import linux_boot  # noqa: E402
import linux_kernel  # noqa: E402
import vmm_floor  # noqa: E402
from uniforge import cpio  # noqa: E402
from uniforge.runner.qemu import machine_args  # noqa: E402
from uniforge.targets import TARGETS  # noqa: E402


def _archive() -> bytes:
    return cpio.write_newc([
        cpio.newc_dir("dev"),
        cpio.newc_chardev("dev/console", 5, 1),
        cpio.newc_file("init", b"\x7fELF" + b"x" * 13, 0o755),  # odd size: exercises padding
        cpio.newc_file("etc-motd", b""),
    ])


def test_newc_layout():
    data = _archive()
    assert data.startswith(b"070701")
    assert len(data) % 4 == 0
    assert b"TRAILER!!!\0" in data
    # first header: 6 magic + 13 fields of 8 hex digits
    fields = [int(data[6 + 8 * i: 14 + 8 * i], 16) for i in range(13)]
    assert fields[1] == 0o040755  # mode of "dev"
    assert fields[11] == len(b"dev\0")  # namesize counts the NUL


def test_newc_rejects_absolute_names():
    with pytest.raises(ValueError):
        cpio.write_newc([cpio.newc_file("/init", b"")])


def test_newc_lists_with_cpio(tmp_path):
    if shutil.which("cpio") is None:     # a failure naming the package, never a skip
        pytest.fail("cpio not found: install the Debian package cpio (./dev setup does)")
    out = subprocess.run(["cpio", "-itv", "--quiet"], input=_archive(), capture_output=True, timeout=10)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert [ln.split()[-1] for ln in lines] == ["dev", "dev/console", "init", "etc-motd"]
    console = lines[1].split()
    assert console[0].startswith("c") and console[4:6] == ["5,", "1"]
    assert lines[2].startswith("-rwxr-xr-x") and " 17 " in lines[2]
    # and it extracts: file contents survive (device nodes skipped: no root needed)
    subprocess.run(["cpio", "-id", "--quiet", "--no-absolute-filenames", "init"], input=_archive(),
                   cwd=tmp_path, check=True, timeout=10)
    assert (tmp_path / "init").read_bytes() == b"\x7fELF" + b"x" * 13


def test_linux_append():
    assert linux_boot.linux_append("arm64", "virt") == "console=ttyAMA0 quiet panic=-1"
    assert linux_boot.linux_append("x86_64", "pc", 2_000_000) == "console=ttyS0 quiet panic=-1"
    assert linux_boot.linux_append("x86_64", "microvm", 2_000_000).endswith(" tsc_early_khz=2000000")


@pytest.mark.parametrize("arch, machine, target", [
    ("x86_64", "pc", "qemu/x86_64"), ("x86_64", "microvm", "microvm/x86_64"), ("arm64", "virt", "qemu/arm64")])
def test_baselines_boot_on_the_runners_own_command_line(tmp_path, arch, machine, target):
    cmd = linux_boot.linux_cmd(arch, machine, 256, kernel=tmp_path / "vmlinuz", initrd=tmp_path / "initrd",
                               tsc_khz=2_000_000)
    runner = machine_args(TARGETS[target], "tcg", 256)
    assert cmd[:len(runner)] == runner and "-accel" in runner and "tcg" in runner
    assert cmd[len(runner):] == ["-kernel", str(tmp_path / "vmlinuz"), "-initrd", str(tmp_path / "initrd"),
                                 "-append", linux_boot.linux_append(arch, machine, 2_000_000)]
    fmt = vmm_floor.DEFAULT_FORMAT[(arch, machine)]
    floor = vmm_floor.floor_cmd(arch, machine, fmt)
    assert floor[:-2] == machine_args(TARGETS[target], "tcg") and floor[-2] == "-kernel"


def test_unknown_arch_and_machine_are_user_errors():
    with pytest.raises(common.BaselineError):
        linux_boot.linux_append("riscv64", "virt")
    with pytest.raises(common.BaselineError):
        common.machine_target(common.ARCHES["arm64"], "microvm")


def test_gzip_roundtrip_is_reproducible(tmp_path):
    # build_initramfs writes gzip with mtime=0: the same input gives the same bytes
    a, b = (gzip.compress(_archive(), mtime=0) for _ in range(2))
    assert a == b and gzip.decompress(a) == _archive()


def _fake_bzimage(payload: bytes, setup_sects: int = 3) -> bytes:
    hdr = bytearray((setup_sects + 1) * 512)
    hdr[0x1F1] = setup_sects
    hdr[0x202:0x206] = b"HdrS"
    hdr[0x248:0x24C] = (16).to_bytes(4, "little")  # payload offset from the protected-mode code
    hdr[0x24C:0x250] = len(payload).to_bytes(4, "little")
    return bytes(hdr) + b"\0" * 16 + payload + b"trailing"


@pytest.mark.parametrize("compress", ["gzip", "xz"])
def test_bzimage_payload(compress):
    import lzma

    elf = b"\x7fELF" + bytes(range(256)) * 4
    packed = gzip.compress(elf) if compress == "gzip" else lzma.compress(elf, format=lzma.FORMAT_XZ)
    assert linux_kernel.bzimage_payload(_fake_bzimage(packed)) == elf


def test_bzimage_payload_rejects_non_bzimage():
    with pytest.raises(common.BaselineError):
        linux_kernel.bzimage_payload(b"\0" * 4096)


def test_baseline_tables_keep_target_names_at_80_columns(monkeypatch, capsys):
    import linux_baseline
    monkeypatch.setenv("COLUMNS", "80")
    linux_baseline._table([("x86_64/microvm", "vmlinux", "3.01 s", "1.74 s", "1/1", "12 MiB (bound)", "40 s")],
                          ("target", "Linux kernel", "to line (median)", "QEMU CPU", "ok", "min -m", "search"),
                          "Linux to LINUX-INIT-HELLO (TCG)")
    out = capsys.readouterr().out
    assert "x86_64/microvm" in out and "…" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
