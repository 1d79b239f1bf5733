"""The vDSO (issue 11, os/lib/ukvdso), in the guest: tests/fixtures/vdso
finds it from uk_vdso_base() as musl does (and by DT_HASH and DT_GNU_HASH
bucket, as glibc does), calls every function against the real syscall
instruction (clocks between two syscalls, the same resolution, the same
-EINVAL, 1000 calls never going back, getcpu, time, the aliases; arm64's
__kernel_rt_sigreturn is rt_sigreturn), and counts the syscalls it
trapped itself. Run with --strace: the strace shows exactly those, so the
vDSO's own thousand-odd calls never trap.
"""
import re
import shutil

import pytest

from conftest import uniforge, REPO

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "vdso"
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
