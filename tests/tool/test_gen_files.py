"""Generators that read their inputs as files and run host programs
(`generate_files`, uniforge/gen/sqlite3.py), and glob patterns in a
[[generate]] entry's `input`. A fake SQLite tree whose tool/mkshellc.tcl
is a three-line tcl script stands in for Debian's (the real one is built
and booted by tests/apps/test_sqlite3.py)."""
from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from uniforge.gen import GenError
from uniforge.gen import sqlite3 as gen_sqlite3
from conftest import REPO, uniforge

# mkshellc.tcl's job in miniature: src/part*.h then src/shell.c.in,
# concatenated, read from the tree next to the script.
MKSHELLC = """\
set top [file dir [file dir [file normal $argv0]]]
foreach f [lsort [glob -nocomplain $top/src/part*.h]] { set p [open $f]; puts -nonewline [read $p] }
set in [open $top/src/shell.c.in]
puts -nonewline [read $in]
"""
SHELL_IN = """\
#include <uk/plat.h>
int main(void)
{
\tukplat_cout(WORD, sizeof(WORD) - 1);
\treturn 0;
}
"""


def fake_tree(root: Path, word: str = "generated") -> Path:
    (root / "tool").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "tool" / "mkshellc.tcl").write_text(MKSHELLC)
    (root / "src" / "shell.c.in").write_text(SHELL_IN)
    (root / "src" / "part1.h").write_text(f'#define WORD "{word}"\n')
    return root


def test_generate_files_runs_the_tool_on_the_declared_inputs(tmp_path):
    top = fake_tree(tmp_path / "top")
    out = gen_sqlite3.generate_files([top / "tool/mkshellc.tcl", top / "src/shell.c.in", top / "src/part1.h"])
    assert out == '#define WORD "generated"\n' + SHELL_IN


def test_an_undeclared_input_is_not_there_for_the_tool(tmp_path):
    # part1.h exists in the tree but is not declared: the scratch tree the
    # tool runs in does not have it, so the output lacks it.
    top = fake_tree(tmp_path / "top")
    out = gen_sqlite3.generate_files([top / "tool/mkshellc.tcl", top / "src/shell.c.in"])
    assert out == SHELL_IN
    (top / "src/shell.c.in").unlink()
    with pytest.raises(GenError, match=r"mkshellc\.tcl.*failed \(status 1\): couldn't open .*shell\.c\.in"):
        gen_sqlite3.generate_files([top / "tool/mkshellc.tcl"])


def test_the_first_input_must_name_the_output(tmp_path):
    top = fake_tree(tmp_path / "top")
    with pytest.raises(GenError, match=r"the first input must be one of tool/mksqlite3h\.tcl"):
        gen_sqlite3.generate_files([top / "src/shell.c.in"])


LIB_TOML = """\
name = "gendemo"
provides_main = true
[[generate]]
generator = "sqlite3"
input = ["tool/mkshellc.tcl", "src/*.in", "src/part*.h"]
output = "shell.c"
"""


@pytest.fixture
def os_tree(tmp_path):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    return root


def test_glob_inputs_reach_the_generator_and_its_output_is_compiled(os_tree, make_app):
    lib = fake_tree(os_tree / "lib" / "gendemo")
    (lib / "library.toml").write_text(LIB_TOML)
    (lib / "Config.uk").write_text('config LIBGENDEMO\n\tbool "gendemo"\n')
    app = make_app(textwrap.dedent("""\
        name: gen
        targets: [linuxu/x86_64]
        libraries: [gendemo]
        kconfig: {CONFIG_LIBC_NONE: y}
        """), "")
    (app / "main.c").unlink()
    env = {"UNIFORGE_OS": str(os_tree)}
    r = uniforge("run", app, "-t", "linuxu/x86_64", env=env)
    assert (r.rc, r.out) == (0, "generated"), r.text
    ninja = (app / ".uniforge/build/linuxu-x86_64/build.ninja").read_text().replace("$\n    ", "")
    gen_line = next(line for line in ninja.splitlines() if line.startswith("build gen/gendemo/shell.c:"))
    assert gen_line.index("tool/mkshellc.tcl") < gen_line.index("src/shell.c.in") < gen_line.index("src/part1.h")
    # a new file matching a glob is an input of the next build
    (lib / "src" / "part2.h").write_text("#undef WORD\n#define WORD \"globbed\"\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", env=env)
    assert (r.rc, r.out) == (0, "globbed"), r.text
    # a glob matching nothing is an error naming the library.toml
    (lib / "library.toml").write_text(LIB_TOML.replace("src/*.in", "src/*.nothing"))
    r = uniforge("build", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 1 and f"{lib / 'library.toml'}: 'src/*.nothing' matches no file" in r.err, r.err
