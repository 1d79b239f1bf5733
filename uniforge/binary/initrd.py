"""The root file system of a Linux binary in the guest: the program at its
guest path, its interpreter and libraries where ld.so opens them, the /etc
files glibc reads at start-up, locale files when asked.

    layer(binary, resolved, root, ...) -> [CpioEntry]     (rootfs.compose puts --rootfs over it)

Every path is laid out as it is in its root (the host's / or the sysroot):
a folder that is a symlink there (merged /usr: /lib -> usr/lib, /lib64 ->
usr/lib64, /bin -> usr/bin) is the same symlink in the archive, and so is a
file symlink (/lib64/ld-linux-x86-64.so.2 -> /lib/x86_64-linux-gnu/...,
/usr/bin/redis-server -> redis-check-rdb), ending at the file's bytes.
Owner root and mtime 0, so the same inputs give the same archive.

/etc/ld.so.cache is regenerated (ldcache.write) as ldconfig would for the
guest's tree: layer() writes it for the libraries of the closure that
ld.so found through the cache or the default folders; once the rootfs
layers are over it, regenerate_ld_cache() lists every shared library of
the architecture in those folders of the final tree too (one a program
dlopens, e.g. python's libcrypto.so.3 from --rootfs), unless a layer
brought its own /etc/ld.so.cache.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..cpio import S_IFDIR, S_IFLNK, S_IFREG, CpioEntry
from ..errors import UserError
from . import elf, ldcache, pathwalk
from .closure import Resolved, default_dirs

HOSTNAME = "uniforge"
PASSWD = ("root:x:0:0:root:/root:/bin/sh\n"
          "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
          "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
          "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n")
GROUP = "root:x:0:\ndaemon:x:1:\nwww-data:x:33:\nnogroup:x:65534:\n"
NSSWITCH = ("passwd: files\ngroup: files\nshadow: files\nhosts: files dns\nnetworks: files\n"
            "protocols: files\nservices: files\nethers: files\nrpc: files\n")
HOSTS = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{host}\n"
LOCALE_DIR = "/usr/lib/locale"
CACHE_HOWS = ("ld.so.cache", "ld.so.conf", "default folder")


class Tree:
    """Archive members by name (no leading '/'), parents before children."""

    def __init__(self):
        self.members: dict[str, CpioEntry] = {}

    def dir(self, name: str, perm: int = 0o755) -> None:
        parts = name.split("/")
        for i in range(1, len(parts) + 1):
            n = "/".join(parts[:i])
            if n not in self.members:
                self.members[n] = CpioEntry(n, S_IFDIR | (perm if i == len(parts) else 0o755))

    def file(self, name: str, data: bytes, perm: int = 0o644) -> None:
        if "/" in name:
            self.dir(name.rsplit("/", 1)[0])
        self.members[name] = CpioEntry(name, S_IFREG | perm, data)

    def symlink(self, name: str, target: str) -> None:
        if "/" in name:
            self.dir(name.rsplit("/", 1)[0])
        self.members[name] = CpioEntry(name, S_IFLNK | 0o777, os.fsencode(target))

    def add_path(self, root: Path, guest: str, what: str) -> None:
        """The file at `guest` of the tree `root` with every symlink and
        folder on the way (pathwalk.walk), as in `root` (see the module's
        docstring); a folder: its files, recursively. Raises UserError when
        it is not there, loops, or is not a regular file or folder."""
        def record(name: str) -> pathwalk.Step | None:
            s = pathwalk.host_step(Path(root) / name)
            if s is not None and s.kind == pathwalk.LINK:
                self.symlink(name, s.target)
            elif s is not None and s.kind == pathwalk.DIR:
                self.dir(name, stat.S_IMODE(s.mode) | 0o700)
            return s
        try:
            name, last = pathwalk.walk(guest, record)
        except pathwalk.WalkError as e:
            raise UserError(f"{what} {guest}: " + {
                "missing": f"/{e.at} is not in {root}",
                "loop": f"too many symlinks (a loop?) at /{e.at} in {root}"}.get(
                    e.why, f"/{e.at} in {root} is not a regular file or folder")) from None
        host = Path(root) / name
        if last is not None and last.kind == pathwalk.DIR:
            for child in sorted(os.listdir(host)):
                self.add_path(root, f"/{name}/{child}", what)
        elif last is not None and stat.S_ISREG(last.mode):
            self.file(name, host.read_bytes(), stat.S_IMODE(last.mode) & 0o7755)
        else:
            raise UserError(f"{what} {guest}: /{name} in {root} is not a regular file or folder")

    def entries(self) -> list[CpioEntry]:
        return [self.members[n] for n in sorted(self.members, key=lambda n: tuple(n.split("/")))]


def locale_dir_name(name: str) -> str:
    """glibc's normalised locale folder name: C.UTF-8 -> C.utf8,
    en_US.UTF-8 -> en_US.utf8 (codeset lowercased, '-' dropped)."""
    lang, dot, rest = name.partition(".")
    if not dot:
        return name
    codeset, at, mod = rest.partition("@")
    norm = "".join(c.lower() for c in codeset if c.isalnum())
    return f"{lang}.{norm}{at}{mod}"


def add_locale(tree: Tree, root: Path, name: str) -> None:
    """The files of locale `name` from `root`: its folder under
    /usr/lib/locale (Debian's C.utf8), else the locale-archive. Raises
    UserError naming the locales there are."""
    base = Path(root) / LOCALE_DIR.lstrip("/")
    for cand in dict.fromkeys((locale_dir_name(name), name)):
        if (base / cand).is_dir():
            tree.add_path(root, f"{LOCALE_DIR}/{cand}", f"--locale {name}:")
            return
    if (base / "locale-archive").is_file():
        tree.add_path(root, f"{LOCALE_DIR}/locale-archive", f"--locale {name}:")
        return
    have = sorted(p.name for p in base.iterdir()) if base.is_dir() else []
    raise UserError(f"--locale {name}: no {LOCALE_DIR}/{locale_dir_name(name)} (nor a locale-archive) in {root}",
                    hint=("the locales there: " + ", ".join(have)) if have else
                    "Debian's libc-bin has C.utf8; other locales come from the locales package (locale-gen)")


def layer(binary_root: Path, binary_guest: str, resolved: list[Resolved], lib_root: Path, arch: str, *,
          locales=(), hostname: str = HOSTNAME) -> list[CpioEntry]:
    """The archive members for a program at `binary_guest` of `binary_root`
    whose interpreter and libraries (closure.resolve's, in `lib_root`) are
    laid out as ld.so opens them, with /etc's start-up files and the
    `locales`. Raises UserError for a file that vanished or a locale not
    there."""
    t = Tree()
    t.dir("tmp", 0o1777)
    t.dir("root", 0o700)
    t.add_path(binary_root, binary_guest, "the program")
    for r in resolved:
        t.add_path(lib_root, r.guest_path, f"{r.soname} (needed by {r.needed_by})")
    t.file("etc/passwd", PASSWD.encode())
    t.file("etc/group", GROUP.encode())
    t.file("etc/nsswitch.conf", NSSWITCH.encode())
    t.file("etc/hostname", (hostname + "\n").encode())
    t.file("etc/hosts", HOSTS.format(host=hostname).encode())
    cached = {r.soname: r.guest_path for r in resolved if r.how in CACHE_HOWS}
    if cached:
        t.file("etc/ld.so.cache", ldcache.write(cached, arch))
    for name in locales:
        add_locale(t, lib_root, name)
    return t.entries()


def through_symlinks(entries: list[CpioEntry], base: list[CpioEntry]) -> list[CpioEntry]:
    """`entries` (a --rootfs or rootfs: layer) renamed so that a folder the
    `base` layer has as a symlink stays one, as tar --keep-directory-symlink
    extracts: files/lib/x lands in usr/lib/x when base has lib -> usr/lib,
    and the layer's own folder `lib` is dropped instead of replacing the
    link (which would hide the libraries behind it)."""
    links = {e.name: os.fsdecode(e.data) for e in base if stat.S_ISLNK(e.mode)}
    if not links:
        return entries

    def step(name: str) -> pathwalk.Step:     # the layer's own folders: what base does not link
        return pathwalk.Step(pathwalk.LINK, links[name]) if name in links else pathwalk.Step(pathwalk.DIR)
    out = []
    for e in entries:
        head, _, base_name = e.name.rpartition("/")
        try:
            if stat.S_ISDIR(e.mode):
                name = pathwalk.walk(e.name, step)[0]
            else:
                name = "/".join(filter(None, (pathwalk.walk(head, step)[0], base_name)))
        except pathwalk.WalkError:          # a loop in base: the name as it is
            name = e.name
        if stat.S_ISDIR(e.mode) and name in links:
            continue
        out.append(CpioEntry(name, e.mode, e.data, e.rdev, e.uid, e.gid, e.mtime, e.ino, e.nlink))
    return out


def _member_step(tree: dict[str, CpioEntry], name: str) -> pathwalk.Step | None:
    """A pathwalk lookup over archive members by name."""
    e = tree.get(name)
    if e is None:
        return None
    if stat.S_ISLNK(e.mode):
        return pathwalk.Step(pathwalk.LINK, os.fsdecode(e.data), e.mode)
    return pathwalk.Step(pathwalk.DIR if stat.S_ISDIR(e.mode) else pathwalk.OTHER, "", e.mode)


def _resolve(tree: dict[str, CpioEntry], guest: str) -> str | None:
    """The member name `guest` leads to through the tree's symlinks, or None."""
    try:
        name, _ = pathwalk.walk(guest, lambda n: _member_step(tree, n))
    except pathwalk.WalkError:
        return None
    return name if name in tree else None


def regenerate_ld_cache(entries: list[CpioEntry], ours: list[CpioEntry], resolved: list[Resolved],
                        arch: str) -> list[CpioEntry]:
    """`entries` (the composed tree) with /etc/ld.so.cache listing, after
    the closure's libraries, every shared library of `arch` in the default
    folders and the closure's cache folders, under its DT_SONAME where the
    folder has that name (file or symlink), first folder first. Left as
    it is when a rootfs layer replaced the cache `ours` (layer()'s) has."""
    tree = {e.name: e for e in entries}
    mine = next((e for e in ours if e.name == "etc/ld.so.cache"), None)
    cur = tree.get("etc/ld.so.cache")
    if cur is not None and (mine is None or cur.data != mine.data):
        return entries
    libs = {r.soname: r.guest_path for r in resolved if r.how in CACHE_HOWS}
    dirs = list(dict.fromkeys([*default_dirs(arch),
                               *(os.path.dirname(r.guest_path) for r in resolved if r.how in CACHE_HOWS)]))
    for d in dirs:
        real = _resolve(tree, d)
        if real is None or not stat.S_ISDIR(tree[real].mode):
            continue
        prefix = real + "/" if real else ""
        for name in sorted(n for n in tree if n.startswith(prefix) and "/" not in n[len(prefix):]):
            base = name[len(prefix):]
            if ".so" not in base:
                continue
            target = _resolve(tree, "/" + name)
            e = tree.get(target) if target else None
            if e is None or not stat.S_ISREG(e.mode) or not e.data.startswith(b"\x7fELF"):
                continue
            try:
                info = elf.parse(e.data, "/" + name, arch, versions=False)
            except UserError:
                continue                  # another machine's, or not a library ld.so could load
            soname = info.soname or base
            if soname not in libs and _resolve(tree, f"{d}/{soname}") is not None:
                libs[soname] = f"{d}/{soname}"
    if not libs:
        return entries
    data = ldcache.write(libs, arch)
    if cur is not None:     # in place: the archive keeps its order and inode numbers
        return [CpioEntry(e.name, e.mode, data, e.rdev, e.uid, e.gid, e.mtime, e.ino, e.nlink)
                if e.name == "etc/ld.so.cache" else e for e in entries]
    out = [*entries, CpioEntry("etc/ld.so.cache", S_IFREG | 0o644, data)]
    return sorted(out, key=lambda e: tuple(e.name.split("/")))


def hostname(entries: list[CpioEntry]) -> str:
    """The host name the composed tree's /etc/hostname holds (its first
    line; the layer's HOSTNAME unless a rootfs layer brings its own), the
    guest's uname node name too (posix-process.nodename=). Raises
    UserError when it is not one Linux would take (1-64 bytes of letters,
    digits, '-', '.', '_')."""
    tree = {e.name: e for e in entries}
    name = _resolve(tree, "/etc/hostname")
    text = tree[name].data if name is not None and stat.S_ISREG(tree[name].mode) else b""
    host = text.split(b"\n", 1)[0].strip()
    if not re.fullmatch(rb"[A-Za-z0-9._-]{1,64}", host):
        raise UserError(f"/etc/hostname of the root file system: {host[:80]!r} is not a host name",
                        hint="give it one line of 1-64 letters, digits, '-' or '.' (in the --rootfs or "
                             "rootfs: folder that brings it)")
    return host.decode()


def size(entries: list[CpioEntry]) -> int:
    """The bytes of the members' data (for the memory estimate)."""
    return sum(len(e.data) for e in entries)
