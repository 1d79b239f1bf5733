"""The object cache (uniforge/objcache.py) and the library.toml features
musl needs, on small fixture libraries in a copy of the OS tree:

- a standalone library is compiled once: a second app, in another folder,
  gets its object from the cache and compiles none of its sources; a
  changed flag, or a changed source, compiles it again under a new key;
- standalone libraries see no uk/config.h;
- `archive = true` links members only when needed, so a weak definition
  stays in force unless the strong one's file is needed;
- `replaces` drops the file an architecture-specific one replaces;
- generators read several inputs, one after the other.
"""
import json
import shutil
import textwrap

import pytest

from conftest import uniforge, REPO

APP = """\
name: {name}
targets: [linuxu/x86_64]
libraries: [cachedemo]
kconfig: {{CONFIG_LIBC_NONE: y}}
"""

CACHEDEMO = {
    "library.toml": """\
        name = "cachedemo"
        standalone = true
        archive = true
        includes = ["include"]
        sources = [
          "*.c",
          { src = "x86_64/*.c", replaces = "../{stem}.c", if = "ARCH_X86_64" },
        ]

        [[generate]]
        generator = "musl_alltypes"
        input = ["types-arch.in", "types.in"]
        output = "bits/types.h"
        export = true
        """,
    "include/cachedemo.h": "int answer(void);\nint weak_or_strong(void);\nint generic_or_arch(void);\n",
    "types-arch.in": "TYPEDEF long demo_long;\n",
    "types.in": "TYPEDEF unsigned demo_unsigned;\n",
    # __has_include: standalone units must not see the image's config header
    "answer.c": """\
        #if defined(CONFIG_LIBCACHEDEMO) || defined(CONFIG_ARCH_X86_64)
        #error "a standalone library saw uk/config.h"
        #endif
        int answer(void) { return 40; }
        """,
    # members are searched in the archive's order: the dummy's file first,
    # as in musl (src/thread/__syscall_cp.c before pthread_cancel.c)
    "dummy.c": """\
        static int dummy(void) { return 1; }
        int weak_or_strong(void) __attribute__((weak, alias("dummy")));
        """,
    "real.c": "int weak_or_strong(void) { return 100; }\nint pull_strong;\n",
    "generic.c": "int generic_or_arch(void) { return 1000; }\n",
    "x86_64/generic.c": "int generic_or_arch(void) { return 2; }\n",
}

MAIN = """\
#define __NEED_demo_long
#include <bits/types.h>
#include <cachedemo.h>
int main(void) { demo_long l = 0; return answer() + weak_or_strong() + generic_or_arch() + (int)l; }
"""


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    lib = root / "lib" / "cachedemo"
    for rel, text in CACHEDEMO.items():
        (lib / rel).parent.mkdir(parents=True, exist_ok=True)
        (lib / rel).write_text(textwrap.dedent(text))
    (lib / "Config.uk").write_text('config LIBCACHEDEMO\n\tbool "cachedemo"\n')
    cache = tmp_path / "cache"
    return {"UNIFORGE_OS": str(root), "UNIFORGE_CACHE": str(cache)}, lib, cache


def _objs(app):
    return sorted(p.name for p in (app / ".uniforge/build/linuxu-x86_64/obj/cachedemo").glob("*.o")) \
        if (app / ".uniforge/build/linuxu-x86_64/obj/cachedemo").is_dir() else []


