"""Host tests of ukelfload's ELF parser (os/lib/ukelfload/elfparse.c,
compiled as it is into tests/host/elfload/harness.c).

- Real ELF files parse, with what the loader will use: the host's /bin/true
  (glibc, dynamic PIE), ld.so itself, programs we compile here (glibc
  static, static-pie, non-PIE; musl static), an aarch64 program (accepted
  for aarch64 only).
- Corrupt files are refused with -ENOEXEC and the message for the rule
  they break, each pinned here (with the program header's number).
- libFuzzer (clang, -fsanitize=fuzzer,address,undefined) runs 1,000,000
  inputs mutated from small real ELFs (tests/host/elfload/tiny.c built
  static, static-pie and with a PT_INTERP) and from the first pages of the
  big ones: the parser may refuse them, but must never read outside the
  buffer or hit undefined behaviour, and what it accepts must keep the
  promises the loader relies on (harness.c: check_info).
"""
from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from guestcc import require

REPO = Path(__file__).resolve().parents[2]
LIB = REPO / "os" / "lib" / "ukelfload"
HERE = Path(__file__).resolve().parent / "elfload"
PROG = REPO / "tests" / "fixtures" / "elfload" / "prog.c"
CFLAGS = ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror", "-fno-sanitize-recover=all",
          "-I", str(REPO / "os" / "include"), "-I", str(LIB / "include"),
          str(LIB / "elfparse.c"), str(HERE / "harness.c")]
