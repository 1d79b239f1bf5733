"""Automatic specialisation: from the syscalls a program needs to the
micro-libraries its kernel keeps.

The candidates are the libraries ukelfload `imply`s (os/lib/ukelfload/
Config.uk): each is on in the generic binary-compatibility kernel and may
be switched off. A candidate is kept when
- the registry (os/lib/uksyscall/syscalls.toml) names it as the provider
  of a syscall the program needs (static analysis, uniforge/binary/
  analysis.py, plus a traced run, uniforge/binary/trace.py), or
- the program needs it by other means (NEEDS_BY_OTHER_MEANS below: the
  root file system, the console, /proc, /sys, the vDSO);
every other candidate is set `=n`. Kconfig then drops what only they
pulled in (no sockets: no lwIP, no netdev, no virtio-net) and keeps what
another library still `select`s; the report shows the resolved result,
not the request.

Within the kept libraries, when every syscall number the program can
issue is known (no site with a computed number is reachable), the table
serves only those (CONFIG_LIBUKSYSCALL_ONLY and its bitmap: the others
are -ENOSYS and their handlers are left out of the image).

`select(...)` is pure (no build); `compare(...)` configures the generic
and the specialised kernel (Kconfig only); `sizes(...)` builds both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import re

from .. import os_root
from ..errors import UserError
from ..library import discover
from ..syscalls import kconfig_symbol, parse as parse_registry
from .analysis import StaticReport
from .trace import Trace


def _strings_in(paths, needle: bytes) -> bool:
    return any(needle in Path(p).read_bytes() for p in paths)


# Candidates kept for reasons other than a syscall: symbol -> (test, reason).
# The test gets (static report, trace) and says whether the program needs it.
NEEDS_BY_OTHER_MEANS = {
    "LIBRAMFS": (lambda st, tr: True,
                 "the root file system: the initrd holding the program is unpacked into it"),
    "LIBDEVFS": (lambda st, tr: True, "the console on fds 0, 1 and 2 (and /dev/null, /dev/urandom)"),
    "LIBPROCFS": (lambda st, tr: _reads(st, tr, "/proc/"), "the program or its libraries name /proc files"),
    "LIBSYSFS": (lambda st, tr: _reads(st, tr, "/sys/"), "the program or its libraries name /sys files"),
    "LIBUKVDSO": (lambda st, tr: bool(st and st.vdso), "the vDSO functions it calls"),
}


def _reads(st: StaticReport | None, tr: Trace | None, prefix: str) -> bool:
    if tr is not None and any(p.startswith(prefix) for p in tr.paths):
        return True
    return st is not None and _strings_in([o.host_path for o in st.objects], prefix.encode())


@dataclass
class Choice:
    library: str
    symbol: str            # LIBPOSIX_SOCKET
    keep: bool
    why: str               # the syscalls or the other reason; or why not


@dataclass
class Selection:
    arch: str
    syscalls: dict[str, str]            # name -> "static" | "trace" | "static+trace"
    choices: list[Choice]
    settings: dict[str, str]            # CONFIG_<SYM>=n for the candidates dropped (+ the allow-list)
    no_provider: list[str]              # needed syscalls no library of uniforge provides (ENOSYS anyway)
    only: bool = False                  # the table serves only the needed syscalls (LIBUKSYSCALL_ONLY)
    only_why: str = ""                  # why it does, or why it cannot

    def kept(self) -> list[str]:
        return [c.library for c in self.choices if c.keep]

    def dropped(self) -> list[str]:
        return [c.library for c in self.choices if not c.keep]


def candidates() -> list[str]:
    """The library symbols ukelfload `imply`s, in Config.uk order. UserError
    without ukelfload in the OS tree."""
    f = os_root() / "lib" / "ukelfload" / "Config.uk"
    if not f.is_file():
        raise UserError("this OS tree has no ukelfload (the ELF loader the specialised kernel is built on)",
                        path=f, hint=f"update the checkout ({os_root()})")
    return re.findall(r"^\s*imply\s+(LIB[A-Z0-9_]+)\s*$", f.read_text(), flags=re.M)


def _registry():
    return parse_registry((os_root() / "lib" / "uksyscall" / "syscalls.toml").read_text())


def select(arch: str, static: StaticReport | None, trace: Trace | None = None,
           implied: list[str] | None = None, only_found: bool = False) -> Selection:
    """The libraries to keep for the union of the static and traced syscall
    sets (see the module comment). `implied`: the candidate symbols
    (default: ukelfload's imply list). `only_found`: serve only the
    syscalls found even when some numbers are not known statically (the
    user vouches for it, e.g. with a traced run of the workload)."""
    implied = candidates() if implied is None else implied
    sources: dict[str, str] = {}
    for name in (static.names() if static else ()):
        sources[name] = "static"
    for name in (trace.names() if trace else ()):
        sources[name] = "static+trace" if name in sources else "trace"
    by_name = {s.name: s for s in _registry()}
    provides: dict[str, list[str]] = {}
    no_provider = []
    for name in sorted(sources):
        s = by_name.get(name)
        if s is None or s.lib is None:
            no_provider.append(name)
        else:
            provides.setdefault(kconfig_symbol(s.lib), []).append(name)
    libs = {lib.symbol: name for name, lib in discover(os_root()).items()}
    choices = []
    for sym in implied:
        lib = libs.get(sym, sym.lower())
        if sym in provides:
            calls = provides[sym]
            more = f" and {len(calls) - 8} more" if len(calls) > 8 else ""
            choices.append(Choice(lib, sym, True, "provides " + ", ".join(calls[:8]) + more))
        elif sym in NEEDS_BY_OTHER_MEANS:
            test, reason = NEEDS_BY_OTHER_MEANS[sym]
            needed = test(static, trace)
            choices.append(Choice(lib, sym, needed, reason if needed else "not needed: " + reason))
        elif any(s.lib and kconfig_symbol(s.lib) == sym for s in by_name.values()):
            choices.append(Choice(lib, sym, False, "none of its syscalls is needed"))
        else:
            choices.append(Choice(lib, sym, True, "kept: no rule says when it is needed"))
    settings = {"CONFIG_" + c.symbol: "n" for c in choices if not c.keep}
    sel = Selection(arch, sources, choices, settings, no_provider)
    blockers = (static.unresolved if static else []) + \
        ([f"the traced run issued numbers strace has no name for: {sorted(trace.unknown)}"]
         if trace is not None and trace.unknown else [])
    if blockers and not only_found:
        sel.only_why = ("every syscall of the kept libraries stays served: some numbers are not known "
                        f"statically ({blockers[0]}{' ...' if len(blockers) > 1 else ''})")
    else:
        numbers = [by_name[n].numbers[arch] for n in sources if n in by_name and arch in by_name[n].numbers]
        sel.only = True
        sel.only_why = f"the table serves only the {len(numbers)} syscalls it needs " + \
            ("(every number is known)" if not blockers else
             f"(--only-found: {len(blockers)} unknown number source(s) assumed among them)")
        settings["CONFIG_LIBUKSYSCALL_ONLY"] = "y"
        settings["CONFIG_LIBUKSYSCALL_ONLY_BITMAP"] = bitmap(numbers)
    return sel


WORDS = 16      # LIBUKSYSCALL_ONLY_BITMAP: numbers 0..1023


def bitmap(numbers) -> str:
    """LIBUKSYSCALL_ONLY_BITMAP's value for a set of syscall numbers."""
    words = [0] * WORDS
    for n in numbers:
        if not 0 <= n < WORDS * 64:
            raise ValueError(f"syscall number {n} is outside the allow-list's 0..{WORDS * 64 - 1}")
        words[n // 64] |= 1 << (n % 64)
    return ",".join(f"{w:#x}UL" for w in words)


def unbitmap(text: str) -> set[int]:
    """The numbers in a LIBUKSYSCALL_ONLY_BITMAP value (inverse of bitmap)."""
    out = set()
    for i, w in enumerate(text.split(",")):
        v = int(w.strip().rstrip("UL").rstrip("ul") or "0", 0)
        out |= {i * 64 + b for b in range(64) if v >> b & 1}
    return out


@dataclass
class KernelFacts:
    libraries: list[str]                   # enabled micro-libraries
    syscalls: list[str]                    # registry syscalls of the arch whose library is enabled
    image_size: int | None = None


@dataclass
class Comparison:
    target: str
    generic: KernelFacts
    specialised: KernelFacts
    covered: list[str]                         # needed and served by the specialised kernel
    enosys: list[tuple[str, str | None]]       # needed, -ENOSYS there: (syscall, library that would serve it)
    forced: list[str] = field(default_factory=list)   # dropped but still on (another library selects it)


def _facts(proj, arch: str) -> KernelFacts:
    """The libraries the configured kernel has and the syscalls its table
    serves (library on, and in the allow-list when there is one)."""
    cfg = proj.configure()
    libs = sorted(name for name, lib in proj.libraries.items() if cfg.enabled(lib.symbol))
    allowed = unbitmap(cfg.value("CONFIG_LIBUKSYSCALL_ONLY_BITMAP")) \
        if cfg.enabled("LIBUKSYSCALL_ONLY") else None
    served = sorted(s.name for s in _registry()
                    if arch in s.numbers and s.lib and cfg.enabled(kconfig_symbol(s.lib))
                    and (allowed is None or s.numbers[arch] in allowed))
    return KernelFacts(libs, served)


def compare(sel: Selection, target: str, settings: dict[str, str] | None = None) -> Comparison:
    """Configure the generic and the specialised binary-compatibility kernel
    for `target` (Kconfig only, no build). `settings`: extra options for
    both (e.g. the tool's --set)."""
    from . import kernel
    base = dict(settings or {})
    gen = _facts(kernel.project(target, base), sel.arch)
    spec = _facts(kernel.project(target, {**base, **sel.settings}), sel.arch)
    served = set(spec.syscalls)
    by_name = {s.name: s for s in _registry()}
    covered, enosys = [], []
    for name in sorted(sel.syscalls):
        if name in served:
            covered.append(name)
        else:
            s = by_name.get(name)
            enosys.append((name, s.lib if s else None))
    forced = [c.library for c in sel.choices if not c.keep and c.library in spec.libraries]
    return Comparison(target, gen, spec, covered, enosys, forced)


def sizes(sel: Selection, target: str, settings: dict[str, str] | None = None, progress=None) -> Comparison:
    """compare(), and build both kernels for their image sizes (cached
    builds: the second time is ninja's no-op)."""
    from . import kernel
    cmp = compare(sel, target, settings)
    base = dict(settings or {})
    for facts, s in ((cmp.generic, base), (cmp.specialised, {**base, **sel.settings})):
        res = kernel.build(target, s, progress=progress)
        facts.image_size = Path(res.image).stat().st_size
    return cmp


def settings_for(binary, target: str, sysroot=None, trace_args: list[str] | None = None,
                 only_found: bool = False, report=None) -> dict[str, str]:
    """The Kconfig settings of the specialised kernel of `binary` (what
    `uniforge run BINARY --specialize` adds to the kernel's settings; the
    benchmarks build it with kernel.build(target, settings_for(...))).
    `report`: called with one line saying what was switched off."""
    from .analysis import analyze
    from .trace import run
    st = analyze(binary, sysroot)
    tr = run(binary, trace_args) if trace_args is not None else None
    sel = select(st.arch, st, tr, only_found=only_found)
    if report is not None:
        off = ", ".join(sel.dropped()) or "no library"
        report(f"[dim]uniforge: specialised kernel: {len(sel.syscalls)} syscalls needed; off: {off}; "
               f"{sel.only_why}[/]")
    return sel.settings
