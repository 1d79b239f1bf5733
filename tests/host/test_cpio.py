"""Host tests for os/lib/ukcpio, the cpio newc reader the guest unpacks its
root file system with.

The parser is compiled with the host gcc under AddressSanitizer and
UndefinedBehaviorSanitizer (no recovery) into tests/host/ukcpio/harness.c,
which lists an archive's members; the listing is compared with an
independent Python reader written from the format (cpio(5), "New ASCII
Format") over archives written by uniforge/cpio.py and by GNU cpio
(`cpio -o -H newc`, Debian package cpio). Corrupt archives must give the
expected error at the expected byte offset. Then libFuzzer (clang,
Debian packages clang + libclang-rt-14-dev) runs the same harness, built
with -fsanitize=fuzzer,address,undefined, over at least a million inputs
mutated from those archives: the parser may reject them but must never
read outside the buffer, hang, or hit undefined behaviour, and its
iterator's invariants (harness.c: check_entry) must hold.

The archive writer is checked the other way round: GNU cpio extracts what
uniforge/rootfs.py packs, and the tree comes back the same.

The unpacker (initrd.c) is compiled as it is into
tests/host/ukcpio/unpack_harness.c, its uk_sys_* calls served by the host's
*at() system calls under a folder standing for "/": unpacking what
rootfs.pack and GNU cpio write must give back the tree (types, data,
modes with set-id and sticky bits, owners, mtimes of files, symlinks and
directories, hard links); a corrupt archive stops with status 65 and the
offset.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from guestcc import require
from uniforge import cpio, rootfs

REPO = Path(__file__).resolve().parents[2]
LIB = REPO / "os" / "lib" / "ukcpio"
HARNESS = Path(__file__).resolve().parent / "ukcpio" / "harness.c"
CFLAGS = ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
          "-fno-sanitize-recover=all", "-I", str(REPO / "os" / "include"),
          "-I", str(LIB / "include"), str(LIB / "cpio.c"), str(HARNESS)]
FUZZ_RUNS = 1_000_000

EINVAL, ENODATA, EPERM, ENAMETOOLONG = 22, 61, 1, 36


@pytest.fixture(scope="module")
def unpacker(tmp_path_factory) -> Path:
    require("gcc", "gcc")
    d = tmp_path_factory.mktemp("cpio")
    out = d / "unpack"
    # the handlers' prototypes as the build generates them from the registry,
    # so the harness's definitions are checked against it
    (d / "gen" / "uk").mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "uniforge.gen", "syscall_protos",
                    str(REPO / "os" / "lib" / "uksyscall" / "syscalls.toml"),
                    str(d / "gen" / "uk" / "syscall_protos.h")], check=True, cwd=REPO)
    subprocess.run(["gcc", "-fsanitize=address,undefined", *CFLAGS[:-1],
                    "-I", str(HARNESS.parent / "shim"), "-I", str(d / "gen"),
                    "-I", str(REPO / "os" / "lib" / "uksyscall" / "include"),
                    "-I", str(REPO / "os" / "lib" / "ukalloc" / "include"),
                    "-I", str(REPO / "os" / "lib" / "ukboot" / "include"),
                    str(HARNESS.parent / "unpack_harness.c"), "-o", str(out)], check=True)
    return out


def unpack(unpacker: Path, data: bytes, tmp_path: Path):
    """(exit status, console text, the root folder)."""
    arc = tmp_path / "initrd.cpio"
    arc.write_bytes(data)
    root = tmp_path / "root"
    root.mkdir()
    p = subprocess.run([str(unpacker), str(arc), str(root)], capture_output=True, text=True, timeout=60)
    assert "Sanitizer" not in p.stderr, p.stderr
    return p.returncode, p.stdout, root


def snapshot(r: Path) -> dict:
    """Everything the unpacker keeps, per path (hard links as a group id)."""
    out, inodes = {}, {}
    for p in sorted(r.rglob("*")):
        st = p.lstat()
        rel = str(p.relative_to(r))
        common = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode) if not p.is_symlink() else 0,
                  st.st_uid, st.st_gid, int(st.st_mtime))
        if p.is_symlink():
            out[rel] = common + (os.readlink(p),)
        elif p.is_dir():
            out[rel] = common
        else:
            group = inodes.setdefault(st.st_ino, len(inodes)) if st.st_nlink > 1 else None
            out[rel] = common + (p.read_bytes(), group)
    return out


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    require("gcc", "gcc")
    out = tmp_path_factory.mktemp("cpio") / "harness"
    subprocess.run(["gcc", "-fsanitize=address,undefined", *CFLAGS, "-o", str(out)], check=True)
    return out


def listing(harness: Path, data: bytes, tmp_path: Path) -> list[str]:
    f = tmp_path / "a.cpio"
    f.write_bytes(data)
    p = subprocess.run([str(harness), str(f)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr        # a sanitizer report aborts
    return p.stdout.splitlines()


# --- the reference reader -------------------------------------------------

class Bad(Exception):
    def __init__(self, rc: int, off: int):
        super().__init__(rc, off)
        self.rc, self.off = rc, off


def norm(raw: bytes, at: int) -> bytes:
    """Drop empty and "." components; ".." is refused, and so is a result
    of 4096 bytes or more (at the first component that does not fit)."""
    out = []
    pos = 0
    for comp in raw.split(b"/"):
        if comp == b"..":
            raise Bad(EPERM, at + pos)
        if comp not in (b"", b"."):
            if len(b"/".join(out + [comp])) >= 4096:
                raise Bad(ENAMETOOLONG, at + pos)
            out.append(comp)
        pos += len(comp) + 1
    return b"/".join(out)


def py_list(data: bytes) -> list[str]:
    """The members of a newc archive, formatted like the harness; written
    from cpio(5) without looking at cpio.c."""
    out, off, n = [], 0, len(data)
    try:
        while True:
            while off < n and data[off] == 0:       # between concatenated archives
                off += 1
            if off == n:
                break
            while True:
                if n - off < 110:
                    raise Bad(ENODATA, off)
                h = data[off:off + 110]
                if h[:6] not in (b"070701", b"070702"):
                    raise Bad(EINVAL, off)
                f = []
                for i in range(13):
                    field = h[6 + 8 * i:14 + 8 * i]
                    for k, c in enumerate(field):
                        if chr(c) not in "0123456789abcdefABCDEF":
                            raise Bad(EINVAL, off + 6 + 8 * i + k)
                    f.append(int(field, 16))
                ino, mode, uid, gid, nlink, mtime, size, _, _, rmaj, rmin, namesize, check = f
                if namesize < 2:
                    raise Bad(EINVAL, off + 94)
                if off + 110 + namesize > n:
                    raise Bad(ENODATA, off + 94)
                raw = data[off + 110:off + 110 + namesize]
                if raw[-1] != 0:
                    raise Bad(EINVAL, off + 110 + namesize - 1)
                if 0 in raw[:-1]:
                    raise Bad(EINVAL, off + 110 + raw.index(0))
                doff = off + 110 + namesize
                pad = -doff % 4
                if raw[:-1] == b"TRAILER!!!":
                    if size:
                        raise Bad(EINVAL, off + 54)
                    off = min(doff + pad, n)
                    break
                if doff + pad > n:
                    raise Bad(ENODATA, doff)
                doff += pad
                if doff + size > n:
                    raise Bad(ENODATA, off + 54)
                if doff + size + (-(doff + size) % 4) > n:
                    raise Bad(ENODATA, doff + size)
                body = data[doff:doff + size]
                kind = mode & 0o170000
                if kind == stat.S_IFLNK:
                    if size == 0:
                        raise Bad(EINVAL, off + 54)
                    if size >= 4096:
                        raise Bad(ENAMETOOLONG, off + 54)
                    if 0 in body:
                        raise Bad(EINVAL, doff + body.index(0))
                elif kind in (stat.S_IFDIR, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFIFO, stat.S_IFSOCK):
                    if size:
                        raise Bad(EINVAL, off + 54)
                elif kind != stat.S_IFREG:
                    raise Bad(EINVAL, off + 14)
                if mode & ~0o177777:
                    raise Bad(EINVAL, off + 14)
                if h[5:6] == b"2" and kind == stat.S_IFREG and sum(body) & 0xffffffff != check:
                    raise Bad(EINVAL, off + 102)
                name = norm(raw[:-1], off + 110)
                out.append(f"M {off} {ino} {mode:o} {uid} {gid} {nlink} {mtime} {rmaj} {rmin} "
                           f"{size} {name.hex()} {body.hex()} -")
                off = doff + size + (-(doff + size) % 4)
    except Bad as b:
        return out + [f"ERR {-b.rc} {b.off}"]
    return out + ["END"]


def same(harness, data, tmp_path) -> list[str]:
    got = listing(harness, data, tmp_path)
    want = py_list(data)
    if got and got[-1].startswith("ERR"):
        got = got[:-1] + [" ".join(got[-1].split()[:3])]
    assert got == want
    return got


# --- archives ---------------------------------------------------------------

def writer_archives() -> dict[str, bytes]:
    e = cpio.CpioEntry
    return {
        "empty": cpio.write_newc([]),
        "basic": cpio.write_newc([
            cpio.newc_dir("etc"), cpio.newc_file("etc/motd", b"hello\n"),
            cpio.newc_file("etc/empty", b""), cpio.newc_symlink("etc/l", "motd"),
            cpio.newc_chardev("dev/console", 5, 1), cpio.newc_file("init", b"\x7fELF" * 1000, 0o755)]),
        "odd_sizes": cpio.write_newc([cpio.newc_file(f"f{i}" + "x" * i, bytes(range(i)) * 3)
                                      for i in range(1, 12)]),
        "hard_links": cpio.write_newc([e("a", 0o100644, b"", ino=7, nlink=2),
                                       e("b", 0o100644, b"data", ino=7, nlink=2)]),
        "owners_times": cpio.write_newc([e("x", 0o104755, b"s", uid=1000, gid=50, mtime=1_700_000_000)]),
        "dot_names": cpio.write_newc([cpio.newc_dir("."), cpio.newc_file("./a/./b//c", b"1")]),
        "long_name": cpio.write_newc([cpio.newc_file("d/" * 1000 + "f", b"z")]),
        "concatenated": cpio.write_newc([cpio.newc_file("one", b"1")]) + b"\0" * 512
                        + cpio.write_newc([cpio.newc_file("two", b"22")]),
    }


def gnu_tree(root: Path) -> Path:
    """A tree with every kind the unpacker handles and awkward sizes."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "empty").write_bytes(b"")
    (root / "one").write_bytes(b"1")
    (root / "sub" / "four").write_bytes(b"four")
    (root / "sub" / "deeper" / "big").write_bytes(bytes(range(256)) * 300 + b"tail")
    (root / "exe").write_bytes(b"#!/bin/sh\n")
    (root / "exe").chmod(0o4755)
    os.symlink("sub/four", root / "link")
    os.symlink("/absolute/target", root / "sub" / "abs")
    os.link(root / "one", root / "sub" / "one-again")
    (root / "ünï çødé").write_text("utf-8 name\n")
    (root / "sticky").mkdir()
    (root / "sticky").chmod(0o1777)
    os.chown(root / "sub" / "four", 1234, 5678)
    os.lchown(root / "link", 42, 43)
    os.chown(root / "sub", 7, 8)
    (root / "sub" / "deeper" / "setgid").write_bytes(b"g")
    (root / "sub" / "deeper" / "setgid").chmod(0o2750)
    os.chown(root / "sub" / "deeper" / "setgid", 0, 100)
    for i, p in enumerate(sorted(root.rglob("*"), reverse=True)):   # children first
        os.utime(p, (1_600_000_000 + i, 1_600_000_000 + 1000 * i), follow_symlinks=False)
    return root


