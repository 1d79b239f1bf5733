"""Host fuzzing of lwIP's input path (tests/host/lwipfuzz).

lwIP 2.1.3 comes from Debian's source package (`lwip` 2.1.3+dfsg1-2,
fetched and patched by the tool's own uniforge/debsrc.py, with the patches
of os/lib/lwip) and is compiled for the host, NO_SYS=1, with the image's
lwipopts.h (os/lib/lwip's, when the tree has it) under the few host changes
tests/host/lwipfuzz/lwipopts.h lists. clang builds it with
-fsanitize=fuzzer,address,undefined (UBSan without its alignment check:
lwIP reads 2-aligned headers after the 14-byte Ethernet header by design,
and both our CPUs allow unaligned access to RAM).

- The seeds (well-formed sessions: ARP, ping, a TCP connection with data
  and FIN, UDP echo, DHCP OFFER/ACK, IPv4 fragments in and out of order,
  IPv6 neighbour solicitation and echo, a DNS answer, an outgoing
  connection) are replayed first and must get the answers a stack gives
  (read from the harness's TX trace), so the harness is known to reach
  those paths before it is fuzzed.
- libFuzzer then runs 1,000,000 inputs mutated from them. Any sanitizer
  report, lwIP assertion, oversized frame, or allocation left after a
  session's teardown fails the test; so does finishing fewer runs than
  asked before the time guard (-max_total_time) stops it.

Run it longer by hand: see tests/host/lwipfuzz/README.md.
"""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import netframes as nf
from guestcc import require
from uniforge import debsrc
from uniforge.library import DebianSource, parse

REPO = Path(__file__).resolve().parents[2]
LWIP_LIB = REPO / "os" / "lib" / "lwip"
HERE = Path(__file__).resolve().parent / "lwipfuzz"
FUZZ_RUNS = 1_000_000
TIME_GUARD_S = 1200          # fail, not pass, if 1M runs take longer than this (~270 s under load)

HOST_MAC, HOST_IP = nf.mac("52:55:0a:00:02:02"), nf.ip4("10.0.2.2")
DNS_IP = nf.ip4("10.0.2.3")
EN0_MAC, EN0_IP = nf.mac("52:54:00:12:34:56"), nf.ip4("10.0.2.15")
EN1_MAC = nf.mac("52:54:00:12:34:57")
EN0_V6 = nf.ip6("fd00::15")
HOST_V6 = nf.ip6("fd00::2")
ISN = 0x01000000             # fz_isn() in fuzz.c
PEER = nf.Peer(HOST_MAC, HOST_IP, EN0_MAC, EN0_IP)


def lwip_source() -> DebianSource:
    """os/lib/lwip's [debian] table: the package, version and our patches."""
    lib = parse(LWIP_LIB)
    assert lib.debian is not None, "os/lib/lwip has no [debian] table"
    return lib.debian


def private_copy(src: DebianSource, dest: Path) -> Path:
    """lwIP's src/ folder, fetched and patched in the cache (debsrc), copied
    to dest: other tests may re-make the cached tree (another patch set)
    while this one compiles. The copy is retried if the tree changed
    under it."""
    for _ in range(5):
        tree = debsrc.ensure(src)
        shutil.rmtree(dest, ignore_errors=True)
        try:
            shutil.copytree(tree / "src", dest / "src")
        except (OSError, shutil.Error):
            continue
        if debsrc.is_cached(src):
            return dest
    pytest.fail(f"the cached tree {debsrc.tree_dir(src)} kept changing while it was copied")


