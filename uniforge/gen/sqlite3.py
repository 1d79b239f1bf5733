"""Generator `sqlite3`: SQLite's generated sources — the amalgamation
`sqlite3.c`, the header `sqlite3.h` and the shell's `shell.c` — made from
Debian's full source tree the way its Makefile.in does, with SQLite's own
tools.

This generator runs host programs (the one exception to "generators are
pure"; ARCHITECTURE.md "Generators"): `tclsh` (package `tcl`) for SQLite's
tcl scripts, and the host `gcc` for the helper programs SQLite compiles for
the build machine (lemon, the parser generator; mkkeywordhash; mksourceid).
They run only inside a scratch tree that holds nothing but the declared
inputs, copied at their paths relative to the source tree's root, so an
input the library.toml forgot fails the build instead of being read behind
ninja's back. Same inputs, same bytes: no step writes a date or a path.

The first input names the output (the tcl script that makes it):

- `tool/mksqlite3h.tcl` -> sqlite3.h (src/sqlite.h.in, VERSION, manifest:
  the source id, tool/mksourceid.c, the rtree and session headers);
- `tool/mksqlite3c.tcl` -> sqlite3.c: parse.c/parse.h (lemon -S on
  src/parse.y), keywordhash.h, opcodes.h/opcodes.c, fts5.c (lemon on
  fts5parse.y, then ext/fts5/tool/mkfts5c.tcl), vdbe.c through
  tool/vdbe-compress.tcl, the `tsrc/` folder of Makefile.in's `SRC` list
  (read from Makefile.in, so it follows the tree), then mksqlite3c.tcl
  without #line macros;
- `tool/mkshellc.tcl` -> shell.c (src/shell.c.in and what it INCLUDEs).

The source tree's root is the first input's grandparent. Grammar options
(`%ifdef SQLITE_OMIT_*` in parse.y) are not passed to lemon, as in Debian's
build: the generated code is the same for every configuration, and the
compile-time options (library.toml `defines`) do the rest.
"""
from __future__ import annotations

from pathlib import Path
import re
import shutil
import subprocess
import tempfile

from . import GenError

# In Makefile.in's SRC but never read by mksqlite3c.tcl: configure's
# sqlite_cfg.h (the amalgamation is configured by -D flags) and the shell.
_NOT_AMALGAMATED = {"sqlite_cfg.h", "shell.c"}
_MAKERS = {"mksqlite3h.tcl": "sqlite3.h", "mksqlite3c.tcl": "sqlite3.c", "mkshellc.tcl": "shell.c"}


def generate(text: str, source: str) -> str:
    raise GenError("the sqlite3 generator reads its inputs as files (generate_files)")


def generate_files(inputs: list[Path]) -> str:
    """The generated file's text. Raises GenError naming the step and the
    tool's own message when a step fails, or when a host tool is missing."""
    first = Path(inputs[0])
    if first.parent.name != "tool" or first.name not in _MAKERS:
        raise GenError(f"the first input must be one of tool/{', tool/'.join(_MAKERS)} "
                       f"(it names the output), not {first}")
    top = first.parent.parent
    for tool, package in (("tclsh", "tcl"), ("gcc", "gcc")):
        if shutil.which(tool) is None:
            raise GenError(f"'{tool}' is not installed: the sqlite3 generator needs it "
                           f"(apt-get install {package}, or ./dev setup)")
    with tempfile.TemporaryDirectory(prefix="uniforge-sqlite3-") as tmp:
        scratch = Path(tmp) / "top"
        for path in inputs:
            path = Path(path)
            try:
                rel = path.relative_to(top)
            except ValueError:
                raise GenError(f"input {path} is outside the source tree {top}") from None
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, scratch / rel)
        bld = Path(tmp) / "bld"
        bld.mkdir()
        return _STEPS[_MAKERS[first.name]](scratch, bld)


def _run(cmd: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    r = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True)
    if r.returncode != 0:
        msg = (r.stderr or r.stdout).decode(errors="replace").strip()
        raise GenError(f"`{' '.join(cmd)}` failed (status {r.returncode}): {msg[-2000:]}")
    return r.stdout


