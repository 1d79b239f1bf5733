"""Shared pieces of the benchmark baselines: folders, the error type, the
per-architecture facts, and which uniforge target (hence which QEMU command
line, from uniforge/runner/qemu.py) each baseline machine is.

The other modules: linux_kernel.py (the Debian kernel), initramfs.py (the
one-line /init), console_timing.py (running QEMU and timing its console),
linux_boot.py (booting Linux, its minimum memory), vmm_floor.py (the VMM's
floor), linux_baseline.py (the script tying them together).
"""
from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from uniforge.targets import TARGETS, Target

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
CACHE_DIR = BENCH_DIR / "cache"
RESULTS_DIR = BENCH_DIR / "results"
FLOOR_DIR = BENCH_DIR / "floor"


class BaselineError(RuntimeError):
    """Something needed for a baseline is missing or failed; the message says what to do."""


def console_log():
    """An anonymous file for a child's stdout+stderr that the parent reads
    while the child runs (seek(0), read()). Opened O_APPEND: the child's
    fd shares the file's offset with ours, so without it a write landing
    between our seek(0) and read() went to offset 0 and overwrote the
    start of the console (binary-mode sqlite3's "flaky" check of issue 11:
    the UK-NET line and the program's output spliced into each other)."""
    log = tempfile.TemporaryFile()
    fcntl.fcntl(log.fileno(), fcntl.F_SETFL, fcntl.fcntl(log.fileno(), fcntl.F_GETFL) | os.O_APPEND)
    return log


@dataclass(frozen=True)
class Arch:
    name: str  # our name: x86_64 / arm64
    deb_arch: str  # Debian's: amd64 / arm64
    flavour: str  # linux-image-<flavour> metapackage suffix
    cc: str
    console: str
    targets: dict[str, str]  # baseline machine -> the uniforge target that runs on it

    @property
    def machines(self) -> tuple[str, ...]:
        return tuple(self.targets)


ARCHES: dict[str, Arch] = {
    "x86_64": Arch("x86_64", "amd64", "amd64", "gcc", "ttyS0",
                   {"microvm": "microvm/x86_64", "pc": "qemu/x86_64"}),
    "arm64": Arch("arm64", "arm64", "arm64", "aarch64-linux-gnu-gcc", "ttyAMA0",
                  {"virt": "qemu/arm64"}),
}


def get_arch(arch: str) -> Arch:
    try:
        return ARCHES[arch]
    except KeyError:
        raise BaselineError(f"unknown arch {arch!r}; use one of {', '.join(ARCHES)}") from None


def machine_target(a: Arch, machine: str) -> Target:
    """The uniforge target whose QEMU machine the baseline boots on."""
    try:
        return TARGETS[a.targets[machine]]
    except KeyError:
        raise BaselineError(
            f"machine {machine!r} not supported for {a.name}; use one of {', '.join(a.machines)}"
        ) from None


def log(msg: str) -> None:
    print(f"[baselines] {msg}", file=sys.stderr, flush=True)


def run_cmd(cmd: list[str], timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    except FileNotFoundError:
        raise BaselineError(f"{cmd[0]} not found; install it (see benchmarks/README.md, Baselines)") from None
    except subprocess.TimeoutExpired:
        raise BaselineError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from None


def check(cmd: list[str], timeout: float = 600, **kw) -> str:
    """stdout of `cmd`; raises BaselineError with its stderr when it fails."""
    p = run_cmd(cmd, timeout=timeout, **kw)
    if p.returncode != 0:
        raise BaselineError(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr.strip()[-2000:]}")
    return p.stdout


def fmt_s(x: float | None) -> str:
    return "-" if x is None else (f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s")
