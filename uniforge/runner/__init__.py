"""Runners: start an image on its VMM (or as a process), stream the console,
and map the guest's exit status to ours.

    status 0-255   the guest's own exit status (main's return value)
    255            the guest crashed (crash report shown, symbolised)
    124            the run timed out (killed)

One module per kind of VMM (qemu.py, linuxu.py) builds the command line;
this module runs it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import os
import platform
import re
import selectors
import shutil
import subprocess
import sys
import time
from typing import Callable

from ..errors import UserError, MissingTool
from ..symbolize import Symbolizer
from ..targets import Target
from . import accel as accel_mod
from .console import ConsoleFilter, ConsoleState

# QEMU warnings that say nothing about the guest (boards' on-chip NICs left
# unconnected on purpose).
_QEMU_NOISE = re.compile(r"warning: nic \S+ has no peer")

CRASH_STATUS = 255
TIMEOUT_STATUS = 124


@dataclass
class RunSpec:
    target: Target
    image: Path
    image_dbg: Path | None
    app_args: list[str] = field(default_factory=list)
    kernel_args: list[str] = field(default_factory=list)
    memory_mb: int | None = None
    accel: str | None = None          # None: choose; "kvm" / "tcg": force
    timeout: float | None = None
    extra_vmm_args: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    status: int
    console: ConsoleState
    command: list[str]
    accel: str
    accel_reason: str
    wall_s: float
    first_output_s: float | None
    note: str = ""                    # why the status is what it is, when not the guest's own


def command_line(spec: RunSpec) -> tuple[list[str], dict, str, str]:
    """(argv, extra env, accel, reason) for this spec."""
    kind = spec.target.runner
    t = spec.target
    if spec.memory_mb is not None and spec.memory_mb < t.min_memory_mb:
        raise UserError(f"{spec.memory_mb} MiB is too little memory for {t.name}: the image loads "
                        f"at 1 MiB", hint=f"use -m {t.min_memory_mb}M or more")
    if t.fixed_memory_mb and spec.memory_mb not in (None, t.fixed_memory_mb):
        raise UserError(f"{t.name} has a fixed {t.fixed_memory_mb} MiB of RAM; -m {spec.memory_mb}M cannot change it",
                        hint="leave out -m (and `memory:` in the manifest) for this target")
    if kind == "none":
        raise UserError(f"cannot start a {spec.target.name} image on this machine: {spec.target.cannot_run}",
                        hint=f"the image was built: {spec.image}")
    if kind == "linuxu":
        from .linuxu import command
        return command(spec) + ("native", "a Linux process")
    from .qemu import command
    acc, why = accel_mod.choose(spec.accel, spec.target.arch.name, platform.machine())
    # No sound: boards such as xlnx-zcu102 have audio devices that would
    # otherwise complain about the host's (absent) sound system.
    return command(spec, acc), {"QEMU_AUDIO_DRV": "none"}, acc, why


def run(spec: RunSpec, write: Callable[[str], None] = None) -> RunResult:
    """Start the image and stream its console through `write` until it ends."""
    if write is None:
        def write(s):
            sys.stdout.write(s)
            sys.stdout.flush()
    argv, env, acc, why = command_line(spec)
    if shutil.which(argv[0]) is None and not os.path.exists(argv[0]):
        raise MissingTool(argv[0], spec.target.arch.qemu_package, f"to run {spec.target.name} images")
    sym = None
    if spec.image_dbg and spec.image_dbg.exists():
        symbolizer: list[Symbolizer] = []

        def sym(addr: int, is_return: bool) -> str:
            # A return address points after its call: show the call itself.
            if not symbolizer:
                symbolizer.append(Symbolizer(spec.image_dbg))
            s = symbolizer[0]
            return str(s.lookup_return(addr) if is_return else s.lookup(addr))
    filt = ConsoleFilter(write, sym)

    start = time.monotonic()
    first = None
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env})
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, "out")
    sel.register(proc.stderr, selectors.EVENT_READ, "err")
    err_chunks: list[bytes] = []
    open_streams = 2
    timed_out = False
    deadline = start + spec.timeout if spec.timeout else None
    while open_streams:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            timed_out = True
            proc.kill()
            break
        for key, _ in sel.select(timeout=remaining):
            data = os.read(key.fileobj.fileno(), 65536)
            if not data:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            if key.data == "out":
                if first is None:
                    first = time.monotonic() - start
                filt.feed(data.decode("utf-8", "replace"))
            else:
                err_chunks.append(data)
    rc = proc.wait()
    wall = time.monotonic() - start
    filt.close()
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    st = filt.state
    if timed_out:
        return RunResult(TIMEOUT_STATUS, st, argv, acc, why, wall, first,
                         f"timed out after {spec.timeout:g} s; the VMM was killed")
    status, note = decode_status(spec.target, rc, st, stderr)
    stderr = "".join(l for l in stderr.splitlines(True) if not _QEMU_NOISE.search(l))
    if stderr.strip() and status != CRASH_STATUS and not note:
        sys.stderr.write(stderr)
    return RunResult(status, st, argv, acc, why, wall, first, note)


def decode_status(target: Target, rc: int, st: ConsoleState, stderr: str) -> tuple[int, str]:
    """The guest's exit status from the VMM's return code and the console."""
    if st.crashed:
        return CRASH_STATUS, ""
    if target.runner == "linuxu":
        if rc < 0:
            return 128 - rc, f"the process was killed by signal {-rc}"
        return rc, ""
    # QEMU
    qemu_error = [l for l in stderr.splitlines() if l.startswith("qemu-system")]
    if qemu_error and rc == 1 and st.exit_status is None:
        raise UserError("QEMU failed to start the image: " + "; ".join(qemu_error))
    if st.exit_status is not None:
        return st.exit_status, ""
    if target.arch.name == "x86_64":
        if rc & 1:
            return rc >> 1, ""
        return CRASH_STATUS, (f"QEMU exited with {rc} without a guest exit status "
                              "(a triple fault or reset, or a guest that stopped without ukplat_halt)")
    return rc, ""
