"""Image size by micro-library, read from the final link's map file.

Every input section the linker placed in an allocated output section is
attributed to the library whose partial object (lib/lib<name>.o) it came
from; text includes read-only data (as in `size`'s Berkeley format), data
is initialised writable data, bss is zero-initialised. Alignment padding is
its own row. Pure parsing: the caller reads the file.
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


def parse_map(text: str) -> list[LibSize]:
    """Sizes per library, largest first."""
    start = text.find("Linker script and memory map")
    lines = text[start:].splitlines() if start >= 0 else []
    sizes: dict[str, LibSize] = {}
    kind = None
    pending_name = None

    def add(owner, k, n):
        if k is None or n == 0:
            return
        entry = sizes.setdefault(owner, LibSize(owner))
        setattr(entry, k, getattr(entry, k) + n)

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
            add("(padding)", kind, int(m.group(2), 16))
            continue
        m = _IN.match(line)
        if m:
            add(_owner(m.group(4)), kind, int(m.group(3), 16))
            pending_name = None
            continue
        m = _IN_NAME_ONLY.match(line)
        if m:
            pending_name = m.group(1)
            continue
        m = _IN_CONT.match(line)
        if m and pending_name is not None:
            add(_owner(m.group(3)), kind, int(m.group(2), 16))
            pending_name = None
    return sorted(sizes.values(), key=lambda s: (-s.total, s.name))
