"""The syscall layer (os/lib/uksyscall, issue 8) in the guest: unknown
numbers and syscalls of an unselected library are -ENOSYS, each logged by
exactly one UK-ENOSYS line however often it is called, and the guest goes
on; the uaccess helpers return -EFAULT for unmapped and read-only memory.

One image per target, built from a copy of tests/fixtures/syscall in a
temporary folder (hermetic), nolibc + uktest.
"""
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

pytestmark = pytest.mark.boot

FIXTURE = REPO / "tests" / "fixtures" / "syscall"
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
SOCKET = {"x86_64": 41, "arm64": 198}
GAP = {"x86_64": 400, "arm64": 250}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("syscall") / "syscall"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def build(app, target, *sets):
    b = uniforge("build", app, "-t", target, *[a for s in sets for a in ("--set", s)], timeout=900)
    assert b.rc == 0, b.text
    return Path(re.search(r"^(\S+) \(", b.out, re.M).group(1))


@pytest.mark.parametrize("target", TARGETS)
def test_enosys_and_efault_in_guest(app, target):
    image = build(app, target)
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", timeout=600)
    assert r.rc == 0, r.text
    cases = registered_cases(next(image.parent.glob("*.dbg")))
    assert ran_cases(r.out) == cases and "uksyscall_copy_from_unmapped_memory_is_efault" in cases
    assert "UK-TEST FAIL" not in r.out and " failed=0" in r.out, r.text
    arch = target.split("/")[1]
    enosys = re.findall(r"^UK-ENOSYS .*$", r.out, re.M)
    # each number once, although the test calls each of them twice or more
    assert sorted(enosys) == sorted([
        f"UK-ENOSYS nr={SOCKET[arch]} name=socket lib=posix-socket",
        f"UK-ENOSYS nr={GAP[arch]} name=? lib=-",
        "UK-ENOSYS nr=-1 name=? lib=-",
        "UK-ENOSYS nr=1000000 name=? lib=-",
    ]), r.text
    assert r.out.rstrip().endswith("syscall: done"), r.text