def gnu_cpio(root: Path, names: list[str] | None = None, *, fmt="newc") -> bytes:
    require("cpio", "cpio")
    if names is None:
        names = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    p = subprocess.run(["cpio", "-o", "-H", fmt], cwd=root, input=("\n".join(names) + "\n").encode(),
                       capture_output=True)
    assert p.returncode == 0, p.stderr.decode(errors="replace")
    return p.stdout


@pytest.mark.parametrize("name", sorted(writer_archives()))
def test_writer_archives_match_the_reference(harness, tmp_path, name):
    out = same(harness, writer_archives()[name], tmp_path)
    assert out[-1] == "END"


def test_normalised_names(harness, tmp_path):
    out = same(harness, writer_archives()["dot_names"], tmp_path)
    assert [bytes.fromhex(line.split(" ")[11]).decode() for line in out[:-1]] == ["", "a/b/c"]


def test_gnu_cpio_archives_match_the_reference(harness, tmp_path):
    root = gnu_tree(tmp_path / "tree")
    for fmt in ("newc", "crc"):
        data = gnu_cpio(root, fmt=fmt)
        out = same(harness, data, tmp_path)
        assert out[-1] == "END"
        names = {bytes.fromhex(line.split(" ")[11]).decode() for line in out[:-1]}
        assert {"sub/deeper/big", "link", "ünï çødé", "sub/one-again"} <= names
    # `find .` style names, with the root itself, and absolute names
    data = gnu_cpio(root, ["."] + ["./" + str(p.relative_to(root)) for p in sorted(root.rglob("*"))])
    assert same(harness, data, tmp_path)[-1] == "END"
    data = gnu_cpio(root, [str(p) for p in sorted(root.rglob("*"))])
    out = same(harness, data, tmp_path)
    assert not any(bytes.fromhex(line.split(" ")[11]).startswith(b"/") for line in out[:-1])


