"""The kernel's one error convention: os/include/uk/errno.h.

- Its numbers are Linux's (compared with the host's <errno.h>, which on
  Debian is the kernel's asm-generic list, the same on x86_64 and arm64).
- It can be included together with glibc's or musl's <errno.h> without a
  redefinition warning, so a kernel library still builds when another libc
  is selected, and the host harnesses can mix them.
- No library keeps a private copy of a number or a `__has_include` fallback.
"""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UK_ERRNO = ROOT / "os" / "include" / "uk" / "errno.h"


def _host_errno(extra=()):
    out = subprocess.run(["gcc", *extra, "-dM", "-E", "-x", "c", "-"], input="#include <errno.h>\n",
                         capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^#define (E[A-Z0-9]+) (\w+)$", out, re.M))


def _value(table, name):
    v = table[name]
    return _value(table, v) if v in table else int(v)


def test_numbers_are_linux():
    ours = dict(re.findall(r"^#define (E[A-Z0-9]+)\s+(\w+)", UK_ERRNO.read_text(), re.M))
    linux = _host_errno()
    assert set(linux) <= set(ours), sorted(set(linux) - set(ours))
    for name in ours:
        assert _value(ours, name) == _value(linux, name), name


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_coexists_with_a_libc_errno_h(libc, tmp_path):
    if libc == "musl":
        inc = Path("/usr/include/x86_64-linux-musl")
        if not inc.is_dir():
            pytest.fail("musl headers missing: apt-get install musl-dev")
        flags = ["-nostdinc", "-isystem", str(inc)]
    else:
        flags = []
    src = tmp_path / "t.c"
    src.write_text("#include <uk/errno.h>\n#include <errno.h>\n#include <uk/errno.h>\n"
                   "int f(void) { return -EINVAL - ENOTSUP - EWOULDBLOCK; }\n")
    p = subprocess.run(["gcc", *flags, "-I", str(ROOT / "os" / "include"), "-Werror", "-c", str(src),
                        "-o", str(tmp_path / "t.o")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr


def test_no_private_copies_in_the_tree():
    offenders = []
    for f in (ROOT / "os").rglob("*.[ch]"):
        if f == UK_ERRNO:
            continue
        text = f.read_text()
        if "__has_include(<errno.h>)" in text or re.search(r"^#\s*define\s+E[A-Z0-9]+\s+\d+", text, re.M):
            offenders.append(str(f.relative_to(ROOT)))
    assert offenders == []
