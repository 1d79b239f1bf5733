"""Kconfig in a library's flags (library.toml `defines`, `cflags`,
`ldflags`): an entry { value = ..., if = "EXPR" } is used only when the
expression holds, and `{CONFIG_NAME}` in a value is that int, hex or string
symbol's value. The resolved flags are part of a standalone library's
object-cache key. A symbol that does not exist, a bool, or one without a
value is an error at the library.toml line.

Real builds and runs (linuxu, no libc) of a fixture library in a copy of
the OS tree, with an object cache of their own.
"""
from __future__ import annotations

import shutil

import pytest

from conftest import REPO, uniforge

CONFIG_UK = """\
config LIBFLAGDEMO
	bool "flagdemo"
if LIBFLAGDEMO
config LIBFLAGDEMO_COUNT
	int "count"
	default 7
config LIBFLAGDEMO_MASK
	hex "mask"
	default 0x30
config LIBFLAGDEMO_NAME
	string "name"
	default "abc"
config LIBFLAGDEMO_EXTRA
	bool "extra"
endif
config FLAGDEMO_NEEDS_EXTRA
	int "only with extra"
	depends on LIBFLAGDEMO_EXTRA
	default 3
"""

TOML = """\
name = "flagdemo"
standalone = true
sources = ["demo.c"]
defines = [
  "DEMO_COUNT={CONFIG_LIBFLAGDEMO_COUNT}",
  "DEMO_MASK={CONFIG_LIBFLAGDEMO_MASK}",
  'DEMO_NAME="{CONFIG_LIBFLAGDEMO_NAME}"',
  { value = "DEMO_EXTRA=100", if = "LIBFLAGDEMO_EXTRA" },
  { value = "DEMO_NO_EXTRA", if = "!LIBFLAGDEMO_EXTRA" },
]
cflags = [{ value = "-DDEMO_CFLAG={CONFIG_FLAGDEMO_NEEDS_EXTRA}", if = "LIBFLAGDEMO_EXTRA" }]
"""

DEMO_C = """\
#ifndef DEMO_EXTRA
#define DEMO_EXTRA 0
#ifndef DEMO_NO_EXTRA
#error "neither branch"
#endif
#endif
#ifndef DEMO_CFLAG
#define DEMO_CFLAG 0
#endif
int demo(void) { return DEMO_COUNT + DEMO_MASK + (int)sizeof(DEMO_NAME) - 1 + DEMO_EXTRA + DEMO_CFLAG; }
"""

APP = """\
name: flags
targets: [linuxu/x86_64]
libraries: [flagdemo]
kconfig: {CONFIG_LIBC_NONE: y}
"""

MAIN = "int demo(void);\nint main(void) { return demo(); }\n"


@pytest.fixture
def setup(tmp_path, make_app):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    lib = root / "lib" / "flagdemo"
    lib.mkdir()
    (lib / "Config.uk").write_text(CONFIG_UK)
    (lib / "library.toml").write_text(TOML)
    (lib / "demo.c").write_text(DEMO_C)
    env = {"UNIFORGE_OS": str(root), "UNIFORGE_CACHE": str(tmp_path / "cache")}
    return env, lib, make_app(APP, MAIN), tmp_path / "cache" / "obj" / "flagdemo"


def test_conditions_and_values_reach_the_compiler_and_the_key(setup):
    env, lib, app, stored = setup
    r = uniforge("run", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 7 + 0x30 + 3, r.text                 # defaults; the extra entries left out
    assert len(list(stored.glob("*.o"))) == 1
    sets = ["--set", "CONFIG_LIBFLAGDEMO_EXTRA=y", "--set", "CONFIG_LIBFLAGDEMO_COUNT=9",
            "--set", "CONFIG_LIBFLAGDEMO_NAME=abcde"]
    r = uniforge("run", app, "-t", "linuxu/x86_64", *sets, env=env)
    assert r.rc == 9 + 0x30 + 5 + 100 + 3, r.text       # both conditional entries, new values
    assert len(list(stored.glob("*.o"))) == 2           # other flags: another key
    r = uniforge("run", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 58, r.text
    assert len(list(stored.glob("*.o"))) == 2           # the first key again: a hit


@pytest.mark.parametrize("entry, why", [
    ('"DEMO_X={CONFIG_LIBFLAGDEMO_COUNTT}"', "no Kconfig file defines it"),
    ('"DEMO_X={CONFIG_LIBFLAGDEMO_EXTRA}"', "it is a bool"),
    ('"DEMO_X={CONFIG_FLAGDEMO_NEEDS_EXTRA}"', "it has no value (its dependencies are not met)"),
])
def test_a_symbol_that_cannot_be_substituted_is_an_error_at_its_line(setup, entry, why):
    env, lib, app, _ = setup
    (lib / "library.toml").write_text(TOML.replace("defines = [\n", f"defines = [\n  {entry},\n"))
    r = uniforge("build", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 1, r.text
    name = entry.split("{")[1].split("}")[0]
    assert f"{lib / 'library.toml'}:5: 'defines' entry 'DEMO_X={{{name}}}': {{{name}}} cannot be " \
           f"substituted: {why}" in r.err, r.err
    assert "hint:" in r.err


def test_a_bad_flag_entry_is_an_error(setup):
    env, lib, app, _ = setup
    (lib / "library.toml").write_text(TOML.replace('"DEMO_COUNT={CONFIG_LIBFLAGDEMO_COUNT}"',
                                                   '{ value = "X", when = "Y" }'))
    r = uniforge("build", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 1 and "bad 'defines' entry" in r.err and "{ value = " in r.err, r.text
