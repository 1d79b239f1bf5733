"""Shared by the python_* generators: load a script of CPython's own source
tree (Programs/, Tools/scripts/) as a module, and check that the Python
running the generator can write CPython 3.11's marshal format.

The marshal format and the bytecode belong to a minor version (3.11: magic
number 3495 from 3.11.0 on), so CPython's cross builds run these scripts
under a build Python of the same minor version (`--with-build-python`);
the tool's own Python is that build Python here.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from . import GenError

PYTHON_MINOR = (3, 11)

# CPython's frozen modules (Makefile.pre.in, FROZEN_FILES_IN, and getpath):
# module name, source in the tree.
FROZEN = (
    ("importlib._bootstrap", "Lib/importlib/_bootstrap.py"),
    ("importlib._bootstrap_external", "Lib/importlib/_bootstrap_external.py"),
    ("zipimport", "Lib/zipimport.py"),
    ("abc", "Lib/abc.py"),
    ("codecs", "Lib/codecs.py"),
    ("io", "Lib/io.py"),
    ("_collections_abc", "Lib/_collections_abc.py"),
    ("_sitebuiltins", "Lib/_sitebuiltins.py"),
    ("genericpath", "Lib/genericpath.py"),
    ("ntpath", "Lib/ntpath.py"),
    ("posixpath", "Lib/posixpath.py"),
    ("os", "Lib/os.py"),
    ("site", "Lib/site.py"),
    ("stat", "Lib/stat.py"),
    ("importlib.util", "Lib/importlib/util.py"),
    ("importlib.machinery", "Lib/importlib/machinery.py"),
    ("runpy", "Lib/runpy.py"),
    ("__hello__", "Lib/__hello__.py"),
    ("__phello__", "Lib/__phello__/__init__.py"),
    ("__phello__.ham", "Lib/__phello__/ham/__init__.py"),
    ("__phello__.ham.eggs", "Lib/__phello__/ham/eggs.py"),
    ("__phello__.spam", "Lib/__phello__/spam.py"),
    ("frozen_only", "Tools/freeze/flag.py"),
    ("getpath", "Modules/getpath.py"),
)


def module_name(source: Path) -> str:
    """The frozen module name of `source` (a path in the tree). Raises
    GenError for a file CPython does not freeze."""
    for name, rel in FROZEN:
        if source.as_posix().endswith("/" + rel):
            return name
    raise GenError(f"{source}: not one of CPython's frozen modules ("
                   + ", ".join(rel for _, rel in FROZEN) + ")")


def check_build_python() -> None:
    """Raises GenError unless this Python is 3.11 (any micro version)."""
    if sys.version_info[:2] != PYTHON_MINOR:
        raise GenError(f"freezing CPython {PYTHON_MINOR[0]}.{PYTHON_MINOR[1]}'s modules needs a "
                       f"Python {PYTHON_MINOR[0]}.{PYTHON_MINOR[1]} to run the tool (the marshal "
                       f"format is per minor version); this is {sys.version.split()[0]}")


def load_script(path: Path, name: str) -> ModuleType:
    """The tree's script at `path`, imported as module `name` (its folder
    first on sys.path, for the scripts that import their neighbours)."""
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def frozen_header(freeze: ModuleType, name: str, source: bytes) -> str:
    """The text Programs/_freeze_module.py writes for module `name`
    (its write_frozen(), to a string instead of a file)."""
    import io
    out = io.StringIO()
    out.write(freeze.header)
    out.write("\n")
    freeze.write_code(out, freeze.compile_and_marshal(name, source), freeze.get_varname(name, "_Py_M__"))
    return out.getvalue()
