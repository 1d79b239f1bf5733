"""A capstone scan of one ELF object's machine code, for the specialiser:
its functions, the syscall instructions in each (with the number where it
is a constant) and the edges between functions. x86_64 and arm64.

Model (an over-approximation, by design):
- the executable sections are swept linearly; a *function* runs from one
  entry (a defined function symbol, a direct call target, a section start)
  to the next. Everything inside a function is taken as reachable from its
  entry (so a switch's jump table needs no decoding);
- edges: direct calls and jumps; calls and jumps through a GOT slot (the
  PLT, `call [rip+GOT]`), resolved by the slot's relocation to a symbol of
  this object or to an import; code addresses a function takes (`lea`,
  `adrp+add`: an IFUNC resolver's candidates, a callback it registers);
  calls through `[reg + D]` (a table of function pointers: stdio's FILE
  vtables), resolved to every function pointer stored at offset D
  (< MAX_SLOT) of a table some relocation points at (stdout's FILE points
  at its vtable), relocations packed in DT_RELR included; falling off the end
  into the next function (not after a call: the callee does not return);
- a call through a register whose value is not a table slot is *unknown*:
  counted, never guessed.
The syscall number is the constant in eax/rax (x86_64) or w8/x8 (arm64)
at the instruction, followed back through register moves and the basic
blocks' predecessors (_RegFlow): resolved when every path sets the same
constant; anything else (an argument, a loaded value) is unresolved.

`scan(path)` raises UserError (naming the file) for a file it cannot read.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
import re

import capstone
from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection

from ..errors import UserError

# relocation types: (word, GLOB_DAT/JUMP_SLOT, RELATIVE, IRELATIVE)
_RELOCS = {
    "x86_64": {"abs": {1}, "sym": {6, 7}, "relative": {8}, "irelative": {37}},
    "arm64": {"abs": {257}, "sym": {1025, 1026}, "relative": {1027}, "irelative": {1032}},
}
_MACHINES = {"EM_X86_64": "x86_64", "EM_AARCH64": "arm64"}
# The largest slot offset followed: stdio's FILE vtable (glibc's
# _IO_jump_t: 21 pointers, 0xa8 bytes; musl's FILE callbacks at 0x48).
MAX_SLOT = 0x100


@dataclass
class Site:
    addr: int
    nr: int | None          # None: the number is not a constant here
    replay: bool = False    # it replays a call found elsewhere (see _replays): no number of its own


@dataclass
class Func:
    start: int
    end: int
    sites: list[Site] = field(default_factory=list)
    calls: set[int] = field(default_factory=set)      # code addresses it calls, jumps to or takes
    got: set[int] = field(default_factory=set)        # GOT slots it calls or jumps through
    slots: set[int] = field(default_factory=set)      # D of its calls through [reg + D]
    indirect: int = 0                                 # calls through a register: unknown
    falls: bool = False                               # runs on into the next function


@dataclass
class Scan:
    path: Path
    arch: str
    funcs: list[Func]
    starts: list[int]                  # funcs[i].start, sorted
    symbols: dict[str, int]            # defined function symbol -> address (dynsym and symtab)
    exports: set[str]                  # of those, the ones other objects can bind to
    imports: set[str]                  # undefined dynamic symbols
    got: dict[int, str]                # relocated word -> the symbol it is bound to
    ptrs: dict[int, int]               # relocated word -> the code address it holds
    bases: set[int]                    # data addresses relocations point at (tables)
    # the first argument at each call of an imported syscall(2) (None: not
    # a constant): the numbers this object passes to libc's generic wrapper
    syscall_calls: list[int | None] = field(default_factory=list)

    def func_at(self, addr: int) -> int | None:
        """Index of the function containing addr, or None outside the code."""
        i = bisect_right(self.starts, addr) - 1
        if i < 0 or addr >= self.funcs[i].end:
            return None
        return i

    def slot_targets(self, d: int) -> set[int]:
        """Code addresses stored at offset d of a table a relocation points
        at; none past MAX_SLOT (a far field of some large structure is no
        table of functions: such a call stays unknown)."""
        if not 0 <= d < MAX_SLOT:
            return set()
        return {self.ptrs[b + d] for b in self.bases if b + d in self.ptrs}


def _open(path: Path):
    try:
        f = open(path, "rb")
    except OSError as e:
        raise UserError(f"cannot read: {e.strerror}", path=path) from None
    try:
        elf = ELFFile(f)
        arch = _MACHINES.get(elf["e_machine"])
    except (ELFError, ValueError) as e:
        f.close()
        raise UserError(f"not an ELF file ({e})", path=path) from None
    if arch is None or elf.elfclass != 64:
        f.close()
        raise UserError(f"unsupported machine {elf['e_machine']} (the specialiser reads x86_64 "
                        "and arm64 objects)", path=path)
    return f, elf, arch


def _code_ranges(elf) -> list[tuple[int, bytes]]:
    out = []
    for s in elf.iter_sections():
        if s["sh_type"] == "SHT_PROGBITS" and s["sh_flags"] & 0x4 and s["sh_size"]:
            out.append((s["sh_addr"], s.data()))
    if not out:   # no section headers: the executable segments
        for seg in elf.iter_segments():
            if seg["p_type"] == "PT_LOAD" and seg["p_flags"] & 0x1:
                out.append((seg["p_vaddr"], seg.data()))
    return sorted(out, key=lambda r: r[0])


def _disasm(arch: str, base: int, data: bytes) -> list[tuple[int, int, str, str]]:
    """(address, size, mnemonic, operands) of the whole range; an undecodable
    spot is skipped (one byte on x86_64, one word on arm64)."""
    if arch == "x86_64":
        md, step = capstone.Cs(capstone.CS_ARCH_X86, capstone.CS_MODE_64), 1
    else:
        md, step = capstone.Cs(capstone.CS_ARCH_ARM64, capstone.CS_MODE_ARM), 4
    md.skipdata = False
    out = []
    off = 0
    while off < len(data):
        last = off
        for a, sz, m, o in md.disasm_lite(data[off:], base + off):
            out.append((a, sz, m, o))
            last = a - base + sz
        off = last if last > off else off + step
    return out


_HEX = re.compile(r"#?(0x[0-9a-f]+|\d+)$")
_RIP = re.compile(r"\[rip ([+-]) (0x[0-9a-f]+|\d+)\]")
_X86_SLOT = re.compile(r"qword ptr \[(r\w+)(?: \+ (0x[0-9a-f]+|\d+))?\]$")
_A64_LDR = re.compile(r"(x\d+), \[(x\d+)(?:, #(0x[0-9a-f]+|\d+))?\]$")
_X86_EAX = frozenset({"eax", "rax", "ax", "al"})
_A64_X8 = frozenset({"w8", "x8"})
_SYS_CLOBBERS = {"x86_64": _X86_EAX | {"rcx", "ecx", "r11", "r11d"}, "arm64": frozenset({"x0", "w0"})}
_RESULT = {"x86_64": _X86_EAX, "arm64": frozenset({"x0", "w0"})}
_CALLEE_SAVED = {
    "x86_64": frozenset({"rbx", "ebx", "rbp", "ebp", "r12", "r12d", "r13", "r13d", "r14", "r14d", "r15", "r15d"}),
    "arm64": frozenset({f"{p}{n}" for p in "wx" for n in range(19, 29)}),
}
_X86_READONLY = {"cmp", "test", "push", "bt"}
_A64_READONLY = {"cmp", "cmn", "tst", "cbz", "cbnz", "tbz", "tbnz", "ccmp", "ccmn"}


def _int(text: str) -> int | None:
    m = _HEX.fullmatch(text.strip())
    return int(m.group(1), 0) if m else None


def _is_padding(arch, m, o) -> bool:
    return m.endswith("nop") or m == "int3" if arch == "x86_64" else m in ("nop", "udf")


def _kind(arch, m, o) -> str:
    """call / jmp / jcc / ret (a terminator) / sys / other."""
    m = m.split()[-1]                    # "notrack jmp", "bnd jmp"
    if arch == "x86_64":
        if m == "syscall":
            return "sys"
        if m == "call":
            return "call"
        if m == "jmp":
            return "jmp"
        if m.startswith("j") or m.startswith("loop"):
            return "jcc"
        if m in ("ret", "retf", "ud2", "hlt", "int3"):
            return "ret"
        return "other"
    if m == "svc":
        return "sys"
    if m in ("bl", "blr"):
        return "call"
    if m in ("b", "br"):
        return "jmp"
    if m.startswith("b.") or m in ("cbz", "cbnz", "tbz", "tbnz"):
        return "jcc"
    if m in ("ret", "brk", "udf", "hlt", "eret"):
        return "ret"
    return "other"


def _branch_target(arch, o) -> int | None:
    return _int(o.split(", ")[-1]) if o else None


def _writes(arch, m, o, regs) -> str | None:
    """The first operand if this instruction writes one of regs, else None."""
    first = o.split(", ", 1)[0] if o else ""
    if first not in regs:
        return None
    if arch == "x86_64":
        return None if m in _X86_READONLY else first
    return None if m in _A64_READONLY or m.startswith("st") else first


REPLAY = "replay"
# Instructions compiled C does not put before a syscall: a `syscall` or
# `svc #0` decoded among them is data in the code section (OpenSSL's
# precomputed tables in libcrypto's .text).
_X86_NOT_CODE = {"int1", "in", "out", "insb", "insd", "outsb", "outsd", "std", "sahf", "lahf", "into", "wait",
                 "fwait", "hlt", "cli", "sti", "iretd", "retf", "lcall", "ljmp", "aam", "aad", "das", "daa"}


def _looks_like_data(arch, insns, i) -> bool:
    """Whether the instructions before insns[i] (up to 6, back to a branch)
    are ones no compiler emits there: the site is bytes of data."""
    if arch != "x86_64":
        return False
    for j in range(i - 1, max(i - 7, -1), -1):
        _a, _sz, m, o = insns[j]
        if _kind(arch, m, o) in ("call", "jmp", "jcc", "ret") and m != "int3":
            return False
        if m.startswith("rex") or m in _X86_NOT_CODE or m == "int3" or m == "(bad)":
            return True
    return False


def _replays(arch, insns, i) -> bool:
    """glibc's SIGSETXID handler: `mov eax, [r]` with rdi, rsi, rdx from
    [r+8], [r+16], [r+24] (struct xid_command) just before the syscall. It
    re-issues, in each thread, a set*id call another thread made through
    setuid() & co, whose own path has the constant number: it adds none."""
    if arch != "x86_64":
        return False
    loads = {}
    for j in range(i - 1, max(i - 9, -1), -1):
        _a, _sz, m, o = insns[j]
        mm = re.fullmatch(r"(\w+), (?:d|q)word ptr \[(r\w+)(?: \+ (0x[0-9a-f]+|\d+))?\]", o)
        if m == "mov" and mm:
            loads.setdefault(mm.group(1), (mm.group(2), int(mm.group(3), 0) if mm.group(3) else 0))
        elif _kind(arch, m, o) != "other":
            break
    base = loads.get("eax", (None, None))
    return base[1] == 0 and all(loads.get(r) == (base[0], off) for r, off in
                                (("rdi", 8), ("rsi", 16), ("rdx", 24)))


class _RegFlow:
    """The constant a register holds before an instruction, followed back
    through the basic blocks' predecessors (fall-through and direct jumps):
    a constant when every path sets the same one, else None. Paths that
    loop back add nothing; a call on the way clobbers caller-saved
    registers; an entry reached with no write (an argument) is unknown."""

    DEPTH = 40

    def __init__(self, arch, insns, entries):
        self.arch, self.insns, self.entries = arch, insns, entries
        self.index = {x[0]: i for i, x in enumerate(insns)}
        self.starts: set[int] = set()          # block starts (indices)
        self.sources: dict[int, list[int]] = {}   # block start -> indices of the jumps to it
        for i, (_a, _sz, m, o) in enumerate(insns):
            k = _kind(arch, m, o)
            if k in ("call", "jmp", "jcc", "ret", "sys"):
                self.starts.add(i + 1)
            if k in ("jmp", "jcc"):
                t = _branch_target(arch, o)
                if t is not None and t in self.index:
                    self.starts.add(self.index[t])
                    self.sources.setdefault(self.index[t], []).append(i)
        self.memo: dict = {}

    def before(self, i: int, regs: frozenset, depth: int = 0, seen=None):
        """The constant in `regs` just before insns[i]: int, None (unknown)
        or ... (a loop back here: no information)."""
        key = (i, regs)
        if key in self.memo:
            return self.memo[key]
        seen = set() if seen is None else seen
        if key in seen:
            return ...
        if depth > self.DEPTH:
            return None
        seen.add(key)
        j = i - 1
        if i in self.starts:
            v = self._join(i, regs, depth, seen)
            j = -2
        while j >= 0:
            a, sz, m, o = self.insns[j]
            if _writes(self.arch, m, o, regs):
                v = self._value(j, regs, depth, seen)
                break
            if j in self.starts:
                v = self._join(j, regs, depth, seen)
                break
            j -= 1
        else:
            if j == -1:
                v = None
        seen.discard(key)
        if v is not ...:
            self.memo[key] = v
        return v

    def _join(self, b, regs, depth, seen):
        """The value entering block b: the meet over its predecessors."""
        if self.insns[b][0] in self.entries:
            return None               # a function entry: an argument
        preds = self.sources.get(b, [])
        out = []
        if b > 0:
            _a, _sz, m, o = self.insns[b - 1]
            k = _kind(self.arch, m, o)
            if k == "call" and not regs & _CALLEE_SAVED[self.arch]:
                # the result (eax/x0) is no constant; any other register a
                # call clobbers cannot be read after it unless the call
                # never returns (abort): that path brings nothing
                if regs & _RESULT[self.arch]:
                    return None
                out.append(...)
                k = "jmp"
            if k == "sys" and regs & _SYS_CLOBBERS[self.arch]:
                return None            # the result, or a register the instruction clobbers
            if k not in ("jmp", "ret"):
                _a, _sz, m, o = self.insns[b - 1]
                out.append(self._value(b - 1, regs, depth + 1, seen) if _writes(self.arch, m, o, regs)
                           else self.before(b - 1, regs, depth + 1, seen))
        if not preds and not out:
            return ...                # code nothing reaches (padding after a jump)
        for s in preds:
            out.append(self.before(s, regs, depth + 1, seen))
        known = [v for v in out if v is not ...]
        if not known:
            return ...
        if any(v is None for v in known) or len(set(known)) != 1:
            return None
        return known[0]

    def _value(self, j, regs, depth, seen):
        a, sz, m, o = self.insns[j]
        ops = o.split(", ")
        if self.arch == "x86_64":
            if m == "xor" and len(ops) == 2 and ops[0] == ops[1]:
                return 0
            if m == "mov" and len(ops) == 2:
                v = _int(ops[1])
                if v is not None:
                    return v & 0xFFFFFFFF
                if re.fullmatch(r"[re]?\w+", ops[1]) and "ptr" not in ops[1] and ops[1] != "rip":
                    return self.before(j, frozenset(_x86_aliases(ops[1])), depth + 1, seen)
            return None
        if m in ("mov", "movz") and len(ops) == 2:
            v = _int(ops[1])
            if v is not None:
                return v
            if re.fullmatch(r"[wx]\d+", ops[1]):
                n = ops[1][1:]
                return self.before(j, frozenset({"w" + n, "x" + n}), depth + 1, seen)
        if m == "orr" and len(ops) == 3 and ops[1] in ("wzr", "xzr"):
            return _int(ops[2])
        return None


_X86_REGS = [("rax", "eax", "ax", "al"), ("rbx", "ebx", "bx", "bl"), ("rcx", "ecx", "cx", "cl"),
             ("rdx", "edx", "dx", "dl"), ("rsi", "esi", "si", "sil"), ("rdi", "edi", "di", "dil"),
             ("rbp", "ebp", "bp", "bpl")] + \
    [(f"r{n}", f"r{n}d", f"r{n}w", f"r{n}b") for n in range(8, 16)]


def _x86_aliases(reg: str) -> set[str]:
    for names in _X86_REGS:
        if reg in names:
            return set(names)
    return {reg}


def scan(path: Path | str) -> Scan:
    """Scan one object (see the module comment). UserError if it is not a
    readable x86_64/arm64 ELF file."""
    path = Path(path)
    f, elf, arch = _open(path)
    with f:
        try:
            return _scan(path, elf, arch)
        except ELFError as e:
            raise UserError(f"corrupt ELF file ({e})", path=path) from None


def _symbols(elf):
    symbols, exports, imports = {}, set(), set()
    for secname in (".dynsym", ".symtab"):
        sec = elf.get_section_by_name(secname)
        if sec is None:
            continue
        for sym in sec.iter_symbols():
            if not sym.name:
                continue
            typ, shndx = sym["st_info"]["type"], sym["st_shndx"]
            if shndx == "SHN_UNDEF":
                if secname == ".dynsym":
                    imports.add(sym.name)
                continue
            if typ not in ("STT_FUNC", "STT_GNU_IFUNC", "STT_LOOS"):   # pyelftools names IFUNC (10) STT_LOOS
                continue
            symbols.setdefault(sym.name, sym["st_value"])
            if secname == ".dynsym" and sym["st_info"]["bind"] != "STB_LOCAL" and \
                    sym["st_other"]["visibility"] in ("STV_DEFAULT", "STV_PROTECTED"):
                exports.add(sym.name)
    return symbols, exports, imports


def _relocations(elf, arch, in_code):
    kinds = _RELOCS[arch]
    got, ptrs, bases = {}, {}, set()
    for sec in elf.iter_sections():
        if not isinstance(sec, RelocationSection) or not sec.is_RELA():
            continue
        symtab = elf.get_section(sec["sh_link"]) if sec["sh_link"] else None
        for r in sec.iter_relocations():
            typ, off, add = r["r_info_type"], r["r_offset"], r["r_addend"]
            if typ in kinds["relative"] or typ in kinds["irelative"]:
                (ptrs.__setitem__(off, add) if in_code(add) else bases.add(add))
            elif typ in kinds["sym"] or typ in kinds["abs"]:
                if symtab is None or not r["r_info_sym"]:
                    continue
                sym = symtab.get_symbol(r["r_info_sym"])
                got[off] = sym.name
                if sym["st_shndx"] != "SHN_UNDEF":
                    target = sym["st_value"] + (add if typ in kinds["abs"] else 0)
                    (ptrs.__setitem__(off, target) if in_code(target) else bases.add(target))
    for where, value in _relr(elf):
        (ptrs.__setitem__(where, value) if in_code(value) else bases.add(value))
    return got, ptrs, bases


def _relr(elf):
    """(address, value) of the relative relocations packed in DT_RELR
    (.relr.dyn: glibc 2.36 links libc so): an even word is an address, an
    odd one a bitmap of the 63 words after the last; the addend is the
    word stored there."""
    sec = next((x for x in elf.iter_sections() if x["sh_type"] in ("SHT_RELR", 19) or x.name == ".relr.dyn"), None)
    if sec is None:
        return []
    loads = [seg for seg in elf.iter_segments() if seg["p_type"] == "PT_LOAD"]
    datas = [(seg["p_vaddr"], seg["p_filesz"], seg.data()) for seg in loads]

    def word(addr):
        for lo, size, data in datas:
            if lo <= addr and addr + 8 <= lo + size:
                return int.from_bytes(data[addr - lo:addr - lo + 8], "little")
        return None

    raw = sec.data()
    out, where = [], 0
    for i in range(0, len(raw) - 7, 8):
        entry = int.from_bytes(raw[i:i + 8], "little")
        if entry & 1 == 0:
            where = entry
            out.append(where)
            where += 8
        else:
            bits, j = entry >> 1, 0
            while bits:
                if bits & 1:
                    out.append(where + j * 8)
                bits >>= 1
                j += 1
            where += 63 * 8
    return [(a, v) for a in out if (v := word(a)) is not None]


def _scan(path: Path, elf, arch: str) -> Scan:
    ranges = _code_ranges(elf)
    spans = [(base, base + len(data)) for base, data in ranges]

    def in_code(addr):
        return any(lo <= addr < hi for lo, hi in spans)

    symbols, exports, imports = _symbols(elf)
    got, ptrs, bases = _relocations(elf, arch, in_code)
    insns = []
    for base, data in ranges:
        insns.extend(_disasm(arch, base, data))

    # pass 1: entries (function starts) and block starts (jump targets)
    entries = {base for base, _ in ranges} | {v for v in symbols.values() if in_code(v)}
    jump_targets = set()
    for _a, _sz, m, o in insns:
        k = _kind(arch, m, o)
        if k in ("call", "jmp", "jcc"):
            t = _branch_target(arch, o)
            if t is not None and in_code(t):
                (entries if k == "call" else jump_targets).add(t)

    # pass 2: what each instruction does, as events (address, kind, value)
    flow = _RegFlow(arch, insns, entries)
    ev = _Events()
    adrp: dict[str, int] = {}   # arm64: register -> page from adrp (this block)
    loaded: dict[str, tuple] = {}   # register -> ("got", addr) | ("slot", D) (this block)
    for i, (a, sz, m, o) in enumerate(insns):
        if a in jump_targets or a in entries:
            adrp, loaded = {}, {}
        k = _kind(arch, m, o)
        ev.at = a
        if k == "sys":
            if _looks_like_data(arch, insns, i):
                continue
            v = flow.before(i, _X86_EAX if arch == "x86_64" else _A64_X8)
            v = None if v is ... else v
            ev.add("site", REPLAY if v is None and _replays(arch, insns, i) else v)
        elif k in ("call", "jmp", "jcc"):
            _edge(arch, ev, k, a, sz, o, in_code, adrp, loaded)
        else:
            _track(arch, ev, a, sz, m, o, in_code, adrp, loaded)
        if k in ("call", "jmp", "jcc", "ret"):
            adrp, loaded = {}, {}

    # the GOT is no table of functions of its own: slots do not index from it
    for sec in elf.iter_sections():
        if sec.name in (".got", ".got.plt"):
            lo, hi = sec["sh_addr"], sec["sh_addr"] + sec["sh_size"]
            bases -= {b for b in bases if lo <= b < hi}
    # functions: every entry, the code addresses taken and stored included
    entries |= {v for _, k, v in ev.items if k == "take"} | {v for v in ptrs.values() if in_code(v)}
    # a jump into the middle of another function (a tail call to a function
    # nothing calls, e.g. an error path) starts a function there too
    jumps = [(a, v) for a, k, v in ev.items if k == "jump"]
    for _ in range(4):
        starts = sorted(entries)
        more = set()
        for a, v in jumps:
            i, j = bisect_right(starts, a), bisect_right(starts, v)
            if i != j and v not in entries:
                more.add(v)
        if not more:
            break
        entries |= more
    starts = sorted(entries)
    funcs = []
    for i, s0 in enumerate(starts):    # a function never spans two sections
        end = _end_of(spans, s0)
        funcs.append(Func(s0, min(starts[i + 1], end) if i + 1 < len(starts) else end))
    fi = 0
    for a, k, v in ev.items:
        while fi + 1 < len(funcs) and a >= funcs[fi + 1].start:
            fi += 1
        fn = funcs[fi]
        if k == "site":
            fn.sites.append(Site(a, None, True) if v is REPLAY else Site(a, v))
        elif k in ("call", "take", "jump"):
            if not fn.start <= v < fn.end:
                fn.calls.add(v)
        elif k == "got":
            fn.got.add(v)
        elif k == "slot":
            fn.slots.add(v)
        elif k == "indirect":
            fn.indirect += 1
    _falls(arch, insns, funcs)
    exports &= set(symbols)
    sc = Scan(path, arch, funcs, starts, symbols, exports, imports, got, ptrs, bases)
    if "syscall" in imports:
        sc.syscall_calls = _syscall_calls(sc, insns, flow)
    return sc


_ARG0 = {"x86_64": frozenset({"rdi", "edi", "di", "dil"}), "arm64": frozenset({"x0", "w0"})}


def _syscall_calls(sc: Scan, insns, flow) -> list[int | None]:
    """The number (first argument) at each call of the imported `syscall`:
    direct calls of its PLT stub and calls through its GOT slot."""
    slots = {a for a, name in sc.got.items() if name == "syscall"}
    stubs = {fn.start for fn in sc.funcs if fn.got & slots and fn.end - fn.start <= 32}
    out = []
    for i, (a, sz, m, o) in enumerate(insns):
        if _kind(sc.arch, m, o) != "call":
            continue
        t = _branch_target(sc.arch, o)
        rip = _RIP.search(o) if sc.arch == "x86_64" else None
        if (t is not None and t in stubs) or \
                (rip and a + sz + int(rip.group(2), 0) * (1 if rip.group(1) == "+" else -1) in slots):
            v = flow.before(i, _ARG0[sc.arch])
            out.append(None if v is ... else v)
    return out


class _Events:
    def __init__(self):
        self.items: list[tuple[int, str, object]] = []
        self.at = 0

    def add(self, kind, value):
        self.items.append((self.at, kind, value))


def _falls(arch, insns, funcs):
    """Mark the functions that run on into the next one: the last real
    instruction is not a return or jump, nor a call (a function that ends
    in a call calls one that does not return: abort, __stack_chk_fail)."""
    starts = {fn.start: i for i, fn in enumerate(funcs)}
    last = None
    for a, _sz, m, o in insns:
        i = starts.get(a)
        if i is not None and i > 0 and last is not None and funcs[i - 1].end == a:
            k = last
            if k not in ("ret", "jmp", "call"):
                funcs[i - 1].falls = True
            last = None
        if not _is_padding(arch, m, o):
            last = _kind(arch, m, o)


def _end_of(spans, addr):
    for lo, hi in spans:
        if lo <= addr < hi:
            return hi
    return addr


def _edge(arch, ev, k, a, sz, o, in_code, adrp, loaded):
    target = _branch_target(arch, o)
    if target is not None:
        if in_code(target):
            ev.add("call" if k == "call" else "jump", target)
        return
    if arch == "x86_64":
        rip = _RIP.search(o)
        if rip:
            d = int(rip.group(2), 0)
            ev.add("got", a + sz + (d if rip.group(1) == "+" else -d))
            return
        slot = _X86_SLOT.search(o)
        if slot and k == "call" or slot and k == "jmp":
            ev.add("slot", int(slot.group(2), 0) if slot.group(2) else 0)
            return
        reg = o.strip()
        src = loaded.get(reg) if re.fullmatch(r"r\w+", reg) else None
    else:
        reg = o.strip()
        src = loaded.get(reg)
    if src is not None:
        ev.add(src[0], src[1])
    elif k == "call":
        ev.add("indirect", None)
    # a jump through a register with no known source: a switch inside the function


def _track(arch, ev, a, sz, m, o, in_code, adrp, loaded):
    """Addresses an ordinary instruction takes or loads."""
    ops = o.split(", ") if o else []
    if arch == "x86_64":
        rip = _RIP.search(o)
        if rip:
            d = int(rip.group(2), 0)
            addr = a + sz + (d if rip.group(1) == "+" else -d)
            if m == "lea" and in_code(addr):
                ev.add("take", addr)
            elif m == "mov" and len(ops) == 2 and ops[0].startswith("r") and "ptr" in ops[1]:
                loaded[ops[0]] = ("got", addr)
                return
        if m == "mov" and len(ops) == 2:
            slot = _X86_SLOT.fullmatch(ops[1])
            if slot:
                loaded[ops[0]] = ("slot", int(slot.group(2), 0) if slot.group(2) else 0)
            else:
                loaded.pop(ops[0], None)
        elif ops:
            loaded.pop(ops[0], None)
        return
    if m == "adrp" and len(ops) == 2:
        v = _int(ops[1])
        if v is not None:
            adrp[ops[0]] = v
            return
    if m == "adr" and len(ops) == 2:
        v = _int(ops[1])
        if v is not None and in_code(v):
            ev.add("take", v)
    elif m == "add" and len(ops) == 3 and ops[1] in adrp and _int(ops[2]) is not None:
        addr = adrp[ops[1]] + _int(ops[2])
        if in_code(addr):
            ev.add("take", addr)
        adrp.pop(ops[0], None)
    elif m == "ldr" and _A64_LDR.fullmatch(o):
        dst, src, off = _A64_LDR.fullmatch(o).groups()
        d = int(off, 0) if off else 0
        if src in adrp:
            loaded[dst] = ("got", adrp[src] + d)
        else:
            loaded[dst] = ("slot", d)
        if dst != src:
            adrp.pop(dst, None)
        return
    if ops:
        adrp.pop(ops[0], None)
        loaded.pop(ops[0], None)
        if ops[0].startswith("w"):
            loaded.pop("x" + ops[0][1:], None)
            adrp.pop("x" + ops[0][1:], None)
