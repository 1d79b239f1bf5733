"""Host tests of os/drivers/virtio-net/rx.c and tx.c (mergeable buffers →
netbuf chains, buffers back into the ring; the TX queue filling up),
against a scripted device: the real rx.c, tx.c, hdr.c and uknetdev
netbuf.c/netdev.c, with the virtqueues, allocator and interrupt mask faked
(tests/host/virtio-net/ring_harness.c), under ASan/UBSan.

- a correct device: every frame arrives intact, in exactly as many
  buffers as the device filled, and every buffer returns to the ring;
- a device writing random headers, buffer counts and lengths (what the
  virtio core's bounds checks let through): 8 seeds x 100k rounds; no
  memory error, no frame outside [14, MTU + 18] bytes, offload flags only
  with GUEST_CSUM, and every buffer accounted for (posted, used, in a
  partial frame, or held by the stack) after every round;
- TX: with 2 buffers the third frame gets -EAGAIN and arms the TX
  interrupt; the device's first completion calls the TX-ready callback
  once; buffers are reused (no more allocations); a chain is copied whole
  behind the header; a partial checksum is completed in software without
  the device's CSUM, and left to the device (NEEDS_CSUM) with it.
"""
import subprocess
from pathlib import Path

import pytest

from guestcc import require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "drivers" / "virtio-net"
HERE = Path(__file__).resolve().parent / "virtio-net"


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    gcc = require("gcc", "gcc")
    exe = tmp_path_factory.mktemp("vnet-rings") / "ring_harness"
    incs = [ROOT / "os" / "include", ROOT / "os" / "lib" / "uknetdev" / "include",
            ROOT / "os" / "lib" / "ukalloc" / "include", ROOT / "os" / "drivers" / "virtio" / "include", LIB]
    subprocess.run([gcc, "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror",
                    *[f"-I{i}" for i in incs], "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
                    str(HERE / "ring_harness.c"), str(LIB / "rx.c"), str(LIB / "tx.c"), str(LIB / "hdr.c"),
                    str(ROOT / "os" / "lib" / "uknetdev" / "netbuf.c"),
                    str(ROOT / "os" / "lib" / "uknetdev" / "netdev.c"), "-o", str(exe)], check=True)
    return exe


def run(exe, *args):
    r = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.splitlines()


def test_mergeable_frames_become_chains(harness):
    # 512-byte buffers: a 64-byte netbuf record, 448 bytes for the device,
    # which fills them one after the other with the 12-byte header + frame
    out = run(harness, "good", 1, 512, 16, 60, 1442, 1500, 500, 501)
    size = 512 - 64
    want = [f"frame len={n} bufs={-(-(12 + n) // size)} ok=1" for n in (60, 1442, 1500, 500, 501)]
    assert out[:-1] == want
    assert out[-1] == "stats rx=5 errors=0 drops=0 posted=16 bufs=16"


def test_whole_frames_without_mergeable_buffers(harness):
    out = run(harness, "good", 0, 2048, 16, 60, 1442, 1514)
    assert out == ["frame len=60 bufs=1 ok=1", "frame len=1442 bufs=1 ok=1",
                   "frame len=1514 bufs=1 ok=1", "stats rx=3 errors=0 drops=0 posted=16 bufs=16"]


@pytest.mark.parametrize("seed", range(1, 9))
def test_a_device_sending_garbage_never_breaks_the_driver(harness, seed):
    out = run(harness, "fuzz", seed, 100_000)
    assert out[-1].startswith("stats rx="), out


def test_tx_full_callback_reuse_and_checksum(harness):
    out = run(harness, "tx")
    frame = bytes(range(40)) + bytes(range(0x80, 0x94))
    assert out[:3] == ["tx1 rc=0", "tx2 rc=0", "tx3 rc=-11 armed=1 full=1 allocs=2"]
    sent = f"sent len=60 hdr_flags=0 start=0 off=0 data={frame[:48].hex()}"
    assert out[3:7] == [sent, "events=1 armed=0", sent, "events=1"]
    # software checksum over bytes 34.. with the field (36, 37) zero
    seg = bytearray(frame[34:])
    seg[2:4] = b"\0\0"
    s = sum(int.from_bytes(seg[i:i + 2], "big") for i in range(0, len(seg), 2))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    c = (~s & 0xFFFF) or 0xFFFF
    done = bytearray(frame)
    done[36:38] = c.to_bytes(2, "big")
    assert out[7:9] == ["tx4 rc=0 allocs=2",
                        f"sent len=60 hdr_flags=0 start=0 off=0 data={bytes(done[:48]).hex()}"]
    seeded = bytearray(frame)
    seeded[36:38] = b"\0\0"
    assert out[9:11] == ["tx5 rc=0", f"sent len=60 hdr_flags=1 start=34 off=2 data={bytes(seeded[:48]).hex()}"]
    assert out[11] == "stats tx=4 bytes=240 full=1 drops=0"


def test_a_burst_of_tx_frames_leaves_no_memory_behind(harness):
    # The TX buffers are allocated at set-up: a burst of replies (the
    # boot flood's SYN-ACKs and RSTs) must not grow the driver's memory
    # for good (it used to: one 2048-byte buffer per frame ever in flight
    # at once, kept on the free list).
    out = run(harness, "txburst", 16)
    assert out[-1] == "idle allocs before=64 after=64 bufs=64"
