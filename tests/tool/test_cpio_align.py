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
