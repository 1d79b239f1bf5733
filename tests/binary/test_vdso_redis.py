"""The vDSO (os/lib/ukvdso) with Debian's own redis-server (dynamic PIE,
glibc 2.36) on qemu/x86_64, traced with --strace while redis-benchmark
sends 2000 SETs and 2000 GETs: with the vDSO (the binary-compatibility
kernel has it: ukelfload implies LIBUKVDSO) not one clock_gettime,
gettimeofday or time reaches the syscall table; the control run with
CONFIG_LIBUKVDSO=n shows the thousands of calls redis makes (one or more
per request), so the zero is glibc using the vDSO, not redis not asking.
"""
from __future__ import annotations

import re
import time

import pytest

from binhelp import Server, sysroot
from redisbench import redis_benchmark
from conftest import free_port

pytestmark = pytest.mark.boot

TARGET = "qemu/x86_64"
ARGS = ["--port", "6379", "--save", "", "--appendonly", "no", "--protected-mode", "no"]
REQUESTS = 2000


def time_syscalls(vdso: str) -> dict[str, int]:
    g = Server(sysroot("redis", TARGET), "/usr/bin/redis-server", TARGET, ARGS, port=free_port("tcp"),
               guest_port=6379, ready=r"Ready to accept connections", memory="64M", boot_timeout=1800,
               options=["--strace", "--set", f"CONFIG_LIBUKVDSO={vdso}"])
    try:
        if not g.wait_ready(600):
            pytest.fail(f"redis-server did not get ready{g.tail()}")
        rates = redis_benchmark(g.port, "-t", "get,set", "-n", str(REQUESTS), "-c", "2")
        assert set(rates) == {"SET", "GET"}, rates
        time.sleep(1)
        text = g.text()
    finally:
        g.stop()
    assert len(re.findall(r"^epoll_wait\(", text, re.M)) >= REQUESTS, "the trace misses the requests"
    return {n: len(re.findall(rf"^{n}\(", text, re.M)) for n in ("clock_gettime", "gettimeofday", "time")}


def test_redis_reads_the_clocks_without_a_syscall():
    assert time_syscalls("y") == {"clock_gettime": 0, "gettimeofday": 0, "time": 0}
    without = time_syscalls("n")
    assert without["clock_gettime"] + without["gettimeofday"] >= 2 * REQUESTS, without
