"""The object cache: a standalone library's partial object, shared by builds.

A library with `standalone = true` in its library.toml (musl: ~1300 files)
is compiled with its own flags only — no uk/config.h, no other library's
headers, no stack protector, no LTO — so its partial object `lib<name>.o`
depends on nothing but:

- every file of the library folder and of its Debian source tree (sources,
  headers, our patches: the tree is hashed as it is on disk, patched);
- its generators' modules (uniforge/gen/<name>.py) and their inputs (in
  those trees);
- the units' list and every flag (paths inside those trees written
  relative to them, so a second checkout of the repository hits too);
- the compiler's and the linker's identity (`gcc --version`,
  `gcc -dumpmachine`, `ld --version`);
- for a standalone library compiled against the selected libc's headers
  (an application: model.py's `LibBuild.libc`), the libc's own key, which
  covers those headers (the libc's folders, its generators), with the
  libc's folders written as labels in the flags;
- this module's FORMAT.

The SHA-256 of all that is the key; the object lives at
`cache_root()/obj/<lib>/<key>.o`. On a hit the build copies it (ninja rule
`cached`) and compiles nothing of the library; on a miss it compiles as
usual and then stores the partial object (`python -m uniforge.objcache
store SRC DEST`: copy to a temporary name, then rename, so a concurrent
build never reads half a file). Entries are never changed, only added;
`rm -r ~/.cache/uniforge/obj` is always safe.
"""
from __future__ import annotations

from functools import lru_cache
import hashlib
import os
from pathlib import Path
import subprocess
import sys

from .apt import cache_root
from .model import BuildModel, LibBuild
from . import shared_object

FORMAT = "uniforge-objcache-1"


def cache_dir() -> Path:
    return cache_root() / "obj"


@lru_cache(maxsize=8)
def toolchain_id(prefix: str) -> str:
    """What identifies the compiler and linker: their version banners and
    the compiler's target triple."""
    out = []
    for cmd in ([prefix + "gcc", "--version"], [prefix + "gcc", "-dumpmachine"], [prefix + "ld", "--version"]):
        r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        out.append(r.stdout.splitlines()[0] if r.stdout else "")
    return "\n".join(out)


def _hash_tree(h, root: Path, label: str) -> None:
    """Every file under `root` (names relative to it, sorted) into `h`."""
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(dirpath) / name
            h.update(f"{label}/{path.relative_to(root).as_posix()}\0".encode())
            h.update(path.read_bytes())
            h.update(b"\0")


def key(model: BuildModel, lib: LibBuild, trees: dict[str, Path],
        libc: tuple[str, dict[str, Path]] | None = None) -> str:
    """The cache key of a standalone library's partial object (see the
    module's docstring). `trees`: label → folder whose files go in, and
    whose path is written as the label in flags and source names. `libc`:
    (the libc's key, its trees) for a library built on the libc's headers;
    the libc's trees are only relabelled, its key stands for their files."""
    h = hashlib.sha256()
    h.update(f"{FORMAT}\n{toolchain_id(model.tool_prefix)}\n".encode())
    labels = dict(trees)
    if libc is not None:
        h.update(f"libc {lib.libc} {libc[0]}\n".encode())
        labels.update({f"libc-{label}": path for label, path in libc[1].items()})
    roots = sorted(labels.items(), key=lambda kv: -len(str(kv[1])))

    def rel(text: str) -> str:
        for label, path in roots:
            text = text.replace(str(path), "@" + label)
        return text

    for label, path in sorted(trees.items()):
        _hash_tree(h, path, label)
    for g in model.gens:
        if g.lib == lib.name:
            h.update(f"gen {g.generator} {g.output} {[rel(str(i)) for i in g.inputs]}\n".encode())
            h.update(g.module.read_bytes())
    flags = (lib.own_cflags or []) + lib.includes + lib.cflags
    h.update(("flags " + " ".join(rel(f) for f in flags) + f"\nout {lib.partial}\n").encode())
    h.update(shared_object.key_text(model.shared_objects, lib.name, rel).encode())
    for unit in lib.units:
        h.update(f"unit {rel(str(unit.src))} {unit.obj} {' '.join(unit.cflags)}\n".encode())
    return h.hexdigest()


def annotate(model: BuildModel, trees: dict[str, dict[str, Path]]) -> None:
    """For every standalone library of the model, set `cached` (a hit) or
    `store` (a miss). `trees[lib]`: the folders its key covers. The libc
    first: the keys of the libraries built on its headers include its own."""
    keys: dict[str, str] = {}
    for lib in sorted(model.libs, key=lambda b: b.libc is not None):
        if lib.own_cflags is None:
            continue
        on = (keys[lib.libc], trees[lib.libc]) if lib.libc is not None else None
        keys[lib.name] = key(model, lib, trees[lib.name], on)
        path = cache_dir() / lib.name / (keys[lib.name] + Path(lib.partial).suffix)
        if path.is_file():
            lib.cached = path
        else:
            lib.store = path


def store(src: Path, dest: Path) -> None:
    """Copy `src` to `dest` atomically (a temporary name, then rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.write_bytes(src.read_bytes())
    tmp.replace(dest)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "store":
        sys.stderr.write("usage: python -m uniforge.objcache store SRC DEST\n")
        return 2
    store(Path(argv[1]), Path(argv[2]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
