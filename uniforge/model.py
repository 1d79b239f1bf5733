"""The build model: pure data describing what to compile and link.

Inputs are already parsed and resolved (libraries, configuration, manifest,
target); the output says, for every selected micro-library, which sources
become which objects with which flags, and how the image is linked. The
model knows nothing about Ninja (ninja.py) or QEMU (runner/).
"""
from __future__ import annotations

from dataclasses import dataclass, field
import fnmatch
from pathlib import Path
import posixpath
import re
import sys
from typing import Callable

from .errors import UserError
from .gen import generator_module
from .library import _GLOB, CondFile, CondFlag, Library, expand, expand_rootfs, resolve_path
from .manifest import Manifest
from . import shared_object
from .targets import Target

BASE_CFLAGS = (
    "-std=gnu11", "-ffreestanding", "-nostdinc",
    "-fno-stack-protector", "-fno-pic", "-fno-pie",
    "-fno-omit-frame-pointer", "-mno-omit-leaf-frame-pointer",   # backtraces
    "-ffunction-sections", "-fdata-sections", "-fno-asynchronous-unwind-tables",
    "-fno-tree-loop-distribute-patterns",
    "-Wall", "-Wextra", "-Wno-unused-parameter",
)
OPT_FLAGS = {"OPTIMIZE_SIZE": "-Os", "OPTIMIZE_PERF": "-O2", "OPTIMIZE_DEBUG": "-Og"}
# The Kconfig stack protector choice (os/Config.uk), after BASE_CFLAGS' -fno-stack-protector
# (which host harnesses keep). The canary is the global __stack_chk_guard (ukdebug), not
# %fs:0x28: it must not depend on TLS being set up.
STACK_PROTECTOR_FLAGS = {
    "STACK_PROTECTOR_STRONG": ["-fstack-protector-strong", "-mstack-protector-guard=global"],
    "STACK_PROTECTOR_ALL": ["-fstack-protector-all", "-mstack-protector-guard=global"],
}


@dataclass(frozen=True)
class Unit:
    src: Path           # absolute, or relative to the build dir for generated sources
    obj: str            # path relative to the build dir
    cflags: tuple[str, ...] = ()   # this source's own flags (after the library's)


@dataclass(frozen=True)
class GenBuild:
    """One generator run: `python -m uniforge.gen <generator> <inputs...> <output>`."""
    lib: str
    generator: str
    inputs: tuple[Path, ...]
    output: str         # relative to the build dir (gen/<lib>/<file>)
    module: Path        # the generator's source, so editing it regenerates


@dataclass
class LibBuild:
    name: str
    path: Path
    units: list[Unit]
    cflags: list[str]   # after the global flags: library cflags and -D defines
    partial: str        # relative path of the ld -r output (lib<name>.o)
    includes: list[str] = field(default_factory=list)   # private -I flags, before the global ones
    generated: list[str] = field(default_factory=list)  # gen outputs its units wait for
    # A standalone library (library.toml `standalone = true`): its units use
    # `own_cflags` instead of the image's global flags, and its partial
    # object may come from the object cache (objcache.py fills these two).
    own_cflags: list[str] | None = None
    # A standalone library that is not the libc is compiled against the
    # selected libc's headers: its cache key then includes the libc's key.
    libc: str | None = None
    # Its objects are LTO IR (-flto; a standalone application library under
    # CONFIG_OPTIMIZE_LTO): the partial object is an incremental LTO link
    # (`gcc -r -flto`), still IR, optimised with the rest at the final link.
    lto: bool = False
    archive: bool = False           # `partial` is an archive (lib<name>.a), linked as one
    # Files its units embed (.incbin) besides their depfiles' (its shared
    # objects): a change rebuilds them.
    implicit: list[str] = field(default_factory=list)
    cached: Path | None = None      # cache hit: copy this file to `partial`, compile nothing
    store: Path | None = None       # cache miss: after linking `partial`, store it here


