"""Raw Ethernet frames for the network robustness tests: well-formed ones
(ARP, ICMP echo, UDP, TCP, DHCP, IPv4 fragments, IPv6 neighbour
solicitation and echo), built from the RFCs with correct checksums, and the
malformed kinds the flood sends (bad checksums, truncated headers, bogus
lengths, overlapping and incomplete fragments, ARP junk, random bytes).

Used by tests/host/test_lwip_fuzz.py (the fuzzer's seed corpus) and
tests/boot/test_net_flood.py (the frames sent to a booted guest). Every
builder returns bytes; addresses are bytes (4 for IPv4, 6 for MACs, 16
for IPv6)."""
from __future__ import annotations

import ipaddress
import random
import struct

BROADCAST = b"\xff" * 6
ETH_IP, ETH_ARP, ETH_IP6 = 0x0800, 0x0806, 0x86DD
PROTO_ICMP, PROTO_TCP, PROTO_UDP, PROTO_ICMP6 = 1, 6, 17, 58
TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG = 0x01, 0x02, 0x04, 0x08, 0x10, 0x20


def ip4(text: str) -> bytes:
    return ipaddress.IPv4Address(text).packed


def ip6(text: str) -> bytes:
    return ipaddress.IPv6Address(text).packed


def mac(text: str) -> bytes:
    return bytes(int(x, 16) for x in text.split(":"))


