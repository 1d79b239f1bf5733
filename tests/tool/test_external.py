"""External sources (uniforge/debsrc.py): Debian source packages fetched into
a private cache, verified, unpacked and patched; `uniforge fetch`; `lib ls`.

Most tests use a source package made here with dpkg-source (no network).
The end-to-end test fetches Debian's real lwip (835 kB) into a temporary
cache seeded from, and saved back to, ~/.cache/uniforge/dl, so only the first
run on a machine touches the network; it then builds and boots an image that
compiles lwIP's def.c with our patch applied.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from uniforge import apt, debsrc
from uniforge.errors import UserError
from uniforge.library import DebianSource, parse
from conftest import REPO, uniforge

FIXTURE = Path(__file__).resolve().parent / "external" / "lwipdef"
LWIP = ("lwip", "2.1.3+dfsg1-2")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    c = tmp_path / "cache"
    monkeypatch.setenv("UNIFORGE_CACHE", str(c))
    return c


def make_source_package(where: Path, name="demo", version="1.0", text="int demo(void) { return 1; }\n"):
    """A 3.0 (native) source package built with dpkg-source: (.dsc, its folder)."""
    tree = where / f"{name}-{version}"
    (tree / "debian" / "source").mkdir(parents=True)
    (tree / "demo.c").write_text(text)
    (tree / "debian" / "source" / "format").write_text("3.0 (native)\n")
    (tree / "debian" / "changelog").write_text(textwrap.dedent(f"""\
        {name} ({version}) unstable; urgency=medium

          * Test package.

         -- Nobody <nobody@example.org>  Mon, 01 Jan 2024 00:00:00 +0000
        """))
    (tree / "debian" / "control").write_text(f"Source: {name}\nMaintainer: Nobody <nobody@example.org>\n\n"
                                             f"Package: {name}\nArchitecture: any\nDescription: t\n t\n")
    subprocess.run(["dpkg-source", "-b", tree.name], cwd=where, check=True, capture_output=True)
    shutil.rmtree(tree)
    return where / f"{name}_{version}.dsc"


PATCH_OK = """\
--- a/demo.c
+++ b/demo.c
@@ -1 +1 @@
-int demo(void) { return 1; }
+int demo(void) { return 2; }
"""
PATCH_BAD = """\
--- a/demo.c
+++ b/demo.c
@@ -1 +1 @@
-int demo(void) { return 7; }
+int demo(void) { return 8; }
"""


@pytest.fixture
def demo(tmp_path, cache):
    """A DebianSource for the demo package, already in the download cache,
    with one patch file (patches/fix.patch in a library folder)."""
    dl = cache / "dl" / "demo_1.0"
    dl.mkdir(parents=True)
    made = make_source_package(tmp_path / "build")
    for f in made.parent.iterdir():
        shutil.copy(f, dl)
    lib = tmp_path / "lib"
    (lib / "patches").mkdir(parents=True)
    (lib / "patches" / "fix.patch").write_text(PATCH_OK)
    return DebianSource("demo", "1.0", (lib / "patches" / "fix.patch",), lib / "library.toml")


def test_cache_root_honours_uniforge_cache_then_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("UNIFORGE_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert apt.cache_root() == tmp_path / "xdg" / "uniforge"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert apt.cache_root() == Path.home() / ".cache" / "uniforge"
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path / "c"))
    assert apt.cache_root() == tmp_path / "c"
    src = DebianSource("lwip", "1:2.1-3", (), tmp_path / "library.toml")
    assert debsrc.tree_dir(src) == tmp_path / "c" / "src" / "lwip_2.1-3"     # the epoch is not in file names


def test_deb_entries_become_deb_src_in_a_private_list(tmp_path):
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list").write_text("# comment\ndeb [arch=amd64] http://m/debian bookworm main contrib\n"
                                      "deb-src http://m/debian bookworm main contrib\n"
                                      "deb http://m/debian bookworm-updates main # trailing\n")
    (etc / "sources.list.d" / "a.sources").write_text(
        "Types: deb\nURIs: http://m/debian\nSuites: bookworm\nComponents: main\n"
        "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n"
        "# off\nTypes: deb\nURIs: http://off/\nSuites: x\nComponents: main\nEnabled: no\n")
    (etc / "sources.list.d" / "b.list.disabled").write_text("deb http://ignored/ x main\n")
    one, deb822 = apt.derive_sources(etc)
    assert one == ("deb-src [arch=amd64] http://m/debian bookworm main contrib\n"
                   "deb-src http://m/debian bookworm main contrib\n"
                   "deb-src http://m/debian bookworm-updates main\n")
    assert deb822 == ("Types: deb-src\nURIs: http://m/debian\nSuites: bookworm\nComponents: main\n"
                      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n")
    one, deb822 = apt.derive_sources(etc, "deb")      # for binary packages (debpkg.py)
    assert one.splitlines()[0] == "deb [arch=amd64] http://m/debian bookworm main contrib"
    assert deb822.startswith("Types: deb\nURIs: http://m/debian\n")


def test_unpack_applies_our_patch_atomically_and_once(demo):
    tree = debsrc.ensure(demo)
    assert tree == debsrc.tree_dir(demo) and tree.is_dir()
    assert (tree / "demo.c").read_text() == "int demo(void) { return 2; }\n"
    assert debsrc.is_cached(demo)
    mtime = (tree / "demo.c").stat().st_mtime_ns
    assert debsrc.ensure(demo) == tree and (tree / "demo.c").stat().st_mtime_ns == mtime   # no work twice
    # No temporary folders left behind.
    assert sorted(p.name for p in tree.parent.iterdir()) == ["demo_1.0"]


def test_an_edited_patch_remakes_the_tree(demo):
    debsrc.ensure(demo)
    demo.patches[0].write_text(PATCH_OK.replace("return 2", "return 3"))
    assert not debsrc.is_cached(demo)
    tree = debsrc.ensure(demo)
    assert (tree / "demo.c").read_text() == "int demo(void) { return 3; }\n"


def test_a_patch_that_does_not_apply_names_patch_and_hunk_and_leaves_no_tree(demo):
    demo.patches[0].write_text(PATCH_BAD)
    with pytest.raises(UserError) as e:
        debsrc.ensure(demo)
    msg = str(e.value)
    assert "patch fix.patch does not apply to Debian source package demo 1.0" in msg
    assert "Hunk #1 FAILED at 1" in msg and "patching file demo.c" in msg
    assert str(demo.patches[0]) in msg
    assert not debsrc.tree_dir(demo).exists()
    assert list(debsrc.tree_dir(demo).parent.iterdir()) == []


def test_a_tampered_download_is_refused(demo):
    tarball = debsrc.download_dir(demo) / "demo_1.0.tar.xz"
    data = bytearray(tarball.read_bytes())
    data[-1] ^= 1
    tarball.write_bytes(bytes(data))
    with pytest.raises(UserError, match=r"demo_1.0.tar.xz does not match the SHA-256 demo_1.0.dsc gives"):
        debsrc.ensure(demo)
    assert not debsrc.tree_dir(demo).exists()


def test_dsc_checksums_are_parsed_strictly():
    good = "Format: 1.0\nChecksums-Sha256:\n " + "a" * 64 + " 12 x.tar.gz\n " + "b" * 64 + " 3 y.diff.gz\nFiles:\n"
    assert debsrc.parse_dsc(good) == {"x.tar.gz": (12, "a" * 64), "y.diff.gz": (3, "b" * 64)}
    with pytest.raises(ValueError, match="no Checksums-Sha256"):
        debsrc.parse_dsc("Format: 1.0\nFiles:\n abc 1 x\n")
    with pytest.raises(ValueError, match="bad Checksums-Sha256 line"):
        debsrc.parse_dsc("Checksums-Sha256:\n zz 1 x\n")


# --------------------------------------------------------------------------
# through the CLI, with a copy of the OS tree that has the lwipdef fixture
# --------------------------------------------------------------------------

@pytest.fixture
def os_with_lwipdef(tmp_path):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    # The real os/lib/lwip uses the same package and version without the
    # fixture's patch: both would share (and remake) one unpacked tree.
    shutil.rmtree(root / "lib" / "lwip", ignore_errors=True)
    # The applications' libraries (sqlite3, nginx...) are external too: `fetch
    # --all` below would download every one of them into the empty cache.
    for toml in root.glob("lib/*/library.toml"):
        if "[debian]" in toml.read_text() and toml.parent.name != "musl":
            shutil.rmtree(toml.parent)
    shutil.copytree(FIXTURE, root / "lib" / "lwipdef")
    return root


LWIP_APP = """\
name: lwipdemo
targets: [linuxu/x86_64, qemu/x86_64]
libraries: [lwipdef]
"""
LWIP_MAIN = r"""
#include <stdio.h>
#include <limits.h>
#include "lwip/def.h"
#include "lwipdef.h"

