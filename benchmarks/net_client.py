"""The host side of the networking benchmark: what talks to a server through
a forwarded port, whichever system serves it (our unikernel, the Linux VM,
a host process).

    run_wrk(port, threads, conns, seconds)   -> parse_wrk's dict (wrk --latency)
    parse_wrk(text)                          -> {requests_per_s, latency_us: {p50..p99}, ...}
    wait_http(port, deadline)                -> seconds at the first full HTTP answer, or None
    wait_answer(port, request, complete, ...) -> the same for any request/answer
    bulk_to_guest(port, nbytes)              -> seconds (netbulk SINK: host -> guest)
    bulk_from_guest(port, nbytes)            -> seconds (netbulk SOURCE: guest -> host)
    concurrent_gets(port, conns)             -> how many of `conns` connections open at once got the page
    free_port()                              -> a free TCP port on 127.0.0.1

With QEMU's user-mode networking the host side of a forwarded port is
slirp's own listening socket: a connect() succeeds as soon as QEMU runs,
before the guest listens (slirp then closes it when the guest refuses). So
"listening" is only known from an answer: wait_http sends a request each
try and counts a complete response.
"""
from __future__ import annotations

import re
import selectors
import socket
import subprocess
import time

from common import BaselineError

REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1e6, "m": 60e6}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _duration_us(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(m.group(1)) * UNITS_US[m.group(2)]


def parse_wrk(text: str) -> dict:
    """wrk --latency's report: requests/s, the latency distribution (µs),
    requests, errors. Raises BaselineError when the report is not there
    (wrk failed) or says no request completed."""
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+), ([\d.]+\w+) read", text, re.M)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if not m or not rps:
        raise BaselineError(f"no wrk report in: {text.strip()[-300:]!r}")
    out = {"requests": int(m.group(1)), "duration_s": _duration_us(m.group(2)) / 1e6,
           "requests_per_s": float(rps.group(1)), "latency_us": {}, "errors": {}, "non_2xx": 0}
    lat = re.search(r"^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
    if lat:
        out["latency_mean_us"] = _duration_us(lat.group(1))
        out["latency_max_us"] = _duration_us(lat.group(3))
    for pct, val in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)\s*$", text, re.M):
        out["latency_us"][f"p{pct}"] = _duration_us(val)
    err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if err:
        out["errors"] = dict(zip(("connect", "read", "write", "timeout"), map(int, err.groups())))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if non2xx:
        out["non_2xx"] = int(non2xx.group(1))
    if out["requests"] == 0:
        raise BaselineError("wrk completed no request")
    if not out["latency_us"]:
        raise BaselineError("wrk printed no latency distribution (was --latency given?)")
    return out


def run_wrk(port: int, threads: int = 1, conns: int = 10, seconds: int = 5, timeout_s: int = 5) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", f"--timeout={timeout_s}s", "--latency",
           f"http://127.0.0.1:{port}/"]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + timeout_s + 30)
    except FileNotFoundError:
        raise BaselineError("wrk not found: apt-get install wrk (./dev setup installs it)") from None
    except subprocess.TimeoutExpired:
        raise BaselineError(f"wrk did not finish: {' '.join(cmd)}") from None
    if p.returncode != 0:
        raise BaselineError(f"wrk failed ({p.returncode}): {p.stderr.strip()[-300:]}")
    return {**parse_wrk(p.stdout), "cmd": cmd}


