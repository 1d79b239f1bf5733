"""The syscall registry (os/lib/uksyscall/syscalls.toml) as data: every
Linux syscall with its number per architecture, the library that provides
it, its handler's C parameters and how strace prints them.

Read by the generators (uniforge/gen/syscall_protos.py, syscall_table.py)
and, later, by the dependency tool (which library a program's syscalls
need). Pure: `parse(text, source)` raises GenError with a line number on
bad input, never touches files.
"""
from __future__ import annotations

from dataclasses import dataclass
import re
import tomllib

from .gen import GenError

ARCHES = ("x86_64", "arm64")
MAX_NR = 1023              # numbers stay small: the table is an array
MAX_ARGS = 6

# The C types a handler parameter may have (contracts §1), and the kind
# strace uses for each when the entry names none.
SCALARS = {"int": "d", "unsigned int": "u", "long": "ld", "unsigned long": "lu"}
_POINTEE = r"(?:void|char|int|unsigned int|long|unsigned long|struct uk_[a-z0-9_]+)"
_PTR_RE = re.compile(rf"(const )?({_POINTEE}) ?\*( ?const ?\*| ?\*)?")
KINDS = ("d", "u", "ld", "lu", "hex", "oct", "ptr", "str", "fd", "dirfd", "oflags", "prot",
         "mflags", "ibuf", "obuf", "iov")
_REF_KINDS = ("ibuf", "obuf", "iov")
RET_KINDS = ("d", "hex")
_FD_NAMES = {"fd", "oldfd", "newfd", "epfd", "fildes"}
_DIRFD_NAMES = {"dfd", "dirfd", "olddfd", "newdfd"}
_KEYS = {"x86_64", "arm64", "lib", "args", "ret"}


@dataclass(frozen=True)
class Arg:
    ctype: str          # normalised C type, e.g. "const char *"
    name: str
    kind: str           # one of KINDS
    ref: int = -1       # ibuf/obuf/iov: the index of the argument holding the size / count


@dataclass(frozen=True)
class Syscall:
    name: str
    numbers: dict        # arch -> number (an arch without the call has no key)
    lib: str | None
    args: tuple[Arg, ...] | None   # None: no handler (no lib)
    ret: str
    line: int | None

    def signature(self) -> str:
        params = ", ".join(f"{a.ctype}{'' if a.ctype.endswith('*') else ' '}{a.name}"
                           for a in self.args) if self.args else "void"
        return f"long uk_sys_{self.name}({params})"


def _line_of(text: str, name: str) -> int | None:
    pat = re.compile(rf"^\s*{re.escape(name)}\s*=")
    for i, line in enumerate(text.splitlines(), 1):
        if pat.match(line):
            return i
    return None


def _parse_arg(spec, where, sc_name: str, names: list[str]) -> tuple[str, str, str, str | None]:
    if not isinstance(spec, str):
        raise GenError(f"{sc_name}: each argument is a string \"C type name [: kind]\"", where)
    decl, _, kind = spec.partition(":")
    decl, kind = " ".join(decl.split()), kind.strip()
    m = re.fullmatch(r"(.*?)\s*\b([a-z_][a-z0-9_]*)", decl)
    if not m or not m.group(1).strip():
        raise GenError(f"{sc_name}: cannot read argument {spec!r}: write \"C type name\"", where)
    ctype, name = m.group(1).strip(), m.group(2)
    if ctype in SCALARS:
        default = SCALARS[ctype]
    else:
        pm = _PTR_RE.fullmatch(ctype)
        if not pm:
            raise GenError(f"{sc_name}: argument type {ctype!r} is not allowed (int, unsigned int, "
                           "long, unsigned long, or a pointer to void, char, an integer type or "
                           "struct uk_<name>)", where)
        ctype = (pm.group(1) or "") + pm.group(2) + " *" + \
            ((" const *" if "const" in pm.group(3) else "*") if pm.group(3) else "")
        default = "str" if ctype == "const char *" else "ptr"
    if ctype == "int" and name in _FD_NAMES:
        default = "fd"
    if ctype == "int" and name in _DIRFD_NAMES:
        default = "dirfd"
    if name in names:
        raise GenError(f"{sc_name}: argument {name} is named twice", where)
    return ctype, name, kind or default, None


