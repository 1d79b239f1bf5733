"""The specialiser's static analysis (uniforge/binary/disasm.py, libcmap.py,
analysis.py) on programs compiled here and on the host's own C libraries:
syscall sites with constant numbers, unresolved ones, libc imports mapped
to the syscalls libc's code can reach, the vDSO functions."""
from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from uniforge.binary.analysis import analyze
from uniforge.binary.disasm import scan
from uniforge.binary.libcmap import libc_map
from uniforge.errors import UserError

GLIBC = Path("/lib/x86_64-linux-gnu/libc.so.6")
GLIBC_ARM64 = Path("/usr/aarch64-linux-gnu/lib/libc.so.6")
MUSL = Path("/usr/lib/x86_64-linux-musl/libc.so")

# Linux's x86_64 numbers (arch/x86/entry/syscalls/syscall_64.tbl), written
# into the test programs below and expected back from the analysis.
GETPID, GETUID, EXIT, SOCKET, OPENAT, WRITE, CLOCK_GETTIME = 39, 102, 60, 41, 257, 1, 228


@pytest.fixture(scope="module")
def _cache_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _own_cache(_cache_dir, monkeypatch):
    """A cache of this module's own (UNIFORGE_CACHE): the analysis really runs."""
    monkeypatch.setenv("UNIFORGE_CACHE", str(_cache_dir))


def _cc(tmp: Path, name: str, src: str, *flags, cc="gcc") -> Path:
    c = tmp / f"{name}.c"
    c.write_text(textwrap.dedent(src))
    out = tmp / name
    subprocess.run([cc, "-O2", "-o", str(out), str(c), *flags], check=True, capture_output=True)
    return out


RAW = r"""
static long sys0(long n) { long r; __asm__ volatile("syscall" : "=a"(r) : "a"(n) : "rcx", "r11", "memory"); return r; }
void _start(void) {
    sys0(39);                 /* getpid */
    sys0(102);                /* getuid */
    for (;;) __asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall" ::: "rax", "rdi", "rcx", "r11");
}
"""


