"""Event loops on the console (issue 9, posix-event): a guest blocked in
epoll_wait, poll or select on fd 0 with no timeout wakes when the host
types a line, and the end of input makes fd 0 readable.

The console has no receive interrupt: it is a polled file
(UK_FILE_POLLED), which posix-event re-polls every millisecond while a
wait is on it. The fixture (tests/fixtures/event, copied to a temporary
folder) announces each wait; the test sends the next line only after
seeing the announcement, so the line cannot be in the buffer before the
wait starts. Without the re-polling the wait never ends and the run times
out. epoll, poll and select over pipes, eventfds and threads are in the
POSIX suite (tests/posix/event.c, host and guest).
"""
import os
import selectors
import subprocess
import sys
import time

import pytest

from conftest import REPO, copy_app, uniforge

TARGETS = ["qemu/x86_64", "qemu/arm64", "linuxu/x86_64"]
FIXTURE = REPO / "tests" / "fixtures" / "event"
LINES = ["first line", "second, after poll", "third, after select", "fourth"]

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return copy_app(FIXTURE, tmp_path_factory.mktemp("event"))


def converse(app, target: str) -> str:
    """Runs the fixture, answering each "event: wait" with the next line
    and the last one with the end of input. Returns everything it wrote."""
    p = subprocess.Popen([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q",
                          "--timeout", "120"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, env={**os.environ, "COLUMNS": "200"})
    sel = selectors.DefaultSelector()
    sel.register(p.stdout, selectors.EVENT_READ)
    out, pending, waits = b"", b"", 0
    deadline = time.monotonic() + 200
    try:
        while time.monotonic() < deadline:
            if not sel.select(timeout=1):
                continue
            chunk = os.read(p.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if not line.startswith(b"event: wait "):
                    continue
                # the guest is (about to be) blocked: let it get there
                time.sleep(0.3)
                if waits < len(LINES):
                    p.stdin.write(LINES[waits].encode() + b"\n")
                    p.stdin.flush()
                else:
                    p.stdin.close()
                waits += 1
        p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        sel.close()
        p.stdout.close()
        if not p.stdin.closed:
            p.stdin.close()
    return out.decode(errors="replace") + f"\n[exit {p.returncode}]"


@pytest.mark.parametrize("target", TARGETS)
def test_console_wakes_epoll_poll_select(app, target):
    b = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert b.rc == 0, b.text
    out = converse(app, target)
    expect = ["event: wait epoll", f"event: got {LINES[0]}", "event: wait poll",
              f"event: got {LINES[1]}", "event: wait select", f"event: got {LINES[2]}",
              "event: wait epoll", f"event: got {LINES[3]}", "event: wait poll", "event: end"]
    got = [ln.strip() for ln in out.splitlines() if ln.startswith("event: ")]
    assert got == expect, out[-3000:]
    assert "[exit 0]" in out, out[-3000:]
