"""Host tests of os/lib/ukdebug: the formatter against the host libc's
snprintf, kernel message prefixes and levels, and the crash report protocol
(ARCHITECTURE.md, "Console protocol") including a symbolised backtrace.

harness.c links format.c, print.c and crash.c into a Linux process whose
"platform" writes to stdout (ukplat_cout) and exits (ukplat_halt).
"""
import platform
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from guestcc import ARCH_NAMES, compile_guest, require  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
LIB = ROOT / "os" / "lib" / "ukdebug"
SOURCES = ["format.c", "print.c", "crash.c"]

X86_REGS = ["RIP", "RSP", "RBP", "RFLAGS", "RAX", "RBX", "RCX", "RDX", "RSI",
            "RDI", "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15", "CS",
            "SS", "VECTOR", "ERROR"]


@pytest.fixture(scope="session")
def harness(tmp_path_factory):
    require("gcc", "gcc")
    out = tmp_path_factory.mktemp("ukdebug") / "harness"
    subprocess.run(
        ["gcc", "-std=gnu11", "-Os", "-g", "-fno-omit-frame-pointer", "-no-pie",
         "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
         "-include", str(HERE / "config.h"),
         "-I", str(ROOT / "os" / "include"), "-I", str(LIB / "include"),
         '-D__LIBNAME__="harness"',
         *[str(LIB / s) for s in SOURCES], str(HERE / "harness.c"),
         "-o", str(out)],
        check=True)
    return out


def run(harness, scenario):
    p = subprocess.run([str(harness), scenario], capture_output=True, text=True,
                       timeout=30)
    return p.returncode, p.stdout


def symbolise(binary, addrs):
    """Function names for the UK-BT addresses (return addresses: addr - 1)."""
    require("addr2line", "binutils")
    out = subprocess.run(["addr2line", "-f", "-e", str(binary),
                          *[hex(a) for a in addrs]],
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()[0::2]


def parse_report(out):
    """The crash report lines, checked against the protocol grammar."""
    lines = out.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("UK-CRASH "))
    end = lines.index("UK-CRASH-END", start)
    report = lines[start:end + 1]
    body = report[1:-1]
    regs = [l for l in body if l.startswith("UK-REGS ")]
    bts = [l for l in body if l.startswith("UK-BT ")]
    assert body == regs + bts, "UK-REGS lines first, then UK-BT lines, nothing else"
    for l in regs:
        assert re.fullmatch(r"UK-REGS( [A-Z0-9]+=0x[0-9a-f]+)+", l), l
    for l in bts:
        assert re.fullmatch(r"UK-BT 0x[0-9a-f]+", l), l
    reg = dict(kv.split("=") for l in regs for kv in l.split()[1:])
    return report[0][len("UK-CRASH "):], reg, [int(l.split()[1], 16) for l in bts]


def test_format_matches_libc(harness):
    rc, out = run(harness, "format")
    assert rc == 0, out
    m = re.search(r"format checks=(\d+) failures=0", out)
    assert m and int(m.group(1)) > 10000


def test_printk_prefix_and_levels(harness):
    rc, out = run(harness, "printk")
    assert rc == 0
    lines = out.splitlines()
    assert lines[:4] == ["[crit] harness: crit 1", "[err] harness: err two",
                         "[warn] harness: warn 0x3", "plain printk"]
    assert "info" not in out and "debug" not in out   # level 3 = warn
    assert lines[4] == "long:" + "x" * 999 + ":end"   # flushed, not truncated
    assert lines[5] == "[?] ?: odd level"


@pytest.mark.parametrize("scenario,reason", [
    ("assert", re.compile(r"assertion failed: x == 42 \(.*harness\.c:\d+\)")),
    ("crash", re.compile(r"explicit crash")),
    ("crashf", re.compile(r"formatted reason 8 end")),   # one line, trimmed
])
def test_crash_report_without_registers(harness, scenario, reason):
    rc, out = run(harness, scenario)
    assert rc == 255
    assert out.startswith("\nUK-CRASH ")
    got_reason, regs, bts = parse_report(out)
    assert reason.fullmatch(got_reason), got_reason
    assert regs == {}
    # the innermost frame is the crash site, not ukdebug's own functions
    names = symbolise(harness, [a - 1 for a in bts])
    assert names[:4] == ["level3", "level2", "level1", "main"], names
    assert len(bts) <= 32


@pytest.mark.skipif(platform.machine() != "x86_64", reason="x86_64 host only")
def test_crash_report_with_registers(harness):
    rc, out = run(harness, "segv")
    assert rc == 255
    reason, regs, bts = parse_report(out)
    assert reason == "page fault"
    assert list(regs) == X86_REGS
    assert all(len(v) == 18 for v in regs.values())   # 0x + 16 digits
    assert bts[0] == int(regs["RIP"], 16)             # the faulting pc first
    names = symbolise(harness, [bts[0]] + [a - 1 for a in bts[1:]])
    assert names[:4] == ["level3", "level2", "level1", "main"], names


def test_recursive_crash(harness):
    rc, out = run(harness, "recursive")
    assert rc == 255
    lines = out.splitlines()
    assert "UK-CRASH first crash" in lines
    assert lines[-2:] == ["UK-CRASH recursive", "UK-CRASH-END"]


def test_long_reason_is_cut(harness):
    rc, out = run(harness, "longreason")
    assert rc == 255
    reason, _, _ = parse_report(out)
    assert reason == "r" * 159


CONFIGS = {
    "default": "#define CONFIG_LIBUKDEBUG 1\n#define CONFIG_LIBUKDEBUG_PRINT_LEVEL 3\n"
               "#define CONFIG_LIBUKDEBUG_ENABLE_ASSERT 1\n#define CONFIG_LIBUKDEBUG_TESTS 1\n"
               "#define CONFIG_LIBUKLIBPARAM 1\n",
    "quiet": "#define CONFIG_LIBUKDEBUG 1\n#define CONFIG_LIBUKDEBUG_PRINT_LEVEL 1\n"
             "#define CONFIG_LIBUKDEBUG_TESTS 1\n",
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
@pytest.mark.parametrize("arch", ARCH_NAMES)
def test_guest_flags_compile_warning_free(tmp_path, arch, config):
    objs = compile_guest(arch, [LIB / s for s in SOURCES + ["tests/test_ukdebug.c"]], out_dir=tmp_path,
                         libname="ukdebug", config=CONFIGS[config],
                         includes=[LIB / "include", ROOT / "os" / "lib" / "uktest" / "include",
                                   ROOT / "os" / "lib" / "uklibparam" / "include"])
    # the crash path must not need a libc: only platform symbols (and the
    # uktest API from the test file) may be undefined, and ukdebug's own
    # formatter and uk_printk (print.c, checked here too: crash.c prints
    # through it); memcpy only for the va_copy of uk_vprintk on arm64, which
    # --gc-sections drops when unused
    nm = require("aarch64-linux-gnu-nm" if arch == "arm64" else "nm",
                 "binutils-aarch64-linux-gnu" if arch == "arm64" else "binutils")
    for obj in objs[:3]:
        undef = set(subprocess.run([nm, "-u", str(obj)], capture_output=True,
                                   text=True, check=True).stdout.split()) - {"U"}
        allowed = {"ukplat_cout", "ukplat_halt", "ukd_vformat", "uk_printk"}
        if arch == "arm64" and obj.name.endswith("-print.c.o"):
            allowed.add("memcpy")
        assert undef <= allowed, (obj.name, undef - allowed)
