"""Shared objects a library builds and embeds in the image (the vDSO).

A library.toml may ask for an ELF shared object built from some of its
sources with the target's cross compiler, apart from the kernel:

    [[shared_object]]
    output = "vdso.so"                  # made as gen/<lib>/vdso.so
    sources = ["dso/vdso.c"]            # entries as in `sources` (src, if)
    linker_script = "dso/vdso.lds"      # -Wl,-T
    version_script = "dso/x86_64.map"   # -Wl,--version-script
    cflags = ["-O2"]                    # after the common ones
    ldflags = ["-Wl,-soname=linux-vdso.so.1"]
    if = "ARCH_X86_64"                  # Kconfig expression (optional)

Entries may share an output name when their `if` never hold together (one
per architecture).
Its units are compiled with the image's common flags (optimisation, arch,
the compiler's headers; no stack protector, no LTO) plus `-fPIC`,
uk/config.h and the library's include folders, then linked `-shared
-nostdlib` with `--hash-style=both` (DT_HASH and DT_GNU_HASH: musl reads
the first, glibc the second), no build id, and `--strip-all` (the dynamic
symbol table stays). The library's own units (the kernel side) then embed
it by name: they are assembled with `-Wa,-Igen/<lib>`, so that
`.incbin "vdso.so"` finds it, and ninja rebuilds them whenever it changes
(an implicit dependency: gcc's depfiles do not list .incbin files).

model.py calls plan() per library; ninja.py calls write() once. A
standalone library's object-cache key (objcache.py) covers its shared
objects through key_text().
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import UserError
from .library import CondFile, Library, _cond_list, _str_list, expand, resolve_path

KEY = "shared_object"
_KEYS = {"output", "sources", "linker_script", "version_script", "cflags", "ldflags", "if"}
_HINT = ('write [[shared_object]] output = "x.so", sources = ["dso/x.c"], linker_script = "dso/x.lds", '
         'version_script = "dso/x.map" (optional: cflags = [...], ldflags = [...], if = "KCONFIG_EXPR")')
# Always on the link line of a shared object (ARCHITECTURE.md, "Shared objects").
LINK_FLAGS = ("-shared", "-nostdlib", "-fPIC", "-Wl,--hash-style=both", "-Wl,--build-id=none",
              "-Wl,--strip-all", "-Wl,-z,max-page-size=0x1000", "-Wl,-z,noexecstack", "-Wl,--no-undefined")


@dataclass(frozen=True)
class SharedObjectSpec:
    """One `[[shared_object]]` table of a library.toml."""
    output: str
    sources: tuple[CondFile, ...]
    linker_script: str
    version_script: str
    cflags: tuple[str, ...] = ()
    ldflags: tuple[str, ...] = ()
    cond: str | None = None


@dataclass(frozen=True)
class SharedObjectBuild:
    """A shared object to build: objects from sources, then the link."""
    lib: str
    output: str                         # relative to the build dir: gen/<lib>/<output>
    units: tuple[tuple[Path, str], ...]  # (source, object relative to the build dir)
    cflags: tuple[str, ...]
    linker_script: Path
    version_script: Path
    ldflags: tuple[str, ...]


def parse(value, lib_dir: Path, where: Path) -> list[SharedObjectSpec]:
    """The `shared_object` entries of a library.toml (a table or a list of
    tables). Raises UserError naming the file for a malformed entry."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise UserError(f"'{KEY}' must be a list of tables ([[{KEY}]])", path=where, hint=_HINT)
    out = []
    for item in value:
        if not isinstance(item, dict) or set(item) - _KEYS or \
                not {"output", "sources", "linker_script", "version_script"} <= set(item) or \
                not all(isinstance(item.get(k, ""), str)
                        for k in ("output", "linker_script", "version_script", "if")):
            raise UserError(f"bad [[{KEY}]] entry {item!r}", path=where, hint=_HINT)
        output = item["output"]
        if "/" in output or output.startswith(".") or not output.endswith(".so"):
            raise UserError(f"shared object output {output!r} must be a file name ending in .so",
                            path=where, hint=_HINT)
        for key in ("linker_script", "version_script"):
            if not (lib_dir / item[key]).is_file():
                raise UserError(f"[[{KEY}]] {key} '{item[key]}' is missing", path=where)
        out.append(SharedObjectSpec(output, tuple(_cond_list(item["sources"], f"{KEY}.sources", where)),
                                    item["linker_script"], item["version_script"],
                                    tuple(_str_list(item.get("cflags", []), f"{KEY}.cflags", where)),
                                    tuple(_str_list(item.get("ldflags", []), f"{KEY}.ldflags", where)),
                                    item.get("if")))
    return out


