"""uniforge fetch: fill the source cache with every Debian source package a
configuration needs (for CI, and before working offline).

    uniforge fetch [APP] [-t TARGET]   the app's targets (all of the manifest's, or -t)
    uniforge fetch --all               every library in the OS tree that has a [debian] table
"""
from pathlib import Path

from .. import debsrc, os_root
from ..library import discover
from ..project import Project
from ..config import parse_set
from .common import out

HELP = "download and unpack the Debian sources a build needs, into the cache"


def add_arguments(p):
    p.add_argument("app", nargs="?", default=".", help="application folder (default: .)")
    p.add_argument("-t", "--target", action="append",
                   help="only this target (repeatable; default: every target the manifest lists)")
    p.add_argument("--set", action="append", default=[], metavar="CONFIG_X=V",
                   help="a Kconfig value, as for build (repeatable)")
    p.add_argument("--all", action="store_true",
                   help="every external library of the OS tree, whatever the configuration")


def _report(results, seen):
    for r in results:
        if r.library in seen:
            continue
        seen.add(r.library)
        state = "cached" if r.was_cached else "fetched"
        # soft_wrap: a path is never broken across lines, whatever the width
        out.print(f"{r.library}: {r.source.package} {r.source.version} {state} -> {r.tree}", soft_wrap=True)


def run(args):
    seen: set[str] = set()
    if args.all:
        _report(debsrc.fetch_all(discover(os_root()).values()), seen)
    else:
        first = Project(Path(args.app), sets=parse_set(args.set))
        targets = args.target or first.manifest.targets or [first.target.name]
        for t in targets:
            proj = Project(Path(args.app), t, sets=parse_set(args.set))
            _report(proj.fetch(proj.configure()), seen)
    if not seen:
        out.print("no external sources needed" + ("" if args.all else " by this configuration"))
    out.print(f"cache: {debsrc.cache_root()}", soft_wrap=True)
    return 0
