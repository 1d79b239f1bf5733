"""Compiling OS sources the way the tool does, for host-side checks.

The guest flags come from the tool itself (uniforge.model.BASE_CFLAGS and
each architecture's flags in uniforge.targets), plus -Werror, so a host test
that "compiles with the guest flags" can never drift from the real build.
A missing compiler is a failure naming the Debian package, not a skip: the
README's setup installs every one of them.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ran_cases, registered_cases  # noqa: F401  (re-exported for host harnesses)
from uniforge.model import BASE_CFLAGS
from uniforge.targets import ARCHES

ROOT = Path(__file__).resolve().parents[2]
OS_INCLUDE = ROOT / "os" / "include"
ARCH_NAMES = sorted(ARCHES)


def require(program: str, package: str) -> str:
    """The program's path; fails the test (naming the package) if absent."""
    path = shutil.which(program)
    if not path:
        pytest.fail(f"{program} not found: install the Debian package {package} (./dev setup does)")
    return path


def guest_compiler(arch: str) -> tuple[str, list[str]]:
    """(gcc, flags) for compiling guest code of `arch`, exactly as the tool
    does but with -Werror and -Os."""
    a = ARCHES[arch]
    tc = a.toolchain()
    cc = require(tc.tool("gcc"), tc.package)
    inc = subprocess.run([cc, "-print-file-name=include"], check=True, capture_output=True,
                         text=True).stdout.strip()
    return cc, [*BASE_CFLAGS, "-Os", "-g", *a.cflags, "-Werror", "-isystem", inc, f"-I{OS_INCLUDE}"]


def compile_guest(arch: str, sources, *, out_dir: Path, libname: str, config: dict | str,
                  includes=()) -> list[Path]:
    """Compile each source to an object with the guest flags; returns them.
    `config` becomes the forced-included config header: a dict CONFIG_X →
    value, or the header's text."""
    cc, flags = guest_compiler(arch)
    header = out_dir / f"config-{arch}.h"
    header.write_text(config if isinstance(config, str) else
                      "".join(f"#define {k} {v}\n" for k, v in config.items()))
    objs = []
    for src in map(Path, sources):
        obj = out_dir / f"{arch}-{src.parent.name}-{src.name}.o"
        subprocess.run([cc, *flags, "-include", str(header), *[f"-I{i}" for i in includes],
                        f'-D__LIBNAME__="{libname}"', "-c", str(src), "-o", str(obj)], check=True)
        objs.append(obj)
    return objs


def guest_flags(arch: str) -> list[str]:
    """The guest flags alone (see guest_compiler)."""
    return guest_compiler(arch)[1]


def library_sources(lib_dir: Path, symbols: set[str]) -> tuple[list[Path], list[str]]:
    """(sources, cflags) of the library in lib_dir as the tool would build
    them with the Kconfig symbols in `symbols` set to y and every other one
    n: library.toml read by the tool's own parser, each `if` evaluated by
    its own Kconfig expression evaluator (uniforge.config.Config.enabled)."""
    import re
    import tempfile

    from uniforge.config import Config, load_kconfig
    from uniforge.library import parse

    lib = parse(Path(lib_dir))
    conds = [cf.cond for cf in lib.sources if cf.cond] + [f.cond for f in lib.cflags if f.cond]
    names = {n.removeprefix("CONFIG_") for c in conds for n in re.findall(r"\b[A-Z][A-Z0-9_]*\b", c)}
    with tempfile.TemporaryDirectory() as d:
        kfile = Path(d) / "Kconfig"
        kfile.write_text("".join(f"config {n}\n\tdef_bool {'y' if n in symbols else 'n'}\n"
                                 for n in sorted(names)))
        cfg = Config(load_kconfig(kfile), kfile)
        sources = [lib.path / cf.src for cf in lib.sources if cfg.enabled(cf.cond)]
        cflags = [f.value for f in lib.cflags if cfg.enabled(f.cond)]
    return sources, cflags

