"""The root file system a guest boots with: a host directory packed into a
cpio newc archive (uniforge/cpio.py), which the runner passes as the initrd
and the guest's ukcpio unpacks into ramfs (os/lib/ukcpio/initrd.c).

Pure but for reading the directory and writing the archive: no printing.
What is kept: directories, regular files, symlinks, hard links (one inode
number, the data on the last link as GNU cpio writes it), the permission
bits with setuid/setgid/sticky, uid, gid and mtime. Sockets, fifos and
device nodes are refused (ramfs has none of them; devfs provides /dev).

Reproducible: members in sorted order, inode numbers by position, so the
same tree (same contents, modes, owners and mtimes) gives the same bytes.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .cpio import CpioEntry, write_newc
from .errors import UserError

_KINDS = {stat.S_IFSOCK: "a socket", stat.S_IFIFO: "a fifo", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device"}


def tree_entries(root: Path) -> list[CpioEntry]:
    """The members for every file under `root` (not `root` itself), in
    sorted order, parents before children. Raises UserError for a file
    type the guest cannot hold or a folder that cannot be read."""
    root = Path(root)
    found: list[tuple[str, os.stat_result, Path]] = []

    def walk(d: Path, rel: str):
        try:
            names = sorted(os.listdir(d))
        except OSError as e:
            raise UserError(f"rootfs: cannot read folder {d}: {e.strerror}") from None
        for n in names:
            p = d / n
            r = f"{rel}/{n}" if rel else n
            st = os.lstat(p)
            kind = stat.S_IFMT(st.st_mode)
            if kind in _KINDS:
                raise UserError(f"rootfs: {p} is {_KINDS[kind]}, which the guest's ramfs cannot hold",
                                hint="remove it from the rootfs folder (devfs provides /dev/null, "
                                     "/dev/zero, /dev/urandom, /dev/console in the guest)")
            found.append((r, st, p))
            if kind == stat.S_IFDIR:
                walk(p, r)

    walk(root, "")
    # hard links: every regular file with st_nlink > 1 seen more than once
    # in the tree shares one inode number; the data goes with the last name
    groups: dict[tuple[int, int], list[int]] = {}
    for i, (_, st, _) in enumerate(found):
        if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
            groups.setdefault((st.st_dev, st.st_ino), []).append(i)
    ino_of: dict[int, tuple[int, int, bool]] = {}     # index -> (ino, nlink, carries data)
    for idx in groups.values():
        if len(idx) > 1:
            for i in idx:
                ino_of[i] = (idx[0] + 1, len(idx), i == idx[-1])
    out = []
    for i, (rel, st, p) in enumerate(found):
        kind = stat.S_IFMT(st.st_mode)
        ino, nlink, with_data = ino_of.get(i, (i + 1, 0, True))
        if kind == stat.S_IFREG:
            data = p.read_bytes() if with_data else b""
        elif kind == stat.S_IFLNK:
            data = os.fsencode(os.readlink(p))
        else:
            data = b""
        out.append(CpioEntry(rel, st.st_mode, data, uid=st.st_uid, gid=st.st_gid,
                             mtime=int(st.st_mtime), ino=ino, nlink=nlink))
    return out


def pack(root: Path, out: Path) -> Path:
    """Pack the directory `root` into the newc archive `out` (rewritten only
    when its bytes change, so its mtime says when the tree last changed).
    Raises UserError if `root` is not a folder or holds what cannot be packed."""
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"rootfs: {root} is not a folder",
                        hint="rootfs: names a folder (relative to the app folder) whose files the "
                             "guest finds under /")
    data = write_newc(tree_entries(root))
    out = Path(out)
    if not out.is_file() or out.read_bytes() != data:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    return out
