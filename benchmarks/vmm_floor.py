#!/usr/bin/env python3
"""The VMM's own floor: the smallest guest that prints one line and exits.

Whatever a unikernel does, it cannot beat QEMU starting up, loading an image,
and tearing down.  These guests (benchmarks/floor/*.S) do nothing else:

    x86_64  pc       multiboot ELF32 -> "FLOOR-HELLO" on the 16550 (0x3f8), out to isa-debug-exit (0xf4)
    x86_64  microvm  the same code with a PVH ELF note instead of the multiboot header
    arm64   virt     ELF at 0x40100000 -> PL011 (0x09000000), semihosting SYS_EXIT

    vmm_floor(arch, machine, runs=10) -> {time_to_line_s, time_to_exit_s (medians), ...}

As a script: python benchmarks/vmm_floor.py [--arch A] [--machine M] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from common import ARCHES, CACHE_DIR, FLOOR_DIR, BaselineError, check, fmt_s, get_arch, machine_target
from console_timing import run_console
from uniforge.runner.qemu import machine_args

FLOOR_MARKER = "FLOOR-HELLO"

# Boot format per (arch, machine): pc loads multiboot itself; microvm boots PVH.
DEFAULT_FORMAT = {("x86_64", "pc"): "multiboot", ("x86_64", "microvm"): "pvh", ("arm64", "virt"): "elf"}

# The devices that let the guest end QEMU (isa-debug-exit on x86, semihosting
# on arm64) come with the target's command line (uniforge/targets.py).
# The exit status QEMU returns when the guest exits as intended:
# isa-debug-exit with 0 -> (0 << 1) | 1 = 1; semihosting SYS_EXIT status 0 -> 0.
EXPECTED_EXIT = {"multiboot": 1, "pvh": 1, "elf": 0}


def build_floor(arch: str, fmt: str) -> Path:
    """Assemble and link the floor guest into benchmarks/cache/floor-<arch>-<fmt>.elf."""
    get_arch(arch)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    out = CACHE_DIR / f"floor-{arch}-{fmt}.elf"
    obj = out.with_suffix(".o")
    if arch == "x86_64":
        if fmt not in ("multiboot", "pvh"):
            raise BaselineError(f"x86_64 floor formats: multiboot, pvh (not {fmt!r})")
        src, lds = FLOOR_DIR / "floor_x86.S", FLOOR_DIR / "floor_x86.lds"
        cc = ["gcc", "-m32", f"-D{fmt.upper()}"]
        ld = ["ld", "-m", "elf_i386"]
    else:
        if fmt != "elf":
            raise BaselineError(f"arm64 floor format: elf (not {fmt!r})")
        src, lds = FLOOR_DIR / "floor_arm64.S", FLOOR_DIR / "floor_arm64.lds"
        cc = ["aarch64-linux-gnu-gcc"]
        ld = ["aarch64-linux-gnu-ld"]
    newest = max(src.stat().st_mtime, lds.stat().st_mtime)
    if out.exists() and out.stat().st_mtime >= newest:
        return out
    check([*cc, "-c", "-o", str(obj), str(src)], timeout=60)
    # -n: no page alignment, so the file is just headers + a few dozen bytes.
    check([*ld, "-n", "-nostdlib", "--build-id=none", "-s", "-T", str(lds), "-o", str(out), str(obj)],
           timeout=60)
    obj.unlink(missing_ok=True)
    return out


def floor_cmd(arch: str, machine: str, fmt: str | None = None, mem_mb: int | None = None) -> list[str]:
    """The uniforge runner's QEMU command line for the machine's target, with the floor guest."""
    a = get_arch(arch)
    target = machine_target(a, machine)
    fmt = fmt or DEFAULT_FORMAT.get((arch, machine))
    if fmt is None:
        raise BaselineError(f"no floor guest for {arch}/{machine}")
    image = build_floor(arch, fmt)
    return [*machine_args(target, "tcg", mem_mb), "-kernel", str(image)]


def vmm_floor(arch: str, machine: str, runs: int = 10, fmt: str | None = None, mem_mb: int | None = None,
              timeout: float = 20.0) -> dict:
    """Median wall time from VMM start to the floor guest's line, and to QEMU's exit, over ``runs`` runs."""
    fmt = fmt or DEFAULT_FORMAT.get((arch, machine))
    cmd = floor_cmd(arch, machine, fmt, mem_mb)
    image = Path(cmd[-1])
    samples = [run_console(cmd, FLOOR_MARKER, timeout=timeout, linger=timeout) for _ in range(runs)]
    lines = [s["time_to_line_s"] for s in samples if s["line_seen"]]
    exits = [s["time_to_exit_s"] for s in samples
             if s["time_to_exit_s"] is not None and s["exit_code"] == EXPECTED_EXIT[fmt]]

    def med(xs):
        return statistics.median(xs) if xs else None

    bad = [s for s in samples if not s["line_seen"] or s["exit_code"] != EXPECTED_EXIT[fmt]]
    return {
        "arch": arch, "machine": machine, "format": fmt, "runs": runs,
        "ok_runs": len(samples) - len(bad),
        "guest_bytes": image.stat().st_size,
        "time_to_line_s": med(lines),
        "time_to_line_min_s": min(lines) if lines else None,
        "time_to_exit_s": med(exits),
        "time_to_exit_min_s": min(exits) if exits else None,
        "cpu_s": med([s["cpu_s"] for s in samples]),
        "expected_exit_code": EXPECTED_EXIT[fmt],
        "exit_codes": sorted({s["exit_code"] for s in samples}, key=lambda c: (c is None, c)),
        "failure": None if not bad else (bad[0]["console_tail"] + bad[0]["stderr_tail"])[-600:],
        "cmd": cmd,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="VMM floor: smallest guest that prints a line and exits (TCG)")
    ap.add_argument("--arch", choices=list(ARCHES), action="append")
    ap.add_argument("--machine", action="append")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    out = []
    for arch in args.arch or list(ARCHES):
        for machine in ARCHES[arch].machines:
            if args.machine and machine not in args.machine:
                continue
            out.append(vmm_floor(arch, machine, runs=args.runs))
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    for r in out:
        print(f"{r['arch']}/{r['machine']:8} {r['format']:9} {r['guest_bytes']:4} B  "
              f"line {fmt_s(r['time_to_line_s']):>7}  exit {fmt_s(r['time_to_exit_s']):>7}  "
              f"cpu {fmt_s(r['cpu_s']):>7}  "
              f"({r['ok_runs']}/{r['runs']} ok)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BaselineError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
