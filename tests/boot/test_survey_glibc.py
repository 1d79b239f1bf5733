"""The survey's syscall set through glibc (tests/fixtures/survey_glibc:
a glibc program built with the host's gcc, dynamic and static): on Linux every case
must pass; under ukelfload (`uniforge run BINARY`) on qemu/x86_64 and
microvm/x86_64 every case must pass too, with the unknown syscall's
UK-ENOSYS line exactly once although it is called twice. And on
qemu/arm64: the same source built with Debian's aarch64 cross gcc,
against its glibc 2.36 (libc6-arm64-cross) as the sysroot.

The program's own checks are the comparison: each is what Linux gives
(the host run proves the program right), so a guest that agrees passes
them all.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO, uniforge

SRC = REPO / "tests" / "fixtures" / "survey_glibc" / "survey.c"
CASES = ["glibc_files", "glibc_memory", "glibc_threads", "glibc_process", "glibc_signals",
         "glibc_net", "glibc_unix", "glibc_spawn", "glibc_enosys"]


def results(out: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^SURVEY-CASE (\w+) (ok|FAIL.*)$", out, re.M)}


@pytest.fixture(scope="module")
def programs(tmp_path_factory):
    """The survey built as Debian builds its programs (gcc, dynamic, PIE)
    and as busybox-static is (gcc -static: glibc's static start-up, which
    reads /proc/self/exe and has no ld.so)."""
    cc = shutil.which("gcc")
    if not cc:
        pytest.fail("gcc not found: install build-essential")
    d = tmp_path_factory.mktemp("survey-glibc")
    out = {}
    for kind, flags in (("dynamic", []), ("static", ["-static"])):
        exe = d / kind / "survey"
        exe.parent.mkdir()
        subprocess.run([cc, *flags, "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", str(exe), str(SRC)],
                       check=True, capture_output=True, text=True)
        out[kind] = exe
    return out


@pytest.mark.parametrize("kind", ["dynamic", "static"])
def test_every_case_passes_on_linux(programs, kind, tmp_path):
    r = subprocess.run([str(programs[kind]), str(tmp_path / "scratch")], capture_output=True, text=True,
                       timeout=60)
    got = results(r.stdout)
    assert list(got) == CASES, r.stdout + r.stderr
    assert all(v == "ok" for v in got.values()) and r.returncode == 0, r.stdout + r.stderr
    assert f"SURVEY-RESULT passed={len(CASES)} failed=0" in r.stdout


@pytest.mark.boot
@pytest.mark.parametrize("kind", ["dynamic", "static"])
@pytest.mark.parametrize("target", ["qemu/x86_64", "microvm/x86_64"])
def test_every_case_passes_under_ukelfload(programs, kind, target):
    """`uniforge run BINARY`: the host's glibc and ld.so in the initrd, the
    binary-compatibility kernel; the same cases, the same results."""
    r = uniforge("run", str(programs[kind]), "-t", target, "-q", "--timeout", "300", "--", "/tmp/survey",
                 timeout=3600)
    got = results(r.out)
    assert list(got) == CASES, r.text
    assert all(v == "ok" for v in got.values()) and r.rc == 0, r.text
    # unknown syscalls: -ENOSYS and one line each, however often they come
    # (1000 twice); rseq (once per thread: the main one and 4 others) has
    # a handler now, posix-thread's rseq.c: no line
    assert len(re.findall(r"^UK-ENOSYS nr=1000 name=\? lib=-$", r.text, re.M)) == 1, r.text
    assert "name=rseq" not in r.text, r.text
    assert "UK-CRASH" not in r.text


@pytest.mark.boot
def test_every_case_passes_under_ukelfload_on_arm64(tmp_path):
    cc = shutil.which("aarch64-linux-gnu-gcc")
    if not cc:
        pytest.fail("aarch64-linux-gnu-gcc not found: ./dev setup installs gcc-aarch64-linux-gnu")
    root = tmp_path / "root"
    (root / "lib").mkdir(parents=True)
    (root / "tmp").mkdir()
    for name in ("ld-linux-aarch64.so.1", "libc.so.6"):       # the program's closure
        shutil.copy(f"/usr/aarch64-linux-gnu/lib/{name}", root / "lib" / name)
    exe = root / "tmp" / "survey"
    subprocess.run([cc, "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", str(exe), str(SRC)],
                   check=True, capture_output=True, text=True)
    r = uniforge("run", str(exe), "--sysroot", str(root), "-t", "qemu/arm64", "-q", "--timeout", "300",
                 "--", "/tmp/survey-scratch", timeout=3600)
    got = results(r.out)
    assert list(got) == CASES, r.text
    assert all(v == "ok" for v in got.values()) and r.rc == 0, r.text
    assert len(re.findall(r"^UK-ENOSYS nr=1000 name=\? lib=-$", r.text, re.M)) == 1, r.text
    assert "name=rseq" not in r.text, r.text
