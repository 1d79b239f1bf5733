"""Discovery of the micro-libraries: every folder under os/ with a library.toml.

A Library is the parsed descriptor (see ARCHITECTURE.md, "A library folder").
Which sources are built is decided later, with the resolved configuration
(model.py), by evaluating each entry's `if` Kconfig expression; this module
also turns the selected entries into files (globs, `debian:` paths into a
Debian source tree fetched by debsrc.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import fnmatch
from pathlib import Path
import re
import tomllib

from .errors import UserError

DESCRIPTOR = "library.toml"
_KEYS = {"name", "symbol", "provides", "provides_main", "summary", "includes", "private_includes",
         "cflags", "defines", "sources", "linker_script", "ldflags", "debian", "generate", "standalone", "archive",
         "rootfs", "shared_object"}
_ROOTFS_KEYS = {"src", "dst", "include", "exclude", "if"}
_DEBIAN_KEYS = {"package", "version", "patches"}
_GENERATE_KEYS = {"generator", "input", "output", "if", "export"}
DEBIAN_PREFIX = "debian:"       # a path inside the library's Debian source tree
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class CondFile:
    src: str
    cond: str | None = None      # Kconfig expression; None = always
    cflags: tuple[str, ...] = ()  # extra flags for this source only
    exclude: tuple[str, ...] = ()  # glob patterns removed from a glob `src`
    # a pattern, relative to each matched file's folder ({stem}: the file's
    # name without its extension): sources of earlier entries that match it
    # are not built (musl's rule: src/string/x86_64/memcpy.s replaces
    # src/string/memcpy.c, with replaces = "../{stem}.c")
    replaces: str | None = None


@dataclass(frozen=True)
class CondFlag:
    """A `cflags`, `defines` or `ldflags` entry: "VALUE", or
    { value = "VALUE", if = "KCONFIG_EXPR" } (used only when the expression
    holds). `{CONFIG_NAME}` in the value stands for that int, hex or string
    symbol's value (model.py substitutes it)."""
    value: str
    cond: str | None = None


@dataclass(frozen=True)
class RootfsEntry:
    """A `rootfs` entry: files the library puts in the guest's root file
    system. `src`: a file or folder in the library folder (or `debian:` in
    its Debian tree); `dst`: where it goes in the guest (absolute; for a
    file, a trailing `/` means "into that folder"). For a folder, `include`
    and `exclude` are fnmatch patterns over paths relative to `src` (`*`
    also crosses `/`; a folder is matched as `name/`, so `test/**` drops
    the folder `test` and everything in it)."""
    src: str
    dst: str
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    cond: str | None = None


@dataclass(frozen=True)
class DebianSource:
    """`[debian]` of a library.toml: an exact Debian source package version
    and the library's own patches (paths in the library folder, in order)."""
    package: str
    version: str
    patches: tuple[Path, ...]
    descriptor: Path                # the library.toml, for error locations


@dataclass(frozen=True)
class GenStep:
    """`[[generate]]`: run uniforge/gen/<generator>.py over `input` (in the
    library folder, or `debian:` in its Debian tree; a list is read as the
    files' texts one after the other) to make `output` (a path in the build
    folder's gen/<lib>/, e.g. "bits/alltypes.h"). `export`: gen/<lib>/ is an
    include folder of every unit of the image, not only of the library."""
    generator: str
    inputs: tuple[str, ...]
    output: str
    cond: str | None = None
    export: bool = False


@dataclass
class Library:
    name: str
    symbol: str
    path: Path
    provides: str = ""
    provides_main: bool = False     # the library defines main() (an app may then have no sources)
    summary: str = ""
    includes: list[CondFile] = field(default_factory=list)          # exported to every unit
    private_includes: list[CondFile] = field(default_factory=list)  # this library's units only
    cflags: list[CondFlag] = field(default_factory=list)
    defines: list[CondFlag] = field(default_factory=list)      # without -D
    ldflags: list[CondFlag] = field(default_factory=list)
    sources: list[CondFile] = field(default_factory=list)
    linker_script: list[CondFile] = field(default_factory=list)
    debian: DebianSource | None = None
    generate: list[GenStep] = field(default_factory=list)
    # Compiled with its own flags only (no uk/config.h, no other library's
    # headers, no stack protector, no LTO): its partial object depends on
    # nothing but its inputs, so builds share it through the object cache
    # (objcache.py).
    standalone: bool = False
    # Linked as an archive (lib<name>.a), not a partial object: a member
    # goes into the image only when something needs a symbol it defines,
    # so a weak definition stays in force unless the strong one's member is
    # needed (musl's dummy-and-real pairs, e.g. __syscall_cp).
    archive: bool = False
    # Files it puts in the guest's root file system (rootfs.py packs them
    # under the app's own rootfs; the tool then selects LIBUKCPIO_INITRD).
    rootfs: list[RootfsEntry] = field(default_factory=list)
    # ELF shared objects built from some of its sources and embedded by its
    # other units (`[[shared_object]]`, shared_object.py: the vDSO).
    shared_objects: list = field(default_factory=list)

    @property
    def kind(self) -> str:
        """'arch', 'plat', 'drivers' or 'lib', from where it lives in the tree
        (os/arch/*, os/plat/*, os/drivers/*, anything else)."""
        parent = self.path.parent.name
        return parent if parent in ("arch", "plat", "drivers") else "lib"

    @property
    def config_file(self) -> Path | None:
        p = self.path / "Config.uk"
        return p if p.is_file() else None

    @property
    def descriptor(self) -> Path:
        return self.path / DESCRIPTOR


