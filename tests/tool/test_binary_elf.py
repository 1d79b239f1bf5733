"""uniforge.binary.elf: reading host programs, and every malformed file a
UserError that names the file and what is wrong (never a traceback)."""
from __future__ import annotations

import random
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from uniforge.binary import elf
from uniforge.errors import UserError

SQLITE = Path("/usr/bin/sqlite3")
BUSYBOX = Path("/bin/busybox")
needs_sqlite = pytest.mark.skipif(not SQLITE.exists(), reason="./dev setup installs sqlite3")


@pytest.fixture(scope="module")
def hello(tmp_path_factory):
    """A small glibc program we compile: dynamic PIE, static non-PIE, static-pie."""
    d = tmp_path_factory.mktemp("hello")
    src = d / "hello.c"
    src.write_text('#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n')
    out = {}
    for kind, flags in (("pie", ["-fPIE", "-pie"]), ("static", ["-static", "-no-pie"]),
                        ("static-pie", ["-static-pie", "-fPIE"]), ("nopie", ["-no-pie", "-fno-PIE"])):
        subprocess.run(["gcc", "-O2", *flags, "-o", str(d / kind), str(src)], check=True)
        out[kind] = d / kind
    return out


def test_kinds_of_programs(hello):
    pie = elf.read(hello["pie"], "x86_64")
    assert (pie.arch, pie.type, pie.pie, pie.static) == ("x86_64", "DYN", True, False)
    assert pie.interp == "/lib64/ld-linux-x86-64.so.2" and pie.needed == ["libc.so.6"]
    assert pie.glibc is not None and tuple(map(int, pie.glibc.split("."))) >= (2, 2, 5)
    assert pie.fixed_range is None and pie.kind == "dynamic PIE"
    st = elf.read(hello["static"])
    assert (st.type, st.pie, st.static, st.interp, st.needed) == ("EXEC", False, True, None, [])
    lo, hi = st.fixed_range
    assert lo == 0x400000 and hi > lo and hi % 4096 == 0
    assert all(lo <= s.vaddr and s.vaddr + s.memsz <= hi for s in st.loads)
    sp = elf.read(hello["static-pie"])
    assert (sp.type, sp.pie, sp.static, sp.kind) == ("DYN", True, True, "static PIE")
    np = elf.read(hello["nopie"])
    assert (np.type, np.pie, np.static, np.kind) == ("EXEC", False, False, "dynamic non-PIE")
    assert {"LOAD", "GNU_STACK"} <= {s.name for s in np.segments}


@needs_sqlite
def test_debian_program_and_library():
    info = elf.read(SQLITE)
    assert info.needed[:1] == ["libsqlite3.so.0"] and "libc.so.6" in info.needed
    lib = elf.read("/lib/x86_64-linux-gnu/libc.so.6")
    assert lib.soname == "libc.so.6" and not lib.executable and lib.kind == "shared library"


def _err(path, arch=None) -> str:
    with pytest.raises(UserError) as e:
        elf.read(path, arch)
    text = str(e.value)
    assert str(path) in text and "hint:" in text, text
    return text


def test_not_elf_script_missing(tmp_path):
    script = tmp_path / "run.sh"
    script.write_text("#!/bin/sh\necho hi\n")
    assert "a script for '/bin/sh'" in _err(script) and "uniforge run /bin/sh" in _err(script)
    text = tmp_path / "notes.txt"
    text.write_text("hello\n")
    assert "not an ELF file" in _err(text)
    assert "no such file" in _err(tmp_path / "nothere")
    (tmp_path / "empty").write_bytes(b"")
    assert "not an ELF file" in _err(tmp_path / "empty")


