"""Generator `python_deepfreeze`: CPython 3.11's Python/deepfreeze/
deepfreeze.c, the frozen modules' code objects as static C data (no
unmarshalling at start-up), as CPython's Makefile makes it: each module
frozen by the tree's Programs/_freeze_module.py, then the tree's
Tools/scripts/deepfreeze.py over those headers, run by a build Python of
the same minor version (3.11; _python_tree).

Inputs (declared in library.toml, in this order): the tree's
Programs/_freeze_module.py, Tools/scripts/deepfreeze.py,
Tools/scripts/umarshal.py, Include/internal/pycore_global_strings.h, then
the modules' sources in MODULES' order. It reads nothing else:
deepfreeze.py asks Tools/scripts/generate_global_objects.py for the
interpreter's static strings, which that script finds by scanning every C
file of the tree; we answer from pycore_global_strings.h instead, the
header that script writes from the same scan and the C code compiles
against (the same identifiers and strings; tests/tool/test_gen_python.py
checks the parsing). Not pure like the other generators: it runs the
tree's scripts, and writes the frozen headers to a temporary folder for
deepfreeze.py to read, as the Makefile does.
"""
from __future__ import annotations

import io
import re
import sys
import tempfile
import types
from pathlib import Path

from . import GenError
from ._python_tree import FROZEN, check_build_python, frozen_header, load_script

# Makefile.pre.in's deepfreeze rule: every frozen module but getpath
MODULES = tuple((name, rel) for name, rel in FROZEN if name != "getpath")

SCRIPTS = ("_freeze_module.py", "deepfreeze.py", "umarshal.py", "pycore_global_strings.h")



def global_strings(header: str) -> tuple[set[str], dict[str, str]]:
    """What generate_global_objects.get_identifiers_and_strings() returns
    (identifiers; string literal -> name), from pycore_global_strings.h's
    STRUCT_FOR_ID(name) and STRUCT_FOR_STR(name, "literal") lines."""
    ids, strs = set(), {}
    for line in header.splitlines():
        if line.lstrip().startswith("#"):
            continue                      # the macros' own definitions
        if m := re.search(r"\bSTRUCT_FOR_ID\((\w+)\)", line):
            ids.add(m.group(1))
        elif m := re.search(r'\bSTRUCT_FOR_STR\((\w+), "(.*?)"\)', line):
            strs[m.group(2)] = m.group(1)
    if not ids:
        raise GenError("no STRUCT_FOR_ID(...) in pycore_global_strings.h")
    return ids, strs


def global_objects(header: str) -> types.ModuleType:
    """A stand-in for the tree's generate_global_objects module, for
    deepfreeze.py's import of get_identifiers_and_strings."""
    mod = types.ModuleType("generate_global_objects")
    ids, strs = global_strings(header)
    mod.get_identifiers_and_strings = lambda: (set(ids), dict(strs))
    return mod


def generate_files(inputs: list[Path]) -> str:
    check_build_python()
    scripts, sources = inputs[:len(SCRIPTS)], inputs[len(SCRIPTS):]
    if tuple(p.name for p in scripts) != SCRIPTS or len(sources) != len(MODULES) or \
            any(not p.as_posix().endswith("/" + rel) for p, (_, rel) in zip(sources, MODULES)):
        raise GenError("give input = the tree's " + ", ".join(SCRIPTS) + ", then "
                       + ", ".join(rel for _, rel in MODULES) + " (in that order)")
    freeze = load_script(scripts[0], "_uniforge_freeze_module")
    sys.modules["umarshal"] = load_script(scripts[2], "umarshal")
    sys.modules["generate_global_objects"] = global_objects(scripts[3].read_text())
    deepfreeze = load_script(scripts[1], "_uniforge_deepfreeze")
    with tempfile.TemporaryDirectory(prefix="uniforge-deepfreeze-") as tmp:
        args = []
        for (name, _), src in zip(MODULES, sources):
            header = Path(tmp) / f"{name}.h"
            header.write_text(frozen_header(freeze, name, src.read_bytes()))
            args.append(f"{header}:{name}")
        out = io.StringIO()
        deepfreeze.generate(args, out)
    return out.getvalue()
