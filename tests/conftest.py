"""Shared test helpers: run the real `uniforge` CLI in a subprocess, and make
throw-away application folders."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
APPS = REPO / "apps"


@dataclass
class Result:
    rc: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


def uniforge(*args, cwd=None, timeout=300, env=None) -> Result:
    """Run `python -m uniforge ARGS` and capture everything, decoded as
    UTF-8 (a byte that is not: U+FFFD; `uniforge run` passes the guest's
    bytes through unchanged)."""
    p = subprocess.run([sys.executable, "-m", "uniforge", *map(str, args)], cwd=cwd, capture_output=True,
                       encoding="utf-8", errors="replace", timeout=timeout,
                       env={**os.environ, "COLUMNS": "200", **(env or {})})
    return Result(p.returncode, p.stdout, p.stderr)


@pytest.fixture
def make_app(tmp_path):
    """make_app(manifest_text, main_c=...) -> app folder in tmp_path."""
    counter = [0]

    def make(manifest: str, main_c: str | None = None, files: dict | None = None) -> Path:
        counter[0] += 1
        d = tmp_path / f"app{counter[0]}"
        d.mkdir()
        (d / "uniforge.yaml").write_text(textwrap.dedent(manifest))
        if main_c is None:
            main_c = "int main(void) { return 0; }\n"
        (d / "main.c").write_text(textwrap.dedent(main_c))
        for name, text in (files or {}).items():
            (d / name).write_text(textwrap.dedent(text))
        return d
    return make


def copy_app(src: Path, dest_root: Path) -> Path:
    """A copy of an app folder in dest_root, without its build output or
    saved configuration (APP/.uniforge), so nothing a developer configured in
    the original can change what a test builds."""
    dest = dest_root / src.name
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".uniforge"))
    return dest


@pytest.fixture(scope="session")
def apps(tmp_path_factory) -> dict[str, Path]:
    """Hermetic copies of the apps the boot tests use: name → folder."""
    root = tmp_path_factory.mktemp("apps")
    return {p.name: copy_app(p, root) for p in
            (APPS / "helloworld", APPS / "crash", REPO / "tests" / "fixtures" / "exitcode")}


def registered_cases(*elfs: Path) -> set[str]:
    """`suite_case` of every UK_TESTCASE in the given ELF files (each one
    leaves a `__uk_testp_<suite>_<case>` symbol, also through objcopy
    --prefix-symbols): the exact set a uktest run must report, derived from
    the code rather than a hard-coded count."""
    from elftools.elf.elffile import ELFFile
    names = set()
    for elf in elfs:
        with open(elf, "rb") as f:
            symtab = ELFFile(f).get_section_by_name(".symtab")
            names |= {s.name.split("__uk_testp_", 1)[1] for s in symtab.iter_symbols()
                      if "__uk_testp_" in s.name}
    return names


def ran_cases(output: str) -> set[str]:
    """`suite_case` of every UK-TEST ok/FAIL line in a uktest run's output."""
    import re
    return {f"{s}_{c}" for s, c in re.findall(r"^UK-TEST (?:ok|FAIL) (\w+)\.(\w+)", output, re.M)}


def free_port(kind: str = "tcp") -> int:
    """A host port nothing listens on now (bind to port 0, read it, close):
    for `uniforge run -p PORT:...` in tests that need the network. `kind`
    is "tcp" or "udp"."""
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


@pytest.fixture(name="free_port")
def free_port_fixture():
    """free_port(kind="tcp") → a free host port (see free_port)."""
    return free_port
