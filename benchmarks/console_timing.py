"""Running a VMM and timing its console: the time from starting QEMU to a
marker line, to its exit, and the CPU time it used (wall times under TCG
move with the host's load; CPU time hardly does).

    run_console(cmd, marker, timeout, linger) -> {line_seen, time_to_line_s, ...}
"""
from __future__ import annotations

import os
import platform
import re
import select
import statistics
import subprocess
import time
from pathlib import Path

from common import BaselineError, check


def qemu_version(binary: str = "qemu-system-x86_64") -> str:
    try:
        out = check([binary, "--version"], timeout=30)
    except BaselineError:
        return "missing"
    return out.splitlines()[0].strip() if out else "unknown"


def _reap(p: subprocess.Popen, deadline: float) -> tuple[int | None, float | None]:
    """Wait for ``p`` until ``deadline`` (perf_counter); returns (exit code, CPU seconds) and
    kills it past the deadline (exit code None).  os.wait4 gives the child's CPU time, which,
    unlike wall time, barely moves with host load."""
    killed = False
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() >= deadline:
            p.kill()
            pid, status, ru = os.wait4(p.pid, 0)
            killed = True
            break
        time.sleep(0.002)
    p.returncode = os.waitstatus_to_exitcode(status)
    return (None if killed else p.returncode), ru.ru_utime + ru.ru_stime


def run_console(cmd: list[str], marker: str, timeout: float, linger: float = 5.0,
                keep_console: bool = False) -> dict:
    """Start ``cmd`` and watch its stdout for ``marker`` at the start of a line.

    Times are seconds from just before the VMM process is started.  After the
    line appears the guest gets ``linger`` seconds to make QEMU exit on its own;
    past that, or past ``timeout`` overall, QEMU is killed.  ``cpu_s`` is the
    QEMU process's user+system CPU time for the whole run.  ``keep_console``:
    the whole console output is returned as ``console`` (otherwise only a tail).
    """
    pat = re.compile(rb"(?:^|\n)" + re.escape(marker.encode()))
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out_fd, err_fd = p.stdout.fileno(), p.stderr.fileno()
    bufs = {out_fd: bytearray(), err_fd: bytearray()}
    open_fds = {out_fd, err_fd}
    t_line = None
    deadline = t0 + timeout
    try:
        while open_fds:
            now = time.perf_counter()
            if now >= deadline:
                break
            ready, _, _ = select.select(list(open_fds), [], [], deadline - now)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    open_fds.discard(fd)
                    continue
                bufs[fd] += chunk
                if fd == out_fd and t_line is None and pat.search(bufs[fd]):
                    t_line = time.perf_counter() - t0
                    deadline = min(deadline, t0 + t_line + linger)
        code, cpu_s = _reap(p, max(deadline, time.perf_counter() + 0.05))
        t_end = time.perf_counter() - t0
    finally:
        if p.returncode is None:
            p.kill()
            p.wait()
        p.stdout.close()
        p.stderr.close()
    console = bytes(bufs[out_fd]).decode(errors="replace")
    full = {"console": console} if keep_console else {}
    return {
        **full,
        "line_seen": t_line is not None,
        "time_to_line_s": t_line,
        "time_to_exit_s": None if code is None else t_end,
        "exit_code": code,
        "killed": code is None,
        "cpu_s": cpu_s,
        "console_tail": console[-600:],
        "stderr_tail": bytes(bufs[err_fd]).decode(errors="replace")[-600:],
    }


def threads_run_ns(pid: int) -> int:
    """Nanoseconds on a CPU of all of ``pid``'s live threads (first field of
    /proc/<pid>/task/*/schedstat): the scheduler's own accounting, far finer
    than stat's clock ticks (10 ms), which an idle guest uses a handful of."""
    total = 0
    for st in Path(f"/proc/{pid}/task").glob("*/schedstat"):
        try:
            total += int(st.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            pass                                     # a thread that just exited
    return total


def host_info() -> dict:
    """Context for the numbers: TCG timings move a lot with host load."""
    return {
        "machine": platform.machine(), "cpus": os.cpu_count(), "python": platform.python_version(),
        "qemu": qemu_version(), "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()],
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None
