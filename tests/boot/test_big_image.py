"""Images larger than 2 MiB on the x86 VM targets (redis is one): the boot
page tables map the whole image with 4 KiB pages, however many 2 MiB it
takes (os/plat/kvm/trampoline.S, kvm_pt_tables), and keep it W^X.

tests/fixtures/bigimage has 3 MiB of text and 3 MiB of rodata: code at
the text's end runs, the rodata's end reads, and writes to either end in
the crash report of a write to a read-only page. Before, such an image
did not link ("text, rodata and the boot stack guard must be in the first
2 MiB").
"""
import re
import shutil

import pytest

from conftest import REPO, uniforge

pytestmark = pytest.mark.boot

TARGETS = ["qemu/x86_64", "microvm/x86_64"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("bigimage") / "bigimage"
    shutil.copytree(REPO / "tests" / "fixtures" / "bigimage", d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_a_6mib_image_runs_past_2mib(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "60", "--", "run", timeout=600)
    assert r.rc == 0 and "bigimage: ok" in r.out, r.text
    m = re.search(r"text_end=0x([0-9a-f]+) rodata_end=0x([0-9a-f]+)", r.out)
    assert m and int(m[1], 16) > 0x300000 and int(m[2], 16) > 0x500000, r.text


@pytest.mark.parametrize("mode", ["write-text", "write-rodata"])
@pytest.mark.parametrize("target", TARGETS)
def test_the_end_of_a_big_image_is_read_only(app, target, mode):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", "60", "--", mode, timeout=600)
    assert f"survived {mode}" not in r.out, r.text
    assert r.rc == 255, r.text
    crash = re.search(r"^UK-CRASH (.*)$", r.out, re.M)
    assert crash and "write to a read-only page" in crash[1], r.text
    assert re.search(r"^UK-BT #0 0x[0-9a-f]+ in main\+", r.out, re.M), r.text
