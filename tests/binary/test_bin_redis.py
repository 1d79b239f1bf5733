"""Debian 12's own redis-server (7.0.15, a dynamic PIE on glibc 2.36 with
jemalloc, OpenSSL and libsystemd: /usr/bin/redis-server of the
`redis-server` package is a symlink to /usr/bin/redis-check-rdb of
`redis-tools`, which starts as the server by its name) in
binary-compatibility mode, reached from the host over `uniforge run -p`
with the host's redis-tools (the same package):

- redis-benchmark's GET and SET complete with two clients pipelined by 16
  (QEMU's user network listens with a backlog of 1: tests/apps/test_redis.py
  says why two) and report their requests per second, nothing says error;
- redis-cli round-trips a value;
- SHUTDOWN NOSAVE ends the guest with status 0, and the whole run met no
  missing call (no UK-ENOSYS line).

One boot per target for all three (module fixture). Persistence off as
issue 10's app: --save '' --appendonly no; --protected-mode no (clients
arrive from slirp's gateway, not loopback).
"""
from __future__ import annotations

import subprocess

import pytest

from binhelp import TARGETS, Server, enosys, split_console, sysroot
from redisbench import redis_benchmark
from conftest import free_port

pytestmark = pytest.mark.boot

ARGS = ["--port", "6379", "--save", "", "--appendonly", "no", "--protected-mode", "no"]
# One UK-ENOSYS line per missing call: none (glibc's rseq registration
# at start has a handler: posix-thread's rseq.c).
ENOSYS = []
READY_TIMEOUT = 600         # s from `uniforge run` to "Ready to accept connections" (a cold kernel build first)


def boot(target: str, options=()) -> Server:
    """redis-server booted and ready (`options`: more `uniforge run`
    options, e.g. tests/binary/test_specialized.py's --specialize)."""
    root = sysroot("redis", target)
    # arm64: redis forks at start to test for a Linux copy-on-write bug of
    # arm64 kernels and refuses to run when it cannot (issue 10's app says
    # why the option, inert on x86)
    args = ARGS + (["--ignore-warnings", "ARM64-COW-BUG"] if target.endswith("arm64") else [])
    g = Server(root, "/usr/bin/redis-server", target, args, port=free_port("tcp"), guest_port=6379,
               ready=r"Ready to accept connections", memory="64M", boot_timeout=READY_TIMEOUT + 1200,
               options=options)
    if not g.wait_ready(READY_TIMEOUT):
        g.stop()
        pytest.fail(f"redis-server did not get ready{g.tail()}")
    return g


def check(target: str, options=(), expect_enosys=None):
    """The module's three checks in one boot. `expect_enosys`: the
    UK-ENOSYS calls the run must log, in order (default ENOSYS; a
    specialised kernel logs the calls it left out)."""
    g = boot(target, options)
    try:
        test_benchmark_get_set(g)
        test_a_value_round_trips(g)
        shutdown(g, ENOSYS if expect_enosys is None else expect_enosys)
    finally:
        g.stop()


@pytest.fixture(scope="module", params=TARGETS)
def guest(request):
    g = boot(request.param)
    yield g
    g.stop()


def cli(g: Server, *args: str) -> bytes:
    p = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(g.port), *args], capture_output=True, timeout=120)
    assert p.returncode == 0, f"redis-cli {args}: status {p.returncode}: {p.stderr!r}{g.tail()}"
    return p.stdout


def test_benchmark_get_set(guest):
    assert guest.proc.poll() is None, guest.tail()
    rates = redis_benchmark(guest.port, "-t", "get,set", "-n", "20000", "-c", "2", "-P", "16")
    assert sorted(rates) == ["GET", "SET"] and all(r > 0 for r in rates.values()), (rates, guest.tail())
    print(f"{guest.target}: redis-benchmark -n 20000 -c 2 -P 16: {rates}")


def test_a_value_round_trips(guest):
    assert cli(guest, "SET", "greeting", "hello from debian") == b"OK\n"
    assert cli(guest, "GET", "greeting") == b"hello from debian\n"
    assert cli(guest, "INCRBY", "n", "41") == b"41\n"


def test_shutdown_ends_the_guest_with_status_0(guest):
    """Last in the module: redis's own exit(0) is the guest's status."""
    shutdown(guest, ENOSYS)


def shutdown(guest: Server, expect_enosys: list[str]):
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(guest.port), "SHUTDOWN", "NOSAVE"],
                   capture_output=True, timeout=60)
    assert guest.wait_exit(120) == 0, guest.tail()
    text = guest.text()
    assert "UK-CRASH" not in text and "Redis is now ready to exit, bye bye" in text, guest.tail()
    assert enosys(split_console(text.encode())[1]) == expect_enosys, guest.tail()
