"""The build model: pure data describing what to compile and link.

Inputs are already parsed and resolved (libraries, configuration, manifest,
target); the output says, for every selected micro-library, which sources
become which objects with which flags, and how the image is linked. The
model knows nothing about Ninja (ninja.py) or QEMU (runner/).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import UserError
from .library import Library, check_files
from .manifest import Manifest
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
    src: Path
    obj: str            # path relative to the build dir


@dataclass
class LibBuild:
    name: str
    path: Path
    units: list[Unit]
    cflags: list[str]
    partial: str        # relative path of the ld -r output (lib<name>.o)


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
    extra_outputs: list[str] = field(default_factory=list)

    def all_units(self):
        for lib in self.libs:
            for u in lib.units:
                yield lib, u


def build_model(*, target: Target, libs: dict[str, Library], manifest: Manifest,
                enabled: Callable[[str | None], bool], build_dir: Path, os_root: Path,
                cc_include: Path, tool_prefix: str, config_header: Path) -> BuildModel:
    """`enabled(expr)` evaluates a Kconfig expression in the resolved config."""
    selected = [lib for lib in libs.values() if enabled(lib.symbol)]
    # Stable order: arch, plat, libraries, then the app (matters only for the map file).
    order = {"arch": 0, "plat": 1, "lib": 2}
    selected.sort(key=lambda l: (order[l.kind], l.name))

    opt = next((flag for sym, flag in OPT_FLAGS.items() if enabled(sym)), "-Os")
    lto = enabled("OPTIMIZE_LTO")
    include_dirs = [os_root / "include"]
    for lib in selected:
        include_dirs += [lib.path / inc for inc in lib.includes]
    cflags = list(BASE_CFLAGS) + [opt] + list(target.arch.cflags)
    cflags += next((f for sym, f in STACK_PROTECTOR_FLAGS.items() if enabled(sym)), [])
    if enabled("DEBUG_SYMBOLS"):
        cflags.append("-g")
    if lto:
        cflags.append("-flto")
    cflags += ["-isystem", str(cc_include), "-include", str(config_header)]
    cflags += [f"-I{d}" for d in include_dirs]

    out_libs: list[LibBuild] = []
    scripts: list[Path] = []
    ldflags: list[str] = []
    for lib in selected:
        srcs = [cf for cf in lib.sources if enabled(cf.cond)]
        lds = [cf for cf in lib.linker_script if enabled(cf.cond)]
        check_files(lib, srcs + lds)
        units = [Unit(lib.path / cf.src, f"obj/{lib.name}/{cf.src}.o") for cf in srcs]
        scripts += [lib.path / cf.src for cf in lds]
        ldflags += lib.ldflags
        if units:
            out_libs.append(LibBuild(lib.name, lib.path, units,
                                     list(lib.cflags) + [f'-D__LIBNAME__="{lib.name}"'],
                                     f"lib/lib{lib.name}.o"))

    app_units = [Unit(src, f"obj/app/{src.relative_to(manifest.app_dir) if src.is_relative_to(manifest.app_dir) else src.name}.o")
                 for src in manifest.sources]
    if not app_units:
        raise UserError(f"the application has no sources (no *.c in {manifest.app_dir})",
                        path=manifest.path, hint="add a main.c or list files under `sources:`")
    # The app's kernel parameters are written app.<name>=<value>.
    app_cflags = [f"-I{manifest.app_dir}", '-D__LIBNAME__="app"']
    out_libs.append(LibBuild("app" + manifest.name, manifest.app_dir, app_units, app_cflags,
                             f"lib/libapp{manifest.name}.o"))

    if len(scripts) != 1:
        names = ", ".join(str(s) for s in scripts) or "none"
        raise UserError(f"target {target.name} needs exactly one linker script from its platform "
                        f"library; found {names}",
                        hint="the platform library for this target is missing or misconfigured")

    name = f"{manifest.name}_{target.slug}"
    image = target.image_name or name
    return BuildModel(target=target, app=manifest.name, build_dir=build_dir, tool_prefix=tool_prefix,
                      cflags=cflags, libs=out_libs, linker_script=scripts[0], ldflags=ldflags,
                      image_dbg=f"{name}.dbg", image=image, map_file=f"{name}.map", lto=lto)