@dataclass
class BuildModel:
    target: Target
    app: str
    build_dir: Path
    tool_prefix: str
    cflags: list[str]            # for every unit (includes, defines, arch flags)
    libs: list[LibBuild]
    linker_script: Path
    ldflags: list[str]
    image_dbg: str               # linked ELF with symbols
    image: str                   # the runnable image (stripped; format per target)
    map_file: str
    lto: bool = False
    opt: str = "-Os"             # the configured optimisation level (also on an LTO link line)
    python: str = sys.executable  # runs the generators (python -m uniforge.gen)
    gens: list[GenBuild] = field(default_factory=list)
    exported: list[str] = field(default_factory=list)   # gen outputs every unit waits for (export = true)
    extra_outputs: list[str] = field(default_factory=list)
    # What the selected libraries put in the guest's root file system
    # (library.toml `rootfs`): guest name (no leading '/') → host path, in
    # library order; rootfs.py packs them under the app's rootfs.
    rootfs: list[tuple[str, Path]] = field(default_factory=list)
    # ELF shared objects the libraries build and embed (shared_object.py).
    shared_objects: list[shared_object.SharedObjectBuild] = field(default_factory=list)

    def all_units(self):
        for lib in self.libs:
            for u in lib.units:
                yield lib, u


def _obj_name(name: str) -> str:
    """Object path part for a source named as in library.toml: `debian:x.c`
    becomes `@debian/x.c`, so it cannot clash with a file of the library."""
    return "@debian/" + name[len("debian:"):] if name.startswith("debian:") else name


def _replaced(name: str, pattern: str) -> str:
    """The pattern of the names a `replaces` entry drops for the file `name`
    (both as written in library.toml, `debian:` kept)."""
    prefix = "debian:" if name.startswith("debian:") else ""
    rel = posixpath.join(posixpath.dirname(name[len(prefix):]),
                         pattern.replace("{stem}", posixpath.splitext(posixpath.basename(name))[0]))
    return prefix + posixpath.normpath(rel)


_CONFIG_REF = re.compile(r"\{(CONFIG_[A-Za-z0-9_]+)\}")


def resolve_flags(lib: Library, key: str, entries: list[CondFlag], enabled: Callable[[str | None], bool],
                  value: Callable[[str], tuple[str, str] | None]) -> list[str]:
    """The values of a library's `cflags`/`defines`/`ldflags` entries whose
    `if` holds, each `{CONFIG_NAME}` replaced by that symbol's value. Raises
    UserError (at the library.toml line) for a symbol no Kconfig file
    defines, a bool/tristate, or one without a value (its dependencies
    unmet)."""
    return [_CONFIG_REF.sub(lambda m, e=entry: _config_value(lib, key, e, m, value), entry.value)
            for entry in entries if enabled(entry.cond)]


def _config_value(lib: Library, key: str, entry: CondFlag, m: re.Match,
                  value: Callable[[str], tuple[str, str] | None]) -> str:
    """The value `{CONFIG_NAME}` (match `m` in `entry`) stands for."""
    name = m.group(1)
    found = value(name)
    if found is not None and found[0] in ("int", "hex", "string") and (found[1] or found[0] == "string"):
        return found[1]
    if found is None:
        why = "no Kconfig file defines it"
    elif found[0] in ("bool", "tristate"):
        why = f"it is a {found[0]}; only int, hex and string values can be substituted"
    else:
        why = "it has no value (its dependencies are not met)"
    raise UserError(f"'{key}' entry {entry.value!r}: {{{name}}} cannot be substituted: {why}",
                    path=lib.descriptor, line=_line_of(lib.descriptor, m.group(0)),
                    hint="name an int, hex or string symbol of a Config.uk (in an entry whose "
                         "`if` needs it: { value = \"...\", if = \"...\" }); test a bool with `if`")


def _line_of(path: Path, text: str) -> int | None:
    """The first line of `path` holding `text` (for error locations)."""
    try:
        for i, line in enumerate(path.read_text().splitlines(), start=1):
            if text in line:
                return i
    except OSError:
        pass
    return None


