"""Syscall cost (issue 8): ns per call, median, of our native path
(uk_syscall(), what musl's wrappers call) and of the trapped instruction
(x86_64 `syscall`, arm64 `svc #0`), against the same instruction in a Linux
VM under the same QEMU and accelerator, and on the host (x86_64 only).

The program is benchmarks/apps/syscall/syscall.c on both sides. Two
syscalls: `enosys` (a number no syscall has: entry, table lookup, exit;
both kernels answer -ENOSYS) and `getppid` (the cheapest real handler; in
our image only when the OS tree has posix-process, added with --set).

    measure(targets, samples, ops) -> {"rows": [{system, where, trap_enosys_ns, ...}]}
    tables(result)                 -> [rich Table]
"""
from __future__ import annotations

import platform

from benchlines import BenchOutputError, fmt_ns, fmt_x, parse_bench, ratio
from common import BaselineError, log
from programs import APPS_DIR, LINUX_MACHINE, build_app, build_static, run_app, run_host, run_linux_vm

from uniforge import os_root

APP = APPS_DIR / "syscall"
SRC = APP / "syscall.c"
CALLS = ["enosys", "getppid"]
MIN_SAMPLES = 10000


def _sets() -> list[str]:
    """posix-process (getppid) when the OS tree has it."""
    return ["CONFIG_LIBPOSIX_PROCESS=y"] if (os_root() / "lib" / "posix-process").is_dir() else []


def row_from(system: str, where: str, text: str) -> dict:
    parsed = parse_bench(text)
    if "trap_enosys" not in parsed:
        raise BenchOutputError(f"no BENCH trap_enosys line in: {text[-400:]!r}")
    row = {"system": system, "where": where, "error": None, "raw": parsed}
    for path in ("native", "trap"):
        for call in CALLS:
            name = f"{path}_{call}"
            if name in parsed:
                row[f"{name}_ns"] = parsed[name]["per_op_ns"]
    if "call_floor" in parsed:
        row["call_floor_ns"] = parsed["call_floor"]["per_op_ns"]
    return row


def _failed(system: str, where: str, e: Exception) -> dict:
    return {"system": system, "where": where, "error": str(e).splitlines()[0][:300]}


def measure(targets: list[str], samples: int = MIN_SAMPLES, ops: int = 100, host: bool = True) -> dict:
    args = [str(samples), str(ops)]
    rows = []
    if host and platform.machine() == "x86_64":
        try:
            r = run_host(build_static("x86_64", SRC), args, timeout=300)
            rows.append(row_from("Linux host", "host", r["console"]))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux host", "host", e))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        log(f"syscall: uniforge on {target}")
        try:
            p, res = build_app(APP, target, _sets())
            rows.append(row_from("uniforge", target, run_app(p, res, args, timeout=900)["console"]))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("uniforge", target, e))
        log(f"syscall: Linux VM on {arch}/{machine}")
        try:
            r = run_linux_vm(arch, machine, build_static(arch, SRC), args, timeout=900)
            rows.append(row_from("Linux VM", target, r["console"]))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux VM", target, e))
    return {"samples": samples, "ops": ops, "rows": rows}


def tables(result: dict) -> list:
    """One table per syscall: native and trapped ns, how many times the
    Linux VM on the same target (its trapped call) takes ("×"), and a call
    to an empty function through the same loop, for scale."""
    from rich import box
    from rich.table import Table

    out = []
    vm = {r["where"]: r for r in result["rows"] if r["system"] == "Linux VM" and not r["error"]}
    for call in CALLS:
        t = Table(title=f"Syscall {call}: ns per call, median of {result['samples']} samples of "
                        f"{result['ops']} calls",
                  caption="×: the Linux VM's trapped call on the same target / ours",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left",
                  caption_justify="left")
        for col in ("system", "target", "native", "× native", "trapped", "× trapped", "empty call"):
            t.add_column(col, justify="left" if col in ("system", "target") else "right", no_wrap=True)
        for r in result["rows"]:
            if r["error"]:
                t.add_row(r["system"], r["where"], "failed", "-", "-", "-", "-")
                continue
            base = vm.get(r["where"], {}).get(f"trap_{call}_ns") if r["system"] == "uniforge" else None
            nat, trap = r.get(f"native_{call}_ns"), r.get(f"trap_{call}_ns")
            t.add_row(r["system"], r["where"], fmt_ns(nat), fmt_x(ratio(base, nat)) if base else "-",
                      fmt_ns(trap), fmt_x(ratio(base, trap)) if base else "-", fmt_ns(r.get("call_floor_ns")))
        out.append(t)
    return out


def errors(result: dict) -> list[str]:
    return [f"syscall {r['system']} {r['where']}: {r['error']}" for r in result["rows"] if r["error"]]
