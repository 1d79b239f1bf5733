#!/usr/bin/env python3
"""Baselines for the unikernel benchmarks, measured on this machine in the same run.

1. A Linux VM under the same QEMU: a Debian kernel booting an initramfs whose
   /init prints one line (``LINUX-INIT-HELLO``) and powers off.
2. The VMM's own floor (see ``vmm_floor.py``): the smallest guest that prints
   one line and exits.

This file is the script; the pieces live in focused modules (importable with
benchmarks/ on sys.path), re-exported here for convenience:

    linux_kernel.py    fetch_linux_kernel(arch), extract_vmlinux, bzimage_payload
    initramfs.py       build_init(arch), build_initramfs(arch)
    console_timing.py  run_console(cmd, marker, ...), host_info()
    linux_boot.py      boot_linux, linux_time_to_line, min_memory_linux, linux_cmd
    vmm_floor.py       vmm_floor(arch, machine)
    uniforge.cpio      write_newc / newc_* (the cpio writer is part of the tool)

As a script:

    python benchmarks/linux_baseline.py [--arch x86_64|arm64] [--runs N]

prints a table and writes benchmarks/results/baselines.json.

Everything runs under TCG (``-accel tcg``), never KVM and never ``-cpu host``:
this machine's /dev/kvm is a much slower software implementation. Kernel
packages are cached under ~/.cache/uniforge/deb, generated files in
benchmarks/cache/ (gitignored).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from common import ARCHES, RESULTS_DIR, BaselineError, fmt_s, log
from console_timing import host_info, run_console
from initramfs import LINUX_MARKER, build_init, build_initramfs
from linux_boot import boot_linux, linux_append, linux_cmd, linux_time_to_line, min_memory_linux
from linux_kernel import KERNEL_FORMATS, bzimage_payload, extract_vmlinux, fetch_linux_kernel, linux_kernel
from vmm_floor import vmm_floor

__all__ = [
    "LINUX_MARKER", "BaselineError", "boot_linux", "build_init", "build_initramfs", "bzimage_payload",
    "extract_vmlinux", "fetch_linux_kernel", "host_info", "linux_append", "linux_cmd", "linux_kernel",
    "linux_time_to_line", "min_memory_linux", "run_console", "vmm_floor",
]


def _table(rows: list[tuple[str, ...]], header: tuple[str, ...], title: str) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=False)).rstrip()  # noqa: E731
        print(f"\n{title}")
        print(line(header))
        print("  ".join("-" * w for w in widths))
        for r in rows:
            print(line(r))
        return
    from rich import box
    # Readable at 80 columns: a light frame, the target never cut, other cells folded.
    t = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    for i, h in enumerate(header):
        t.add_column(h, no_wrap=i == 0, overflow="fold")
    for r in rows:
        t.add_row(*map(str, r))
    Console().print(t)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--arch", choices=list(ARCHES), action="append",
                    help="architecture(s) to measure (default: all)")
    ap.add_argument("--machine", action="append", help="only these machines (default: all of the arch)")
    ap.add_argument("--runs", type=int, default=10, help="VMM-floor runs per machine (median; default 10)")
    ap.add_argument("--linux-runs", type=int, default=3, help="Linux boots per machine (median; default 3)")
    ap.add_argument("--kernel", action="append", choices=sorted({f for fs in KERNEL_FORMATS.values() for f in fs}),
                    help="only these Linux kernel formats (default: all; x86_64: bzimage, vmlinux; arm64: image)")
    ap.add_argument("--no-min-mem", action="store_true", help="skip the minimum-memory search")
    ap.add_argument("--min-mem-budget", type=float, default=300.0, help="seconds per min-memory search")
    ap.add_argument("--json", type=Path, default=RESULTS_DIR / "baselines.json", help="where to write results")
    args = ap.parse_args(argv)

    results = {
        "host": host_info(),
        "linux": [], "linux_min_mem": [], "floor": [],
    }
    linux_rows, floor_rows = [], []
    for arch in args.arch or list(ARCHES):
        a = ARCHES[arch]
        for machine in a.machines:
            if args.machine and machine not in args.machine:
                continue
            log(f"{arch}/{machine}: VMM floor x{args.runs}")
            fl = vmm_floor(arch, machine, runs=args.runs)
            results["floor"].append(fl)
            floor_rows.append((
                f"{arch}/{machine}", fl["format"], f"{fl['guest_bytes']} B",
                fmt_s(fl["time_to_line_s"]), fmt_s(fl["time_to_exit_s"]), fmt_s(fl["cpu_s"]),
                f"{fl['ok_runs']}/{fl['runs']}",
            ))
            for fmt in KERNEL_FORMATS[arch]:
                if args.kernel and fmt not in args.kernel:
                    continue
                mm = None
                try:
                    kernel = linux_kernel(arch, fmt)
                    log(f"{arch}/{machine}: Linux {kernel.name} ({fmt}) x{args.linux_runs}")
                    lt = linux_time_to_line(arch, machine, runs=args.linux_runs, kernel_format=fmt)
                    if not args.no_min_mem:
                        log(f"{arch}/{machine}: Linux ({fmt}) minimum memory (budget {args.min_mem_budget:.0f} s)")
                        mm = min_memory_linux(arch, machine, budget_s=args.min_mem_budget, kernel_format=fmt)
                except BaselineError as e:
                    log(f"{arch}/{machine}: Linux baseline ({fmt}) failed: {e}")
                    lt = {"arch": arch, "machine": machine, "kernel_format": fmt, "error": str(e)}
                results["linux"].append(lt)
                if mm:
                    results["linux_min_mem"].append(mm)
                linux_rows.append((
                    f"{arch}/{machine}", fmt,
                    fmt_s(lt.get("time_to_line_s")), fmt_s(lt.get("cpu_s")),
                    f"{lt.get('ok_runs', 0)}/{args.linux_runs}",
                    "-" if not mm or mm["min_mem_mb"] is None else
                    f"{mm['min_mem_mb']} MiB{'' if mm['exact'] else ' (bound)'}",
                    "-" if not mm else f"{mm['search_s']:.0f} s",
                ))
    _table(linux_rows, ("target", "Linux kernel", "to line (median)", "QEMU CPU", "ok", "min -m", "search"),
           "Linux to LINUX-INIT-HELLO (TCG)")
    _table(floor_rows, ("target", "floor guest", "size", "to line (median)", "to exit", "QEMU CPU", "ok"),
           "VMM floor: smallest guest that prints a line and exits (TCG)")
    results["host_after"] = {"loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}
    print(f"host load average before/after: {results['host']['loadavg_1_5_15']} / "
          f"{results['host_after']['loadavg_1_5_15']} on {os.cpu_count()} CPUs (TCG timings scale with it)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BaselineError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
