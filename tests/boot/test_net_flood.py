"""The malformed-frame flood against a booted guest (issue 9, robustness).

The guest (tests/fixtures/netflood: musl, posix-socket; UDP echo on 7, a
TCP listener on 80, memory in use on request) gets a static address
(-k netdev.ip=10.0.2.15/24) and one NIC whose other end is this test:
QEMU's socket backend (`-netdev socket,udp=...,localaddr=...`) carries
each raw Ethernet frame in one UDP datagram on 127.0.0.1, so the test
sends and receives frames without root, a tap device or slirp in between.
The test plays the host 10.0.2.2 (it answers the guest's ARP requests).

1. Before: the guest answers an ARP request and a UDP echo in raw frames;
   its memory in use (uk_alloc_stats of the default allocator, which
   lwIP's heap and pools come from) is read twice, and must be stable.
2. The flood: FRAMES frames of the kinds in tests/netframes.py (bad IP,
   TCP, UDP and ICMP checksums; truncated Ethernet/IP/TCP/UDP headers; IP
   total length past the frame or below the header, header length < 5 or
   past the packet, bad versions; UDP lengths and TCP data offsets that
   lie; bad TCP options and flag soup; SYNs never completed; incomplete,
   tail-only, overlapping and far-offset fragments; ARP junk and spoofing
   of the guest's own address; IPv6 junk; unknown ethertypes; VLAN tags;
   random bytes), at most FLOOD_S seconds.
3. After: the guest has not crashed, still answers ARP and UDP echo, and
   its memory in use — right after the flood above the baseline (the flood
   reached the stack: half-open connections, fragments waiting) — comes
   back to the baseline once lwIP's timeouts expire (reassembly 15 s,
   SYN-RCVD 20 s, ARP queue 5 s): the test polls for SETTLE_S seconds.
   Tolerance: none. Bytes and allocations in use must equal the baseline
   exactly: the allocator counts usable sizes, nothing in the stack may
   keep memory for a frame it dropped, and the echo app itself allocates
   nothing per datagram. (Once 10-16 allocations of 2048 bytes stayed:
   virtio-net grew its TX buffers lazily, one per frame ever in flight at
   once, and the flood's bursts of SYN-ACKs and RSTs grew them for good;
   they are allocated at set-up now, see os/drivers/virtio-net/tx.c.)
4. "quit": the app exits 0.
"""
from __future__ import annotations

import queue
import random
import re
import socket
import struct
import threading
import time

import pytest

import netframes as nf
from conftest import REPO, copy_app, free_port, uniforge

pytestmark = pytest.mark.boot

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
GUEST_MAC, GUEST_IP = "52:54:00:f1:00:d1", "10.0.2.15"
HOST_MAC, HOST_IP = "52:55:0a:00:02:02", "10.0.2.2"
FRAMES = 5000
FLOOD_S = 60.0
SETTLE_S = 60.0
BOOT_S = 300.0
PEER = nf.Peer(nf.mac(HOST_MAC), nf.ip4(HOST_IP), nf.mac(GUEST_MAC), nf.ip4(GUEST_IP))


class Link:
    """This test's end of the guest's NIC: QEMU sends the guest's frames to
    `rx_port`, and takes frames for the guest on `tx_port`. A thread answers
    the guest's ARP requests for 10.0.2.2 and queues every other frame."""

    def __init__(self):
        self.rx_port, self.tx_port = free_port("udp"), free_port("udp")
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", self.rx_port))
        self.sock.settimeout(0.2)
        self.frames: queue.Queue[bytes] = queue.Queue()
        self.console = lambda: ""
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def netdev(self) -> list[str]:
        return ["-netdev", f"socket,id=fl0,udp=127.0.0.1:{self.rx_port},localaddr=127.0.0.1:{self.tx_port}"]

    def send(self, frame: bytes) -> None:
        self.sock.sendto(frame, ("127.0.0.1", self.tx_port))

    def _loop(self):
        while not self.stop.is_set():
            try:
                f = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            if f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x01" and f[38:42] == PEER.hip:
                self.send(nf.eth(f[6:12], PEER.hmac, nf.ETH_ARP, nf.arp(2, PEER.hmac, PEER.hip, f[22:28], f[28:32])))
                continue
            self.frames.put(f)

    def expect(self, pred, timeout: float, what: str) -> bytes:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                f = self.frames.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                break
            if pred(f):
                return f
        pytest.fail(f"the guest did not answer: {what} (within {timeout:.0f} s); its console ends with:\n"
                    + self.console()[-3000:])

    def drain(self):
        while not self.frames.empty():
            self.frames.get_nowait()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


def udp_reply(f: bytes, sport: int) -> bytes | None:
    """The UDP payload of a frame from guest:7 to host:sport, else None."""
    if f[12:14] != b"\x08\x00" or f[23] != nf.PROTO_UDP:
        return None
    ihl = (f[14] & 15) * 4
    u = f[14 + ihl:]
    if struct.unpack_from("!HH", u) != (7, sport):
        return None
    return u[8:struct.unpack_from("!H", u, 4)[0]]