FUZZ_RUNS = 1_000_000
PHDR_AT = 64          # where gcc/ld put the program headers (e_phoff)


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    gcc = require("gcc", "gcc")
    exe = tmp_path_factory.mktemp("elfparse") / "harness"
    p = subprocess.run([gcc, "-fsanitize=address,undefined", *CFLAGS, "-o", str(exe)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return exe


@pytest.fixture(scope="module")
def elves(tmp_path_factory) -> dict[str, Path]:
    """Programs of ours, each kind the loader meets."""
    d = tmp_path_factory.mktemp("elves")
    gcc = require("gcc", "gcc")
    musl = require("musl-gcc", "musl-tools")
    a64 = require("aarch64-linux-gnu-gcc", "gcc-aarch64-linux-gnu")
    tiny = str(HERE / "tiny.c")
    small = ["-Os", "-nostdlib", "-fno-stack-protector", "-Wl,--build-id=none", "-Wl,-z,max-page-size=4096",
             "-Wl,-z,noseparate-code", "-Wl,-z,norelro"]
    builds = {
        "glibc_static": [gcc, "-static", str(PROG)],
        "glibc_static_pie": [gcc, "-static-pie", str(PROG)],
        "glibc_nopie": [gcc, "-no-pie", str(PROG)],
        "musl_static": [musl, "-static", str(PROG)],
        "aarch64_static": [a64, "-static", str(PROG)],
        "tiny_static": [gcc, *small, "-static", "-no-pie", tiny],
        "tiny_static_pie": [gcc, *small, "-static-pie", "-fpie", tiny],
        "tiny_interp": [gcc, *small, "-fpie", "-pie", "-Wl,--dynamic-linker=/lib/ld-tiny.so.1", tiny],
        "tiny_aarch64": [a64, *small, "-static", "-no-pie", tiny],
    }
    out = {}
    for name, cmd in builds.items():
        out[name] = d / name
        p = subprocess.run([*cmd, "-o", str(out[name])], capture_output=True, text=True)
        assert p.returncode == 0, f"{name}: {p.stderr}"
    return out


def parse(harness: Path, path: Path, machine: str = "x86_64") -> tuple[int, str]:
    r = subprocess.run([str(harness), str(path), machine], capture_output=True, text=True, timeout=60)
    assert r.returncode in (0, 8), r.stderr[-3000:]
    return r.returncode, r.stdout.strip()


def fields(line: str) -> dict[str, str]:
    return dict(w.split("=", 1) for w in line.split()[1:])


def test_real_binaries_parse(harness, elves):
    rc, out = parse(harness, Path("/bin/true"))
    assert rc == 0, out
    f = fields(out)
    assert f["type"] == "3" and f["interp"] == "/lib64/ld-linux-x86-64.so.2" and f["lo"] == "0"
    rc, out = parse(harness, Path("/lib64/ld-linux-x86-64.so.2"))
    assert rc == 0 and fields(out)["interp"] == "-" and fields(out)["type"] == "3", out
    for name, typ, tls in (("glibc_static", "2", "1"), ("glibc_static_pie", "3", "1"),
                           ("glibc_nopie", "2", "1"), ("musl_static", "2", "1"),
                           ("tiny_static", "2", "1"), ("tiny_static_pie", "3", "1")):
        rc, out = parse(harness, elves[name])
        assert rc == 0, (name, out)
        f = fields(out)
        assert f["type"] == typ and f["tls"] == tls, (name, out)
        if typ == "2":
            assert f["lo"] == "0x400000", (name, out)
    assert fields(parse(harness, elves["glibc_nopie"])[1])["interp"] == "/lib64/ld-linux-x86-64.so.2"
    assert fields(parse(harness, elves["tiny_interp"])[1])["interp"] == "/lib/ld-tiny.so.1"
    assert parse(harness, elves["aarch64_static"], "aarch64")[0] == 0
    assert parse(harness, elves["aarch64_static"]) == (
        8, "ENOEXEC ph=-1 built for another architecture (x86_64 expected)")
    assert parse(harness, elves["glibc_static"], "aarch64") == (
        8, "ENOEXEC ph=-1 built for another architecture (aarch64 expected)")


def phdrs(data: bytes) -> list[tuple[int, int]]:
    """(index, p_type) of each program header."""
    off, = struct.unpack_from("<Q", data, 32)
    n, = struct.unpack_from("<H", data, 56)
    return [(i, struct.unpack_from("<I", data, off + i * 56)[0]) for i in range(n)]


def first(data: bytes, ptype: int) -> int:
    return next(i for i, t in phdrs(data) if t == ptype)


def put(data: bytearray, off: int, fmt: str, value: int) -> bytearray:
    struct.pack_into(fmt, data, off, value)
    return data


def ph_field(i: int, name: str) -> tuple[int, str]:
    """Offset (from e_phoff) and format of a program header field."""
    o = {"type": (0, "<I"), "flags": (4, "<I"), "offset": (8, "<Q"), "vaddr": (16, "<Q"),
         "filesz": (32, "<Q"), "memsz": (40, "<Q"), "align": (48, "<Q")}[name]
    return PHDR_AT + i * 56 + o[0], o[1]


def corrupt(base: bytes, what: str) -> tuple[bytes, int, str]:
    """A broken copy of base (the glibc_nopie program) and the (phdr, message)
    expected for it."""
    d = bytearray(base)
    load = [i for i, t in phdrs(base) if t == 1]
    interp = first(base, 3)

    def ph(i, name, value):
        off, fmt = ph_field(i, name)
        put(d, off, fmt, value)

    def ph_get(i, name):
        off, fmt = ph_field(i, name)
        return struct.unpack_from(fmt, base, off)[0]

    size = len(base)
    if what == "short":
        return bytes(d[:40]), -1, "too short for an ELF header (64 bytes)"
    if what == "tiny":
        return bytes(d[:3]), -1, "not an ELF file (no \\x7fELF magic)"
    if what == "script":
        return b"#!/bin/sh\necho hi\n", -1, "a script (#!): only ELF executables run here"
    if what == "magic":
        d[1] = ord("X")
        return bytes(d), -1, "not an ELF file (no \\x7fELF magic)"
    if what == "class32":
        d[4] = 1
        return bytes(d), -1, "not a 64-bit ELF file (ELFCLASS64 expected)"
    if what == "bigendian":
        d[5] = 2
        return bytes(d), -1, "not a little-endian ELF file"
    if what == "version":
        d[6] = 0
        return bytes(d), -1, "unknown ELF version (1 expected)"
    if what == "relocatable":
        put(d, 16, "<H", 1)
        return bytes(d), -1, "not an executable (ELF type is neither ET_EXEC nor ET_DYN)"
    if what == "phentsize":
        put(d, 54, "<H", 32)
        return bytes(d), -1, "program header entry size is not 56"
    if what == "phnum0":
        put(d, 56, "<H", 0)
        return bytes(d), -1, "no program headers"
    if what == "phnum_huge":
        put(d, 56, "<H", 0xffff)
        return bytes(d), -1, "more than 128 program headers"
    if what == "phoff_past_end":
        put(d, 32, "<Q", size - 56)
        return bytes(d), -1, "the program header table extends past the end of the file"
    if what == "phoff_overflow":
        put(d, 32, "<Q", 2**64 - 8)
        return bytes(d), -1, "the program header table extends past the end of the file"
    if what == "load_past_end":
        ph(load[1], "filesz", size)
        ph(load[1], "memsz", size * 2)
        return bytes(d), load[1], "extends past the end of the file"
    if what == "load_offset_overflow":
        ph(load[1], "offset", 2**64 - 0x1000 + (ph_get(load[1], "offset") & 0xfff))
        return bytes(d), load[1], "extends past the end of the file"
    if what == "filesz_over_memsz":
        ph(load[2], "memsz", ph_get(load[2], "filesz") - 1)
        return bytes(d), load[2], "file size larger than its memory size"
    if what == "align_not_pow2":
        ph(load[1], "align", 0x3000)
        return bytes(d), load[1], "alignment is not a power of two"
    if what == "page_offset_differs":
        ph(load[1], "vaddr", ph_get(load[1], "vaddr") + 8)
        ph(load[1], "align", 1)
        return bytes(d), load[1], "address and file offset differ modulo the page size (4096)"
    if what == "align_differs":
        ph(load[-1], "align", 0x10000)     # the data segment: vaddr - offset = 0x1000
        return bytes(d), load[-1], "address and file offset differ modulo the alignment"
    if what == "descending":
        ph(load[1], "vaddr", ph_get(load[0], "vaddr"))
        return bytes(d), load[1], "not above the previous PT_LOAD (they must ascend without overlapping)"
    if what == "above_user_half":
        ph(load[-1], "vaddr", 2**47 - 0x1000 + (ph_get(load[-1], "vaddr") & 0xfff))
        ph(load[-1], "memsz", 0x10000)
        return bytes(d), load[-1], "address range outside the user half (2^47)"
    if what == "no_perms":
        ph(load[0], "flags", 0)
        return bytes(d), load[0], "neither readable, writable nor executable"
    if what == "no_load":
        for i in load:
            ph(i, "type", 0x60000000)
        return bytes(d), -1, "no PT_LOAD segment: nothing to load"
    if what == "interp_past_end":
        ph(interp, "offset", size - 4)
        return bytes(d), interp, "extends past the end of the file"
    if what == "interp_unterminated":
        off = ph_get(interp, "offset") + ph_get(interp, "filesz") - 1
        d[off] = ord("x")
        return bytes(d), -1, "PT_INTERP: the interpreter path is not NUL-terminated"
    if what == "interp_relative":
        d[ph_get(interp, "offset")] = ord("l")
        return bytes(d), -1, "PT_INTERP: the interpreter path is not absolute"
    if what == "interp_long":
        ph(interp, "filesz", 5000)
        return bytes(d), interp, "interpreter path length outside 2..4096 bytes"
    if what == "two_interps":
        ph(first(base, 4), "type", 3)   # PT_NOTE -> a second PT_INTERP after the first
        return bytes(d), first(base, 4), "a second PT_INTERP"
    if what == "entry_outside":
        put(d, 24, "<Q", 0x10)
        return bytes(d), -1, "the entry point is outside every executable PT_LOAD"
    if what == "entry_in_data":
        put(d, 24, "<Q", ph_get(load[-1], "vaddr"))
        return bytes(d), -1, "the entry point is outside every executable PT_LOAD"
    if what == "dynamic_outside":
        ph(first(base, 2), "vaddr", 0x10000000)
        return bytes(d), first(base, 2), "outside every PT_LOAD"
    if what == "relro_outside":
        ph(first(base, 0x6474e552), "vaddr", 0x10000000)
        return bytes(d), first(base, 0x6474e552), "outside every PT_LOAD"
    if what == "tls_outside":
        ph(first(base, 7), "vaddr", 0x10000000)
        return bytes(d), first(base, 7), "its initial data is outside every PT_LOAD"
    if what == "low_fixed":
        for i in load:
            ph(i, "vaddr", ph_get(i, "vaddr") - 0x400000)
        put(d, 24, "<Q", struct.unpack_from("<Q", base, 24)[0] - 0x400000)
        return bytes(d), -1, "a fixed-address program loaded below 64 KiB"
    raise AssertionError(what)


CORRUPTIONS = ["short", "tiny", "script", "magic", "class32", "bigendian", "version", "relocatable", "phentsize",
               "phnum0", "phnum_huge", "phoff_past_end", "phoff_overflow", "load_past_end", "load_offset_overflow",
               "filesz_over_memsz", "align_not_pow2", "page_offset_differs", "align_differs", "descending",
               "above_user_half", "no_perms", "no_load", "interp_past_end", "interp_unterminated",
               "interp_relative", "interp_long", "two_interps", "entry_outside", "entry_in_data",
               "dynamic_outside", "relro_outside", "tls_outside", "low_fixed"]


@pytest.mark.parametrize("what", CORRUPTIONS)
def test_corrupt_elf_is_refused_with_its_reason(harness, elves, tmp_path, what):
    base = elves["glibc_nopie"].read_bytes()
    assert struct.unpack_from("<Q", base, 32)[0] == PHDR_AT
    data, ph, why = corrupt(base, what)
    f = tmp_path / what
    f.write_bytes(data)
    assert parse(harness, f) == (8, f"ENOEXEC ph={ph} {why}")


def test_fuzz_a_million_inputs(elves, tmp_path):
    clang = require("clang", "clang")
    exe = tmp_path / "fuzz"
    p = subprocess.run([clang, "-DFUZZ", "-fsanitize=fuzzer,address,undefined", *CFLAGS, "-o", str(exe)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr + "\n(libFuzzer: Debian packages clang and libclang-rt-14-dev)"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("tiny_static", "tiny_static_pie", "tiny_interp", "tiny_aarch64"):
        data = elves[name].read_bytes()
        assert len(data) <= 16384, (name, len(data))
        (corpus / name).write_bytes(data)
    for name in ("glibc_static", "glibc_nopie", "musl_static"):
        (corpus / name).write_bytes(elves[name].read_bytes()[:4096])
    (corpus / "true_head").write_bytes(Path("/bin/true").read_bytes()[:4096])
    base = elves["glibc_nopie"].read_bytes()
    (corpus / "corrupt_load").write_bytes(corrupt(base, "load_past_end")[0][:4096])
    (tmp_path / "dict").write_text("\n".join(f'"{t}"' for t in [
        "\\x7fELF", "\\x02\\x01\\x01", "\\x01\\x00\\x00\\x00", "\\x03\\x00\\x00\\x00", "\\x07\\x00\\x00\\x00",
        "\\x50\\xe5\\x74\\x64", "\\x51\\xe5\\x74\\x64", "\\x52\\xe5\\x74\\x64", "\\x00\\x10\\x00\\x00",
        "\\x00\\x00\\x40\\x00", "\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff", "/lib64/ld-linux-x86-64.so.2\\x00"]) + "\n")
    r = subprocess.run([str(exe), f"-runs={FUZZ_RUNS}", "-max_len=16384", "-seed=1", f"-dict={tmp_path / 'dict'}",
                        "-print_final_stats=1", str(corpus)],
                       capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    assert f"Done {FUZZ_RUNS} runs" in r.stderr, r.stderr[-2000:]
