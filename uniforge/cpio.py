"""The cpio "newc" (SVR4, magic 070701) archive writer: the format Linux
unpacks as an initramfs and the one the guest's ukcpio reads (os/lib/ukcpio;
uniforge/rootfs.py packs a directory with it).

Pure: entries in, bytes out. Device nodes are only header fields, so no root
is needed to put /dev/console in an archive. Names are relative (no leading
slash); the archive ends with the TRAILER!!! entry and is padded to 4 bytes.

Page-aligned data: the data of every regular file of a page (4 KiB) or more
starts at a multiple of 4 KiB from the archive's start, so that the guest's
ramfs can take the archive's pages as the file's own instead of copying
them (os/lib/ukcpio/initrd.c). newc itself only aligns to 4 bytes; the
writer gets there by prefixing the member's name with "./" components
(which every reader drops: ukcpio, Linux, GNU cpio), and when the name
would then pass PATH_MAX (4096 bytes), by first repeating the member of the
file's folder, the same folder with the same attributes, with such a name.
The archive stays an ordinary newc archive (`cpio -t` lists it).

A skipped start (write_newc's `skip`): no regular file's data lies in the
archive's first `skip` bytes; the first top-level folder's member is
repeated (same attributes, names padded with "./") until then. For a
range of guest memory the archive is loaded over but the guest cannot
keep as file pages (QEMU pc loads the initrd right after the kernel, over
a fixed-address program's ukboot.reserve= range: files there would be
copied).
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


PAGE = 4096
NAME_MAX = 4096     # namesize limit (NUL included): Linux's PATH_MAX, ukcpio's


def _align4(n: int) -> int:
    return n + (-n % 4)


def _prefix_for(off: int, name: bytes, page: int) -> int | None:
    """How many "./" to put before `name` (NUL included) so that the data
    of a member whose header starts at `off` (a multiple of 4) starts on a
    multiple of `page`; None when the name would pass NAME_MAX."""
    base = off + 110 + len(name)
    target = -(-_align4(base) // page) * page
    k = max(0, (target - 3 - base + 1) // 2)
    while _align4(base + 2 * k) < target:
        k += 1
    assert _align4(base + 2 * k) == target
    return k if len(name) + 2 * k <= NAME_MAX else None


def _filler_prefix(off: int, folder: bytes, name: bytes, page: int) -> int | None:
    """How many "./" to put before the repeated folder member `folder` so
    that `name` (whose member follows it) then fits (see _prefix_for)."""
    for k in range((NAME_MAX - len(folder)) // 2 + 1):
        after = off + _align4(110 + len(folder) + 2 * k)
        if _prefix_for(after, name, page) is not None:
            return k
    return None


def write_newc(entries: list[CpioEntry], page: int = PAGE, skip: int = 0) -> bytes:
    """Serialise ``entries`` as an uncompressed newc archive, the data of
    regular files of `page` bytes or more page-aligned (see the module's
    docstring; page=0: packed as tightly as newc allows), and none in the
    first `skip` bytes (when a top-level folder comes before the first
    file; else `skip` is not kept). Raises ValueError for an absolute
    member name (a bug in the caller). Entries with their own ``ino`` keep
    it; the others are numbered above the largest given one."""
    out = io.BytesIO()
    base = max((e.ino for e in entries), default=0)
    folders = {e.name: e for e in entries if (e.mode & 0o170000) == S_IFDIR}
    fillers = 0
    top: CpioEntry | None = None        # the first top-level folder written

    def member(ino: int, e: CpioEntry, name: bytes) -> None:
        hdr = _newc_header(0 if e.name == TRAILER else ino, e, len(name))
        out.write(hdr + name + _pad4(len(hdr) + len(name)))
        out.write(e.data + _pad4(len(e.data)))

    for i, e in enumerate([*entries, CpioEntry(TRAILER, 0)], start=1):
        ino = e.ino or base + i
        if e.name.startswith("/"):
            raise ValueError(f"cpio member names are relative: {e.name!r}")
        name = e.name.encode("utf-8", "surrogateescape") + b"\0"
        if (e.mode & 0o170000) == S_IFREG and e.data and top is not None:
            tname = top.name.encode("utf-8", "surrogateescape") + b"\0"
            while out.tell() < skip:            # the skipped start: repeats of `top`
                k = max(0, min((NAME_MAX - len(tname)) // 2,
                               (skip - out.tell() - 110 - len(tname)) // 2))
                fillers += 1
                member(top.ino or base + len(entries) + 1 + fillers, top, b"./" * k + tname)
        if page and (e.mode & 0o170000) == S_IFREG and len(e.data) >= page:
            k = _prefix_for(out.tell(), name, page)
            folder = folders.get(e.name.rpartition("/")[0])
            if k is None and folder is not None:
                fname = folder.name.encode("utf-8", "surrogateescape") + b"\0"
                k2 = _filler_prefix(out.tell(), fname, name, page)
                if k2 is not None:
                    fillers += 1
                    member(folder.ino or base + len(entries) + 1 + fillers, folder,
                           b"./" * k2 + fname)
                    k = _prefix_for(out.tell(), name, page)
            if k is not None:
                name = b"./" * k + name
        member(ino, e, name)
        if top is None and (e.mode & 0o170000) == S_IFDIR and e.name and "/" not in e.name:
            top = e
    data = out.getvalue()
    return data + _pad4(len(data))
