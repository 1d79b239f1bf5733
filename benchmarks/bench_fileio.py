"""File I/O: create, write, read and unlink 10k small files, and write,
read and unlink one 64 MiB file (benchmarks/apps/fileio/fileio.c), in the
unikernel's ramfs (musl + vfscore), against the same C file as /init of a
Linux VM writing to a tmpfs under the same QEMU (TCG) and machine, and as
a process on the host (its /tmp).

Each figure is the median over `rounds` rounds of the time the program's
own clock gives a phase; small-file figures are per file, big-file ones
are MiB/s. Every read is checked against what was written (a BENCH-ERROR
otherwise, never a figure).

    measure(targets, files, size, big_mib, rounds) -> {"rows": [{system, where, <phase>_ns, ...}]}
    tables(result)                                  -> [rich Table]
"""
from __future__ import annotations

import platform
import tempfile

from benchlines import BenchOutputError, fmt_ns, fmt_x, parse_bench, ratio, require
from common import BaselineError, log
from programs import APPS_DIR, LINUX_MACHINE, build_app, build_static, run_app, run_host, run_linux_vm

FILEIO_APP = APPS_DIR / "fileio"
FILEIO_SRC = FILEIO_APP / "fileio.c"
SMALL = ["small_create", "small_write", "small_read", "small_unlink"]
BIG = ["big_write", "big_read", "big_unlink"]
GUEST_MEM_MB = 192          # ours: the 64 MiB file twice over, and the 10k small files
LINUX_MEM_MB = 256          # the Linux VM: its kernel too; tmpfs takes up to half


def row_from(system: str, where: str, text: str, big: bool) -> dict:
    """Per-file ns of the small phases and ns of the big ones (medians)."""
    parsed = parse_bench(text)
    names = SMALL + (BIG if big else [])
    require(parsed, names, text)
    row = {"system": system, "where": where, "error": None}
    for n in names:
        row[f"{n}_ns"] = parsed[n]["per_op_ns"]
    return row


def _failed(system: str, where: str, e: Exception) -> dict:
    return {"system": system, "where": where, "error": str(e).splitlines()[0][:300]}


def measure(targets: list[str], files: int = 10000, size: int = 1024, big_mib: int = 64,
            rounds: int = 5, host: bool = True) -> dict:
    args = [str(files), str(size), str(big_mib), str(rounds)]
    timeout = 600 + files * rounds * 0.05 + big_mib * rounds * 2
    rows = []
    if host and platform.machine() == "x86_64":
        try:
            with tempfile.TemporaryDirectory(prefix="fileio-") as d:
                r = run_host(build_static("x86_64", FILEIO_SRC), [*args, d + "/t"], timeout=timeout)
            rows.append(row_from("Linux host", "host /tmp", r["console"], big_mib > 0))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux host", "host /tmp", e))
    for target in targets:
        arch, machine = LINUX_MACHINE[target]
        log(f"fileio: uniforge (ramfs) on {target}")
        try:
            p, res = build_app(FILEIO_APP, target)
            r = run_app(p, res, args, timeout=timeout, mem_mb=GUEST_MEM_MB)
            rows.append(row_from("uniforge ramfs", target, r["console"], big_mib > 0))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("uniforge ramfs", target, e))
        log(f"fileio: Linux VM (tmpfs) on {arch}/{machine}")
        try:
            r = run_linux_vm(arch, machine, build_static(arch, FILEIO_SRC), args, timeout=timeout,
                             mem_mb=LINUX_MEM_MB)
            rows.append(row_from("Linux VM tmpfs", target, r["console"], big_mib > 0))
        except (BaselineError, BenchOutputError) as e:
            rows.append(_failed("Linux VM tmpfs", target, e))
    return {"files": files, "size": size, "big_mib": big_mib, "rounds": rounds, "rows": rows}


def mib_s(ns: float | None, mib: int) -> str:
    return "-" if not ns else f"{mib / (ns / 1e9):.0f} MiB/s"


def tables(result: dict) -> list:
    """Small files (per-file cost) and the big file (throughput), each with
    how many times the Linux VM on the same target takes ("×")."""
    from rich import box
    from rich.table import Table

    def table(title, cols):
        t = Table(title=title, caption="×: the Linux VM's time on the same target / ours",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left",
                  caption_justify="left")
        t.add_column("system", no_wrap=True)
        t.add_column("where", no_wrap=True)
        for c in cols:
            t.add_column(c, justify="right", no_wrap=True)
        return t

    n, size, mib = result["files"], result["size"], result["big_mib"]
    small = table(f"{n} files of {size} bytes: per file, median of {result['rounds']} rounds",
                  [c for p in ("create", "write", "read", "unlink") for c in (p, "×")])
    big = table(f"One {mib} MiB file: median of {result['rounds']} rounds",
                ["write", "×", "read", "×", "unlink", "×"])
    vm = {r["where"]: r for r in result["rows"] if r["system"].startswith("Linux VM") and not r["error"]}
    for r in result["rows"]:
        if r["error"]:
            small.add_row(r["system"], r["where"], "failed", *["-"] * 7)
            big.add_row(r["system"], r["where"], "failed", *["-"] * 5)
            continue
        base = vm.get(r["where"]) if r["system"].startswith("uniforge") else None

        def x(key, r=r, base=base):
            return fmt_x(ratio(base.get(key), r.get(key))) if base else "-"
        small.add_row(r["system"], r["where"],
                      *[c for ph in SMALL for c in (fmt_ns(r.get(f"{ph}_ns")), x(f"{ph}_ns"))])
        if "big_write_ns" in r:
            big.add_row(r["system"], r["where"], mib_s(r["big_write_ns"], mib), x("big_write_ns"),
                        mib_s(r["big_read_ns"], mib), x("big_read_ns"), fmt_ns(r["big_unlink_ns"]),
                        x("big_unlink_ns"))
    return [small, big]


def errors(result: dict) -> list[str]:
    return [f"fileio {r['system']} {r['where']}: {r['error']}" for r in result["rows"] if r["error"]]
