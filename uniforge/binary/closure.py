"""The libraries a dynamic program loads, found as glibc's ld.so finds
them, in the host's file system or in a sysroot (a folder holding a
Debian root: uniforge/debroot.py, `--sysroot DIR`).

    resolve(info, sysroot=None) -> [Resolved(soname, host_path, guest_path, ...)]

The interpreter (PT_INTERP) comes first, then every DT_NEEDED library,
breadth first as ld.so loads them, each soname once. For a name without a
slash, ld.so searches (elf/dl-load.c, _dl_map_object):
  1. DT_RPATH of the object, then of the objects that loaded it up to the
     program, unless the object has DT_RUNPATH;
  2. (LD_LIBRARY_PATH: not used, the guest's is not the host's);
  3. DT_RUNPATH of the object itself;
  4. /etc/ld.so.cache (parsed by ldcache.py) unless DF_1_NODEFLIB; for a
     sysroot without one, the folders of its etc/ld.so.conf, scanned;
  5. the default folders /lib/<triplet>, /usr/lib/<triplet>, /lib, /usr/lib.
$ORIGIN, $LIB and $PLATFORM expand as ld.so expands them. A candidate of
another machine (an i386 library in /usr/lib) is skipped, as ld.so does.

A program whose interpreter is musl's (ld-musl-*.so.1) is searched as
musl's loader does (ldso/dynlink.c, load_library): libc.so, libm.so,
libpthread.so... (its reserved names) are the loader itself; then
DT_RUNPATH or DT_RPATH of the object and of the objects that loaded it,
then the folders of etc/ld-musl-<arch>.path, else /lib, /usr/local/lib,
/usr/lib; no cache.

Guest paths are the paths ld.so opens in the guest (the host's, or the
sysroot's as if it were /). Host paths are the files, every symlink
resolved inside the root (an absolute symlink in a sysroot points into it).
"""
from __future__ import annotations

from dataclasses import dataclass
import glob
import os
from pathlib import Path

from ..errors import UserError
from . import elf, ldcache, pathwalk

