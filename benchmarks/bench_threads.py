"""Context switch and thread creation: the cost in ns per scheduler
(benchmarks/apps/ctxsw over uk/sched.h, built once per scheduler), against
the same ping-pong written with pthreads (benchmarks/apps/linux/
ctxsw_pthread.c) in a Linux VM under the same QEMU and accelerator, and as
a process on the host (pinned to one CPU, as the single-core guests are).

Each figure is the median of `samples` (>= 10 000) samples; a sample times
`ops` operations (switches) so that reading the clock costs little next to
them; the BENCH line's median_ns / ops is the cost of one.

    measure(targets, samples, ops) -> {"rows": [{system, where, ctxsw_yield_ns, ...}]}
    tables(result)                 -> [rich Table]
"""
from __future__ import annotations

import platform

from benchlines import BenchOutputError, fmt_ns, fmt_x, kv, parse_bench, ratio, require
from common import BaselineError, log
from programs import APPS_DIR, LINUX_MACHINE, build_app, build_static, run_app, run_host, run_linux_vm

CTXSW_APP = APPS_DIR / "ctxsw"
PTHREAD_SRC = APPS_DIR / "linux" / "ctxsw_pthread.c"
# The scheduler choice (Kconfig choice UKSCHED) for each of our rows.
SCHEDULERS = {
    "coop": ["CONFIG_UKSCHED_COOP=y"],
    "preempt": ["CONFIG_UKSCHED_PREEMPT=y"],
}
MIN_SAMPLES = 10000
# A yield figure is one switch only if the partner answered (nearly) every
# yield of the main thread: Linux's sched_yield is no strict hand-off (CFS
# may run the caller again), so its yield ping-pong is marked when it was not
# one, and the semaphore ping-pong is the comparison that always switches.
YIELD_ANSWERED = (0.99, 1.01)


def yield_is_switch(row: dict) -> bool:
    a = row.get("yield_answered")
    return a is not None and YIELD_ANSWERED[0] <= a <= YIELD_ANSWERED[1]


def row_from(system: str, where: str, text: str, names: list[str]) -> dict:
    """A table row from a ctxsw console: per-operation medians (ns) of every
    BENCH line in ``names``, and how many of the main thread's yields the
    partner answered (1.0: every yield switched)."""
    parsed = parse_bench(text)
    require(parsed, names, text)
    row = {"system": system, "where": where, "error": None, "raw": parsed}
    for name in names:
        row[f"{name}_ns"] = parsed[name]["per_op_ns"]
    for line in text.splitlines():
        if line.startswith("BENCH-INFO ") and "yield_partner_rounds" in line:
            info = kv(line)
            row["yield_answered"] = ratio(info["yield_partner_rounds"], info["main_rounds"])
    return row


def _failed(system: str, where: str, e: Exception) -> dict:
    return {"system": system, "where": where, "error": str(e).splitlines()[0][:300]}


def measure(targets: list[str], samples: int = MIN_SAMPLES, ops: int = 16, host: bool = True,
            schedulers: list[str] = tuple(SCHEDULERS)) -> dict:
    args = [str(samples), str(ops)]
    linux_names = ["ctxsw_sem", "ctxsw_yield", "thread_create"]
    ours_names = ["ctxsw_sem", "ctxsw_yield", "thread_create"]
    rows = []
    if host and platform.machine() == "x86_64":
        try:
            r = run_host(build_static("x86_64", PTHREAD_SRC), args, timeout=300)
            rows.append(row_from("Linux host", "host", r["console"], linux_names))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux host", "host", e))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        for sched in schedulers:
            log(f"threads: uniforge ({sched}) on {target}")
            try:
                p, res = build_app(CTXSW_APP, target, SCHEDULERS[sched])
                r = run_app(p, res, args, timeout=600)
                rows.append(row_from(f"uniforge {sched}", target, r["console"], ours_names))
            except (BaselineError, BenchOutputError) as e:
                rows.append(_failed(f"uniforge {sched}", target, e))
        log(f"threads: Linux VM on {arch}/{machine}")
        try:
            r = run_linux_vm(arch, machine, build_static(arch, PTHREAD_SRC), args, timeout=900)
            rows.append(row_from("Linux VM", target, r["console"], linux_names))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux VM", target, e))
    return {"samples": samples, "ops": ops, "rows": rows}


def tables(result: dict) -> list:
    """Two tables: the cost of one switch (through yield, and through
    semaphores) and of creating+joining a thread, each with how many times
    the Linux VM on the same target takes ("×")."""
    from rich import box
    from rich.table import Table

    def table(title, cols, caption="×: the Linux VM's cost on the same target / ours"):
        t = Table(title=title, caption=caption,
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left",
                  caption_justify="left")
        t.add_column("system", no_wrap=True)
        t.add_column("target", no_wrap=True)
        for col in cols:
            t.add_column(col, justify="right", no_wrap=True)
        return t

    n = result["samples"]
    sw = table(f"Context switch: one switch, median of {n} (yield: sched_yield ping-pong; sem: semaphores)",
               ["yield", "× yield", "sem", "× sem"],
               caption="×: the Linux VM's cost on the same target / ours; *: the partner did not answer "
                       "every yield (not a strict hand-off), so that figure is not one switch")
    cr = table(f"Thread create + join: median of {n}", ["create+join", "×"])
    vm = {r["where"]: r for r in result["rows"] if r["system"] == "Linux VM" and not r["error"]}
    for r in result["rows"]:
        if r["error"]:
            sw.add_row(r["system"], r["where"], "failed", "-", "-", "-")
            cr.add_row(r["system"], r["where"], "failed", "-")
            continue
        base = vm.get(r["where"], {}) if r["system"].startswith("uniforge") else {}

        def x(key: str, r=r, base=base) -> str:
            return fmt_x(ratio(base.get(key), r.get(key))) if base else "-"
        mark = "" if yield_is_switch(r) else "*"
        yx = x("ctxsw_yield_ns") if yield_is_switch(vm.get(r["where"], {})) else "-"
        sw.add_row(r["system"], r["where"], fmt_ns(r.get("ctxsw_yield_ns")) + mark,
                   yx if base else "-", fmt_ns(r.get("ctxsw_sem_ns")), x("ctxsw_sem_ns"))
        cr.add_row(r["system"], r["where"], fmt_ns(r.get("thread_create_ns")), x("thread_create_ns"))
    return [sw, cr]


def errors(result: dict) -> list[str]:
    return [f"threads {r['system']} {r['where']}: {r['error']}" for r in result["rows"] if r["error"]]
