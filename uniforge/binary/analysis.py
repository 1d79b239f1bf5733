"""What a Linux program needs from the kernel, found statically: the
syscalls it can issue and the vDSO functions it would call.

- a dynamic program: the libc symbols that every object of its DT_NEEDED
  closure (the program included, libc excepted) imports, each mapped to
  the syscalls that libc function can reach (uniforge/binary/libcmap.py,
  derived from libc's own machine code); plus what libc runs in every
  program (its init/fini code, __libc_start_main, exit); plus every
  syscall instruction of the interpreter (glibc's ld.so runs before main)
  and of the other objects (raw `syscall`/`svc #0`, rare outside libc);
- a static program (busybox-static): every syscall instruction in it.
Numbers are mapped to names with the registry (uniforge/syscalls.py);
a number it does not know stays a number. Sites whose number is not a
constant, and calls through pointers nobody can follow statically, are
counted and reported, never guessed.

`analyze(binary, sysroot=None)` raises UserError (from elf.read or
closure.resolve) for a file it cannot read or a library it cannot find.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import json
import os
from pathlib import Path
import re
import tempfile

from .. import os_root
from ..apt import cache_root
from ..syscalls import Syscall, parse as parse_registry
from . import closure as closure_mod
from . import elf as elf_mod
from .disasm import scan
from .libcmap import LibcMap, libc_map, sha256, vdso_names

SITES_FORMAT = 6

# The libc sonames: glibc's, musl's (whose interpreter is its libc too).
_GLIBC = "libc.so.6"
_MUSL = re.compile(r"(libc\.so|libc\.musl-[a-z0-9_]+\.so\.1|ld-musl-[a-z0-9_]+\.so\.1)$")

# Which libc functions go through each vDSO function (the vDSO's ABI: the
# names are Linux's; musl's time() and gettimeofday() use clock_gettime).
VDSO_CALLERS = {
    "clock_gettime": ("clock_gettime", "time", "gettimeofday", "timespec_get", "clock"),
    "gettimeofday": ("gettimeofday",),
    "time": ("time",),
    "getcpu": ("sched_getcpu", "getcpu"),
    "clock_getres": ("clock_getres",),
}

# libc functions whose syscalls beyond the rest's may fail with ENOSYS
# because the function falls back by itself: glibc's user and group
# lookups first ask nscd over an AF_UNIX socket (socket, connect, poll,
# sendto, recvmsg...) and read /etc/passwd and /etc/group when that
# fails. Such syscalls are reported as tolerated, not selected.
ENOSYS_TOLERANT = {name: "glibc's nscd client: without it the lookup reads /etc/passwd and /etc/group"
                   for name in ("getpwnam", "getpwnam_r", "getpwuid", "getpwuid_r", "getpwent", "getpwent_r",
                                "setpwent", "endpwent", "getgrnam", "getgrnam_r", "getgrgid", "getgrgid_r",
                                "getgrent", "getgrent_r", "setgrent", "endgrent", "initgroups",
                                "getgrouplist", "getspnam", "getspnam_r")}


@dataclass
class ObjectReport:
    guest_path: str
    host_path: Path
    role: str                    # program | interpreter | libc | library
    libc_imports: list[str] = field(default_factory=list)   # the symbols it binds to libc
    sites: int = 0               # its own syscall instructions
    unresolved_sites: int = 0    # of those, whose number is not a constant


@dataclass
class StaticReport:
    binary: Path
    arch: str
    kind: str                            # "static" | "dynamic"
    libc: Path | None
    objects: list[ObjectReport]
    syscalls: dict[str, list[str]]       # name (or "nr_<N>") -> where it comes from (a few reasons)
    unresolved: list[str]                # sites or imports whose number is not a constant
    indirect: list[str]                  # imports that reach calls through pointers not followed
    vdso: list[str]                      # vDSO functions the program would call
    unknown_numbers: list[int]           # constant numbers the registry does not know
    tolerated: dict[str, list[str]] = field(default_factory=dict)   # syscall -> the ENOSYS_TOLERANT imports

    def names(self) -> set[str]:
        return set(self.syscalls)


def registry(arch: str) -> dict[int, Syscall]:
    """The registry's syscalls of `arch` by number."""
    text = (os_root() / "lib" / "uksyscall" / "syscalls.toml").read_text()
    return {s.numbers[arch]: s for s in parse_registry(text) if arch in s.numbers}