def test_static_program_constant_numbers(tmp_path):
    prog = _cc(tmp_path, "raw", RAW, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    sc = scan(prog)
    nrs = sorted(s.nr for fn in sc.funcs for s in fn.sites)
    assert nrs == sorted([GETPID, GETUID, EXIT])
    rep = analyze(prog)
    assert rep.kind == "static"
    assert set(rep.syscalls) == {"getpid", "getuid", "exit"}
    assert rep.unresolved == []


def test_static_program_number_not_constant(tmp_path):
    prog = _cc(tmp_path, "var", r"""
        void _start(void) {
            long n;
            __asm__ volatile("mov (%%rsp), %0" : "=r"(n));          /* argc: known at run time only */
            __asm__ volatile("syscall" : "+a"(n) :: "rcx", "r11", "memory");
            for (;;) __asm__ volatile("mov $60, %%eax; syscall" ::: "rax", "rcx", "r11");
        }
    """, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    rep = analyze(prog)
    assert set(rep.syscalls) == {"exit"}
    assert len(rep.unresolved) == 1 and "1 syscall instruction(s)" in rep.unresolved[0]


def test_static_arm64_program(tmp_path):
    if shutil.which("aarch64-linux-gnu-gcc") is None:
        pytest.fail("aarch64-linux-gnu-gcc missing: ./dev setup installs gcc-aarch64-linux-gnu")
    prog = _cc(tmp_path, "raw64", r"""
        static long sys0(long n) {
            register long x8 __asm__("x8") = n; register long x0 __asm__("x0");
            __asm__ volatile("svc #0" : "=r"(x0) : "r"(x8) : "memory"); return x0;
        }
        void _start(void) { sys0(172); sys0(174); for (;;) sys0(93); }   /* getpid getuid exit */
    """, "-static", "-nostdlib", cc="aarch64-linux-gnu-gcc")
    rep = analyze(prog)
    assert rep.arch == "arm64"
    assert set(rep.syscalls) == {"getpid", "getuid", "exit"}


def test_dynamic_program_imports(tmp_path):
    prog = _cc(tmp_path, "dyn", r"""
        #include <fcntl.h>
        #include <stdio.h>
        #include <sys/socket.h>
        #include <time.h>
        int main(int argc, char **argv) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            int fd = open(argv[0], O_RDONLY);
            int s = argc > 5 ? socket(AF_INET, SOCK_STREAM, 0) : -1;
            printf("%d %d\n", fd, s);
            return 0;
        }
    """)
    rep = analyze(prog)
    assert rep.kind == "dynamic" and rep.libc is not None
    prog_obj = next(o for o in rep.objects if o.role == "program")
    assert {"socket", "open", "clock_gettime", "printf"} <= set(prog_obj.libc_imports)
    assert {"socket", "openat", "clock_gettime", "write"} <= set(rep.syscalls)
    assert "libc.so.6: socket" in rep.syscalls["socket"]
    # glibc's loader runs in every dynamic program: its own syscalls are there
    assert {"mmap", "mprotect", "arch_prctl"} <= set(rep.syscalls)
    assert "__vdso_clock_gettime" in rep.vdso
    assert {o.role for o in rep.objects} == {"program", "libc", "interpreter"}


def test_dynamic_program_without_socket(tmp_path):
    prog = _cc(tmp_path, "nosock", r"""
        #include <stdio.h>
        int main(void) { FILE *f = fopen("/etc/hostname", "r"); printf("%p\n", (void *)f); return 0; }
    """)
    rep = analyze(prog)
    net = {"socket", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom"}
    assert not net & set(rep.syscalls), sorted(net & set(rep.syscalls))
    assert {"openat", "write"} <= set(rep.syscalls)
    assert rep.vdso == []


def test_host_glibc_map():
    m = libc_map(GLIBC)
    assert m.arch == "x86_64"
    assert m.exports["socket"].syscalls == {SOCKET}
    assert OPENAT in m.exports["fopen"].syscalls
    assert WRITE in m.exports["printf"].syscalls          # through stdio's FILE vtable
    assert WRITE in m.exports["puts"].syscalls
    assert m.exports["strlen"].syscalls == frozenset()
    assert CLOCK_GETTIME in m.exports["clock_gettime"].syscalls
    assert SOCKET not in m.exports["printf"].syscalls
    assert m.sites > 100 and 0 < m.unresolved_sites < m.sites
    assert m.exports["syscall"].unresolved                 # syscall(2): the number is its argument


def test_libc_map_cached_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path / "cache"))
    m1 = libc_map(GLIBC)
    cached = list((tmp_path / "cache" / "libcmap").glob(f"{m1.sha256}.json"))
    assert len(cached) == 1
    m2 = libc_map(GLIBC)
    assert m2.exports == m1.exports and m2.roots == m1.roots
    cached[0].write_text("{ damaged")              # a damaged entry is computed again
    assert libc_map(GLIBC).exports == m1.exports


def test_arm64_glibc_map():
    m = libc_map(GLIBC_ARM64)
    assert m.arch == "arm64"
    assert 198 in m.exports["socket"].syscalls      # socket is 198 on arm64
    assert 56 in m.exports["fopen"].syscalls        # openat
    assert 64 in m.exports["printf"].syscalls       # write
    assert m.exports["strlen"].syscalls == frozenset()


def test_musl_map():
    m = libc_map(MUSL)
    assert SOCKET in m.exports["socket"].syscalls
    assert "__vdso_clock_gettime" in m.vdso


def test_not_an_elf(tmp_path):
    f = tmp_path / "script.sh"
    f.write_text("#!/bin/sh\necho hi\n")
    with pytest.raises(UserError) as e:
        scan(f)
    assert "script.sh" in str(e.value) and "not an ELF" in str(e.value)


def test_numbers_followed_across_blocks():
    """glibc's _exit keeps 60 and 231 in registers and loops around its
    syscall instructions; lll_lock's futex number is set before a retry
    loop: the dataflow over the blocks' predecessors resolves them."""
    m = libc_map(GLIBC)
    assert m.exports["_exit"].syscalls == {EXIT, 231}
    assert not m.exports["_exit"].unresolved
    assert not m.exports["printf"].unresolved and not m.exports["malloc"].unresolved
    assert m.unresolved_sites <= 5       # syscall(2), the setxid signal handler (numbers from memory)


def test_hoisted_constant_in_a_loop(tmp_path):
    prog = _cc(tmp_path, "loop", r"""
        void _start(void) {
            __asm__ volatile(
                "mov $39, %%r12d\n"           /* getpid, set once before the loop */
                "1: mov %%r12d, %%eax\n"
                "syscall\n"
                "cmp $-4, %%rax\n"            /* -EINTR: again */
                "je 1b\n"
                "mov $60, %%eax\n"
                "syscall\n" ::: "rax", "r12", "rcx", "r11");
        }
    """, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    assert sorted(s.nr for fn in scan(prog).funcs for s in fn.sites) == [GETPID, EXIT]


def test_syscall_wrapper_numbers_from_the_callers(tmp_path):
    """syscall(2) issues the number its caller passes: the constants at the
    program's calls count, a computed one is reported."""
    const = _cc(tmp_path, "sysc", r"""
        #include <sys/syscall.h>
        #include <unistd.h>
        int main(void) { return (int)syscall(SYS_getppid) + (int)syscall(SYS_getpgrp); }
    """)
    rep = analyze(const)
    assert {"getppid", "getpgrp"} <= set(rep.syscalls)
    assert "sysc: syscall(110)" in rep.syscalls["getppid"]
    assert rep.unresolved == []
    var = _cc(tmp_path, "sysv", r"""
        #include <unistd.h>
        int main(int argc, char **argv) { (void)argv; return (int)syscall(100 + argc); }
    """)
    rep = analyze(var)
    assert any("calls syscall() with a number that is not a constant" in u for u in rep.unresolved)


def test_glibc_setxid_handler_replays(tmp_path):
    """The SIGSETXID handler's number comes from memory (struct
    xid_command): marked as a replay, not an unknown number, so threaded
    programs keep an exact syscall set."""
    sc = scan(GLIBC)
    replays = [s for fn in sc.funcs for s in fn.sites if s.replay]
    assert len(replays) >= 1 and all(s.nr is None for s in replays)
    assert not libc_map(GLIBC).exports["pthread_create"].unresolved


def test_data_in_code_is_no_site(tmp_path):
    """Bytes 0f 05 inside data in .text (OpenSSL keeps tables there) are no
    syscall instruction."""
    prog = _cc(tmp_path, "data", r"""
        __asm__(".text\n.globl table\ntable: .byte 0xf1, 0x48, 0xcc, 0x0f, 0x05, 0xc3\n");
        void _start(void) { for (;;) __asm__ volatile("mov $60, %%eax; syscall" ::: "rax", "rcx", "r11"); }
    """, "-static", "-nostdlib", "-fno-pie", "-no-pie")
    assert [s.nr for fn in scan(prog).funcs for s in fn.sites] == [EXIT]
