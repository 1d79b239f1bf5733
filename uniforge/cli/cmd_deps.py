"""uniforge deps: which libraries the configuration selected, and why."""
import kconfiglib
from rich import box
from rich.table import Table

from .common import add_app, add_json, project, out, print_json

HELP = "show the selected libraries and what pulled each one in"


def add_arguments(p):
    add_app(p)
    add_json(p)


def run(args):
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
