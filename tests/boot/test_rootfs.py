"""The root file system end to end, on every runnable target: a folder on
the host (`uniforge run --rootfs DIR`) is packed into a cpio archive, handed
over as the initrd (Multiboot module on pc, PVH module on microvm, device
tree on virt, ATAGS on raspi3b and zcu102, UK_INITRD on linuxu), unpacked
into ramfs by ukcpio before main, and read back by the fixture
(tests/fixtures/rootfs: getdents64, newfstatat, readlinkat, read through
vfscore): every directory, file (content CRC-32, size, mode with set-id
bits, owner, mtime, hard links) and symlink must be what the host has,
plus the /etc defaults vfscore adds after the unpack for what the tree
lacks (the tree's own /etc/hostname wins). A corrupt archive stops the
boot with status 65 and the offset.
"""
import os
import zlib
from pathlib import Path

import pytest

from conftest import REPO, copy_app, uniforge
from uniforge import cpio

pytestmark = pytest.mark.boot

FIXTURE = REPO / "tests" / "fixtures" / "rootfs"
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return copy_app(FIXTURE, tmp_path_factory.mktemp("rootfs"))


def make_tree(root: Path) -> Path:
    (root / "etc").mkdir(parents=True)
    (root / "etc" / "motd").write_text("hello from the rootfs\n")
    (root / "etc" / "empty").write_bytes(b"")
    (root / "etc" / "hostname").write_text("from-the-rootfs\n")
    (root / "bin").mkdir()
    (root / "bin" / "tool").write_bytes(bytes((i * 7 + (i >> 8)) & 0xFF for i in range(70001)))
    (root / "bin" / "tool").chmod(0o4755)
    (root / "secret").write_bytes(b"s" * 4096)
    (root / "secret").chmod(0o600)
    os.chown(root / "secret", 1000, 1000)
    (root / "private").mkdir(mode=0o700)
    (root / "tmp").mkdir()
    (root / "tmp").chmod(0o1777)
    deep = root / "a" / "b c" / "ünï"
    deep.mkdir(parents=True)
    (deep / "leaf.txt").write_text("deep\n")
    os.symlink("motd", root / "etc" / "motd-link")
    os.symlink("/etc/motd", root / "abs-link")
    os.symlink("nowhere", root / "dangling")
    os.link(root / "etc" / "motd", root / "bin" / "motd-hard")
    os.lchown(root / "abs-link", 7, 8)
    for i, p in enumerate(sorted(root.rglob("*"), reverse=True)):
        os.utime(p, (1_700_000_000 + i, 1_700_000_000 + 100 * i), follow_symlinks=False)
    return root


def host_listing(root: Path) -> list[str]:
    """What the fixture prints, from the host's tree (inode numbers as
    hard-link groups)."""
    out = []
    for p in sorted(root.rglob("*")):
        st = p.lstat()
        path = "/" + str(p.relative_to(root))
        if p.is_symlink():
            out.append(f"L {st.st_uid} {st.st_gid} {int(st.st_mtime)} {path} -> {os.readlink(p)}")
        elif p.is_dir():
            out.append(f"D {st.st_mode & 0o7777:o} {st.st_uid} {st.st_gid} {int(st.st_mtime)} {path}")
        else:
            data = p.read_bytes()
            out.append(f"F {st.st_mode & 0o7777:o} {st.st_uid} {st.st_gid} {int(st.st_mtime)} "
                       f"{st.st_nlink} {st.st_ino} {len(data)} {zlib.crc32(data):08x} {path}")
    return canonical(out)


FIELDS = {"F": 9, "D": 5, "L": 4}      # fields before the path


def canonical(lines: list[str]) -> list[str]:
    """Sorted by path, with each file's inode number replaced by the first
    path of its hard-link group."""
    rows = [line.split(" ", FIELDS[line[0]]) for line in lines]
    rows.sort(key=lambda f: f[-1].split(" -> ")[0] if f[0] == "L" else f[-1])
    first: dict[str, str] = {}
    for f in rows:
        if f[0] == "F":
            f[6] = first.setdefault(f[6], f[-1])
    return [" ".join(f) for f in rows]


ETC_DEFAULTS = ["/etc/passwd", "/etc/group", "/etc/localtime"]   # the tree has its own hostname


def guest_listing(text: str) -> tuple[list[str], list[str]]:
    """(the unpacked tree as host_listing gives it, the /etc defaults
    vfscore added). /etc's mtime is left out: adding them changed it."""
    lines = canonical([line for line in text.splitlines() if line[:2] in ("F ", "D ", "L ")])
    tree, added = [], []
    for line in lines:
        path = line.split(" ", FIELDS[line[0]])[-1]
        if path in ETC_DEFAULTS:
            added.append(path)
        else:
            tree.append(line)
    return tree, added


@pytest.mark.parametrize("target", TARGETS)
def test_rootfs_unpacked_and_read_back(app, tmp_path, target):
    tree = make_tree(tmp_path / "tree")
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--rootfs", tree, timeout=900)
    assert r.rc == 0, r.text
    assert "rootfs: done" in r.out, r.text
    got, added = guest_listing(r.out)

    def no_etc_mtime(lines):
        return [line.rsplit(" ", 2)[0] + " /etc" if line.startswith("D ") and line.endswith(" /etc")
                else line for line in lines]
    assert no_etc_mtime(got) == no_etc_mtime(host_listing(tree)), r.text
    assert sorted(added) == sorted(ETC_DEFAULTS), r.text
    assert "ukcpio" not in r.out, r.text          # nothing skipped, nothing refused


@pytest.mark.parametrize("target", ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64"])
def test_corrupt_archive_stops_the_boot_with_the_offset(app, tmp_path, target):
    good = cpio.write_newc([cpio.newc_dir("etc"), cpio.newc_file("etc/motd", b"hi\n")])
    bad = tmp_path / "bad.cpio"
    bad.write_bytes(good[:116 + 50])                 # the second member's header (at 116) cut short
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", "--initrd", bad, timeout=900)
    assert r.rc == 65, r.text
    assert "ukcpio: initrd: corrupt cpio archive at byte 116 (0x74): a truncated header (-61)" in r.out, r.text
    assert "rootfs: done" not in r.out and "UK-CRASH" not in r.out, r.text
