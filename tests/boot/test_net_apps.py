"""apps/echo and apps/httpreply reached from the host over `uniforge run -p`
(QEMU user networking, no root), on qemu/x86_64, microvm/x86_64 and
qemu/arm64:

- a 10 MiB TCP echo comes back intact (SHA-256 on both sides);
- 200 concurrent connections each do 20 request/response pairs;
- UDP echo;
- HTTP GET of the 612-byte page and of rootfs files with http.client,
  HEAD, 404, keep-alive reuse of one connection, pipelining.

The same tests run against the same programs built for the host with
musl-gcc (`where == "host"`): that checks the apps and the test logic
without a guest, and is the reference the guest must match. The `server`
fixture says where the server is (host and port); each (app, place) is
booted once per module.
"""
from __future__ import annotations

import hashlib
import http.client
import random
import re
import selectors
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest

from conftest import APPS, copy_app, free_port, uniforge

pytestmark = pytest.mark.boot

PLACES = ["host", "qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
BIG_FILE = "big.bin"                    # added to the rootfs copy: sendfile of more than a window
BIG_SIZE = 300 * 1024 + 17
BOOT_TIMEOUT = 600                      # s from `uniforge run` to the app's listening line


@dataclass
class Server:
    """A running app: where to reach it, and its output so far."""
    host: str
    tcp: int
    udp: int | None
    proc: subprocess.Popen
    place: str = "host"
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.out) + "".join(self.err)

    def tail(self) -> str:
        """The end of its output and whether it still runs: for failure messages."""
        state = "running" if self.proc.poll() is None else f"ended with status {self.proc.returncode}"
        return f"\n--- server ({self.place}, {state}) output:\n{self.text()[-2000:]}"


def _reader(stream, sink: list, ready: threading.Event, pattern: re.Pattern | None):
    for line in iter(stream.readline, ""):
        sink.append(line)
        if pattern is not None and pattern.search(line):
            ready.set()
    ready.set()            # EOF: the server ended (the wait below sees it)


def _start(argv, listening: str, host_tcp: int, host_udp: int | None, place: str = "host") -> Server:
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    srv = Server("127.0.0.1", host_tcp, host_udp, proc, place)
    ready = threading.Event()
    srv.readers = [threading.Thread(target=_reader, args=(proc.stdout, srv.out, ready, re.compile(listening))),
                   threading.Thread(target=_reader, args=(proc.stderr, srv.err, threading.Event(), None))]
    for t in srv.readers:
        t.start()
    if not ready.wait(BOOT_TIMEOUT) or proc.poll() is not None:
        _stop(srv)
        pytest.fail(f"the server did not start listening:\n{srv.text()[-3000:]}")
    return srv


def _stop(srv: Server):
    srv.proc.terminate()
    try:
        srv.proc.wait(30)
    except subprocess.TimeoutExpired:
        srv.proc.kill()
        srv.proc.wait()
    for t in srv.readers:
        t.join()
    srv.proc.stdout.close()
    srv.proc.stderr.close()


@pytest.fixture(scope="module")
def app_copies(tmp_path_factory):
    """Hermetic copies of both apps; httpreply's rootfs gets a file larger
    than TCP windows (sendfile in several rounds)."""
    root = tmp_path_factory.mktemp("netapps")
    copies = {name: copy_app(APPS / name, root) for name in ("echo", "httpreply")}
    big = random.Random(9).randbytes(BIG_SIZE)
    (copies["httpreply"] / "rootfs" / "www" / BIG_FILE).write_bytes(big)
    return copies


@pytest.fixture(scope="module")
def host_build(tmp_path_factory, app_copies):
    """The apps built for Linux with Debian's musl-gcc, static."""
    out = tmp_path_factory.mktemp("netapps-host")
    exes = {}
    for name, d in app_copies.items():
        exes[name] = out / name
        subprocess.run(["musl-gcc", "-O2", "-Wall", "-Werror", "-static", *sorted(map(str, d.glob("*.c"))),
                        "-o", str(exes[name])], check=True)
    return exes


def _boot(place, app_dir, guest_args, forwards, listening, host_tcp, host_udp):
    r = uniforge("build", app_dir, "-t", place, "-q", "-j2", timeout=1800)
    assert r.rc == 0, r.text[-3000:]
    argv = [sys.executable, "-m", "uniforge", "run", str(app_dir), "-t", place, "--timeout", "1800"]
    for f in forwards:
        argv += ["-p", f]
    return _start(argv + ["--", *guest_args], listening, host_tcp, host_udp, place)


