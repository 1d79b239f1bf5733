"""lwIP over the NIC (issue 9, lwip's area): the netif over uknetdev and
virtio-net, configured by DHCP or the netdev.* parameters, against QEMU's
user network (slirp: 10.0.2.2 is the host's 127.0.0.1).

The guest (tests/fixtures/lwipnet, musl for reading /etc/resolv.conf)
uses lwIP's raw API: an ICMP echo to 10.0.2.2 (slirp answers), a 1 MiB
TCP stream to an echo server on the host, checked byte by byte when it
comes back, and a UDP datagram to a host echo socket. Each run must print
exactly one UK-NET line with the address DHCP gave (10.0.2.15) or the
static one, and /etc/resolv.conf must name the DNS server. Both modes:
with a scheduler (tcpip thread) and without (NO_SYS, uk_lwip_poll).

A NIC on a network without any DHCP server (QEMU's socket backend sending
into a UDP port nobody reads) must give `UK-NET if=en0 error=dhcp-timeout`
after netdev.dhcp_timeout_ms, and the boot must go on to main.
"""
import re
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, free_port, uniforge

pytestmark = pytest.mark.boot

FIXTURE = REPO / "tests" / "fixtures" / "lwipnet"
TIMEOUT = "180"
TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
COOP = ["--set", "CONFIG_UKSCHED_COOP=y"]
NET_LINE = re.compile(r"^UK-NET (.*)$", re.M)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("lwipnet") / "lwipnet"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.fixture(scope="module")
def echo():
    """A TCP and a UDP echo server on the host's 127.0.0.1: (tcp, udp) ports."""
    tcp = socket.socket()
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    stop = threading.Event()

    def serve_conn(c):
        with c:
            while data := c.recv(65536):
                c.sendall(data)

    def serve_tcp():
        tcp.settimeout(0.2)
        while not stop.is_set():
            try:
                c, _ = tcp.accept()
            except OSError:
                continue
            c.settimeout(None)
            threading.Thread(target=serve_conn, args=(c,), daemon=True).start()

    def serve_udp():
        udp.settimeout(0.2)
        while not stop.is_set():
            try:
                data, peer = udp.recvfrom(2048)
            except OSError:
                continue
            udp.sendto(data, peer)

    threads = [threading.Thread(target=f, daemon=True) for f in (serve_tcp, serve_udp)]
    for t in threads:
        t.start()
    yield tcp.getsockname()[1], udp.getsockname()[1]
    stop.set()
    for t in threads:
        t.join()
    tcp.close()
    udp.close()


def fields(line: str) -> dict:
    return dict(w.split("=", 1) for w in line.split())


def run(app, target, *args, mode=COOP, kernel=()):
    k = [w for p in kernel for w in ("-k", p)]
    r = uniforge("run", app, "-t", target, *mode, "-q", "--timeout", TIMEOUT, *k, "--", *args,
                 timeout=900)
    return r


def check_exchanges(r):
    assert "lwipnet: ping 10.0.2.2 ok" in r.out, r.text
    assert "lwipnet: tcp echo bytes=1048576 ok" in r.out, r.text
    assert "lwipnet: udp echo ok" in r.out, r.text
    assert r.rc == 0, r.text


@pytest.mark.parametrize("mode", ["coop", "nosys"])
@pytest.mark.parametrize("target", TARGETS)
def test_dhcp_lease_then_icmp_tcp_udp_through_slirp(app, echo, target, mode):
    r = run(app, target, str(echo[0]), str(echo[1]), mode=COOP if mode == "coop" else [])
    lines = NET_LINE.findall(r.out)
    assert len(lines) == 1, r.text
    f = fields(lines[0])
    assert f["if"] == "en0" and f["ip"] == "10.0.2.15/24" and f["gw"] == "10.0.2.2", r.text
    assert f["dns"] == "10.0.2.3" and f["via"] == "dhcp", r.text
    assert re.fullmatch(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", f["mac"]), r.text
    assert "lwipnet: resolv nameserver 10.0.2.3" in r.out, r.text
    check_exchanges(r)


@pytest.mark.parametrize("target", TARGETS)
def test_static_address_gateway_and_dns_from_parameters(app, echo, target):
    r = run(app, target, str(echo[0]), str(echo[1]),
            kernel=["netdev.ip=10.0.2.77/24", "netdev.gw=10.0.2.2", "netdev.dns=10.0.2.3,192.0.2.53"])
    lines = NET_LINE.findall(r.out)
    assert lines == ["if=en0 mac=52:54:00:12:34:56 ip=10.0.2.77/24 gw=10.0.2.2 "
                     "dns=10.0.2.3,192.0.2.53 via=static"], r.text
    assert "lwipnet: resolv nameserver 10.0.2.3\nlwipnet: resolv nameserver 192.0.2.53\n" in r.out, r.text
    check_exchanges(r)


def test_a_bad_static_address_says_how_to_write_it_and_falls_back_to_dhcp(app):
    r = run(app, "qemu/x86_64", kernel=["netdev.ip=10.0.2.300/24"])
    assert "netdev.ip=10.0.2.300/24: not an IPv4 address with a prefix length" in r.out, r.text
    assert "netdev.ip=10.0.2.15/24" in r.out, r.text          # the example in the message
    assert NET_LINE.findall(r.out)[-1].endswith("via=dhcp"), r.text
    assert r.rc == 0, r.text


def test_no_dhcp_server_times_out_and_boot_goes_on(app):
    """QEMU's socket backend: frames go to a UDP port nobody reads."""
    from uniforge.runner import RunSpec, run as run_image
    from uniforge.targets import TARGETS as TABLE

    b = uniforge("build", app, "-t", "qemu/x86_64", *COOP, timeout=900)
    assert b.rc == 0, b.text
    t = TABLE["qemu/x86_64"]
    image = Path(re.search(r"^(\S+) \(", b.out, re.M).group(1))
    sink, local = free_port("udp"), free_port("udp")
    extra = ["-netdev", f"socket,id=nd0,udp=127.0.0.1:{sink},localaddr=127.0.0.1:{local}",
             "-device", f"{t.nic},netdev=nd0,romfile="]
    out: list[str] = []
    start = time.monotonic()
    res = run_image(RunSpec(target=t, image=image, image_dbg=None, timeout=120.0,
                            kernel_args=["netdev.dhcp_timeout_ms=1500"],
                            extra_vmm_args=extra, net="none"), write=out.append)
    text = "".join(out)
    assert NET_LINE.findall(text) == ["if=en0 error=dhcp-timeout"], text
    assert "lwipnet: no /etc/resolv.conf" in text, text      # main ran, no DNS known
    assert res.status == 0, text
    assert time.monotonic() - start >= 1.5


@pytest.mark.parametrize("static", [True, False])
def test_ipv6_link_local_or_static_address_in_the_net_line(app, echo, static):
    """LIBLWIP_IPV6: a link-local address from the MAC (EUI-64), or the
    static netdev.ip6= one; IPv4 keeps working alongside."""
    kernel = ["netdev.ip6=fd00::15/64"] if static else []
    r = run(app, "qemu/x86_64", str(echo[0]), str(echo[1]),
            mode=COOP + ["--set", "CONFIG_LIBLWIP_IPV6=y"], kernel=kernel)
    lines = NET_LINE.findall(r.out)
    assert len(lines) == 1, r.text
    f = fields(lines[0])
    assert f["ip6"] == ("FD00::15" if static else "FE80::5054:FF:FE12:3456"), r.text
    assert f["ip"] == "10.0.2.15/24" and f["via"] == "dhcp", r.text
    check_exchanges(r)
