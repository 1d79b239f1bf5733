"""Configuration: the Kconfig tree, resolved with kconfiglib.

The tool writes a top-level Kconfig file into the build folder that defines
the target's symbols, sources os/Config.uk and every library's Config.uk, and
adds an application menu that `select`s the manifest's libraries. Values are
applied in this order: defaults, the saved .config (menuconfig's choices), the
manifest's `kconfig:` map, then `--set` values. A value that Kconfig cannot
take (a dependency is missing, a choice conflicts) is an error naming why.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import contextlib
import os
import re

import kconfiglib

from .errors import UserError, did_you_mean
from .library import Library
from .manifest import Manifest
from .targets import Target, ALL_TARGET_SYMBOLS


@dataclass
class Assignment:
    name: str              # CONFIG_FOO
    value: str
    origin: str            # "uniforge.yaml:7" or "--set"


def _quote(path: Path) -> str:
    return '"' + str(path).replace("\\", "\\\\").replace('"', '\\"') + '"'


def app_symbol(manifest: Manifest) -> str:
    return "APP_" + re.sub(r"[^A-Z0-9]", "_", manifest.name.upper())


def top_kconfig(target: Target, libs: dict[str, Library], manifest: Manifest, os_root: Path) -> str:
    """The generated root Kconfig text for this app and target."""
    out = [f'mainmenu "uniforge: {manifest.name} for {target.name}"', ""]
    out.append("# Target symbols (set by the tool from -t; not user-editable)")
    for sym in ALL_TARGET_SYMBOLS:
        out += [f"config {sym}", f"\tdef_bool {'y' if sym in target.all_symbols else 'n'}", ""]
    out.append(f"source {_quote(os_root / 'Config.uk')}")
    for kind, title in (("arch", "Architecture"), ("plat", "Platform"), ("drivers", "Drivers"),
                        ("lib", "Libraries")):
        group = [lib for lib in libs.values() if lib.kind == kind and lib.config_file]
        if not group:
            continue
        out += ["", f'menu "{title}"']
        out += [f"source {_quote(lib.config_file)}" for lib in sorted(group, key=lambda l: l.name)]
        out.append("endmenu")
    sym = app_symbol(manifest)
    out += ["", f'menu "Application: {manifest.name}"',
            "config UK_APPNAME", "\tstring", f'\tdefault "{manifest.name}"', "",
            f"config {sym}", "\tdef_bool y"]
    for name in manifest.libraries:
        out.append(f"\tselect {libs[name].symbol}")
    if manifest.rootfs is not None:     # the guest unpacks it (ukcpio, over vfscore)
        out += ["\tselect LIBUKCPIO", "\tselect LIBUKCPIO_INITRD"]
    # so does a library that puts files in the rootfs (library.toml `rootfs`)
    for lib in sorted((lib for lib in libs.values() if lib.rootfs and lib.config_file), key=lambda lib: lib.name):
        out += [f"\tselect LIBUKCPIO if {lib.symbol}", f"\tselect LIBUKCPIO_INITRD if {lib.symbol}"]
    app_cfg = manifest.app_dir / "Config.uk"
    if app_cfg.is_file():
        out.append(f"source {_quote(app_cfg.resolve())}")
    out += ["endmenu", ""]
    return "\n".join(out)


class Config:
    """A resolved configuration: wraps the kconfiglib object."""

    def __init__(self, kconf: kconfiglib.Kconfig, kconfig_file: Path):
        self.kconf = kconf
        self.kconfig_file = kconfig_file

    def enabled(self, expr: str | None) -> bool:
        """Evaluate a Kconfig expression (from a library.toml `if`)."""
        if not expr:
            return True
        expr = re.sub(r"\bCONFIG_", "", expr)
        return self.kconf.eval_string(expr) > 0

    def value(self, name: str) -> str:
        sym = self.kconf.syms.get(name.removeprefix("CONFIG_"))
        return sym.str_value if sym else ""

    def typed_value(self, name: str) -> tuple[str, str] | None:
        """(type, value) of a Kconfig symbol (CONFIG_ prefix optional): type
        is "bool", "tristate", "int", "hex" or "string"; value as in .config
        ("" when its dependencies are not met). None if no Kconfig file
        defines it."""
        sym = self.kconf.syms.get(name.removeprefix("CONFIG_"))
        if sym is None or not sym.nodes:
            return None
        return kconfiglib.TYPE_TO_STR[sym.orig_type], sym.str_value

    def symbols(self) -> dict[str, str]:
        """Every symbol with a value that would be written to .config."""
        out = {}
        for sym in self.kconf.unique_defined_syms:
            if sym.config_string:
                out[sym.name] = sym.str_value
        return out

    def write(self, dot_config: Path, header: Path) -> bool:
        """Write .config and uk/config.h; only touch files whose text changes
        (so ninja rebuilds only what a change affects). True if changed."""
        changed = False
        tmp = dot_config.with_suffix(".tmp")
        self.kconf.write_config(str(tmp), header="# uniforge configuration (edit with `uniforge menuconfig`)\n",
                                save_old=False)
        changed |= _replace_if_different(tmp, dot_config)
        tmp = header.with_suffix(".tmp")
        self.kconf.write_autoconf(str(tmp), header="/* Generated by uniforge from .config; do not edit. */\n")
        changed |= _replace_if_different(tmp, header)
        return changed


def _replace_if_different(tmp: Path, final: Path) -> bool:
    new = tmp.read_bytes()
    if final.exists() and final.read_bytes() == new:
        tmp.unlink()
        return False
    os.replace(tmp, final)
    return True


def parse_set(values: list[str]) -> list[Assignment]:
    """--set CONFIG_X=y arguments."""
    out = []
    for v in values or []:
        if "=" not in v:
            raise UserError(f"--set {v}: expected CONFIG_NAME=VALUE")
        name, value = v.split("=", 1)
        if not name.startswith("CONFIG_"):
            name = "CONFIG_" + name
        out.append(Assignment(name, value, "--set"))
    return out


@contextlib.contextmanager
def scoped_environ(**values: str):
    """os.environ with `values` for the duration of the block, then exactly as
    before (kconfiglib reads its settings, e.g. srctree, from the environment
    when it parses; the process's environment must not change)."""
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def load_kconfig(kconfig_file: Path) -> kconfiglib.Kconfig:
    """Parse the tree. Every `source` path is absolute, so a srctree left in
    the user's environment (from a Linux build) must not apply."""
    try:
        with scoped_environ(srctree=""):
            return kconfiglib.Kconfig(str(kconfig_file), warn_to_stderr=False, suppress_traceback=False)
    except kconfiglib.KconfigError as e:
        raise UserError(f"error in the Kconfig tree: {e}") from None


def resolve(target: Target, libs: dict[str, Library], manifest: Manifest, build_dir: Path,
            os_root: Path, extra: list[Assignment] = (), saved: Path | None = None) -> Config:
    """Resolve the configuration. `saved`: a .config to start from (menuconfig's)."""
    check_libraries(target, libs, manifest)
    build_dir.mkdir(parents=True, exist_ok=True)
    kfile = build_dir / "Config.uk"
    text = top_kconfig(target, libs, manifest, os_root)
    if not kfile.exists() or kfile.read_text() != text:
        kfile.write_text(text)
    kconf = load_kconfig(kfile)
    if saved is not None and saved.is_file():
        kconf.load_config(str(saved), replace=True)

    requested = _choice_members(kconf, libs, manifest)
    requested += [Assignment(k, v, f"{manifest.path}:{manifest.line_of('kconfig:' + k) or '?'}")
                  for k, v in manifest.kconfig.items()] + list(extra)
    # A later value for the same symbol wins (the manifest's, then --set):
    # only the last one is applied and checked.
    last = {a.name.removeprefix("CONFIG_"): a for a in requested}
    # A choice has one member: a later `=y` for a member of a choice replaces
    # an earlier `=y` for another member of it (`--set` over the manifest).
    order = {a.name.removeprefix("CONFIG_"): i for i, a in enumerate(requested)}
    chosen: dict = {}
    for name in sorted(last, key=order.__getitem__):
        sym = kconf.syms.get(name)
        if sym is None or sym.choice is None or _normal_value(sym, last[name].value) != "y":
            continue
        if sym.choice in chosen:
            del last[chosen[sym.choice]]
        chosen[sym.choice] = name
    # Two passes: a value may only become assignable once another is set.
    for _ in range(2):
        for name, a in last.items():
            sym = kconf.syms.get(name)
            if sym is not None and sym.nodes:
                sym.set_value(_normal_value(sym, a.value))
    _check_one_libc(kconf, libs, manifest, requested)
    for a in last.values():
        _check_assignment(kconf, a)
    _check_library_deps(kconf, target, libs, manifest)
    return Config(kconf, kfile)


def _choice_members(kconf: kconfiglib.Kconfig, libs: dict[str, Library],
                    manifest: Manifest) -> list[Assignment]:
    """A C library of `libraries:` is the entry of the Kconfig choice "C
    library" (os/Config.uk: a member `select`s it): it is picked through
    that member, as if the manifest said `CONFIG_<MEMBER>: y`
    first: `libraries: [musl]` sets LIBC_MUSL, replacing the default
    LIBC_NOLIBC, and a later `kconfig:` or `--set` value still wins."""
    origin = f"{manifest.path}:{manifest.line_of('libraries') or '?'}"
    out = []
    for name in manifest.libraries:
        if libs[name].provides != "libc":
            continue
        lib_sym = kconf.syms.get(libs[name].symbol)
        for choice in kconf.unique_choices:
            for member in choice.syms:
                if any(sel is lib_sym for sel, _ in member.selects):
                    out.append(Assignment("CONFIG_" + member.name, "y", origin))
    return out


def _check_one_libc(kconf: kconfiglib.Kconfig, libs: dict[str, Library], manifest: Manifest,
                    requested: list[Assignment]) -> None:
    """Exactly one C library (or none, with LIBC_NONE): two would define
    malloc, printf and errno twice and disagree on every header."""
    on = [lib for lib in libs.values() if lib.provides == "libc"
          and (sym := kconf.syms.get(lib.symbol)) is not None and sym.nodes and sym.tri_value]
    if len(on) < 2:
        return
    why = []
    libs_origin = f"{manifest.path}:{manifest.line_of('libraries') or '?'}"     # _choice_members'
    for lib in on:
        reasons = []
        if lib.name in manifest.libraries:
            reasons.append(f"`libraries:` at {manifest.path.name}:{manifest.line_of('libraries') or '?'}")
        for a in requested:
            sym = kconf.syms.get(a.name.removeprefix("CONFIG_"))
            if a.origin != libs_origin and sym is not None and _normal_value(sym, a.value) == "y" and \
                    any(sel.name == lib.symbol for sel, _ in sym.selects):
                reasons.append(f"{a.name}=y ({'--set' if a.origin == '--set' else a.origin.rsplit('/', 1)[-1]})")
        if not reasons:
            sym = kconf.syms[lib.symbol]
            forced = _true_terms(sym.rev_dep) if kconfiglib.expr_value(sym.rev_dep) else ""
            reasons.append(f"selected by {forced}" if forced else "the default C library")
        why.append(f"{lib.name} ({', '.join(dict.fromkeys(reasons))})")
    raise UserError("two C libraries selected: " + " and ".join(why) + "; an image has exactly one",
                    path=manifest.path, line=manifest.line_of("libraries"),
                    hint="keep one: list only it under `libraries:` (musl) or none for the default "
                         "(nolibc), and drop the other's CONFIG_LIBC_* value from `kconfig:` or --set")


_BOOL_WORDS = {"yes": "y", "no": "n", "true": "y", "false": "n", "1": "y", "0": "n", "on": "y", "off": "n"}


def _normal_value(sym: kconfiglib.Symbol, value: str) -> str:
    """y/n for the ways people write a bool ("yes", "true", "1"); else as is."""
    if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
        return _BOOL_WORDS.get(value.lower(), value)
    return value


def check_libraries(target: Target, libs: dict[str, Library], manifest: Manifest) -> None:
    """The manifest's `libraries:` must not name another target's
    architecture or platform library (`select` would force it in, and the
    build would fail in the assembler)."""
    line = manifest.line_of("libraries")
    for name in manifest.libraries:
        lib = libs[name]
        if lib.kind in ("arch", "plat") and lib.symbol not in target.all_symbols:
            own = ", ".join(sorted(lb.name for lb in libs.values()
                                   if lb.kind in ("arch", "plat") and lb.symbol in target.all_symbols))
            raise UserError(f"library '{name}' is the {'architecture' if lib.kind == 'arch' else 'platform'} "
                            f"library of other targets; {target.name} uses {own}",
                            path=manifest.path, line=line,
                            hint=f"remove '{name}' from `libraries:` (a target brings its own architecture "
                                 f"and platform), or build for another target with -t")


def _check_library_deps(kconf: kconfiglib.Kconfig, target: Target, libs: dict[str, Library],
                        manifest: Manifest) -> None:
    """A library listed in the manifest whose dependencies this target does
    not meet (`select` ignores them) is an error, not a broken build."""
    for name in manifest.libraries:
        sym = kconf.syms.get(libs[name].symbol)
        if sym is not None and sym.nodes and kconfiglib.expr_value(sym.direct_dep) == 0:
            raise UserError(f"library '{name}' cannot be used for {target.name}: it depends on "
                            f"{kconfiglib.expr_str(sym.direct_dep)}", path=manifest.path,
                            line=manifest.line_of("libraries"),
                            hint=f"remove '{name}' from `libraries:` or pick a target it supports")


def _check_assignment(kconf: kconfiglib.Kconfig, a: Assignment) -> None:
    name = a.name.removeprefix("CONFIG_")
    path, _, line = a.origin.rpartition(":")
    loc = dict(path=path, line=int(line)) if line.isdigit() else {}
    where = "" if loc else f"{a.origin}: "
    sym = kconf.syms.get(name)
    if sym is None or not sym.nodes:
        known = [s.name for s in kconf.unique_defined_syms]
        raise UserError(f"{where}unknown Kconfig symbol CONFIG_{name}{did_you_mean(name, known)}",
                        hint="`uniforge menuconfig` shows every option", **loc)
    want = _normal_value(sym, a.value)
    if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE) and want not in ("y", "n", "m"):
        raise UserError(f"{where}CONFIG_{name} is a bool; '{a.value}' is not y or n", **loc)
    if sym.str_value == want:
        return
    dep_ok = kconfiglib.expr_value(sym.direct_dep)
    if sym.choice is not None and want == "y":
        sel = sym.choice.selection
        raise UserError(f"{where}cannot set CONFIG_{name}=y: the choice already has "
                        f"CONFIG_{sel.name if sel else '?'}", **loc)
    if not dep_ok:
        raise UserError(f"{where}cannot set CONFIG_{name}={a.value}",
                        hint=f"it depends on {kconfiglib.expr_str(sym.direct_dep)}, which is not met", **loc)
    if not sym.visibility and sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE) and sym.choice is None:
        raise UserError(f"{where}cannot set CONFIG_{name}={a.value}",
                        hint="it has no prompt and cannot be set directly; select the library that sets it",
                        **loc)
    rev = kconfiglib.expr_str(sym.rev_dep)
    if rev != "n" and kconfiglib.expr_value(sym.rev_dep):
        hint = f"it is forced by: {_true_terms(sym.rev_dep)}"
    elif sym.orig_type in (kconfiglib.INT, kconfiglib.HEX) and sym.ranges:
        hint = "out of range or not a number; allowed: " + ", ".join(
            f"{kconfiglib.expr_str(lo)}..{kconfiglib.expr_str(hi)}" for lo, hi, _ in sym.ranges)
    else:
        allowed = [kconfiglib.TRI_TO_STR[v] for v in sym.assignable]
        hint = f"it can only be {' or '.join(allowed)} here" if allowed else "it cannot be changed here"
    raise UserError(f"{where}cannot set CONFIG_{name}={a.value} (it stays '{sym.str_value}')", hint=hint, **loc)


def _true_terms(expr) -> str:
    """The parts of an `a || b || c` reverse dependency that hold: which
    selects force a symbol on."""
    if isinstance(expr, tuple) and expr[0] == kconfiglib.OR:
        return ", ".join(t for t in (_true_terms(expr[1]), _true_terms(expr[2])) if t)
    return kconfiglib.expr_str(expr) if kconfiglib.expr_value(expr) else ""
