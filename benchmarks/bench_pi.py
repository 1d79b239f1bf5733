"""The CPU-bound benchmark: pi to N digits (benchmarks/apps/pi/pi.c, a
spigot) timed inside the guest, against the same C file as a Linux process
on the host and as /init of a Linux VM under the same QEMU (TCG).

Every run's digits are checked against a reference computed here (Machin's
formula in Python integers): a fast wrong answer is an error, not a figure.

    measure(targets, digits, reps) -> {"digits", "rows": [{system, target, median_ns, ...}]}
    tables(result)                 -> [rich Table]
"""
from __future__ import annotations

import platform
import sys

from benchlines import BenchOutputError, fmt_ns, fmt_x, median, parse_tagged, ratio
from common import BaselineError, log
from programs import APPS_DIR, LINUX_MACHINE, build_app, build_static, run_app, run_host, run_linux_vm

PI_APP = APPS_DIR / "pi"
PI_SRC = PI_APP / "pi.c"


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


def _row(system: str, where: str, times: list[int] | None, error: str | None = None) -> dict:
    return {"system": system, "where": where, "times_ns": times, "median_ns": median(times or []),
            "error": error}


def measure(targets: list[str], digits: int = 10000, reps: int = 3, host: bool = True) -> dict:
    rows = []
    args = [str(digits), str(reps)]
    timeout = 60 + digits * reps / 100          # ~3 s per 10k digits under TCG here; ample
    if host and platform.machine() == "x86_64":
        try:
            r = run_host(build_static("x86_64", PI_SRC), args, timeout=timeout)
            rows.append(_row("Linux host", "host", check_runs(r["console"], digits, reps)))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_row("Linux host", "host", None, str(e)))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        log(f"pi: uniforge on {target}")
        try:
            p, res = build_app(PI_APP, target)
            r = run_app(p, res, args, timeout=timeout)
            rows.append(_row("uniforge", target, check_runs(r["console"], digits, reps)))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_row("uniforge", target, None, str(e)))
        log(f"pi: Linux VM on {arch}/{machine}")
        try:
            r = run_linux_vm(arch, machine, build_static(arch, PI_SRC), args, timeout=timeout + 60)
            rows.append(_row("Linux VM", target, check_runs(r["console"], digits, reps)))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_row("Linux VM", target, None, str(e)))
    return {"digits": digits, "reps": reps, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"pi to {result['digits']} digits: time inside the guest (median of {result['reps']})",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left")
    for col, just in (("system", "left"), ("where", "left"), ("time", "right"), ("vs Linux VM", "right"),
                      ("vs host", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    host = next((r["median_ns"] for r in result["rows"] if r["where"] == "host"), None)
    vm = {r["where"]: r["median_ns"] for r in result["rows"] if r["system"] == "Linux VM"}
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["system"], r["where"], "failed", "-", "-")
            continue
        # "vs": how many times the reference's time this run's is (<1: faster)
        t.add_row(r["system"], r["where"], fmt_ns(r["median_ns"]),
                  fmt_x(ratio(r["median_ns"], vm.get(r["where"]))) if r["system"] != "Linux host" else "-",
                  fmt_x(ratio(r["median_ns"], host)))
    return [t]


def errors(result: dict) -> list[str]:
    return [f"pi {r['system']} {r['where']}: {r['error']}" for r in result["rows"] if r["error"]]