def csum(data: bytes) -> int:
    """The Internet checksum (RFC 1071) of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def eth(dst: bytes, src: bytes, ethertype: int, payload: bytes) -> bytes:
    return dst + src + struct.pack("!H", ethertype) + payload


def arp(op: int, sha: bytes, spa: bytes, tha: bytes, tpa: bytes) -> bytes:
    """An ARP packet for IPv4 over Ethernet (RFC 826); op 1 request, 2 reply."""
    return struct.pack("!HHBBH", 1, ETH_IP, 6, 4, op) + sha + spa + tha + tpa


def ipv4(src: bytes, dst: bytes, proto: int, payload: bytes, *, ident: int = 1, ttl: int = 64,
         frag_off: int = 0, more: bool = False, dont: bool = False, options: bytes = b"",
         total_len: int | None = None, ihl: int | None = None, checksum: int | None = None) -> bytes:
    """An IPv4 packet (RFC 791). frag_off is in bytes (a multiple of 8).
    total_len, ihl and checksum override the correct values (for malformed
    packets); the header checksum is computed over what is sent."""
    hl = 20 + len(options)
    flags = (0x2000 if more else 0) | (0x4000 if dont else 0) | (frag_off // 8)
    tl = hl + len(payload) if total_len is None else total_len
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | (hl // 4 if ihl is None else ihl), 0, tl & 0xFFFF, ident,
                    flags, ttl, proto, 0, src, dst) + options
    c = csum(h) if checksum is None else checksum
    return h[:10] + struct.pack("!H", c) + h[12:] + payload


def _pseudo4(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    return src + dst + struct.pack("!BBH", 0, proto, length)


def _pseudo6(src: bytes, dst: bytes, proto: int, length: int) -> bytes:
    return src + dst + struct.pack("!I3xB", length, proto)


def udp(src: bytes, dst: bytes, sport: int, dport: int, data: bytes, *, length: int | None = None,
        checksum: int | None = None) -> bytes:
    """A UDP datagram (RFC 768) with its checksum over the pseudo header of
    src/dst (4 bytes: IPv4, 16: IPv6)."""
    ln = 8 + len(data)
    h = struct.pack("!HHHH", sport, dport, ln if length is None else length, 0)
    pseudo = (_pseudo4 if len(src) == 4 else _pseudo6)(src, dst, PROTO_UDP, ln)
    c = (csum(pseudo + h + data) or 0xFFFF) if checksum is None else checksum
    return h[:6] + struct.pack("!H", c) + data


def tcp(src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int, data: bytes = b"",
        *, window: int = 65535, options: bytes = b"", data_offset: int | None = None,
        checksum: int | None = None, urg: int = 0) -> bytes:
    """A TCP segment (RFC 793); options are padded to 4 bytes."""
    options += b"\0" * (-len(options) % 4)
    off = (20 + len(options)) // 4 if data_offset is None else data_offset
    h = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4, flags,
                    window, 0, urg) + options
    pseudo = (_pseudo4 if len(src) == 4 else _pseudo6)(src, dst, PROTO_TCP, len(h) + len(data))
    c = csum(pseudo + h + data) if checksum is None else checksum
    return h[:16] + struct.pack("!H", c) + h[18:] + data


def icmp_echo(ident: int, seq: int, data: bytes, *, reply: bool = False, checksum: int | None = None) -> bytes:
    h = struct.pack("!BBHHH", 0 if reply else 8, 0, 0, ident, seq)
    c = csum(h + data) if checksum is None else checksum
    return h[:2] + struct.pack("!H", c) + h[4:] + data


def ipv6(src: bytes, dst: bytes, nh: int, payload: bytes, *, hop: int = 64) -> bytes:
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, hop) + src + dst + payload


def icmp6(src: bytes, dst: bytes, typ: int, code: int, body: bytes) -> bytes:
    h = struct.pack("!BBH", typ, code, 0)
    c = csum(_pseudo6(src, dst, PROTO_ICMP6, 4 + len(body)) + h + body)
    return h[:2] + struct.pack("!H", c) + body


def solicited_node(addr: bytes) -> bytes:
    return ip6("ff02::1:ff00:0")[:13] + addr[13:]


def mcast_mac6(addr: bytes) -> bytes:
    return b"\x33\x33" + addr[12:]


def link_local(m: bytes) -> bytes:
    """fe80::/64 with the modified EUI-64 of MAC m (RFC 4291 appendix A)."""
    return ip6("fe80::")[:8] + bytes([m[0] ^ 2]) + m[1:3] + b"\xff\xfe" + m[3:]


def dhcp(op: int, xid: int, chaddr: bytes, msgtype: int, *, yiaddr: bytes = b"\0" * 4,
         siaddr: bytes = b"\0" * 4, options: list[tuple[int, bytes]] = ()) -> bytes:
    """A BOOTP/DHCP message (RFC 2131/2132): op 1 request, 2 reply;
    msgtype 1 DISCOVER, 2 OFFER, 3 REQUEST, 5 ACK, 6 NAK."""
    body = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, xid, 0, 0, b"\0" * 4, yiaddr, siaddr,
                       b"\0" * 4, chaddr.ljust(16, b"\0"), b"", b"")
    opts = bytes([53, 1, msgtype])
    for code, val in options:
        opts += bytes([code, len(val)]) + val
    return body + b"\x63\x82\x53\x63" + opts + b"\xff"


def dns_answer(qid: int, name: str, addr: bytes) -> bytes:
    """A DNS response (RFC 1035) giving one A record for name."""
    q = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0" + struct.pack("!HH", 1, 1)
    return (struct.pack("!HHHHHH", qid, 0x8180, 1, 1, 0, 0) + q
            + struct.pack("!HHHIH", 0xC00C, 1, 1, 60, 4) + addr)


# --------------------------------------------------------------------------
# the malformed-frame flood
# --------------------------------------------------------------------------

class Peer:
    """The host side of a link to the guest: both MACs and IPv4 addresses,
    and builders of frames from the host to the guest."""

    def __init__(self, host_mac: bytes, host_ip: bytes, guest_mac: bytes, guest_ip: bytes):
        self.hmac, self.hip, self.gmac, self.gip = host_mac, host_ip, guest_mac, guest_ip

    def ip_frame(self, proto: int, payload: bytes, **kw) -> bytes:
        return eth(self.gmac, self.hmac, ETH_IP, ipv4(self.hip, self.gip, proto, payload, **kw))

    def arp_request(self) -> bytes:
        return eth(BROADCAST, self.hmac, ETH_ARP, arp(1, self.hmac, self.hip, b"\0" * 6, self.gip))

    def udp_frame(self, sport: int, dport: int, data: bytes, **kw) -> bytes:
        return self.ip_frame(PROTO_UDP, udp(self.hip, self.gip, sport, dport, data), **kw)

    def ping(self, ident: int, seq: int, data: bytes) -> bytes:
        return self.ip_frame(PROTO_ICMP, icmp_echo(ident, seq, data))

    def tcp_frame(self, sport: int, dport: int, seq: int, ack: int, flags: int, data: bytes = b"", **kw) -> bytes:
        return self.ip_frame(PROTO_TCP, tcp(self.hip, self.gip, sport, dport, seq, ack, flags, data, **kw))


def malformed(peer: Peer, rng: random.Random, udp_port: int, tcp_port: int) -> tuple[str, list[bytes]]:
    """Malformed frames for the guest, of one kind drawn from rng: (kind,
    frames), one frame except for overlapping fragments (three). Each kind is something a stack must reject or survive;
    a few are well-formed on the wire but leave state behind (incomplete
    fragments, half-open connections), which must time out."""
    g, h = peer.gip, peer.hip
    data = rng.randbytes(rng.randrange(0, 64))
    sport = rng.randrange(1024, 65536)
    kind = rng.choice(KINDS)
    if kind == "ip-bad-checksum":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data), checksum=rng.randrange(1, 65536))
    elif kind == "udp-bad-checksum":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data, checksum=rng.randrange(1, 65535)))
    elif kind == "tcp-bad-checksum":
        f = peer.ip_frame(PROTO_TCP, tcp(h, g, sport, tcp_port, rng.getrandbits(32), 0, TCP_SYN,
                                         checksum=rng.randrange(1, 65536)))
    elif kind == "icmp-bad-checksum":
        f = peer.ip_frame(PROTO_ICMP, icmp_echo(1, 1, data, checksum=rng.randrange(1, 65536)))
    elif kind == "eth-truncated":
        # at least one byte: QEMU's socket backend takes an empty datagram
        # for the end of the connection and stops reading the link
        f = peer.ping(1, 1, data)[:rng.randrange(1, 14)]
    elif kind == "ip-truncated":
        f = peer.udp_frame(sport, udp_port, data)[:14 + rng.randrange(0, 20)]
    elif kind == "tcp-truncated":
        f = peer.tcp_frame(sport, tcp_port, 1, 0, TCP_SYN)[:34 + rng.randrange(0, 20)]
    elif kind == "udp-truncated":
        f = peer.udp_frame(sport, udp_port, data)[:34 + rng.randrange(0, 8)]
    elif kind == "ip-total-len-past-frame":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data), total_len=rng.randrange(29 + len(data), 65536))
    elif kind == "ip-total-len-below-header":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data), total_len=rng.randrange(0, 20))
    elif kind == "ip-ihl-below-5":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data), ihl=rng.randrange(0, 5))
    elif kind == "ip-ihl-past-packet":
        f = peer.ip_frame(PROTO_ICMP, icmp_echo(1, 1, b""), ihl=15)
    elif kind == "ip-bad-version":
        f = bytearray(peer.ping(1, 1, data))
        f[14] = (rng.choice([0, 1, 5, 6, 7, 15]) << 4) | 5
        f = bytes(f)
    elif kind == "udp-length-past-packet":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data, length=rng.randrange(9 + len(data), 65536)))
    elif kind == "udp-length-below-header":
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data, length=rng.randrange(0, 8)))
    elif kind == "tcp-data-offset-below-5":
        f = peer.tcp_frame(sport, tcp_port, 1, 0, TCP_SYN, data, data_offset=rng.randrange(0, 5))
    elif kind == "tcp-data-offset-past-segment":
        f = peer.tcp_frame(sport, tcp_port, 1, 0, TCP_SYN, b"", data_offset=rng.randrange(6, 16))
    elif kind == "tcp-bad-options":
        opts = rng.choice([b"\x02\x04", b"\x02\x00\x05\xb4", b"\x03\x01", b"\x08\xff", b"\x02\x04\x00\x00",
                           b"\x03\x03\x0f", b"\x04\x00", bytes([rng.randrange(256) for _ in range(12)])])
        f = peer.tcp_frame(sport, tcp_port, rng.getrandbits(32), 0, TCP_SYN, options=opts)
    elif kind == "tcp-flag-soup":
        f = peer.tcp_frame(sport, tcp_port, rng.getrandbits(32), rng.getrandbits(32), rng.randrange(256), data,
                           urg=rng.randrange(65536))
    elif kind == "tcp-syn-no-ack":         # half-open connections: must time out
        f = peer.tcp_frame(sport, tcp_port, rng.getrandbits(32), 0, TCP_SYN)
    elif kind == "frag-incomplete":        # first fragment only: waits for the reassembly timeout
        f = peer.ip_frame(PROTO_UDP, udp(h, g, sport, udp_port, data + bytes(64)), ident=rng.randrange(65536),
                          more=True)
    elif kind == "frag-tail-only":
        f = peer.ip_frame(PROTO_UDP, rng.randbytes(rng.randrange(1, 200)), ident=rng.randrange(65536),
                          frag_off=8 * rng.randrange(1, 200), more=rng.random() < 0.5)
    elif kind == "frag-overlap":
        # three fragments of one datagram, two overlapping; sent as one burst
        ident = rng.randrange(65536)
        payload = udp(h, g, sport, udp_port, bytes(96))
        parts = [peer.ip_frame(PROTO_UDP, payload[0:48], ident=ident, more=True),
                 peer.ip_frame(PROTO_UDP, payload[24:80], ident=ident, frag_off=24, more=True),
                 peer.ip_frame(PROTO_UDP, payload[40:], ident=ident, frag_off=40)]
        rng.shuffle(parts)
        return kind, parts
    elif kind == "frag-huge-offset":
        f = peer.ip_frame(PROTO_UDP, rng.randbytes(64), ident=rng.randrange(65536),
                          frag_off=8 * rng.randrange(8000, 8192), more=rng.random() < 0.5)
    elif kind == "arp-junk":
        a = bytearray(arp(rng.choice([1, 2, 3, 0, 0xFFFF]), rng.randbytes(6), rng.randbytes(4), rng.randbytes(6),
                          rng.choice([g, rng.randbytes(4)])))
        for _ in range(rng.randrange(0, 4)):
            a[rng.randrange(8)] = rng.randrange(256)
        f = eth(rng.choice([BROADCAST, peer.gmac]), rng.randbytes(6), ETH_ARP, bytes(a[:rng.randrange(0, 29)]))
    elif kind == "arp-spoof-guest":        # claims the guest's own address
        f = eth(BROADCAST, rng.randbytes(6), ETH_ARP, arp(2, rng.randbytes(6), g, peer.gmac, g))
    elif kind == "ipv6-junk":
        f = eth(peer.gmac, peer.hmac, ETH_IP6, rng.randbytes(rng.randrange(0, 80)))
    elif kind == "unknown-ethertype":
        f = eth(peer.gmac, peer.hmac, rng.randrange(0x600, 0x10000), data)
    elif kind == "vlan-tagged":
        f = eth(peer.gmac, peer.hmac, 0x8100, struct.pack("!HH", rng.randrange(4096), ETH_IP)
                + ipv4(h, g, PROTO_UDP, udp(h, g, sport, udp_port, data)))
    elif kind == "random":
        f = peer.gmac + rng.randbytes(rng.randrange(0, 1500))
    else:                                  # pragma: no cover - KINDS and the branches agree
        raise AssertionError(kind)
    return kind, [f]


KINDS = ["ip-bad-checksum", "udp-bad-checksum", "tcp-bad-checksum", "icmp-bad-checksum", "eth-truncated",
         "ip-truncated", "tcp-truncated", "udp-truncated", "ip-total-len-past-frame", "ip-total-len-below-header",
         "ip-ihl-below-5", "ip-ihl-past-packet", "ip-bad-version", "udp-length-past-packet",
         "udp-length-below-header", "tcp-data-offset-below-5", "tcp-data-offset-past-segment", "tcp-bad-options",
         "tcp-flag-soup", "tcp-syn-no-ack", "frag-incomplete", "frag-tail-only", "frag-overlap",
         "frag-huge-offset", "arp-junk", "arp-spoof-guest", "ipv6-junk", "unknown-ethertype", "vlan-tagged",
         "random"]
