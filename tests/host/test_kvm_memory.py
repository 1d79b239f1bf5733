"""Host test of os/plat/kvm/memory.c, the free-memory map of the x86
QEMU/KVM platform: tests/host/kvm/memory_check.c reserves random boot
information, adds random RAM ranges the way the Multiboot and PVH parsers
do, and compares the resulting UKPLAT_MEMR_FREE regions with a page model,
under ASan/UBSan.
"""
import subprocess
from pathlib import Path

import pytest

from guestcc import require

ROOT = Path(__file__).resolve().parents[2]
KVM = ROOT / "os" / "plat" / "kvm"
HERE = Path(__file__).resolve().parent / "kvm"

FLAGS = [
    "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
    "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
    "-I", str(KVM), "-I", str(ROOT / "os" / "include"),
    "-I", str(ROOT / "os" / "arch" / "x86_64" / "include"),
]


@pytest.fixture(scope="module")
def checker(tmp_path_factory):
    require("gcc", "gcc")      # a failure naming the package, never a skip
    out = tmp_path_factory.mktemp("kvm") / "memory_check"
    subprocess.run(["gcc", *FLAGS, str(HERE / "memory_check.c"), str(KVM / "memory.c"),
                    "-o", str(out)], check=True)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_free_regions_match_the_page_model(checker, seed):
    proc = subprocess.run([str(checker), str(seed), "3000"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "memory ok" in proc.stdout