def _hdr(data: bytes, off: int, field: int, value: int) -> bytes:
    b = bytearray(data)
    b[off + 6 + 8 * field:off + 14 + 8 * field] = b"%08X" % value
    return bytes(b)


def _corruptions() -> list[tuple[str, bytes, int, int]]:
    """(what, archive, rc, offset)."""
    base = cpio.write_newc([cpio.newc_file("etc/motd", b"hello\n"), cpio.newc_symlink("l", "x")])
    second = 110 + 9 + 1 + 6 + 2       # header, "etc/motd\0", pad, data, pad
    trailer = second + 110 + 2 + 1 + 3     # header, "l\0", data "x", pad
    b = bytearray(base)
    b[20] = ord("g")
    nonhex = bytes(b)
    b = bytearray(base)
    b[110 + 3] = 0
    nul = bytes(b)
    return [
        ("bad magic", b"070707" + base[6:], -EINVAL, 0),
        ("non-hex digit", nonhex, -EINVAL, 20),
        ("truncated header", base[:50], -ENODATA, 0),
        ("no trailer", base[:second], -ENODATA, second),
        ("truncated inside the trailer", base[:trailer + 50], -ENODATA, trailer),
        ("name past the end", _hdr(base, 0, 11, 0x7fffffff), -ENODATA, 94),
        ("name size 0", _hdr(base, 0, 11, 0), -EINVAL, 94),
        ("name without NUL", _hdr(base, 0, 11, 8), -EINVAL, 117),
        ("NUL inside a name", nul, -EINVAL, 113),
        ("data past the end", _hdr(base, 0, 6, 0xffffffff), -ENODATA, 54),
        ("unknown type", _hdr(base, 0, 1, 0o170644), -EINVAL, 14),
        ("bits above the type", _hdr(base, 0, 1, 0o1100644), -EINVAL, 14),
        ("directory with data", _hdr(base, 0, 1, 0o40755), -EINVAL, 54),
        ("empty symlink", cpio.write_newc([cpio.CpioEntry("l", 0o120777, b"")]), -EINVAL, 54),
        ("symlink too long", cpio.write_newc([cpio.newc_symlink("l", "a" * 4096)]), -ENAMETOOLONG, 54),
        ("dot-dot", cpio.write_newc([cpio.newc_file("a/../../etc/passwd", b"x")]), -EPERM, 112),
        ("leading dot-dot", cpio.write_newc([cpio.newc_file("../x", b"x")]), -EPERM, 110),
        ("name too long", cpio.write_newc([cpio.newc_file("d/" * 2100 + "f", b"x")]),
         -ENAMETOOLONG, 110 + 4096),           # the component that does not fit
        ("trailer with data", _hdr(cpio.write_newc([]), 0, 6, 4), -EINVAL, 54),
        ("bad 070702 checksum", b"070702" + _hdr(base, 0, 12, 1)[6:], -EINVAL, 102),
        ("misaligned second archive", cpio.write_newc([]) + b"\0\0" + b"x" + cpio.write_newc([]),
         -EINVAL, 124 + 2),
    ]


