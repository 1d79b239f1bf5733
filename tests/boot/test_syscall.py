"""The syscall layer (os/lib/uksyscall, issue 8) in the guest: unknown
numbers and syscalls of an unselected library are -ENOSYS, each logged by
exactly one UK-ENOSYS line however often it is called, and the guest goes
on; the uaccess helpers return -EFAULT for unmapped and read-only memory;
the raw `syscall` / `svc #0` instruction reaches the same table and
preserves the registers Linux preserves.

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
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
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
    # the trapped path's case is built everywhere but linuxu (the host kernel takes the instruction)
    trap = {"x86_64": "uksyscall_syscall_instruction_reaches_the_table_and_preserves_registers",
            "arm64": "uksyscall_svc_reaches_the_table_and_preserves_registers"}[target.split("/")[1]]
    assert (trap in cases) == (not target.startswith("linuxu")), cases
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


STRACE_TAIL = [
    'openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_CLOEXEC, 0644) = -1 ENOSYS',
    'write(1, "abc\\n", 4) = -1 ENOSYS',
    "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = -1 ENOSYS",
    "openat(AT_FDCWD, 0x7ff000000000, O_RDONLY, 0) = -1 ENOSYS",       # unreadable: its address
    "syscall_1000000(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS",
]


@pytest.mark.parametrize("target", ["linuxu/x86_64", "qemu/x86_64", "qemu/arm64"])
def test_strace_prints_decoded_calls_to_stderr(app, target):
    """`uniforge run --strace`: each call through the table, decoded by the
    registry's kinds, on the tool's stderr (never stdout); without --strace
    nothing is printed."""
    build(app, target)
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--strace", "--", "strace", timeout=600)
    assert r.rc == 0, r.text
    assert "UK-STRACE" not in r.out and "openat(" not in r.out
    lines = r.err.splitlines()
    assert lines[-len(STRACE_TAIL):] == STRACE_TAIL, r.err
    # the tests' calls before main are traced too, both paths (trapped: the registers' patterns)
    assert "socket(2, 0x1, 0) = -1 ENOSYS" in lines, r.err
    plain = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--", "strace", timeout=600)
    assert plain.rc == 0 and "ENOSYS" not in plain.err and "UK-STRACE" not in plain.out, plain.text
