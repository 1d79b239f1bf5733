"""Host tests of os/lib/uklibparam: libparam.c plus parameter declarations
from two pretend libraries ("ukalloc", "app", each compiled with its own
__LIBNAME__ like the tool does), linked into a host program
(tests/host/uklibparam/harness.c) that parses its arguments and dumps the
parameter table.

The link variants check that the uk_libparam_tab section survives the way
the tool links: per-library `ld -r` objects and --gc-sections, relying only
on GNU ld's __start_/__stop_ symbols (no linker script entry).
"""
import subprocess
from pathlib import Path

import pytest

from guestcc import ARCH_NAMES, compile_guest, require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "lib" / "uklibparam"
HERE = Path(__file__).resolve().parent / "uklibparam"

HOST_FLAGS = ["-std=gnu11", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter",
              "-Werror", "-include", str(HERE / "config.h"),
              "-I", str(ROOT / "os" / "include"), "-I", str(LIB / "include")]
DEFAULTS = {
    "ukalloc.heap_kb": "256", "ukalloc.offset": "-1", "ukalloc.mask": "255",
    "app.verbose": "0", "app.level": "3", "app.name": "s:world",
    "app.greeting": "NULL",
}

# (library name, source)
UNITS = [("uklibparam", LIB / "libparam.c"),
         ("ukalloc", HERE / "params_ukalloc.c"),
         ("app", HERE / "params_app.c"),
         ("harness", HERE / "harness.c")]


def _cc(src, obj, libname, extra=()):
    subprocess.run(["gcc", *HOST_FLAGS, *extra, f'-D__LIBNAME__="{libname}"',
                    "-c", str(src), "-o", str(obj)], check=True)


def _build(tmp, variant):
    """variant: plain | gc (-ffunction/data-sections, --gc-sections, -Os) |
    ldr (as gc, plus one `ld -r` object per library, like the tool) |
    noparams (no library declares a parameter: the section does not exist)."""
    units = [u for u in UNITS if variant != "noparams" or u[0] in ("uklibparam", "harness")]
    extra = [] if variant == "plain" else ["-Os", "-ffunction-sections", "-fdata-sections",
                                           "-fno-pie"]
    objs = []
    for libname, src in units:
        obj = tmp / f"{libname}.o"
        _cc(src, obj, libname, extra)
        if variant == "ldr":
            lib_o = tmp / f"lib{libname}.o"
            subprocess.run(["ld", "-r", str(obj), "-o", str(lib_o)], check=True)
            obj = lib_o
        objs.append(obj)
    exe = tmp / "harness"
    link = ["gcc", *map(str, objs), "-o", str(exe)]
    if variant != "plain":
        link[1:1] = ["-no-pie", "-Wl,--gc-sections"]
    subprocess.run(link, check=True)
    return exe


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    require("gcc", "gcc")
    cache = {}

    def get(variant="plain"):
        if variant not in cache:
            cache[variant] = _build(tmp_path_factory.mktemp(variant), variant)
        return cache[variant]
    return get


def run(exe, *words):
    out = subprocess.run([str(exe), *words], capture_output=True, text=True,
                         check=True, timeout=30).stdout
    lines = out.splitlines()
    warnings = [l for l in lines if l.startswith(("WARN ", "OTHER "))]
    errors = next(int(l.split("=")[1]) for l in lines if l.startswith("errors="))
    values = dict(l.split("=", 1) for l in lines
                  if "=" in l and not l.startswith(("WARN ", "OTHER ", "errors=")))
    return errors, values, warnings


@pytest.mark.parametrize("variant", ["plain", "gc", "ldr"])
def test_table_survives_the_link(build, variant):
    errors, values, warnings = run(build(variant))
    assert (errors, warnings) == (0, [])
    assert values == DEFAULTS


def test_no_parameters_at_all_still_links(build):
    errors, values, warnings = run(build("noparams"), "app.verbose=1")
    assert errors == 1 and values == {}
    assert "no library app with parameters" in warnings[0]


