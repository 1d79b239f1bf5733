"""Standalone application libraries (library.toml `standalone = true` on a
library that is not the libc): compiled against the selected libc's public
headers only (musl's include folders and its generated bits/*.h), never
uk/config.h or a kernel header, so one compile serves every target of an
architecture through the object cache, and a change to the libc compiles
them again.

A fixture library in a copy of the OS tree, with musl; the object cache is a
temporary one whose musl entries are the real cache's (musl is not rebuilt).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, uniforge

DEMO = {
    "library.toml": """\
        name = "stdiodemo"
        standalone = true
        provides_main = true
        includes = ["include"]
        sources = ["main.c", "helper.c"]
        defines = ["DEMO_GREETING=\\"standalone\\""]
        """,
    "Config.uk": 'config LIBSTDIODEMO\n\tbool "stdiodemo"\n',
    "include/stdiodemo.h": "#define DEMO_ANSWER 42\n",
    # called once, from another file: inlined into main only by LTO
    "helper.c": "int demo_twice(int x) { return 2 * x; }\n",
    "main.c": """\
        #if defined(CONFIG_LIBSTDIODEMO) || defined(CONFIG_LIBMUSL) || defined(CONFIG_ARCH_X86_64)
        #error "a standalone library saw uk/config.h"
        #endif
        #if __has_include(<uk/essentials.h>) || __has_include(<uk/config.h>)
        #error "a standalone library sees the kernel's headers"
        #endif
        #include <stdio.h>
        #include <string.h>
        #include <stdiodemo.h>
        int demo_twice(int x);
        int main(int argc, char *argv[])
        {
            char buf[64];
            snprintf(buf, sizeof(buf), "%s %d", DEMO_GREETING, demo_twice(DEMO_ANSWER / 2));
            printf("stdiodemo: %s (%zu)\\n", buf, strlen(buf));
            return 0;
        }
        """,
}

APP = """\
name: {name}
targets: [qemu/x86_64, microvm/x86_64]
libraries: [musl, stdiodemo]
memory: 16M
"""


def _cache(tmp_path: Path) -> Path:
    """An object cache of our own whose Debian trees and musl objects are
    the real cache's: only the fixture library's entries are new."""
    real = Path(os.environ.get("UNIFORGE_CACHE") or
                Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "uniforge")
    cache = tmp_path / "cache"
    (cache / "obj").mkdir(parents=True)
    for d in ("apt", "deb", "dl", "locks", "src"):
        (real / d).mkdir(parents=True, exist_ok=True)
        (cache / d).symlink_to(real / d)
    (real / "obj" / "musl").mkdir(parents=True, exist_ok=True)
    (cache / "obj" / "musl").symlink_to(real / "obj" / "musl")
    return cache


@pytest.fixture
def env(tmp_path):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    lib = root / "lib" / "stdiodemo"
    for rel, text in DEMO.items():
        (lib / rel).parent.mkdir(parents=True, exist_ok=True)
        (lib / rel).write_text(textwrap.dedent(text))
    return {"UNIFORGE_OS": str(root), "UNIFORGE_CACHE": str(_cache(tmp_path))}


def _app(tmp_path, name):
    d = tmp_path / name
    d.mkdir()
    (d / "uniforge.yaml").write_text(APP.format(name=name))
    return d


def _compiled(app, target):
    d = app / ".uniforge" / "build" / target / "obj" / "stdiodemo"
    return sorted(p.name for p in d.glob("*.o")) if d.is_dir() else []


def test_one_compile_serves_both_x86_64_targets(env, tmp_path):
    app = _app(tmp_path, "demo")
    r = uniforge("run", app, "-t", "qemu/x86_64", "--timeout", "60", env=env, timeout=900)
    assert r.rc == 0, r.text
    assert "stdiodemo: standalone 42 (13)" in r.out, r.text
    assert _compiled(app, "qemu-x86_64") == ["helper.c.o", "main.c.o"]
    stored = sorted((Path(env["UNIFORGE_CACHE"]) / "obj" / "stdiodemo").glob("*.o"))
    assert len(stored) == 1
    # its flags: the libc's headers as system headers (musl's generated
    # bits/ first), no config header, no kernel include folder
    ninja = re.sub(r" \$\n +", " ", (app / ".uniforge/build/qemu-x86_64/build.ninja").read_text())
    block = ninja[ninja.index("build obj/stdiodemo/main.c.o: cc"):].split("\nbuild ", 1)[0]
    assert "-isystem gen/musl -isystem" in block and "arch/x86_64 -isystem" in block
    assert "config.h" not in block and f"-I{env['UNIFORGE_OS']}/include" not in block
    assert "|| gen/musl/bits/alltypes.h gen/musl/bits/syscall.h" in block

    # microvm: same arch, same compiler and level: nothing of it compiled
    r = uniforge("run", app, "-t", "microvm/x86_64", "--timeout", "60", env=env, timeout=900)
    assert r.rc == 0, r.text
    assert "stdiodemo: standalone 42 (13)" in r.out, r.text
    assert _compiled(app, "microvm-x86_64") == []
    assert f"build lib/libstdiodemo.o: cached {stored[0]}" in \
        re.sub(r" \$\n +", " ", (app / ".uniforge/build/microvm-x86_64/build.ninja").read_text())


def test_a_change_to_the_libc_changes_the_key(env, tmp_path, monkeypatch):
    """The app library's key includes the libc's: any change to musl (here
    one byte of a file in its folder) gives both new keys."""
    from uniforge.project import Project
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    app = _app(tmp_path, "keys")

    def keys():
        proj = Project(app, "qemu/x86_64")
        model = proj.model(proj.configure())
        return {b.name: (b.cached or b.store).name for b in model.libs if b.own_cflags is not None}

    before = keys()
    assert set(before) == {"musl", "stdiodemo"}
    assert keys() == before                         # stable
    readme = Path(env["UNIFORGE_OS"]) / "lib" / "musl" / "README.md"
    readme.write_text(readme.read_text() + "\n")
    after = keys()
    assert after["musl"] != before["musl"] and after["stdiodemo"] != before["stdiodemo"]


def _symbols(elf: Path) -> set[str]:
    from elftools.elf.elffile import ELFFile
    with open(elf, "rb") as f:
        return {s.name for s in ELFFile(f).get_section_by_name(".symtab").iter_symbols()}


def _sections(obj: Path) -> set[str]:
    from elftools.elf.elffile import ELFFile
    with open(obj, "rb") as f:
        return {s.name for s in ELFFile(f).iter_sections()}


def test_lto_carries_into_a_standalone_library(env, tmp_path):
    """Under CONFIG_OPTIMIZE_LTO the library's objects are IR (another cache
    key), its partial object stays IR, and the final link optimises across
    its files: demo_twice is inlined into main."""
    app = _app(tmp_path, "lto")
    r = uniforge("run", app, "-t", "qemu/x86_64", "--timeout", "60", env=env, timeout=900)
    assert r.rc == 0 and "stdiodemo: standalone 42 (13)" in r.out, r.text
    assert "demo_twice" in _symbols(app / ".uniforge/build/qemu-x86_64/lto_qemu-x86_64.dbg")
    r = uniforge("run", app, "-t", "qemu/x86_64", "--timeout", "60", "--set", "CONFIG_OPTIMIZE_LTO=y",
                 env=env, timeout=900)
    assert r.rc == 0 and "stdiodemo: standalone 42 (13)" in r.out, r.text
    build = next((app / ".uniforge/build").glob("qemu-x86_64+*"))
    assert any(s.startswith(".gnu.lto_") for s in _sections(build / "lib/libstdiodemo.o"))
    assert "demo_twice" not in _symbols(build / "lto_qemu-x86_64.dbg")
    assert len(list((Path(env["UNIFORGE_CACHE"]) / "obj" / "stdiodemo").glob("*.o"))) == 2

    # `uniforge size` attributes the code the LTO link generated by the
    # .dbg's line table: the map alone puts it all under "(linker)"
    from uniforge.size import parse_map
    by_map = {row.name: row for row in parse_map((build / "lto_qemu-x86_64.map").read_text())}
    assert "stdiodemo" not in by_map and "vfscore" not in by_map
    r = uniforge("size", app, "-t", "qemu/x86_64", "--set", "CONFIG_OPTIMIZE_LTO=y", "--json", env=env)
    assert r.rc == 0, r.text
    rows = {row["name"]: row for row in json.loads(r.out)["libraries"]}
    assert rows["stdiodemo"]["text"] > 0 and rows["vfscore"]["text"] > 1000, rows
    assert rows["(linker)"]["text"] < by_map["(linker)"].text
    assert rows["musl"] == {"name": "musl", "text": by_map["musl"].text, "data": by_map["musl"].data,
                            "bss": by_map["musl"].bss, "total": by_map["musl"].total}     # not IR: the map's
    assert sum(row["total"] for row in rows.values()) == sum(row.total for row in by_map.values())


def test_size_knows_sources_compiled_in_another_folder(env, tmp_path, monkeypatch):
    """A cached object's line table names the folder it was compiled in:
    another checkout's library folder, another build's gen/<lib>/ (written
    relative to that build folder)."""
    from types import SimpleNamespace
    from uniforge.cli.cmd_size import _owner
    from uniforge.ltosize import _file_name
    from uniforge.project import Project
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    app = _app(tmp_path, "owners")
    proj = Project(app, "qemu/x86_64")
    owner = _owner(proj, proj.model(proj.configure()))
    assert owner(str(Path(env["UNIFORGE_OS"]) / "lib/stdiodemo/main.c")) == "stdiodemo"
    assert owner("/elsewhere/checkout/os/lib/stdiodemo/main.c") == "stdiodemo"
    assert owner(str(proj.build_dir / "gen/musl/bits/alltypes.h")) == "musl"
    assert owner(str(app / "main.c")) == "appowners" and owner("/usr/include/x.h") is None
    hdr = SimpleNamespace(version=5, include_directory=[b"../../../../other/.uniforge/build/q"],
                          file_entry=[SimpleNamespace(dir_index=0, name=b"gen/stdiodemo/x.c")])
    path = _file_name(hdr, str(app / ".uniforge/build/qemu-x86_64"), 0)
    assert path == str(app.parent / "other/.uniforge/build/q/gen/stdiodemo/x.c") and owner(path) == "stdiodemo"
