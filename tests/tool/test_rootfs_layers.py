"""Files a library puts in the guest's root file system (library.toml
`rootfs = [{ src, dst, include, exclude, if }]`) and the layers of the
initrd: the libraries' files, then the app's `rootfs:` folder over them,
then `uniforge run --rootfs DIR` over both (uniforge/rootfs.py compose()).

Pure tests of the selection and the layering, then real runs: a library
with rootfs entries makes `uniforge run` pass an initrd though the app has
no rootfs of its own, and the guest reads the library's file (qemu/x86_64,
musl's fopen).
"""
from __future__ import annotations

import os
import shutil
import stat
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, uniforge
from test_rootfs_pack import members
from uniforge import library, rootfs
from uniforge.cpio import write_newc
from uniforge.errors import UserError


def _lib(tmp_path: Path, toml: str, files: dict[str, str]) -> library.Library:
    d = tmp_path / "lib" / "rdemo"
    for rel, text in files.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text)
    (d / "library.toml").write_text(textwrap.dedent(toml))
    return library.parse(d)


FILES = {"data/json/__init__.py": "j", "data/json/decoder.py": "d", "data/json/tests/t.py": "t",
         "data/re/x.py": "r", "data/re/x.pyc": "c", "data/test/big.py": "b", "data/empty/.keep": "",
         "conf/app.conf": "conf\n"}


def test_a_folder_entry_selects_with_include_and_exclude(tmp_path):
    lib = _lib(tmp_path, """\
        rootfs = [
          { src = "data", dst = "/usr/lib/py", include = ["json/**", "re/*.py"], exclude = ["*/tests/**"] },
          { src = "conf/app.conf", dst = "/etc/app/" },
          { src = "conf/app.conf", dst = "/etc/other.conf", if = "LIBRDEMO_EXTRA" },
        ]
        """, FILES)
    got = library.expand_rootfs(lib, lib.rootfs[0], None)
    assert [n for n, _ in got] == ["usr/lib/py/json", "usr/lib/py/json/__init__.py",
                                   "usr/lib/py/json/decoder.py", "usr/lib/py/re", "usr/lib/py/re/x.py"]
    assert library.expand_rootfs(lib, lib.rootfs[1], None) == [("etc/app/app.conf", lib.path / "conf/app.conf")]
    assert library.expand_rootfs(lib, lib.rootfs[2], None) == [("etc/other.conf", lib.path / "conf/app.conf")]
    assert lib.rootfs[2].cond == "LIBRDEMO_EXTRA"
    # no include: every file and folder (empty ones too) but the excluded
    lib = _lib(tmp_path, 'rootfs = [{ src = "data", dst = "/", exclude = ["test/**", "*.pyc"] }]\n', FILES)
    assert [n for n, _ in library.expand_rootfs(lib, lib.rootfs[0], None)] == [
        "empty", "empty/.keep", "json", "json/__init__.py", "json/decoder.py", "json/tests", "json/tests/t.py",
        "re", "re/x.py"]


@pytest.mark.parametrize("toml, message", [
    ('rootfs = [{ src = "nope", dst = "/x" }]\n', "rootfs src 'nope' is missing"),
    ('rootfs = [{ src = "data", dst = "/x", include = ["*.c"] }]\n',
     "rootfs src 'data' selects no file (include/exclude)"),
    ('rootfs = [{ src = "data", dst = "x" }]\n', "rootfs dst 'x' must be an absolute guest path"),
    ('rootfs = [{ src = "data", dst = "/a/../b" }]\n', "rootfs dst '/a/../b' must be an absolute"),
    ('rootfs = [{ src = "data", to = "/x" }]\n', "bad 'rootfs' entry"),
    ('rootfs = [{ src = "debian:x", dst = "/x" }]\n', "points into a Debian source tree"),
])
def test_bad_rootfs_entries_name_the_library_toml(tmp_path, toml, message):
    with pytest.raises(UserError) as e:
        lib = _lib(tmp_path, toml, FILES)
        for entry in lib.rootfs:
            library.expand_rootfs(lib, entry, None)
    assert message in e.value.message and str(e.value.path).endswith("rdemo/library.toml"), str(e.value)


