"""uniforge/runner/backlog.py without a guest: widen() on another
process's listening socket, the way the runner does it on QEMU's forwarded
ports (libslirp listens with a backlog of 1).

A child process listens with a backlog of 1 and never accepts. Ten
connects at once: with backlog 1 the host kernel queues two and drops the
other SYNs (they would be retried after 1 s); after widen() all ten
complete at once, and `ss` shows the new backlog. A port the process does
not listen on is reported, not raised.
"""
from __future__ import annotations

import select
import socket
import subprocess
import sys

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO))
from uniforge.runner import backlog  # noqa: E402
from uniforge.runner.net import PortForward  # noqa: E402

# A listener that never accepts: its port on stdout, then it waits for stdin to close.
LISTENER = """
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
sys.stdin.read()
"""


@pytest.fixture
def listener():
    p = subprocess.Popen([sys.executable, "-c", LISTENER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(p.stdout.readline())
    yield p, port
    p.stdin.close()
    p.wait(10)
    p.stdout.close()


def ss_backlog(port: int) -> int:
    """The backlog of the socket listening on 127.0.0.1:port (ss's Send-Q)."""
    out = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines() if line.strip()]
    assert len(rows) == 1, out
    return int(rows[0][2])


def connected_at_once(port: int, n: int = 10) -> int:
    """How many of n non-blocking connects, started together, complete
    within 0.5 s (a dropped SYN is retried only after 1 s)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            socks.append(s)
        _, writable, _ = select.select([], socks, [], 0.5)
        return sum(1 for s in writable if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0)
    finally:
        for s in socks:
            s.close()


def test_widen_sets_the_backlog_of_another_process(listener):
    p, port = listener
    assert ss_backlog(port) == 1
    assert backlog.widen(p.pid, [PortForward("127.0.0.1", port, 80)]) == []
    assert ss_backlog(port) == backlog.BACKLOG


def test_ten_simultaneous_connects_wait_for_no_syn_retry(listener):
    p, port = listener
    # the kernel's accept queue holds backlog + 1 connections
    assert connected_at_once(port) == 2
    assert backlog.widen(p.pid, [PortForward("127.0.0.1", port, 80)]) == []
    assert connected_at_once(port) == 10


def test_a_port_not_listened_on_is_reported(listener):
    p, port = listener
    other = PortForward("127.0.0.1", port + 1 if port < 65535 else port - 1, 80)
    problems = backlog.widen(p.pid, [other, PortForward("127.0.0.1", port, 53, "udp")])
    assert problems == [f"127.0.0.1:{other.host_port}: process {p.pid} does not listen there"]
