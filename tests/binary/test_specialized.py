"""Programs in their specialised kernel (`uniforge run BINARY --specialize`,
uniforge/binary/specialize.py): programs we compile, and Debian 12's own
binaries passing the same checks as in the generic kernel (the helpers
and workloads of tests/binary/test_bin_*.py), with the report showing the
syscall set shrinking.

The specialised kernel keeps only the micro-libraries the program's
syscalls need and, when every number is known, a table serving only
those syscalls (CONFIG_LIBUKSYSCALL_ONLY): anything else is -ENOSYS with
one UK-ENOSYS line."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from binhelp import BOOT_TIMEOUT, BUILD_TIMEOUT, _run_args, enosys, failure, split_console, sysroot
from conftest import REPO, Result, uniforge

pytestmark = pytest.mark.boot

TARGET = "qemu/x86_64"


def _cc(tmp: Path, name: str, src: str, *flags) -> Path:
    (tmp / f"{name}.c").write_text(textwrap.dedent(src))
    subprocess.run(["gcc", "-O2", "-o", str(tmp / name), str(tmp / f"{name}.c"), *flags], check=True)
    return tmp / name


def _run(binary: Path, args=(), *, extra=(), root: Path | None = None, guest: str | None = None,
         rootfs: Path | None = None, memory: str | None = None, env=(), target: str = TARGET,
         raw: bool = False) -> Result:
    """`uniforge run BINARY --specialize EXTRA -- ARGS` (with --sysroot ROOT
    for a Debian binary at GUEST in ROOT). `raw`: stdout as bytes."""
    if root is not None:
        argv = _run_args(root, guest, target, args, rootfs=rootfs, memory=memory, ports=(), env=env,
                         strace=False, sets=(), boot_timeout=BOOT_TIMEOUT)
    else:
        argv = [sys.executable, "-m", "uniforge", "run", str(binary), "-t", target, "-q", "--timeout",
                str(BOOT_TIMEOUT), "--", *map(str, args)]
    cut = argv.index("--")
    argv[cut:cut] = ["--specialize", *extra]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=BUILD_TIMEOUT,
                       env={**os.environ, "COLUMNS": "200"})
    return Result(p.returncode, p.stdout if raw else p.stdout.decode(errors="replace"),
                  p.stderr.decode(errors="replace"))


@pytest.mark.parametrize("target", ["qemu/x86_64", "microvm/x86_64"])
def test_dynamic_glibc_program(tmp_path, target):
    """A glibc program with no sockets: no network stack, and a table of
    only its syscalls; it runs as in the generic kernel."""
    prog = _cc(tmp_path, "hello", r"""
        #include <stdio.h>
        int main(int argc, char **argv) {
            FILE *f = fopen("/etc/hostname", "r");
            printf("hello %s %d\n", argv[1], f != NULL);
            return 7;
        }
    """)
    r = _run(prog, ["specialised"], target=target)
    assert r.rc == 7, failure(r)
    assert "hello specialised 1\n" in r.out
    d = json.loads(uniforge("deps", prog, "--json").out)
    assert d["allow_list"]["on"] and "posix-socket" not in d["specialised"]["libraries"]
    assert "lwip" not in d["specialised"]["libraries"]
    assert d["specialised"]["syscalls"] < d["generic"]["syscalls"]


def test_unlisted_syscall_is_enosys(tmp_path):
    """With the allow-list, a number the analysis did not find gets -ENOSYS
    and one UK-ENOSYS line, never a crash (the generic kernel serves it).
    getuid's number comes from argc, so only --only-found lists what was
    found: getpid and exit."""
    prog = _cc(tmp_path, "raw", r"""
        static long sc(long n)
        {
            long r;
            __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory");
            return r;
        }
        void _start(void) {
            long argc;
            __asm__ volatile("mov (%%rsp), %0" : "=r"(argc));
            long pid = sc(39);                          /* getpid: found */
            long uid = sc(100 + argc);                  /* getuid (102) with two arguments */
            long status = (pid > 0 ? 1 : 0) | (uid == -38 ? 2 : 0);    /* -ENOSYS */
            for (;;) __asm__ volatile("mov $60, %%eax; syscall" :: "D"(status) : "rax", "rcx", "r11");
        }
    """, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    d = json.loads(uniforge("deps", prog, "--json").out)
    assert not d["allow_list"]["on"] and "not known statically" in d["allow_list"]["why"]
    r = _run(prog, ["x"], extra=["--only-found"])
    assert r.rc == 3, failure(r)
    assert "UK-ENOSYS nr=102 name=getuid" in r.err + r.out


# Debian 12's binaries: the same checks as tests/binary/test_bin_*.py, in
# their specialised kernels.

def test_sqlite3_specialised(tmp_path):
    sys.path.insert(0, str(REPO / "tests" / "apps"))
    from test_sqlite3 import host_run, make_rootfs
    root = sysroot("sqlite3")
    scripts = ["script.sql", "persist.sql", "wal.sql"]
    rootfs = make_rootfs(tmp_path / "rootfs")
    want = host_run(rootfs, tmp_path, [":memory:", *(f".read {s}" for s in scripts)])
    r = _run(root / "usr/bin/sqlite3", [":memory:", *(f".read /{s}" for s in scripts)], root=root,
             guest="/usr/bin/sqlite3", rootfs=rootfs, raw=True)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode().splitlines() == want.splitlines()
    assert out.decode() == want
    d = json.loads(uniforge("deps", root / "usr/bin/sqlite3", "--sysroot", root, "--json").out)
    # the nscd client's socket (getpwuid then reads /etc/passwd): the
    # report names it as tolerated (rseq has posix-thread's handler)
    assert enosys(kernel) == ["socket"], kernel
    assert "getpwuid" in d["tolerated"]["socket"]
    assert "posix-socket" not in d["specialised"]["libraries"]
    assert d["specialised"]["syscalls"] < d["generic"]["syscalls"]


def test_lua_specialised(tmp_path):
    import shutil
    import time
    from test_bin_lua import HOST_LUA, SUITE
    root = sysroot("lua5.4")
    d = json.loads(uniforge("deps", root / "usr/bin/lua5.4", "--sysroot", root, "--json").out)
    assert d["allow_list"]["on"]
    assert d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    host_dir, rootfs = tmp_path / "host", tmp_path / "rootfs"
    shutil.copytree(SUITE, host_dir)
    shutil.copytree(SUITE, rootfs)
    (rootfs / "tmp").mkdir()
    now = str(int(time.time()))
    h = subprocess.run([HOST_LUA, "suite.lua", now], cwd=host_dir, capture_output=True,
                       env={"TZ": "UTC", "LUA_SUITE_VAR": "value"}, timeout=120)
    assert h.returncode == 0, h.stderr.decode()
    r = _run(root / "usr/bin/lua5.4", ["suite.lua", now], root=root, guest="/usr/bin/lua5.4", rootfs=rootfs,
             memory="128M", env=["LUA_SUITE_VAR=value"], raw=True)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode(errors="replace").splitlines() == h.stdout.decode().splitlines()
    assert enosys(kernel) == [], kernel


def test_specialize_builds_both_and_the_image_shrinks(tmp_path):
    """`uniforge specialize` builds the generic and the specialised kernel:
    without sockets and with a table of a few syscalls, the image is smaller
    (the handlers left out go with --gc-sections)."""
    prog = _cc(tmp_path, "raw", r"""
        void _start(void) {
            __asm__ volatile("mov $39, %%eax; syscall" ::: "rax", "rcx", "r11");
            for (;;) __asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall" ::: "rax", "rdi", "rcx", "r11");
        }
    """, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    r = uniforge("specialize", prog, "--json", timeout=BUILD_TIMEOUT)
    assert r.rc == 0, r.text
    d = json.loads(r.out)
    assert d["allow_list"]["on"] and d["covered"] == ["exit", "getpid"]
    assert d["specialised"]["syscalls"] == 2 < d["generic"]["syscalls"]
    assert 0 < d["specialised"]["image_size"] < d["generic"]["image_size"]


def _deps(root: Path, guest: str, *extra) -> dict:
    r = uniforge("deps", root / guest.lstrip("/"), "--sysroot", root, "--json", *extra)
    assert r.rc == 0, r.text
    return json.loads(r.out)


def test_python3_specialised(tmp_path):
    from test_bin_python3 import host_output, make_rootfs
    root = sysroot("python3.11")
    d = _deps(root, "/usr/bin/python3.11")
    assert d["allow_list"]["on"] and d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    rootfs = make_rootfs(root, tmp_path / "rootfs")
    want = host_output(rootfs)
    r = _run(root / "usr/bin/python3.11", ["/script.py"], root=root, guest="/usr/bin/python3.11", rootfs=rootfs,
             env=["PYTHONHASHSEED=0"], memory="128M", raw=True)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode().splitlines() == want.splitlines()
    assert enosys(kernel) == [], kernel


class _SpecialisedServer:
    """binhelp.Server booted with --specialize (EXTRA after it)."""

    def __init__(self, *args, extra=(), **kw):
        import binhelp
        orig = binhelp._run_args

        def run_args(*a, **k):
            argv = orig(*a, **k)
            cut = argv.index("--")
            argv[cut:cut] = ["--specialize", *extra]
            return argv
        binhelp._run_args = run_args
        try:
            self.server = binhelp.Server(*args, **kw)
        finally:
            binhelp._run_args = orig


def test_nginx_specialised(tmp_path):
    from binhelp import run_wrk, wait_http
    from conftest import free_port
    from test_bin_nginx import PAGE, READY_TIMEOUT, make_rootfs
    root = sysroot("nginx")
    d = _deps(root, "/usr/sbin/nginx")
    assert d["allow_list"]["on"] and d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    rootfs = make_rootfs(root, tmp_path / "rootfs")
    port = free_port("tcp")
    g = _SpecialisedServer(root, "/usr/sbin/nginx", TARGET, ["-e", "stderr"], port=port, guest_port=80,
                           rootfs=rootfs, memory="64M", boot_timeout=READY_TIMEOUT + 600).server
    try:
        body = wait_http(port, "/", READY_TIMEOUT, lambda: g.proc.poll() is None)
        assert body == (root / PAGE).read_bytes(), g.tail()
        w = run_wrk(port, seconds=3, conns=2)
        assert w.requests > 0 and w.non_2xx == 0 and not any(w.errors.values()), w.text + g.tail()
    finally:
        g.stop()
    for bad in ("UK-CRASH", "[emerg]", "[alert]", "[crit]"):
        assert bad not in g.text(), g.tail()
    assert enosys(split_console(g.text().encode())[1]) == [], g.tail()


def test_redis_specialised():
    """libcap (loaded through libsystemd) calls syscall() with a computed
    number: the allow-list needs --only-found (what was found statically:
    redis never reaches libcap's calls in this workload)."""
    from binhelp import redis_benchmark
    from conftest import free_port
    from test_bin_redis import ARGS, READY_TIMEOUT
    root = sysroot("redis")
    d = _deps(root, "/usr/bin/redis-server")
    assert not d["allow_list"]["on"] and "libcap" in d["allow_list"]["why"]
    d = _deps(root, "/usr/bin/redis-server", "--only-found")
    assert d["allow_list"]["on"] and d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    g = _SpecialisedServer(root, "/usr/bin/redis-server", TARGET, ARGS, extra=["--only-found"],
                           port=free_port("tcp"), guest_port=6379, ready=r"Ready to accept connections",
                           memory="64M", boot_timeout=READY_TIMEOUT + 1200).server
    try:
        assert g.wait_ready(READY_TIMEOUT), g.tail()
        rates = redis_benchmark(g.port, "-t", "get,set", "-n", "20000", "-c", "2", "-P", "16")
        assert sorted(rates) == ["GET", "SET"] and all(r > 0 for r in rates.values()), (rates, g.tail())
        subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(g.port), "SHUTDOWN", "NOSAVE"],
                       capture_output=True, timeout=60)
        assert g.wait_exit(120) == 0, g.tail()
    finally:
        g.stop()
    assert enosys(split_console(g.text().encode())[1]) == [], g.tail()


def test_busybox_specialised(tmp_path):
    """busybox-static: every syscall instruction of the static binary
    counts (no imports to follow); its own syscall() wrapper takes the
    number from its caller, so the allow-list needs --only-found."""
    from test_busybox import BUSYBOX, program_lines
    from uniforge import debroot
    root = debroot.sysroot(["busybox-static"])
    d = _deps(root, BUSYBOX)
    assert d["kind"] == "static" and not d["allow_list"]["on"]
    d = _deps(root, BUSYBOX, "--only-found")
    assert d["allow_list"]["on"] and d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    rootfs = tmp_path / "rootfs"
    (rootfs / "etc").mkdir(parents=True)
    (rootfs / "etc" / "hostname").write_text("busybox-guest\n")
    r = _run(root / BUSYBOX.lstrip("/"), ["sh", "-c", "echo hi; ls /; cat /etc/hostname; mkdir /tmp/x; rm -r /tmp/x"],
             extra=["--only-found"], root=root, guest=BUSYBOX, rootfs=rootfs)
    assert r.rc == 0, failure(r)
    assert program_lines(r.out) == ["hi", "bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr",
                                    "busybox-guest"], failure(r)
