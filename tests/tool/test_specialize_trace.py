"""The specialiser's dynamic analysis (uniforge/binary/trace.py): strace's
output is outside input, so the parser is checked on the forms strace
writes and fuzzed with random and mutated lines; and a real traced run."""
from __future__ import annotations

import random
import re
import shutil
import subprocess
import textwrap

import pytest

from uniforge.binary.trace import parse, run
from uniforge.errors import UserError

SAMPLE = r"""
4242  execve("/usr/bin/true", ["true"], 0x7ffd18d35240 /* 35 vars */) = 0
4242  brk(NULL)                         = 0x559edaa11000
4242  openat(AT_FDCWD, "/etc/ld.so.cache", O_RDONLY|O_CLOEXEC) = 3
[pid  4243] read(3, "\177ELF\2\1\1\3\0\0\0\0\0\0\0\0\3\0>\0\1\0\0\0\20t\2\0\0\0\0\0"..., 832 <unfinished ...>
4242  write(1, "hi\n", 3 <unfinished ...>
4243  <... read resumed>)               = 832
4242  <... write resumed>)              = 3
4242  --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4243, si_status=0} ---
4243  +++ exited with 0 +++
4242  syscall_0x1c2(0x1, 0x2)           = -1 ENOSYS (Function not implemented)
4242  1733390000.123456 newfstatat(3, "", {st_mode=S_IFREG|0644, ...}, AT_EMPTY_PATH) = 0
openat(AT_FDCWD, "/proc/self/stat", O_RDONLY) = 4
exit_group(0)                           = ?
"""


def test_parse_forms():
    t = parse(SAMPLE)
    assert dict(t.calls) == {"execve": 1, "brk": 1, "openat": 2, "read": 1, "write": 1, "newfstatat": 1,
                             "exit_group": 1}
    assert t.unknown == {0x1c2}
    assert t.unreadable == 0
    assert {"/etc/ld.so.cache", "/proc/self/stat", "/usr/bin/true"} <= t.paths


def _mutate(rng: random.Random, line: str) -> str:
    chars = list(line)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(4)
        pos = rng.randrange(len(chars) + 1)
        if op == 0:
            chars.insert(pos, chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 0x3000)])))
        elif op == 1 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 2:
            chars = chars[:pos]                          # cut short
        else:
            chars.insert(pos, rng.choice(["(", ")", "<... ", " resumed>", "[pid ", "\"", "\\", "---", "+++"]))
    return "".join(chars)


def test_parse_fuzz():
    rng = random.Random(11)
    lines = [x for x in SAMPLE.splitlines() if x]
    name_ok = re.compile(r"[a-z_][a-z0-9_]*")
    for _ in range(20000):
        k = rng.randrange(3)
        if k == 0:
            text = "\n".join(_mutate(rng, rng.choice(lines)) for _ in range(rng.randint(1, 5)))
        elif k == 1:
            text = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randint(0, 200)))
        else:
            text = "\n".join(rng.choice(lines)[:rng.randint(0, 90)] for _ in range(rng.randint(1, 8)))
        t = parse(text)                       # never raises
        assert all(name_ok.fullmatch(n) for n in t.calls)
        assert all(v > 0 for v in t.calls.values())
        assert t.unreadable <= len(text.splitlines())
        assert all(p.startswith("/") and '"' not in p for p in t.paths)


def test_traced_run(tmp_path):
    assert shutil.which("strace"), "strace missing: ./dev setup installs it"
    c = tmp_path / "p.c"
    c.write_text(textwrap.dedent("""
        #include <fcntl.h>
        #include <unistd.h>
        int main(int argc, char **argv) {
            int fd = open(argv[1], O_RDONLY);
            write(1, "x\\n", 2);
            return fd >= 0 ? 3 : 4;
        }
    """))
    subprocess.run(["gcc", "-O2", "-o", str(tmp_path / "p"), str(c)], check=True)
    t = run(tmp_path / "p", ["/etc/hostname"])
    assert t.status == 3
    assert {"execve", "openat", "write", "exit_group"} <= t.names()
    assert "/etc/hostname" in t.paths


def test_traced_run_that_cannot_start(tmp_path):
    f = tmp_path / "notexec"
    f.write_text("x")
    with pytest.raises(UserError) as e:
        run(f, [])
    assert "notexec" in str(e.value)