@pytest.mark.parametrize("what,data,rc,off", _corruptions(), ids=[c[0] for c in _corruptions()])
def test_corrupt_archives_name_the_offset(harness, tmp_path, what, data, rc, off):
    got = listing(harness, data, tmp_path)
    last = got[-1].split(" ", 3)
    assert last[:3] == ["ERR", str(rc), str(off)], got[-1]
    assert len(last[3]) > 10          # a reason
    assert py_list(data)[-1] == f"ERR {rc} {off}"


def test_pack_then_gnu_cpio_extracts_the_same_tree(tmp_path):
    require("cpio", "cpio")
    root = gnu_tree(tmp_path / "tree")
    arc = rootfs.pack(root, tmp_path / "out" / "rootfs.cpio")
    dest = tmp_path / "x"
    dest.mkdir()
    with arc.open("rb") as f:
        subprocess.run(["cpio", "-i", "-d", "-m", "--no-absolute-filenames", "--quiet"], cwd=dest,
                       stdin=f, check=True)

    def snap(r: Path):
        out = {}
        for p in sorted(r.rglob("*")):
            st = p.lstat()
            rel = str(p.relative_to(r))
            if p.is_symlink():
                out[rel] = ("l", os.readlink(p))
            elif p.is_dir():
                out[rel] = ("d", stat.S_IMODE(st.st_mode))
            else:
                out[rel] = ("f", stat.S_IMODE(st.st_mode), p.read_bytes(), int(st.st_mtime))
        return out
    assert snap(dest) == snap(root)
    assert (dest / "one").stat().st_ino == (dest / "sub" / "one-again").stat().st_ino


