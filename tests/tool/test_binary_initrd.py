"""uniforge.binary.initrd: the root file system of a Linux program. The
strongest check is the host's own ld.so: the laid-out tree, unpacked into a
folder, runs the program under chroot, and LD_DEBUG shows every library
found on the first try through our regenerated /etc/ld.so.cache."""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from uniforge.binary import closure, elf, initrd, kernel, ldcache
from uniforge.cli.run_binary import default_memory_mb
from uniforge.cpio import write_newc
from uniforge.errors import UserError
from uniforge.targets import get_target

SQLITE = Path("/usr/bin/sqlite3")
needs_sqlite = pytest.mark.skipif(not SQLITE.exists(), reason="./dev setup installs sqlite3")


def _unpack(entries, dest: Path) -> None:
    """The archive, unpacked by GNU cpio (as a Linux initramfs would be)."""
    dest.mkdir()
    subprocess.run(["cpio", "-idm", "--quiet"], input=write_newc(entries), cwd=dest, check=True)


def _chroot(root: Path, *argv, env=None):
    pre = [] if os.geteuid() == 0 else ["unshare", "-r"]
    chroot = shutil.which("chroot") or "/usr/sbin/chroot"
    return subprocess.run([*pre, chroot, str(root), *argv], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})


@needs_sqlite
def test_sqlite3_tree_runs_under_chroot(tmp_path):
    info = elf.read(SQLITE)
    res = closure.resolve(info)
    entries = initrd.layer(Path("/"), "/usr/bin/sqlite3", res, Path("/"), "x86_64", locales=["C.UTF-8"])
    by = {e.name: e for e in entries}
    # merged /usr kept as symlinks, as on the host
    for link in ("lib", "lib64"):
        if Path("/" + link).is_symlink():
            assert stat.S_ISLNK(by[link].mode) and by[link].data == os.readlink("/" + link).encode()
    assert stat.S_ISREG(by["usr/bin/sqlite3"].mode) and by["usr/bin/sqlite3"].mode & 0o111
    for f in ("etc/passwd", "etc/group", "etc/nsswitch.conf", "etc/hostname", "etc/hosts", "etc/ld.so.cache"):
        assert f in by
    assert by["etc/hostname"].data == b"uniforge\n"
    assert by["tmp"].mode & 0o7777 == 0o1777
    assert "usr/lib/locale/C.utf8/LC_CTYPE" in by
    cache = ldcache.parse(by["etc/ld.so.cache"].data)
    assert {e.soname for e in cache} == {r.soname for r in res if r.how == "ld.so.cache"}
    root = tmp_path / "root"
    _unpack(entries, root)
    r = _chroot(root, "/usr/bin/sqlite3", ":memory:", "select 40+2;", env={"LD_DEBUG": "libs", "LANG": "C.UTF-8"})
    assert r.returncode == 0 and r.stdout == "42\n", r.stderr[-2000:]
    tries = re.findall(r"trying file=(\S+)", r.stderr)
    # the first libc.so.6 lookup is chroot's own (the host's)
    assert sorted(tries[1:]) == sorted(r.guest_path for r in res[1:]), r.stderr[-3000:]
    assert "search path=" not in r.stderr.split("initialize program: chroot")[-1]   # never the default folders


def test_symlinked_program_keeps_its_name(tmp_path):
    """/usr/bin/redis-server -> redis-check-rdb: the link and its target both in the archive."""
    root = tmp_path / "root"
    (root / "usr" / "bin").mkdir(parents=True)
    shutil.copy("/bin/true", root / "usr/bin/real")
    (root / "usr/bin/alias").symlink_to("real")
    (root / "bin").symlink_to("usr/bin")
    t = initrd.Tree()
    t.add_path(root, "/bin/alias", "the program")
    names = {e.name: e for e in t.entries()}
    assert names["bin"].data == b"usr/bin" and names["usr/bin/alias"].data == b"real"
    assert names["usr/bin/real"].data == Path("/bin/true").read_bytes()
    with pytest.raises(UserError, match="/usr/bin/gone is not in"):
        t.add_path(root, "/bin/gone", "the program")


def test_locales(tmp_path):
    assert initrd.locale_dir_name("C.UTF-8") == "C.utf8"
    assert initrd.locale_dir_name("en_US.ISO-8859-1@euro") == "en_US.iso88591@euro"
    t = initrd.Tree()
    with pytest.raises(UserError) as e:
        initrd.add_locale(t, Path("/"), "xx_XX.UTF-8")
    assert "--locale xx_XX.UTF-8: no /usr/lib/locale/xx_XX.utf8" in str(e.value)


def test_default_memory():
    t = get_target("qemu/x86_64")
    assert default_memory_mb(6 * (1 << 20), t) == 64            # sqlite3's 6 MiB: 18 + 32 -> 64
    assert default_memory_mb(30 * (1 << 20), t) == 128           # 90 + 32 -> 128
    assert default_memory_mb(0, t) >= t.min_memory_mb


def test_kernel_folder_and_manifest(tmp_path, monkeypatch):
    monkeypatch.setenv("UNIFORGE_CACHE", str(tmp_path))
    a = kernel.folder("qemu/x86_64")
    assert a.parent == tmp_path / "binkernel" / get_target("qemu/x86_64").slug
    assert kernel.folder("qemu/x86_64", {"LIBPOSIX_SOCKET": "n"}) == \
        kernel.folder("qemu/x86_64", {"CONFIG_LIBPOSIX_SOCKET": "n"}) != a
    assert kernel.folder("microvm/x86_64") != a
    text = kernel.manifest_text({"CONFIG_LIBPOSIX_SOCKET": "n"}, ["uktest"])
    assert 'libraries: ["ukelfload", "uktest"]' in text and '  CONFIG_LIBPOSIX_SOCKET: "n"' in text
