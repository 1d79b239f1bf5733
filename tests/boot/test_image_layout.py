"""Image layout (issue 6, W^X without file padding): initialised data reaches
main intact on every target. On arm64 the raw images store .data right
after rodata and start.S copies it to its own page (os/plat/arm64/arm64.lds);
the fixture's 8 KiB of .data makes where it is stored and where it runs
overlap, the case a forward copy corrupts.

One image per target, built from a copy of tests/fixtures/datainit in a
temporary folder (hermetic).
"""
import shutil

import pytest
from elftools.elf.elffile import ELFFile

from conftest import uniforge, REPO

ARM = ["qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64"] + ARM
FIXTURE = REPO / "tests" / "fixtures" / "datainit"

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("datainit") / "datainit"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_initialised_data_reaches_main(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "60", timeout=600)
    assert "UK-DATA words=2048 bad=0 first=2048" in r.out, r.text
    assert r.rc == 0, r.text


@pytest.mark.parametrize("target", ARM)
def test_arm64_data_is_stored_below_its_page_and_overlaps_it(app, target):
    """The layout the test above relies on: .data runs from a page boundary,
    is stored (LMA) below it, right after rodata, and the two ranges overlap."""
    b = uniforge("build", app, "-t", target)
    assert b.rc == 0, b.out + b.err
    dbg = next((app / ".uniforge" / "build").glob(f"{target.replace('/', '-')}*/*.dbg"))
    with open(dbg, "rb") as f:
        elf = ELFFile(f)
        data = next(s for s in elf.iter_segments()
                    if s["p_type"] == "PT_LOAD" and s["p_flags"] & 2 and s["p_filesz"])
        vma, lma, size = data["p_vaddr"], data["p_paddr"], data["p_filesz"]
        text = next(s for s in elf.iter_segments() if s["p_type"] == "PT_LOAD" and s["p_flags"] & 1)
    assert vma % 4096 == 0
    assert lma < vma < lma + size, (hex(lma), hex(vma), size)
    assert text["p_vaddr"] + text["p_memsz"] <= lma       # stored after text and rodata
    assert not text["p_flags"] & 2                        # and no page both W and X
