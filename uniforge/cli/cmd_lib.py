"""uniforge lib ls: every micro-library, what it provides, its dependencies."""
import kconfiglib
from rich import box
from rich.table import Table

from .. import debsrc, os_root
from ..library import discover
from .common import add_json, out, print_json

HELP = "list the micro-libraries (lib ls)"


def add_arguments(p):
    p.add_argument("action", choices=["ls"], help="ls: list every library")
    add_json(p)


def _kconfig_facts(libs):
    """{symbol: (help line, {"depends on": str, "selects": [...], "implies": [...]})}
    read with kconfiglib from each library's own Config.uk."""
    import os
    import tempfile
    from ..targets import ALL_TARGET_SYMBOLS
    facts = {}
    with tempfile.TemporaryDirectory() as d:
        top = os.path.join(d, "Kconfig")
        with open(top, "w") as f:
            for sym in ALL_TARGET_SYMBOLS:
                f.write(f"config {sym}\n\tbool\n")
            f.write(f'source "{os_root() / "Config.uk"}"\n')
            for lib in libs.values():
                if lib.config_file:
                    f.write(f'source "{lib.config_file}"\n')
        kconf = kconfiglib.Kconfig(top, warn_to_stderr=False)
    for lib in libs.values():
        sym = kconf.syms.get(lib.symbol)
        if sym is None or not sym.nodes:
            facts[lib.symbol] = ("", {})
            continue
        node = sym.nodes[0]
        help_line = (node.help or "").strip().splitlines()[0] if node.help else ""
        dep = kconfiglib.expr_str(sym.direct_dep)
        facts[lib.symbol] = (help_line, {
            "depends on": "" if dep == "y" else dep,
            "selects": [kconfiglib.expr_str(s) for s, _ in sym.selects],
            "implies": [kconfiglib.expr_str(s) for s, _ in sym.implies]})
    return facts


def _source(lib) -> str:
    """'in-tree', or the Debian source package and whether it is in the cache."""
    if lib.debian is None:
        return "in-tree"
    state = "cached" if debsrc.is_cached(lib.debian) else "not cached"
    return f"debian {lib.debian.package} {lib.debian.version} ({state})"


def _deps_text(d: dict) -> str:
    parts = []
    if d.get("depends on"):
        parts.append("depends on " + d["depends on"])
    for k in ("selects", "implies"):
        if d.get(k):
            parts.append(f"{k} " + ", ".join(d[k]))
    return "; ".join(parts)


def run(args):
    libs = discover(os_root())
    facts = _kconfig_facts(libs)
    ordered = sorted(libs.values(), key=lambda lb: ({"arch": 0, "plat": 1, "drivers": 2, "lib": 3}[lb.kind], lb.name))
    rows = []
    for lib in ordered:
        help_line, deps = facts.get(lib.symbol, ("", {}))
        rows.append({"name": lib.name, "kind": lib.kind, "provides": lib.provides,
                     "option": "CONFIG_" + lib.symbol, "description": lib.summary or help_line,
                     "depends_on": deps.get("depends on", ""), "selects": deps.get("selects", []),
                     "implies": deps.get("implies", []), "path": str(lib.path),
                     "source": _source(lib)})
    if args.json:
        print_json(rows)
        return 0
    # Readable at 80 columns: names never cut; the option and dependencies
    # go under the description instead of in columns of their own.
    t = Table(title=f"micro-libraries in {os_root()}", box=box.SIMPLE_HEAD, pad_edge=False,
              title_justify="left")
    t.add_column("library", no_wrap=True)
    t.add_column("kind", no_wrap=True)
    t.add_column("provides", no_wrap=True)
    t.add_column("description, option, dependencies", overflow="fold", ratio=1)
    for r in rows:
        deps = _deps_text({"depends on": r["depends_on"], "selects": r["selects"], "implies": r["implies"]})
        t.add_row(r["name"], r["kind"], r["provides"] or "-",
                  f"{r['description']}\n[dim]{r['option']}" + (f"; {deps}" if deps else "")
                  + ("" if r["source"] == "in-tree" else f"\n{r['source']}") + "[/]")
    out.print(t)
    return 0
