"""Image size by micro-library, read from the final link's map file.

Every input section the linker placed in an allocated output section is
attributed to the library whose partial object (lib/lib<name>.o) it came
from; text includes read-only data (as in `size`'s Berkeley format), data
is initialised writable data, bss is zero-initialised. Alignment padding is
its own row. Pure parsing: the caller reads the file.

Under LTO the code is generated at link time into `*.ltrans.o` objects the
map names instead of the libraries: lto_text_ranges() says where that code
is, and uniforge/ltosize.py attributes it by the DWARF line table of the
.dbg image (with_lto_text()); its read-only data, data and bss stay
"(linker)".
"""
from __future__ import annotations

from dataclasses import dataclass
import re

_OUT = re.compile(r"^(\.\S+|\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)")
_IN = re.compile(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
_IN_NAME_ONLY = re.compile(r"^ (\S+)$")
_IN_CONT = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$")
_FILL = re.compile(r"^ \*fill\*\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)")
_SKIP = (".debug", ".comment", ".note.GNU-stack", ".rela", ".iplt", ".igot", ".got", ".symtab",
         ".strtab", ".shstrtab", "/DISCARD/", ".stab")


@dataclass
class LibSize:
    name: str
    text: int = 0
    data: int = 0
    bss: int = 0

    @property
    def total(self) -> int:
        return self.text + self.data + self.bss


def _kind(out_section: str) -> str | None:
    if out_section.startswith(_SKIP):
        return None
    if out_section.startswith((".bss", ".sbss", ".tbss")) or out_section == "COMMON":
        return "bss"
    if out_section.startswith((".data", ".sdata", ".tdata")):
        return "data"
    return "text"


def _owner(path: str) -> str:
    m = re.search(r"lib/lib([^/]+)\.o$", path) or re.search(r"lib/lib([^/(]+)\.a\(", path)
    if m:
        return m.group(1)
    m = re.search(r"obj/([^/]+)/", path)
    if m:
        return m.group(1)
    if "libgcc" in path:
        return "libgcc"
    return "(linker)"


def _input_sections(text: str):
    """(kind, input file or None for padding, address, size) of every input
    section and fill the map places in an allocated output section."""
    start = text.find("Linker script and memory map")
    lines = text[start:].splitlines() if start >= 0 else []
    kind = None
    pending_name = None
    for line in lines:
        if line and not line[0].isspace():
            name = line.split()[0]
            if name in ("LOAD", "OUTPUT(") or name.startswith(("LOAD", "OUTPUT")):
                continue
            kind = _kind(name)
            pending_name = None
            continue
        m = _FILL.match(line)
        if m:
            yield kind, None, int(m.group(1), 16), int(m.group(2), 16)
            continue
        m = _IN.match(line)
        if m:
            yield kind, m.group(4), int(m.group(2), 16), int(m.group(3), 16)
            pending_name = None
            continue
        m = _IN_NAME_ONLY.match(line)
        if m:
            pending_name = m.group(1)
            continue
        m = _IN_CONT.match(line)
        if m and pending_name is not None:
            yield kind, m.group(3), int(m.group(1), 16), int(m.group(2), 16)
            pending_name = None


def parse_map(text: str) -> list[LibSize]:
    """Sizes per library, largest first."""
    sizes: dict[str, LibSize] = {}
    for kind, path, _, n in _input_sections(text):
        if kind is None or n == 0:
            continue
        owner = "(padding)" if path is None else _owner(path)
        entry = sizes.setdefault(owner, LibSize(owner))
        setattr(entry, kind, getattr(entry, kind) + n)
    return _ordered(sizes.values())


def _ordered(rows) -> list[LibSize]:
    return sorted(rows, key=lambda s: (-s.total, s.name))


def lto_text_ranges(text: str) -> list[tuple[int, int]]:
    """[start, end) of what the LTO link generated in text-kind output
    sections (input sections of its `*.ltrans.o` objects: code, and
    read-only data no line-table row covers): bytes the map cannot
    attribute to a library."""
    return [(addr, addr + n) for kind, path, addr, n in _input_sections(text)
            if kind == "text" and n and path is not None and path.endswith(".ltrans.o")]


def with_lto_text(rows: list[LibSize], by_lib: dict[str, int]) -> list[LibSize]:
    """`rows` with text bytes of LTO-generated code (`by_lib`: library →
    bytes, from ltosize.text_by_library) moved from "(linker)" to each
    library."""
    sizes = {r.name: LibSize(r.name, r.text, r.data, r.bss) for r in rows}
    moved = sum(by_lib.values())
    linker = sizes.get("(linker)")
    assert linker is not None and linker.text >= moved, "LTO text outside the linker's row"
    linker.text -= moved
    for name, n in by_lib.items():
        sizes.setdefault(name, LibSize(name)).text += n
    return _ordered(r for r in sizes.values() if r.total)
