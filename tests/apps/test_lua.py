"""apps/lua5.4: Debian's lua5.4 interpreter in the guest against the
host's /usr/bin/lua5.4 (Debian's package, installed by ./dev).

- The suite (tests/apps/lua/suite.lua and its topic files: strings,
  tables, coroutines, math, io, os.time/clock/date, errors, the language,
  utf8, C recursion up to Lua's limit) prints the same bytes in the guest
  as on the host, on all six targets, one boot each. The host runs it with
  TZ=UTC and the guest with TZ unset (/etc/localtime is UTC): both UTC.
  After the shared part the guest prints what only it shows (no processes,
  no dynamic loader), checked against fixed lines, and the only missing
  call the whole run logs is clone (io.popen, os.execute).
- On linuxu (a process, cheap): the app's sample script as the host runs
  it, and Kconfig's choice of the opened standard libraries.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from apphelp import BUILD_TIMEOUT, app_copy, build_app
from conftest import REPO, uniforge

SUITE = REPO / "tests" / "apps" / "lua"
HOST_LUA = "/usr/bin/lua5.4"
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
MARK = "== uniforge only ==\n"
# What the guest prints after MARK (the test's own lines: the kernel's
# one-time warning about clone is checked apart).
GUEST_ONLY = [
    "popen\tnil\tls: Function not implemented\t38",
    "execute\tnil\tFunction not implemented\t38",
    "cmodule\tfalse\terror loading module 'cmod' from file './cmod.so':",
    "\tdynamic libraries not enabled; check your Lua installation",
    "HOME\tnil",
]
# Every missing call the run logs: musl's posix_spawn (popen, system)
# makes a process with clone(CLONE_VM|CLONE_VFORK|SIGCHLD); there is one.
LOGGED = ["[warn] posix-thread: clone: flags 0x4111 make a new process: one process only (ENOSYS)"]


def host_lua(script_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """The host's lua5.4 in script_dir with only the suite's environment."""
    return subprocess.run([HOST_LUA, *args], cwd=script_dir, capture_output=True,
                          env={"TZ": "UTC", "LUA_SUITE_VAR": "value"}, timeout=120)


def test_host_lua_is_debians_5_4_4():
    r = subprocess.run([HOST_LUA, "-v"], capture_output=True, text=True, check=True)
    assert r.stdout.startswith("Lua 5.4.4 "), r.stdout


@pytest.mark.boot
@pytest.mark.parametrize("target", TARGETS)
def test_suite_is_byte_identical_to_the_host_lua(tmp_path, target):
    app = app_copy("lua5.4", tmp_path)
    host_dir = tmp_path / "host"
    rootfs = tmp_path / "rootfs"
    shutil.copytree(SUITE, host_dir)
    shutil.copytree(SUITE, rootfs)
    now = str(int(time.time()))
    r = build_app(app, target)
    assert r.rc == 0, r.text
    # run_app's Result is text: the comparison needs the bytes
    # The manifest's memory (128M) holds the suite's "stack overflow" case.
    g = subprocess.run([*uniforge_cmd(), "run", app, "-t", target, "-q", "--timeout", "600", "--rootfs", rootfs,
                        "-e", "LUA_SUITE_VAR=value", "--", "suite.lua", now, "--uniforge"],
                       capture_output=True, timeout=BUILD_TIMEOUT, env={**os.environ, "COLUMNS": "200"})
    h = host_lua(host_dir, "suite.lua", now)
    assert h.returncode == 0, h.stderr.decode()
    assert g.returncode == 0, (g.stdout + g.stderr).decode(errors="replace")[-4000:]
    shared, mark, rest = g.stdout.partition(MARK.encode())
    assert mark, g.stdout.decode(errors="replace")[-4000:]
    assert shared.decode().splitlines() == h.stdout.decode().splitlines()   # the readable diff first
    assert shared == h.stdout                                               # then every byte
    lines = rest.decode().splitlines()
    logged = [line for line in lines if line.startswith(("[warn]", "UK-ENOSYS"))]
    assert [line for line in lines if line not in logged] == GUEST_ONLY
    assert logged == LOGGED
    assert b"UK-ENOSYS" not in shared and b"[warn]" not in shared


def uniforge_cmd() -> list[str]:
    """conftest.uniforge's command, for a run whose output must stay bytes."""
    import sys
    return [sys.executable, "-m", "uniforge"]


@pytest.mark.boot
def test_sample_script_as_the_host_runs_it(tmp_path):
    app = app_copy("lua5.4", tmp_path)
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--timeout", "60", timeout=BUILD_TIMEOUT)
    h = host_lua(app / "rootfs", "hello.lua")
    assert r.rc == 0, r.text
    assert h.returncode == 0 and h.stdout.decode().startswith("Lua 5.4 on uniforge\n")
    assert r.out == h.stdout.decode()


@pytest.mark.boot
def test_kconfig_chooses_the_standard_libraries(tmp_path):
    """CONFIG_LIBLUA_<LIB>=n leaves that library's global out (and
    package.loaded's entry); the others stay."""
    app = app_copy("lua5.4", tmp_path)
    probe = ("local t = {} for _, n in ipairs({'package', 'coroutine', 'table', 'io', 'os', 'string', 'math', "
             "'utf8', 'debug'}) do t[#t + 1] = n .. '=' .. tostring(_G[n] ~= nil and package.loaded[n] == _G[n]) "
             "end print(table.concat(t, ' '))")
    r = uniforge("run", app, "-t", "linuxu/x86_64", "-q", "--timeout", "60",
                 "--set", "CONFIG_LIBLUA_IO=n", "--set", "CONFIG_LIBLUA_DEBUG=n", "--set", "CONFIG_LIBLUA_UTF8=n",
                 "--", "-e", probe, timeout=BUILD_TIMEOUT)
    assert r.rc == 0, r.text
    assert r.out == ("package=true coroutine=true table=true io=false os=true string=true math=true "
                     "utf8=false debug=false\n")
