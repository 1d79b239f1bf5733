"""Reading a Linux ELF program or shared library on the host, for
binary-compatibility mode: its architecture, type, interpreter, DT_NEEDED,
search paths, segments and the newest GLIBC_ symbol version it needs.

    read(path, arch=None) -> ElfInfo

The file is outside input. Before pyelftools sees it, the header, the
program headers and the dynamic segment are checked against the file's
size here (pyelftools raises assorted exceptions, or reads garbage, on a
damaged file); whatever pyelftools still raises becomes a UserError too.
So every malformed file is a UserError that names it, says what is wrong
and how to fix it: never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field
import io
from pathlib import Path
import re
import struct

from ..errors import UserError

ET_EXEC, ET_DYN = 2, 3
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_TLS = 1, 2, 3, 7
PT_GNU_STACK, PT_GNU_RELRO = 0x6474E551, 0x6474E552
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_SONAME = 0, 1, 5, 10, 14
DT_RPATH, DT_RUNPATH, DT_FLAGS_1 = 15, 29, 0x6FFFFFFB
DF_1_PIE = 0x08000000
PF_X, PF_W, PF_R = 1, 2, 4
EM = {62: "x86_64", 183: "arm64"}
# Other machines, for a message that names them.
EM_NAMES = {3: "i386", 40: "arm (32-bit)", 8: "mips", 20: "powerpc", 21: "powerpc64", 22: "s390",
            243: "riscv", 258: "loongarch"}
PT_NAMES = {PT_LOAD: "LOAD", PT_DYNAMIC: "DYNAMIC", PT_INTERP: "INTERP", 4: "NOTE", 6: "PHDR",
            PT_TLS: "TLS", PT_GNU_STACK: "GNU_STACK", PT_GNU_RELRO: "GNU_RELRO", 0x6474E550: "GNU_EH_FRAME",
            0x6474E553: "GNU_PROPERTY"}
EHDR = struct.Struct("<16sHHIQQQIHHHHHH")     # Elf64_Ehdr
PHDR = struct.Struct("<IIQQQQQQ")             # Elf64_Phdr
DYN = struct.Struct("<qQ")                    # Elf64_Dyn
HINT_DAMAGED = "the file is damaged or not a program: copy it again from its package (dpkg -S FILE names it)"


@dataclass(frozen=True)
class Segment:
    type: int           # p_type (PT_LOAD, ...)
    flags: int          # PF_R | PF_W | PF_X
    offset: int
    vaddr: int
    filesz: int
    memsz: int
    align: int

    @property
    def name(self) -> str:
        return PT_NAMES.get(self.type, hex(self.type))


@dataclass
class ElfInfo:
    """The facts of one ELF file the tool needs. Paths stay as the file
    gives them (interp "/lib64/ld-linux-x86-64.so.2", rpath "$ORIGIN/../lib")."""
    path: Path
    arch: str                       # "x86_64" | "arm64"
    type: str                       # "EXEC" | "DYN"
    entry: int
    interp: str | None              # PT_INTERP
    needed: list[str] = field(default_factory=list)
    soname: str | None = None
    rpath: list[str] = field(default_factory=list)      # DT_RPATH, split at ':'
    runpath: list[str] = field(default_factory=list)    # DT_RUNPATH, split at ':'
    flags_1: int = 0
    segments: list[Segment] = field(default_factory=list)
    glibc: str | None = None        # the newest GLIBC_x.y it needs, e.g. "2.34"
    version_needs: dict[str, set[str]] = field(default_factory=dict)   # DT_NEEDED name -> versions it needs
    version_defs: set[str] = field(default_factory=set)               # versions it defines (a library)

    @property
    def pie(self) -> bool:
        """A position-independent executable (dynamic or static-pie)."""
        return self.type == "DYN" and (bool(self.flags_1 & DF_1_PIE) or
                                       (self.interp is not None and self.soname is None))

    @property
    def static(self) -> bool:
        """No interpreter and no libraries: the kernel runs it alone."""
        return self.interp is None and not self.needed

    @property
    def executable(self) -> bool:
        """A program (not a plain shared library): fixed-address, PIE, or static."""
        return self.type == "EXEC" or self.pie or (self.interp is None and self.soname is None)

    @property
    def loads(self) -> list[Segment]:
        return [s for s in self.segments if s.type == PT_LOAD]

    @property
    def fixed_range(self) -> tuple[int, int] | None:
        """[lo, hi) page-aligned of a fixed-address (ET_EXEC) program's
        PT_LOADs, which the kernel must keep free; None for a PIE."""
        if self.type != "EXEC" or not self.loads:
            return None
        lo = min(s.vaddr for s in self.loads) & ~0xFFF
        hi = max(s.vaddr + s.memsz for s in self.loads)
        return lo, (hi + 0xFFF) & ~0xFFF

    @property
    def kind(self) -> str:
        """A phrase for messages: "dynamic PIE", "static non-PIE", ..."""
        link = "static" if self.static else "dynamic"
        return f"{link} {'PIE' if self.pie else 'non-PIE'}" if self.executable else "shared library"


def _fail(path, what: str, hint: str = HINT_DAMAGED):
    raise UserError(f"not a usable ELF program: {what}", path=path, hint=hint)


def _header(path: Path, data: bytes, arch: str | None):
    if len(data) < 4 or data[:4] != b"\x7fELF":
        if data[:2] == b"#!":
            line = data[2:].split(b"\n", 1)[0].decode(errors="replace").strip()
            prog = line.split()[0] if line.split() else "?"
            _fail(path, f"it is a script for '{line}', not an ELF binary",
                  f"run its interpreter and pass the script: uniforge run {prog} --rootfs DIR -- /SCRIPT "
                  "(with the script in DIR)")
        _fail(path, "no ELF magic (\\x7fELF) at its start: not an ELF file",
              "give the program itself (for a wrapper or a symlink farm, `file PATH` says what it is)")
    if len(data) < 16:
        _fail(path, f"truncated ELF header ({len(data)} bytes)")
    if data[4] == 1:
        _fail(path, "a 32-bit ELF (ELFCLASS32): only 64-bit programs run here",
              "use the 64-bit build of the program (Debian's amd64 or arm64 package)")
    if data[4] != 2:
        _fail(path, f"bad ELF class {data[4]} (expected 2, 64-bit)")
    if data[5] != 1:
        _fail(path, "a big-endian ELF (ELFDATA2MSB): only little-endian x86_64 and arm64 run here",
              "use Debian's amd64 or arm64 package of the program")
    if len(data) < EHDR.size:
        _fail(path, f"truncated ELF header ({len(data)} of {EHDR.size} bytes)")
    (_, e_type, e_machine, _, e_entry, e_phoff, _, _, _, e_phentsize, e_phnum, _, _, _) = \
        EHDR.unpack_from(data)
    if e_machine not in EM:
        name = EM_NAMES.get(e_machine, f"machine {e_machine}")
        _fail(path, f"built for {name}: only x86_64 and arm64 programs run here",
              "use Debian's amd64 or arm64 package of the program")
    got = EM[e_machine]
    if arch is not None and got != arch:
        raise UserError(f"an {got} program cannot run on an {arch} target", path=path,
                        hint=f"pick an {got} target (e.g. -t qemu/{got}), or the {arch} build of the program "
                             f"(Debian's {'arm64' if arch == 'arm64' else 'amd64'} package, with --sysroot)")
    if e_type not in (ET_EXEC, ET_DYN):
        what = {0: "ET_NONE", 1: "a relocatable object (ET_REL, a .o file)", 4: "a core dump (ET_CORE)"}
        _fail(path, f"{what.get(e_type, f'ELF type {e_type}')}, not a program",
              "give a linked program (ET_EXEC or ET_DYN)")
    if e_phnum == 0:
        _fail(path, "no program headers (e_phnum = 0): nothing to load")
    if e_phentsize != PHDR.size:
        _fail(path, f"corrupt program headers: e_phentsize is {e_phentsize}, expected {PHDR.size}")
    if e_phoff > len(data) or e_phoff + e_phnum * PHDR.size > len(data):
        _fail(path, f"corrupt program headers: {e_phnum} headers at offset {e_phoff:#x} run past the end of "
                    f"the file ({len(data)} bytes; truncated?)")
    return got, ("EXEC" if e_type == ET_EXEC else "DYN"), e_entry, e_phoff, e_phnum


def _vaddr_to_offset(loads: list[Segment], vaddr: int) -> int | None:
    for s in loads:
        if s.vaddr <= vaddr < s.vaddr + s.filesz:
            return s.offset + (vaddr - s.vaddr)
    return None


def _dynamic(path: Path, data: bytes, dyn: Segment, loads: list[Segment]):
    """(needed, soname, rpath, runpath, flags_1) from the PT_DYNAMIC
    segment, every string bounds-checked against DT_STRTAB/DT_STRSZ."""
    end = dyn.offset + dyn.filesz
    if dyn.offset > len(data) or end > len(data):
        _fail(path, f"the dynamic section (offset {dyn.offset:#x}, {dyn.filesz} bytes) points outside the "
                    f"file ({len(data)} bytes; truncated?)")
    tags: list[tuple[int, int]] = []
    for off in range(dyn.offset, end - DYN.size + 1, DYN.size):
        tag, val = DYN.unpack_from(data, off)
        if tag == DT_NULL:
            break
        tags.append((tag, val))
    strtab = [v for t, v in tags if t == DT_STRTAB]
    strsz = [v for t, v in tags if t == DT_STRSZ]
    names = [(t, v) for t, v in tags if t in (DT_NEEDED, DT_SONAME, DT_RPATH, DT_RUNPATH)]
    flags_1 = next((v for t, v in tags if t == DT_FLAGS_1), 0)
    if not names:
        return [], None, [], [], flags_1
    if not strtab or not strsz:
        _fail(path, "corrupt dynamic section: it names libraries but has no DT_STRTAB/DT_STRSZ")
    base = _vaddr_to_offset(loads, strtab[0])
    if base is None or base + strsz[0] > len(data):
        _fail(path, f"the dynamic section's string table (address {strtab[0]:#x}, {strsz[0]} bytes) points "
                    "outside the file's loaded segments")
    table = data[base:base + strsz[0]]

    def string(val: int) -> str:
        nul = table.find(b"\0", val) if val < len(table) else -1
        if nul < 0:
            _fail(path, f"corrupt dynamic section: a name at string offset {val:#x} runs past the string "
                        f"table ({len(table)} bytes)")
        return table[val:nul].decode("utf-8", "surrogateescape")
    needed = [string(v) for t, v in names if t == DT_NEEDED]
    soname = next((string(v) for t, v in names if t == DT_SONAME), None)
    rpath = [p for t, v in names if t == DT_RPATH for p in string(v).split(":") if p]
    runpath = [p for t, v in names if t == DT_RUNPATH for p in string(v).split(":") if p]
    for n in needed:
        if not n or "\0" in n:
            _fail(path, "corrupt dynamic section: an empty DT_NEEDED name")
    return needed, soname, rpath, runpath, flags_1


def _versions(path: Path, data: bytes) -> tuple[dict[str, set[str]], set[str]]:
    """(the symbol versions the file needs, by library: .gnu.version_r;
    the versions it defines: .gnu.version_d), read by pyelftools. The
    file was checked before; whatever pyelftools raises is a UserError."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.gnuversions import GNUVerDefSection, GNUVerNeedSection
    needs: dict[str, set[str]] = {}
    defs: set[str] = set()
    try:
        with io.BytesIO(data) as f:
            elf = ELFFile(f)
            for sec in elf.iter_sections():
                if isinstance(sec, GNUVerNeedSection):
                    for verneed, auxes in sec.iter_versions():
                        needs.setdefault(verneed.name, set()).update(aux.name for aux in auxes)
                elif isinstance(sec, GNUVerDefSection):
                    for verdef, auxes in sec.iter_versions():
                        if not verdef["vd_flags"] & 1:      # VER_FLG_BASE names the file itself
                            defs.update(aux.name for aux in auxes)
    except Exception as e:    # ELFError, or pyelftools' own or its parser's (construct, struct, Unicode...)
        _fail(path, f"corrupt section headers or symbol versions ({type(e).__name__}: {e})")
    return needs, defs