def test_library_files_do_not_depend_on_the_checkout(tmp_path):
    """Owner root, mtime 0, 0644/0755 and parents made, whatever the host
    file's times and modes: two checkouts give the same bytes."""
    outs = []
    for n, (mode, mtime) in enumerate([(0o600, 1_000_000), (0o664, 2_000_000)]):
        d = tmp_path / f"c{n}"
        d.mkdir()
        (d / "f").write_text("x")
        (d / "f").chmod(mode)
        (d / "run").write_text("#!")
        (d / "run").chmod(0o700 if n else 0o755)
        os.utime(d / "f", (mtime, mtime))
        outs.append(write_newc(rootfs.library_entries([("a/b/f", d / "f"), ("a/run", d / "run")])))
    assert outs[0] == outs[1]
    m = {name: (mode, body) for name, mode, _, _, body in members(outs[0])}
    assert list(m) == ["a", "a/b", "a/b/f", "a/run"]
    assert m["a"][0] == stat.S_IFDIR | 0o755 and m["a/b/f"] == (stat.S_IFREG | 0o644, b"x")
    assert m["a/run"][0] == stat.S_IFREG | 0o755


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_layers_app_over_libraries_then_rootfs_over_both(tmp_path):
    lib_src = _tree(tmp_path / "lib", {"motd": "lib\n", "conf": "lib conf\n", "only": "lib only\n",
                                       "dir/x": "lib x\n"})
    app = _tree(tmp_path / "app", {"etc/conf": "app conf\n", "etc/dir": "app file over a folder\n",
                                   "etc/linked": "shared\n"})
    os.link(app / "etc" / "linked", app / "etc" / "linked2")
    user = _tree(tmp_path / "user", {"etc/motd": "user\n", "etc/linked2": "user's own\n"})
    files = [("etc/motd", lib_src / "motd"), ("etc/conf", lib_src / "conf"), ("etc/only", lib_src / "only"),
             ("etc/dir/x", lib_src / "dir/x")]
    out = rootfs.pack_layers(files, [app, user], tmp_path / "r.cpio")
    m = {name: (mode, ino, nlink, body) for name, mode, ino, nlink, body in members(out.read_bytes())}
    assert list(m) == ["etc", "etc/conf", "etc/dir", "etc/linked", "etc/linked2", "etc/motd", "etc/only"]
    assert m["etc/motd"][3] == b"user\n" and m["etc/conf"][3] == b"app conf\n"
    assert m["etc/only"][3] == b"lib only\n" and m["etc/dir"][3] == b"app file over a folder\n"
    # the app's hard link lost its second name to --rootfs: a plain file again
    assert m["etc/linked"][2:] == (1, b"shared\n") and m["etc/linked2"][3] == b"user's own\n"
    assert len({v[1] for v in m.values()}) == len(m)                  # inode numbers unique
    # the same layers: not rewritten
    before = out.stat().st_mtime_ns
    os.utime(out, ns=(before - 10**9, before - 10**9))
    rootfs.pack_layers(files, [app, user], out)
    assert out.stat().st_mtime_ns == before - 10**9
    # one folder alone: exactly the bytes of pack()
    assert rootfs.pack_layers([], [app], tmp_path / "a.cpio").read_bytes() == \
        rootfs.pack(app, tmp_path / "b.cpio").read_bytes()
    assert rootfs.pack_layers([], [], tmp_path / "none.cpio") is None


def test_hard_links_within_a_layer_survive_composition(tmp_path):
    app = _tree(tmp_path / "app", {"a": "data\n"})
    os.link(app / "a", app / "b")
    lib_src = _tree(tmp_path / "lib", {"z": "z\n"})
    out = rootfs.pack_layers([("z", lib_src / "z")], [app], tmp_path / "r.cpio")
    m = {name: (ino, nlink, body) for name, _, ino, nlink, body in members(out.read_bytes())}
    assert m["a"][0] == m["b"][0] and m["a"][1] == m["b"][1] == 2
    assert m["a"][2] == b"" and m["b"][2] == b"data\n" and m["z"][2] == b"z\n"


