"""uniforge deps: which libraries the configuration selected, and why.
Given a Linux ELF program instead of an app folder: what it needs from
the kernel and the libraries its specialised kernel keeps (the report of
`uniforge specialize`, without the builds; cmd_specialize.py)."""
from pathlib import Path

import kconfiglib
from rich import box
from rich.table import Table

from ..errors import UserError
from . import cmd_specialize
from .common import add_json, project, out, print_json

HELP = "show the selected libraries and what pulled each one in (or what a Linux binary needs)"


def add_arguments(p):
    p.add_argument("app", nargs="?", default=".",
                   help="application folder (default: .), or a Linux program (an ELF file)")
    cmd_specialize.add_binary_arguments(p, positional=False)
    add_json(p)


def _is_binary(path: str) -> bool:
    p = Path(path)
    if not p.is_file():
        return False
    with open(p, "rb") as f:
        return f.read(4) == b"\x7fELF"


def run(args):
    if _is_binary(args.app):
        st, tr, sel, cmp = cmd_specialize.analyse(args, with_sizes=False)
        if args.json:
            print_json(cmd_specialize.as_json(st, tr, sel, cmp))
        else:
            cmd_specialize.print_report(st, tr, sel, cmp)
        return 0
    if args.trace or args.sysroot or args.args:
        raise UserError(f"{args.app}: --trace, --sysroot and arguments after -- are for a Linux binary, "
                        "not an app folder")
    proj = project(args)
    cfg = proj.configure()
    rows = []
    for lib in sorted(proj.libraries.values(), key=lambda l: l.name):
        if not cfg.enabled(lib.symbol):
            continue
        sym = cfg.kconf.syms[lib.symbol]
        why = []
        # only the selects and implies in force (`select X if C` of a library
        # that is off does not pull X in)
        for kind, dep in (("selected by", sym.rev_dep), ("implied by", sym.weak_rev_dep)):
            active = [kconfiglib.expr_str(term) for term in kconfiglib.split_expr(dep, kconfiglib.OR)
                      if kconfiglib.expr_value(term)]
            if active:
                why.append(f"{kind} " + " || ".join(active))
        if lib.symbol in proj.target.all_symbols:
            why.append(f"target {proj.target.name}")
        elif lib.symbol in {proj.libraries[n].symbol for n in proj.manifest.libraries}:
            why.append("listed in uniforge.yaml")
        elif not why:
            on_by_default = any(kconfiglib.expr_value(d) and kconfiglib.expr_value(c)
                                for d, c in sym.defaults)
            why.append("on by default" if on_by_default else "chosen in the configuration")
        rows.append({"library": lib.name, "option": "CONFIG_" + lib.symbol, "why": why})
    if args.json:
        print_json({"app": proj.manifest.name, "target": proj.target.name, "libraries": rows})
        return 0
    t = Table(title=f"{proj.manifest.name} for {proj.target.name}: selected libraries",
              box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("library", no_wrap=True)
    t.add_column("option", no_wrap=True)
    t.add_column("why", overflow="fold", ratio=1)
    for r in rows:
        t.add_row(r["library"], r["option"], "; ".join(r["why"]))
    out.print(t)
    return 0
