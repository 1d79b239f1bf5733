"""uniforge targets: the targets and whether this machine can run them."""
import platform
import shutil

from rich.table import Table

from ..runner import accel
from ..targets import TARGETS
from .common import out

HELP = "list targets and whether this machine can build and run them"


def add_arguments(p):
    pass


def run(args):
    host = platform.machine()
    t = Table(title="uniforge targets")
    for col in ("target", "machine", "toolchain", "run here", "accel", "description"):
        t.add_column(col)
    for tgt in TARGETS.values():
        tc = tgt.arch.toolchain()
        has_cc = shutil.which(tc.tool("gcc")) is not None
        cc = "[green]yes[/]" if has_cc else f"[red]no[/] (apt install {tc.package})"
        if tgt.runner == "none":
            can, acc = "[yellow]no[/]: " + tgt.cannot_run, "-"
        elif tgt.runner == "linuxu":
            ok = host == "x86_64"
            can, acc = ("[green]yes[/]" if ok else "[red]no[/] (needs an x86_64 Linux host)"), "native"
        else:
            q = shutil.which(tgt.arch.qemu)
            can = "[green]yes[/]" if q else f"[red]no[/] (apt install {tgt.arch.qemu_package})"
            a, why = accel.choose(None, tgt.arch.name, host)
            acc = f"{a} ({why})"
        t.add_row(tgt.name, tgt.machine or tgt.runner, cc, can, acc, tgt.summary)
    out.print(t)
    return 0