@pytest.fixture(scope="module")
def fuzzer(tmp_path_factory) -> Path:
    clang = require("clang", "clang")
    d = tmp_path_factory.mktemp("lwipfuzz")
    tree = private_copy(lwip_source(), d / "lwip")
    srcs = sorted(str(p) for sub in ("core", "core/ipv4", "core/ipv6") for p in (tree / "src" / sub).glob("*.c"))
    srcs.append(str(tree / "src" / "netif" / "ethernet.c"))
    flags = ["-g", "-O1", "-fno-sanitize-recover=all", "-fno-sanitize=alignment", "-I", str(HERE),
             "-I", str(tree / "src" / "include")]
    opts = LWIP_LIB / "include" / "lwipopts.h"
    flags += [f'-DLWIPFUZZ_IMAGE_OPTS="{opts}"']
    # the timer list is walked on every tick: without coverage instrumentation
    # there it does not dominate the run (it is still under ASan/UBSan)
    timeouts = next(s for s in srcs if s.endswith("/timeouts.c"))
    srcs.remove(timeouts)
    p = subprocess.run([clang, *flags, "-fsanitize=address,undefined", "-c", timeouts, "-o", str(d / "timeouts.o")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-4000:]
    exe = d / "fuzz"
    p = subprocess.run([clang, *flags, "-fsanitize=fuzzer,address,undefined", *srcs, str(HERE / "fuzz.c"),
                        str(d / "timeouts.o"), "-o", str(exe)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-4000:] + "\n(libFuzzer: Debian packages clang and libclang-rt-14-dev)"
    return exe


# --- input records (fuzz.c: LLVMFuzzerTestOneInput) ----------------------

def frame(f: bytes, ifn: int = 0) -> bytes:
    return bytes([ifn]) + struct.pack("!H", len(f)) + f


def act(op: int, arg: int = 0) -> bytes:
    return bytes([0xF0 | op, arg])


TICK, WRITE, CLOSE, SHUT_WR, UDP_OUT, RESOLVE, FAIL_ALLOC, CONNECT, BOUNCE_EN1 = range(9)


def tick_s(seconds: int) -> bytes:
    """Ticks adding up to at least `seconds` (the action doubles 100 ms per step)."""
    out, left = b"", seconds * 1000
    while left > 0:
        out += act(TICK, 7)       # 12.8 s
        left -= 12800
    return out


def replay(exe: Path, data: bytes, tmp_path: Path) -> list[tuple[int, bytes]]:
    """Run one input in trace mode: the frames lwIP sent, as (netif, bytes)."""
    f = tmp_path / "input"
    f.write_bytes(data)
    r = subprocess.run([str(exe), str(f)], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "LWIPFUZZ_TRACE": "1"})
    assert r.returncode == 0, r.stderr[-3000:]
    last = r.stdout.rsplit("SESSION\n", 1)[-1]      # libFuzzer runs an empty input first
    return [(int(m.group(1)), bytes.fromhex(m.group(2)))
            for m in re.finditer(r"^TX en(\d) ([0-9a-f]*)$", last, re.M)]


def ipv4_payloads(tx, proto: int):
    """(src, dst, payload) of every IPv4 packet of protocol proto sent."""
    for _, f in tx:
        if f[12:14] == b"\x08\x00" and f[23] == proto:
            ihl = (f[14] & 15) * 4
            total = struct.unpack_from("!H", f, 16)[0]
            yield f[26:30], f[30:34], f[14 + ihl:14 + total]


def tcp_segments(tx):
    for _, _, seg in ipv4_payloads(tx, nf.PROTO_TCP):
        sport, dport, seq, ack, off, flags = struct.unpack_from("!HHIIBB", seg)
        yield sport, dport, seq, ack, flags, seg[(off >> 4) * 4:]


ARP_FROM_GW = frame(nf.eth(EN0_MAC, HOST_MAC, nf.ETH_ARP, nf.arp(2, HOST_MAC, HOST_IP, EN0_MAC, EN0_IP)))
ARP_FROM_DNS = frame(nf.eth(EN0_MAC, HOST_MAC, nf.ETH_ARP, nf.arp(2, HOST_MAC, DNS_IP, EN0_MAC, EN0_IP)))


def seeds_fixed() -> dict[str, bytes]:
    """Sessions whose frames do not depend on what lwIP sends."""
    t = PEER.tcp_frame
    syn = t(40000, 80, 1000, 0, nf.TCP_SYN, options=b"\x02\x04\x05\xb4\x03\x03\x02\x04\x02\x08\x0a" + bytes(8))
    payload = nf.udp(HOST_IP, EN0_IP, 5000, 7, bytes(range(200)))
    frags = [PEER.ip_frame(nf.PROTO_UDP, payload[a:b], ident=77, frag_off=a, more=b < len(payload))
             for a, b in ((0, 64), (64, 136), (136, len(payload)))]
    ll = nf.link_local(EN0_MAC)
    host_ll = nf.link_local(HOST_MAC)
    ns = nf.icmp6(host_ll, nf.solicited_node(ll), 135, 0, b"\0" * 4 + ll + b"\x01\x01" + HOST_MAC)
    echo6 = nf.icmp6(host_ll, ll, 128, 0, struct.pack("!HH", 9, 1) + b"v6 ping")
    echo6g = nf.icmp6(HOST_V6, EN0_V6, 128, 0, struct.pack("!HH", 9, 2) + b"v6 ping global")
    return {
        "arp_request": frame(PEER.arp_request()),
        "ping": ARP_FROM_GW + frame(PEER.ping(0x1234, 1, b"abcdefgh" * 8)),
        "tcp_session": ARP_FROM_GW + frame(syn)
        + frame(t(40000, 80, 1001, ISN + 1, nf.TCP_ACK))
        + frame(t(40000, 80, 1001, ISN + 1, nf.TCP_ACK | nf.TCP_PSH, b"ping\n"))
        + act(TICK, 3) + act(WRITE, 40)
        + frame(t(40000, 80, 1006, ISN + 1 + 7 + 5, nf.TCP_ACK))
        + frame(t(40000, 80, 1006, ISN + 1 + 7 + 5, nf.TCP_ACK | nf.TCP_FIN)) + act(TICK, 4),
        "udp_echo": ARP_FROM_GW + frame(PEER.udp_frame(5000, 7, b"hello udp")),
        "ip_fragments": ARP_FROM_GW + b"".join(frame(f) for f in frags),
        "ip_fragments_reversed": ARP_FROM_GW + b"".join(frame(f) for f in reversed(frags)),
        "ip_fragments_overlap": ARP_FROM_GW + frame(frags[0]) + frame(
            PEER.ip_frame(nf.PROTO_UDP, payload[32:100], ident=77, frag_off=32, more=True)) + frame(frags[2]),
        "ip_fragment_incomplete": frame(frags[1]) + tick_s(16),
        "ipv6_ns_echo": frame(nf.eth(nf.mcast_mac6(nf.solicited_node(ll)), HOST_MAC, nf.ETH_IP6,
                                     nf.ipv6(host_ll, nf.solicited_node(ll), nf.PROTO_ICMP6, ns, hop=255)))
        + frame(nf.eth(EN0_MAC, HOST_MAC, nf.ETH_IP6, nf.ipv6(host_ll, ll, nf.PROTO_ICMP6, echo6)))
        + frame(nf.eth(EN0_MAC, HOST_MAC, nf.ETH_IP6, nf.ipv6(HOST_V6, EN0_V6, nf.PROTO_ICMP6, echo6g))),
        "connect_out": act(CONNECT) + ARP_FROM_GW,
        "udp_out_arp": act(UDP_OUT, 5) + ARP_FROM_GW + act(TICK, 5),
        "bounce_dhcp": act(BOUNCE_EN1) + tick_s(10),
    }


def seeds(exe: Path, tmp_path: Path) -> dict[str, bytes]:
    """All seeds; the DHCP, DNS and outgoing-connection sessions answer what
    the harness sent first (its xid, query id, ports), read from a replay."""
    out = seeds_fixed()
    # DHCP: the DISCOVER's xid, then OFFER, the REQUEST, ACK
    tx = replay(exe, b"", tmp_path)
    disc = [p for s, d, p in ipv4_payloads([x for x in tx if x[0] == 1], nf.PROTO_UDP) if p[2:4] == b"\x00\x43"]
    assert disc, "no DHCP DISCOVER from en1"
    xid = struct.unpack_from("!I", disc[0], 12)[0]
    opts = [(54, HOST_IP), (51, struct.pack("!I", 3600)), (1, nf.ip4("255.255.255.0")), (3, HOST_IP), (6, DNS_IP)]

    def dhcp_frame(msgtype):
        d = nf.dhcp(2, xid, EN1_MAC, msgtype, yiaddr=nf.ip4("10.0.2.16"), siaddr=HOST_IP, options=opts)
        bcast = nf.ip4("255.255.255.255")
        return frame(nf.eth(nf.BROADCAST, HOST_MAC, nf.ETH_IP,
                            nf.ipv4(HOST_IP, bcast, nf.PROTO_UDP, nf.udp(HOST_IP, bcast, 67, 68, d))), 1)
    out["dhcp_offer_ack"] = dhcp_frame(2) + dhcp_frame(5) + tick_s(3)
    out["dhcp_nak"] = dhcp_frame(2) + dhcp_frame(6) + tick_s(5)
    # DNS: the query's id and source port
    ask = act(RESOLVE, 1) + ARP_FROM_DNS
    q = [p for s, d, p in ipv4_payloads(replay(exe, ask, tmp_path), nf.PROTO_UDP) if p[2:4] == b"\x00\x35"]
    assert q, "no DNS query"
    sport, qid = struct.unpack_from("!H", q[0])[0], struct.unpack_from("!H", q[0], 8)[0]
    ans = nf.dns_answer(qid, "example.org", nf.ip4("93.184.216.34"))
    out["dns_answer"] = ask + frame(nf.eth(EN0_MAC, HOST_MAC, nf.ETH_IP, nf.ipv4(
        DNS_IP, EN0_IP, nf.PROTO_UDP, nf.udp(DNS_IP, EN0_IP, 53, sport, ans))))
    # an outgoing connection: the SYN's port, then SYN-ACK, data, FIN
    tx = replay(exe, out["connect_out"], tmp_path)
    syn = [s for s in tcp_segments(tx) if s[1] == 8080 and s[4] == nf.TCP_SYN]
    assert syn, "no SYN to 10.0.2.2:8080"
    lport, iss = syn[0][0], syn[0][2]
    t = PEER.tcp_frame
    out["connect_out"] += (frame(t(8080, lport, 5000, iss + 1, nf.TCP_SYN | nf.TCP_ACK, options=b"\x02\x04\x05\xb4"))
                           + frame(t(8080, lport, 5001, iss + 3, nf.TCP_ACK | nf.TCP_PSH, b"data"))
                           + frame(t(8080, lport, 5005, iss + 3, nf.TCP_ACK | nf.TCP_FIN)) + act(TICK, 4))
    import random
    rng = random.Random(9)
    for i in range(12):
        kind, frames = nf.malformed(PEER, rng, 7, 80)
        out[f"malformed_{i}_{kind}"] = ARP_FROM_GW + b"".join(frame(f) for f in frames)
    return out


def test_seeds_get_the_answers_a_stack_gives(fuzzer, tmp_path):
    """The harness really reaches ARP, ICMP, TCP, UDP, reassembly, IPv6,
    DHCP, DNS and outgoing TCP: each seed session gets its answers."""
    s = seeds(fuzzer, tmp_path)
    r = lambda name: replay(fuzzer, s[name], tmp_path)   # noqa: E731

    arp = [f for _, f in r("arp_request") if f[12:14] == b"\x08\x06"]
    assert any(f[20:22] == b"\x00\x02" and f[28:32] == EN0_IP and f[38:42] == HOST_IP for f in arp)

    replies = [p for _, _, p in ipv4_payloads(r("ping"), nf.PROTO_ICMP) if p[0] == 0]
    assert replies and replies[0][4:8] == b"\x12\x34\x00\x01" and replies[0][8:] == b"abcdefgh" * 8

    segs = list(tcp_segments(r("tcp_session")))
    assert segs[0][2] == ISN and segs[0][4] == nf.TCP_SYN | nf.TCP_ACK
    data = b"".join(s[5] for s in segs if s[5])
    assert data.startswith(b"hello\r\nping\n") and len(data) >= 12 + 40 * 8
    assert any(s[4] & nf.TCP_FIN for s in segs)          # our side closed after the peer's FIN

    echoes = [p[8:] for _, _, p in ipv4_payloads(r("udp_echo"), nf.PROTO_UDP) if p[:2] == b"\x00\x07"]
    assert echoes == [b"hello udp"]

    for name in ("ip_fragments", "ip_fragments_reversed"):
        echoed = b"".join(p for _, _, p in ipv4_payloads(r(name), nf.PROTO_UDP))
        assert bytes(range(200)) in echoed, name           # reassembled, echoed (fragmented again or not)

    v6 = [f for _, f in r("ipv6_ns_echo") if f[12:14] == b"\x86\xdd"]
    assert any(f[54] == 136 for f in v6), "no neighbour advertisement"
    assert any(f[54] == 129 and f.endswith(b"v6 ping") for f in v6), "no echo reply"

    dhcp = [p for _, _, p in ipv4_payloads([x for x in r("dhcp_offer_ack") if x[0] == 1], nf.PROTO_UDP)
            if p[2:4] == b"\x00\x43"]
    assert any(b"\x35\x01\x03" in p for p in dhcp), "no DHCP REQUEST after the OFFER"

    segs = list(tcp_segments(r("connect_out")))
    assert any(s[5] == b"hi" for s in segs), "the outgoing connection sent nothing once established"


def test_allocation_failure_while_a_timer_rearms(fuzzer, tmp_path):
    """Allocations that fail while lwIP re-arms a timer (os/lib/lwip
    patches/timeouts-reserve.patch): without the patch lwIP asserts
    (`pool MEMP_SYS_TIMEOUT is empty`) and, without assertions, loses the
    timer for good."""
    for data in (act(FAIL_ALLOC, 3) + act(CONNECT, 4), act(FAIL_ALLOC, 0) + act(CONNECT) + act(TICK, 3),
                 act(FAIL_ALLOC, 7) + act(CONNECT) + ARP_FROM_GW + act(TICK, 7)):
        replay(fuzzer, data, tmp_path)
    # the TCP timer still runs after a failed re-arm: the SYN is retransmitted
    tx = replay(fuzzer, act(CONNECT) + ARP_FROM_GW + act(FAIL_ALLOC, 0) + act(TICK, 5) + act(TICK, 5), tmp_path)
    assert sum(1 for s in tcp_segments(tx) if s[4] == nf.TCP_SYN) >= 2


def test_a_segment_half_the_sequence_space_away(fuzzer, tmp_path):
    """A segment whose sequence number is 2^31 before rcv_nxt (os/lib/lwip
    patches/0003-tcp-trim-half-sequence-space-away.patch): without the
    patch lwIP's trim asserts "insane offset!" (in the guest a crash any
    peer of a connection can cause); with it the segment is dropped and
    the connection goes on."""
    t = PEER.tcp_frame
    syn = t(40000, 80, 1000, 0, nf.TCP_SYN, options=b"\x02\x04\x05\xb4\x03\x03\x02\x04\x02\x08\x0a" + bytes(8))
    far = (1001 - 0x80000000) % (1 << 32)
    tx = replay(fuzzer, ARP_FROM_GW + frame(syn)
                + frame(t(40000, 80, 1001, ISN + 1, nf.TCP_ACK))
                + b"".join(frame(t(40000, 80, (far + k) % (1 << 32), ISN + 1, nf.TCP_ACK | nf.TCP_PSH, b"x" * n))
                           for k, n in ((0, 1), (1, 1), (0, 2), (-1, 3)))
                + frame(t(40000, 80, 1001, ISN + 8, nf.TCP_ACK | nf.TCP_PSH, b"ping\n")) + act(TICK, 3),
                tmp_path)
    data = b"".join(s[5] for s in tcp_segments(tx) if s[5])
    assert data.startswith(b"hello\r\nping\n"), data


def test_fuzz_a_million_inputs(fuzzer, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, data in seeds(fuzzer, tmp_path).items():
        (corpus / name).write_bytes(data)
    r = subprocess.run([str(fuzzer), f"-runs={FUZZ_RUNS}", f"-max_total_time={TIME_GUARD_S}", "-max_len=4096",
                        "-seed=1", "-print_final_stats=1", str(corpus)],
                       capture_output=True, text=True, timeout=TIME_GUARD_S + 300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-6000:]
    assert f"Done {FUZZ_RUNS} runs" in r.stderr, (
        f"fewer than {FUZZ_RUNS} runs in {TIME_GUARD_S} s:\n" + r.stderr[-2000:])
