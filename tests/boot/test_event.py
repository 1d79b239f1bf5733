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

And posix-event's own in-guest cases (tests/fixtures/event-unit), with and
without a scheduler: an interrupt handler's uk_file_wake ends a sleeping
poll, select and epoll_wait; timeouts are never early.

And sockets (tests/fixtures/event-sock, loopback only) in epoll and poll:
the guest prints what the same program printed as a Linux process.
"""
import os
import re
import selectors
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, copy_app, ran_cases, registered_cases, uniforge

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


UNIT = REPO / "tests" / "fixtures" / "event-unit"
UNIT_TARGETS = ["qemu/x86_64", "qemu/arm64", "linuxu/x86_64"]
SCHEDULERS = {"none": "CONFIG_UKSCHED_NONE=y", "preempt": "CONFIG_UKSCHED_PREEMPT=y"}


@pytest.fixture(scope="module")
def unit_app(tmp_path_factory):
    return copy_app(UNIT, tmp_path_factory.mktemp("event-unit"))


@pytest.mark.parametrize("sched", list(SCHEDULERS))
@pytest.mark.parametrize("target", UNIT_TARGETS)
def test_posix_event_cases_in_guest(unit_app, target, sched):
    """posix-event's in-guest cases, with and without a scheduler: a timer
    interrupt's uk_file_wake ends a sleeping poll, select and epoll_wait
    (not on linuxu: no interrupts), timeouts are never early."""
    b = uniforge("build", unit_app, "-t", target, "--set", SCHEDULERS[sched], timeout=900)
    assert b.rc == 0, b.text
    dbg = next(Path(re.search(r"^(\S+) \(", b.out, re.M).group(1)).parent.glob("*.dbg"))
    expected = registered_cases(dbg)
    wants = {"posix_event_timeouts_never_end_early", "posix_event_eventfd_nonblocking_counter"}
    if not target.startswith("linuxu"):
        wants.add("posix_event_an_interrupt_ends_poll_select_and_epoll_wait")
    assert expected == wants
    r = uniforge("run", unit_app, "-t", target, "--set", SCHEDULERS[sched], "-q",
                 "--timeout", "120", timeout=600)
    assert "UK-TEST FAIL" not in r.out, r.text
    assert ran_cases(r.out) == expected, r.text
    n = len(expected)
    assert f"UK-TEST-RESULT total={n} passed={n} failed=0" in r.out, r.text


SOCK = REPO / "tests" / "fixtures" / "event-sock"
SOCK_TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "linuxu/x86_64"]


def sock_cases(out: str) -> list[str]:
    return re.findall(r"^SOCK-(?:CASE .*|DONE)$", out, re.M)


@pytest.fixture(scope="module")
def sock_exe(tmp_path_factory):
    """The fixture as a Linux process (musl-gcc, static): the reference."""
    if not shutil.which("musl-gcc"):
        pytest.fail("musl-gcc is missing: ./dev setup installs musl-tools")
    exe = tmp_path_factory.mktemp("event-sock-host") / "event-sock"
    subprocess.run(["musl-gcc", "-static", "-O2", "-Wall", "-Wextra", "-Werror", "-pthread",
                    "-o", str(exe), str(SOCK / "main.c")], check=True, timeout=120)
    return exe


def host_cases(exe, *args) -> list[str]:
    p = subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    cases = sock_cases(p.stdout)
    assert cases and all(c.endswith(" ok") for c in cases[:-1]) and cases[-1] == "SOCK-DONE", p.stdout
    return cases


@pytest.fixture(scope="module")
def sock_host(sock_exe):
    return host_cases(sock_exe)


@pytest.mark.parametrize("target", SOCK_TARGETS)
def test_sockets_in_event_loops_agree_with_linux(sock_host, tmp_path, target):
    """epoll/poll over TCP, UDP and AF_UNIX sockets on the loopback
    interface: accept and connect readiness, edge-triggered data,
    EPOLLRDHUP on the peer's shutdown, a socketpair's hang-up, a thread
    sending while another waits. The guest must print exactly what Linux
    printed."""
    app = copy_app(SOCK, tmp_path)
    b = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert b.rc == 0, b.text
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", timeout=600)
    assert sock_cases(r.out) == sock_host, r.text
    assert r.rc == 0, r.text


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_bulk_echo_through_epoll_over_loopback(sock_exe, tmp_path, target):
    """4 MiB echoed over 127.0.0.1 through a level-triggered epoll loop that
    waits for EPOLLOUT while its socket is full (apps/echo's pattern), the
    bytes checked; as on Linux."""
    want = host_cases(sock_exe, "bulk")
    app = copy_app(SOCK, tmp_path)
    b = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert b.rc == 0, b.text
    r = uniforge("run", app, "-t", target, "-q", "--net", "none", "--timeout", "120", "--", "bulk",
                 timeout=600)
    assert sock_cases(r.out) == want, r.text
    assert r.rc == 0, r.text
