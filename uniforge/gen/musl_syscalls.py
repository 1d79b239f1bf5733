"""Generator `musl_syscalls`: musl's `bits/syscall.h` from the
architecture's `arch/<arch>/bits/syscall.h.in`, as musl's Makefile makes
it: the file as it is (`#define __NR_read 0`...), then each `__NR_` line
again with `SYS_` for `__NR_` (`#define SYS_read 0`), the names
<sys/syscall.h> gives programs.
"""
from __future__ import annotations

from . import GenError


def generate(text: str, source: str) -> str:
    sys_lines = [line.replace("__NR_", "SYS_", 1) for line in text.splitlines() if "__NR_" in line]
    if not sys_lines:
        raise GenError("no __NR_ definitions: not a musl syscall.h.in")
    # sed s/__NR_/SYS_/ replaces the first occurrence only, as here.
    return text + ("" if text.endswith("\n") else "\n") + "\n".join(sys_lines) + "\n"
