"""Arguments and helpers shared by several commands."""
from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import Progress, BarColumn, TextColumn, MofNCompleteColumn

from ..config import parse_set
from ..project import Project

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def add_app(p, *, target=True, sets=True, app_help="application folder (default: .)"):
    p.add_argument("app", nargs="?", default=".", help=app_help)
    if target:
        p.add_argument("-t", "--target", help="TARGET such as qemu/x86_64 (default: the manifest's first)")
    if sets:
        p.add_argument("--set", action="append", default=[], metavar="CONFIG_X=V",
                       help="set a Kconfig value (repeatable)")


def project(args, persist_sets=False) -> Project:
    return Project(Path(args.app), getattr(args, "target", None),
                   sets=parse_set(getattr(args, "set", [])), persist_sets=persist_sets)


def add_json(p):
    p.add_argument("--json", action="store_true", help="print JSON (for scripts) instead of a table")


def print_json(value) -> None:
    sys.stdout.write(json.dumps(value, indent=2) + "\n")


def positive_float(text: str) -> float:
    """argparse type: a number of seconds > 0."""
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not v > 0:
        raise argparse.ArgumentTypeError(f"'{text}': must be more than 0 seconds")
    return v


def show_command(argv, env: dict | None = None) -> None:
    """With -v: one command uniforge runs, as a shell line (never folded),
    with the environment variables it adds."""
    line = argv if isinstance(argv, str) else shlex.join(map(str, argv))
    if env:
        line = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + line
    sys.stderr.write("$ " + line + "\n")
    sys.stderr.flush()


def build(proj: Project, jobs=None, quiet=False, verbose=False):
    """Build with a progress bar on a terminal, plain otherwise; with
    `verbose`, every compiler and linker command instead. Shows the
    compiler's warnings (unless quiet)."""
    if verbose:
        res = proj.build(jobs=jobs, progress=lambda done, total, what: show_command(what), verbose=True)
    elif quiet or not sys.stderr.isatty():
        res = proj.build(jobs=jobs, progress=lambda *a: None)
    else:
        with Progress(TextColumn("[bold]building[/] {task.description}"), BarColumn(),
                      MofNCompleteColumn(), console=err, transient=True) as prog:
            task = prog.add_task(f"{proj.manifest.name} for {proj.target.name}", total=None)

            def cb(done, total, what):
                prog.update(task, completed=done, total=total)
            res = proj.build(jobs=jobs, progress=cb)
    if res.warnings and not quiet:
        sys.stderr.write("\n".join(res.warnings) + "\n")
    return res


def human_size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB" if n < 1024 * 1024 else f"{n / 1048576:.1f} MiB"
