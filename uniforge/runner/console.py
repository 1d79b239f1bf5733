"""The guest console as the host sees it: a filter over the byte stream.

Passes the guest's output through, except the machine-readable protocol
lines (ARCHITECTURE.md, "Console protocol"): `UK-EXIT n` is consumed (it
carries the exact exit status), a crash report's `UK-BT 0x...` lines
are symbolised against the .dbg image as they arrive, and strace's
`UK-STRACE ...` lines go, without the prefix, to `write_err` when one is
given (`uniforge run --strace` sends them to its stderr). `UK-NET ...`
lines (the guest's address, net.py) pass through and are also handed to
`on_net` as they arrive.

The stream is bytes, cut into lines at b"\n". A protocol line the guest
printed while the program's output was mid-line starts with RS (0x1e,
uk/plat.h's UKPLAT_COUT_RS): what comes before it is the program's, passed
on without a line break when the protocol line is consumed (UK-EXIT,
UK-STRACE with write_err), else the protocol line that passes through
(UK-ENOSYS, a crash report) is shown on a line of its own. The protocol
lines are
recognised in their UTF-8 decoding; the program's own output reaches
`write` byte for byte with ``raw`` (bytes: `uniforge run` writes them to
its stdout, so binary output comes through unchanged), else each line
decoded as UTF-8 (an invalid byte becomes U+FFFD).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from .net import GuestNet, parse_uk_net

_EXIT = re.compile(r"^UK-EXIT (\d+)\s*$")
_BT = re.compile(r"^UK-BT (0x[0-9a-fA-F]+)\s*$")
_TEST = re.compile(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)")
_BOOT = re.compile(r"^UK-BOOT-TIME ns=(\d+)")
STRACE_PREFIX = "UK-STRACE "
RS = b"\x1e"        # starts a protocol line printed after output that did not end its line


@dataclass
class ConsoleState:
    exit_status: int | None = None
    crashed: bool = False
    crash_reason: str = ""
    backtrace: list[str] = field(default_factory=list)
    test_result: tuple[int, int, int] | None = None
    boot_ns: int | None = None
    lines: list[str] = field(default_factory=list)
    net: list[GuestNet] = field(default_factory=list)     # every UK-NET line, in order


class ConsoleFilter:
    def __init__(self, write: Callable[[str], None] | Callable[[bytes], None],
                 symbolize: Callable[[int, bool], str] | None = None,
                 keep_lines: bool = True, write_err: Callable[[str], None] | None = None,
                 on_net: Callable[[GuestNet], None] | None = None, raw: bool = False):
        self.out = write
        self.raw = raw
        self.on_net = on_net
        self.write_err = write_err
        self.symbolize = symbolize
        self.state = ConsoleState()
        self.keep = keep_lines
        self._buf = bytearray()
        self._frame = 0
        self._have_regs = False

    def write(self, data: bytes) -> None:
        self.out(bytes(data) if self.raw else data.decode("utf-8", "replace"))

    def feed(self, data: bytes | str) -> None:
        """More of the console's bytes (a str: its UTF-8 encoding)."""
        self._buf += data.encode() if isinstance(data, str) else data
        end = self._buf.rfind(b"\n")
        if end < 0:
            return
        lines, self._buf = self._buf[:end].split(b"\n"), self._buf[end + 1:]
        for line in lines:
            self._line(bytes(line))

    def close(self) -> None:
        if self._buf:
            self._line(bytes(self._buf), final=True)
            self._buf = bytearray()

    def _line(self, raw: bytes, final: bool = False) -> None:
        """One line of output, without its "\n". The protocol lines are
        recognised without a trailing "\r"; the program's own lines pass
        through byte for byte, "\r" included (sqlite3's CSV mode ends rows
        with "\r\n")."""
        cut = raw.find(RS + b"UK-")
        lead = b""          # before a protocol line shown after a cut: its own line
        if cut >= 0:        # the program's output stopped mid-line: its part, then the protocol line
            if cut:
                if self.keep:
                    self.state.lines.append(raw[:cut].decode("utf-8", "replace"))
                self.write(raw[:cut])
                lead = b"\n"
            raw = raw[cut + 1:]
        line = raw.rstrip(b"\r").decode("utf-8", "replace")
        st = self.state
        if self.keep:
            st.lines.append(line)
        m = _EXIT.match(line)
        if m:
            st.exit_status = int(m.group(1))
            return
        if self.write_err and line.startswith(STRACE_PREFIX):
            self.write_err(line[len(STRACE_PREFIX):] + "\n")
            return
        if line.startswith("UK-CRASH ") or line == "UK-CRASH":
            st.crashed = True
            st.crash_reason = line[9:]
            self._frame = 0
            self._have_regs = False
        if line.startswith("UK-REGS "):
            self._have_regs = True
        m = _BT.match(line)
        if m:
            addr = int(m.group(1), 16)
            st.backtrace.append(m.group(1))
            text = line
            if self.symbolize:
                # With registers (a trap), frame 0 is the faulting pc; every
                # other frame (and all of them in an assertion's report) is a
                # return address, whose call instruction is just before it.
                is_return = self._frame > 0 or not self._have_regs
                text = f"UK-BT #{self._frame} {self.symbolize(addr, is_return)}"
            self._frame += 1
            self.write(lead + (text + "\n").encode())
            return
        m = _TEST.match(line)
        if m:
            st.test_result = tuple(int(x) for x in m.groups())
        m = _BOOT.match(line)
        if m:
            st.boot_ns = int(m.group(1))
        if line.startswith("UK-NET "):
            net = parse_uk_net(line)
            if net is not None:
                st.net.append(net)
                if self.on_net:
                    self.on_net(net)
        self.write(lead + (raw if final else raw + b"\n"))
