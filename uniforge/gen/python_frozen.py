"""Generator `python_frozen`: one of CPython's frozen modules,
Python/frozen_modules/<name>.h (the marshalled code object as a C array),
the way CPython's cross build makes it: the tree's own
Programs/_freeze_module.py run by a build Python of the same minor version.

Inputs (declared in library.toml): the tree's Programs/_freeze_module.py,
then the module's source. The module's name is the one CPython's Makefile
gives that source (_python_tree.FROZEN: `Lib/importlib/_bootstrap.py` is
`importlib._bootstrap`). Not pure like the other generators: it runs the
tree's script (it reads only its inputs), and needs Python 3.11.
"""
from __future__ import annotations

from pathlib import Path

from . import GenError
from ._python_tree import check_build_python, frozen_header, load_script, module_name


def generate_files(inputs: list[Path]) -> str:
    check_build_python()
    if len(inputs) != 2 or inputs[0].name != "_freeze_module.py":
        raise GenError("give input = [\"debian:Programs/_freeze_module.py\", <the module's .py>]")
    name = module_name(inputs[1])
    freeze = load_script(inputs[0], "_uniforge_freeze_module")
    try:
        return frozen_header(freeze, name, inputs[1].read_bytes())
    except SyntaxError as e:
        raise GenError(f"{inputs[1]}: {e}", e.lineno) from None
