"""Arguments and helpers shared by several commands."""
from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, BarColumn, TextColumn, MofNCompleteColumn

from ..config import parse_set
from ..project import Project

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def add_app(p, *, target=True, sets=True):
    p.add_argument("app", nargs="?", default=".", help="application folder (default: .)")
    if target:
        p.add_argument("-t", "--target", help="TARGET such as qemu/x86_64 (default: the manifest's first)")
    if sets:
        p.add_argument("--set", action="append", default=[], metavar="CONFIG_X=V",
                       help="set a Kconfig value (repeatable)")


def project(args, persist_sets=False) -> Project:
    return Project(Path(args.app), getattr(args, "target", None),
                   sets=parse_set(getattr(args, "set", [])), persist_sets=persist_sets)


def build(proj: Project, jobs=None, quiet=False):
    """Build with a progress bar on a terminal, plain otherwise."""
    if quiet or not sys.stderr.isatty():
        return proj.build(jobs=jobs, progress=lambda *a: None)
    with Progress(TextColumn("[bold]building[/] {task.description}"), BarColumn(),
                  MofNCompleteColumn(), console=err, transient=True) as prog:
        task = prog.add_task(f"{proj.manifest.name} for {proj.target.name}", total=None)

        def cb(done, total, what):
            prog.update(task, completed=done, total=total)
        return proj.build(jobs=jobs, progress=cb)


def human_size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MiB"