def http_response_complete(data: bytes) -> bool:
    """True once ``data`` holds a whole HTTP response (headers and the
    Content-Length body)."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    m = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return m is not None and len(body) >= int(m.group(1))


def wait_http(port: int, t0: float, deadline: float, interval: float = 0.01, max_age: float = 1.0,
              alive=lambda: True) -> float | None:
    """Seconds from ``t0`` (time.perf_counter) to the first complete HTTP
    answer on ``port``; None if none came by ``deadline`` or once
    ``alive()`` is false (the server exited). As wait_answer."""
    return wait_answer(port, REQUEST, http_response_complete, t0, deadline, interval, max_age, alive)


def wait_answer(port: int, request: bytes, complete, t0: float, deadline: float, interval: float = 0.01,
                max_age: float = 1.0, alive=lambda: True) -> float | None:
    """Seconds from ``t0`` (time.perf_counter) to the first answer on
    ``port`` to ``request`` that ``complete(bytes so far)`` accepts; None
    if none came by ``deadline`` or once ``alive()`` is false.

    A new connection is tried every ``interval`` s, each kept ``max_age``
    s, all watched at once: a connection slirp accepted before the guest
    listened waits out slirp's SYN retries to the guest (seconds), so the
    first answer comes on one opened just after the server started
    listening, within ``interval`` of it."""
    sel = selectors.DefaultSelector()
    tries: dict[socket.socket, list] = {}          # socket -> [opened at, bytes so far or None]
    next_try = time.perf_counter()

    def drop(s: socket.socket) -> None:
        sel.unregister(s)
        del tries[s]
        s.close()

    try:
        while True:
            now = time.perf_counter()
            if now >= deadline or not alive():
                return None
            if now >= next_try:
                s = socket.socket()
                s.setblocking(False)
                try:
                    s.connect(("127.0.0.1", port))
                except BlockingIOError:
                    pass
                except OSError:
                    s.close()
                    s = None
                if s is not None:
                    tries[s] = [now, None]
                    sel.register(s, selectors.EVENT_WRITE)
                next_try = now + interval
            for s in [s for s, (opened, _) in tries.items() if now - opened > max_age]:
                drop(s)
            for key, _ in sel.select(timeout=max(0.0, min(next_try, deadline) - time.perf_counter())):
                s = key.fileobj
                state = tries[s]
                if state[1] is None:                       # connected (or failed): send the request
                    try:
                        if s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                            raise ConnectionError
                        s.sendall(request)
                    except OSError:
                        drop(s)
                        continue
                    state[1] = b""
                    sel.modify(s, selectors.EVENT_READ)
                    continue
                try:
                    chunk = s.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    drop(s)                                # slirp's refusal, or the server closed
                    continue
                state[1] += chunk
                if complete(state[1]):
                    return time.perf_counter() - t0
    finally:
        for s in list(tries):
            s.close()
        sel.close()


def _line(s: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def bulk_to_guest(port: int, nbytes: int, timeout: float = 120.0) -> float:
    """Send ``nbytes`` to netbulk's SINK; seconds from the first byte to its
    "GOT n" answer (which checks the count). Raises BaselineError."""
    chunk = bytes(range(256)) * 256
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(b"SINK\n")
        t0 = time.perf_counter()
        left = nbytes
        while left:
            n = min(left, len(chunk))
            s.sendall(chunk[:n])
            left -= n
        s.shutdown(socket.SHUT_WR)
        answer = _line(s)
        dt = time.perf_counter() - t0
    if answer.strip() != f"GOT {nbytes}".encode():
        raise BaselineError(f"netbulk SINK of {nbytes} bytes answered {answer!r}")
    return dt


def bulk_from_guest(port: int, nbytes: int, timeout: float = 120.0) -> float:
    """Ask netbulk's SOURCE for ``nbytes``; seconds from the request to the
    server's close, every byte counted. Raises BaselineError."""
    got = 0
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        t0 = time.perf_counter()
        s.sendall(f"SOURCE {nbytes}\n".encode())
        while True:
            data = s.recv(1 << 20)
            if not data:
                break
            got += len(data)
        dt = time.perf_counter() - t0
    if got != nbytes:
        raise BaselineError(f"netbulk SOURCE of {nbytes} bytes sent {got}")
    return dt


def quit_netbulk(port: int) -> None:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"QUIT\n")
            s.recv(1)
    except OSError:
        pass


def _read_response(s: socket.socket) -> bool:
    data = b""
    while not http_response_complete(data):
        chunk = s.recv(65536)
        if not chunk:
            return False
        data += chunk
    return True


def concurrent_gets(port: int, conns: int = 100, timeout: float = 60.0) -> int:
    """How many of ``conns`` keep-alive connections, all open at once, get
    the page. They are opened one after the other, each proven accepted by
    the guest with one GET answered on it (slirp's host socket listens with
    a backlog of 1: opened all at once, most would wait out the host's SYN
    retries, 1+2+4... s); then, with all of them open, every one sends a
    second GET and all the answers are read. Counts the connections that
    got both; never raises for a failing server (it just counts less)."""
    deadline = time.monotonic() + timeout
    socks: list[socket.socket] = []
    try:
        for _ in range(conns):
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                s = socket.create_connection(("127.0.0.1", port), timeout=left)
                socks.append(s)
                s.sendall(REQUEST)
                if not _read_response(s):
                    socks.pop().close()
            except OSError:
                continue
        for s in socks:
            try:
                s.sendall(REQUEST)
            except OSError:
                pass
        done = 0
        for s in socks:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                s.settimeout(left)
                done += _read_response(s)
            except OSError:
                pass
        return done
    finally:
        for s in socks:
            s.close()
