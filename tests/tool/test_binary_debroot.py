"""uniforge.debroot: Debian packages unpacked into one cached merged-/usr
root, and Debian's own sqlite3 resolved in it (the .debs come through the
private apt: ~/.cache/uniforge/deb)."""
from __future__ import annotations

import concurrent.futures
import os

from uniforge import debroot
from uniforge.binary import closure, elf

SQLITE_PKGS = ["sqlite3", "libsqlite3-0", "libreadline8", "zlib1g", "libtinfo6", "libc6"]


def test_sqlite3_root_and_its_closure(tmp_path, monkeypatch):
    # a fresh cache for the roots (the .debs are shared: they are only downloads)
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path / "cache"))
    os.makedirs(tmp_path / "cache", exist_ok=True)
    real = os.path.expanduser("~/.cache/uniforge/deb")
    if os.path.isdir(real):
        (tmp_path / "cache" / "deb").symlink_to(real)
    # two workers at once: both get the same finished root
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        a, b = ex.map(lambda _: debroot.sysroot(SQLITE_PKGS), range(2))
    assert a == b and a.parent == tmp_path / "cache" / "debroot"
    assert [p.name for p in a.parent.iterdir()] == [a.name]          # no temporary folder left
    for link, target in debroot.USRMERGE.items():
        assert os.readlink(a / link) == target
    # libc6 ships /lib/x86_64-linux-gnu: it landed in usr/lib through the symlink
    assert (a / "usr/lib/x86_64-linux-gnu/libc.so.6").is_file()
    assert (a / "usr/lib64/ld-linux-x86-64.so.2").is_symlink()
    assert len(debroot.packages_of(a)) == len(SQLITE_PKGS)
    assert debroot.sysroot(SQLITE_PKGS) == a                         # cached

    info = elf.read(a / "usr/bin/sqlite3")
    got = closure.resolve(info, a)
    assert got[0].guest_path == "/lib64/ld-linux-x86-64.so.2"
    assert got[0].host_path == a / "usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    assert got[0].needed_by == "/usr/bin/sqlite3"
    libs = {r.soname: r for r in got[1:]}
    assert set(libs) == {"libsqlite3.so.0", "libreadline.so.8", "libz.so.1", "libc.so.6", "libm.so.6",
                         "libtinfo.so.6"}
    for r in libs.values():
        assert r.guest_path == f"/lib/x86_64-linux-gnu/{r.soname}" and r.how == "default folder"
        assert r.host_path.is_relative_to(a) and r.host_path.is_file()
    # the list is taken as given: without libtinfo6 the closure says what is missing
    small = debroot.sysroot([p for p in SQLITE_PKGS if p != "libtinfo6"])
    try:
        closure.resolve(elf.read(small / "usr/bin/sqlite3"), small)
    except closure.UserError as e:
        assert "library libtinfo.so.6, needed by /lib/x86_64-linux-gnu/libreadline.so.8" in str(e)
        assert f"the sysroot {small}" in str(e)
    else:
        raise AssertionError("libtinfo.so.6 found without libtinfo6")
