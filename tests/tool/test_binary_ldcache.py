"""uniforge.binary.ldcache: glibc's ld.so.cache read as ldconfig wrote it,
written as ld.so's binary search needs it, and fuzzed: mutated real caches
give entries or a UserError, nothing else."""
from __future__ import annotations

import functools
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from uniforge.binary import ldcache
from uniforge.errors import UserError

HOST_CACHE = Path("/etc/ld.so.cache")
needs_cache = pytest.mark.skipif(not HOST_CACHE.is_file(), reason="no /etc/ld.so.cache on this host")


def _ldconfig_p(path) -> set[tuple[str, str]]:
    """(soname, path) pairs of `ldconfig -p`'s x86-64 entries of a cache."""
    out = subprocess.run(["ldconfig", "-C", str(path), "-p"], capture_output=True, text=True, check=True).stdout
    pairs = set()
    for line in out.splitlines()[1:]:
        name, _, rest = line.strip().partition(" (")
        if "x86-64" in rest.split(")")[0]:
            pairs.add((name, rest.split(" => ")[1]))
    return pairs


@needs_cache
@pytest.mark.skipif(shutil.which("ldconfig") is None, reason="ldconfig missing")
def test_host_cache_as_ldconfig_reads_it():
    entries = ldcache.read(HOST_CACHE)
    ours = {(e.soname, e.path) for e in entries if e.arch() == "x86_64"}
    assert ours == _ldconfig_p(HOST_CACHE)
    assert ldcache.lookup(entries, "libc.so.6", "x86_64").endswith("/libc.so.6")
    assert ldcache.lookup(entries, "libc.so.6", "arm64") is None
    # ldconfig's order is ld.so's: descending by _dl_cache_libcmp
    assert all(ldcache.libcmp(a.soname, b.soname) >= 0 for a, b in zip(entries, entries[1:]))


@pytest.mark.skipif(shutil.which("ldconfig") is None, reason="ldconfig missing")
def test_written_cache_reads_back_in_ldso_order(tmp_path):
    libs = {"libc.so.6": "/lib/x86_64-linux-gnu/libc.so.6", "libm.so.6": "/lib/x86_64-linux-gnu/libm.so.6",
            "libz.so.1": "/lib/x86_64-linux-gnu/libz.so.1", "libssl.so.3": "/usr/lib/x86_64-linux-gnu/libssl.so.3",
            "libfoo.so.10": "/opt/lib/libfoo.so.10", "libfoo.so.9": "/opt/lib/libfoo.so.9",
            "ld-linux-x86-64.so.2": "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"}
    data = ldcache.write(libs, "x86_64")
    (tmp_path / "c").write_bytes(data)
    assert _ldconfig_p(tmp_path / "c") == set(libs.items())
    entries = ldcache.parse(data)
    names = [e.soname for e in entries]
    assert names == sorted(libs, key=functools.cmp_to_key(lambda a, b: ldcache.libcmp(b, a)))
    assert names.index("libfoo.so.10") < names.index("libfoo.so.9")     # numbers compare as numbers
    assert all(e.arch() == "x86_64" for e in entries)
    assert {e.soname for e in ldcache.parse(ldcache.write(libs, "arm64")) if e.arch() == "arm64"} == set(libs)


def test_libcmp_is_glibcs():
    assert ldcache.libcmp("libc.so.6", "libc.so.6") == 0
    assert ldcache.libcmp("libfoo.so.10", "libfoo.so.9") > 0
    assert ldcache.libcmp("liba1", "libab") > 0       # a digit sorts after a letter
    assert ldcache.libcmp("libab", "liba1") < 0
    assert ldcache.libcmp("libc", "libc.so") < 0
    assert ldcache.libcmp("libc.so", "libc") > 0


def test_errors_name_the_file():
    for data, what in ((b"", "truncated header"), (b"garbage" * 10, "not a glibc-ld.so.cache1.1 file"),
                       (b"ld.so-1.7.0\0" + b"\xff\xff\xff\x00", "old-format part")):
        with pytest.raises(UserError) as e:
            ldcache.parse(data, "/x/ld.so.cache")
        assert what in str(e.value) and str(e.value).startswith("/x/ld.so.cache: ") and "ldconfig" in str(e.value)
    good = ldcache.write({"libc.so.6": "/lib/libc.so.6"}, "x86_64")
    with pytest.raises(UserError, match="run past the end"):
        ldcache.parse(good[:60], "c")
    with pytest.raises(UserError, match="runs past the end of the file"):
        ldcache.parse(good[:-3], "c")


def _real_caches() -> list[bytes]:
    """Real caches, small enough to mutate 100k times: ldconfig's own on
    this host cut to its header and a few entries (strings kept), and one
    our writer made of its entries."""
    out = []
    if HOST_CACHE.is_file():
        data = HOST_CACHE.read_bytes()
        entries = ldcache.parse(data)
        out.append(ldcache.write({e.soname: e.path for e in entries[:12] if e.arch()}, "x86_64"))
        # the real file with nlibs lowered to 6: same strings, same layout
        small = bytearray(data)
        small[20:24] = (6).to_bytes(4, "little")
        out.append(bytes(small))
    else:
        out.append(ldcache.write({"libc.so.6": "/lib/libc.so.6", "libm.so.6": "/lib/libm.so.6"}, "x86_64"))
    return out


def test_fuzz_mutated_caches():
    """≥100k mutated caches: each parses to entries or is a UserError."""
    rng = random.Random(1105)
    seeds = _real_caches()
    ok = bad = 0
    for i in range(100_000):
        seed = seeds[i % len(seeds)]
        m = bytearray(seed)
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if r < 0.6:
                at = rng.randrange(len(m)) if rng.random() < 0.5 else rng.randrange(min(len(m), 200))
                m[at] = rng.randrange(256)
            elif r < 0.8:
                at = rng.randrange(0, 48, 4)
                m[at:at + 4] = rng.choice([0, 1, 0xFFFFFFFF, 0x7FFFFFFF, len(m), rng.randrange(1 << 32)]) \
                    .to_bytes(4, "little")
            else:
                del m[rng.randrange(len(m)):]
                if not m:
                    m = bytearray(b"\0")
        try:
            for e in ldcache.parse(bytes(m), "fuzz"):
                assert isinstance(e.soname, str) and isinstance(e.path, str)
            ok += 1
        except UserError as e:
            assert str(e).startswith("fuzz: corrupt ld.so cache: ")
            bad += 1
    assert ok + bad == 100_000 and ok > 1000 and bad > 1000
