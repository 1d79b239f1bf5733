"""The cpio "newc" (SVR4, magic 070701) archive writer: the format Linux
unpacks as an initramfs and the one the guest's ukcpio reads (os/lib/ukcpio;
uniforge/rootfs.py packs a directory with it).

Pure: entries in, bytes out. Device nodes are only header fields, so no root
is needed to put /dev/console in an archive. Names are relative (no leading
slash); the archive ends with the TRAILER!!! entry and is padded to 4 bytes.
"""
from __future__ import annotations

from dataclasses import dataclass
import io

S_IFDIR = 0o040000
S_IFREG = 0o100000
S_IFCHR = 0o020000
S_IFLNK = 0o120000
TRAILER = "TRAILER!!!"


@dataclass(frozen=True)
class CpioEntry:
    """One member of a newc archive. ``name`` has no leading slash."""

    name: str
    mode: int  # full st_mode, type bits included
    data: bytes = b""
    rdev: tuple[int, int] = (0, 0)  # (major, minor) for device nodes
    uid: int = 0
    gid: int = 0
    mtime: int = 0
    # Hard links share an inode number (and list the link count); 0 means
    # "a fresh inode, one link", numbered by position in the archive.
    ino: int = 0
    nlink: int = 0


def newc_dir(name: str, perm: int = 0o755) -> CpioEntry:
    return CpioEntry(name, S_IFDIR | perm)


def newc_file(name: str, data: bytes, perm: int = 0o644) -> CpioEntry:
    return CpioEntry(name, S_IFREG | perm, data)


def newc_chardev(name: str, major: int, minor: int, perm: int = 0o600) -> CpioEntry:
    return CpioEntry(name, S_IFCHR | perm, rdev=(major, minor))


def _pad4(n: int) -> bytes:
    return b"\0" * (-n % 4)


def newc_symlink(name: str, target: str) -> CpioEntry:
    return CpioEntry(name, S_IFLNK | 0o777, target.encode())


def _newc_header(ino: int, e: CpioEntry, namesize: int) -> bytes:
    nlink = e.nlink or (2 if (e.mode & 0o170000) == S_IFDIR else 1)
    fields = (
        ino, e.mode, e.uid, e.gid, nlink, e.mtime, len(e.data),
        0, 0,  # devmajor, devminor of the file system: meaningless here
        e.rdev[0], e.rdev[1],
        namesize,
        0,  # check: only used by the "crc" variant (070702)
    )
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def write_newc(entries: list[CpioEntry]) -> bytes:
    """Serialise ``entries`` as an uncompressed newc archive. Raises
    ValueError for an absolute member name (a bug in the caller). Entries
    with their own ``ino`` keep it; the others are numbered above the
    largest given one."""
    out = io.BytesIO()
    base = max((e.ino for e in entries), default=0)
    for i, e in enumerate([*entries, CpioEntry(TRAILER, 0)], start=1):
        ino = e.ino or base + i
        if e.name.startswith("/"):
            raise ValueError(f"cpio member names are relative: {e.name!r}")
        name = e.name.encode("utf-8", "surrogateescape") + b"\0"
        hdr = _newc_header(0 if e.name == TRAILER else ino, e, len(name))
        out.write(hdr + name + _pad4(len(hdr) + len(name)))
        out.write(e.data + _pad4(len(e.data)))
    data = out.getvalue()
    return data + _pad4(len(data))
