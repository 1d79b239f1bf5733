"""Debian 12's own python3.11 (3.11.2, a dynamic *non-PIE* executable at
0x400000 on glibc 2.36: python3.11-minimal and its standard library from
libpython3.11-minimal/-stdlib, unpacked by uniforge.debroot) in
binary-compatibility mode, against the host's /usr/bin/python3.11 on the
same files, byte for byte (PYTHONHASHSEED=0 on both sides).

The script is issue 10's (tests/apps/python3/script.py: json, re,
hashlib, hmac, datetime, collections and /data/orders.csv from the
rootfs). What the guest's rootfs holds besides the program and its
DT_NEEDED closure (which `uniforge run --sysroot` collects):

- the standard-library modules the script imports, found by running the
  package's own python3.11 on the host on the same script (from the
  unpacked tree, -B: nothing written there), with their bytecode
  compiled by that same python3.11 into __pycache__ as checked-hash .pyc
  (what Debian's py3compile does when the package is installed; checked:
  the guest verifies each against its source);
- the extension modules it dlopens (lib-dynload/_json, _hashlib, _typing)
  and libcrypto.so.3, _hashlib's library (none is in the program's
  DT_NEEDED closure).

CPython's start-up under TCG takes the longest of the five: slow.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from binhelp import TARGETS, TRIPLET, deb_arch, enosys, failure, run_binary, split_console, sysroot
from conftest import REPO

pytestmark = [pytest.mark.boot, pytest.mark.slow]

DATA = REPO / "tests" / "apps" / "python3"
HOST_PYTHON = "/usr/bin/python3.11"
STDLIB = "usr/lib/python3.11"
LIBDIRS = ("usr/lib/x86_64-linux-gnu", "lib/x86_64-linux-gnu")
# One UK-ENOSYS line per missing call: none (glibc's rseq registration
# at start has a handler: posix-thread's rseq.c).
ENOSYS = []
# The probe: the script as __main__, then every loaded module's file.
PROBE = """\
import sys, runpy
sys.argv = [sys.argv[1], sys.argv[2]]
runpy.run_path(sys.argv[0], run_name="__main__")
print("PY-FILES", file=sys.stderr)
for m in list(sys.modules.values()):
    f = getattr(m, "__file__", None)
    if f:
        print(f, file=sys.stderr)
"""
COMPILE = """\
import py_compile, sys
for src, dst in zip(sys.argv[1::2], sys.argv[2::2]):
    py_compile.compile(src, dst, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
"""


def package_python(root: Path, *args: str) -> subprocess.CompletedProcess:
    """The package's python3.11 as a host process, with the unpacked
    libraries first and the environment the guest gets."""
    env = {"PYTHONHASHSEED": "0", "LD_LIBRARY_PATH": ":".join(str(root / d) for d in LIBDIRS)}
    return subprocess.run([str(root / "usr/bin/python3.11"), "-B", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def make_rootfs(root: Path, target: str, dest: Path) -> Path:
    """script.py and data/ at /, plus the stdlib files the script loads
    (and their checked-hash bytecode) and libcrypto, at their paths, from
    the target's packages. The probe and the compiler are the amd64
    package's python3.11 (a host process): for arm64 the same modules are
    taken from the arm64 packages (the extension modules and libcrypto by
    their aarch64 names; the .py files and the bytecode are the same)."""
    arch = deb_arch(target)
    src = sysroot("python3.11", arch)
    shutil.copytree(DATA / "rootfs", dest)
    shutil.copy(DATA / "script.py", dest / "script.py")
    p = package_python(root, "-c", PROBE, str(dest / "script.py"), str(dest / "data" / "orders.csv"))
    assert p.returncode == 0, p.stderr
    files = sorted({Path(f) for f in p.stderr.split("PY-FILES\n", 1)[1].split()})
    pairs = []
    for f in files:
        rel = f.relative_to(root)           # everything it loaded is the package's
        assert str(rel).startswith(STDLIB + "/"), f
        rel = Path(str(rel).replace(TRIPLET["amd64"], TRIPLET[arch]))
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile((src / rel).resolve(), out)     # sitecustomize.py is a link to /etc/python3.11
        if f.suffix == ".py":
            pyc = out.parent / "__pycache__" / f"{f.stem}.cpython-311.pyc"
            pyc.parent.mkdir(exist_ok=True)
            pairs += [str(out), str(pyc)]
    assert any(f.name.startswith("_hashlib.") for f in files) and any(f.name.startswith("_json.") for f in files)
    c = package_python(root, "-c", COMPILE, *pairs)
    assert c.returncode == 0, c.stderr
    lib = f"usr/lib/{TRIPLET[arch]}"
    (dest / lib).mkdir(parents=True)
    shutil.copyfile((src / lib / "libcrypto.so.3").resolve(), dest / lib / "libcrypto.so.3")
    return dest


def host_output(rootfs: Path) -> str:
    p = subprocess.run([HOST_PYTHON, str(rootfs / "script.py"), str(rootfs / "data" / "orders.csv")],
                       capture_output=True, text=True, env={"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"},
                       check=True, timeout=60)
    return p.stdout


@pytest.fixture(scope="module")
def root() -> Path:
    """The amd64 packages: the host runs their python3.11."""
    return sysroot("python3.11")


@pytest.mark.parametrize("target", TARGETS)
def test_script_matches_the_host(root, target, tmp_path):
    check(root, target, tmp_path)


def check(root: Path, target: str, tmp_path: Path, options=(), expect_enosys=None):
    """The whole check in one boot (`root`: the amd64 packages, the
    `root` fixture; `options`: more `uniforge run` options).
    `expect_enosys`: the UK-ENOSYS calls the run must log, in order
    (default ENOSYS; a specialised kernel logs the calls it left out)."""
    rootfs = make_rootfs(root, target, tmp_path / "rootfs")
    want = host_output(rootfs)
    assert "sha3_256" in want and '"total": 189.49' in want          # the script ran to its end
    r = run_binary(sysroot("python3.11", target), "/usr/bin/python3.11", target, ["/script.py"], rootfs=rootfs,
                   env=["PYTHONHASHSEED=0"],
                   memory="128M", raw=True, options=options)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode().splitlines() == want.splitlines()
    assert out.decode() == want
    assert enosys(kernel) == (ENOSYS if expect_enosys is None else expect_enosys), kernel


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_the_program_is_a_fixed_address_executable(arch):
    """What the test is for: a non-PIE dynamic program (ET_EXEC at
    0x400000, through ld.so), unlike the four PIEs."""
    from uniforge.binary import elf
    info = elf.read(sysroot("python3.11", arch) / "usr/bin/python3.11")
    assert info.type == "EXEC" and not info.pie and info.interp and min(s.vaddr for s in info.loads) == 0x400000


def test_the_probe_runs_the_packages_python(root, tmp_path):
    """The probe's own output is the host's: the unpacked python3.11 is
    the same program as the reference."""
    rootfs = tmp_path / "rootfs"
    shutil.copytree(DATA / "rootfs", rootfs)
    shutil.copy(DATA / "script.py", rootfs / "script.py")
    p = package_python(root, str(rootfs / "script.py"), str(rootfs / "data" / "orders.csv"))
    assert p.returncode == 0, p.stderr
    assert p.stdout == host_output(rootfs)
    assert os.path.realpath(root / "usr/bin/python3.11") != os.path.realpath(HOST_PYTHON)
