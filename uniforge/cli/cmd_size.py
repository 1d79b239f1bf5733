"""uniforge size: the image's size broken down by micro-library."""
from rich import box
from rich.table import Table

from .. import debsrc
from ..ltosize import text_by_library
from ..size import lto_text_ranges, parse_map, with_lto_text
from .common import add_app, add_json, project, build, out, print_json

HELP = "image size by micro-library (text/data/bss), largest first"


def add_arguments(p):
    add_app(p)
    add_json(p)


def run(args):
    proj = project(args)
    res = build(proj, quiet=True)
    text = res.map_file.read_text()
    rows = parse_map(text)
    ranges = lto_text_ranges(text)
    if ranges:      # LTO: the code by library from the .dbg's line table
        rows = with_lto_text(rows, text_by_library(res.image_dbg, ranges, _owner(proj, res.model)))
    on_disk = res.image.stat().st_size
    if args.json:
        print_json({"app": proj.manifest.name, "target": proj.target.name, "image": str(res.image),
                    "image_bytes": on_disk,
                    "libraries": [{"name": r.name, "text": r.text, "data": r.data, "bss": r.bss,
                                   "total": r.total} for r in rows]})
        return 0
    t = Table(title=f"{proj.manifest.name} for {proj.target.name}: {res.image.name} "
                    f"= {on_disk} bytes on disk", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("library", "text", "data", "bss", "total", "share"):
        t.add_column(col, justify="left" if col == "library" else "right", no_wrap=True)
    grand = sum(r.total for r in rows) or 1
    for r in rows:
        t.add_row(r.name, str(r.text), str(r.data), str(r.bss), str(r.total), f"{100 * r.total / grand:.1f}%")
    t.add_row("[bold]total[/]", *(f"[bold]{sum(getattr(r, k) for r in rows)}[/]" for k in ("text", "data", "bss")),
              f"[bold]{grand}[/]", "100%")
    out.print(t)
    return 0


def _owner(proj, model):
    """source path → the library it belongs to (its folder, its Debian
    tree, its gen/ folder, or the app), None if none. A standalone
    library's objects may come from the object cache, compiled in another
    checkout or build folder: then its folder (`.../lib/<name>/`) or
    generated sources (`.../gen/<name>/`) are recognised by name."""
    roots = [(str(lib.path), lib.name) for lib in proj.libraries.values()]
    roots += [(str(debsrc.tree_dir(proj.libraries[b.name].debian)), b.name) for b in model.libs
              if b.name in proj.libraries and proj.libraries[b.name].debian is not None]
    roots += [(str(proj.build_dir / "gen" / b.name), b.name) for b in model.libs]
    roots += [(str(proj.app_dir), "app" + proj.manifest.name)]
    roots.sort(key=lambda r: -len(r[0]))
    by_folder = {f"/{lib.path.relative_to(proj.os_root).as_posix()}/": lib.name
                 for lib in proj.libraries.values() if lib.path.is_relative_to(proj.os_root)}
    by_folder.update({f"/gen/{b.name}/": b.name for b in model.libs if b.name in proj.libraries})

    def owner(path: str) -> str | None:
        found = next((name for root, name in roots if path.startswith(root + "/")), None)
        if found is None:
            found = next((name for part, name in by_folder.items() if part in path), None)
        return found
    return owner
