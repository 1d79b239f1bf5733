"""Build-time generators: Python code that turns a declarative input in a
library's folder into a build input (a header or a source).

A library asks for one with `[[generate]]` in its library.toml; the Ninja
writer (ninja.py) adds a `gen` step running

    python -m uniforge.gen <generator> <input> <output>

with the input file and the generator's own module as dependencies, so
editing either regenerates the output and recompiles what includes it.

A generator is a module `uniforge/gen/<name>.py` with

    def generate(text: str, source: str) -> str

returning the output's whole text from the input's text (`source` is the
input's path, for messages). Bad input raises GenError with a line number;
`python -m uniforge.gen` prints it as `file:line: error: ...` (the form the
build's error report picks out) and exits 1. Generators are pure: no I/O,
no clock, so the same input always gives the same bytes.

A generator that must run a host program (sqlite3: tclsh and lemon) defines
instead

    def generate_files(inputs: list[Path]) -> str

and reads its inputs itself; it must read nothing but them (sqlite3.py
copies them into a scratch tree and runs its tools only there), and its
docstring says which programs it runs.
"""
from __future__ import annotations

from pathlib import Path
import re

from ..errors import UserError

GEN_DIR = Path(__file__).resolve().parent


class GenError(Exception):
    """Bad generator input: `line` is 1-based, or None for the whole file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def available() -> list[str]:
    return sorted(p.stem for p in GEN_DIR.glob("*.py") if not p.stem.startswith("_"))


def generator_module(name: str, where=None) -> Path:
    """The source file of generator `name`. Raises UserError (located at
    `where`, the library.toml) when there is no such generator."""
    path = GEN_DIR / f"{name}.py"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or not path.is_file():
        raise UserError(f"unknown generator '{name}'", path=where,
                        hint="generators are in uniforge/gen/: " + ", ".join(available()))
    return path
