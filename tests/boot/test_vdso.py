"""The vDSO (issue 11, os/lib/ukvdso), in the guest: tests/fixtures/vdso
finds it from uk_vdso_base() as musl does (and by DT_HASH and DT_GNU_HASH
bucket, as glibc does), calls every function against the real syscall
instruction (clocks between two syscalls, the same resolution, the same
-EINVAL, 1000 calls never going back, getcpu, time, the aliases; arm64's
__kernel_rt_sigreturn is rt_sigreturn), and counts the syscalls it
trapped itself. Run with --strace: the strace shows exactly those, so the
vDSO's own thousand-odd calls never trap.

Then a program of ours (tests/fixtures/vdso-libc/libc_time.c) under ukelfload
on qemu/x86_64, built against glibc (Debian's 2.36) and musl, dynamic
PIE (and glibc static-pie): each libc finds the vDSO through AT_SYSINFO_EHDR, and
clock_gettime, gettimeofday and time in a loop make no syscall (strace
count 0); without the vDSO every one traps (the control).
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import uniforge, REPO

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "vdso"
LIBC_PROG = REPO / "tests" / "fixtures" / "vdso-libc" / "libc_time.c"   # a Linux program, not an app
TIMEOUT = "120"
CLOCKS = ["MONOTONIC", "REALTIME", "BOOTTIME", "MONOTONIC_RAW", "MONOTONIC_COARSE", "REALTIME_COARSE",
          "PROCESS_CPUTIME_ID"]

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("vdso") / "vdso"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def expected(arch):
    if arch == "x86_64":
        ver, names = "LINUX_2.6", ["__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_clock_getres"]
    else:
        ver, names = "LINUX_2.6.39", ["__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres"]
    oks = ["tables"] + [f"lookup {n}@{ver}" for n in names] + ["nothing else, no other version"]
    oks += [f"clock_gettime {c} between two syscalls" for c in CLOCKS]
    oks += ["clock_gettime bad clock -EINVAL", "clock_gettime 1000 calls monotonic"]
    oks += ["clock_getres 1 ns" if arch == "x86_64" else "clock_getres 16 ns", "gettimeofday between two syscalls"]
    if arch == "x86_64":
        oks += [f"lookup __vdso_time@{ver}", f"lookup __vdso_getcpu@{ver}", "time between two syscalls", "getcpu"]
        for n in ("clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres"):
            oks += [f"lookup {n}@{ver}", f"lookup __vdso_{n}@{ver}"]
    else:
        oks += [f"lookup __kernel_rt_sigreturn@{ver}", "__kernel_rt_sigreturn"]
    return [f"vdso: ok {x}" for x in oks]


@pytest.mark.parametrize("target", TARGETS)
def test_vdso_calls_match_the_syscalls_and_never_trap(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--strace", timeout=900)
    assert r.rc == 0, r.text
    out = [x for x in r.out.splitlines() if x.startswith("vdso: ")]
    assert out[:-1] == expected(target.split("/")[1]), r.text
    traps = dict(re.findall(r"(\w+)=(\d+)", out[-1]))
    assert out[-1].startswith("vdso: traps ") and traps["clock_gettime"] == "15", r.text
    # every call that reached the syscall table is one the fixture trapped itself
    for name, n in traps.items():
        assert len([x for x in r.err.splitlines() if x.startswith(f"{name}(")]) == int(n), (name, r.err)


GLIBC_LD = Path("/lib64/ld-linux-x86-64.so.2")
GLIBC_LIBC = Path("/lib/x86_64-linux-gnu/libc.so.6")
MUSL_LD = Path("/lib/ld-musl-x86_64.so.1")
LOOPS = 200


@pytest.fixture(scope="module")
def glibc_app(tmp_path_factory):
    """The binary-compatibility kernel (ukelfload) with the program of ours
    built against glibc and musl (dynamic PIE: glibc's ld.so and libc.so.6,
    musl's ld-musl in the rootfs), and glibc static-pie."""
    d = tmp_path_factory.mktemp("vdso-glibc") / "app"
    root = d / "rootfs"
    (root / "bin").mkdir(parents=True)
    gcc = shutil.which("gcc")
    assert gcc, "gcc not found: ./dev setup installs it"
    p = subprocess.run([gcc, "-O2", str(LIBC_PROG), "-o", str(root / "bin" / "glibc_time")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    p = subprocess.run([gcc, "-O2", "-static-pie", str(LIBC_PROG), "-o",
                        str(root / "bin" / "glibc_static_time")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    musl = shutil.which("musl-gcc")
    assert musl, "musl-gcc not found: ./dev setup installs musl-tools"
    p = subprocess.run([musl, "-O2", str(LIBC_PROG), "-o", str(root / "bin" / "musl_time")],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    for lib in (GLIBC_LD, GLIBC_LIBC, MUSL_LD):
        dest = root / str(lib).lstrip("/")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(lib.resolve(), dest)
        dest.chmod(0o755)
    (d / "uniforge.yaml").write_text("name: vdsoglibc\nlibraries: [ukelfload]\nrootfs: rootfs\nmemory: 64M\n")
    return d


def time_calls(err: str) -> dict[str, int]:
    names = ("clock_gettime", "gettimeofday", "time")
    return {n: len([x for x in err.splitlines() if x.startswith(f"{n}(")]) for n in names}


@pytest.mark.parametrize("libc,vdso", [("glibc", "y"), ("glibc", "n"), ("musl", "y"), ("musl", "n"),
                                       ("glibc_static", "y")])
def test_libc_time_calls_go_through_the_vdso(glibc_app, libc, vdso):
    """With the vDSO (ukelfload implies it) glibc's and musl's
    clock_gettime, gettimeofday and time make no syscall at all; the
    control run without it shows the same loop trapping every call (so
    the count is real)."""
    r = uniforge("run", glibc_app, "-t", "qemu/x86_64", "--net", "none", "--timeout", TIMEOUT, "--strace",
                 "--set", f"CONFIG_LIBUKVDSO={vdso}", "--", f"/bin/{libc}_time", str(LOOPS), timeout=900)
    assert r.rc == 0, r.text
    assert f"libc-vdso: {LOOPS} loops, 0 bad" in r.out, r.text
    if vdso == "y":
        assert "libc-vdso: AT_SYSINFO_EHDR set" in r.out, r.text
        assert time_calls(r.err) == {"clock_gettime": 0, "gettimeofday": 0, "time": 0}, r.err[-3000:]
    else:
        assert "libc-vdso: AT_SYSINFO_EHDR absent" in r.out, r.text
        # musl's gettimeofday and time are clock_gettime(CLOCK_REALTIME)
        want = {"clock_gettime": 2 * LOOPS, "gettimeofday": LOOPS, "time": LOOPS} if libc.startswith("glibc") else \
            {"clock_gettime": 4 * LOOPS, "gettimeofday": 0, "time": 0}
        assert time_calls(r.err) == want, r.err[-3000:]
