"""Booting the Debian Linux baseline under QEMU (TCG): one boot, the median of
a few, and the smallest memory it still prints its line with.

    boot_linux(arch, machine, ...)              -> one boot: time to the line, exit...
    linux_time_to_line(arch, machine, runs=3)   -> median of a few boots
    min_memory_linux(arch, machine)             -> smallest -m (MiB) still printing the line

The QEMU command line is the uniforge runner's for the same machine
(machine_args of uniforge/runner/qemu.py) plus -kernel/-initrd/-append.
"""
from __future__ import annotations

import functools
import platform
import re
import time
from pathlib import Path

from common import CACHE_DIR, FLOOR_DIR, BaselineError, check, get_arch, machine_target
from console_timing import median, run_console
from initramfs import LINUX_MARKER, build_initramfs
from linux_kernel import check_kernel_format, linux_kernel
from uniforge.runner.qemu import machine_args

DEFAULT_LINUX_MEM_MB = 256


TSC_SRC = FLOOR_DIR / "tsc_khz.c"


@functools.lru_cache(maxsize=1)
def host_tsc_khz() -> int | None:
    """The host's TSC rate in kHz (x86 hosts), which is what RDTSC counts at in a TCG guest.

    Measured by benchmarks/floor/tsc_khz.c (built into benchmarks/cache/);
    falls back to /proc/cpuinfo's "cpu MHz"; None when neither works.
    """
    if platform.machine() not in ("x86_64", "AMD64", "i686"):
        return None
    exe = CACHE_DIR / "tsc_khz"
    try:
        if not exe.exists() or exe.stat().st_mtime < TSC_SRC.stat().st_mtime:
            CACHE_DIR.mkdir(parents=True, exist_ok=True)
            check(["gcc", "-O2", "-o", str(exe), str(TSC_SRC)], timeout=60)
        return int(check([str(exe)], timeout=30).strip())
    except (BaselineError, ValueError):
        pass
    try:
        m = re.search(r"^cpu MHz\s*:\s*([\d.]+)", Path("/proc/cpuinfo").read_text(), re.M)
        return int(float(m.group(1)) * 1000) if m else None
    except OSError:
        return None


def linux_append(arch: str, machine: str, tsc_khz: int | None = None) -> str:
    """The kernel command line.  On x86 microvm, ``tsc_early_khz=`` gives the
    kernel the TSC rate: microvm has no HPET or ACPI PM timer, and under TCG on
    a loaded host the TSC calibration against the PIT fails, after which Linux
    hangs in early boot waiting for timer ticks (seen here: 2 boots of 3 hung
    at load average 8).  Under KVM, kvmclock/CPUID would supply the rate."""
    a = get_arch(arch)
    append = f"console={a.console} quiet panic=-1"
    if arch == "x86_64" and machine == "microvm" and tsc_khz:
        append += f" tsc_early_khz={tsc_khz}"
    return append


def linux_cmd(arch: str, machine: str, mem_mb: int = DEFAULT_LINUX_MEM_MB,
              kernel: Path | None = None, initrd: Path | None = None, tsc_khz: int | None = None,
              kernel_format: str | None = None) -> list[str]:
    """The QEMU command line of the Linux baseline (fetches/builds kernel and initramfs if needed):
    the uniforge runner's own line for the machine's target (uniforge.runner.qemu.machine_args),
    with the Debian kernel, the initramfs and Linux's command line.
    ``tsc_khz``: see linux_append(); by default measured with host_tsc_khz() where it is needed.
    ``kernel_format``: see KERNEL_FORMATS (default: the Debian file as shipped)."""
    a = get_arch(arch)
    target = machine_target(a, machine)
    kernel = kernel or linux_kernel(arch, kernel_format)
    initrd = initrd or build_initramfs(arch)
    if tsc_khz is None and arch == "x86_64" and machine == "microvm":
        tsc_khz = host_tsc_khz()
    return [
        *machine_args(target, "tcg", mem_mb),
        "-kernel", str(kernel), "-initrd", str(initrd),
        "-append", linux_append(arch, machine, tsc_khz),
    ]


def boot_linux(arch: str, machine: str, accel: str = "tcg", mem_mb: int = DEFAULT_LINUX_MEM_MB,
               timeout: float = 60.0, linger: float = 10.0, kernel_format: str | None = None) -> dict:
    """Boot the Debian kernel + initramfs once; time until LINUX-INIT-HELLO shows.

    Returns {arch, machine, kernel_format, mem_mb, line_seen, time_to_line_s,
    time_to_exit_s, exit_code, killed, cpu_s, console_tail, stderr_tail, cmd}.
    """
    if accel != "tcg":
        raise BaselineError("the baselines run under TCG only (this machine's KVM is emulated and ~100x slower)")
    fmt = check_kernel_format(arch, kernel_format)
    cmd = linux_cmd(arch, machine, mem_mb, kernel_format=fmt)
    r = run_console(cmd, LINUX_MARKER, timeout=timeout, linger=linger)
    return {"arch": arch, "machine": machine, "kernel_format": fmt, "accel": accel, "mem_mb": mem_mb, **r,
            "cmd": cmd}