def parse(text: str, source: str = "syscalls.toml") -> list[Syscall]:
    """The registry's entries, in file order. Raises GenError on bad input:
    unknown keys, a type outside the contract's list, a number used twice
    on one architecture, a kind strace does not know."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise GenError(f"not valid TOML: {e}", int(m.group(1)) if m else None) from None
    if set(data) != {"syscalls"} or not isinstance(data["syscalls"], dict):
        raise GenError("the registry is one [syscalls] table: name = { x86_64 = N, arm64 = N, ... }")
    out = []
    used: dict[str, dict[int, str]] = {a: {} for a in ARCHES}
    for name, e in data["syscalls"].items():
        where = _line_of(text, name)
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise GenError(f"bad syscall name {name!r}", where)
        if not isinstance(e, dict):
            raise GenError(f"{name}: write {name} = {{ x86_64 = N, arm64 = N, ... }}", where)
        if set(e) - _KEYS:
            raise GenError(f"{name}: unknown key(s) {', '.join(sorted(set(e) - _KEYS))} "
                           f"(known: {', '.join(sorted(_KEYS))})", where)
        numbers = {}
        for arch in ARCHES:
            if arch in e:
                nr = e[arch]
                if not isinstance(nr, int) or isinstance(nr, bool) or not 0 <= nr <= MAX_NR:
                    raise GenError(f"{name}: {arch} number must be an integer in 0..{MAX_NR}", where)
                if nr in used[arch]:
                    raise GenError(f"{name}: {arch} number {nr} is already {used[arch][nr]}'s", where)
                used[arch][nr] = name
                numbers[arch] = nr
        lib = e.get("lib")
        if lib is not None and not (isinstance(lib, str) and re.fullmatch(r"[a-z][a-z0-9-]*", lib)):
            raise GenError(f"{name}: lib must be a library name", where)
        if ("args" in e) != (lib is not None):
            raise GenError(f"{name}: an entry with lib needs args (and args need lib)", where)
        ret = e.get("ret", "d")
        if ret not in RET_KINDS:
            raise GenError(f"{name}: ret must be one of {', '.join(RET_KINDS)}", where)
        args = None
        if lib is not None:
            if not isinstance(e["args"], list) or len(e["args"]) > MAX_ARGS:
                raise GenError(f"{name}: args is a list of at most {MAX_ARGS} strings", where)
            raw = []
            for spec in e["args"]:
                raw.append(_parse_arg(spec, where, name, [r[1] for r in raw]))
            names = [r[1] for r in raw]
            args = []
            for ctype, aname, kind, _ in raw:
                ref = -1
                m = re.fullmatch(r"(ibuf|obuf|iov)\((\w+)\)", kind)
                if m:
                    if m.group(2) not in names:
                        raise GenError(f"{name}: {kind}: no argument named {m.group(2)}", where)
                    kind, ref = m.group(1), names.index(m.group(2))
                elif kind not in KINDS or kind in _REF_KINDS:
                    plain = [k for k in KINDS if k not in _REF_KINDS]
                    raise GenError(f"{name}: unknown strace kind {kind!r} for {aname} "
                                   f"(known: {', '.join(plain)}, ibuf(arg), obuf(arg), iov(arg))", where)
                args.append(Arg(ctype, aname, kind, ref))
            args = tuple(args)
        out.append(Syscall(name, numbers, lib, args, ret, where))
    return out


def kconfig_symbol(lib: str) -> str:
    """The Kconfig option of a library, as uniforge/library.py derives it."""
    return "LIB" + lib.upper().replace("-", "_")