int main(void)
{
    char buf[16];
    lwip_itoa(buf, sizeof(buf), INT_MIN);     /* right only with our patch */
    printf("itoa=%s\n", buf);
    lwip_itoa(buf, sizeof(buf), -42);
    printf("itoa=%s htons=%04x nicmp=%d fixture=%d\n", buf, lwip_htons(0x1234),
           lwip_strnicmp("LwIP", "lwip", 4), lwipdef_fixture());
    return 0;
}
"""


def test_offline_with_a_cold_cache_says_what_and_how(tmp_path, os_with_lwipdef, make_app):
    etc = tmp_path / "apt"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list").write_text("deb http://127.0.0.1:9/debian bookworm main\n")
    app = make_app(LWIP_APP, LWIP_MAIN)
    env = {"UNIFORGE_OS": str(os_with_lwipdef), "UNIFORGE_CACHE": str(tmp_path / "cold"),
           "UNIFORGE_APT_ETC": str(etc)}
    for cmd in (("fetch", app), ("build", app, "-t", "linuxu/x86_64")):
        r = uniforge(*cmd, env=env, timeout=120)
        assert r.rc == 1, r.text
        assert "cannot fetch Debian source package lwip 2.1.3+dfsg1-2 (not in the cache)" in r.err, r.err
        assert "run `uniforge fetch APP` once" in r.err and str(tmp_path / "cold") in r.err
    assert not (tmp_path / "cold" / "src").exists()


def _seeded_cache(tmp_path) -> tuple[Path, Path, Path]:
    """A temporary cache whose dl/ has lwip if the user's cache has it, and
    the other packages the user's cache holds (linked: `fetch --all`
    verifies and unpacks them, without downloading them again)."""
    key = "%s_%s" % LWIP
    user_dl = Path.home() / ".cache" / "uniforge" / "dl" / key
    cache = tmp_path / "cache"
    if (user_dl / f"{key}.dsc").is_file():
        shutil.copytree(user_dl, cache / "dl" / key)
    for other in sorted(user_dl.parent.glob("*_*")) if user_dl.parent.is_dir() else []:
        if other.name != key and not other.name.startswith(".") and other.is_dir():
            (cache / "dl").mkdir(parents=True, exist_ok=True)
            (cache / "dl" / other.name).symlink_to(other)
    return cache, cache / "dl" / key, user_dl


def _debian_libraries(os_root: Path) -> set[str]:
    """The libraries of an OS tree built from a Debian source package."""
    from uniforge.library import discover
    return {name for name, lib in discover(os_root).items() if lib.debian is not None}


def test_fetched_debian_source_with_our_patch_builds_and_boots(tmp_path, os_with_lwipdef, make_app):
    cache, dl, user_dl = _seeded_cache(tmp_path)
    env = {"UNIFORGE_OS": str(os_with_lwipdef), "UNIFORGE_CACHE": str(cache)}
    app = make_app(LWIP_APP, LWIP_MAIN)

    r = uniforge("lib", "ls", env=env)
    assert r.rc == 0 and "debian lwip 2.1.3+dfsg1-2 (not cached)" in r.out.replace("\n", " "), r.text
    r = uniforge("fetch", app, env=env, timeout=600)
    assert r.rc == 0, r.text
    assert f"lwipdef: lwip 2.1.3+dfsg1-2 fetched -> {cache / 'src' / 'lwip_2.1.3+dfsg1-2'}" in r.out
    if not user_dl.exists():          # keep the download for the next run on this machine
        user_dl.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(dl, user_dl)
    r = uniforge("fetch", app, env=env)
    assert r.rc == 0 and "lwip 2.1.3+dfsg1-2 cached" in r.out, r.text
    r = uniforge("fetch", "--all", env=env, timeout=900)     # every external library of the OS tree
    assert r.rc == 0, r.text
    assert f"lwipdef: lwip 2.1.3+dfsg1-2 cached -> {cache / 'src' / 'lwip_2.1.3+dfsg1-2'}" in r.out.splitlines()
    assert {line.split(":")[0] for line in r.out.splitlines()[:-1]} == \
        {lib for lib in _debian_libraries(os_with_lwipdef)}, r.out
    r = uniforge("lib", "ls", env=env)
    assert "debian lwip 2.1.3+dfsg1-2 (cached)" in r.out, r.out
    rows = {row["name"]: row for row in json.loads(uniforge("lib", "ls", "--json", env=env).out)}
    assert rows["lwipdef"]["source"] == "debian lwip 2.1.3+dfsg1-2 (cached)"
    assert rows["nolibc"]["source"] == "in-tree"

    tree = cache / "src" / "lwip_2.1.3+dfsg1-2"
    assert "uniforge: the magnitude as unsigned" in (tree / "src/core/def.c").read_text()
    # Debian's own patches are applied before ours (dpkg-source -x).
    assert (tree / "debian" / "patches" / "series").is_file()

    expected = "itoa=-2147483648\nitoa=-42 htons=3412 nicmp=0 fixture=17\n"
    r = uniforge("run", app, "-t", "linuxu/x86_64", "--timeout", "60", env=env)
    assert (r.rc, r.out) == (0, expected), r.text
    ninja = (app / ".uniforge/build/linuxu-x86_64/build.ninja").read_text().replace("$\n    ", "")
    assert f"obj/lwipdef/@debian/src/core/def.c.o: cc {tree}/src/core/def.c" in ninja
    r = uniforge("run", app, "-t", "qemu/x86_64", "--timeout", "60", env=env)
    assert r.rc == 0 and expected in r.out, r.text


def test_private_includes_and_defines_stay_in_their_library(tmp_path, os_with_lwipdef, make_app):
    """lwipdef's private include folder and its define reach only its own
    sources (glue.c uses both): the app sees neither."""
    cache, _, _ = _seeded_cache(tmp_path)     # cold: the build fetches it
    env = {"UNIFORGE_OS": str(os_with_lwipdef), "UNIFORGE_CACHE": str(cache)}
    app = make_app(LWIP_APP, '#include "lwipdef_private.h"\nint main(void) { return 0; }\n')
    r = uniforge("build", app, "-t", "linuxu/x86_64", env=env, timeout=600)
    assert r.rc == 1 and "lwipdef_private.h: No such file or directory" in r.err, r.text
    (app / "main.c").write_text("int main(void) { return LWIPDEF_FIXTURE; }\n")
    r = uniforge("build", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 1 and "'LWIPDEF_FIXTURE' undeclared" in r.err, r.text
    ninja = (app / ".uniforge/build/linuxu-x86_64/build.ninja").read_text().replace("$\n    ", "")
    tree = cache / "src" / "lwip_2.1.3+dfsg1-2"
    glob_line = next(line for line in ninja.splitlines() if line.startswith("cflags = "))
    assert f"-I{tree}/src/include" in glob_line          # exported
    assert "lwipdef/private" not in glob_line and "-DLWIPDEF_FIXTURE=1" not in glob_line
    glue = ninja.split("build obj/lwipdef/glue.c.o:", 1)[1].split("\nbuild ", 1)[0]
    assert f"libincs = -I{os_with_lwipdef}/lib/lwipdef/private" in glue
    assert "-DLWIPDEF_FIXTURE=1" in glue


def test_the_fixture_descriptor_parses_as_documented():
    lib = parse(FIXTURE)
    assert lib.debian == DebianSource("lwip", "2.1.3+dfsg1-2", (FIXTURE / "patches/0001-itoa-int-min.patch",),
                                      FIXTURE / "library.toml")
    assert [c.src for c in lib.private_includes] == ["private"]
    assert [c.src for c in lib.includes] == ["include", "debian:src/include"]
    assert lib.sources[1].cflags == ("-Wno-sign-compare",) and [d.value for d in lib.defines] == ["LWIPDEF_FIXTURE=1"]
