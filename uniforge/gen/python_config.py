"""Generator `python_config`: CPython's Modules/config.c (the table of
built-in modules, `_PyImport_Inittab`) from the tree's Modules/config.c.in
and our list of modules (os/lib/python3/modules.toml), as CPython's
Modules/makesetup fills the two ADDMODULE markers: an `extern PyInit_<m>`
declaration and a `{"<m>", PyInit_<m>}` entry per module.

A module with a Kconfig symbol is inside `#ifdef CONFIG_<symbol>` (the
symbol selects its sources in library.toml, so the table and the link
agree). Pure: inputs are modules.toml, then config.c.in.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from . import GenError

MARKER1 = "/* -- ADDMODULE MARKER 1 -- */"
MARKER2 = "/* -- ADDMODULE MARKER 2 -- */"


def _modules(text: str) -> list[tuple[str, str | None]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise GenError(f"not valid TOML: {e}") from None
    out = []
    for i, item in enumerate(data.get("module", [])):
        name, sym = item.get("name"), item.get("kconfig")
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or \
                (sym is not None and not re.fullmatch(r"[A-Z][A-Z0-9_]*", str(sym))):
            raise GenError(f"[[module]] #{i + 1}: give name = \"<module>\" and optionally "
                           f"kconfig = \"LIBPYTHON3_<X>\"")
        out.append((name, sym))
    return out


def generate_files(inputs: list[Path]) -> str:
    if len(inputs) != 2:
        raise GenError("give input = [\"modules.toml\", \"debian:Modules/config.c.in\"]")
    mods = _modules(inputs[0].read_text())
    template = inputs[1].read_text()
    if MARKER1 not in template or MARKER2 not in template:
        raise GenError(f"{inputs[1]} has no ADDMODULE markers")

    def guarded(sym, line):
        return f"#ifdef CONFIG_{sym}\n{line}\n#endif" if sym else line

    decls = "\n".join(guarded(s, f"extern PyObject* PyInit_{m}(void);") for m, s in mods)
    entries = "\n".join(guarded(s, f'    {{"{m}", PyInit_{m}}},') for m, s in mods)
    return template.replace(MARKER1, decls + "\n" + MARKER1).replace(MARKER2, entries + "\n" + MARKER2)