def test_standalone_library_comes_from_the_cache(tree, make_app):
    env, lib, cache = tree
    a = make_app(APP.format(name="first"), MAIN)
    r = uniforge("run", a, "-t", "linuxu/x86_64", env=env)
    # 40 + the weak dummy (real.c is not needed) + the x86_64 file
    assert r.rc == 43, r.text
    assert _objs(a) == ["answer.c.o", "dummy.c.o", "real.c.o"]     # generic.c replaced
    stored = sorted((cache / "obj" / "cachedemo").glob("*.a"))
    assert len(stored) == 1
    # the archive's index is what libc.py reads for a libc built as one
    from uniforge.libc import defined_symbols
    syms = defined_symbols(a / ".uniforge/build/linuxu-x86_64/lib/libcachedemo.a")
    assert {"answer", "weak_or_strong", "generic_or_arch", "pull_strong"} <= syms

    b = make_app(APP.format(name="second"), MAIN)
    r = uniforge("run", b, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 43, r.text
    assert _objs(b) == []                                      # nothing compiled
    ninja = (b / ".uniforge/build/linuxu-x86_64/build.ninja").read_text()
    assert "build lib/libcachedemo.a: cached" in ninja and stored[0].name in ninja

    # another flag (no -g): another key, compiled again
    r = uniforge("run", b, "-t", "linuxu/x86_64", "--set", "CONFIG_DEBUG_SYMBOLS=n", env=env)
    assert r.rc == 43, r.text
    assert len(list((cache / "obj" / "cachedemo").glob("*.a"))) == 2

    # a changed source: compiled again, and the new code runs
    (lib / "answer.c").write_text("int answer(void) { return 50; }\n")
    r = uniforge("run", b, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 53, r.text
    assert _objs(b) == ["answer.c.o", "dummy.c.o", "real.c.o"]
    assert len(list((cache / "obj" / "cachedemo").glob("*.a"))) == 3


def test_an_archive_member_comes_in_when_needed(tree, make_app):
    env, lib, cache = tree
    main = MAIN.replace("int main", "extern int pull_strong;\nint main").replace(
        "(int)l;", "(int)l + pull_strong;")
    a = make_app(APP.format(name="strong"), main)
    r = uniforge("run", a, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 142, r.text            # real.c's member is linked: its definition wins


@pytest.mark.parametrize("libs, extra, message", [
    ("[musl, nolibc]", "", "two C libraries selected: musl (`libraries:` at uniforge.yaml:3) and "
                           "nolibc (`libraries:` at uniforge.yaml:3)"),
    ("[musl]", "kconfig: {CONFIG_LIBC_NOLIBC: y}",
     "two C libraries selected: musl (`libraries:` at uniforge.yaml:3) and "
     "nolibc (CONFIG_LIBC_NOLIBC=y (uniforge.yaml:4))"),
])
def test_two_c_libraries_are_an_error(make_app, libs, extra, message):
    app = make_app(f"name: twolibc\ntargets: [qemu/x86_64]\nlibraries: {libs}\n{extra}\n")
    r = uniforge("configure", app)
    assert r.rc == 1, r.text
    assert message in r.err and "uniforge.yaml:3:" in r.err and "an image has exactly one" in r.err, r.err
    assert "hint: keep one" in r.err


def test_libraries_musl_picks_the_libc_choice(make_app):
    app = make_app("name: pick\ntargets: [qemu/x86_64]\nlibraries: [musl]\n")
    r = uniforge("configure", app)
    assert r.rc == 0, r.text
    config = (app / ".uniforge/build/qemu-x86_64/.config").read_text()
    assert "CONFIG_LIBC_MUSL=y" in config and "CONFIG_LIBMUSL=y" in config
    assert "CONFIG_LIBNOLIBC=y" not in config and "CONFIG_LIBUKSYSCALL=y" in config
    # musl implies the syscall libraries; `deps` says so
    r = uniforge("deps", app, "--json")
    assert r.rc == 0, r.text
    why = {row["library"]: row["why"] for row in json.loads(r.out)["libraries"]}
    assert why["devfs"] == ["implied by LIBMUSL && LIBC_MUSL"] and "posix-mmap" in why


def test_a_library_that_selects_the_other_libc_is_named(tree, make_app):
    env, lib, cache = tree
    d = lib.parent / "needsnolibc"
    d.mkdir()
    (d / "Config.uk").write_text('config LIBNEEDSNOLIBC\n\tbool "needs nolibc"\n\tselect LIBNOLIBC\n')
    (d / "library.toml").write_text('name = "needsnolibc"\nsources = []\n')
    app = make_app("name: sel\ntargets: [qemu/x86_64]\nlibraries: [musl, needsnolibc]\n")
    r = uniforge("configure", app, env=env)
    assert r.rc == 1
    assert "uniforge.yaml:3: two C libraries selected: musl (`libraries:` at uniforge.yaml:3) and nolibc " \
        "(selected by LIBNEEDSNOLIBC); an image has exactly one" in r.err, r.err
