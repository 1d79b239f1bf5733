#!/usr/bin/env python3
"""uniforge benchmarks, each compared in the same run with its baseline:

- hello:     image size, guest boot time, VMM wall time to the hello line,
             smallest memory; against a Debian Linux kernel booting to a
             one-line init under the same QEMU, and the VMM's own floor;
- threads:   context switch and thread creation per scheduler, against
             pthreads in a Linux VM and on the host (bench_threads.py);
- idle:      host CPU per minute of a sleeping guest, against an idle Linux
             VM (bench_idle.py);
- pi:        a CPU-bound run, against the same program in a Linux VM and on
             the host (bench_pi.py);
- schedboot: hello's boot time with each scheduler (bench_schedboot.py);
- fileio:    10k small files and one 64 MiB file in ramfs, against tmpfs in
             a Linux VM and the host's /tmp (bench_fileio.py);
- syscall:   ns per syscall, native (uk_syscall) and trapped (syscall/svc),
             against the same instruction in a Linux VM and on the host
             (bench_syscall.py);
- libc:      hello's stripped image size and boot time on musl and on
             nolibc (bench_libc.py);
- net:       HTTP (wrk) req/s and latency, TCP bulk MB/s both ways, boot to
             the first HTTP answer, smallest memory serving 100 connections;
             against the same servers in a Linux VM and on the host
             (bench_net.py);
- apps:      issue 10's applications (sqlite3, lua5.4, nginx, redis,
             python3): image size with LTO, boot to ready, smallest
             memory, nginx/redis throughput; against Debian's own binaries
             in a Linux VM and on the host, and Unikraft's published
             figures (apps.py);
- binary:    issue 11's Debian binaries (busybox, sqlite3, lua5.4,
             python3.11, redis-server, nginx) in binary-compatibility mode,
             generic and --specialize kernels: boot to ready, smallest
             memory, redis/nginx throughput; against issue 10's from-source
             builds, a Linux VM and the host (binary.py).

    python benchmarks/run.py [--only hello,threads,idle,pi,schedboot,fileio,syscall,libc,net,apps,binary]
                             [--arch x86_64|arm64|all] [--quick]

Prints tables (rich) and writes benchmarks/results/<name>.json (hello:
bench.json). This is a benchmark, not a test: nothing here asserts a speed.
Every mode finishes and writes its JSON: what could not be measured is
recorded with its error, and listed at the end.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from uniforge.config import parse_set          # noqa: E402
from uniforge.errors import UserError          # noqa: E402
from uniforge.project import Project           # noqa: E402
from uniforge.runner import RunSpec, run       # noqa: E402
from console_timing import host_info           # noqa: E402

HELLO = REPO / "apps" / "helloworld"
HELLO_LINE = "Hello from uniforge!"
TARGETS = {
    "x86_64": [("qemu/x86_64", "pc"), ("microvm/x86_64", "microvm"), ("linuxu/x86_64", None)],
    "arm64": [("qemu/arm64", "virt"), ("raspi3b/arm64", "raspi3b"), ("zcu102/arm64", "xlnx-zcu102")],
}
ALLOCATORS = ["NONE", "REGION", "BUDDY"]
SUITES = ["hello", "threads", "idle", "pi", "schedboot", "fileio", "syscall", "libc", "net", "apps", "binary"]
# Where issue 7's benchmarks run ours (and, on the same machine, the Linux VM).
ISSUE7_TARGETS = {"x86_64": ["qemu/x86_64"], "arm64": ["qemu/arm64"]}
console = Console()


def build(target: str, sets=(), app: Path = HELLO) -> tuple[Project, object]:
    p = Project(app, target, sets=parse_set(list(sets)))
    return p, p.build(progress=lambda *a: None)


def image_sizes(target: str, app: Path = HELLO) -> dict:
    out = {}
    for alloc in ALLOCATORS:
        _, res = build(target, [f"CONFIG_UKBOOT_ALLOC_{alloc}=y"], app)
        out[alloc.lower()] = res.image.stat().st_size
    return out


def one_boot(p: Project, res, memory_mb=None, timeout=60.0) -> dict:
    """Boot once; wall time from starting the VMM to the hello line. A boot
    the runner refuses or QEMU cannot start (a UserError, such as qemu/arm64's
    "Not enough space for DTB" below its floor) is a failed boot with its
    message under "error", never an exception."""
    seen = {}
    t0 = time.monotonic()

    def write(s: str):
        if HELLO_LINE in s and "line" not in seen:
            seen["line"] = time.monotonic() - t0

    try:
        r = run(RunSpec(target=p.target, image=res.image, image_dbg=None, memory_mb=memory_mb,
                        timeout=timeout), write=write)
    except UserError as e:
        return {"ok": False, "to_line_s": None, "to_exit_s": time.monotonic() - t0, "boot_ns": None,
                "status": None, "error": str(e).splitlines()[0]}
    return {"ok": r.status == 0 and "line" in seen, "to_line_s": seen.get("line"),
            "to_exit_s": time.monotonic() - t0, "boot_ns": r.console.boot_ns, "status": r.status}


def boot_times(target: str, runs: int, app: Path = HELLO) -> dict:
    """Guest-internal boot time from a build that prints it (its clock
    calibration, ~10 ms, happens after the measurement but before main, so
    wall times come from the plain build)."""
    med = lambda xs: statistics.median(xs) if xs else None     # noqa: E731
    p, res = build(target, ["CONFIG_UKBOOT_SHOW_BOOTTIME=y"], app)
    timed = [b for b in (one_boot(p, res) for _ in range(runs)) if b["ok"]]
    p, res = build(target, [], app)
    plain = [b for b in (one_boot(p, res) for _ in range(runs)) if b["ok"]]
    return {
        "runs": runs, "ok_runs": min(len(timed), len(plain)),
        "guest_boot_us": med([b["boot_ns"] / 1000 for b in timed if b["boot_ns"] is not None]),
        "guest_boot_min_us": min((b["boot_ns"] / 1000 for b in timed if b["boot_ns"]), default=None),
        "to_line_ms": med([b["to_line_s"] * 1000 for b in plain]),
        "to_exit_ms": med([b["to_exit_s"] * 1000 for b in plain]),
    }


def min_memory(target: str, hi: int = 64, app: Path = HELLO, boot=one_boot) -> dict:
    """Smallest -m (MiB) with which hello still prints and exits 0: a binary
    search from the target's stated floor up to `hi`.

    Returns {"min_memory_mb": N or None, "min_memory_probes": [{mem_mb, ok,
    status | error}, ...]}; None when the machine's RAM is fixed, or when
    even `hi` fails (then "min_memory_note" says so). `boot` is one_boot
    (a parameter so the search can be tested without QEMU)."""
    p, res = build(target, [], app)
    if p.target.fixed_memory_mb:
        return {"min_memory_mb": None, "min_memory_probes": [],
                "min_memory_note": f"fixed at {p.target.fixed_memory_mb} MiB"}
    probes = []

    def ok(mem: int, timeout: float) -> bool:
        b = boot(p, res, memory_mb=mem, timeout=timeout)
        probe = {"mem_mb": mem, "ok": b["ok"]}
        probe.update({"error": b["error"]} if b.get("error") else {"status": b["status"]})
        probes.append(probe)
        return b["ok"]

    if not ok(hi, 60.0):
        return {"min_memory_mb": None, "min_memory_probes": probes,
                "min_memory_note": f"hello does not run even with {hi} MiB"}
    best = hi
    lo, high = p.target.min_memory_mb, hi - 1
    while lo <= high:
        mid = (lo + high) // 2
        if ok(mid, 20.0):
            best, high = mid, mid - 1
        else:
            lo = mid + 1
    return {"min_memory_mb": best, "min_memory_probes": probes}


def fmt(x, unit="", digits=1):
    if x is None:
        return "-"
    return f"{x:.{digits}f}{unit}" if isinstance(x, float) else f"{x}{unit}"


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default=",".join(SUITES),
                    help=f"comma-separated benchmarks to run, of: {','.join(SUITES)} (default: all)")
    ap.add_argument("--runs", type=int, default=10, help="boots per measurement (median)")
    ap.add_argument("--arch", choices=["x86_64", "arm64", "all"], default="all")
    ap.add_argument("--no-linux", action="store_true", help="hello: skip the Linux VM baseline (slow: ~5 s a boot)")
    ap.add_argument("--linux-runs", type=int, default=3)
    ap.add_argument("--samples", type=int, default=10000, help="threads: samples per figure (median; >= 10000)")
    ap.add_argument("--window", type=float, default=30.0, help="idle: seconds of measured idleness")
    ap.add_argument("--digits", type=int, default=10000, help="pi: digits")
    ap.add_argument("--reps", type=int, default=3, help="pi: repetitions (median)")
    ap.add_argument("--base", default="main",
                    help="schedboot: the git revision whose hello (no scheduler) boots in the same rounds")
    ap.add_argument("--net-boots", type=int, default=3, help="net: boots timed to the first HTTP answer (median)")
    ap.add_argument("--wrk-seconds", type=int, default=5, help="net: seconds of each wrk run")
    ap.add_argument("--bulk-mib", type=int, default=32, help="net: MiB sent each way in the bulk transfers")
    ap.add_argument("--net-mem-budget", type=float, default=120.0,
                    help="net: seconds each smallest-memory search may take (then the best bound so far)")
    ap.add_argument("--apps", default=None,
                    help="apps: comma-separated apps to measure (default: sqlite3,lua5.4,nginx,redis,python3)")
    ap.add_argument("--binaries", default=None,
                    help="binary: comma-separated binaries to measure "
                         "(default: busybox,sqlite3,lua5.4,python3,redis,nginx)")
    ap.add_argument("--quick", action="store_true",
                    help="a look in a few minutes: --runs 3, no Linux memory search, a 10 s idle window, "
                         "4000 digits of pi, no net memory search, 3 s wrk runs, 2 boots, 16 MiB bulk")
    args = ap.parse_args(argv)
    args.only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = [x for x in args.only if x not in SUITES]
    if unknown:
        ap.error(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    if args.samples < 10000:
        ap.error("--samples must be at least 10000 (the issue asks for medians of at least 10k)")
    if args.quick:
        args.runs, args.window, args.digits = 3, 10.0, 4000
        args.net_boots, args.wrk_seconds, args.bulk_mib = 2, 3, 16
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    arches = ["x86_64", "arm64"] if args.arch == "all" else [args.arch]
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    problems: list[str] = []
    if "hello" in args.only:
        results = hello_suite(args, arches)
        report(results)
        (out / "bench.json").write_text(json.dumps(results, indent=2, default=str))
        console.print(f"written {out / 'bench.json'}")
    targets = [t for a in arches for t in ISSUE7_TARGETS[a]]
    for name in [s for s in SUITES if s != "hello" and s in args.only]:
        mod = importlib.import_module(name if name in ("apps", "binary") else f"bench_{name}")
        info = host_info()
        if name in ("threads", "syscall"):
            res = mod.measure(targets, samples=args.samples)
        elif name == "idle":
            res = mod.measure(targets, window_s=args.window)
        elif name == "pi":
            res = mod.measure(targets, digits=args.digits, reps=args.reps)
        elif name == "fileio":
            res = mod.measure(targets, rounds=3 if args.quick else 5)
        elif name == "net":
            res = mod.measure([t for a in arches for t in mod.NET_TARGETS[a]], boots=args.net_boots,
                              wrk_seconds=args.wrk_seconds, bulk_mib=args.bulk_mib,
                              mem_budget_s=None if args.quick else args.net_mem_budget)
        elif name == "apps":
            # x86_64 only: the Linux VM's Debian binaries are amd64's
            res = mod.measure(apps=args.apps.split(",") if args.apps else None, quick=args.quick,
                              boots=2 if args.quick else 3, wrk_seconds=args.wrk_seconds,
                              redis_n=10000 if args.quick else 50000,
                              mem_budget_s=60.0 if args.quick else 120.0, floor_runs=3 if args.quick else 5)
        elif name == "binary":
            # x86_64 only, as apps; quick: one Linux VM boot each (~10 s), the
            # memory aim from one VM probe instead of its full search
            res = mod.measure(binaries=args.binaries.split(",") if args.binaries else None, quick=args.quick,
                              boots=2 if args.quick else 3, vm_boots=1 if args.quick else 3,
                              wrk_seconds=args.wrk_seconds, redis_n=10000 if args.quick else 50000,
                              mem_budget_s=45.0 if args.quick else 120.0, floor_runs=3 if args.quick else 5)
        else:
            res = mod.measure(targets, runs=args.runs, base=args.base)
        res["host"] = {**info, "loadavg_after": [round(x, 2) for x in os.getloadavg()]}
        for t in mod.tables(res):
            console.print(t)
        problems += mod.errors(res)
        path = out / f"{name}.json"
        path.write_text(json.dumps(res, indent=2, default=str))
        console.print(f"written {path}")
    try:
        import plots
        for png in plots.plot_all(out):
            console.print(f"plotted {png}")
    except ImportError as e:
        console.print(f"[dim]no plots ({e.name} missing: ./dev bench installs the bench extra)[/]")
    for p in problems:
        console.print(f"[yellow]not measured:[/] {p}")
    return 0


def hello_suite(args, arches) -> dict:
    results = {"host": {"machine": platform.machine(), "python": platform.python_version()},
               "uniforge": {}, "linux": {}, "floor": {}}

    for arch in arches:
        for target, _machine in TARGETS[arch]:
            console.print(f"[dim]measuring {target} ...[/]")
            row = {"size": image_sizes(target)}
            row.update(boot_times(target, args.runs))
            row.update(min_memory(target))
            results["uniforge"][target] = row

    import linux_baseline as lb
    import vmm_floor as vf
    for arch in arches:
        for target, machine in TARGETS[arch]:
            if machine is None or machine in ("raspi3b", "xlnx-zcu102"):
                continue
            try:
                results["floor"][target] = vf.vmm_floor(arch, machine, runs=args.runs)
            except Exception as e:                    # noqa: BLE001 — report, go on
                results["floor"][target] = {"error": str(e)}
            if args.no_linux:
                continue
            try:
                lin = lb.linux_time_to_line(arch, machine, runs=args.linux_runs)
                if arch == "x86_64":
                    # the same kernel unpacked and booted through PVH: Linux
                    # without its own decompression, as Firecracker boots it
                    lin["vmlinux"] = lb.linux_time_to_line(arch, machine, runs=args.linux_runs,
                                                           kernel_format="vmlinux")
                if not args.quick:
                    lin["min_memory"] = lb.min_memory_linux(arch, machine)
                results["linux"][target] = lin
            except Exception as e:                    # noqa: BLE001
                results["linux"][target] = {"error": str(e)}
    return results


def tables(results) -> list[Table]:
    """The report as tables that stay readable at 80 columns: target names
    are never cut, and the baselines get a table of their own instead of
    squeezing nine columns into one."""
    def table(title, cols):
        t = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
        t.add_column("target", no_wrap=True)
        for col in cols:
            t.add_column(col, justify="right", overflow="fold")
        return t

    sizes = table("Image size (stripped hello world, bytes) by heap allocator", [a.lower() for a in ALLOCATORS])
    for target, row in results["uniforge"].items():
        sizes.add_row(target, *(str(row["size"][a.lower()]) for a in ALLOCATORS))

    boot = table("uniforge boot (medians)", ["guest → main", "wall to line", "wall to exit", "min memory"])
    base = table("Baselines: wall time to the line (medians)",
                 ["VMM floor", "Linux", "Linux vmlinux PVH", "Linux min memory"])
    for target, row in results["uniforge"].items():
        fl = results["floor"].get(target, {})
        ln = results["linux"].get(target, {})
        lmem = (ln.get("min_memory") or {}).get("min_mem_mb") if isinstance(ln.get("min_memory"), dict) else None
        boot.add_row(target, fmt(row["guest_boot_us"], " µs"), fmt(row["to_line_ms"], " ms"),
                     fmt(row["to_exit_ms"], " ms"),
                     fmt(row["min_memory_mb"], " MiB", 0) if row["min_memory_mb"] else
                     "fixed" if "fixed" in row.get("min_memory_note", "") else "failed")
        base.add_row(target, fmt(fl.get("time_to_line_s") and fl["time_to_line_s"] * 1000, " ms"),
                     fmt(ln.get("time_to_line_s") and ln["time_to_line_s"] * 1000, " ms", 0),
                     fmt((ln.get("vmlinux") or {}).get("time_to_line_s") and ln["vmlinux"]["time_to_line_s"] * 1000,
                         " ms", 0),
                     fmt(lmem, " MiB", 0))
    return [sizes, boot, base]


def report(results):
    for t in tables(results):
        console.print(t)


if __name__ == "__main__":
    raise SystemExit(main())