def plan(lib: Library, enabled: Callable[[str | None], bool], common: list[str], config_header: Path,
         include_dirs: list[Path]) -> list[SharedObjectBuild]:
    """The shared objects `lib` builds in this configuration. `common`: the
    flags every unit of the image shares (model.py); `include_dirs`: the
    image's include folders (the library's own among them)."""
    builds = []
    for spec in lib.shared_objects:
        if not enabled(spec.cond):
            continue
        stem = spec.output[:-len(".so")]
        units = []
        for cf in spec.sources:
            if enabled(cf.cond):
                units += [(path, f"obj/{lib.name}/@so/{stem}/{name}.o") for name, path in expand(lib, cf, None)]
        if not units:
            raise UserError(f"shared object {spec.output}: no source is selected", path=lib.descriptor)
        cflags = tuple(common) + ("-fPIC", "-include", str(config_header)) + \
            tuple(f"-I{d}" for d in include_dirs) + spec.cflags
        if any(b.output.endswith("/" + spec.output) for b in builds):
            raise UserError(f"two [[{KEY}]] entries make {spec.output} in this configuration",
                            path=lib.descriptor, hint="make their `if` expressions exclusive")
        builds.append(SharedObjectBuild(lib.name, f"gen/{lib.name}/{spec.output}", tuple(units), cflags,
                                        resolve_path(lib, spec.linker_script, None),
                                        resolve_path(lib, spec.version_script, None), spec.ldflags))
    return builds


def embed_flags(lib_name: str) -> list[str]:
    """What the units of a library with shared objects get, so that
    `.incbin "<output>"` finds them (ninja runs in the build folder)."""
    return [f"-Wa,-Igen/{lib_name}"]


def key_text(builds: list[SharedObjectBuild], lib_name: str, rel: Callable[[str], str]) -> str:
    """The part of a library's object-cache key its shared objects make
    (their files are in the library folder, which the key hashes)."""
    return "".join(f"so {b.output} {[(rel(str(s)), o) for s, o in b.units]} {' '.join(rel(f) for f in b.cflags)} "
                   f"{rel(str(b.linker_script))} {rel(str(b.version_script))} {' '.join(b.ldflags)}\n"
                   for b in builds if b.lib == lib_name)


def write(n, builds: list[SharedObjectBuild], quote: Callable[[str], str]) -> None:
    """Their rules and edges in build.ninja (n: a ninja_syntax.Writer)."""
    if not builds:
        return
    n.rule("so_cc", "$cc -MD -MF $out.d $socflags -c $in -o $out", depfile="$out.d", deps="gcc",
           description="CC (shared object) $out")
    n.rule("so_link", f"$cc {' '.join(LINK_FLAGS)} -Wl,-T,$script -Wl,--version-script=$map $soldflags "
                      "$in -o $out", description="LINK (shared object) $out")
    for b in builds:
        objs = []
        for src, obj in b.units:
            n.build(obj, "so_cc", str(src), variables={"socflags": " ".join(quote(f) for f in b.cflags)})
            objs.append(obj)
        n.build(b.output, "so_link", objs, implicit=[str(b.linker_script), str(b.version_script)],
                variables={"script": quote(str(b.linker_script)), "map": quote(str(b.version_script)),
                           "soldflags": " ".join(quote(f) for f in b.ldflags)})
