"""Idle cost, the closest proxy here for the seed paper's power figure: the
host CPU time QEMU burns per minute for a guest that does nothing but sleep.

Ours: benchmarks/apps/idle (nanosleep in 1 s steps). The baseline: a Linux
VM (the Debian kernel, same QEMU machine and accelerator) whose /init sleeps
the same way (benchmarks/apps/linux/idle_init.c). Both print
BENCH-IDLE-READY once up; from then on QEMU's utime+stime (/proc/<pid>/stat,
in clock ticks) is read at the start and the end of a fixed window, so boot
is not counted.

    cpu_ticks(stat_text)                 -> utime + stime of a /proc/<pid>/stat line
    idle_cost(cmd, window_s)             -> {"cpu_s", "window_s", "cpu_s_per_min", ...}
    measure(targets, window_s)           -> {"rows": [...]}
"""
from __future__ import annotations

import os
import select
import subprocess
import time

from benchlines import fmt_x, ratio
from common import BaselineError, log
from console_timing import threads_run_ns
from bench_threads import SCHEDULERS
from programs import APPS_DIR, LINUX_MACHINE, app_cmd, build_app, build_static, linux_vm_cmd

IDLE_APP = APPS_DIR / "idle"
IDLE_LINUX_SRC = APPS_DIR / "linux" / "idle_init.c"
READY = b"BENCH-IDLE-READY"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_ticks(stat: str) -> int:
    """utime + stime (fields 14 and 15) of a /proc/<pid>/stat line. The
    command name (field 2) may hold spaces and parentheses: fields are
    counted after its last ')'."""
    rest = stat[stat.rindex(")") + 2:].split()
    return int(rest[11]) + int(rest[12])           # fields 14, 15 (rest[0] is field 3)


def per_minute(cpu_s: float, window_s: float) -> float:
    return cpu_s / window_s * 60.0


def idle_cost(cmd: list[str], window_s: float, boot_timeout: float = 120.0, settle_s: float = 2.0) -> dict:
    """Start ``cmd``, wait (at most ``boot_timeout``) for BENCH-IDLE-READY and
    ``settle_s`` more (work a kernel defers past boot), then measure QEMU's CPU
    time over ``window_s`` seconds; QEMU is killed after.  ``cpu_s`` is
    utime+stime from /proc/<pid>/stat (10 ms ticks); ``cpu_ns_sched`` the same
    window from the threads' schedstat (ns), the figure the table shows."""
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = bytearray()
    try:
        t0 = time.monotonic()
        while READY not in out:
            left = boot_timeout - (time.monotonic() - t0)
            if left <= 0 or p.poll() is not None:
                raise BaselineError(f"no BENCH-IDLE-READY after {time.monotonic() - t0:.0f} s "
                                    f"(QEMU status {p.poll()}); console ends: {bytes(out[-400:])!r}")
            r, _, _ = select.select([p.stdout], [], [], min(left, 1.0))
            if r:
                out += os.read(p.stdout.fileno(), 65536)
        boot_s = time.monotonic() - t0

        def wait_until(end: float) -> None:           # keep draining the console meanwhile
            nonlocal out
            while (now := time.monotonic()) < end:
                r, _, _ = select.select([p.stdout], [], [], end - now)
                if r and not (chunk := os.read(p.stdout.fileno(), 65536)):
                    raise BaselineError(f"QEMU exited during the window; console ends: {bytes(out[-400:])!r}")
                if r:
                    out += chunk

        wait_until(time.monotonic() + settle_s)
        stat = f"/proc/{p.pid}/stat"
        with open(stat) as f:
            a = cpu_ticks(f.read())
        na = threads_run_ns(p.pid)
        ta = time.monotonic()
        wait_until(ta + window_s)
        with open(stat) as f:
            b = cpu_ticks(f.read())
        nb = threads_run_ns(p.pid)
        window = time.monotonic() - ta
    finally:
        p.kill()
        p.wait()
        p.stdout.close()
    cpu_s = (b - a) / CLK_TCK
    sched_s = (nb - na) / 1e9
    return {"cpu_s": cpu_s, "cpu_ns_sched": nb - na, "window_s": window,
            "cpu_s_per_min": per_minute(sched_s, window), "cpu_percent": 100.0 * sched_s / window,
            "cpu_s_per_min_ticks": per_minute(cpu_s, window), "boot_to_ready_s": round(boot_s, 2),
            "settle_s": settle_s, "tick_s": 1 / CLK_TCK}


def measure(targets: list[str], window_s: float = 30.0, schedulers: tuple[str, ...] = ("none", *SCHEDULERS)) -> dict:
    """Per target: ours with each of ``schedulers`` (none: nanosleep halts
    the CPU itself; with a scheduler, main blocks and the idle thread
    halts), then the Linux VM."""
    rows = []
    secs = str(int(window_s + 130))                   # the guest outlives the window (boot included)
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        for system in [f"uniforge {s}" for s in schedulers] + ["Linux VM"]:
            log(f"idle: {system} on {target}, {window_s:.0f} s window")
            try:
                if system.startswith("uniforge"):
                    sched = system.split()[1]
                    p, res = build_app(IDLE_APP, target, SCHEDULERS.get(sched, []))
                    cmd = app_cmd(p, res, [secs])
                else:
                    cmd = linux_vm_cmd(arch, machine, build_static(arch, IDLE_LINUX_SRC), [secs])
                rows.append({"system": system, "target": target, **idle_cost(cmd, window_s), "error": None})
            except BaselineError as e:
                rows.append({"system": system, "target": target, "error": str(e).splitlines()[0][:300]})
    return {"window_s": window_s, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"Idle cost: host CPU used by QEMU for a sleeping guest ({result['window_s']:.0f} s window)",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left")
    for col, just in (("system", "left"), ("target", "left"), ("CPU s/min", "right"), ("% of a CPU", "right"),
                      ("Linux / ours", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    linux = {r["target"]: r.get("cpu_s_per_min") for r in result["rows"] if r["system"] == "Linux VM"}
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["system"], r["target"], "failed", "-", "-")
            continue
        ours = r["system"].startswith("uniforge")
        t.add_row(r["system"], r["target"], f"{r['cpu_s_per_min']:.2f}", f"{r['cpu_percent']:.2f}",
                  fmt_x(ratio(linux.get(r["target"]), r["cpu_s_per_min"])) if ours else "-")
    return [t]


def errors(result: dict) -> list[str]:
    return [f"idle {r['system']} {r['target']}: {r['error']}" for r in result["rows"] if r["error"]]
