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
import ctypes
import os
import platform
import re
import selectors
import shutil
import signal
import subprocess
import threading
import time
from typing import Callable

from ..errors import UserError, MissingTool
from ..symbolize import Symbolizer
from ..targets import Target
from . import accel as accel_mod
from . import backlog
from .console import ConsoleFilter, ConsoleState
from .net import PortForward, GuestNet, check_ports_free, net_mode

# QEMU warnings that say nothing about the guest (boards' on-chip NICs left
# unconnected on purpose).
_QEMU_NOISE = re.compile(r"warning: nic \S+ has no peer")
_QEMU_WARNING = re.compile(r"^qemu-system-\S+: warning: ")

CRASH_STATUS = 255
TIMEOUT_STATUS = 124


@dataclass
class RunSpec:
    target: Target
    image: Path
    image_dbg: Path | None
    app_args: list[str] = field(default_factory=list)
    kernel_args: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)   # guest environment (manifest env + -e)
    memory_mb: int | None = None
    accel: str | None = None          # None: choose; "kvm" / "tcg": force
    timeout: float | None = None
    extra_vmm_args: list[str] = field(default_factory=list)
    initrd: Path | None = None        # the guest's initrd (ukplat_bootinfo initrd)
    wall_clock: bool = False          # pass the host's time as uktime.wall (image has uktime)
    stdin_fd: int | None = None       # host fd whose bytes are the guest console's input (None: nothing)
    ports: list[PortForward] = field(default_factory=list)   # host forwards (-p, ports:), net.py
    net: str | None = None            # "user", "none", "tap:NAME"; None: user if the image has a netdev
    dot_config: Path | None = None    # the build's .config (None: the one next to the image)


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
    stderr: str = ""                  # the VMM's own messages (known noise removed), for the CLI to show
    warnings: list[str] = field(default_factory=list)   # things that went wrong around the guest, for the CLI


def command_line(spec: RunSpec) -> tuple[list[str], dict, str, str]:
    """(argv, extra env, accel, reason) for this spec."""
    kind = spec.target.runner
    t = spec.target
    if spec.memory_mb is not None:
        check_memory(t, spec.memory_mb * 1024)
    if t.fixed_memory_mb and spec.memory_mb not in (None, t.fixed_memory_mb):
        raise UserError(f"{t.name} has a fixed {t.fixed_memory_mb} MiB of RAM; -m {spec.memory_mb}M cannot change it",
                        hint="leave out -m (and `memory:` in the manifest) for this target")
    if spec.initrd is not None and not spec.initrd.is_file():
        raise UserError(f"initrd {spec.initrd}: no such file", hint="give --initrd an existing file")
    if kind == "none":
        raise UserError(f"cannot start a {spec.target.name} image on this machine: {spec.target.cannot_run}",
                        hint=f"the image was built: {spec.image}")
    net_mode(spec)          # a network the target cannot have is an error on every runner
    if kind == "linuxu":
        from .linuxu import command
        return command(spec) + ("native", "a Linux process")
    from .qemu import command
    acc, why = accel_mod.choose(spec.accel, spec.target.arch.name, platform.machine())
    # No sound: boards such as xlnx-zcu102 have audio devices that would
    # otherwise complain about the host's (absent) sound system.
    return command(spec, acc), {"QEMU_AUDIO_DRV": "none"}, acc, why


def format_kib(kib: int) -> str:
    """1 → "1 KiB", 2048 → "2 MiB", 1536 → "1536 KiB"."""
    if kib % (1024 * 1024) == 0:
        return f"{kib // (1024 * 1024)} GiB"
    if kib % 1024 == 0:
        return f"{kib // 1024} MiB"
    return f"{kib} KiB"


def check_memory(t: Target, kib: int) -> None:
    """Raise UserError if `kib` of guest memory is below the target's real
    minimum (Target.min_memory_mb, with the reason in Target.min_memory_why)."""
    if kib < t.min_memory_mb * 1024:
        raise UserError(f"{format_kib(kib)} is too little memory for {t.name}: {t.min_memory_why}",
                        hint=f"use -m {t.min_memory_mb}M or more")


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: the kernel kills the VMM if uniforge dies,
    even by SIGKILL (the `finally` in run() covers every other way out)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


EOT = b"\x04"


def _feed_console(fd: int, pipe) -> None:
    """Copies the host's fd into the VMM's stdin (the guest's serial
    console), then EOT: the guest's console reads it as the end of input.
    Ends quietly when the VMM is gone (its stdin closed)."""
    try:
        while True:
            data = os.read(fd, 65536)
            pipe.write(data if data else EOT)
            pipe.flush()
            if not data:
                return
    except (OSError, ValueError):
        return


