"""The specialiser's selection (uniforge/binary/specialize.py) and its CLI
(`uniforge deps BINARY`, `uniforge specialize BINARY`): from the syscalls a
program needs to the libraries its kernel keeps, the Kconfig resolution of
the generic and the specialised kernel, the coverage report."""
from __future__ import annotations

import json
import subprocess
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from conftest import uniforge
from uniforge.binary.analysis import analyze
from uniforge.binary.specialize import candidates, compare, select
from uniforge.binary.trace import Trace

TARGET = "qemu/x86_64"


@pytest.fixture(scope="module")
def progs(tmp_path_factory):
    d = tmp_path_factory.mktemp("progs")
    srcs = {
        "nosock": """
            #include <stdio.h>
            int main(void) { FILE *f = fopen("/etc/hostname", "r"); printf("%p\\n", (void *)f); return 0; }
        """,
        "sock": """
            #include <stdio.h>
            #include <sys/socket.h>
            int main(void) { printf("%d\\n", socket(AF_INET, SOCK_STREAM, 0)); return 0; }
        """,
    }
    out = {}
    for name, src in srcs.items():
        (d / f"{name}.c").write_text(textwrap.dedent(src))
        subprocess.run(["gcc", "-O2", "-o", str(d / name), str(d / f"{name}.c")], check=True)
        out[name] = d / name
    (d / "raw.c").write_text(textwrap.dedent(r"""
        void _start(void) {
            __asm__ volatile("mov $39, %%eax; syscall" ::: "rax", "rcx", "r11");    /* getpid */
            for (;;) __asm__ volatile("mov $60, %%eax; syscall" ::: "rax", "rcx", "r11");
        }
    """))
    subprocess.run(["gcc", "-O2", "-static", "-nostdlib", "-no-pie", "-fno-pie", "-o", str(d / "raw"),
                    str(d / "raw.c")], check=True)
    out["raw"] = d / "raw"
    return out


def _choice(sel, lib):
    return next(c for c in sel.choices if c.library == lib)


def test_candidates_are_ukelfloads_implies():
    text = (Path(__file__).resolve().parents[2] / "os/lib/ukelfload/Config.uk").read_text()
    cands = candidates()
    assert "LIBPOSIX_SOCKET" in cands and "LIBPOSIX_EVENT" in cands
    assert all(f"imply {c}" in text for c in cands)


def test_no_socket_no_network_stack(progs):
    st = analyze(progs["nosock"])
    sel = select(st.arch, st)
    assert not _choice(sel, "posix-socket").keep
    assert sel.settings["CONFIG_LIBPOSIX_SOCKET"] == "n"
    assert _choice(sel, "ramfs").keep and _choice(sel, "devfs").keep
    cmp = compare(sel, TARGET)
    assert "posix-socket" in cmp.generic.libraries and "lwip" in cmp.generic.libraries
    assert "posix-socket" not in cmp.specialised.libraries
    assert "lwip" not in cmp.specialised.libraries and "uknetdev" not in cmp.specialised.libraries
    assert len(cmp.specialised.syscalls) < len(cmp.generic.syscalls)
    assert "socket" in cmp.generic.syscalls and "socket" not in cmp.specialised.syscalls
    assert {"openat", "write", "mmap"} <= set(cmp.covered)
    # every syscall it needs is either served or reported with its provider
    assert set(cmp.covered) | {n for n, _ in cmp.enosys} == set(sel.syscalls)


def test_socket_keeps_the_network_stack(progs):
    st = analyze(progs["sock"])
    sel = select(st.arch, st)
    c = _choice(sel, "posix-socket")
    assert c.keep and "socket" in c.why
    assert "CONFIG_LIBPOSIX_SOCKET" not in sel.settings
    cmp = compare(sel, TARGET)
    assert "posix-socket" in cmp.specialised.libraries and "lwip" in cmp.specialised.libraries
    assert "socket" in cmp.covered


def test_static_raw_program_keeps_little(progs):
    st = analyze(progs["raw"])
    sel = select(st.arch, st)
    assert set(sel.syscalls) == {"getpid", "exit"}
    assert _choice(sel, "posix-process").keep
    for lib in ("posix-socket", "posix-event", "posix-time", "procfs", "sysfs"):
        assert not _choice(sel, lib).keep, lib
    cmp = compare(sel, TARGET)
    assert cmp.covered == ["exit", "getpid"] and cmp.enosys == []
    assert len(cmp.specialised.libraries) < len(cmp.generic.libraries)


def test_trace_adds_to_the_static_set(progs):
    st = analyze(progs["nosock"])
    tr = Trace(calls=Counter({"socket": 1, "openat": 2}))
    sel = select(st.arch, st, tr)
    assert sel.syscalls["socket"] == "trace"
    assert sel.syscalls["openat"] == "static+trace"
    assert _choice(sel, "posix-socket").keep


def test_unserved_syscall_reported_enosys(progs):
    st = analyze(progs["nosock"])
    sel = select(st.arch, st, Trace(calls=Counter({"accept4": 1})))
    sel.settings["CONFIG_LIBPOSIX_SOCKET"] = "n"          # as if the user's data said no sockets
    cmp = compare(sel, TARGET)
    assert ("accept4", "posix-socket") in cmp.enosys


def test_cli_deps_binary_json(progs):
    r = uniforge("deps", progs["nosock"], "--json")
    assert r.rc == 0, r.text
    d = json.loads(r.out)
    assert d["kind"] == "dynamic" and d["target"] == TARGET
    assert d["settings"].get("CONFIG_LIBPOSIX_SOCKET") == "n"
    assert "write" in d["syscalls"] and d["syscalls"]["write"]["from"] == "static"
    assert d["specialised"]["syscalls"] < d["generic"]["syscalls"]
    assert d["generic"]["image_size"] is None          # deps never builds


def test_cli_deps_binary_table_and_trace(progs):
    r = uniforge("deps", progs["nosock"], "--trace")
    assert r.rc == 0, r.text
    assert "posix-socket" in r.out and "CONFIG_LIBPOSIX_SOCKET=n" in r.out
    assert "generic vs specialised" in r.out and "syscalls served" in r.out
    assert "static+trace" in r.out


def test_cli_args_need_trace(progs):
    r = uniforge("deps", progs["nosock"], "--", "x")
    assert r.rc == 1 and "--trace" in r.err


def test_cli_deps_app_folder_rejects_trace(tmp_path):
    (tmp_path / "uniforge.yaml").write_text("name: x\nlibraries: []\n")
    r = uniforge("deps", tmp_path, "--trace")
    assert r.rc == 1 and "Linux binary" in r.err


def test_cli_run_specialize_needs_a_binary(tmp_path):
    (tmp_path / "uniforge.yaml").write_text("name: x\nlibraries: []\n")
    r = uniforge("run", tmp_path, "--specialize")
    assert r.rc == 1 and "Linux binary" in r.err
