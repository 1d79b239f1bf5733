"""Generator `python_deepfreeze`: CPython 3.11's Python/deepfreeze/
deepfreeze.c, the frozen modules' code objects as static C data (no
unmarshalling at start-up), as CPython's Makefile makes it: each module
frozen by the tree's Programs/_freeze_module.py, then the tree's
Tools/scripts/deepfreeze.py over those headers, run by a build Python of
the same minor version (3.11; _python_tree).

Inputs (declared in library.toml, in this order): the tree's
Programs/_freeze_module.py, Tools/scripts/deepfreeze.py,
Tools/scripts/umarshal.py, Tools/scripts/generate_global_objects.py, then
the modules' sources in MODULES' order. deepfreeze.py also reads the
tree's C sources for the names of the interpreter's static strings
(generate_global_objects.py, as in CPython's own build); the tree is fixed
by its Debian version and patches (the one read outside the inputs, as
CPython's own rule does: declaring its ~400 C files would change nothing).
Not pure like the other generators: it
runs the tree's scripts, and writes the frozen headers to a temporary
folder for deepfreeze.py to read, as the Makefile does.
"""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

from . import GenError
from ._python_tree import FROZEN, check_build_python, frozen_header, load_script

# Makefile.pre.in's deepfreeze rule: every frozen module but getpath
MODULES = tuple((name, rel) for name, rel in FROZEN if name != "getpath")

SCRIPTS = ("_freeze_module.py", "deepfreeze.py", "umarshal.py", "generate_global_objects.py")



def generate_files(inputs: list[Path]) -> str:
    check_build_python()
    scripts, sources = inputs[:len(SCRIPTS)], inputs[len(SCRIPTS):]
    if tuple(p.name for p in scripts) != SCRIPTS or len(sources) != len(MODULES) or \
            any(not p.as_posix().endswith("/" + rel) for p, (_, rel) in zip(sources, MODULES)):
        raise GenError("give input = the tree's " + ", ".join(SCRIPTS) + ", then "
                       + ", ".join(rel for _, rel in MODULES) + " (in that order)")
    freeze = load_script(scripts[0], "_uniforge_freeze_module")
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
