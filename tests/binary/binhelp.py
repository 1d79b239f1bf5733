"""Helpers for the binary-compatibility acceptance tests (tests/binary/):
Debian 12's own, unmodified programs, unpacked from their packages by
uniforge.debroot (never installed on the host), booted with
`uniforge run ROOT/usr/bin/PROG --sysroot ROOT`.

    root = sysroot("sqlite3")                       # the packages of PACKAGES["sqlite3"]
    r = run_binary(root, "/usr/bin/sqlite3", "qemu/x86_64", [":memory:", ".read /t.sql"], rootfs=tree)
    g = Server(root, "/usr/bin/redis-server", "qemu/x86_64", args, port=..., guest_port=6379,
               ready="Ready to accept connections")
    g.wait_ready(); ...; g.stop()

Results are conftest.Result (rc, out, err, text) with bytes decoded as
UTF-8; run_binary(..., raw=True) keeps stdout as bytes. Nothing is
skipped: a missing host program (wrk, redis-benchmark, the reference
binaries) is ./dev setup's job.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO, Result

# The x86_64 targets of the acceptance, and qemu/arm64 with Debian's arm64
# packages (the stretch).
TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
# Debian's name of each target's architecture, and its multiarch triplet.
DEB_ARCH = {"x86_64": "amd64", "arm64": "arm64"}
TRIPLET = {"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}
# The guest's own bound (`--timeout`): the binary-compatibility kernel is
# built once per target and cached; a cold build comes first and is
# bounded by BUILD_TIMEOUT.
BOOT_TIMEOUT = 300
BUILD_TIMEOUT = 3600

# Each program's Debian 12 packages: the program's own and every package
# of its DT_NEEDED closure (read with pyelftools from the unpacked files),
# libc6 included. The run-time-loaded ones are named where they are.
PACKAGES: dict[str, list[str]] = {
    # sqlite3 -> libsqlite3.so.0, libreadline.so.8 (-> libtinfo.so.6), libz.so.1, libm/libc
    "sqlite3": ["sqlite3", "libsqlite3-0", "libreadline8", "libtinfo6", "zlib1g", "libc6"],
    # lua5.4 links the interpreter statically (liblua5.4-0 is not needed)
    "lua5.4": ["lua5.4", "libreadline8", "libtinfo6", "libc6"],
    # python3.11 (non-PIE) -> libz, libexpat, libm/libc; its stdlib
    # (libpython3.11-minimal/-stdlib); _hashlib (dlopened) -> libcrypto.so.3 (libssl3)
    "python3.11": ["python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib", "zlib1g", "libexpat1",
                   "libssl3", "libc6"],
    # /usr/bin/redis-server (redis-server) is a symlink to redis-check-rdb
    # (redis-tools) -> libatomic, liblzf, libjemalloc (-> libstdc++, libgcc_s),
    # libsystemd (-> libcap, libgcrypt -> libgpg-error, liblzma, libzstd, liblz4),
    # libssl/libcrypto, libm/libc
    "redis": ["redis-server", "redis-tools", "libatomic1", "liblzf1", "libjemalloc2", "libstdc++6", "libgcc-s1",
              "libsystemd0", "libcap2", "libgcrypt20", "libgpg-error0", "liblzma5", "libzstd1", "liblz4-1",
              "libssl3", "libc6"],
    # nginx-light is a transitional package in Debian 12: /usr/sbin/nginx is
    # in `nginx` (1.22.1, the light module set); nginx-common holds
    # /etc/nginx/mime.types and the stock page -> libcrypt, libpcre2-8,
    # libssl/libcrypto, libz, libc
    "nginx": ["nginx", "nginx-common", "libcrypt1", "libpcre2-8-0", "libssl3", "zlib1g", "libc6"],
}


def deb_arch(target: str) -> str:
    """"amd64" or "arm64": the packages a target runs."""
    return DEB_ARCH[target.split("/")[1]]


def sysroot(app: str, arch: str = "amd64") -> Path:
    """The unpacked packages of PACKAGES[app] for `arch` (a Debian
    architecture, or a target's name), cached by uniforge.debroot."""
    if "/" in arch:
        arch = deb_arch(arch)
    sys.path.insert(0, str(REPO))
    from uniforge import debroot
    return debroot.sysroot(PACKAGES[app], arch=arch)


def _run_args(root: Path, binary: str, target: str, args, *, rootfs, memory, ports, env, strace, sets,
              boot_timeout, options=()) -> list[str]:
    cmd = ["run", str(root / binary.lstrip("/")), "--sysroot", str(root), "-t", target, "-q",
           "--timeout", str(boot_timeout)]
    if rootfs is not None:
        cmd += ["--rootfs", str(rootfs)]
    if memory is not None:
        cmd += ["-m", memory]
    for p in ports:
        cmd += ["-p", p]
    for e in env:
        cmd += ["-e", e]
    for s in sets:
        cmd += ["--set", s]
    if strace:
        cmd.append("--strace")
    cmd += list(options)
    return [sys.executable, "-m", "uniforge", *cmd, "--", *map(str, args)]


def run_binary(root: Path, binary: str, target: str, args=(), *, rootfs: Path | None = None,
               memory: str | None = None, env=(), stdin: bytes | str | None = None, strace: bool = False,
               sets=(), boot_timeout: float = BOOT_TIMEOUT, timeout: float = BUILD_TIMEOUT,
               raw: bool = False, options=()) -> Result:
    """`uniforge run ROOT/BINARY --sysroot ROOT -t TARGET -q --timeout ... -- ARGS`
    (`binary` is the program's path in the guest, e.g. /usr/bin/sqlite3).
    `raw`: Result.out is stdout's bytes (for byte-for-byte comparisons).
    `options`: more `uniforge run` options (e.g. ["--specialize"])."""
    argv = _run_args(root, binary, target, args, rootfs=rootfs, memory=memory, ports=(), env=env,
                     strace=strace, sets=sets, boot_timeout=boot_timeout, options=options)
    data = stdin.encode() if isinstance(stdin, str) else stdin
    p = subprocess.run(argv, input=data if data is not None else b"", capture_output=True, timeout=timeout,
                       env={**os.environ, "COLUMNS": "200"})
    out = p.stdout if raw else p.stdout.decode(errors="replace")
    return Result(p.returncode, out, p.stderr.decode(errors="replace"))


# A line of the kernel's on the console (the guest's one output line):
# UK-NET when the network is up, UK-ENOSYS once per missing syscall...
KERNEL_LINE = re.compile(rb"^UK-[A-Z]+ [^\n]*\n", re.M)
ENOSYS_LINE = re.compile(r"^UK-ENOSYS nr=\d+ name=(\w+)", re.M)


def split_console(out: bytes) -> tuple[bytes, list[str]]:
    """(the program's output, the kernel's UK- lines) of a run's stdout:
    the console carries both, whole lines each."""
    kernel = [m.decode(errors="replace").rstrip("\n") for m in KERNEL_LINE.findall(out)]
    return KERNEL_LINE.sub(b"", out), kernel


def enosys(kernel_lines: list[str]) -> list[str]:
    """The syscall names of the UK-ENOSYS lines, in order."""
    return [m for line in kernel_lines for m in ENOSYS_LINE.findall(line)]


def failure(r: Result, n: int = 4000) -> str:
    """The end of a run's output, for an assertion message."""
    out = r.out.decode(errors="replace") if isinstance(r.out, bytes) else r.out
    return f"status {r.rc}\n--- stdout:\n{out[-n:]}\n--- stderr:\n{r.err[-n:]}"


class Server:
    """A Debian server program booted in the background with a host port
    forwarded to it; everything it prints is collected (stdout and stderr
    together). `ready`: a regex its console prints when it listens (None:
    the caller probes the port itself)."""

    def __init__(self, root: Path, binary: str, target: str, args, *, port: int, guest_port: int,
                 ready: str | None = None, rootfs: Path | None = None, memory: str | None = None, env=(),
                 boot_timeout: float = 1800, options=()):
        self.port, self.target = port, target
        self.ready_re = re.compile(ready) if ready else None
        self.out: list[str] = []
        self.ready = threading.Event()
        argv = _run_args(root, binary, target, args, rootfs=rootfs, memory=memory,
                         ports=[f"{port}:{guest_port}"], env=env, strace=False, sets=(), boot_timeout=boot_timeout,
                         options=options)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, errors="replace", env={**os.environ, "COLUMNS": "200"})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in iter(self.proc.stdout.readline, ""):
            self.out.append(line)
            if self.ready_re is not None and self.ready_re.search(line):
                self.ready.set()
        self.ready.set()        # EOF: the guest ended (the waiter sees it)

    def text(self) -> str:
        return "".join(self.out)

    def tail(self, n: int = 3000) -> str:
        state = "running" if self.proc.poll() is None else f"ended with status {self.proc.returncode}"
        return f"\n--- guest on {self.target} ({state}) output:\n{self.text()[-n:]}"

    def wait_ready(self, timeout: float) -> bool:
        """True once the ready line came (and the guest still runs)."""
        return self.ready.wait(timeout) and self.proc.poll() is None and any(
            self.ready_re.search(line) for line in self.out)

    def wait_exit(self, timeout: float) -> int:
        rc = self.proc.wait(timeout)
        self.reader.join(10)
        return rc

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


