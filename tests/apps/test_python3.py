"""apps/python3 (Debian's python3.11 3.11.2 on musl, os/lib/python3) against
the host's Debian /usr/bin/python3.11 (the same version), byte for byte.

tests/apps/python3/script.py uses json, re, hashlib (every built-in hash:
no OpenSSL in the guest), datetime, collections and reads
/data/orders.csv from the rootfs; the guest runs it from the rootfs with
the library's default standard-library subset (os/lib/python3/library.toml
`rootfs`), the host on the same files. PYTHONHASHSEED=0 on both sides.

CPython is the biggest build of the suite: its cold build (the object
cache empty, 2 cores) takes minutes; every later build of any target of
the same architecture copies it from the object cache. The boots are
marked slow (the suite still runs them): cold, about 6 min per
architecture on the loaded 2-core host; warm, under a minute per boot.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from apphelp import app_copy, run_app
from conftest import REPO

pytestmark = [pytest.mark.boot, pytest.mark.slow]

DATA = REPO / "tests" / "apps" / "python3"
HOST_PYTHON = "/usr/bin/python3.11"
# CPython's start-up and the script under TCG: seconds; on a loaded host more.
GUEST_TIMEOUT = 300


def make_rootfs(root: Path) -> Path:
    """script.py at /, data/orders.csv (the library adds the stdlib)."""
    shutil.copytree(DATA / "rootfs", root)
    shutil.copy(DATA / "script.py", root / "script.py")
    return root


def host_output(root: Path, script: str = "script.py", *args: str) -> str:
    if script == "script.py":
        args = (str(root / "data" / "orders.csv"),)
    p = subprocess.run([HOST_PYTHON, str(root / script), *args],
                       capture_output=True, text=True, env={"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"},
                       check=True, timeout=60)
    return p.stdout


@pytest.mark.parametrize("target", ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"])
def test_script_matches_the_host(tmp_path, target):
    app = app_copy("python3", tmp_path)
    root = make_rootfs(tmp_path / "rootfs")
    expected = host_output(root)
    assert "sha3_256" in expected and '"total": 189.49' in expected    # the script ran to its end
    r = run_app(app, target, ["/script.py"], rootfs=root, env=["PYTHONHASHSEED=0"],
                boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, r.text
    assert r.out == expected, r.text


def test_the_script_meets_no_missing_syscall(tmp_path):
    """--strace (the strace variant of the kernel; CPython's objects are the
    same, from the object cache): the script's syscalls all have handlers
    (apps/python3/README.md lists what it calls), and it still matches."""
    app = app_copy("python3", tmp_path)
    root = make_rootfs(tmp_path / "rootfs")
    r = run_app(app, "qemu/x86_64", ["/script.py"], rootfs=root, env=["PYTHONHASHSEED=0"],
                strace=True, boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, r.text
    assert "open(\"/data/orders.csv\"" in r.err and "exit_group(0)" in r.err, r.err[-2000:]    # strace is on
    assert "UK-ENOSYS" not in r.text and "ENOSYS" not in r.err, r.text[-4000:]
    assert r.out == host_output(root)


# Config.uk's optional C modules that are off by default, and the whole stdlib
OPTIONAL_OFF = ["OPCODE", "TYPING", "ARRAY", "SELECT", "UNICODEDATA", "STATISTICS", "PICKLE", "QUEUE", "CSV",
                "CMATH", "FCNTL", "SOCKET", "MMAP", "ASYNCIO", "ZONEINFO", "GRP", "RESOURCE", "TERMIOS", "LSPROF",
                "AUDIOOP", "CJKCODECS", "POSIXSUBPROCESS", "PYEXPAT", "ELEMENTTREE", "DECIMAL"]


def test_every_optional_module_and_the_full_stdlib(tmp_path):
    """Every LIBPYTHON3_<module> on and LIBPYTHON3_STDLIB_FULL: each module
    compiles, is in Modules/config.c's table and imports, and modules only
    the full standard library has (zipfile, unittest, xml, decimal, asyncio
    over socketpair and epoll, zoneinfo over sysconfig's data) work."""
    app = app_copy("python3", tmp_path)
    root = tmp_path / "rootfs"
    root.mkdir()
    shutil.copy(DATA / "modules.py", root / "modules.py")
    sets = [f"CONFIG_LIBPYTHON3_{m}=y" for m in OPTIONAL_OFF] + ["CONFIG_LIBPYTHON3_STDLIB_FULL=y"]
    r = run_app(app, "qemu/x86_64", ["/modules.py"], rootfs=root, env=["PYTHONHASHSEED=0"], sets=sets,
                memory="64M", boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, r.text
    # _socket brings a NIC: lwIP's UK-NET line (the console protocol) precedes the script's output
    out = "".join(line for line in r.out.splitlines(keepends=True) if not line.startswith("UK-NET "))
    assert out == host_output(root, "modules.py"), r.text