@pytest.fixture(scope="module", params=PLACES)
def echo(request, app_copies, host_build):
    place = request.param
    tcp, udp = free_port("tcp"), free_port("udp")
    if place == "host":
        srv = _start([str(host_build["echo"]), str(tcp), str(udp)], r"echo: listening", tcp, udp)
    else:
        srv = _boot(place, app_copies["echo"], ["7", "7"], [f"{tcp}:7", f"{udp}:7/udp"],
                    r"echo: listening tcp=7 udp=7", tcp, udp)
    yield srv
    _stop(srv)


@pytest.fixture(scope="module", params=PLACES)
def httpd(request, app_copies, host_build):
    place = request.param
    tcp = free_port("tcp")
    root = app_copies["httpreply"] / "rootfs" / "www"
    if place == "host":
        srv = _start([str(host_build["httpreply"]), str(tcp), str(root)], r"httpreply: listening", tcp, None)
    else:
        srv = _boot(place, app_copies["httpreply"], ["80", "/www"], [f"{tcp}:80"],
                    r"httpreply: listening port=80 root=/www", tcp, None)
    yield srv
    _stop(srv)


def _connect(srv: Server, timeout=120) -> socket.socket:
    s = socket.create_connection((srv.host, srv.tcp), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


# ---- echo -----------------------------------------------------------------

ECHO_BYTES = 10 * 1024 * 1024


def test_tcp_echo_10_mib_intact(echo):
    data = random.Random(1).randbytes(ECHO_BYTES)
    sent_hash = hashlib.sha256(data).hexdigest()
    s = _connect(echo, timeout=120)      # no byte for 2 minutes: a stall, not slowness
    err = []

    def sender():
        try:
            view = memoryview(data)
            for off in range(0, len(data), 65536):
                s.sendall(view[off:off + 65536])
            s.shutdown(socket.SHUT_WR)
        except OSError as e:
            err.append(e)
    t = threading.Thread(target=sender)
    t0 = time.monotonic()
    t.start()
    h, got = hashlib.sha256(), 0
    while True:
        try:
            chunk = s.recv(1 << 20)
        except socket.timeout:
            pytest.fail(f"the echo stalled after {got} of {ECHO_BYTES} bytes "
                        f"({time.monotonic() - t0:.1f} s)" + echo.tail())
        if not chunk:
            break
        h.update(chunk)
        got += len(chunk)
    t.join()
    s.close()
    assert not err, str(err) + echo.tail()
    assert got == ECHO_BYTES, f"{got} bytes came back of {ECHO_BYTES} ({time.monotonic() - t0:.1f} s)" + echo.tail()
    assert h.hexdigest() == sent_hash


CONNS, PAIRS, MSG = 200, 20, 64


def test_200_connections_20_pairs_each(echo):
    """200 connections open at once; each sends a 64-byte request and waits
    for its echo before the next, 20 times. Bounded time; every reply must
    be the exact request of its own connection."""
    deadline = time.monotonic() + 300
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(CONNS):
        s = _connect(echo)
        s.setblocking(False)
        st = {"i": i, "j": 0, "want": b"", "buf": b""}
        conns.append((s, st))
    # All open before the first request: the server holds 200 at once.
    for s, st in conns:
        st["want"] = f"conn {st['i']:03d} pair {0:02d} ".encode().ljust(MSG, b".")
        s.sendall(st["want"])
        sel.register(s, selectors.EVENT_READ, st)
    done = 0
    while done < CONNS:
        left = deadline - time.monotonic()
        assert left > 0, f"{done} of {CONNS} connections finished in time" + echo.tail()
        for key, _ in sel.select(timeout=min(left, 5)):
            s, st = key.fileobj, key.data
            chunk = s.recv(4096)
            assert chunk, f"connection {st['i']} closed by the server at pair {st['j']}" + echo.tail()
            st["buf"] += chunk
            if len(st["buf"]) < MSG:
                continue
            assert st["buf"] == st["want"], (st["i"], st["j"], st["buf"])
            st["buf"] = b""
            st["j"] += 1
            if st["j"] == PAIRS:
                sel.unregister(s)
                done += 1
                continue
            st["want"] = f"conn {st['i']:03d} pair {st['j']:02d} ".encode().ljust(MSG, b".")
            s.sendall(st["want"])
    for s, _ in conns:
        s.close()
    sel.close()
    assert all(st["j"] == PAIRS for _, st in conns)


def test_udp_echo(echo):
    """Datagrams of many sizes come back whole, each to its sender. UDP may
    drop: a datagram without answer is sent again, up to 5 times."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(3)
    rnd = random.Random(2)
    for size in [1, 2, 100, 512, 1000, 1400, 1472, 4000, 8000]:
        msg = rnd.randbytes(size)
        for _attempt in range(5):
            s.sendto(msg, (echo.host, echo.udp))
            try:
                got, peer = s.recvfrom(65536)
                break
            except socket.timeout:
                continue
        else:
            pytest.fail(f"no echo for a {size}-byte datagram in 5 tries" + echo.tail())
        assert got == msg and peer == (echo.host, echo.udp), size
    s.close()


# ---- httpreply ------------------------------------------------------------

def expected_page() -> bytes:
    """The page as page.c has it (its C string literals, unescaped)."""
    text = (APPS / "httpreply" / "page.c").read_text()
    body = text[text.index("page[] =") + len("page[] ="):text.index(";\n")]
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', body)
    return "".join(parts).encode().decode("unicode_escape").encode()


def test_page_is_612_bytes():
    assert len(expected_page()) == 612


def _get(conn: http.client.HTTPConnection, path: str, method="GET", headers=None):
    conn.request(method, path, headers=headers or {})
    r = conn.getresponse()
    return r, r.read()


def test_http_get_page_and_files(httpd, app_copies):
    c = http.client.HTTPConnection(httpd.host, httpd.tcp, timeout=120)
    r, body = _get(c, "/")
    assert r.status == 200 and r.getheader("Content-Type") == "text/html"
    assert r.getheader("Content-Length") == "612" and body == expected_page()
    root = app_copies["httpreply"] / "rootfs" / "www"
    r, body = _get(c, "/hello.txt")
    assert r.status == 200 and r.getheader("Content-Type") == "text/plain"
    assert body == (root / "hello.txt").read_bytes()
    r, body = _get(c, "/" + BIG_FILE)
    assert r.status == 200 and int(r.getheader("Content-Length")) == BIG_SIZE
    assert hashlib.sha256(body).digest() == hashlib.sha256((root / BIG_FILE).read_bytes()).digest()
    r, body = _get(c, "/hello.txt?x=1")           # the query is not part of the path
    assert r.status == 200 and body == (root / "hello.txt").read_bytes()
    c.close()


def test_http_head_404_and_errors(httpd):
    c = http.client.HTTPConnection(httpd.host, httpd.tcp, timeout=120)
    r, body = _get(c, "/", "HEAD")
    assert r.status == 200 and r.getheader("Content-Length") == "612" and body == b""
    r, body = _get(c, "/" + BIG_FILE, "HEAD")
    assert r.status == 200 and r.getheader("Content-Length") == str(BIG_SIZE) and body == b""
    r, body = _get(c, "/no/such/file")
    assert r.status == 404 and body == b"404 Not Found\n"
    c.close()
    c = http.client.HTTPConnection(httpd.host, httpd.tcp, timeout=120)
    r, body = _get(c, "/../../etc/passwd")
    assert r.status == 404
    c.close()
    c = http.client.HTTPConnection(httpd.host, httpd.tcp, timeout=120)
    r, _ = _get(c, "/", "POST")
    assert r.status == 405 and r.getheader("Connection") == "close"
    c.close()


def test_http_keep_alive_reuses_one_connection(httpd):
    c = http.client.HTTPConnection(httpd.host, httpd.tcp, timeout=120)
    r, _ = _get(c, "/")
    sock = c.sock
    local = sock.getsockname()
    for path in ["/hello.txt", "/", "/" + BIG_FILE]:
        r, body = _get(c, path)
        assert r.status == 200 and r.getheader("Connection") == "keep-alive"
        assert c.sock is sock and sock.getsockname() == local, "http.client had to reconnect"
    r, _ = _get(c, "/", headers={"Connection": "close"})
    assert r.status == 200 and r.getheader("Connection") == "close"
    c.close()


def test_http_pipelining_and_http10(httpd):
    s = _connect(httpd)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
              b"HEAD / HTTP/1.0\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    heads = re.findall(rb"HTTP/1\.1 (\d+) [^\r]*\r\n(?:[^\r]+\r\n)*?Content-Length: (\d+)\r\n"
                       rb"Connection: (\S+)\r\n\r\n", data)
    assert [(h[0], h[2]) for h in heads] == [(b"200", b"keep-alive"), (b"200", b"keep-alive"), (b"200", b"close")]
    assert data.count(expected_page()) == 1      # HEAD has no body; the HTTP/1.0 one closed


def test_guest_address_is_reported(httpd):
    """`uniforge run` reports the address the guest got (its UK-NET line)
    with the forwards, on stderr; the host process has no such report."""
    report = f"uniforge: guest 10.0.2.15 (dhcp); 127.0.0.1:{httpd.tcp} -> guest :80/tcp\n"
    assert (report in httpd.err) == (httpd.place != "host"), httpd.text()[-3000:]
    assert report not in httpd.out