@pytest.mark.parametrize("words,changed", [
    (["ukalloc.heap_kb=512"], {"ukalloc.heap_kb": "512"}),
    (["ukalloc.heap_kb=0x200"], {"ukalloc.heap_kb": "512"}),
    (["ukalloc.heap_kb=0X1F"], {"ukalloc.heap_kb": "31"}),
    (["ukalloc.heap_kb=+7"], {"ukalloc.heap_kb": "7"}),
    (["ukalloc.heap_kb=007"], {"ukalloc.heap_kb": "7"}),     # decimal, not octal
    (["ukalloc.heap_kb=4294967295"], {"ukalloc.heap_kb": "4294967295"}),
    (["ukalloc.offset=-9223372036854775808"], {"ukalloc.offset": "-9223372036854775808"}),
    (["ukalloc.offset=9223372036854775807"], {"ukalloc.offset": "9223372036854775807"}),
    (["ukalloc.offset=-0x10"], {"ukalloc.offset": "-16"}),
    (["ukalloc.mask=18446744073709551615"], {"ukalloc.mask": "18446744073709551615"}),
    (["ukalloc.mask=0xffffffffffffffff"], {"ukalloc.mask": "18446744073709551615"}),
    (["app.level=-2147483648"], {"app.level": "-2147483648"}),
    (["app.level=2147483647"], {"app.level": "2147483647"}),
    (["app.verbose=1"], {"app.verbose": "1"}),
    (["app.verbose=TRUE"], {"app.verbose": "1"}),
    (["app.verbose=on"], {"app.verbose": "1"}),
    (["app.verbose=yes", "app.verbose=off"], {"app.verbose": "0"}),   # last wins
    (["app.name=hello world"], {"app.name": "s:hello world"}),
    (["app.name="], {"app.name": "s:"}),
    (["app.name=a=b.c"], {"app.name": "s:a=b.c"}),          # first '=' splits
    (["app.greeting=hi", "ukalloc.heap_kb=1", "app.level=0"],
     {"app.greeting": "s:hi", "ukalloc.heap_kb": "1", "app.level": "0"}),
])
def test_sets_values(build, words, changed):
    errors, values, warnings = run(build(), *words)
    assert (errors, warnings) == (0, [])
    assert values == {**DEFAULTS, **changed}


@pytest.mark.parametrize("word,message", [
    ("ukalloc.heap_kb=-1", "must be an unsigned int"),
    ("ukalloc.heap_kb=4294967296", "must be an unsigned int"),
    ("ukalloc.heap_kb=", "must be an unsigned int"),
    ("ukalloc.heap_kb=12k", "must be an unsigned int"),
    ("ukalloc.heap_kb=0x", "must be an unsigned int"),
    ("ukalloc.heap_kb= 1", "must be an unsigned int"),
    ("ukalloc.heap_kb=-", "must be an unsigned int"),
    ("ukalloc.offset=9223372036854775808", "must be a long"),
    ("ukalloc.offset=-9223372036854775809", "must be a long"),
    ("ukalloc.mask=18446744073709551616", "must be an unsigned long"),
    ("ukalloc.mask=99999999999999999999999", "must be an unsigned long"),
    ("ukalloc.mask=-1", "must be an unsigned long"),
    ("app.level=2147483648", "must be an int"),
    ("app.level=1.5", "must be an int"),
    ("app.verbose=2", "must be a bool"),
    ("app.verbose=", "must be a bool"),
    ("app.verbose=yess", "must be a bool"),
    ("app.nosuch=1", "library app has no parameter nosuch"),
    ("app.Level=1", "library app has no parameter Level"),      # case matters
    ("ukallo.heap_kb=1", "no library ukallo with parameters"),
    ("ukalloc.heap_kb.x=1", "library ukalloc has no parameter heap_kb.x"),
    ("verbose=1", "not <library>.<parameter>=<value>"),
    ("app.verbose", "not <library>.<parameter>=<value>"),
    (".verbose=1", "not <library>.<parameter>=<value>"),
    ("app.=1", "not <library>.<parameter>=<value>"),
    ("=1", "not <library>.<parameter>=<value>"),
    ("", "not <library>.<parameter>=<value>"),
    ("hello", "not <library>.<parameter>=<value>"),
])
def test_bad_words_warn_and_go_on(build, word, message):
    errors, values, warnings = run(build(), word, "app.level=9")
    assert errors == 1
    assert values == {**DEFAULTS, "app.level": "9"}    # the next word still applies
    assert len(warnings) == 1
    assert warnings[0].startswith(f'WARN uklibparam: ignoring kernel argument "{word}": ')
    assert message in warnings[0]


def test_many_errors_are_counted(build):
    errors, values, _ = run(build(), "a", "b.c=1", "app.level=x", "app.level=5", "c")
    assert errors == 4 and values["app.level"] == "5"


def test_wrong_c_type_is_a_compile_error(tmp_path):
    src = tmp_path / "bad.c"
    src.write_text('#include <uk/libparam.h>\nstatic long x;\nUK_LIB_PARAM(x, int);\n')
    p = subprocess.run(["gcc", *HOST_FLAGS, '-D__LIBNAME__="bad"', "-c", str(src),
                        "-o", str(tmp_path / "bad.o")], capture_output=True, text=True)
    assert p.returncode != 0
    assert "UK_LIB_PARAM(x, int): the variable is not a int" in p.stderr


@pytest.mark.parametrize("arch", ARCH_NAMES)
def test_guest_flags_compile_warning_free(tmp_path, arch):
    compile_guest(arch, [LIB / s for s in ['libparam.c', 'tests/test_libparam.c']], out_dir=tmp_path,
                  libname="uklibparam",
                  config={'CONFIG_LIBUKDEBUG': 1, 'CONFIG_LIBUKDEBUG_PRINT_LEVEL': 5, 'CONFIG_LIBUKLIBPARAM': 1,
                          'CONFIG_LIBUKLIBPARAM_TESTS': 1},
                  includes=[LIB / "include", ROOT / "os" / "lib" / "uktest" / "include"])