def _host_program(top: Path, bld: Path, name: str) -> str:
    """Compile tool/<name>.c for the build machine; returns its path."""
    _run(["gcc", "-O2", "-o", name, str(top / "tool" / f"{name}.c")], bld)
    return str(bld / name)


def _header(top: Path, bld: Path) -> str:
    _host_program(top, bld, "mksourceid")
    return _run(["tclsh", str(top / "tool/mksqlite3h.tcl"), str(top)], bld).decode()


def _makefile_src(top: Path) -> list[str]:
    """Makefile.in's `SRC = ...` and `SRC += ...` lists, in order, with
    $(TOP)/ removed (generated files have no prefix)."""
    text = (top / "Makefile.in").read_text().replace("\\\n", " ")
    files: list[str] = []
    for m in re.finditer(r"^SRC \+?= (.*)$", text, re.M):
        files += [w.removeprefix("$(TOP)/") for w in m.group(1).split()]
    if not files:
        raise GenError("no SRC list in Makefile.in")
    return files


def _amalgamation(top: Path, bld: Path) -> str:
    lemon = _host_program(top, bld, "lemon")
    tmpl = f"-T{top / 'tool/lempar.c'}"
    # Makefile.in: parse.c, keywordhash.h, opcodes.h/.c, fts5parse.c, fts5.c.
    shutil.copyfile(top / "src/parse.y", bld / "parse.y")
    _run([lemon, tmpl, "-S", "parse.y"], bld)
    mkkw = _host_program(top, bld, "mkkeywordhash")
    (bld / "keywordhash.h").write_bytes(_run([mkkw], bld))
    src = (bld / "parse.h").read_bytes() + (top / "src/vdbe.c").read_bytes()
    (bld / "opcodes.h").write_bytes(_run(["tclsh", str(top / "tool/mkopcodeh.tcl")], bld, src))
    (bld / "opcodes.c").write_bytes(_run(["tclsh", str(top / "tool/mkopcodec.tcl"), "opcodes.h"], bld))
    shutil.copyfile(top / "ext/fts5/fts5parse.y", bld / "fts5parse.y")
    _run([lemon, tmpl, "-S", "fts5parse.y"], bld)
    _run(["tclsh", str(top / "ext/fts5/tool/mkfts5c.tcl")], bld)
    shutil.copyfile(top / "ext/fts5/fts5.h", bld / "fts5.h")
    (bld / "sqlite3.h").write_text(_header(top, bld))
    # Makefile.in's .target_source: tsrc/ = SRC minus sqlite.h.in and
    # parse.y, vdbe.c compressed, fts5.c and fts5.h.
    tsrc = bld / "tsrc"
    tsrc.mkdir()
    for name in _makefile_src(top):
        if name in _NOT_AMALGAMATED:
            continue
        path = top / name if (top / name).exists() or "/" in name else bld / name
        if not path.is_file():
            raise GenError(f"Makefile.in's SRC names {name}, which is not among the inputs")
        shutil.copyfile(path, tsrc / Path(name).name)
    (tsrc / "sqlite.h.in").unlink()
    (tsrc / "parse.y").unlink()
    vdbe = _run(["tclsh", str(top / "tool/vdbe-compress.tcl")], bld, (tsrc / "vdbe.c").read_bytes())
    (tsrc / "vdbe.c").write_bytes(vdbe)
    for name in ("fts5.c", "fts5.h"):
        shutil.copyfile(bld / name, tsrc / name)
    _run(["tclsh", str(top / "tool/mksqlite3c.tcl"), "--linemacros=0"], bld)
    return (bld / "sqlite3.c").read_text()


def _shell(top: Path, bld: Path) -> str:
    return _run(["tclsh", str(top / "tool/mkshellc.tcl")], bld).decode()


_STEPS = {"sqlite3.h": _header, "sqlite3.c": _amalgamation, "shell.c": _shell}