def _sites(path: Path, arch: str) -> tuple[list[int | None], list[int | None]]:
    """(the numbers of every syscall instruction in an object, the numbers
    it passes to an imported syscall(2)); None: not a constant. Cached by
    the file's sha256. An object with no syscall opcode bytes in it that
    does not import syscall is not disassembled at all."""
    digest = sha256(path)
    where = cache_root() / "libcmap" / f"sites-{digest}.json"
    if where.is_file():
        try:
            d = json.loads(where.read_text())
            if d.get("format") == SITES_FORMAT:
                return ([None if n is None else int(n) for n in d["sites"]],
                        [None if n is None else int(n) for n in d["syscall_calls"]])
        except (ValueError, KeyError, TypeError):
            pass
    opcode = b"\x0f\x05" if arch == "x86_64" else b"\x01\x00\x00\xd4"
    if opcode not in path.read_bytes() and "syscall" not in _dynamic_imports(path):
        out: list[int | None] = []
        calls: list[int | None] = []
    else:
        sc = scan(path)
        out = [s.nr for fn in sc.funcs for s in fn.sites if not s.replay]
        calls = sc.syscall_calls
    where.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=where.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as f:
        json.dump({"format": SITES_FORMAT, "file": str(path), "sites": out, "syscall_calls": calls}, f)
    os.replace(tmp, where)
    return out, calls


def _dynamic_imports(path: Path) -> set[str]:
    from elftools.elf.elffile import ELFFile
    with open(path, "rb") as f:
        sec = ELFFile(f).get_section_by_name(".dynsym")
        if sec is None:
            return set()
        return {s.name for s in sec.iter_symbols() if s.name and s["st_shndx"] == "SHN_UNDEF"}


def _is_libc(soname: str) -> bool:
    return soname == _GLIBC or bool(_MUSL.search(soname))


class _Collect:
    def __init__(self, regs: dict[int, Syscall]):
        self.regs = regs
        self.why: dict[str, list[str]] = {}
        self.unknown: set[int] = set()

    def add(self, nr: int, reason: str):
        s = self.regs.get(nr)
        name = s.name if s else f"nr_{nr}"
        if s is None:
            self.unknown.add(nr)
        reasons = self.why.setdefault(name, [])
        if reason not in reasons and len(reasons) < 4:
            reasons.append(reason)


