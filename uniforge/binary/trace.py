"""What a Linux program needs from the kernel, found dynamically: a run on
the host under `strace -f`, when the user allows it (`--trace -- ARGS`).

`parse(text)` reads strace's output (outside input: any line may be
garbage, cut short or interleaved with another thread's; it never
raises, it takes what it can read and counts the rest). `run(binary, args)`
runs the program under strace with its output in a temporary file, and
returns the parsed calls; UserError when strace is missing.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
import os
from pathlib import Path
import re
import shutil
import subprocess
import tempfile

from ..errors import MissingTool, UserError

# One call per line: an optional pid ("[pid  12] " or "12 " with -f -o),
# an optional timestamp, then `name(` or `<... name resumed>`.
_LINE = re.compile(r"^(?:\[pid\s+\d+\]\s*|\d+\s+)?(?:\d+(?:[.:]\d+)*\s+)?"
                   r"(?:<\.\.\.\s+([a-z_][a-z0-9_]*)\s+resumed>|([a-z_][a-z0-9_]*)\()")
_UNKNOWN = re.compile(r"^syscall_(0x[0-9a-f]+|[1-9][0-9]*|0)$")
_PATH = re.compile(r'"(/[^"\\]*)"')
_SKIP = re.compile(r"^(?:\[pid\s+\d+\]\s*|\d+\s+)?(?:---|\+\+\+|strace: )")


@dataclass
class Trace:
    calls: Counter = field(default_factory=Counter)   # syscall name -> times seen
    unknown: set[int] = field(default_factory=set)      # numbers strace had no name for
    paths: set[str] = field(default_factory=set)       # absolute paths the calls named
    unreadable: int = 0                                 # lines that were neither a call nor a signal/exit note
    status: int | None = None                           # the program's exit status (run only)

    def names(self) -> set[str]:
        return set(self.calls)


def parse(text: str) -> Trace:
    """The syscalls in strace output (see the module comment)."""
    t = Trace()
    for line in text.splitlines():
        line = line.strip()
        if not line or _SKIP.match(line):
            continue
        m = _LINE.match(line)
        if not m:
            t.unreadable += 1
            continue
        name = m.group(1) or m.group(2)
        if m.group(1):       # the end of a call whose start was already counted
            continue
        if name.startswith("syscall_"):
            u = _UNKNOWN.match(name)
            if u:
                t.unknown.add(int(u.group(1), 0))
            else:
                t.unreadable += 1
            continue
        t.calls[name] += 1
        p = _PATH.search(line, m.end())
        if p:
            t.paths.add(p.group(1))
    return t


def run(binary: Path | str, args: list[str] = (), timeout: float = 60, cwd: Path | None = None) -> Trace:
    """Run `binary ARGS` on the host under `strace -f`, stdin from /dev/null,
    its output discarded. UserError when strace is missing, the program
    does not start, or it runs past `timeout` seconds."""
    strace = shutil.which("strace")
    if strace is None:
        raise MissingTool("strace", "strace", "to trace the program's syscalls (--trace)")
    with tempfile.TemporaryDirectory(prefix="uniforge-trace-") as tmp:
        out = Path(tmp) / "strace.out"
        cmd = [strace, "-f", "-qq", "-e", "trace=all", "-o", str(out), "--", str(binary), *args]
        try:
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=timeout, cwd=cwd or tmp)
        except subprocess.TimeoutExpired:
            raise UserError(f"the traced run of {binary} ran past {timeout:g} s",
                            hint="give it arguments that make it finish (e.g. --version), or a longer "
                                 "--timeout") from None
        text = out.read_text(errors="replace") if out.is_file() else ""
        t = parse(text)
        msg = p.stderr.decode(errors="replace").strip().splitlines()
        failed = re.search(r"strace: exec: ([^\n]*)", text + "\n" + "\n".join(msg))
        if failed:
            raise UserError(f"the traced run of {binary} did not start: {failed.group(1)}",
                            hint="trace a program that runs on this host")
        if not t.calls:
            raise UserError(f"strace saw no syscall of {binary}" + (f": {msg[-1]}" if msg else ""),
                            hint="check that the program runs on this host")
        t.status = p.returncode
        return t


def available() -> bool:
    return shutil.which("strace") is not None and os.access(shutil.which("strace"), os.X_OK)
