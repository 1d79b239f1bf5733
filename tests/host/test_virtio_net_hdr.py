"""Host tests of os/drivers/virtio-net/hdr.c, the virtio-net header and
software checksum (pure functions): built with the host gcc under
ASan/UBSan, and with the guest flags for both architectures (-Werror).
The device-facing paths are booted in tests/boot/test_netdev.py."""
import random
import struct
import subprocess
from pathlib import Path

import pytest

from guestcc import ARCH_NAMES, compile_guest, require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "drivers" / "virtio-net"
HERE = Path(__file__).resolve().parent / "virtio-net"

CSUM_PARTIAL, DATA_VALID = 1, 2
NEEDS_CSUM, HDR_DATA_VALID = 1, 2
EINVAL = 22


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    gcc = require("gcc", "gcc")
    exe = tmp_path_factory.mktemp("vnet") / "harness"
    subprocess.run([gcc, "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                    "-I", str(ROOT / "os" / "include"), "-I", str(ROOT / "os" / "lib" / "uknetdev" / "include"),
                    "-I", str(LIB), "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    str(HERE / "harness.c"), str(LIB / "hdr.c"), "-o", str(exe)], check=True)
    return exe


def run(exe, *args, data=None):
    r = subprocess.run([str(exe), *map(str, args)], input=data, capture_output=True)
    assert r.returncode == 0, r.stderr.decode()
    return r.stdout.decode().strip()


def rx(exe, flags=0, gso=0, nbuf=1, mrg=1, guest_csum=1, maxbufs=8, start=0, off=0):
    return run(exe, "rx", flags, gso, nbuf, mrg, guest_csum, maxbufs, start, off)


def test_rx_header_counts_buffers_and_refuses_what_a_device_cannot_send(harness):
    assert rx(harness, nbuf=3) == "rc=3 flags=0 start=0 off=0"
    # without mergeable buffers num_buffers is not read: one buffer
    assert rx(harness, nbuf=0, mrg=0) == "rc=1 flags=0 start=0 off=0"
    assert rx(harness, nbuf=0).startswith(f"rc=-{EINVAL} ")
    assert rx(harness, nbuf=9, maxbufs=8).startswith(f"rc=-{EINVAL} ")
    assert rx(harness, nbuf=8, maxbufs=8).startswith("rc=8 ")
    assert rx(harness, gso=1).startswith(f"rc=-{EINVAL} ")     # GSO never negotiated


def test_rx_header_offload_flags_only_with_guest_csum(harness):
    assert rx(harness, flags=HDR_DATA_VALID) == f"rc=1 flags={DATA_VALID} start=0 off=0"
    assert rx(harness, flags=HDR_DATA_VALID, guest_csum=0) == "rc=1 flags=0 start=0 off=0"
    assert rx(harness, flags=NEEDS_CSUM, start=34, off=6) == f"rc=1 flags={CSUM_PARTIAL} start=34 off=6"
    assert rx(harness, flags=NEEDS_CSUM, guest_csum=0, start=34, off=6).startswith(f"rc=-{EINVAL} ")


def test_tx_header(harness):
    # nothing to offload: a zeroed header
    assert run(harness, "tx", 60, 1, 0, 0, 0) == "rc=0 flags=0 start=0 off=0 gso=0 nbuf=0"
    # partial with a device that completes it
    assert run(harness, "tx", 60, 1, CSUM_PARTIAL, 34, 6) == \
        f"rc=0 flags={NEEDS_CSUM} start=34 off=6 gso=0 nbuf=0"
    # partial without: the driver completes it, the header says nothing
    assert run(harness, "tx", 60, 0, CSUM_PARTIAL, 34, 6) == "rc=0 flags=0 start=0 off=0 gso=0 nbuf=0"
    # the field must lie inside the frame
    assert run(harness, "tx", 42, 1, CSUM_PARTIAL, 34, 6) == "rc=0 flags=1 start=34 off=6 gso=0 nbuf=0"
    assert run(harness, "tx", 41, 1, CSUM_PARTIAL, 34, 6).startswith(f"rc=-{EINVAL} ")


def ones_sum(b: bytes) -> int:
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def udp_frame(payload: bytes) -> tuple[bytes, int]:
    """An Ethernet+IPv4+UDP frame whose UDP checksum field holds the
    pseudo-header sum (as a stack leaves it for CSUM_PARTIAL), and the
    checksum a correct completion writes there."""
    src, dst = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])
    ulen = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17, 0, src, dst)
    pseudo = ones_sum(src + dst + struct.pack("!BBH", 0, 17, ulen))
    udp = struct.pack("!HHHH", 1234, 5678, ulen, pseudo) + payload
    full = ones_sum(src + dst + struct.pack("!BBH", 0, 17, ulen) +
                    struct.pack("!HHHH", 1234, 5678, ulen, 0) + payload)
    want = (~full) & 0xFFFF or 0xFFFF
    return b"\xff" * 6 + b"\x02" * 6 + b"\x08\x00" + ip + udp, want


@pytest.mark.parametrize("size", [0, 1, 2, 3, 17, 300, 1472])
def test_software_checksum_matches_the_reference(harness, size):
    rnd = random.Random(size)
    payload = bytes(rnd.randrange(256) for _ in range(size))
    frame, want = udp_frame(payload)
    out = bytes.fromhex(run(harness, "csum", 34, 6, data=frame))
    assert out[:40] == frame[:40] and out[42:] == frame[42:]
    assert struct.unpack("!H", out[40:42])[0] == want
    # and a receiver's check of the whole segment passes
    assert ones_sum(bytes([10, 0, 2, 15, 10, 0, 2, 2]) + struct.pack("!BBH", 0, 17, 8 + size) +
                    out[34:]) == 0xFFFF


@pytest.mark.parametrize("arch", ARCH_NAMES)
def test_builds_with_the_guest_flags(arch, tmp_path):
    compile_guest(arch, [LIB / "hdr.c"], out_dir=tmp_path, libname="virtio-net", config={},
                  includes=[ROOT / "os" / "lib" / "uknetdev" / "include"])