def analyze(binary: Path | str, sysroot: Path | str | None = None) -> StaticReport:
    """The static report of `binary` (see the module comment)."""
    binary = Path(binary)
    info = elf_mod.read(binary)
    regs = registry(info.arch)
    col = _Collect(regs)
    unresolved: list[str] = []
    objects: list[ObjectReport] = []
    vdso: set[str] = set()
    me = closure_mod.guest_path_of(binary, Path(sysroot) if sysroot else None)

    if info.static:
        nrs, _ = _sites(binary.resolve(), info.arch)
        bad = sum(1 for n in nrs if n is None)
        for n in nrs:
            if n is not None:
                col.add(n, "a syscall instruction in the program")
        if bad:
            unresolved.append(f"{me}: {bad} syscall instruction(s) with a number that is not a constant")
        objects.append(ObjectReport(me, binary.resolve(), "program", [], len(nrs), bad))
        vdso = set(vdso_names(binary))
        return StaticReport(binary, info.arch, "static", None, objects, _sorted(col.why), unresolved, [],
                            sorted(vdso), sorted(col.unknown))

    resolved = closure_mod.resolve(info, sysroot)
    libc = next((r for r in resolved if _is_libc(r.soname)), None)
    if libc is None:
        raise _no_libc(binary, resolved)
    lm: LibcMap = libc_map(libc.host_path)
    interp = next((r for r in resolved if r.how == "PT_INTERP"), None)
    members = [(me, binary.resolve(), "program")]
    for r in resolved:
        if r.host_path == libc.host_path:    # musl: the interpreter is libc
            continue
        members.append((r.guest_path, r.host_path, "interpreter" if r is interp else "library"))
    imported: set[str] = set()
    for gpath, host, role in members:
        rep = ObjectReport(gpath, host, role)
        if role != "interpreter":
            rep.libc_imports = sorted(_dynamic_imports(host) & set(lm.exports))
        nrs, calls = _sites(host, info.arch)
        rep.sites, rep.unresolved_sites = len(nrs), sum(1 for n in nrs if n is None)
        what = "the interpreter" if role == "interpreter" else os.path.basename(gpath)
        if "syscall" in rep.libc_imports:
            # libc's generic wrapper issues the number its caller passes:
            # the constants at this object's calls, not the wrapper's site
            rep.libc_imports.remove("syscall")
            for n in calls:
                if n is not None:
                    col.add(n, f"{what}: syscall({n})")
            if None in calls or not calls:
                unresolved.append(f"{gpath}: calls syscall() with a number that is not a constant")
        imported |= set(rep.libc_imports)
        for n in nrs:
            if n is not None:
                col.add(n, f"{what}: a syscall instruction")
        if rep.unresolved_sites:
            unresolved.append(f"{gpath}: {rep.unresolved_sites} syscall instruction(s) with a number "
                              "that is not a constant")
        objects.append(rep)
    libname = os.path.basename(libc.guest_path)
    for n in sorted(lm.roots.syscalls):
        col.add(n, f"{libname}: start-up and exit")
    indirect = ["(start-up and exit)"] if lm.roots.indirect else []
    tolerant: dict[int, list[str]] = {}
    for sym in sorted(imported):
        r = lm.exports[sym]
        if sym in ENOSYS_TOLERANT:
            for n in r.syscalls:
                tolerant.setdefault(n, []).append(sym)
            continue
        for n in sorted(r.syscalls):
            col.add(n, f"{libname}: {sym}")
        if r.indirect:
            indirect.append(sym)
        if r.unresolved:
            unresolved.append(f"{libname}: {sym} reaches a syscall instruction whose number is not a constant")
    objects.insert(1, ObjectReport(libc.guest_path, libc.host_path, "libc", [], lm.sites, lm.unresolved_sites))
    available = set(lm.vdso) | (set(vdso_names(interp.host_path)) if interp else set())
    for name in available:
        base = re.sub(r"^__(vdso|kernel)_", "", name)
        if imported & set(VDSO_CALLERS.get(base, (base,))):
            vdso.add(name)
    needed = set(col.why)
    tolerated = {}
    for n, syms in sorted(tolerant.items()):
        name = regs[n].name if n in regs else f"nr_{n}"
        if name not in needed:
            tolerated[name] = syms
    return StaticReport(binary, info.arch, "dynamic", libc.host_path, objects, _sorted(col.why), unresolved,
                        indirect, sorted(vdso), sorted(col.unknown), tolerated)


def _sorted(why: dict[str, list[str]]) -> dict[str, list[str]]:
    return dict(sorted(why.items()))


def _no_libc(binary, resolved):
    from ..errors import UserError
    names = ", ".join(r.soname for r in resolved) or "nothing"
    return UserError(f"no C library in its closure ({names}): the specialiser maps libc's functions "
                     "to syscalls, so it reads glibc's libc.so.6 or musl's libc.so", path=binary)
