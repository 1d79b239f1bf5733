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

An image's root file system comes in layers (compose()): the files its
libraries contribute (library.toml `rootfs`; owner root, mtime 0, mode
0755/0644 whatever the checkout's, so their bytes do not depend on where or
when the tree was unpacked), then the app's `rootfs:` folder over them,
then `uniforge run --rootfs DIR` over both: a later layer's member
replaces an earlier one of the same name (a file replacing a folder drops
the folder's members).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .cpio import S_IFDIR, S_IFLNK, S_IFREG, CpioEntry, write_newc
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


def _order(name: str) -> tuple[str, ...]:
    """Sort key: parents right before their children, as a sorted walk."""
    return tuple(name.split("/"))


def library_entries(files: list[tuple[str, Path]]) -> list[CpioEntry]:
    """Members for the files libraries contribute (BuildModel.rootfs: guest
    name without '/' → host file, folder or symlink), with every parent
    folder; owner root, mtime 0, folders 0755, files 0755 if the host's is
    executable else 0644, symlinks as they are. A name given twice: the
    later one."""
    found: dict[str, CpioEntry] = {}
    for name, path in files:
        parts = name.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i])
            if parent not in found or not stat.S_ISDIR(found[parent].mode):
                found[parent] = CpioEntry(parent, S_IFDIR | 0o755)
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            found[name] = CpioEntry(name, S_IFLNK | 0o777, os.fsencode(os.readlink(path)))
        elif stat.S_ISDIR(st.st_mode):
            found[name] = CpioEntry(name, S_IFDIR | 0o755)
        else:
            found[name] = CpioEntry(name, S_IFREG | (0o755 if st.st_mode & 0o111 else 0o644), path.read_bytes())
    return [found[n] for n in sorted(found, key=_order)]


def compose(layers: list[list[CpioEntry]]) -> list[CpioEntry]:
    """One tree from `layers`, each later one over the earlier (see the
    module's docstring), in sorted order with inode numbers by position;
    hard links stay linked within their layer. One layer comes back as it
    is."""
    if len(layers) == 1:
        return layers[0]
    merged: dict[str, tuple[int, CpioEntry]] = {}
    for li, layer in enumerate(layers):
        for e in layer:
            old = merged.get(e.name)
            if old is not None and stat.S_ISDIR(old[1].mode) and not stat.S_ISDIR(e.mode):
                prefix = e.name + "/"
                for n in [n for n in merged if n.startswith(prefix)]:
                    del merged[n]
            merged[e.name] = (li, e)
    names = sorted(merged, key=_order)
    # hard links: the survivors of each (layer, inode) group share the
    # first one's position; the data goes with the last, as tree_entries
    groups: dict[tuple[int, int], list[int]] = {}
    for i, n in enumerate(names):
        li, e = merged[n]
        if e.nlink:
            groups.setdefault((li, e.ino), []).append(i)
    data_of = {(li, e.ino): e.data for li, layer in enumerate(layers) for e in layer if e.nlink and e.data}
    out = []
    for i, n in enumerate(names):
        li, e = merged[n]
        ino, nlink, data = i + 1, 0, e.data
        if e.nlink:
            idx = groups[(li, e.ino)]
            data = data_of.get((li, e.ino), b"") if i == idx[-1] else b""
            if len(idx) > 1:
                ino, nlink = idx[0] + 1, len(idx)
        out.append(CpioEntry(e.name, e.mode, data, e.rdev, e.uid, e.gid, e.mtime, ino, nlink))
    return out


def _write(data: bytes, out: Path) -> Path:
    """Write `data` to `out` unless it already holds exactly that (so its
    mtime says when the tree last changed); atomically."""
    out = Path(out)
    if not out.is_file() or out.read_bytes() != data:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(data)
        tmp.replace(out)
    return out


def _folder(root: Path) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"rootfs: {root} is not a folder",
                        hint="rootfs: names a folder (relative to the app folder) whose files the "
                             "guest finds under /")
    return root


def pack(root: Path, out: Path) -> Path:
    """Pack the directory `root` into the newc archive `out` (rewritten only
    when its bytes change, so its mtime says when the tree last changed).
    Raises UserError if `root` is not a folder or holds what cannot be packed."""
    return _write(write_newc(tree_entries(_folder(root))), out)


def pack_layers(library_files: list[tuple[str, Path]], folders: list[Path], out: Path) -> Path | None:
    """Pack the libraries' files, then each folder over them (compose()),
    into `out` (rewritten only when its bytes change). None when there is
    nothing to pack. With only one folder, the same bytes as pack()."""
    layers = [library_entries(library_files)] if library_files else []
    layers += [tree_entries(_folder(f)) for f in folders]
    if not layers:
        return None
    return _write(write_newc(compose(layers)), out)
