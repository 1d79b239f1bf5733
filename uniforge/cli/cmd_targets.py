"""uniforge targets: the targets and whether this machine can run them.
The table stays readable at 80 columns (names never cut, reasons as notes
under it); --json gives every fact for scripts."""
import platform
import shutil

from rich import box
from rich.table import Table

from ..runner import accel
from ..targets import TARGETS
from .common import add_json, out, print_json

HELP = "list targets and whether this machine can build and run them"


def add_arguments(p):
    add_json(p)


def facts() -> list[dict]:
    """One dict per target: what it is and what this machine can do with it."""
    host = platform.machine()
    rows = []
    for tgt in TARGETS.values():
        tc = tgt.arch.toolchain()
        row = {"name": tgt.name, "arch": tgt.arch.name, "machine": tgt.machine or tgt.runner,
               "summary": tgt.summary, "toolchain": tc.tool("gcc"),
               "toolchain_installed": shutil.which(tc.tool("gcc")) is not None,
               "toolchain_package": tc.package, "default_memory_mb": tgt.default_memory_mb,
               "min_memory_mb": tgt.min_memory_mb, "fixed_memory_mb": tgt.fixed_memory_mb,
               "nic": tgt.nic or None, "no_nic": tgt.no_nic}
        if tgt.runner == "none":
            row.update(can_run=False, why_not=tgt.cannot_run, accel=None, accel_reason="")
        elif tgt.runner == "linuxu":
            ok = host == "x86_64"
            row.update(can_run=ok, why_not="" if ok else "needs an x86_64 Linux host",
                       accel="native", accel_reason="a Linux process")
        else:
            q = shutil.which(tgt.arch.qemu)
            a, why = accel.choose(None, tgt.arch.name, host)
            row.update(can_run=q is not None,
                       why_not="" if q else f"{tgt.arch.qemu} missing: apt install {tgt.arch.qemu_package}",
                       accel=a, accel_reason=why)
        rows.append(row)
    return rows


def run(args):
    rows = facts()
    if args.json:
        print_json(rows)
        return 0
    t = Table(title="uniforge targets", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("target", no_wrap=True)
    t.add_column("machine", no_wrap=True)
    t.add_column("build", no_wrap=True)
    t.add_column("run", no_wrap=True)
    t.add_column("accel", no_wrap=True)
    t.add_column("description", overflow="fold", ratio=1)
    notes: list[str] = []

    def note(text: str) -> str:
        if text not in notes:
            notes.append(text)
        return f"[{notes.index(text) + 1}]"

    for r in rows:
        build = "[green]yes[/]" if r["toolchain_installed"] else \
            "[red]no[/] " + note(f"apt install {r['toolchain_package']}")
        can = "[green]yes[/]" if r["can_run"] else "[red]no[/] " + note(r["why_not"])
        acc = "-" if r["accel"] is None else f"{r['accel']} " + note(f"{r['accel']}: {r['accel_reason']}") \
            if r["accel"] != "native" else "native"
        t.add_row(r["name"], r["machine"], build, can, acc, r["summary"])
    out.print(t)
    for i, text in enumerate(notes, 1):
        out.print(f"[{i}] {text}", markup=False)
    return 0
