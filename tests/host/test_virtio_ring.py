"""Host tests for the split virtqueue of os/drivers/virtio (virtq.c, with
core.c for the device's error), against a device that may be buggy or
hostile: tests/host/virtio/harness.c plays the device over the rings'
memory (well-formed used entries, arbitrary ids, lengths and used
indexes, scribbles over the descriptor table and available ring) and
checks every answer of the driver API against the contract of
uk/virtio.h kept in its own model (see the harness's header).

- gcc, ASan + UBSan (no recovery): pseudo-random scripts;
- the harness is sharp: virtq.c with any one of its bounds checks taken
  out (or its descriptor accounting off by one) fails it;
- libFuzzer (clang -fsanitize=fuzzer,address,undefined; Debian packages
  clang and libclang-rt-14-dev) over a million inputs.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from guestcc import require

REPO = Path(__file__).resolve().parents[2]
LIB = REPO / "os" / "drivers" / "virtio"
HARNESS = Path(__file__).resolve().parent / "virtio" / "harness.c"
FUZZ_RUNS = 1_000_000


def cflags(virtq: Path) -> list[str]:
    return ["-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Werror",
            "-fno-sanitize-recover=all", "-I", str(REPO / "os" / "include"),
            "-I", str(LIB / "include"), "-I", str(REPO / "os" / "lib" / "ukalloc" / "include"),
            "-I", str(LIB), str(virtq), str(LIB / "core.c"), str(HARNESS)]


def build(tmp_path: Path, virtq: Path = LIB / "virtq.c", name: str = "harness") -> Path:
    gcc = require("gcc", "gcc")
    exe = tmp_path / name
    subprocess.run([gcc, "-fsanitize=address,undefined", *cflags(virtq), "-o", str(exe)],
                   check=True)
    return exe


def test_random_scripts_keep_the_contract(tmp_path):
    exe = build(tmp_path)
    for seed in (1, 2):
        p = subprocess.run([str(exe), "-random", "20000", str(seed)], capture_output=True,
                           text=True, timeout=600)
        assert p.returncode == 0 and "ran 20000 scripts" in p.stdout, p.stderr[-3000:]


# Each breaks one promise of virtq.c; the harness must notice every one.
MUTANTS = {
    "no length check": ("if (ulen > c->in_bytes) {", "if (0) {"),
    "no count check": ("if (n > vq->inflight) {", "if (0) {"),
    "no in-flight check": ("if (id >= vq->size || !vq->chain[id].cookie) {", "if (id >= vq->size) {"),
    "no range check": ("if (id >= vq->size || !vq->chain[id].cookie) {", "if (!vq->chain[id].cookie) {"),
    "writable bytes off by one": ("vq->chain[head].in_bytes = in_bytes;",
                                  "vq->chain[head].in_bytes = in_bytes + 1;"),
    "descriptors lost": ("vq->nfree = (uint16_t)(vq->nfree + c->ndesc);",
                         "vq->nfree = (uint16_t)(vq->nfree + c->ndesc - (c->ndesc > 2));"),
    "notify despite NO_NOTIFY": ("if (!(vq->used->flags & VIRTQ_USED_F_NO_NOTIFY) && vq->dev->ops)",
                                 "if (vq->dev->ops)"),
}


@pytest.mark.parametrize("mutant", sorted(MUTANTS))
def test_harness_catches_a_broken_ring(mutant, tmp_path):
    old, new = MUTANTS[mutant]
    src = (LIB / "virtq.c").read_text()
    assert src.count(old) == 1, f"virtq.c changed: update the mutant {mutant!r}"
    bad = tmp_path / "virtq.c"
    bad.write_text(src.replace(old, new))
    exe = build(tmp_path, bad, "mutant")
    p = subprocess.run([str(exe), "-random", "20000", "1"], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode != 0, f"the harness missed: {mutant}"
    assert "check failed" in p.stderr or "Sanitizer" in p.stderr, p.stderr[-3000:]


def test_fuzz_a_million_inputs(tmp_path):
    """libFuzzer over >= 1M scripts (the ring sizes 1-256, up to 512 bytes)."""
    clang = require("clang", "clang")
    exe = tmp_path / "fuzz"
    p = subprocess.run([clang, "-DFUZZ", "-fsanitize=fuzzer,address,undefined",
                        *cflags(LIB / "virtq.c"), "-o", str(exe)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr + "\n(libFuzzer: Debian packages clang and libclang-rt-14-dev)"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    r = subprocess.run([str(exe), f"-runs={FUZZ_RUNS}", "-max_len=512", "-seed=1",
                        "-print_final_stats=1", str(corpus)],
                       capture_output=True, text=True, timeout=1200, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-4000:]
    assert f"Done {FUZZ_RUNS} runs" in r.stderr, r.stderr[-2000:]