_ENTRY_HINT = ('use "file.c", "dir/*.c", or { src = "file.c", if = "KCONFIG_EXPR", '
               'cflags = ["-O2"], exclude = ["dir/skip_*.c"], replaces = "../{stem}.c" }')


def _str_list(value, key: str, where: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"'{key}' must be a list of strings", path=where)
    return list(value)


_FLAG_HINT = 'write "VALUE" or { value = "VALUE", if = "KCONFIG_EXPR" }; "{CONFIG_NAME}" in a value ' \
             'stands for an int, hex or string Kconfig symbol\'s value'


def _flag_list(value, key: str, where: Path) -> list[CondFlag]:
    """`cflags`/`defines`/`ldflags`: strings and { value, if } tables."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise UserError(f"'{key}' must be a list", path=where, hint=_FLAG_HINT)
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(CondFlag(item))
        elif isinstance(item, dict) and set(item) <= {"value", "if"} and isinstance(item.get("value"), str) \
                and isinstance(item.get("if", ""), str):
            out.append(CondFlag(item["value"], item.get("if")))
        else:
            raise UserError(f"bad '{key}' entry {item!r}", path=where, hint=_FLAG_HINT)
    return out


def _cond_list(value, key: str, where: Path, extra: frozenset = frozenset()) -> list[CondFile]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise UserError(f"'{key}' must be a list", path=where)
    out = []
    for item in value:
        if isinstance(item, str):
            out.append(CondFile(item))
        elif isinstance(item, dict) and isinstance(item.get("src"), str) and \
                set(item) <= {"src", "if"} | extra:
            replaces = item.get("replaces")
            if replaces is not None and not isinstance(replaces, str):
                raise UserError(f"'{key}.replaces' must be a string", path=where, hint=_ENTRY_HINT)
            out.append(CondFile(item["src"], item.get("if"),
                                tuple(_str_list(item.get("cflags", []), f"{key}.cflags", where)),
                                tuple(_str_list(item.get("exclude", []), f"{key}.exclude", where)),
                                replaces))
        else:
            raise UserError(f"bad '{key}' entry {item!r}", path=where, hint=_ENTRY_HINT)
    return out


_ROOTFS_HINT = ('write rootfs = [{ src = "files", dst = "/etc/x" }] (src: a file or folder in the library '
                'folder or "debian:..."; optional include = ["*.py"], exclude = ["test/**"], if = "KCONFIG_EXPR")')


def _rootfs(value, where: Path) -> list[RootfsEntry]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise UserError("'rootfs' must be a list of tables", path=where, hint=_ROOTFS_HINT)
    out = []
    for item in value:
        if not (isinstance(item, dict) and not set(item) - _ROOTFS_KEYS and
                isinstance(item.get("src"), str) and isinstance(item.get("dst"), str) and
                isinstance(item.get("if", ""), str)):
            raise UserError(f"bad 'rootfs' entry {item!r}", path=where, hint=_ROOTFS_HINT)
        dst = item["dst"]
        parts = [p for p in dst.split("/") if p]
        if not dst.startswith("/") or any(p in (".", "..") for p in parts) or "//" in dst:
            raise UserError(f"rootfs dst {dst!r} must be an absolute guest path without '.', '..' or '//'",
                            path=where, hint=_ROOTFS_HINT)
        out.append(RootfsEntry(item["src"], dst,
                               tuple(_str_list(item.get("include", []), "rootfs.include", where)),
                               tuple(_str_list(item.get("exclude", []), "rootfs.exclude", where)),
                               item.get("if")))
    return out


def _debian(value, lib_dir: Path, where: Path) -> DebianSource:
    if not isinstance(value, dict) or set(value) - _DEBIAN_KEYS or not {"package", "version"} <= set(value):
        raise UserError("bad [debian] table", path=where,
                        hint='write [debian] package = "lwip", version = "2.1.3+dfsg1-2", '
                             'patches = ["patches/0001-x.patch"]')
    pkg, ver = value["package"], value["version"]
    if not (isinstance(pkg, str) and re.fullmatch(r"[a-z0-9][a-z0-9+.-]+", pkg)):
        raise UserError(f"bad Debian source package name {pkg!r}", path=where)
    if not (isinstance(ver, str) and re.fullmatch(r"(\d+:)?[A-Za-z0-9.+~-]+", ver) and ver[0].isdigit()):
        raise UserError(f"bad Debian version {ver!r}", path=where,
                        hint="give the exact version, as `apt-cache showsrc` prints it")
    patches = tuple(lib_dir / p for p in _str_list(value.get("patches", []), "debian.patches", where))
    return DebianSource(pkg, ver, patches, where)


def _generate(value, where: Path) -> list[GenStep]:
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise UserError("'generate' must be a list of tables ([[generate]])", path=where)
    out = []
    hint = ('write generator = "consts", input = "x.toml" (or a list, read one after the other), '
            'output = "x.h" (and optionally if = "KCONFIG_EXPR", export = true)')
    for item in value:
        ok = isinstance(item, dict) and not set(item) - _GENERATE_KEYS and \
            {"generator", "input", "output"} <= set(item) and \
            all(isinstance(item[k], str) for k in ("generator", "output", "if") if k in item) and \
            isinstance(item.get("export", False), bool)
        inputs = item.get("input") if isinstance(item, dict) else None
        if isinstance(inputs, str):
            inputs = [inputs]
        if not ok or not isinstance(inputs, list) or not inputs or \
                not all(isinstance(i, str) for i in inputs):
            raise UserError(f"bad [[generate]] entry {item!r}", path=where, hint=hint)
        output = item["output"]
        parts = output.split("/")
        if output.startswith("/") or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            raise UserError(f"generated output {output!r} must be a relative path without '.' or '..' "
                            "parts", path=where)
        out.append(GenStep(item["generator"], tuple(inputs), output, item.get("if"),
                           item.get("export", False)))
    return out


def parse(path: Path) -> Library:
    desc = path / DESCRIPTOR
    try:
        data = tomllib.loads(desc.read_text())
    except tomllib.TOMLDecodeError as e:
        raise UserError(f"not valid TOML: {e}", path=desc) from None
    unknown = set(data) - _KEYS
    if unknown:
        raise UserError(f"unknown key(s) {', '.join(sorted(unknown))}", path=desc,
                        hint="known keys: " + ", ".join(sorted(_KEYS)))
    name = data.get("name", path.name)
    lib = Library(
        name=name,
        symbol=data.get("symbol", "LIB" + name.upper().replace("-", "_")),
        path=path,
        provides=data.get("provides", ""),
        provides_main=bool(data.get("provides_main", False)),
        summary=data.get("summary", ""),
        includes=_cond_list(data.get("includes", []), "includes", desc),
        private_includes=_cond_list(data.get("private_includes", []), "private_includes", desc),
        cflags=_flag_list(data.get("cflags", []), "cflags", desc),
        defines=_flag_list(data.get("defines", []), "defines", desc),
        ldflags=_flag_list(data.get("ldflags", []), "ldflags", desc),
        sources=_cond_list(data.get("sources", []), "sources", desc, frozenset({"cflags", "exclude", "replaces"})),
        linker_script=_cond_list(data.get("linker_script", []), "linker_script", desc),
        debian=_debian(data["debian"], path, desc) if "debian" in data else None,
        generate=_generate(data.get("generate", []), desc),
        standalone=data.get("standalone", False),
        archive=data.get("archive", False),
        rootfs=_rootfs(data.get("rootfs", []), desc),
    )
    if "shared_object" in data:
        from .shared_object import parse as parse_shared_objects   # it imports this module
        lib.shared_objects = parse_shared_objects(data["shared_object"], path, desc)
    for key in ("standalone", "archive"):
        if not isinstance(getattr(lib, key), bool):
            raise UserError(f"'{key}' must be true or false", path=desc)
    paths = [cf.src for cf in lib.sources + lib.includes + lib.private_includes]
    paths += [i for step in lib.generate for i in step.inputs]
    paths += [entry.src for entry in lib.rootfs]
    for src in paths:
        if src.startswith(DEBIAN_PREFIX) and lib.debian is None:
            raise UserError(f"'{src}' points into a Debian source tree, but the library has no "
                            "[debian] table", path=desc, hint="add [debian] package = ..., version = ...")
    return lib


def resolve_path(lib: Library, rel: str, debian_tree: Path | None) -> Path:
    """The file or folder `rel` names: in the library folder, or (with the
    `debian:` prefix) in the fetched Debian source tree."""
    if rel.startswith(DEBIAN_PREFIX):
        assert debian_tree is not None, f"{lib.name}: Debian tree not fetched before resolving {rel}"
        return debian_tree / rel[len(DEBIAN_PREFIX):]
    return lib.path / rel


def expand(lib: Library, cf: CondFile, debian_tree: Path | None) -> list[tuple[str, Path]]:
    """(name, path) for every file a source entry names: one for a plain
    path, the sorted matches (minus `exclude`) for a glob. `name` is the path
    as written relative to its root, with `debian:` kept, so object names stay
    unique. Raises UserError if a file is missing or a glob matches nothing."""
    prefix = DEBIAN_PREFIX if cf.src.startswith(DEBIAN_PREFIX) else ""
    rel = cf.src[len(prefix):]
    root = debian_tree if prefix else lib.path
    assert root is not None
    if not _GLOB.search(rel):
        if not (root / rel).is_file():
            raise UserError(f"'{cf.src}' listed but missing" + (f" in {root}" if prefix else ""),
                            path=lib.descriptor)
        return [(prefix + rel, root / rel)]
    found = []
    for p in sorted(root.glob(rel)):
        name = p.relative_to(root).as_posix()
        if p.is_file() and not any(fnmatch.fnmatchcase(name, x) for x in cf.exclude):
            found.append((prefix + name, p))
    if not found:
        raise UserError(f"'{cf.src}' matches no file" + (f" in {root}" if prefix else ""),
                        path=lib.descriptor, hint="check the pattern (** matches folders recursively)")
    return found


def expand_rootfs(lib: Library, entry: RootfsEntry, debian_tree: Path | None) -> list[tuple[str, Path]]:
    """(guest name without the leading '/', host path) for what a rootfs
    entry puts in the guest: the file, or the folder's files and folders
    that `include` selects and `exclude` does not, parents before children
    (their parents up to `dst` are the caller's: rootfs.library_entries).
    Raises UserError if `src` is missing or selects nothing."""
    root = resolve_path(lib, entry.src, debian_tree)
    dst = entry.dst.strip("/")
    if root.is_file():
        return [(f"{dst}/{root.name}" if entry.dst.endswith("/") else dst, root)]
    if not root.is_dir():
        raise UserError(f"rootfs src '{entry.src}' is missing" + (f" in {debian_tree}" if debian_tree and
                                                                 entry.src.startswith(DEBIAN_PREFIX) else ""),
                        path=lib.descriptor, hint=_ROOTFS_HINT)

    def match(rel: str, patterns, folder: bool) -> bool:
        return any(fnmatch.fnmatchcase(rel, p) or (folder and fnmatch.fnmatchcase(rel + "/", p))
                   for p in patterns)

    found: list[tuple[str, Path]] = []

    def walk(d: Path, rel: str):
        for p in sorted(d.iterdir(), key=lambda p: p.name):
            r = f"{rel}/{p.name}" if rel else p.name
            folder = p.is_dir() and not p.is_symlink()
            if match(r, entry.exclude, folder):
                continue
            if folder:
                at = len(found)
                walk(p, r)
                if len(found) > at or not entry.include or match(r, entry.include, True):
                    found.insert(at, (r, p))
            elif not entry.include or match(r, entry.include, False):
                found.append((r, p))

    walk(root, "")
    if not found:
        raise UserError(f"rootfs src '{entry.src}' selects no file" + (" (include/exclude)" if entry.include
                                                                         or entry.exclude else ""),
                        path=lib.descriptor, hint=_ROOTFS_HINT)
    return [(f"{dst}/{r}" if dst else r, p) for r, p in found]


def discover(os_root: Path) -> dict[str, Library]:
    """All libraries under os_root, by name. Names must be unique."""
    libs: dict[str, Library] = {}
    for desc in sorted(os_root.rglob(DESCRIPTOR)):
        lib = parse(desc.parent)
        if lib.name in libs:
            raise UserError(f"library name '{lib.name}' used twice: {libs[lib.name].path} and {lib.path}")
        libs[lib.name] = lib
    return libs
