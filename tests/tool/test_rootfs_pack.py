"""The root file system in the tool: `rootfs:` in the manifest, `uniforge
run --rootfs DIR`, and the packing of a folder into a cpio newc archive
(uniforge/rootfs.py; the guest side is os/lib/ukcpio, its parser is tested
against the same archives in tests/host/test_cpio.py)."""
import os
import socket
import stat

import pytest

from conftest import uniforge
from uniforge import manifest, rootfs
from uniforge.errors import UserError


def members(data: bytes) -> list[tuple[str, int, int, int, bytes]]:
    """(name, mode, ino, nlink, data) of each member but the trailer."""
    out, off = [], 0
    while True:
        h = data[off:off + 110]
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        name = data[off + 110:off + 110 + f[11] - 1].decode()
        d = off + 110 + f[11]
        d += -d % 4
        if name == "TRAILER!!!":
            return out
        out.append((name, f[1], f[0], f[4], data[d:d + f[6]]))
        off = d + f[6] + (-(d + f[6]) % 4)


def tree(root):
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "motd").write_text("hi\n")
    (root / "bin").mkdir()
    (root / "bin" / "tool").write_bytes(b"\x7fELF")
    (root / "bin" / "tool").chmod(0o755)
    os.symlink("../etc/motd", root / "bin" / "motd")
    os.link(root / "etc" / "motd", root / "etc" / "motd2")
    return root


def test_pack_keeps_kinds_modes_and_hard_links(tmp_path):
    root = tree(tmp_path / "r")
    data = rootfs.pack(root, tmp_path / "a.cpio").read_bytes()
    m = {name: (mode, ino, nlink, body) for name, mode, ino, nlink, body in members(data)}
    assert list(m) == ["bin", "bin/motd", "bin/tool", "etc", "etc/motd", "etc/motd2"]   # sorted
    assert stat.S_ISDIR(m["bin"][0])
    assert m["bin/motd"][0] == stat.S_IFLNK | 0o777 and m["bin/motd"][3] == b"../etc/motd"
    assert m["bin/tool"][0] == stat.S_IFREG | 0o755 and m["bin/tool"][3] == b"\x7fELF"
    # one inode, two links, the data with the last name (as GNU cpio)
    assert m["etc/motd"][1] == m["etc/motd2"][1] and m["etc/motd"][2] == m["etc/motd2"][2] == 2
    assert m["etc/motd"][3] == b"" and m["etc/motd2"][3] == b"hi\n"
    assert len({v[1] for v in m.values()}) == 5


def test_pack_is_reproducible(tmp_path):
    a = tree(tmp_path / "a")
    out = rootfs.pack(a, tmp_path / "1.cpio").read_bytes()
    assert rootfs.pack(a, tmp_path / "2.cpio").read_bytes() == out
    before = (tmp_path / "1.cpio").stat().st_mtime_ns
    rootfs.pack(a, tmp_path / "1.cpio")               # unchanged: not rewritten
    assert (tmp_path / "1.cpio").stat().st_mtime_ns == before


def test_pack_refuses_sockets_and_fifos(tmp_path):
    root = tree(tmp_path / "r")
    os.mkfifo(root / "etc" / "fifo")
    with pytest.raises(UserError) as e:
        rootfs.pack(root, tmp_path / "a.cpio")
    assert f"{root / 'etc' / 'fifo'} is a fifo, which the guest's ramfs cannot hold" in str(e.value)
    assert "hint: remove it" in str(e.value)
    os.unlink(root / "etc" / "fifo")
    s = socket.socket(socket.AF_UNIX)
    try:
        s.bind(str(root / "sock"))
        with pytest.raises(UserError, match="is a socket"):
            rootfs.pack(root, tmp_path / "a.cpio")
    finally:
        s.close()


def test_manifest_rootfs_key(make_app):
    app = make_app("name: a\nrootfs: files\n")
    (app / "files").mkdir()
    m = manifest.load(app)
    assert m.rootfs == (app / "files").resolve()


@pytest.mark.parametrize("text,expected", [
    ("name: a\nrootfs: nope\n", "uniforge.yaml:2: rootfs folder 'nope' does not exist\n"
                                "  hint: create "),
    ("name: a\nrootfs: main.c\n", "uniforge.yaml:2: rootfs folder 'main.c' is not a folder"),
    ("name: a\nrootfs: [a, b]\n", "uniforge.yaml:2: 'rootfs' must be one folder name\n"
                                  "  hint: a folder (relative to the app folder)"),
    ("name: a\nrootfs:\n", "uniforge.yaml:2: 'rootfs' must be one folder name"),
])
def test_manifest_rootfs_errors(make_app, text, expected):
    with pytest.raises(UserError) as e:
        manifest.load(make_app(text))
    assert expected in str(e.value)


def test_rootfs_and_initrd_together_is_an_error(make_app, tmp_path):
    app = make_app("name: a\n")
    (tmp_path / "r").mkdir()
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--rootfs", tmp_path / "r",
                 "--initrd", app / "main.c")
    assert r.rc == 1
    assert "--rootfs and --initrd both give the guest's initrd" in r.err


def test_rootfs_that_is_not_a_folder(make_app, tmp_path):
    app = make_app("name: a\n")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--rootfs", tmp_path / "nope")
    assert r.rc == 1 and "no such folder" in r.err, r.err


def test_a_rootfs_builds_in_the_unpacker(make_app):
    """rootfs: selects ukcpio with its initrd unpacker, which brings the
    file system (vfscore, ramfs); without one none of them is built."""
    from uniforge.project import Project

    app = make_app("name: a\nrootfs: files\n")
    (app / "files").mkdir()
    cfg = Project(app, "linuxu/x86_64").configure()
    assert [cfg.value(s) for s in ("LIBUKCPIO", "LIBUKCPIO_INITRD", "LIBVFSCORE", "LIBRAMFS")] == ["y"] * 4
    cfg = Project(make_app("name: b\n"), "linuxu/x86_64").configure()
    assert cfg.value("LIBUKCPIO") == "n" and cfg.value("LIBVFSCORE") == "n"