def ask(link: Link, data: bytes, timeout: float = 20.0) -> bytes:
    """Send data to the guest's UDP port 7, return its answer."""
    sport = random.randrange(20000, 60000)
    link.send(PEER.udp_frame(sport, 7, data))
    return udp_reply(link.expect(lambda f: udp_reply(f, sport) is not None, timeout, f"UDP {data[:16]!r}"), sport)


def memory(link: Link) -> tuple[int, int]:
    m = re.fullmatch(rb"mem cur=(\d+) live=(\d+)", ask(link, b"mem"))
    assert m, "bad answer to mem"
    return int(m.group(1)), int(m.group(2))


def check_alive(link: Link):
    link.drain()
    link.send(PEER.arp_request())
    link.expect(lambda f: f[12:14] == b"\x08\x06" and f[20:22] == b"\x00\x02" and f[28:32] == PEER.gip
                and f[22:28] == PEER.gmac, 20, "ARP request for 10.0.2.15")
    payload = bytes(random.getrandbits(8) for _ in range(300))
    assert ask(link, payload) == payload


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return copy_app(REPO / "tests" / "fixtures" / "netflood", tmp_path_factory.mktemp("flood"))


@pytest.mark.parametrize("target", TARGETS)
def test_flood_of_malformed_frames(app, target):
    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS as TABLE

    out: list[str] = []
    r = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert r.rc == 0, r.text
    t = TABLE[target]
    image = app / ".uniforge" / "build" / t.slug / f"netflood_{t.slug}"
    link = Link()
    link.console = lambda: "".join(out)
    dev = f"{t.nic},netdev=fl0,mac={GUEST_MAC}" + (",romfile=" if t.nic.endswith("-pci") else "")
    spec = RunSpec(target=t, image=image, image_dbg=image.with_name(image.name + ".dbg"),
                   kernel_args=[f"netdev.ip={GUEST_IP}/24", f"netdev.gw={HOST_IP}"],
                   timeout=BOOT_S + FLOOD_S + SETTLE_S + 120, net="none",
                   extra_vmm_args=link.netdev() + ["-device", dev])
    ready = threading.Event()
    result: list = []

    def write(text):
        out.append(text)
        if "netflood: ready" in "".join(out[-3:]):
            ready.set()

    def boot():
        result.append(run_image(spec, write=write))
        ready.set()
    th = threading.Thread(target=boot, daemon=True)
    th.start()
    try:
        assert ready.wait(BOOT_S) and not result, "".join(out)[-3000:]
        console = lambda: "".join(out)[-3000:]     # noqa: E731
        assert re.search(rf"^UK-NET if=en0 mac={GUEST_MAC} ip={GUEST_IP}/24 .*via=static", "".join(out), re.M), \
            console()

        check_alive(link)
        base = memory(link)
        assert memory(link) == base, "memory in use moves while the guest is idle"

        rng = random.Random(f"flood-{target}")
        kinds: dict[str, int] = {}
        sent = 0
        start = time.monotonic()
        while sent < FRAMES and time.monotonic() - start < FLOOD_S:
            kind, frames = nf.malformed(PEER, rng, 7, 80)
            kinds[kind] = kinds.get(kind, 0) + 1
            for f in frames:
                link.send(f)
                sent += 1
            if sent % 64 < len(frames):
                time.sleep(0.01)     # the host socket's buffer: QEMU reads it as the guest keeps up
        assert sent >= FRAMES, f"only {sent} frames in {FLOOD_S} s"
        assert set(kinds) == set(nf.KINDS), set(nf.KINDS) - set(kinds)
        assert not result, "the guest stopped during the flood:\n" + console()

        check_alive(link)
        after = memory(link)
        assert after[0] > base[0], f"the flood left no state in the guest ({after} vs {base}): did it arrive?"
        settle = time.monotonic()
        now = after
        while now != base and time.monotonic() - settle < SETTLE_S:
            time.sleep(2)
            now = memory(link)
        check_alive(link)
        print(f"{target}: {sent} frames; memory (bytes, allocations) {base} -> {after} -> {now} "
              f"{time.monotonic() - settle:.0f} s later")

        link.send(PEER.udp_frame(9, 7, b"quit"))
        th.join(60)
        assert result, "the guest did not exit after quit"
        assert "UK-CRASH" not in "".join(out), console()
        assert result[0].status == 0, console()
        assert now == base, (f"memory in use {now} (bytes, allocations) did not come back to {base} "
                             f"within {SETTLE_S:.0f} s after the flood (right after it: {after})")
    finally:
        if th.is_alive():          # a failed check: stop the guest now, not at its timeout
            link.send(PEER.udp_frame(9, 7, b"quit"))
            th.join(30)
        link.close()
