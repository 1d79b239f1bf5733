"""Address → function name (+ file:line) from the image's .dbg ELF, with
pyelftools. Used to turn the guest's `UK-BT 0x...` crash lines into a
readable backtrace.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection


@dataclass(frozen=True)
class Location:
    addr: int
    function: str | None
    offset: int = 0
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        s = f"0x{self.addr:x}"
        if self.function:
            s += f" in {self.function}+0x{self.offset:x}"
        else:
            s += " in ??"
        if self.file:
            s += f" ({self.file}:{self.line})"
        return s


class Symbolizer:
    def __init__(self, elf_path: Path):
        self.path = Path(elf_path)
        self._f = open(self.path, "rb")
        self.elf = ELFFile(self._f)
        funcs = []
        for sec in self.elf.iter_sections():
            if not isinstance(sec, SymbolTableSection):
                continue
            for sym in sec.iter_symbols():
                if sym["st_info"]["type"] == "STT_FUNC" and sym["st_value"] and sym.name:
                    funcs.append((sym["st_value"], sym["st_size"], sym.name))
        funcs.sort()
        self._starts = [f[0] for f in funcs]
        self._funcs = funcs
        self._lines = None

    def close(self):
        self._f.close()

    def _line_table(self):
        if self._lines is None:
            rows = []
            if self.elf.has_dwarf_info():
                dwarf = self.elf.get_dwarf_info()
                for cu in dwarf.iter_CUs():
                    lp = dwarf.line_program_for_CU(cu)
                    if lp is None:
                        continue
                    files = lp["file_entry"]
                    ver = lp.header["version"]
                    for entry in lp.get_entries():
                        st = entry.state
                        if st is None or st.end_sequence:
                            continue
                        idx = st.file if ver >= 5 else st.file - 1
                        name = files[idx].name.decode() if 0 <= idx < len(files) else "?"
                        rows.append((st.address, name, st.line))
            rows.sort()
            self._lines = rows
        return self._lines

    def lookup(self, addr: int, *, with_line: bool = True) -> Location:
        i = bisect.bisect_right(self._starts, addr) - 1
        func, off = None, 0
        if i >= 0:
            start, size, name = self._funcs[i]
            if addr < start + max(size, 1):
                func, off = name, addr - start
        file = line = None
        if with_line and func:
            rows = self._line_table()
            j = bisect.bisect_right(rows, (addr, "\uffff", 1 << 30)) - 1
            if j >= 0:
                file, line = rows[j][1], rows[j][2]
        return Location(addr, func, off, file, line)
