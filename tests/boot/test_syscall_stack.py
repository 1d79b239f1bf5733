"""The trapped syscall entry when the caller's stack pages are not there
yet: a Linux program (tests/fixtures/svcstack, no libc) puts its stack
pointer at the top of 64 KiB of fresh anonymous memory (posix-mmap maps a
page on its first touch) and makes a syscall, whose entry stores its frame
on that stack first. The call must return to the program with its result
and the registers Linux keeps.

arm64 (os/arch/arm64/syscall.S): the frame is stored on SP_EL0; the page
fault that store takes is a nested exception that overwrote ELR_EL1,
SPSR_EL1 and ESR_EL1 before they were saved, so the call "returned" into
the entry code (Debian's sqlite3 met it deep in its recursion: a bogus
syscall 0, then a data abort in arm64_el1t_sync). x86_64 keeps the return
address in rcx/r11 and runs its faults on IST stacks: checked alike.
"""
from __future__ import annotations

import subprocess

import pytest

from conftest import REPO, uniforge

pytestmark = pytest.mark.boot

FIXTURE = REPO / "tests" / "fixtures" / "svcstack"
CC = {"x86_64": "gcc", "arm64": "aarch64-linux-gnu-gcc"}


@pytest.mark.parametrize("target", ["qemu/x86_64", "qemu/arm64"])
def test_a_syscall_on_untouched_stack_pages_returns(target, tmp_path):
    arch = target.split("/")[1]
    prog = tmp_path / "svcstack"
    subprocess.run([CC[arch], "-nostdlib", "-static", "-o", str(prog), str(FIXTURE / f"{arch}.S")], check=True,
                   timeout=120)
    r = uniforge("run", prog, "-t", target, "-q", "--timeout", "120", timeout=3600)
    assert r.rc == 0 and "svc-stack ok\n" in r.out, r.text[-3000:]