def test_truncated_and_corrupt(hello, tmp_path):
    data = hello["pie"].read_bytes()
    for n, what in ((10, "truncated ELF header"), (40, "truncated ELF header"),
                    (100, "run past the end of the file")):
        p = tmp_path / f"cut{n}"
        p.write_bytes(data[:n])
        assert what in _err(p)
    # a file cut in its middle: the segments run past its end
    p = tmp_path / "half"
    p.write_bytes(data[: len(data) // 2])
    assert "past the end of the file" in _err(p)
    # corrupt e_phentsize
    bad = bytearray(data)
    struct.pack_into("<H", bad, 54, 40)
    p.write_bytes(bad)
    assert "e_phentsize is 40" in _err(p)


def test_dynamic_section_outside_the_file(hello, tmp_path):
    data = bytearray(hello["pie"].read_bytes())
    phoff, = struct.unpack_from("<Q", data, 32)
    phnum, = struct.unpack_from("<H", data, 56)
    for i in range(phnum):
        at = phoff + i * 56
        if struct.unpack_from("<I", data, at)[0] == elf.PT_DYNAMIC:
            struct.pack_into("<Q", data, at + 8, len(data) + 0x1000)     # p_offset
    p = tmp_path / "dyn"
    p.write_bytes(bytes(data))
    assert "PT_DYNAMIC" in _err(p) and "past the end of the file" in _err(p)


def test_foreign_machines_and_classes(hello, tmp_path):
    data = bytearray(hello["pie"].read_bytes())
    p = tmp_path / "x"
    c32 = bytearray(data)
    c32[4] = 1
    p.write_bytes(c32)
    assert "32-bit" in _err(p)
    be = bytearray(data)
    be[5] = 2
    p.write_bytes(be)
    assert "big-endian" in _err(p)
    rv = bytearray(data)
    struct.pack_into("<H", rv, 18, 243)
    p.write_bytes(rv)
    assert "built for riscv" in _err(p)
    assert "an x86_64 program cannot run on an arm64 target" in _err(hello["pie"], "arm64")
    rel = bytearray(data)
    struct.pack_into("<H", rel, 16, 1)
    p.write_bytes(rel)
    assert "relocatable object" in _err(p)


@pytest.mark.skipif(shutil.which("aarch64-linux-gnu-gcc") is None, reason="./dev setup installs the cross gcc")
def test_arm64_program(tmp_path):
    src = tmp_path / "a.c"
    src.write_text("int main(void) { return 0; }\n")
    subprocess.run(["aarch64-linux-gnu-gcc", "-o", str(tmp_path / "a"), str(src)], check=True)
    info = elf.read(tmp_path / "a", "arm64")
    assert info.arch == "arm64" and info.interp == "/lib/ld-linux-aarch64.so.1"
    assert "an arm64 program cannot run on an x86_64 target" in _err(tmp_path / "a", "x86_64")


def test_mutated_programs_are_errors_or_results(hello, tmp_path):
    """Random damage to a real program: every outcome is an ElfInfo or a
    UserError, never another exception."""
    rng = random.Random(11)
    data = hello["pie"].read_bytes()
    p = tmp_path / "m"
    for _ in range(1500):
        m = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(0, 0x1000) if rng.random() < 0.8 else rng.randrange(len(m))
            m[at] = rng.randrange(256)
        if rng.random() < 0.2:
            m = m[: rng.randrange(len(m))]
        p.write_bytes(bytes(m))
        try:
            elf.read(p)
        except UserError as e:
            assert str(p) in str(e)


def test_fuzz_headers_and_dynamic_without_pyelftools(hello):
    """50k mutations of the parts our own checks read (header, program
    headers, dynamic section, their strings), parsed from memory: each an
    ElfInfo or a UserError."""
    rng = random.Random(1111)
    seeds = [hello[k].read_bytes() for k in ("pie", "nopie")]     # small: the copies are cheap
    ok = bad = 0
    for i in range(50_000):
        m = bytearray(seeds[i % len(seeds)])
        for _ in range(rng.randint(1, 6)):
            r = rng.random()
            if len(m) < 64 + 13 * 56:
                break
            if r < 0.5:
                m[rng.randrange(0, 64 + 13 * 56)] = rng.randrange(256)       # header, program headers
            elif r < 0.8:
                at = rng.randrange(64, 64 + 13 * 56 - 8, 8)
                m[at:at + 8] = rng.choice([0, 1, 0xFFFFFFFFFFFFFFFF, len(m), rng.randrange(1 << 64)]) \
                    .to_bytes(8, "little")
            elif r < 0.95:
                m[rng.randrange(len(m))] = rng.randrange(256)
            else:
                del m[rng.randrange(len(m)):]
        try:
            elf.parse(bytes(m), "fuzz", versions=False)
            ok += 1
        except UserError as e:
            assert str(e).startswith("fuzz: ")
            bad += 1
    assert ok > 1000 and bad > 1000