# --------------------------------------------------------------------------
# real runs
# --------------------------------------------------------------------------

RDEMO_TOML = """\
name = "rdemo"
rootfs = [
  { src = "files", dst = "/etc/rdemo", exclude = ["*.orig"] },
  { src = "extra.txt", dst = "/etc/rdemo/", if = "LIBRDEMO_EXTRA" },
]
"""

RDEMO_CONFIG = """\
config LIBRDEMO
	bool "rdemo"
if LIBRDEMO
config LIBRDEMO_EXTRA
	bool "extra"
endif
"""

MAIN_C = """\
#include <stdio.h>
static void show(const char *path)
{
    char buf[128];
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("%s: missing\\n", path);
        return;
    }
    while (fgets(buf, sizeof(buf), f))
        printf("%s: %s", path, buf);
    fclose(f);
}
int main(void)
{
    show("/etc/rdemo/greeting");
    show("/etc/rdemo/motd");
    show("/etc/rdemo/greeting.orig");
    show("/etc/rdemo/extra.txt");
    return 0;
}
"""


@pytest.fixture
def rdemo(tmp_path):
    root = tmp_path / "os"
    shutil.copytree(REPO / "os", root)
    _tree(root / "lib" / "rdemo", {"library.toml": RDEMO_TOML, "Config.uk": RDEMO_CONFIG,
                                   "files/greeting": "hello from the library\n",
                                   "files/motd": "library motd\n", "files/greeting.orig": "x\n",
                                   "extra.txt": "extra\n"})
    app = _tree(tmp_path / "app", {"uniforge.yaml": "name: rdemo\nlibraries: [musl, rdemo]\nmemory: 16M\n",
                                   "main.c": MAIN_C})
    return {"UNIFORGE_OS": str(root)}, app


@pytest.mark.boot
def test_a_library_file_reaches_the_guest_without_an_app_rootfs(rdemo, tmp_path):
    env, app = rdemo
    r = uniforge("run", app, "-t", "qemu/x86_64", "-q", "--timeout", "60", env=env, timeout=900)
    assert r.rc == 0, r.text
    assert "/etc/rdemo/greeting: hello from the library\n" in r.out, r.text
    assert "/etc/rdemo/motd: library motd\n" in r.out, r.text
    assert "/etc/rdemo/greeting.orig: missing\n" in r.out and "/etc/rdemo/extra.txt: missing\n" in r.out, r.text
    cpio = app / ".uniforge/build/qemu-x86_64/rootfs.cpio"
    assert cpio.is_file()

    # the app's rootfs over the library's, --rootfs over both, `if` entries
    _tree(app / "rootfs", {"etc/rdemo/motd": "app motd\n"})
    (app / "uniforge.yaml").write_text("name: rdemo\nlibraries: [musl, rdemo]\nmemory: 16M\nrootfs: rootfs\n")
    user = _tree(tmp_path / "user", {"etc/rdemo/greeting": "from --rootfs\n"})
    r = uniforge("run", app, "-t", "qemu/x86_64", "-q", "--timeout", "60", "--rootfs", user,
                 "--set", "CONFIG_LIBRDEMO_EXTRA=y", env=env, timeout=900)
    assert r.rc == 0, r.text
    assert "/etc/rdemo/greeting: from --rootfs\n" in r.out and "/etc/rdemo/motd: app motd\n" in r.out, r.text
    assert "/etc/rdemo/extra.txt: extra\n" in r.out, r.text


def test_a_library_with_rootfs_selects_the_unpacker(rdemo):
    env, app = rdemo
    r = uniforge("configure", app, "-t", "linuxu/x86_64", env=env)
    assert r.rc == 0, r.text
    config = (app / ".uniforge/build/linuxu-x86_64/.config").read_text()
    assert "CONFIG_LIBUKCPIO=y" in config and "CONFIG_LIBUKCPIO_INITRD=y" in config
