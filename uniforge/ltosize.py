"""Code an LTO link generated, attributed to libraries by the DWARF line
table of the image's .dbg copy.

Under CONFIG_OPTIMIZE_LTO the final link compiles every library's IR again
into `*.ltrans.o` objects, so the map file (size.py) no longer says which
library a byte of code came from. The line table still does: each row
gives the source file of an address range (inlined code counts for the
function it came from). `owner(path)` maps a source file to its library
(cmd_size: the library folders, their Debian trees, gen/<lib>/, the app
folder); rows outside the LTO ranges (code that was never IR: musl's
archive) are left to the map. Needs `-g` (CONFIG_DEBUG_SYMBOLS, the
default); without a line table nothing is attributed.
"""
from __future__ import annotations

import bisect
import posixpath
from pathlib import Path, PurePosixPath
from typing import Callable


def _file_name(hdr, comp_dir: str, index: int) -> str:
    """The path of file `index` of a line program header (DWARF 4 counts
    files and folders from 1, DWARF 5 from 0)."""
    v5 = hdr.version >= 5
    entries = hdr.file_entry
    i = index if v5 else index - 1
    if not 0 <= i < len(entries):
        return ""
    ent = entries[i]
    d = ent.dir_index if v5 else ent.dir_index - 1
    folder = hdr.include_directory[d].decode(errors="replace") \
        if 0 <= d < len(hdr.include_directory) else comp_dir
    return posixpath.normpath(str(PurePosixPath(comp_dir) / folder / ent.name.decode(errors="replace")))


def _rows(dwarf):
    """(start, end, file path) for every address range of every line program."""
    for cu in dwarf.iter_CUs():
        lp = dwarf.line_program_for_CU(cu)
        if lp is None:
            continue
        comp_dir = cu.get_top_DIE().attributes.get("DW_AT_comp_dir")
        comp_dir = comp_dir.value.decode(errors="replace") if comp_dir else ""
        prev = None
        for entry in lp.get_entries():
            state = entry.state
            if state is None:
                continue
            if prev is not None and not prev.end_sequence and state.address > prev.address:
                yield prev.address, state.address, _file_name(lp.header, comp_dir, prev.file)
            prev = state


def text_by_library(dbg: Path, ranges: list[tuple[int, int]],
                    owner: Callable[[str], str | None]) -> dict[str, int]:
    """Bytes of the [start, end) `ranges` (the LTO code) by library, from
    the line table of the ELF `dbg`; bytes of files `owner` does not know,
    and bytes no row covers, are not counted."""
    from elftools.elf.elffile import ELFFile
    ranges = sorted(ranges)
    starts = [a for a, _ in ranges]
    out: dict[str, int] = {}
    known: dict[str, str | None] = {}
    with open(dbg, "rb") as f:
        elf = ELFFile(f)
        if not elf.has_dwarf_info():
            return {}
        for a, b, path in _rows(elf.get_dwarf_info()):
            i = max(bisect.bisect_right(starts, a) - 1, 0)
            n = 0
            while 0 <= i < len(ranges) and ranges[i][0] < b:
                lo, hi = max(a, ranges[i][0]), min(b, ranges[i][1])
                n += max(0, hi - lo)
                i += 1
            if not n:
                continue
            if path not in known:
                known[path] = owner(path)
            lib = known[path]
            if lib is not None:
                out[lib] = out.get(lib, 0) + n
    return out