def test_fuzz_a_million_inputs(tmp_path):
    """libFuzzer over >= 1M inputs, seeded with writer and GNU archives and
    a dictionary of the format's tokens."""
    clang = require("clang", "clang")
    exe = tmp_path / "fuzz"
    p = subprocess.run([clang, "-DFUZZ", "-fsanitize=fuzzer,address,undefined", *CFLAGS,
                        "-o", str(exe)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr + "\n(libFuzzer: Debian packages clang and libclang-rt-14-dev)"
    seeds = tmp_path / "corpus"
    seeds.mkdir()
    for name, data in writer_archives().items():
        if len(data) < 8192:
            (seeds / name).write_bytes(data)
    (seeds / "gnu").write_bytes(gnu_cpio(gnu_tree(tmp_path / "tree"))[:8192])
    (tmp_path / "dict").write_text("\n".join(
        f'"{t}"' for t in ["070701", "070702", "TRAILER!!!", "00000000", "FFFFFFFF", "000041ED",
                           "000081A4", "0000A1FF", "..", "./", "/", "\\x00\\x00\\x00\\x00"]) + "\n")
    r = subprocess.run([str(exe), f"-runs={FUZZ_RUNS}", "-max_len=8192", "-seed=1",
                        f"-dict={tmp_path / 'dict'}", "-print_final_stats=1", str(seeds)],
                       capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    assert f"Done {FUZZ_RUNS} runs" in r.stderr, r.stderr[-2000:]


def test_unpack_gives_back_the_packed_tree(unpacker, tmp_path):
    src = gnu_tree(tmp_path / "tree")
    data = rootfs.pack(src, tmp_path / "rootfs.cpio").read_bytes()
    rc, out, root = unpack(unpacker, data, tmp_path)
    assert rc == 0, out
    assert out == ""
    assert snapshot(root) == snapshot(src)
    assert (root / "one").stat().st_ino == (root / "sub" / "one-again").stat().st_ino


def test_unpack_gives_back_gnu_cpio_archives(unpacker, tmp_path):
    src = gnu_tree(tmp_path / "tree")
    for fmt in ("newc", "crc"):
        (tmp_path / fmt).mkdir()
        rc, out, root = unpack(unpacker, gnu_cpio(src, fmt=fmt), tmp_path / fmt)
        assert rc == 0, out
        assert snapshot(root) == snapshot(src)
        assert (root / "one").stat().st_ino == (root / "sub" / "one-again").stat().st_ino


def test_unpack_replaces_duplicates_and_keeps_existing_dirs(unpacker, tmp_path):
    data = cpio.write_newc([cpio.newc_dir("d", 0o700), cpio.newc_file("d/f", b"first"),
                            cpio.newc_symlink("d/l", "f"), cpio.newc_dir("d", 0o755),
                            cpio.newc_file("d/f", b"second", 0o600), cpio.newc_file("d/l", b"now a file")])
    rc, out, root = unpack(unpacker, data, tmp_path)
    assert rc == 0, out
    assert (root / "d" / "f").read_bytes() == b"second"
    assert stat.S_IMODE((root / "d" / "f").stat().st_mode) == 0o600
    assert not (root / "d" / "l").is_symlink() and (root / "d" / "l").read_bytes() == b"now a file"
    assert stat.S_IMODE((root / "d").stat().st_mode) == 0o755


def test_unpack_skips_devices_with_a_message(unpacker, tmp_path):
    data = cpio.write_newc([cpio.newc_dir("dev"), cpio.newc_chardev("dev/console", 5, 1),
                            cpio.newc_file("after", b"x")])
    rc, out, root = unpack(unpacker, data, tmp_path)
    assert rc == 0
    assert out == "ukcpio: initrd: skipping /dev/console, a character device (ramfs holds none)\n"
    assert (root / "after").read_bytes() == b"x" and not (root / "dev" / "console").exists()


@pytest.mark.parametrize("what,data,reason,off", [
    ("dot-dot", cpio.write_newc([cpio.newc_file("ok", b"1"), cpio.newc_file("a/../../escape", b"x")]),
     "a name with a '..' component (-1)", 120 + 110 + 2),
    ("truncated", cpio.write_newc([cpio.newc_file("ok", b"1"), cpio.newc_file("big", b"x" * 100)])[:300],
     "file data that runs past the end of the archive (-61)", 120 + 54),
    ("garbage", b"\x7fELF" + bytes(200), "bad magic (not 070701 or 070702: not a newc archive) (-22)", 0),
])
def test_unpack_stops_the_boot_on_a_corrupt_archive(unpacker, tmp_path, what, data, reason, off):
    rc, out, root = unpack(unpacker, data, tmp_path)
    assert rc == 65
    assert out.splitlines()[-1] == f"ukcpio: initrd: corrupt cpio archive at byte {off} ({off:#x}): {reason}"
    assert not (tmp_path / "escape").exists()


def test_unpack_keeps_a_directory_whose_metadata_is_refused(unpacker, tmp_path):
    """A rootfs folder over a mount point (the harness refuses chown and
    utimensat on /mounted, as a devfs root may): a line each, and the boot
    goes on."""
    data = cpio.write_newc([cpio.newc_dir("mounted"), cpio.newc_file("mounted/f", b"x")])
    rc, out, root = unpack(unpacker, data, tmp_path)
    assert rc == 0
    assert out == ("ukcpio: initrd: the owner and mode of /mounted left as it is (-1)\n"
                   "ukcpio: initrd: the mtime of /mounted left as it is (-1)\n")
    assert (root / "mounted" / "f").read_bytes() == b"x"


def test_unpack_reports_a_failing_call(unpacker, tmp_path):
    """A member whose parent is a file: the call, the path and the error,
    then the init fails (ukboot stops the boot)."""
    data = cpio.write_newc([cpio.newc_file("f", b"1"), cpio.newc_file("f/g", b"2")])
    rc, out, _ = unpack(unpacker, data, tmp_path)
    assert rc == 255
    assert out == "ukcpio: initrd: creating the file /f/g failed: -20\n"
