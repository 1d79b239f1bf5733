"""`python -m uniforge.gen GENERATOR INPUT... OUTPUT`: run one generator
(see __init__.py); several inputs are read as one text, in order. Run by Ninja, not by people: errors go to stderr as
`INPUT:LINE: error: message`, exit status 1. The output is replaced
atomically, so an interrupted run never leaves half a file for the compiler,
and only when its text changes.
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

from . import GenError, generator_module
from ..errors import UserError


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        sys.stderr.write("usage: python -m uniforge.gen GENERATOR INPUT... OUTPUT\n")
        return 2
    name, srcs, out = argv[0], argv[1:-1], argv[-1]
    src = srcs[0]
    try:
        generator_module(name)
    except UserError as e:
        sys.stderr.write(f"{src}: error: {e}\n")
        return 1
    mod = importlib.import_module(f"uniforge.gen.{name}")
    try:
        if hasattr(mod, "generate_files"):     # reads its inputs itself (see __init__.py)
            text = mod.generate_files([Path(s) for s in srcs])
        else:
            text = "".join(Path(s).read_text() for s in srcs)
            text = mod.generate(text, src)
    except OSError as e:
        sys.stderr.write(f"{src}:1: error: cannot read the generator input: {e.strerror}\n")
        return 1
    except GenError as e:
        sys.stderr.write(f"{src}:{e.line or 1}: error: {e} (generator {name})\n")
        return 1
    dest = Path(out)
    if dest.is_file() and dest.read_text() == text:
        return 0          # unchanged: keep the timestamp (the Ninja rule has restat)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    tmp.replace(dest)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