def build_model(*, target: Target, libs: dict[str, Library], manifest: Manifest,
                enabled: Callable[[str | None], bool], build_dir: Path, os_root: Path,
                cc_include: Path, tool_prefix: str, config_header: Path,
                debian_trees: dict[str, Path] | None = None,
                value: Callable[[str], tuple[str, str] | None] = lambda name: None) -> BuildModel:
    """`enabled(expr)` evaluates a Kconfig expression in the resolved config;
    `value(CONFIG_NAME)` gives a symbol's (type, value) (config.typed_value).
    `debian_trees` maps each selected library with a [debian] table to its
    fetched, patched source tree (debsrc.ensure)."""
    debian_trees = debian_trees or {}
    selected = [lib for lib in libs.values() if enabled(lib.symbol)]
    # Stable order: arch, plat, drivers, libraries, then the app (matters only for the map file).
    order = {"arch": 0, "plat": 1, "drivers": 2, "lib": 3}
    selected.sort(key=lambda lib: (order[lib.kind], lib.name))

    opt = next((flag for sym, flag in OPT_FLAGS.items() if enabled(sym)), "-Os")
    lto = enabled("OPTIMIZE_LTO")
    include_dirs: list[Path] = [os_root / "include"]
    # An external C library's public headers are system headers: its code
    # is not ours to warn about, so an app's build shows only its own
    # warnings. They come before the compiler's freestanding headers
    # (musl's stdint.h, not GCC's).
    libc_dirs: list[Path] = []
    libc = next((lib for lib in selected if lib.provides == "libc"), None)
    for lib in selected:
        tree = debian_trees.get(lib.name)
        dirs = [resolve_path(lib, inc.src, tree) for inc in lib.includes if enabled(inc.cond)]
        if lib.provides == "libc" and tree is not None:
            libc_dirs += dirs
        else:
            include_dirs += dirs
        if any(step.export and enabled(step.cond) for step in lib.generate):
            include_dirs.append(Path("gen") / lib.name)
    # What every unit, a standalone library's included, is compiled with.
    common = list(BASE_CFLAGS) + [opt] + list(target.arch.cflags)
    if enabled("DEBUG_SYMBOLS"):
        common.append("-g")
    common += ["-isystem", str(cc_include)]
    cflags = list(common)
    at = cflags.index("-isystem")
    cflags[at:at] = [f for d in libc_dirs for f in ("-isystem", str(d))]
    # __FILE__ (assertion messages) relative to the checkout: the image's bytes,
    # and its size, do not depend on where the tree is.
    cflags.append(f"-fmacro-prefix-map={os_root.parent}/=")
    cflags += next((f for sym, f in STACK_PROTECTOR_FLAGS.items() if enabled(sym)), [])
    if lto:
        cflags.append("-flto")
    cflags += ["-include", str(config_header)]
    cflags += [f"-I{d}" for d in include_dirs]
    # Generated outputs every unit waits for (exported headers).
    exported_gen = [f"gen/{lib.name}/{step.output}" for lib in selected for step in lib.generate
                    if step.export and enabled(step.cond)]
    # What a standalone library other than the libc is compiled with: the
    # common flags and the libc's public headers (system headers: its
    # exported generated ones, e.g. musl's bits/alltypes.h, then its include
    # folders) before the compiler's, as for app code — but no uk/config.h
    # and no kernel header, so its objects depend on nothing of the image.
    libc_gen = [f"gen/{libc.name}/{step.output}" for step in libc.generate
                if step.export and enabled(step.cond)] if libc is not None else []
    on_libc = list(common)
    at = on_libc.index("-isystem")
    on_libc[at:at] = ((["-isystem", f"gen/{libc.name}"] if libc_gen else [])
                      + [f for inc in (libc.includes if libc is not None else []) if enabled(inc.cond)
                         for f in ("-isystem", str(resolve_path(libc, inc.src, debian_trees.get(libc.name))))])

    out_libs: list[LibBuild] = []
    rootfs_files = [item for lib in selected for entry in lib.rootfs if enabled(entry.cond)
                    for item in expand_rootfs(lib, entry, debian_trees.get(lib.name))]
    gens: list[GenBuild] = []
    sos: list[shared_object.SharedObjectBuild] = []
    scripts: list[Path] = []
    ldflags: list[str] = []
    for lib in selected:
        tree = debian_trees.get(lib.name)
        units: dict[str, Unit] = {}      # by name as written; a file matched twice is built once
        for cf in lib.sources:
            if not enabled(cf.cond):
                continue
            found = expand(lib, cf, tree)
            if cf.replaces:
                for name, _ in found:
                    for old in fnmatch.filter(list(units), _replaced(name, cf.replaces)):
                        del units[old]
            for name, path in found:
                units[name] = Unit(path, f"obj/{lib.name}/{_obj_name(name)}.o", cf.cflags)
        unit_list = list(units.values())
        lds = [cf for cf in lib.linker_script if enabled(cf.cond)]
        for cf in lds:
            expand(lib, cf, tree)         # raises if missing
        private = [resolve_path(lib, inc.src, tree) for inc in lib.private_includes if enabled(inc.cond)]
        generated = []
        for step in lib.generate:
            if not enabled(step.cond):
                continue
            out = f"gen/{lib.name}/{step.output}"
            inputs = []
            for rel in step.inputs:
                if _GLOB.search(rel):       # a glob: its sorted matches (none is an error)
                    inputs += [p for _, p in expand(lib, CondFile(rel), tree) if p not in inputs]
                    continue
                path = resolve_path(lib, rel, tree)
                if not path.is_file():
                    raise UserError(f"generator input '{rel}' is missing", path=lib.descriptor)
                inputs.append(path)
            gens.append(GenBuild(lib.name, step.generator, tuple(inputs), out,
                                 generator_module(step.generator, lib.descriptor)))
            generated.append(out)
            if Path(step.output).suffix in (".c", ".S"):
                unit_list.append(Unit(Path(out), f"obj/{lib.name}/@gen/{step.output}.o"))
        lib_sos = shared_object.plan(lib, enabled, common, config_header, include_dirs)
        sos += lib_sos
        if generated or lib_sos:
            # Relative to the build folder (where ninja runs), so the compiler's
            # depfile names the header exactly as its gen edge does: ninja then
            # knows to regenerate it before deciding what to recompile.
            private.append(Path("gen") / lib.name)
        scripts += [resolve_path(lib, cf.src, tree) for cf in lds]
        ldflags += resolve_flags(lib, "ldflags", lib.ldflags, enabled, value)
        if unit_list:
            own = None
            waits = generated + [g for g in exported_gen if g not in generated]
            on = None
            if lib.standalone:
                own_incs = [resolve_path(lib, inc.src, tree) for inc in lib.includes if enabled(inc.cond)]
                if libc is None or lib is libc:
                    own = common + [f"-I{d}" for d in own_incs]
                else:
                    if not libc.standalone:
                        raise UserError(f"library {lib.name} is standalone (compiled against the libc's "
                                        f"headers only), but the selected libc, {libc.name}, is not",
                                        path=lib.descriptor,
                                        hint="select a standalone libc (`libraries: [musl, ...]`), or drop "
                                             "`standalone = true`")
                    own = on_libc + [f"-I{d}" for d in own_incs] + (["-flto"] if lto else [])
                    waits = generated + libc_gen
                    on = libc.name
            out_libs.append(LibBuild(lib.name, lib.path, unit_list,
                                     resolve_flags(lib, "cflags", lib.cflags, enabled, value)
                                     + [f"-D{d}" for d in resolve_flags(lib, "defines", lib.defines, enabled, value)]
                                     + [f'-D__LIBNAME__="{lib.name}"'],
                                     f"lib/lib{lib.name}.{'a' if lib.archive else 'o'}",
                                     [f"-I{d}" for d in private], waits,
                                     own_cflags=own, libc=on, archive=lib.archive,
                                     lto=lto and on is not None))
            if lib_sos:
                out_libs[-1].includes += shared_object.embed_flags(lib.name)
                out_libs[-1].implicit = [so.output for so in lib_sos]

    app_units = [Unit(src, "obj/app/" + str(src.relative_to(manifest.app_dir) if src.is_relative_to(manifest.app_dir)
                                            else src.name) + ".o")
                 for src in manifest.sources]
    mains = [lib.name for lib in selected if lib.provides_main]
    if not app_units and not mains:
        raise UserError(f"the application has no sources (no *.c in {manifest.app_dir}) and no "
                        "selected library provides main()",
                        path=manifest.path, hint="add a main.c, list files under `sources:`, or select "
                        "a library that provides main under `libraries:`")
    # The app's kernel parameters are written app.<name>=<value>.
    app_cflags = list(manifest.cflags) + ['-D__LIBNAME__="app"']
    app_incs = [f"-I{manifest.app_dir / d}" for d in manifest.includes] + [f"-I{manifest.app_dir}"]
    if app_units:
        out_libs.append(LibBuild("app" + manifest.name, manifest.app_dir, app_units, app_cflags,
                                 f"lib/libapp{manifest.name}.o", app_incs, list(exported_gen)))

    if len(scripts) != 1:
        names = ", ".join(str(s) for s in scripts) or "none"
        raise UserError(f"target {target.name} needs exactly one linker script from its platform "
                        f"library; found {names}",
                        hint="the platform library for this target is missing or misconfigured")

    name = f"{manifest.name}_{target.slug}"
    image = target.image_name or name
    return BuildModel(target=target, app=manifest.name, build_dir=build_dir, tool_prefix=tool_prefix,
                      cflags=cflags, libs=out_libs, linker_script=scripts[0], ldflags=ldflags,
                      image_dbg=f"{name}.dbg", image=image, map_file=f"{name}.map", lto=lto,
                      opt=opt, gens=gens, exported=exported_gen, rootfs=rootfs_files,
                      shared_objects=sos)
