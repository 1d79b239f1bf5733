"""apps/redis: redis-server 7.0.15 from Debian's source package, booted for
real on qemu/x86_64, microvm/x86_64 and qemu/arm64 and reached from the
host over `uniforge run -p` with Debian's own redis-tools:

- `redis-benchmark -t get,set,incr,lpush,lpop -n 100000` completes (two
  clients, pipelined by 16; and unpipelined, 2000 requests): every one of
  its five tests reports its requests per second, and nothing reports an
  error;
- `redis-cli` round-trips a 1 MiB value (SET from stdin, GET compared
  byte for byte, STRLEN);
- EVAL runs Lua 5.1 with redis's bundled C libraries (a SHA-1 of the big
  value computed in the guest, cjson);
- SHUTDOWN NOSAVE ends the guest with status 0.

One boot per target (the module fixture); the app's own manifest (cmd,
memory) is what boots. Plus a host-only check of the release.h generator.
"""
from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import APPS, REPO, copy_app, free_port, uniforge
from redisbench import redis_benchmark

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
BUILD_TIMEOUT = 1800        # s: a cold build compiles redis, its Lua and musl
READY_TIMEOUT = 300         # s from `uniforge run` to "Ready to accept connections"
BENCH_TIMEOUT = 900         # s for the whole redis-benchmark run under TCG
BENCH_TESTS = ["SET", "GET", "INCR", "LPUSH", "LPOP"]
BIG = random.Random(6379).randbytes(1 << 20)


class Guest:
    """A booted redis: its host port and everything it printed so far."""

    def __init__(self, argv: list[str], port: int):
        self.port = port
        self.out: list[str] = []
        self.ready = threading.Event()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     errors="replace")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, ""):
            self.out.append(line)
            if "Ready to accept connections" in line:
                self.ready.set()
        self.ready.set()        # EOF: the guest ended (the waiter sees it)

    def text(self) -> str:
        return "".join(self.out)

    def tail(self) -> str:
        state = "running" if self.proc.poll() is None else f"ended with status {self.proc.returncode}"
        return f"\n--- guest ({state}) output:\n{self.text()[-3000:]}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(10)
        self.proc.stdout.close()


def cli(guest: Guest, *args: str, stdin: bytes | None = None, timeout: int = 120) -> bytes:
    """redis-cli's stdout for one command; a failed run fails the test."""
    p = subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(guest.port), *args], input=stdin,
                       capture_output=True, timeout=timeout)
    assert p.returncode == 0, f"redis-cli {args[:2]}: status {p.returncode}: {p.stderr!r}{guest.tail()}"
    return p.stdout


@pytest.fixture(scope="module", params=TARGETS)
def guest(request, tmp_path_factory):
    target = request.param
    app = copy_app(APPS / "redis", tmp_path_factory.mktemp("redis"))
    r = uniforge("build", app, "-t", target, "-q", "-j2", timeout=BUILD_TIMEOUT)
    assert r.rc == 0, r.text[-3000:]
    port = free_port("tcp")
    g = Guest([sys.executable, "-m", "uniforge", "run", str(app), "-t", target, "-q",
               "--timeout", str(READY_TIMEOUT + BENCH_TIMEOUT + 600), "-p", f"{port}:6379"], port)
    # (the reader also sets `ready` when the guest's output ends)
    if not g.ready.wait(READY_TIMEOUT) or "Ready to accept connections" not in g.text():
        g.stop()
        pytest.fail(f"redis did not get ready on {target}{g.tail()}")
    yield g
    g.stop()


def bench(guest: Guest, *args: str) -> dict[str, float]:
    """Runs redis-benchmark -q with `args`: {test name: requests per second}.
    A failed run, a line that is not a test's result, or any error fails."""
    # redis-benchmark waits on when it cannot connect: never start it without a guest
    assert guest.proc.poll() is None, guest.tail()
    return redis_benchmark(guest.port, *args, timeout=BENCH_TIMEOUT, tail=guest.tail)


def test_benchmark_output_is_read_strictly():
    """redisbench.rates (shared with tests/binary): progress lines skipped,
    each result read; an unknown line or an error fails."""
    from redisbench import rates
    out = ("SET: rps=1000.0 (overall: 990.5) avg_msec=1.0\rSET: 12345.68 requests per second, p50=0.1 msec\n"
           "GET: rps=0.0 (overall: nan)\nGET: 23456.00 requests per second\n"
           "LPOP (needed to benchmark LRANGE): 99.5 requests per second\n\n")
    assert rates(out) == {"SET": 12345.68, "GET": 23456.0, "LPOP": 99.5}
    for bad, err in ((out + "Writing to socket: Connection reset\n", ""), (out, "Could not connect to Redis")):
        try:
            rates(bad, err, tail=lambda: " (guest tail)")
        except AssertionError as e:
            assert "(guest tail)" in str(e)
        else:
            raise AssertionError(f"accepted {bad!r} {err!r}")