def wait_http(port: int, path: str, deadline_s: float, alive) -> bytes | None:
    """The body of the first 200 answer to GET path on 127.0.0.1:port
    within deadline_s (slirp accepts on the host port before the guest
    listens, and answers those early connections with a reset or nothing),
    None when none came or alive() turned False."""
    import http.client
    end = time.monotonic() + deadline_s
    while time.monotonic() < end and alive():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            c.request("GET", path)
            r = c.getresponse()
            body = r.read()
            if r.status == 200:
                return body
        except (OSError, http.client.HTTPException):
            pass
        finally:
            c.close()
        time.sleep(1)
    return None


@dataclass
class Wrk:
    requests: int
    errors: dict[str, int]      # Socket errors: connect/read/write/timeout (absent: all 0)
    non_2xx: int
    text: str


def run_wrk(port: int, path: str = "/", seconds: int = 3, conns: int = 2, timeout_s: int = 10) -> Wrk:
    """wrk -t1 -cCONNS -dSECONDS against the forwarded port. Two
    connections: slirp listens on the host port with a backlog of 1, so
    connections must arrive one at a time (tests/apps/test_nginx.py)."""
    p = subprocess.run(["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", f"--timeout={timeout_s}s",
                        f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 120)
    assert p.returncode == 0, f"wrk: status {p.returncode}: {p.stdout}{p.stderr}"
    m = re.search(r"(\d+) requests in ", p.stdout)
    assert m, p.stdout
    err = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", p.stdout)
    errors = dict(zip(("connect", "read", "write", "timeout"), map(int, err.groups()))) if err else \
        {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    non = re.search(r"Non-2xx or 3xx responses: (\d+)", p.stdout)
    return Wrk(int(m[1]), errors, int(non[1]) if non else 0, p.stdout)


__all__ = ["BOOT_TIMEOUT", "BUILD_TIMEOUT", "PACKAGES", "TARGETS", "TRIPLET", "Server", "Wrk", "deb_arch", "enosys",
           "failure", "run_binary", "run_wrk", "split_console", "sysroot", "wait_http"]