def glibc_key(version: str) -> tuple[int, ...]:
    """GLIBC_2.34 -> (2, 34); other names -> ()."""
    m = re.fullmatch(r"GLIBC_(\d+(?:\.\d+)+)", version)
    return tuple(int(x) for x in m.group(1).split(".")) if m else ()


def _newest_glibc(names) -> str | None:
    best = max((glibc_key(n) for n in names), default=())
    return ".".join(map(str, best)) if best else None


def read(path, arch: str | None = None) -> ElfInfo:
    """The ElfInfo of the ELF file at `path`. With `arch` ("x86_64" or
    "arm64"), a program for another architecture is an error too. Raises
    UserError naming the file, what is wrong and the fix, for a missing
    file, a script, a non-ELF, a 32-bit, big-endian or foreign-machine ELF,
    a truncated header, corrupt program headers or dynamic section."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("no such file", path=path, hint="give the path of a program, e.g. /usr/bin/sqlite3") \
            from None
    except IsADirectoryError:
        raise UserError("a folder, not a program", path=path) from None
    except OSError as e:
        raise UserError(f"cannot read it: {e.strerror}", path=path) from None
    return parse(data, path, arch)


def parse(data: bytes, path, arch: str | None = None, versions: bool = True) -> ElfInfo:
    """read() of a file's bytes (`path` names it in messages); without
    `versions`, the symbol versions are not read (glibc is None)."""
    path = Path(path)
    got, etype, entry, phoff, phnum = _header(path, data, arch)
    segments = []
    for i in range(phnum):
        p_type, p_flags, off, vaddr, _, filesz, memsz, align = PHDR.unpack_from(data, phoff + i * PHDR.size)
        seg = Segment(p_type, p_flags, off, vaddr, filesz, memsz, align)
        if p_type in (PT_LOAD, PT_INTERP, PT_DYNAMIC) and (off > len(data) or off + filesz > len(data)):
            _fail(path, f"corrupt program header {i} (PT_{seg.name}): {filesz} bytes at offset {off:#x} run "
                        f"past the end of the file ({len(data)} bytes; truncated?)")
        if p_type == PT_LOAD and filesz > memsz:
            _fail(path, f"corrupt program header {i} (PT_LOAD): file size {filesz:#x} > memory size {memsz:#x}")
        if p_type == PT_LOAD and align > 1 and (align & (align - 1) or (vaddr - off) % align):
            _fail(path, f"corrupt program header {i} (PT_LOAD): address {vaddr:#x} and offset {off:#x} "
                        f"disagree modulo the alignment {align:#x}")
        segments.append(seg)
    loads = [s for s in segments if s.type == PT_LOAD]
    if not loads:
        _fail(path, "no PT_LOAD segment: nothing to load")
    interp = None
    for s in segments:
        if s.type == PT_INTERP:
            raw = data[s.offset:s.offset + s.filesz]
            name = raw.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            if not name.startswith("/") or b"\0" not in raw:
                _fail(path, f"corrupt PT_INTERP {raw[:80]!r}: not a NUL-terminated absolute path")
            interp = name
            break
    dyn = next((s for s in segments if s.type == PT_DYNAMIC), None)
    needed, soname, rpath, runpath, flags_1 = ([], None, [], [], 0) if dyn is None else \
        _dynamic(path, data, dyn, loads)
    vneeds, vdefs = _versions(path, data) if versions and dyn is not None else ({}, set())
    return ElfInfo(path=path, arch=got, type=etype, entry=entry, interp=interp, needed=needed, soname=soname,
                   rpath=rpath, runpath=runpath, flags_1=flags_1, segments=segments,
                   glibc=_newest_glibc(v for vs in vneeds.values() for v in vs),
                   version_needs=vneeds, version_defs=vdefs)


def is_elf(path) -> bool:
    """Whether `path` is a file starting with the ELF magic (what `uniforge
    run PATH` tells a binary from an app folder by)."""
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False
