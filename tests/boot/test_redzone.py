"""The x86_64 SysV red zone in ring 0 (issue 11): Linux binaries run in
ring 0 here and keep data in the 128 bytes below rsp, so no interrupt may
push its frame there (arch/x86_64: IST stacks, then the frame moved below
the red zone).

tests/fixtures/redzone, built with the preemptive scheduler, spins in leaf
asm checking 16 words it keeps at rsp-128..rsp-8 while the slice timer's
interrupt switches to a counting thread and back 20 times: not one word may
change (before the fix: hundreds). With "mmap" the same spin runs on a
stack in an anonymous posix-mmap mapping (pages on touch, like a Linux
program's) just above a page never touched: the frame move page-faults
there and demand paging maps it. With "edge" it spins 64 bytes above a
stack guard page: the interrupt's frame has no room there, which must be a
"stack overflow" crash report naming the spinning function.
"""
import re
import shutil

import pytest

from conftest import uniforge, REPO

TARGETS = ["qemu/x86_64", "microvm/x86_64"]
FIXTURE = REPO / "tests" / "fixtures" / "redzone"
TIMEOUT = "120"

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("redzone") / "redzone"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("stack", ["thread", "mmap"])
@pytest.mark.parametrize("target", TARGETS)
def test_interrupts_leave_the_red_zone_alone(app, target, stack):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", stack, timeout=600)
    assert "redzone: 20 switches, 0 bad words" in r.out, r.text
    if stack == "mmap":
        assert "redzone: below touched 1" in r.out, r.text
    assert r.rc == 0, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_no_room_below_the_red_zone_is_a_stack_overflow(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "edge", timeout=600)
    assert "guard: 0" in r.out, r.text
    assert r.rc == 255, r.text
    crash = re.search(r"^UK-CRASH (.*)$", r.out, re.M)
    assert crash and crash.group(1).startswith("stack overflow: no room for the frame of interrupt"), r.text
    assert re.search(r"^UK-BT #0 0x[0-9a-f]+ in redzone_edge\+", r.out, re.M), r.text
    assert "double fault" not in r.out and "recursive" not in r.out, r.text