def linux_time_to_line(arch: str, machine: str, runs: int = 3, mem_mb: int = DEFAULT_LINUX_MEM_MB,
                       timeout: float = 60.0, kernel_format: str | None = None) -> dict:
    """Median of ``runs`` boots (x86 bzImage ~7 s each under TCG here, vmlinux/arm64 ~2 s)."""
    fmt = check_kernel_format(arch, kernel_format)
    boots = [boot_linux(arch, machine, mem_mb=mem_mb, timeout=timeout, kernel_format=fmt) for _ in range(runs)]
    lines = [b["time_to_line_s"] for b in boots if b["line_seen"]]
    exits = [b["time_to_exit_s"] for b in boots if b["time_to_exit_s"] is not None]
    return {
        "arch": arch, "machine": machine, "kernel_format": fmt,
        "kernel": Path(boots[0]["cmd"][boots[0]["cmd"].index("-kernel") + 1]).name,
        "mem_mb": mem_mb, "runs": runs, "ok_runs": len(lines),
        "time_to_line_s": median(lines),
        "time_to_line_min_s": min(lines) if lines else None,
        "time_to_line_max_s": max(lines) if lines else None,
        "time_to_exit_s": median(exits),
        "cpu_s": median([b["cpu_s"] for b in boots if b["line_seen"]]),
        "exit_codes": [b["exit_code"] for b in boots],
        "failure": None if lines else (boots[-1]["console_tail"] + boots[-1]["stderr_tail"])[-600:],
        "cmd": boots[0]["cmd"] if boots else None,
    }


def min_memory_linux(arch: str, machine: str, lo: int = 16, hi: int = 512, resolution: int = 1,
                     timeout: float = 40.0, budget_s: float = 300.0, confirm: int = 2,
                     kernel_format: str | None = None) -> dict:
    """Smallest ``-m`` (MiB) at which the line still appears: binary search in [lo, hi].

    Each try is bounded by a timeout: ``timeout``, or 3x the wall time of the
    first (``hi``) boot if that is longer, so a loaded host does not turn slow
    boots into false failures.  The whole search is bounded by ``budget_s``; if
    that runs out, the answer is the best upper bound found and ``exact`` is
    False.  A failing try is usually quick (a panic with panic=-1 and
    -no-reboot ends QEMU; "exited" in ``tries``) but a hang costs a full
    timeout ("timeout").

    The boundary is not sharp on x86 (KASLR places the kernel at random, and a
    boot 1-3 MiB above the boundary can fail), so the result is then booted
    ``confirm`` more times, stepping up by ``resolution`` while one fails.
    """
    t0 = time.perf_counter()
    tries: list[dict] = []
    per_try = timeout
    fmt = check_kernel_format(arch, kernel_format)

    def ok(m: int) -> bool:
        r = boot_linux(arch, machine, mem_mb=m, timeout=per_try, linger=0.5, kernel_format=fmt)
        tries.append({
            "mem_mb": m, "ok": r["line_seen"],
            "how": "line" if r["line_seen"] else ("timeout" if r["killed"] else f"exited {r['exit_code']}"),
            "wall_s": round(r["time_to_line_s"] or r["time_to_exit_s"] or per_try, 2),
            "at_s": round(time.perf_counter() - t0, 2),
        })
        return r["line_seen"]

    result = {"arch": arch, "machine": machine, "kernel_format": fmt, "lo_mb": lo, "hi_mb": hi,
              "resolution_mb": resolution}
    if not ok(hi):
        return {**result, "min_mem_mb": None, "exact": False, "tries": tries,
                "search_s": round(time.perf_counter() - t0, 2), "note": f"no line even at {hi} MiB"}
    per_try = max(timeout, 3 * tries[0]["wall_s"])
    good, bad = hi, lo - 1  # invariant: good works; bad fails (lo-1 assumed to)
    exact = True
    while good - bad > resolution:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        mid = (good + bad) // 2
        if ok(mid):
            good = mid
        else:
            bad = mid
    confirmed = 0
    while exact and confirmed < confirm and good < hi:
        if time.perf_counter() - t0 > budget_s:
            exact = False
            break
        if ok(good):
            confirmed += 1
        else:
            bad, good, confirmed = good, good + resolution, 0
    return {**result, "min_mem_mb": good, "max_failing_mb": bad if bad >= lo else None, "exact": exact,
            "confirmations": confirm, "per_try_timeout_s": per_try, "tries": tries,
            "search_s": round(time.perf_counter() - t0, 2)}
