"""The cpio writer's page-aligned file data (uniforge/cpio.py): the data of
every regular file of 4 KiB or more starts on a multiple of 4 KiB in the
archive, which the guest's ukcpio needs to take the archive's pages as the
file's own (tests/boot/test_initrd_free.py); the archive stays one GNU
cpio reads (`cpio -t` lists the same files, `cpio -i` extracts the same
bytes), the names stay within PATH_MAX, and page=0 packs as tightly as
newc allows."""
import random
import subprocess

import pytest

from uniforge.cpio import CpioEntry, S_IFDIR, S_IFREG, newc_dir, newc_file, write_newc


def parse(data: bytes) -> list[tuple[str, int, int, bytes]]:
    """(raw name, mode, data offset, data) of each member but the trailer."""
    out, off = [], 0
    while True:
        h = data[off:off + 110]
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        name = data[off + 110:off + 110 + f[11] - 1].decode()
        d = off + 110 + f[11]
        d += -d % 4
        if name == "TRAILER!!!":
            return out
        out.append((name, f[1], d, data[d:d + f[6]]))
        off = d + f[6] + (-(d + f[6]) % 4)


def norm(name: str) -> str:
    return "/".join(p for p in name.split("/") if p not in ("", "."))


def entries(seed: int, longest: int = 4000) -> list[CpioEntry]:
    rnd = random.Random(seed)
    out = [newc_dir("d"), newc_dir("d/sub")]
    for i in range(40):
        folder = rnd.choice(["d", "d/sub"])
        # some names long enough that "./" padding alone would pass PATH_MAX
        name = f"{folder}/f{i}" + "x" * min(longest, rnd.choice([0, 10, 200, 3000, 4000]))
        size = rnd.choice([0, 1, 100, 4095, 4096, 4097, 8192, 20000, 70001])
        out.append(newc_file(name, rnd.randbytes(size)))
    return out


@pytest.mark.parametrize("seed", range(4))
def test_big_files_start_on_a_page(seed):
    es = entries(seed)
    data = write_newc(es)
    got = parse(data)
    files = {norm(n): (d, blob) for n, mode, d, blob in got if (mode & 0o170000) == S_IFREG}
    assert {e.name: e.data for e in es if (e.mode & 0o170000) == S_IFREG} == \
        {n: blob for n, (_, blob) in files.items()}
    for n, (d, blob) in files.items():
        if len(blob) >= 4096:
            assert d % 4096 == 0, (n, d)
    # the padding only: names within PATH_MAX, folders repeated as they were
    assert all(len(n) + 1 <= 4096 for n, *_ in got)
    dirs = [norm(n) for n, mode, *_ in got if (mode & 0o170000) == S_IFDIR]
    assert set(dirs) == {"d", "d/sub"}
    assert len(data) % 4 == 0


def test_page_zero_is_tight():
    es = [newc_file("a", b"x" * 5000), newc_file("b", b"y" * 3)]
    tight = write_newc(es, page=0)
    assert [n for n, *_ in parse(tight)] == ["a", "b"]
    assert len(tight) < len(write_newc(es))


def test_gnu_cpio_reads_it(tmp_path):
    es = entries(7, longest=200)        # a host file name has 255 bytes at most
    (tmp_path / "a.cpio").write_bytes(write_newc(es))
    listed = subprocess.run("cpio -t < a.cpio", shell=True, cwd=tmp_path, capture_output=True,
                            text=True, check=True).stdout.split("\n")
    assert {norm(n) for n in listed if n} == {e.name for e in es}
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(f"cpio -id --quiet < {tmp_path / 'a.cpio'}", shell=True, cwd=out, check=True)
    for e in es:
        if (e.mode & 0o170000) == S_IFREG:
            assert (out / e.name).read_bytes() == e.data, e.name


def test_skip_keeps_file_data_out_of_the_start(tmp_path):
    """write_newc(skip=N): no regular file's data in the first N bytes (the
    first top-level folder's member repeated with the same attributes);
    GNU cpio still reads the archive and the tree is the same."""
    es = [newc_dir("etc"), newc_dir("tmp", 0o1777), newc_file("etc/a", b"x" * 5000),
          newc_file("tmp/b", b"y" * 10), newc_file("etc/c", b"z" * 9000)]
    data = write_newc(es, skip=3 << 20)
    got = parse(data)
    assert all(d >= 3 << 20 for n, mode, d, blob in got if (mode & 0o170000) == S_IFREG)
    assert all(d % 4096 == 0 for n, mode, d, blob in got if (mode & 0o170000) == S_IFREG and len(blob) >= 4096)
    repeats = [n for n, mode, *_ in got if norm(n) == "etc" and (mode & 0o170000) == S_IFDIR]
    assert len(repeats) > 700 and {m for n, m, *_ in got if norm(n) == "etc"} == {es[0].mode}
    assert len(data) < (3 << 20) + 32768
    (tmp_path / "a.cpio").write_bytes(data)
    out = tmp_path / "out"
    out.mkdir()
    subprocess.run(f"cpio -id --quiet < {tmp_path / 'a.cpio'}", shell=True, cwd=out, check=True)
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*")) == ["etc", "etc/a", "etc/c", "tmp", "tmp/b"]
    assert (out / "etc" / "c").read_bytes() == b"z" * 9000


def test_archive_skip_is_the_fixed_range_on_multiboot():
    """run_binary.archive_skip: a fixed-address program's range end (less
    the 1 MiB the kernel starts at) on QEMU pc (Multiboot, the initrd after
    the kernel); 0 on microvm (PVH puts it at the top of memory) and for a
    PIE."""
    from uniforge.binary import elf
    from uniforge.cli.run_binary import archive_skip
    from uniforge.targets import get_target
    py = elf.read("/usr/bin/python3.11")
    assert py.fixed_range is not None
    assert archive_skip(py, get_target("qemu/x86_64")) == py.fixed_range[1] - (1 << 20)
    assert archive_skip(py, get_target("microvm/x86_64")) == 0
    assert archive_skip(elf.read("/usr/bin/sqlite3"), get_target("qemu/x86_64")) == 0
