"""The host side of benchmarks/apps.py's servers and its pure helpers:
talking to redis (readiness, the check), running and parsing
redis-benchmark, nginx's page check, and the smallest-memory bisection.

    wait_redis(port, t0, deadline, alive)    -> seconds to the first +PONG, or None
    redis_check(port)                        -> None when SET/GET/INCR answer right, else why
    run_redis_benchmark(port, n, pipeline)   -> {"SET": {...}, "GET": {...}}
    parse_redis_csv(text)                    -> {test: {rps, avg_latency_ms, p50_latency_ms, ...}}
    http_get(port, path)                     -> (status, body)
    bisect_min(ok, lo, hi, budget_s)         -> {"min_mem_mb", "exact", "probes", ...}

With QEMU's user networking, slirp accepts a forwarded connection before
the guest listens, so readiness is the first real answer (as net_client's
wait_http), never a bare connect.
"""
from __future__ import annotations

import csv
import io
import socket
import subprocess
import time
from typing import Callable

import net_client as nc
from common import BaselineError


def _resp(s: socket.socket) -> bytes:
    """One RESP reply (simple string, error, integer or bulk string)."""
    data = b""
    while b"\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    if data[:1] == b"$":
        head, _, rest = data.partition(b"\r\n")
        n = int(head[1:])
        if n < 0:
            return b"$-1"
        while len(rest) < n + 2:
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            rest += chunk
        return rest[:n]
    return data.split(b"\r\n", 1)[0]


def resp_command(*words: bytes | str) -> bytes:
    out = [f"*{len(words)}\r\n".encode()]
    for w in words:
        b = w.encode() if isinstance(w, str) else w
        out.append(f"${len(b)}\r\n".encode() + b + b"\r\n")
    return b"".join(out)


def wait_redis(port: int, t0: float, deadline: float, alive: Callable[[], bool] = lambda: True,
               interval: float = 0.01) -> float | None:
    """Seconds from ``t0`` (perf_counter) to the first +PONG on ``port``;
    None past ``deadline`` or once ``alive()`` is false. Connections are
    tried every ``interval`` s and watched at once (net_client.wait_answer):
    one slirp accepted before the guest listened never answers, and waiting
    it out one at a time added its whole timeout to the reading."""
    return nc.wait_answer(port, resp_command("PING"), lambda d: d.startswith(b"+PONG\r\n"),
                          t0, deadline, interval, alive=alive)


def redis_check(port: int, timeout: float = 10.0) -> str | None:
    """redis's own check: SET/GET of a 1 KiB value and an INCR. None when
    every answer is right, else what went wrong."""
    value = bytes(range(256)) * 4
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(timeout)
            for cmd, want in (((b"SET", b"bench:k", value), b"+OK"), ((b"GET", b"bench:k"), value),
                              ((b"DEL", b"bench:n"), None), ((b"INCR", b"bench:n"), b":1")):
                s.sendall(resp_command(*cmd))
                got = _resp(s)
                if want is not None and got != want:
                    return f"{cmd[0].decode()} answered {got[:60]!r}"
    except (OSError, ValueError) as e:
        return f"redis check: {e}"
    return None


def parse_redis_csv(text: str) -> dict:
    """redis-benchmark --csv's report (7.x: a header, then one row per
    test) as {test: {"rps": float, "<column>": float, ...}}. Raises
    BaselineError when no test row is there."""
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    header = next((r for r in rows if r and r[0] == "test"), None)
    if header is None:
        raise BaselineError(f"no redis-benchmark CSV report in: {text.strip()[-300:]!r}")
    out = {}
    for r in rows:
        if r is header or len(r) != len(header):
            continue
        try:
            out[r[0]] = {k: float(v) for k, v in zip(header[1:], r[1:])}
        except ValueError:
            continue
    if not out:
        raise BaselineError(f"redis-benchmark reported no test: {text.strip()[-300:]!r}")
    return out


def run_redis_benchmark(port: int, requests: int, pipeline: int = 1, clients: int = 10,
                        timeout: float = 120.0) -> dict:
    """redis-benchmark -t set,get -n ``requests`` -c ``clients`` [-P
    ``pipeline``] --csv against 127.0.0.1:``port``. 10 clients, as wrk's
    10 connections: QEMU's user network resets some of 50 opened at once
    (redis-benchmark's default) to a Linux VM ("Connection reset by
    peer"; slirp's host socket listens with a backlog of 1)."""
    cmd = ["redis-benchmark", "-h", "127.0.0.1", "-p", str(port), "-t", "set,get", "-n", str(requests),
           "-c", str(clients), "-P", str(pipeline), "--csv"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError:
        raise BaselineError("redis-benchmark not found: apt-get install redis-tools (./dev setup does)") from None
    except subprocess.TimeoutExpired:
        raise BaselineError(f"redis-benchmark did not finish in {timeout:.0f} s: {' '.join(cmd)}") from None
    if p.returncode != 0:
        raise BaselineError(f"redis-benchmark failed ({p.returncode}): {(p.stderr or p.stdout).strip()[-300:]}")
    return {"tests": parse_redis_csv(p.stdout), "requests": requests, "clients": clients,
            "pipeline": pipeline}


def http_get(port: int, path: str = "/", timeout: float = 10.0) -> tuple[int, bytes]:
    """(status, body) of one HTTP/1.0 GET. Raises OSError/ValueError."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.settimeout(timeout)
        s.sendall(f"GET {path} HTTP/1.0\r\nHost: bench\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, body


def bisect_min(ok: Callable[[int, float | None], bool], lo: int, hi: int, budget_s: float,
               clock: Callable[[], float] = time.perf_counter, confirm: int = 1) -> dict:
    """Smallest m in [lo, hi] with ``ok(m, timeout)`` true, assuming ok is
    monotonic: true at ``hi`` first, then a binary search, then the answer
    checked ``confirm`` more times (stepping up 1 while that fails: a VM's
    boundary is not sharp). ``timeout`` is None for the first probe, then
    3x the seconds it took (at least 10): a probe below the boundary may
    hang rather than fail. Past ``budget_s`` the best bound so far, with
    "exact": False.

    Returns {"min_mem_mb": m or None, "exact", "probes": [{mem_mb, ok}],
    "search_s"}; min_mem_mb None (and "note") when even ``hi`` fails."""
    t0 = clock()
    probes: list[dict] = []
    timeout: float | None = None

    def probe(m: int) -> bool:
        start = clock()
        good = bool(ok(m, timeout))
        probes.append({"mem_mb": m, "ok": good, "s": round(clock() - start, 2)})
        return good

    if not probe(hi):
        return {"min_mem_mb": None, "exact": False, "probes": probes, "search_s": round(clock() - t0, 1),
                "note": f"the check fails even with {hi} MiB"}
    timeout = max(10.0, 3 * probes[0]["s"])
    good, bad, exact = hi, lo - 1, True
    while good - bad > 1:
        if clock() - t0 > budget_s:
            exact = False
            break
        mid = (good + bad) // 2
        if probe(mid):
            good = mid
        else:
            bad = mid
    confirmed = 0
    while exact and confirmed < confirm and good < hi:
        if clock() - t0 > budget_s:
            exact = False
            break
        if probe(good):
            confirmed += 1
        else:
            good, confirmed = good + 1, 0
    return {"min_mem_mb": good, "exact": exact, "probes": probes, "search_s": round(clock() - t0, 1)}
