"""uniforge size: the image's size broken down by micro-library."""
from rich.table import Table

from ..size import parse_map
from .common import add_app, project, build, out, human_size

HELP = "image size by micro-library (text/data/bss), largest first"


def add_arguments(p):
    add_app(p)


def run(args):
    proj = project(args)
    res = build(proj, quiet=True)
    rows = parse_map(res.map_file.read_text())
    t = Table(title=f"{proj.manifest.name} for {proj.target.name}: {res.image.name} "
                    f"= {res.image.stat().st_size} bytes on disk")
    for col in ("library", "text", "data", "bss", "total", "share"):
        t.add_column(col, justify="left" if col == "library" else "right")
    grand = sum(r.total for r in rows) or 1
    for r in rows:
        t.add_row(r.name, str(r.text), str(r.data), str(r.bss), str(r.total), f"{100 * r.total / grand:.1f}%")
    t.add_row("[bold]total[/]", *(f"[bold]{sum(getattr(r, k) for r in rows)}[/]" for k in ("text", "data", "bss")),
              f"[bold]{grand}[/]", "100%")
    out.print(t)
    return 0
