"""redis-benchmark run against a guest's forwarded port and its output
read, for the tests that measure a redis server: tests/apps/test_redis.py
(redis built from source) and tests/binary/ (Debian's redis-server in
binary mode, through binhelp).

    redis_benchmark(port, "-t", "get,set", "-n", "2000")  -> {"SET": 1234.5, "GET": ...}
    rates(stdout)                                          -> the same, from -q's output

A failed run, a line that is neither progress nor a result, or any line
saying error fails the test (assert), with ``tail()`` (the guest's last
output) in the message."""
from __future__ import annotations

import re
import subprocess
from typing import Callable

PROGRESS = re.compile(r"[A-Z_]+: rps=.*")
RESULT = re.compile(r"([A-Z_]+)(?: \(needed to benchmark \w+\))?: ([0-9.]+) requests per second.*")
ERROR = re.compile(r"error|could not", re.I)


def rates(stdout: str, stderr: str = "", tail: Callable[[], str] = str) -> dict[str, float]:
    """{test name: requests per second} of redis-benchmark -q's output.
    -q prints each test's progress ("SET: rps=... (overall: ...)", over
    itself with \\r on a terminal, on lines of their own into a pipe),
    then its result line."""
    errors = [line for line in (stdout + stderr).splitlines() if ERROR.search(line)]
    assert not errors, f"{errors}{tail()}"
    out = {}
    for line in re.split(r"[\r\n]", stdout):
        line = line.strip()
        if not line or PROGRESS.fullmatch(line):
            continue
        m = RESULT.fullmatch(line)
        assert m, f"unexpected redis-benchmark line {line!r}{tail()}"
        out[m[1]] = float(m[2])
    return out


def redis_benchmark(port: int, *args: str, timeout: float = 900, tail: Callable[[], str] = str) -> dict[str, float]:
    """redis-benchmark -q ARGS against 127.0.0.1:``port``: rates() of its output."""
    p = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-q", *args],
                       capture_output=True, text=True, timeout=timeout)
    assert p.returncode == 0, f"redis-benchmark: status {p.returncode}: {p.stdout[-2000:]}{p.stderr}{tail()}"
    return rates(p.stdout, p.stderr, tail)
