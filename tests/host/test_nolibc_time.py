"""Host tests of nolibc's time functions (os/lib/nolibc/src/time/).

- nolibc with uktime compiles warning-free with the guest flags for x86_64
  and arm64, and its time functions need from the OS only uktime's clock
  (uk_time_now_ns, uk_time_wall_ns, uk_time_freq) and uk_sleep_until_ns;
  without uktime, they call one undefined function that names the fix
  (the calendar and strftime need nothing).
- Differential test against glibc under TZ=UTC (tests/host/nolibc_time/
  harness.c; nolibc linked in with every symbol renamed nl_*):
  gmtime/localtime over random times from +-2^63 down to the edges (negative
  times, leap days, 2038, years 0 and 9999, the last representable year),
  timegm/mktime over random in- and out-of-range fields (normalisation,
  EOVERFLOW), every strftime conversion with every flag and width,
  asctime/ctime; and the clocks and sleeps over shims of uktime: clock ids,
  nanosleep's argument checks (EINVAL without sleeping) and the deadlines it
  asks uk_sleep_until_ns for. nolibc is built with UBSan in trap mode
  for this: signed overflow anywhere on the way is a failure.

tests/boot/test_libc_time.py checks that hello's image is unchanged by them
and that a program using them without uktime fails to link naming the fix.
"""
from __future__ import annotations

import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guestcc import guest_flags, library_sources, require

ROOT = Path(__file__).resolve().parents[2]
NOLIBC = ROOT / "os" / "lib" / "nolibc"
HARNESS = Path(__file__).resolve().parent / "nolibc_time" / "harness.c"
TOOLS = {"x86_64": ("gcc", "ld", "nm", "objcopy", "ARCH_X86_64"),
         "arm64": ("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-nm",
                   "aarch64-linux-gnu-objcopy", "ARCH_ARM64")}
PACKAGE = {"x86_64": "gcc", "arm64": "gcc-aarch64-linux-gnu"}
TIME_SOURCES = {"calendar.c", "strftime.c", "clock.c", "sleep.c"}
# What nolibc may take from the OS besides what test_nolibc.py allows.
UKTIME_API = {"uk_time_now_ns", "uk_time_wall_ns", "uk_time_freq", "uk_sleep_until_ns"}


def build(arch: str, out: Path, symbols: set[str], extra_cflags=()) -> Path:
    """nolibc as the tool would build it with these Kconfig symbols (plus
    extra_cflags), as one `ld -r` object."""
    cc, ld, _, _, archsym = TOOLS[arch]
    require(cc, PACKAGE[arch])
    out.mkdir(parents=True, exist_ok=True)
    symbols = symbols | {archsym}
    header = out / "config.h"
    header.write_text("".join(f"#define CONFIG_{s} 1\n" for s in sorted(symbols)))
    sources, cflags = library_sources(NOLIBC, symbols)
    incs = [f"-I{ROOT / 'os' / 'lib' / lib / 'include'}" for lib in ("nolibc", "uktime", "ukalloc", "ukboot")]
    jobs, objs = [], []
    for i, src in enumerate(sources):
        obj = out / f"{i:02d}_{src.stem}.o"
        jobs.append([cc, *guest_flags(arch), "-include", str(header), *incs, '-D__LIBNAME__="nolibc"',
                     *cflags, *extra_cflags, "-c", str(src), "-o", str(obj)])
        objs.append(obj)
    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(lambda c: subprocess.run(c, capture_output=True, text=True), jobs))
    errors = [f"$ {' '.join(c)}\n{r.stdout}{r.stderr}" for c, r in zip(jobs, results)
              if r.returncode or r.stderr.strip()]
    assert not errors, "\n".join(errors)
    lib = out / "libnolibc.o"
    subprocess.run([ld, "-r", "-o", str(lib), *map(str, objs)], check=True)
    return lib


def undefined(obj: Path, arch: str) -> set[str]:
    out = subprocess.run([TOOLS[arch][2], "-u", str(obj)], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("arch", sorted(TOOLS))
def test_time_sources_build_clean_and_need_only_uktime(arch, tmp_path):
    lib = build(arch, tmp_path, {"LIBNOLIBC", "LIBUKTIME"})
    sources, _ = library_sources(NOLIBC, {"LIBNOLIBC", "LIBUKTIME"})
    assert TIME_SOURCES <= {s.name for s in sources}
    need = undefined(lib, arch)
    assert UKTIME_API <= need, sorted(need)
    extra = need - UKTIME_API - {"ukplat_cout", "ukplat_halt", "uk_crash", "_GLOBAL_OFFSET_TABLE_",
                                 "arch_jmp_save", "arch_jmp_resume"}        # setjmp's (os/arch)
    assert not extra, f"nolibc with time ({arch}) needs {sorted(extra)}"


def test_without_uktime_a_time_function_names_the_fix(tmp_path):
    """Without uktime the clocks and sleeps call one undefined function whose
    name says what to add; the calendar and strftime need nothing."""
    lib = build("x86_64", tmp_path, {"LIBNOLIBC"})
    need = undefined(lib, "x86_64")
    assert "nolibc_time_needs_uktime__add_uktime_to_libraries" in need
    assert not {s for s in need if s.startswith("uk_time") or "sleep" in s}


@pytest.fixture(scope="module")
def harness(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("nolibc_time")
    # UBSan in trap mode (no runtime to link): an overflow or a bad shift
    # anywhere in the calendar or strftime kills the harness
    lib = build("x86_64", d / "guest", {"LIBNOLIBC", "LIBUKTIME"},
                extra_cflags=["-fsanitize=undefined", "-fsanitize-undefined-trap-on-error"])
    prefixed = d / "nolibc_prefixed.o"
    subprocess.run(["objcopy", "--prefix-symbols=nl_", str(lib), str(prefixed)], check=True)
    exe = d / "harness"
    # --gc-sections: only what the harness calls has to link (the rest of
    # nolibc needs ukalloc/ukboot, not under test here)
    subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Werror", "-Wno-format-truncation",
                    "-no-pie", "-Wl,--gc-sections", str(HARNESS), str(prefixed), "-o", str(exe)], check=True)
    return exe


RESULT = re.compile(r"^RESULT (\w+) checks=(\d+) failures=(\d+)$", re.M)


@pytest.mark.parametrize("group,min_checks", [
    ("gmtime", 1500000), ("mktime", 1200000), ("strftime", 4000000), ("asctime", 100000), ("clock", 90),
])
def test_against_glibc(harness, group, min_checks):
    p = subprocess.run([str(harness), group], capture_output=True, text=True, timeout=120)
    m = RESULT.search(p.stdout)
    assert m, f"no RESULT line (rc {p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-2000:]}"
    checks, failures = int(m.group(2)), int(m.group(3))
    assert failures == 0 and p.returncode == 0, p.stdout[-6000:]
    assert checks >= min_checks, f"only {checks} checks ran"