def run(spec: RunSpec, write: Callable[[str], None] | Callable[[bytes], None],
        write_err: Callable[[str], None] | None = None,
        on_net: Callable[[GuestNet], None] | None = None, raw: bool = False) -> RunResult:
    """Start the image and stream its console through `write` until it ends
    (strace's lines through `write_err`, when given: console.py); with
    ``raw``, `write` gets the guest's bytes unchanged, else text. `on_net`
    is called with each `UK-NET` line as it arrives (the guest's address).
    Raises UserError before starting when a forward's host port is taken.

    The VMM is killed on every way out of this function: normal end, timeout,
    an exception from `write` (BrokenPipeError when the reader of our stdout
    went away: it propagates to the caller), KeyboardInterrupt, or the
    exception a SIGTERM handler raises; and by the kernel if we die."""
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
    filt = ConsoleFilter(write, sym, write_err=write_err, on_net=on_net, raw=raw)
    if spec.ports and spec.target.runner == "qemu":
        check_ports_free(spec.ports)       # say which one, rather than QEMU's one-line refusal

    start = time.monotonic()
    first = None
    err_chunks: list[bytes] = []
    timed_out = False
    warnings: list[str] = []
    # QEMU's forwarded ports listen with a backlog of 1: widened once the
    # guest runs (backlog.py says why)
    widen = bool(spec.ports) and spec.target.runner == "qemu"
    # The guest's console input: a linuxu process reads the host fd itself
    # (it sees the real EOF); QEMU's serial port gets the bytes through a
    # pipe, and an EOT (^D) when they end, since a UART cannot say EOF.
    linuxu = spec.target.runner == "linuxu"
    stdin = subprocess.DEVNULL
    if spec.stdin_fd is not None:
        stdin = spec.stdin_fd if linuxu else subprocess.PIPE
    proc = subprocess.Popen(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, **env}, preexec_fn=_die_with_parent)
    if proc.stdin is not None:
        threading.Thread(target=_feed_console, args=(spec.stdin_fd, proc.stdin), daemon=True).start()
    try:
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ, "out")
            sel.register(proc.stderr, selectors.EVENT_READ, "err")
            open_streams = 2
            deadline = start + spec.timeout if spec.timeout else None
            while open_streams:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    timed_out = True
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
                            if widen:
                                warnings += [f"forward {w}: left at QEMU's listen backlog of 1 "
                                             "(simultaneous connects may wait for SYN retries)"
                                             for w in backlog.widen(proc.pid, spec.ports)]
                        filt.feed(data)
                    else:
                        err_chunks.append(data)
        if timed_out:
            proc.kill()
        rc = proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        if proc.stdin is not None:
            try:
                proc.stdin.close()
            except OSError:
                pass
    wall = time.monotonic() - start
    filt.close()
    stderr = b"".join(err_chunks).decode("utf-8", "replace")
    st = filt.state
    if timed_out:
        return RunResult(TIMEOUT_STATUS, st, argv, acc, why, wall, first,
                         f"timed out after {spec.timeout:g} s; the VMM was killed", warnings=warnings)
    status, note = decode_status(spec.target, rc, st, stderr)
    stderr = "".join(line for line in stderr.splitlines(True) if not _QEMU_NOISE.search(line))
    return RunResult(status, st, argv, acc, why, wall, first, note, stderr, warnings)


def decode_status(target: Target, rc: int, st: ConsoleState, stderr: str) -> tuple[int, str]:
    """The guest's exit status from the VMM's return code and the console."""
    if st.crashed:
        return CRASH_STATUS, ""
    if target.runner == "linuxu":
        if rc < 0:
            return 128 - rc, f"the process was killed by signal {-rc}"
        return rc, ""
    # QEMU. Its exit status decides; its warnings never do. On x86 a guest
    # that exits 0 also makes QEMU return 1 (isa-debug-exit), so status 1 is
    # a start failure only with an error line (not a warning) on stderr and
    # no output from the guest.
    qemu_error = [line for line in stderr.splitlines()
                  if line.startswith("qemu-system") and not _QEMU_WARNING.match(line)]
    if qemu_error and rc == 1 and st.exit_status is None and not st.lines:
        raise UserError("QEMU failed to start the image: " + "; ".join(qemu_error))
    if st.exit_status is not None:
        return st.exit_status, ""
    if target.arch.name == "x86_64":
        if rc & 1:
            return rc >> 1, ""
        return CRASH_STATUS, (f"QEMU exited with {rc} without a guest exit status "
                              "(a triple fault or reset, or a guest that stopped without ukplat_halt)")
    return rc, ""
