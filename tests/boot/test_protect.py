"""Memory protection and crash reports, on every runnable target (issue 6,
section 1): W^X (a write to code, a write to .rodata, a call into the heap),
the stack guard page (infinite recursion, and a guard page made with the
API the threads will use), the stack protector (a smashed buffer), and
backtraces that name the call sites.

One image per target, built once from a copy of tests/fixtures/protect in a
temporary folder (hermetic), run once per mode: the fixture takes the mode
as its argument. Every case must end in a crash report naming the faulting
function, with exit status 255.
"""
import re
import shutil

import pytest
from elftools.elf.elffile import ELFFile

from conftest import uniforge, REPO
from uniforge.symbolize import Symbolizer

X86_VM = ["qemu/x86_64", "microvm/x86_64"]
ARM = ["qemu/arm64", "raspi3b/arm64", "zcu102/arm64"]
TARGETS = ["linuxu/x86_64"] + X86_VM + ARM
FIXTURE = REPO / "tests" / "fixtures" / "protect"
TIMEOUT = "60"

pytestmark = pytest.mark.boot

# What the UK-CRASH line must say, per mode and kind of target.
WORDS = {
    "write-text": {"linuxu": "segmentation fault", "x86": "write to a read-only page",
                   "arm": "write, permission fault"},
    "write-rodata": {"linuxu": "segmentation fault", "x86": "write to a read-only page",
                     "arm": "write, permission fault"},
    "exec-heap": {"linuxu": "segmentation fault", "x86": "execute of a no-execute page",
                  "arm": "instruction abort"},
    "overflow": {k: "stack overflow" for k in ("linuxu", "x86", "arm")},
    "smash": {k: "stack smashing detected" for k in ("linuxu", "x86", "arm")},
    "guard-page": {k: "stack overflow" for k in ("linuxu", "x86", "arm")},
}
# The function the report must name, and in which frames.
FUNCTION = {
    "write-text": ("write_text", 0),       # frame 0: the faulting pc
    "write-rodata": ("write_rodata", 0),
    "exec-heap": ("exec_heap", 1),         # frame 0 is the heap; 1 the call into it
    "overflow": ("recurse", 0),
    "smash": ("smash", None),              # __stack_chk_fail's caller, any frame
    "guard-page": ("touch_guard", 0),      # a guard page made by ukplat_stack_guard()
}


def kind(target):
    return "linuxu" if target.startswith("linuxu") else "arm" if target.endswith("arm64") else "x86"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("protect") / "protect"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("mode", list(WORDS))
@pytest.mark.parametrize("target", TARGETS)
def test_protection_fault_is_a_crash_report(app, target, mode):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", mode, timeout=600)
    assert f"protect: {mode}" in r.out, r.text
    assert f"survived {mode}" not in r.out, r.text
    assert r.rc == 255, r.text
    crash = re.search(r"^UK-CRASH (.*)$", r.out, re.M)
    assert crash, r.text
    assert WORDS[mode][kind(target)] in crash.group(1), r.text
    assert "UK-CRASH-END" in r.out
    bt = [l for l in r.out.splitlines() if l.startswith("UK-BT #")]
    name, frame = FUNCTION[mode]
    if frame is None:
        assert any(f" in {name}+" in l for l in bt), r.text
    else:
        assert len(bt) > frame and f" in {name}+" in bt[frame], r.text
    if mode == "exec-heap":
        assert any(" in main+" in l for l in bt[2:]), r.text
    if mode == "overflow":
        assert "double fault" not in r.out and "recursive" not in r.out, r.text
    if mode == "guard-page":
        assert "guard: 0" in r.out, r.text


@pytest.mark.parametrize("target", ["qemu/arm64", "qemu/x86_64"])
def test_return_frames_show_the_call_site(app, target):
    """Frames after the first are shown at their call instruction: on arm64
    4 bytes before the return address, so every offset is a multiple of 4."""
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "exec-heap", timeout=600)
    assert r.rc == 255, r.text
    assert not re.search(r"^UK-BT 0x", r.out, re.M)     # the runner symbolised every frame
    frames = re.findall(r"^UK-BT #(\d+) 0x([0-9a-f]+) in (\w+)\+0x([0-9a-f]+)", r.out, re.M)
    assert [f[2] for f in frames[:2]] == ["exec_heap", "main"], r.text
    dbg = next((app / ".uniforge" / "build").glob(f"{target.replace('/', '-')}/*.dbg"))
    sym = Symbolizer(dbg)
    try:
        for _, addr, func, off in frames:
            addr, off = int(addr, 16), int(off, 16)
            loc = sym.lookup(addr)
            assert (loc.function, loc.offset) == (func, off)   # the printed address is the call
            if target.endswith("arm64"):
                assert off % 4 == 0, r.text
            # a call instruction of some length ends where its return address is
            assert any(sym.call_site(addr + n) == addr for n in (2, 3, 4, 5, 6)), (addr, r.text)
    finally:
        sym.close()


def test_stack_protector_is_a_kconfig_choice(app):
    """On by default (strong); off leaves no canary in the image."""
    def symbols(*sets):
        args = [a for s in sets for a in ("--set", s)]
        b = uniforge("build", app, "-t", "linuxu/x86_64", *args)
        assert b.rc == 0, b.out + b.err
        path = re.search(r"^(\S+) \(", b.out, re.M).group(1)
        with open(path + ".dbg", "rb") as f:
            symtab = ELFFile(f).get_section_by_name(".symtab")
            return {sym.name for sym in symtab.iter_symbols()}
    assert {"__stack_chk_fail", "uk_stack_chk_init"} <= symbols()
    assert "__stack_chk_fail" not in symbols("CONFIG_STACK_PROTECTOR_NONE=y")
    assert "__stack_chk_fail" in symbols("CONFIG_STACK_PROTECTOR_ALL=y")
