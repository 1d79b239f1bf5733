"""Address → function name (+ file:line) from the image's .dbg ELF, with
pyelftools. Used to turn the guest's `UK-BT 0x...` crash lines into a
readable backtrace.

Backtrace frames after the faulting pc are return addresses: they point
just after a call. `lookup_return` names the call instruction itself: on
arm64 (fixed 4-byte instructions) it is at addr - 4; on x86_64 the common
call encodings are recognised from the bytes before addr in the image, and
when none matches the lookup is at addr - 1 (inside the call) and the
return address is shown.
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
        self._machine = self.elf["e_machine"]
        self._code = [(sec["sh_addr"], sec) for sec in self.elf.iter_sections()
                      if sec["sh_flags"] & 0x4 and sec["sh_type"] == "SHT_PROGBITS"]   # SHF_EXECINSTR

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

    def _bytes(self, addr: int, n: int) -> bytes:
        """n bytes of code at addr, or b"" if they are not all in one code section."""
        for start, sec in self._code:
            if start <= addr and addr + n <= start + sec["sh_size"]:
                return sec.data()[addr - start:addr - start + n]
        return b""

    def call_site(self, ret: int) -> int | None:
        """The address of the call instruction that returns to `ret`, or None."""
        if self._machine == "EM_AARCH64":
            return ret - 4
        # x86_64: call rel32; call *%reg (REX.B); call *disp8(%reg); call *disp32(%rip or %reg)
        for n, ok in ((5, lambda b: b[0] == 0xE8),
                      (2, lambda b: b[0] == 0xFF and 0xD0 <= b[1] <= 0xD7),
                      (3, lambda b: b[0] == 0x41 and b[1] == 0xFF and 0xD0 <= b[2] <= 0xD7),
                      (3, lambda b: b[0] == 0xFF and 0x50 <= b[1] <= 0x57 and b[1] != 0x54),
                      (6, lambda b: b[0] == 0xFF and (b[1] == 0x15 or 0x90 <= b[1] <= 0x97))):
            b = self._bytes(ret - n, n)
            if len(b) == n and ok(b):
                return ret - n
        return None

    def lookup_return(self, ret: int, *, with_line: bool = True) -> Location:
        """The call that returns to `ret` (see the module's docstring)."""
        site = self.call_site(ret)
        if site is not None:
            return self.lookup(site, with_line=with_line)
        loc = self.lookup(ret - 1, with_line=with_line)
        return Location(ret, loc.function, loc.offset + 1 if loc.function else 0, loc.file, loc.line)

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
