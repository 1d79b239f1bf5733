"""The CPU-bound benchmark: pi to N digits (benchmarks/apps/pi/pi.c, a
spigot) timed inside the guest, against the same C file as a Linux process
on the host and as /init of a Linux VM under the same QEMU (TCG).

Two figures per run: the guest's own time (its clock: wall time, which a
loaded host stretches, since QEMU waits for a CPU) and the CPU time the VMM
(or, on the host, the process) used for the same repetition, read from
/proc between two lines the program prints while it sleeps. The second is
what the comparison uses: other work on the host hardly moves it.

Every run's digits are checked against a reference computed here (Machin's
formula in Python integers): a fast wrong answer is an error, not a figure.

    cpu_per_rep(marks)             -> CPU ns of each repetition, from run_watched's marks
    measure(targets, digits, reps) -> {"digits", "rows": [{system, where, median_ns, cpu_median_ns, ...}]}
    tables(result)                 -> [rich Table]
"""
from __future__ import annotations

import platform
import sys

from benchlines import BenchOutputError, fmt_ns, fmt_x, median, parse_tagged, ratio
from common import BaselineError, log
from programs import APPS_DIR, LINUX_MACHINE, app_cmd, build_app, build_static, linux_vm_cmd, run_watched

PI_APP = APPS_DIR / "pi"
PI_SRC = PI_APP / "pi.c"
PAUSE_MS = 300          # the program sleeps this long after each line the harness reads CPU time at
TAGS = ("BENCH-PI-START", "BENCH-PI ")


def reference_digits(n: int) -> str:
    """The first ``n`` digits of pi ("3141..."), by Machin's formula."""
    unity = 10 ** (n + 10)

    def atan_inv(x: int) -> int:
        total = term = unity // x
        x2, k, sign = x * x, 1, -1
        while term:
            term //= x2
            k += 2
            total += sign * (term // k)
            sign = -sign
        return total

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        return str(16 * atan_inv(5) - 4 * atan_inv(239))[:n]
    finally:
        sys.set_int_max_str_digits(limit)


def fnv1a(s: str) -> str:
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return f"{h:08x}"


def check_runs(text: str, digits: int, reps: int) -> list[int]:
    """The per-repetition times (ns) of a pi run's console, after checking that
    every repetition printed the right digits; raises BenchOutputError."""
    rows = parse_tagged(text, "BENCH-PI")
    if len(rows) != reps:
        raise BenchOutputError(f"expected {reps} BENCH-PI lines, got {len(rows)}; console ends: {text[-300:]!r}")
    want = fnv1a(reference_digits(digits))
    for r in rows:
        if r.get("digits") != digits or str(r.get("hash")) != want:
            raise BenchOutputError(f"wrong digits: {r} (want {digits} digits with hash {want})")
    return [r["ns"] for r in rows]


def cpu_per_rep(marks: list[tuple[str, int]]) -> list[int]:
    """CPU ns of each repetition: the reading at its result line minus the
    one at its BENCH-PI-START line. Raises BenchOutputError when they do
    not pair up."""
    out, start = [], None
    for line, cpu in marks:
        if line.startswith("BENCH-PI-START"):
            start = cpu
        elif start is None:
            raise BenchOutputError(f"result without a BENCH-PI-START line: {line}")
        else:
            out.append(cpu - start)
            start = None
    return out


def _row(system: str, where: str, times: list[int] | None, cpu: list[int] | None = None,
         error: str | None = None) -> dict:
    return {"system": system, "where": where, "times_ns": times, "median_ns": median(times or []),
            "cpu_ns": cpu, "cpu_median_ns": median(cpu or []), "error": error}


def _run(system: str, where: str, cmd: list[str], digits: int, reps: int, timeout: float) -> dict:
    try:
        r = run_watched(cmd, TAGS, timeout=timeout)
        times = check_runs(r["console"], digits, reps)
        return _row(system, where, times, cpu_per_rep(r["marks"]))
    except (BaselineError, BenchOutputError) as e:
        return _row(system, where, None, None, str(e).splitlines()[0][:300])


def measure(targets: list[str], digits: int = 10000, reps: int = 3, host: bool = True) -> dict:
    rows = []
    args = [str(digits), str(reps), str(PAUSE_MS)]
    timeout = 120 + digits * reps / 100
    if host and platform.machine() == "x86_64":
        try:
            rows.append(_run("Linux host", "host", [str(build_static("x86_64", PI_SRC)), *args], digits, reps,
                             timeout))
        except BaselineError as e:
            rows.append(_row("Linux host", "host", None, None, str(e)))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        log(f"pi: uniforge on {target}")
        try:
            p, res = build_app(PI_APP, target)
            rows.append(_run("uniforge", target, app_cmd(p, res, args), digits, reps, timeout))
        except BaselineError as e:
            rows.append(_row("uniforge", target, None, None, str(e).splitlines()[0][:300]))
        log(f"pi: Linux VM on {arch}/{machine}")
        try:
            cmd = linux_vm_cmd(arch, machine, build_static(arch, PI_SRC), args)
            rows.append(_run("Linux VM", target, cmd, digits, reps, timeout + 60))
        except BaselineError as e:
            rows.append(_row("Linux VM", target, None, None, str(e).splitlines()[0][:300]))
    return {"digits": digits, "reps": reps, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"pi to {result['digits']} digits (median of {result['reps']})",
              caption="guest: the program's own clock; CPU: what QEMU (host: the process) used for it; "
                      "×: the Linux VM's CPU time on the same target / ours",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left",
              caption_justify="left")
    for col, just in (("system", "left"), ("where", "left"), ("guest", "right"), ("CPU", "right"),
                      ("×", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    vm = {r["where"]: r["cpu_median_ns"] for r in result["rows"] if r["system"] == "Linux VM"}
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["system"], r["where"], "failed", "-", "-")
            continue
        ours = r["system"] == "uniforge"
        t.add_row(r["system"], r["where"], fmt_ns(r["median_ns"]), fmt_ns(r["cpu_median_ns"]),
                  fmt_x(ratio(vm.get(r["where"]), r["cpu_median_ns"])) if ours else "-")
    return [t]


def errors(result: dict) -> list[str]:
    return [f"pi {r['system']} {r['where']}: {r['error']}" for r in result["rows"] if r["error"]]
