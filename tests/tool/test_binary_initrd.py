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
    assert default_memory_mb(6 * (1 << 20), t) == 48            # sqlite3's 6 MiB: 12 + 32 -> 48
    assert default_memory_mb(30 * (1 << 20), t) == 96            # 60 + 32 -> 96
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


def test_rootfs_folders_go_through_the_layouts_symlinks(tmp_path):
    """--rootfs DIR with a real lib/ folder: its files land behind the
    layout's lib -> usr/lib, which stays a symlink (the libraries stay
    reachable)."""
    from uniforge import rootfs
    from uniforge.cpio import newc_dir, newc_file, newc_symlink
    base = [newc_symlink("lib", "usr/lib"), newc_dir("usr"), newc_dir("usr/lib"),
            newc_file("usr/lib/libc.so.6", b"libc"), newc_symlink("bin", "/usr/bin"), newc_dir("usr/bin")]
    files = tmp_path / "files"
    (files / "lib" / "extra").mkdir(parents=True)
    (files / "lib" / "extra" / "x.so").write_bytes(b"x")
    (files / "bin").mkdir()
    (files / "bin" / "tool").write_bytes(b"t")
    (files / "etc").mkdir()
    (files / "etc" / "a").write_bytes(b"a")
    layer = initrd.through_symlinks(rootfs.tree_entries(files), base)
    assert sorted(e.name for e in layer) == ["etc", "etc/a", "usr/bin", "usr/bin/tool", "usr/lib",
                                             "usr/lib/extra", "usr/lib/extra/x.so"]
    merged = {e.name: e for e in rootfs.compose([base, layer])}
    assert stat.S_ISLNK(merged["lib"].mode) and merged["usr/lib/libc.so.6"].data == b"libc"
    assert stat.S_ISLNK(merged["bin"].mode)
    # without the rewrite, the folder replaces the link
    plain = {e.name: e for e in rootfs.compose([base, rootfs.tree_entries(files)])}
    assert stat.S_ISDIR(plain["lib"].mode)


@needs_sqlite
def test_ld_cache_lists_the_rootfs_libraries(tmp_path):
    """A library a --rootfs layer adds to a default folder (one a program
    would dlopen) is in the regenerated cache; a layer's own cache wins."""
    from uniforge import rootfs
    info = elf.read(SQLITE)
    res = closure.resolve(info)
    ours = initrd.layer(Path("/"), "/usr/bin/sqlite3", res, Path("/"), "x86_64")
    files = tmp_path / "files"
    d = files / "usr" / "lib" / "x86_64-linux-gnu"
    d.mkdir(parents=True)
    shutil.copy(Path("/lib/x86_64-linux-gnu/libexpat.so.1").resolve(), d / "libexpat.so.1")
    (d / "notes.so.txt").write_text("not a library")
    if shutil.which("aarch64-linux-gnu-gcc"):
        c = tmp_path / "a.c"
        c.write_text("int a(void) { return 0; }\n")
        subprocess.run(["aarch64-linux-gnu-gcc", "-shared", "-fPIC", "-o", str(d / "libarm.so.1"), str(c),
                        "-Wl,-soname,libarm.so.1"], check=True)
    layer = initrd.through_symlinks(rootfs.tree_entries(files), ours)
    merged = initrd.regenerate_ld_cache(rootfs.compose([ours, layer]), ours, res, "x86_64")
    cache = {e.soname: e.path for e in ldcache.parse(next(e.data for e in merged if e.name == "etc/ld.so.cache"))}
    assert cache["libexpat.so.1"] == "/lib/x86_64-linux-gnu/libexpat.so.1"
    assert cache["libc.so.6"] == "/lib/x86_64-linux-gnu/libc.so.6"
    assert "libarm.so.1" not in cache and "notes.so.txt" not in cache
    # the interpreter sits in a default folder too (as ldconfig lists it)
    assert set(cache) == {r.soname for r in res if r.how == "ld.so.cache"} | {"libexpat.so.1", "ld-linux-x86-64.so.2"}
    # a cache the host's ld.so reads and uses (the chroot run of the unpacked tree)
    root = tmp_path / "root"
    _unpack(merged, root)
    r = _chroot(root, "/usr/bin/sqlite3", ":memory:", "select 1;", env={"LD_DEBUG": "libs"})
    assert r.returncode == 0 and "search cache=/etc/ld.so.cache" in r.stderr
    # a layer that brings its own cache keeps it
    (files / "etc").mkdir()
    (files / "etc" / "ld.so.cache").write_bytes(b"mine")
    layer = initrd.through_symlinks(rootfs.tree_entries(files), ours)
    merged = initrd.regenerate_ld_cache(rootfs.compose([ours, layer]), ours, res, "x86_64")
    assert next(e.data for e in merged if e.name == "etc/ld.so.cache") == b"mine"


@needs_sqlite
def test_prepare_lays_out_what_the_runspec_needs(tmp_path):
    """run_binary.prepare (the CLI's and benchmarks/binary.py's one
    preparation): the layer, a --rootfs folder over it, ld.so.cache, the
    default memory and a fixed-address program's range; the build is the
    caller's (here one with no library rootfs files)."""
    from types import SimpleNamespace
    from uniforge.cli import run_binary as rb
    t = get_target("qemu/x86_64")
    built = []

    def build(proj):
        built.append(proj)
        return SimpleNamespace(model=SimpleNamespace(rootfs=[]))
    extra = tmp_path / "extra"
    (extra / "srv").mkdir(parents=True)
    (extra / "srv" / "page").write_text("over\n")
    prog = rb.locate(SQLITE, None)
    assert prog.guest == "/usr/bin/sqlite3" and prog.binary_root == prog.lib_root == Path("/")
    p = rb.prepare(prog, t, {"CONFIG_LIBUKSYSCALL_STRACE": "y"}, build, folders=[extra])
    assert built == [p.project] and p.project.target.name == t.name
    assert p.memory_mb == default_memory_mb(len(p.initrd), t)
    assert p.kernel_args == ["posix-process.nodename=uniforge"]       # uname -n = /etc/hostname
    root = tmp_path / "root"
    root.mkdir()
    subprocess.run(["cpio", "-idm", "--quiet"], input=p.initrd, cwd=root, check=True)
    assert (root / "srv" / "page").read_text() == "over\n" and (root / "etc" / "ld.so.cache").is_file()
    r = _chroot(root, "/usr/bin/sqlite3", ":memory:", "select 6*7;")
    assert r.returncode == 0 and r.stdout == "42\n", r.stderr
    busybox = rb.locate(Path("/bin/busybox"), None)         # static non-PIE: its range kept from the heap
    lo, hi = busybox.info.fixed_range
    assert rb.prepare(busybox, t, {}, build).kernel_args == [f"ukboot.reserve={lo:#x}-{hi:#x}",
                                                              "posix-process.nodename=uniforge"]
    # a folder's own /etc/hostname is the node name too; one Linux would not take is an error
    (extra / "etc").mkdir()
    (extra / "etc" / "hostname").write_text("web-1.example\n")
    assert rb.prepare(prog, t, {}, build, folders=[extra]).kernel_args == ["posix-process.nodename=web-1.example"]
    (extra / "etc" / "hostname").write_text("two words\n")
    with pytest.raises(UserError, match="/etc/hostname of the root file system: b'two words' is not a host name"):
        rb.prepare(prog, t, {}, build, folders=[extra])
