"""Debian 12's own lua5.4 (5.4.4, a dynamic PIE on glibc 2.36: the
`lua5.4` package, unpacked by uniforge.debroot) in binary-compatibility
mode, against the host's /usr/bin/lua5.4 (the same package), byte for byte.

One boot per target runs issue 10's suite (tests/apps/lua/suite.lua and
its topic files: strings, tables, coroutines, math, io, os.time/clock/date,
errors, the language, utf8, C recursion up to Lua's limit) from the rootfs
root. The host runs it with TZ=UTC and the guest with TZ unset (no
/etc/localtime: glibc's default is UTC): both UTC. The suite's
"--uniforge" part (what only issue 10's musl build shows) is not run: this
is the host's own program. 128 MiB, as issue 10's app: the suite's
C-stack and memory-error cases need room (the default, 2x the files +
32 MiB, runs out of pages in errors.lua).
"""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from binhelp import TARGETS, enosys, failure, run_binary, split_console, sysroot
from conftest import REPO

pytestmark = pytest.mark.boot

SUITE = REPO / "tests" / "apps" / "lua"
HOST_LUA = "/usr/bin/lua5.4"
# One UK-ENOSYS line per missing call: none (glibc's rseq registration
# at start has a handler: posix-thread's rseq.c).
ENOSYS = []


@pytest.mark.parametrize("target", TARGETS)
def test_suite_is_byte_identical_to_the_host_lua(target, tmp_path):
    check(target, tmp_path)


def check(target: str, tmp_path: Path, options=(), expect_enosys=None):
    """The whole check in one boot (`options`: more `uniforge run` options).
    `expect_enosys`: the UK-ENOSYS calls the run must log, in order
    (default ENOSYS; a specialised kernel logs the calls it left out)."""
    root = sysroot("lua5.4", target)
    host_dir, rootfs = tmp_path / "host", tmp_path / "rootfs"
    shutil.copytree(SUITE, host_dir)
    shutil.copytree(SUITE, rootfs)
    (rootfs / "tmp").mkdir()            # os.tmpname, io.tmpfile
    now = str(int(time.time()))
    h = subprocess.run([HOST_LUA, "suite.lua", now], cwd=host_dir, capture_output=True,
                       env={"TZ": "UTC", "LUA_SUITE_VAR": "value"}, timeout=120)
    assert h.returncode == 0 and h.stdout.endswith(b"== end\n"), h.stderr.decode()
    r = run_binary(root, "/usr/bin/lua5.4", target, ["suite.lua", now], rootfs=rootfs, env=["LUA_SUITE_VAR=value"],
                   memory="128M", raw=True, options=options)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode(errors="replace").splitlines() == h.stdout.decode().splitlines()   # the readable diff
    assert out == h.stdout
    assert enosys(kernel) == (ENOSYS if expect_enosys is None else expect_enosys), kernel
