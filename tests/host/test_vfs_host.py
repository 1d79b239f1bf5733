"""Host tests of the vfs libraries: posix-fdtab, vfscore, ramfs and devfs
compiled with the host gcc under AddressSanitizer/UBSan, running every
in-guest case of vfscore (names, errnos, cwd, mounts, getdents while
unlinking, descriptors, pipes) and devfs through tests/host/vfs/harness.c
(one thread, a stand-in clock and console, the host's malloc as the heap
so ASan sees every block), plus a
seeded random mix of namespace operations that must leave the heap exactly
as it found it (tests/host/vfs/stress.c). Reference
counting of names, vnodes and open files is where a use after free would
hide; ASan makes one fatal.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from guestcc import ran_cases, registered_cases, require

ROOT = Path(__file__).resolve().parents[2]
LIB = ROOT / "os" / "lib"
HOST = ROOT / "tests" / "host" / "vfs"
SOURCES = [*sorted((LIB / "posix-fdtab").glob("*.c")),
           *[p for p in sorted((LIB / "vfscore").glob("*.c")) if p.name != "etc.c"],
           LIB / "ramfs" / "ramfs.c", LIB / "devfs" / "devices.c", LIB / "devfs" / "console.c",
           LIB / "vfscore" / "tests" / "test_vfs.c", LIB / "vfscore" / "tests" / "test_fd.c",
           LIB / "devfs" / "tests" / "test_devfs.c",
           LIB / "ukalloc" / "alloc.c",
           LIB / "uktest" / "runner.c", HOST / "harness.c", HOST / "stress.c"]
INCLUDES = [ROOT / "os" / "include", *(LIB / n / "include" for n in
            ("posix-fdtab", "vfscore", "ramfs", "uksyscall", "ukalloc", "ukallocbuddy",
             "uktest", "uktime", "uklibparam")), LIB / "vfscore", LIB / "devfs"]
FLAGS = ["-std=gnu11", "-g", "-O1", "-fno-omit-frame-pointer", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
         "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
         "-DCONFIG_LIBVFSCORE_PIPE_SIZE=65536", "-DCONFIG_LIBUKDEBUG_ENABLE_ASSERT=1",
         '-D__LIBNAME__="host"']
RESULT = re.compile(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)$", re.M)


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    require("gcc", "gcc")
    d = tmp_path_factory.mktemp("vfs")
    (d / "uk").mkdir()
    subprocess.run([sys.executable, "-m", "uniforge.gen", "syscall_protos",
                    str(LIB / "uksyscall" / "syscalls.toml"), str(d / "uk" / "syscall_protos.h")],
                   check=True, cwd=ROOT)
    out = d / "harness"
    subprocess.run(["gcc", *FLAGS, *(f"-I{i}" for i in [d, *INCLUDES]), *map(str, SOURCES),
                    "-Wl,-T," + str(HOST / "tabs.ld"), "-o", str(out)], check=True)
    return out


@pytest.mark.parametrize("seed", ["12345", "1", "777"])
def test_vfs_suites_under_asan(harness, seed):
    p = subprocess.run([str(harness)], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, ASAN_OPTIONS="detect_leaks=0", VFS_STRESS_SEED=seed))
    out = p.stdout + p.stderr
    m = RESULT.search(p.stdout)
    assert m, out
    expected = registered_cases(harness)
    assert {"vfscore_getdents64_survives_unlinks", "vfshost_random_operations_leave_nothing_behind"} <= expected
    assert ran_cases(p.stdout) == expected, out
    assert m.groups() == (str(len(expected)),) * 2 + ("0",), out
    assert p.returncode == 0, out
