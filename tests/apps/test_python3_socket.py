"""apps/python3's socket, select and selectors modules (os/lib/python3's
LIBPYTHON3_SOCKET, which selects LIBPYTHON3_SELECT; off by default) talking
to the host.

The guest runs tests/apps/python3/net.py: a loopback exchange inside the
guest (non-blocking connect completed through select.select), a TCP client
and a UDP client to this test's servers at 10.0.2.2 (QEMU's user network:
the host's 127.0.0.1), then a TCP server on guest port 8000 that this test
reaches through `-p HOSTPORT:8000`: 200,000 random bytes in, their length,
SHA-256 and the bytes reversed back, read by the guest through
selectors.DefaultSelector (epoll). Every byte that crosses is checked.
"""
from __future__ import annotations

import hashlib
import random
import shutil
import socket
import subprocess
import sys
import threading

import pytest

from apphelp import app_copy
from conftest import REPO, free_port

pytestmark = [pytest.mark.boot, pytest.mark.slow]

DATA = REPO / "tests" / "apps" / "python3"
GUEST_TIMEOUT = 300
PAYLOAD = random.Random(8000).randbytes(200_000)


class HostServers:
    """A TCP server answering one line with `host got LINE` and a UDP echo
    (`echo: DATA`), on 127.0.0.1 (the guest's 10.0.2.2), each serving once."""

    def __init__(self):
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.tcp.settimeout(GUEST_TIMEOUT)
        self.udp.settimeout(GUEST_TIMEOUT)
        self.seen: list[bytes] = []
        self.threads = [threading.Thread(target=f, daemon=True) for f in (self._tcp, self._udp)]
        for t in self.threads:
            t.start()

    def _tcp(self):
        conn, _ = self.tcp.accept()
        with conn, conn.makefile("rb") as f:
            line = f.readline()
            self.seen.append(line)
            conn.sendall(b"host got " + line)

    def _udp(self):
        data, addr = self.udp.recvfrom(2048)
        self.seen.append(data)
        self.udp.sendto(b"echo: " + data, addr)

    def close(self):
        self.tcp.close()
        self.udp.close()


def exchange(port: int) -> bytes:
    """The host's request to the guest's server and everything it answers
    (until it closes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=120) as s:
        s.sendall(b"SIZE %d\n" % len(PAYLOAD) + PAYLOAD)
        buf = bytearray()
        while chunk := s.recv(65536):
            buf += chunk
    return bytes(buf)


@pytest.mark.parametrize("target", ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"])
def test_socket_select_and_selectors_against_the_host(tmp_path, target):
    app = app_copy("python3", tmp_path)
    root = tmp_path / "rootfs"
    root.mkdir()
    shutil.copy(DATA / "net.py", root / "net.py")
    host = HostServers()
    port = free_port("tcp")
    cmd = [sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q", "--timeout", str(GUEST_TIMEOUT),
           "--rootfs", str(root), "--set", "CONFIG_LIBPYTHON3_SOCKET=y", "-p", f"{port}:8000", "--", "/net.py",
           str(host.tcp.getsockname()[1]), str(host.udp.getsockname()[1])]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[bytes] = []
    listening = threading.Event()

    def read():
        for line in iter(proc.stdout.readline, b""):
            lines.append(line)
            if line.startswith(b"py-net: listening"):
                listening.set()
        listening.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    out = lambda: b"".join(lines).decode(errors="replace")   # noqa: E731
    try:
        # the first boot builds CPython (minutes when the object cache is cold)
        assert listening.wait(1800), "no listening line"
        assert proc.poll() is None, out()
        got = exchange(port)
        digest = hashlib.sha256(PAYLOAD).hexdigest().encode()
        assert got == b"%d %s\n" % (len(PAYLOAD), digest) + PAYLOAD[::-1], (len(got), got[:80], out())
        rc = proc.wait(GUEST_TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        reader.join(10)
        proc.stdout.close()
        host.close()
    text = out()
    assert rc == 0, text
    assert host.seen == [b"hello from the guest\n", b"udp ping"], text
    net = [ln.decode().rstrip("\n") for ln in lines if ln.startswith(b"py-net:")]
    assert net[0].startswith("py-net: loopback port=") and net[0].endswith(" bytes=100000 ok"), text
    assert net[1:] == [
        "py-net: tcp client got b'host got hello from the guest\\n'",
        "py-net: udp client got b'echo: udp ping' from 10.0.2.2",
        "py-net: listening on 8000",
        f"py-net: served {len(PAYLOAD)} bytes via EpollSelector",
        "py-net: done",
    ], text
