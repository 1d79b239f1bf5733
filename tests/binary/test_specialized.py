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

from binhelp import BOOT_TIMEOUT, BUILD_TIMEOUT, failure, sysroot
from conftest import Result, uniforge

pytestmark = pytest.mark.boot

TARGET = "qemu/x86_64"


def _cc(tmp: Path, name: str, src: str, *flags) -> Path:
    (tmp / f"{name}.c").write_text(textwrap.dedent(src))
    subprocess.run(["gcc", "-O2", "-o", str(tmp / name), str(tmp / f"{name}.c"), *flags], check=True)
    return tmp / name


def _run(binary: Path, args=(), *, extra=(), target: str = TARGET) -> Result:
    """`uniforge run BINARY -t TARGET --specialize EXTRA -- ARGS` for a
    program of the host (ours)."""
    argv = [sys.executable, "-m", "uniforge", "run", str(binary), "-t", target, "-q", "--timeout",
            str(BOOT_TIMEOUT), "--specialize", *extra, "--", *map(str, args)]
    p = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=BUILD_TIMEOUT,
                       env={**os.environ, "COLUMNS": "200"})
    return Result(p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"))


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


# Debian 12's binaries: the checks of tests/binary/test_bin_*.py and
# test_busybox.py (their check() helpers), in the specialised kernels, on
# both x86_64 targets of the acceptance; the report shows the syscall set
# shrinking.

X86 = ["qemu/x86_64", "microvm/x86_64"]


def _deps(root: Path, guest: str, *extra) -> dict:
    r = uniforge("deps", root / guest.lstrip("/"), "--sysroot", root, "--json", *extra)
    assert r.rc == 0, r.text
    return json.loads(r.out)


def _shrinks(d: dict, *, allow_list=True, libraries_off=()):
    assert d["allow_list"]["on"] == allow_list, d["allow_list"]
    assert d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    for lib in libraries_off:
        assert lib not in d["specialised"]["libraries"] and lib in d["generic"]["libraries"], lib


@pytest.mark.parametrize("target", X86)
def test_sqlite3_specialised(tmp_path, target):
    import test_bin_sqlite3
    d = _deps(sysroot("sqlite3"), "/usr/bin/sqlite3")
    _shrinks(d, libraries_off=["posix-socket", "lwip", "virtio-net"])
    # the nscd client's socket (getpwuid then reads /etc/passwd): the
    # report names it as tolerated
    assert "getpwuid" in d["tolerated"]["socket"]
    test_bin_sqlite3.check(target, tmp_path, options=["--specialize"], expect_enosys=["socket"])


@pytest.mark.parametrize("target", X86)
def test_lua_specialised(tmp_path, target):
    import test_bin_lua
    _shrinks(_deps(sysroot("lua5.4"), "/usr/bin/lua5.4"), libraries_off=["posix-socket", "lwip"])
    test_bin_lua.check(target, tmp_path, options=["--specialize"])


@pytest.mark.parametrize("target", X86)
def test_python3_specialised(tmp_path, target):
    import test_bin_python3
    root = sysroot("python3.11")
    _shrinks(_deps(root, "/usr/bin/python3.11"))
    test_bin_python3.check(root, target, tmp_path, options=["--specialize"])


@pytest.mark.parametrize("target", X86)
def test_nginx_specialised(tmp_path, target):
    import test_bin_nginx
    _shrinks(_deps(sysroot("nginx"), "/usr/sbin/nginx"))
    test_bin_nginx.check(target, tmp_path, options=["--specialize"])


@pytest.mark.parametrize("target", X86)
def test_redis_specialised(target):
    """libcap (loaded through libsystemd) calls syscall() with a computed
    number: the allow-list needs --only-found (what was found statically:
    redis never reaches libcap's calls in this workload)."""
    import test_bin_redis
    root = sysroot("redis")
    d = _deps(root, "/usr/bin/redis-server")
    assert not d["allow_list"]["on"] and "libcap" in d["allow_list"]["why"]
    _shrinks(_deps(root, "/usr/bin/redis-server", "--only-found"))
    test_bin_redis.check(target, options=["--specialize", "--only-found"])


@pytest.mark.parametrize("target", [*X86, "qemu/arm64"])
def test_busybox_specialised(tmp_path, target):
    """busybox-static: every syscall instruction of the static binary
    counts (no imports to follow); its own syscall() wrapper takes the
    number from its caller, so the allow-list needs --only-found. Also
    Debian's arm64 busybox-static on qemu/arm64 (the stretch)."""
    from test_busybox import BUSYBOX, program_lines, root_for, sh
    root = root_for(target)
    d = _deps(root, BUSYBOX)
    assert d["kind"] == "static" and not d["allow_list"]["on"]
    _shrinks(_deps(root, BUSYBOX, "--only-found"))
    rootfs = tmp_path / "rootfs"
    (rootfs / "etc").mkdir(parents=True)
    (rootfs / "etc" / "hostname").write_text("busybox-guest\n")
    r = sh(target, "echo hi; ls /; cat /etc/hostname; mkdir /tmp/x; rm -r /tmp/x", rootfs,
           options=["--specialize", "--only-found"])
    assert r.rc == 0, failure(r)
    assert program_lines(r.out) == ["hi", "bin", "dev", "etc", "proc", "root", "sys", "tmp", "usr",
                                    "busybox-guest"], failure(r)


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
