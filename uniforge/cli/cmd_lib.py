"""uniforge lib ls: every micro-library, what it provides, its dependencies."""
import kconfiglib
from rich.table import Table

from .. import debsrc, os_root
from ..library import discover
from .common import out

HELP = "list the micro-libraries (lib ls)"


def add_arguments(p):
    p.add_argument("action", choices=["ls"], help="ls: list every library")


def _kconfig_facts(libs):
    """{symbol: (help line, depends/selects text)} read with kconfiglib from
    each library's own Config.uk."""
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
            facts[lib.symbol] = ("", "")
            continue
        node = sym.nodes[0]
        help_line = (node.help or "").strip().splitlines()[0] if node.help else ""
        deps = []
        dep = kconfiglib.expr_str(sym.direct_dep)
        if dep != "y":
            deps.append("depends on " + dep)
        sel = [kconfiglib.expr_str(s) for s, _ in sym.selects]
        if sel:
            deps.append("selects " + ", ".join(sel))
        imp = [kconfiglib.expr_str(s) for s, _ in sym.implies]
        if imp:
            deps.append("implies " + ", ".join(imp))
        facts[lib.symbol] = (help_line, "; ".join(deps))
    return facts


def _source(lib) -> str:
    """'in-tree', or the Debian source package and whether it is in the cache."""
    if lib.debian is None:
        return "in-tree"
    state = "cached" if debsrc.is_cached(lib.debian) else "not cached"
    return f"debian {lib.debian.package} {lib.debian.version} ({state})"


def run(args):
    libs = discover(os_root())
    facts = _kconfig_facts(libs)
    t = Table(title=f"micro-libraries in {os_root()}")
    for col in ("library", "kind", "provides", "option", "description", "dependencies", "source"):
        t.add_column(col, overflow="fold")
    for lib in sorted(libs.values(), key=lambda l: ({"arch": 0, "plat": 1, "lib": 2}[l.kind], l.name)):
        help_line, deps = facts.get(lib.symbol, ("", ""))
        t.add_row(lib.name, lib.kind, lib.provides, "CONFIG_" + lib.symbol,
                  lib.summary or help_line, deps or "-", _source(lib))
    out.print(t)
    return 0