TRIPLET = {"x86_64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}
PLATFORM = {"x86_64": "x86_64", "arm64": "aarch64"}
DF_1_NODEFLIB = 0x800
MUSL_ARCH = {"x86_64": "x86_64", "arm64": "aarch64"}
MUSL_RESERVED = ("c", "pthread", "rt", "m", "dl", "util", "xnet")
MUSL_DEFAULT = ["/lib", "/usr/local/lib", "/usr/lib"]


@dataclass(frozen=True)
class Resolved:
    soname: str          # the DT_NEEDED name (for the interpreter: its file name)
    host_path: Path      # the file on the host, symlinks resolved
    guest_path: str      # where ld.so opens it in the guest (absolute)
    needed_by: str = ""  # guest path of the object that asked for it
    how: str = ""        # "PT_INTERP", "DT_RPATH", "DT_RUNPATH", "ld.so.cache", "default folder"


def default_dirs(arch: str) -> list[str]:
    t = TRIPLET[arch]
    return [f"/lib/{t}", f"/usr/lib/{t}", "/lib", "/usr/lib"]


def in_root(root: Path, guest: str) -> Path | None:
    """The host file at absolute path `guest` of the tree `root` (the host's
    / or a sysroot), every symlink followed inside `root` as a chroot
    would (pathwalk.walk); None when it does not exist (or loops)."""
    root = Path(root)
    try:
        name, _ = pathwalk.walk(guest, lambda n: pathwalk.host_step(root / n))
    except pathwalk.WalkError:
        return None
    return root / name


def guest_path_of(binary: Path, sysroot: Path | None) -> str:
    """Where the program sits in the guest: its path inside the sysroot
    when it is in one, else its absolute host path (symlinks in the
    folders kept, as the user named it)."""
    p = Path(os.path.abspath(binary))
    if sysroot is not None:
        root = Path(os.path.abspath(sysroot))
        for cand, base in ((p, root), (p.resolve(), root.resolve())):
            if cand.is_relative_to(base):
                return "/" + str(cand.relative_to(base))
    return str(p)


def _expand(entry: str, origin: str, arch: str) -> str | None:
    """One RPATH/RUNPATH entry with ld.so's substitutions, or None for one
    ld.so ignores (relative without $ORIGIN: relative to the guest's cwd)."""
    t = entry
    for name, val in (("ORIGIN", origin), ("LIB", f"lib/{TRIPLET[arch]}"), ("PLATFORM", PLATFORM[arch])):
        t = t.replace("${" + name + "}", val).replace("$" + name, val)
    return os.path.normpath(t) if t.startswith("/") else None


class _Search:
    """The search state shared across one resolve(): root, cache, arch."""

    def __init__(self, root: Path, arch: str, sysroot: Path | None, musl: bool = False):
        self.root, self.arch, self.musl = root, arch, musl
        if musl:
            self.cache, self.conf_dirs, self.checked = [], [], {}
            self.cache_file = root / "etc" / "ld.so.cache"
            pathfile = in_root(root, f"/etc/ld-musl-{MUSL_ARCH[arch]}.path")
            self.musl_dirs = MUSL_DEFAULT
            if pathfile is not None:
                self.musl_dirs = [d for d in pathfile.read_text(errors="replace").replace(":", "\n").split()
                                  if d.startswith("/")]
            return
        self.cache_file = root / "etc" / "ld.so.cache"
        self.cache = ldcache.read(self.cache_file)
        self.conf_dirs: list[str] = []
        if sysroot is not None and not self.cache:
            self.conf_dirs = _conf_dirs(root, "/etc/ld.so.conf", set())
        self.checked: dict[Path, bool] = {}

    def usable(self, host: Path) -> bool:
        """Whether ld.so would take the file: an ELF of our machine."""
        if host not in self.checked:
            try:
                elf.read(host, self.arch)
                self.checked[host] = True
            except UserError:
                self.checked[host] = False
        return self.checked[host]

    def try_dir(self, d: str, name: str) -> tuple[str, Path] | None:
        guest = os.path.join(d, name)
        host = in_root(self.root, guest)
        if host is not None and host.is_file() and self.usable(host):
            return guest, host
        return None


def _conf_dirs(root: Path, conf: str, seen: set[str]) -> list[str]:
    """The folders an ld.so.conf lists (with its `include` globs), inside root."""
    host = in_root(root, conf)
    if host is None or conf in seen:
        return []
    seen.add(conf)
    out: list[str] = []
    for raw in host.read_text(errors="replace").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("include"):
            pat = line.split(None, 1)[1] if len(line.split(None, 1)) > 1 else ""
            if not pat.startswith("/"):
                pat = os.path.join(os.path.dirname(conf), pat)
            for f in sorted(glob.glob(str(root) + pat)):
                out += _conf_dirs(root, "/" + os.path.relpath(f, root), seen)
        elif line.startswith("/"):
            out.append(line)
    return out


def resolve(info: elf.ElfInfo, sysroot=None, guest_path: str | None = None) -> list[Resolved]:
    """The interpreter and DT_NEEDED closure of the program `info` (read
    by elf.read), searched in the host's / or `sysroot`. `guest_path` is
    the program's path in the guest (default: guest_path_of). [] for a
    static program. Raises UserError naming the library, the object that
    needs it and every place searched, when one is not found; the
    interpreter when it is missing; a symbol version an object needs
    (GLIBC_2.38) that its library does not define, as ld.so would refuse
    it at start-up."""
    sysroot = Path(os.path.abspath(sysroot)) if sysroot is not None else None
    root = sysroot if sysroot is not None else Path("/")
    where = f"the sysroot {sysroot}" if sysroot is not None else "the host"
    me = guest_path or guest_path_of(info.path, sysroot)
    if info.static and not info.needed:
        return []
    s = _Search(root, info.arch, sysroot, musl="ld-musl-" in (info.interp or ""))
    out: list[Resolved] = []
    loaded: dict[str, Resolved] = {}
    infos: dict[str, elf.ElfInfo] = {}            # soname -> the library's ElfInfo
    objects: list[tuple[elf.ElfInfo, str]] = []    # every object with its guest path
    if info.interp is not None:
        host = in_root(root, info.interp)
        if host is None or not host.is_file():
            raise UserError(f"its interpreter {info.interp} (PT_INTERP) is not in {where}", path=info.path,
                            hint=_interp_hint(info.interp, sysroot))
        ld = Resolved(os.path.basename(info.interp), host, info.interp,
                      me, "PT_INTERP")
        out.append(ld)
        ld_info = elf.read(ld.host_path, info.arch)
        loaded[ld_info.soname or ld.soname] = ld
        infos[ld_info.soname or ld.soname] = ld_info
        objects.append((ld_info, ld.guest_path))
    # breadth first: (object's ElfInfo, its guest path, the (ElfInfo, guest path) of the objects
    # that loaded it, nearest first: ld.so's loader chain, for DT_RPATH)
    queue: list[tuple[elf.ElfInfo, str, list[elf.ElfInfo]]] = [(info, me, [])]
    while queue:
        obj, gpath, chain = queue.pop(0)
        objects.append((obj, gpath))
        for name in obj.needed:
            if name in loaded or (s.musl and _musl_reserved(name)):
                continue
            found = _find(s, name, obj, gpath, chain)
            if found is None:
                raise UserError(_not_found(s, name, obj, gpath, chain, where), path=info.path,
                                hint=f"install the package holding {name} (`apt-file search {name}` names it), "
                                     "or pass --sysroot DIR with it, or add it under "
                                     f"{s.musl_dirs[0] if s.musl else '/usr/lib/' + TRIPLET[info.arch]}/ "
                                     "with --rootfs DIR")
            guest, host, how = found
            r = Resolved(name, host, guest, gpath, how)
            loaded[name] = r
            out.append(r)
            infos[name] = elf.read(host, info.arch)
            queue.append((infos[name], guest, [(obj, gpath), *chain]))
    for obj, gpath in objects:
        for lib, versions in obj.version_needs.items():
            have = infos.get(lib)
            missing = sorted(versions - have.version_defs, key=elf.glibc_key) if have is not None else []
            if missing:
                newest = max((v for v in have.version_defs if elf.glibc_key(v)), key=elf.glibc_key, default=None)
                raise UserError(f"{gpath} needs version {missing[-1]} of {lib}, which {have.path} does not define"
                                + (f" (its newest is {newest})" if newest else ""), path=info.path,
                                hint="run it with a newer C library: --sysroot DIR holding the libraries it was "
                                     "built against (e.g. a Debian root of its release)")
    return out


def _origin(s: _Search, gpath: str) -> str:
    """$ORIGIN: the object's folder, symlinks resolved (as ld.so's realpath)."""
    real = in_root(s.root, gpath)
    if real is None:
        return os.path.dirname(gpath)
    return "/" + os.path.dirname(os.path.relpath(real, s.root))


def _paths(s: _Search, obj: elf.ElfInfo, gpath: str, chain: list[tuple[elf.ElfInfo, str]]) \
        -> list[tuple[str, list[str]]]:
    """[(how, folders)] in ld.so's order, before the cache. Each object's
    $ORIGIN is its own folder."""
    out = []
    if not obj.runpath:
        rp = [(d, og) for o, og in [(obj, gpath), *chain] if not o.runpath for d in o.rpath]
        if rp:
            out.append(("DT_RPATH", [x for d, og in rp if (x := _expand(d, _origin(s, og), obj.arch))]))
    if obj.runpath:
        out.append(("DT_RUNPATH", [x for d in obj.runpath if (x := _expand(d, _origin(s, gpath), obj.arch))]))
    return out


def _musl_reserved(name: str) -> bool:
    """A name musl's loader answers with itself (libc.so, libm.so.6...)."""
    return name.startswith("lib") and any(name[3:].startswith(r + ".") for r in MUSL_RESERVED)


def _find_musl(s: _Search, name: str, obj: elf.ElfInfo, gpath: str, chain) -> tuple[str, Path, str] | None:
    for o, og in [(obj, gpath), *chain]:
        for d in o.runpath or o.rpath:
            x = _expand(d, _origin(s, og), o.arch)
            hit = s.try_dir(x, name) if x else None
            if hit:
                return (*hit, "DT_RUNPATH" if o.runpath else "DT_RPATH")
    for d in s.musl_dirs:
        hit = s.try_dir(d, name)
        if hit:
            return (*hit, "musl path")
    return None


def _find(s: _Search, name: str, obj: elf.ElfInfo, gpath: str, chain) -> tuple[str, Path, str] | None:
    if s.musl and "/" not in name:
        return _find_musl(s, name, obj, gpath, chain)
    if "/" in name:      # a path: taken as it is (relative: from the guest's cwd, /)
        guest = name if name.startswith("/") else "/" + name
        host = in_root(s.root, guest)
        return (guest, host, "path") if host else None
    for how, dirs in _paths(s, obj, gpath, chain):
        for d in dirs:
            hit = s.try_dir(d, name)
            if hit:
                return (*hit, how)
    if not obj.flags_1 & DF_1_NODEFLIB:
        cached = ldcache.lookup(s.cache, name, obj.arch)
        if cached is not None:
            host = in_root(s.root, cached)
            if host is not None and s.usable(host):
                return cached, host, "ld.so.cache"
        for d in s.conf_dirs:
            hit = s.try_dir(d, name)
            if hit:
                return (*hit, "ld.so.conf")
    for d in default_dirs(obj.arch):
        hit = s.try_dir(d, name)
        if hit:
            return (*hit, "default folder")
    return None


def _not_found(s: _Search, name, obj, gpath, chain, where) -> str:
    if s.musl:
        places = [f"{'DT_RUNPATH' if o.runpath else 'DT_RPATH'} {d}" for o, _ in [(obj, gpath), *chain]
                  for d in o.runpath or o.rpath] + [f"musl path {d}" for d in s.musl_dirs]
        who = gpath if not chain else f"{gpath} (loaded for {chain[-1][1]})"
        return f"library {name}, needed by {who}, not found in {where}; searched: {', '.join(places)}"
    places = [f"{how} {d}" for how, dirs in _paths(s, obj, gpath, chain) for d in dirs]
    if s.cache:
        places.append(f"ld.so.cache ({s.cache_file})")
    elif s.conf_dirs:
        places += [f"ld.so.conf {d}" for d in s.conf_dirs]
    places += default_dirs(obj.arch)
    who = gpath if not chain else f"{gpath} (loaded for {chain[-1][1]})"
    return f"library {name}, needed by {who}, not found in {where}; searched: {', '.join(places)}"


def _interp_hint(interp: str, sysroot) -> str:
    if "musl" in interp:
        return "install musl (sudo apt-get install musl), or pass --sysroot DIR holding " + interp
    if sysroot is not None:
        return f"add the C library's package to the sysroot (libc6 holds {interp})"
    return f"pass --sysroot DIR with the libraries the program was built against (holding {interp})"
