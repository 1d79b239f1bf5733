"""The build backend: BuildModel → build.ninja, then run ninja.

One object per source (with gcc depfiles), one partial link per library
(`ld -r` into lib/lib<name>.o), a final link with the platform's linker
script and --gc-sections, then the runnable image: stripped, and converted
to the format the target's VMM loads (ELF32 copy for QEMU's multiboot
loader, raw binary for boards). All Ninja text goes through ninja_syntax.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import io
import os
import re
import shutil
import subprocess
from typing import Callable

from ninja import ninja_syntax

from .errors import UserError, MissingTool
from .model import BuildModel
from . import shared_object


def _q(s) -> str:
    """Quote one argument for the shell commands Ninja runs."""
    s = str(s)
    if re.fullmatch(r"[A-Za-z0-9_./=+:,@%-]+", s):
        return s
    return "'" + s.replace("'", "'\\''") + "'"


def _esc(s) -> str:
    """A path for Writer.build, which escapes paths itself (escape once)."""
    return str(s)


def write_ninja(model: BuildModel) -> str:
    """The text of build.ninja for this model."""
    buf = io.StringIO()
    n = ninja_syntax.Writer(buf, width=120)
    p = model.tool_prefix
    n.comment(f"uniforge: {model.app} for {model.target.name} (generated; do not edit)")
    n.variable("ninja_required_version", "1.10")
    n.variable("cc", p + "gcc")
    n.variable("ld", p + "ld")
    n.variable("objcopy", p + "objcopy")
    n.variable("ar", p + "ar")
    if any(lib.lto for lib in model.libs):
        n.variable("gcc_ar", p + "gcc-ar")
    n.variable("python", _q(model.python))
    n.variable("cflags", " ".join(_q(f) for f in model.cflags))
    n.newline()
    # Private includes come first (a library's own headers win), then the
    # global flags, then the library's and the source's own flags (so they
    # can override the optimisation level or a warning).
    n.rule("cc", "$cc -MD -MF $out.d $libincs $cflags $libflags $srcflags -c $in -o $out",
           depfile="$out.d", deps="gcc", description="CC $lib $src")
    # restat: an output the generator left unchanged does not recompile its users.
    n.rule("gen", "$python -m uniforge.gen $generator $in $out", description="GEN $out", restat=True)
    n.rule("partial", "$ld -r $in -o $out", description="LD -r $out")
    # An incremental LTO link: the objects' IR merged into one object, still
    # IR (a standalone library's objects under LTO: model.LibBuild.lto).
    n.rule("partial_lto", "$cc -r -flto -nostdlib $in -o $out", description="LD -r (LTO) $out")
    # D: no timestamps or owners, so the same objects give the same bytes.
    n.rule("archive", "rm -f $out && $ar rcsD $out $in", description="AR $out")
    # gcc-ar: ar with GCC's LTO plugin, so the index names the IR's symbols.
    n.rule("archive_lto", "rm -f $out && $gcc_ar rcsD $out $in", description="AR (LTO) $out")
    # The object cache (objcache.py): a standalone library's partial object
    # copied from it, or stored into it once built.
    n.rule("cached", "cp $in $out", description="CACHED $out")
    n.rule("store", "$python -m uniforge.objcache store $in $out", description="STORE $out")
    link_flags = ["-nostdlib", "-static", "-no-pie", "-Wl,--gc-sections", "-Wl,--build-id=none",
                  "-Wl,-z,max-page-size=0x1000", "-Wl,-z,noexecstack", "-Wl,--no-warn-rwx-segments"]
    link_flags += model.ldflags
    if model.lto:
        # LTO compiles again at link time: with the configured level, never a fixed one.
        link_flags += ["-flto", model.opt]
    archives = [lib.partial for lib in model.libs if lib.archive]
    # Archives last, in a group with libgcc: members are taken as any
    # object before or after needs them.
    tail = f"-Wl,--start-group {' '.join(_q(a) for a in archives)} -lgcc -Wl,--end-group" \
        if archives else "-lgcc"
    n.rule("link", f"$cc {' '.join(_q(f) for f in link_flags)} -Wl,-Map=$map -T $script $in {tail} -o $out",
           description="LINK $out")
    n.rule("strip", "$objcopy --strip-all $in $out", description="STRIP $out")
    n.rule("elf32", "$objcopy --strip-all -O elf32-i386 $in $out", description="ELF32 $out")
    n.rule("bin", "$objcopy -O binary $in $out", description="BIN $out")
    n.newline()

    for g in model.gens:
        n.build(_esc(g.output), "gen", [_esc(i) for i in g.inputs], implicit=[_esc(g.module)],
                variables={"generator": g.generator})
    shared_object.write(n, model.shared_objects, _q)
    link_inputs = []
    archive_inputs = []         # on the link line through the rule's tail, after $in
    defaults = [_esc(model.image)]
    for lib in model.libs:
        if lib.cached is not None:
            n.build(_esc(lib.partial), "cached", _esc(lib.cached))
            (archive_inputs if lib.archive else link_inputs).append(_esc(lib.partial))
            continue
        objs = []
        for unit in lib.units:
            variables = {"libflags": " ".join(_q(f) for f in lib.cflags),
                         "libincs": " ".join(_q(f) for f in lib.includes),
                         "srcflags": " ".join(_q(f) for f in unit.cflags),
                         "lib": lib.name, "src": unit.src.name}
            if lib.own_cflags is not None:
                variables["cflags"] = " ".join(_q(f) for f in lib.own_cflags)
            n.build(_esc(unit.obj), "cc", _esc(unit.src), implicit=[_esc(o) for o in lib.implicit],
                    order_only=[_esc(o) for o in lib.generated], variables=variables)
            objs.append(_esc(unit.obj))
        if lib.archive:
            n.build(_esc(lib.partial), "archive_lto" if lib.lto else "archive", objs)
            archive_inputs.append(_esc(lib.partial))
        elif model.lto and lib.own_cflags is None:
            link_inputs += objs
        else:
            n.build(_esc(lib.partial), "partial_lto" if lib.lto else "partial", objs)
            link_inputs.append(_esc(lib.partial))
        if lib.store is not None:
            n.build(_esc(lib.store), "store", _esc(lib.partial))
            defaults.append(_esc(lib.store))
    n.newline()
    n.build([_esc(model.image_dbg)], "link", link_inputs,
            implicit=[_esc(model.linker_script)] + archive_inputs,
            implicit_outputs=[_esc(model.map_file)],
            variables={"script": _q(model.linker_script), "map": _q(model.map_file)})
    fmt = model.target.image_format
    rule = {"elf": "strip", "elf32": "elf32", "bin": "bin"}[fmt]
    n.build(_esc(model.image), rule, _esc(model.image_dbg))
    n.default(defaults)
    return buf.getvalue()


def ninja_program() -> str:
    """The ninja binary: the one from the `ninja` Python package, else PATH."""
    try:
        import ninja as ninja_pkg
        exe = Path(ninja_pkg.BIN_DIR) / "ninja"
        if exe.exists():
            return str(exe)
    except (ImportError, AttributeError):
        pass
    found = shutil.which("ninja")
    if not found:
        raise MissingTool("ninja", "ninja-build", "to run builds")
    return found


_STATUS = re.compile(r"^\[(\d+)/(\d+)\] (.*)$")
_UNDEFINED = re.compile(r"undefined reference to [`'‘]([^'’`]+)['’]")


@dataclass
class NinjaResult:
    """What a successful build said besides its progress: compiler warnings,
    for the CLI to show."""
    warnings: list[str] = field(default_factory=list)


class BuildFailed(UserError):
    """The build failed. `undefined`: the symbols the link could not find
    (each once, in order), so the caller can add what it knows about them."""

    def __init__(self, message: str, *, hint: str, undefined: list[str]):
        super().__init__(message, hint=hint)
        self.undefined = undefined


def run_ninja(build_dir: Path, jobs: int | None = None,
              progress: Callable[[int, int, str], None] | None = None, verbose: bool = False,
              explain_undefined: Callable[[list[str]], list[str]] | None = None) -> NinjaResult:
    """Run ninja in build_dir. `progress(done, total, what)` gets every step;
    with `verbose`, `what` is the full command (compiler, linker). Returns the
    build's other output (warnings). Raises BuildFailed with the compiler's
    messages (file:line) if the build fails; `explain_undefined(symbols)`
    gives extra hint lines for undefined symbols at link time."""
    cmd = [ninja_program(), "-C", str(build_dir)]
    if jobs:
        cmd += ["-j", str(jobs)]
    if verbose:
        cmd.append("-v")
    env = dict(os.environ, NINJA_STATUS="[%f/%t] ", LC_ALL="C")
    other: list[str] = []
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          errors="replace", env=env) as proc:
        try:
            for line in proc.stdout:
                line = line.rstrip("\n")
                m = _STATUS.match(line)
                if m:
                    if progress:
                        progress(int(m.group(1)), int(m.group(2)), m.group(3))
                    continue
                if line.startswith("ninja: ") and ("no work to do" in line or "Entering directory" in line):
                    continue
                other.append(line)
        finally:
            if proc.poll() is None:     # interrupted: ninja stops its compilers on SIGTERM
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        rc = proc.wait()
    if rc != 0:
        raise build_failure(other, explain_undefined)
    return NinjaResult(warnings=other)


def build_failure(lines: list[str], explain_undefined=None) -> BuildFailed:
    """The error for a failed build from ninja's output lines."""
    text = "\n".join(line for line in lines if not line.startswith("ninja: build stopped"))
    undefined = list(dict.fromkeys(_UNDEFINED.findall(text)))
    failed = [line for line in lines if line.startswith("FAILED: ")]
    hints = []
    if undefined:
        msg = "link failed: undefined " + ("symbol " if len(undefined) == 1 else "symbols ") + \
            ", ".join(undefined)
        if "main" in undefined:
            hints.append("the application has no main(): define `int main(int argc, char *argv[])` "
                         "in one of its sources (or list the file under `sources:`)")
        if explain_undefined:
            hints += explain_undefined(undefined)
        # The undefined references first: compiler warnings must not push
        # them out of the window.
        ref = [line for line in text.splitlines() if _UNDEFINED.search(line)]
        rest = [line for line in text.splitlines() if not _UNDEFINED.search(line)]
        text = "\n".join(ref + rest)
    else:
        first = _first_compiler_error(text)
        msg = "build failed"
        if first:
            msg += f": {first}"
        elif failed:
            msg += f" ({failed[0][8:]})"
    hints.append("fix the error above and run the command again")
    return BuildFailed(msg + "\n" + _trim(text), hint="\n  hint: ".join(hints), undefined=undefined)


def _first_compiler_error(text: str) -> str:
    for line in text.splitlines():
        if re.match(r"^\S+:\d+(:\d+)?: (fatal )?error: ", line) or "undefined reference to" in line:
            return line.strip()
    return ""


def _trim(text: str, limit: int = 60) -> str:
    lines = [line for line in text.splitlines()
             if not line.startswith("FAILED: ") and not line.startswith(("gcc ", "aarch64-", "ld ", "ld -r "))]
    if len(lines) > limit:
        lines = lines[:limit] + [f"... ({len(lines) - limit} more lines)"]
    return "\n".join(lines)