# Two clients: QEMU's user network (libslirp) listens for a forwarded port
# with a backlog of 1 (`ss -ltn` shows it), so a burst of more than two
# connects loses SYNs in the host's kernel; they come back after 1, 2, 4...
# s, and one that runs out of retries ends in "Connection reset by peer".
# A pcap of the guest's NIC shows each SYN arriving once, late: the guest
# never saw the lost ones (README.md, "Clients and slirp").
@pytest.mark.boot
def test_benchmark_completes(guest):
    """redis-benchmark's five tests, 100000 requests each (pipelined by 16
    to fit the test budget under TCG), each report requests per second."""
    rates = bench(guest, "-t", "get,set,incr,lpush,lpop", "-n", "100000", "-c", "2", "-P", "16")
    assert sorted(rates) == sorted(BENCH_TESTS) and all(r > 0 for r in rates.values()), (rates, guest.tail())
    print(f"redis-benchmark -n 100000 -c 2 -P 16: {rates}")


@pytest.mark.boot
def test_benchmark_without_pipelining(guest):
    rates = bench(guest, "-t", "get,set,incr,lpush,lpop", "-n", "2000", "-c", "2")
    assert sorted(rates) == sorted(BENCH_TESTS) and all(r > 0 for r in rates.values()), (rates, guest.tail())
    print(f"redis-benchmark -n 2000 -c 2: {rates}")


@pytest.mark.boot
def test_a_1mib_value_round_trips(guest):
    assert cli(guest, "-x", "SET", "big", stdin=BIG) == b"OK\n"
    assert cli(guest, "STRLEN", "big") == b"1048576\n"
    # --raw: the value's bytes as they are, then redis-cli's newline
    got = cli(guest, "--raw", "GET", "big")
    assert len(got) == len(BIG) + 1 and got == BIG + b"\n"


@pytest.mark.boot
def test_eval_runs_lua(guest):
    cli(guest, "-x", "SET", "big", stdin=BIG)
    sha = cli(guest, "EVAL", "return redis.sha1hex(redis.call('GET', KEYS[1]))", "1", "big")
    assert sha == hashlib.sha1(BIG).hexdigest().encode() + b"\n"
    # redis's bundled cjson and Lua 5.1 arithmetic, a table built in a loop
    script = "local t = {} for i = 1, tonumber(ARGV[1]) do t[i] = i * i end return cjson.encode(t)"
    assert cli(guest, "EVAL", script, "0", "5") == b"[1,4,9,16,25]\n"
    assert cli(guest, "EVAL", "return redis.call('INCRBY', KEYS[1], ARGV[1])", "1", "counter", "41") == b"41\n"


@pytest.mark.boot
def test_shutdown_ends_the_guest_with_status_0(guest):
    """Last in the module: the guest goes away with redis's own exit(0)."""
    subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(guest.port), "SHUTDOWN", "NOSAVE"],
                   capture_output=True, timeout=60)
    assert guest.proc.wait(60) == 0, guest.tail()
    assert "UK-CRASH" not in guest.text(), guest.tail()


def test_release_h_from_the_changelog():
    """uniforge/gen/redis_release.py: Debian's SOURCE_DATE_EPOCH as the build id."""
    sys.path.insert(0, str(REPO))
    from uniforge.gen import GenError, redis_release
    text = ("redis (5:7.0.15-1~deb12u10) bookworm-security; urgency=high\n\n  * x\n\n"
            " -- Chris Lamb <lamby@debian.org>  Thu, 24 Sep 2026 13:34:16 -0700\n\n"
            " -- Older <o@x.org>  Thu, 06 Aug 2026 11:09:14 -0700\n")
    out = redis_release.generate(text, "changelog")
    assert '#define REDIS_BUILD_ID "1790282056"\n' in out
    assert '#define REDIS_GIT_SHA1 "00000000"\n' in out and '#define REDIS_GIT_DIRTY "0"\n' in out
    with pytest.raises(GenError):
        redis_release.generate("no trailer here\n", "changelog")
    with pytest.raises(GenError):
        redis_release.generate(" -- A <a@b>  not a date\n", "changelog")


def test_server_sources_are_src_makefiles():
    """library.toml's src/*.c minus its excludes is src/Makefile's REDIS_SERVER_OBJ."""
    sys.path.insert(0, str(REPO))
    from uniforge import debsrc
    from uniforge.library import discover
    lib = discover(REPO / "os")["redis"]
    tree = debsrc.ensure(lib.debian)          # the cached tree (fetched once, as a build does)
    entry = next(s for s in lib.sources if s.src == "debian:src/*.c")
    objs = re.search(r"^REDIS_SERVER_OBJ=(.*)$", (tree / "src/Makefile").read_text(), re.M)[1].split()
    ours = {p.name for p in (tree / "src").glob("*.c")} - {Path(e).name for e in entry.exclude}
    assert ours == {o[:-2] + ".c" for o in objs}
