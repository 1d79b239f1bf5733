"""Host tests of nolibc (os/lib/nolibc), the in-tree C library.

- Every nolibc source (and its in-guest tests) compiles warning-free with the
  guest flags for x86_64 and arm64, and the partially linked library needs
  nothing from outside but the platform/ukalloc/ukboot/uktest API: no libgcc
  helper (soft-float, 128-bit division) and no stray libc call.
- Differential test against glibc: nolibc is built with the guest flags,
  linked into one object with `ld -r`, and every symbol renamed nl_* with
  `objcopy --prefix-symbols`, so tests/host/nolibc/harness.c (a plain glibc
  program) compares nl_snprintf with snprintf, nl_strtol with strtol, ...
  over tens of thousands of cases, and checks the exit/abort/assert paths
  through shims of the platform functions.
- The in-guest uktest suite (os/lib/nolibc/tests/*.c) runs on the host
  through the same renamed object, with uktest's own runner.
- errno numbers are Linux's; a printf-only image stays small.
"""
from __future__ import annotations

import platform
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from guestcc import guest_flags, library_sources as tool_library_sources, ran_cases, registered_cases

ROOT = Path(__file__).resolve().parents[2]
NOLIBC = ROOT / "os" / "lib" / "nolibc"
HOST = Path(__file__).resolve().parent / "nolibc"
UKTEST = ROOT / "os" / "lib" / "uktest"

# The guest flags come from guestcc (the tool's own, plus -Werror).
ARCHES = {
    "x86_64": ("gcc", "ld", "objcopy", "ARCH_X86_64"),
    "arm64": ("aarch64-linux-gnu-gcc", "aarch64-linux-gnu-ld", "aarch64-linux-gnu-objcopy", "ARCH_ARM64"),
}
HOST_ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}[platform.machine()]
CONFIG = {"LIBNOLIBC", "LIBNOLIBC_TESTS", "LIBNOLIBC_PRINTF_FLOAT", "LIBUKALLOC", "LIBUKBOOT",
          "LIBUKTEST"}
# What nolibc may take from the rest of the OS; anything else is a bug.
ALLOWED_UNDEFINED = {
    "ukplat_cout", "ukplat_halt", "uk_crash", "ukboot_shutdown", "ukboot_run_fini",
    "uk_alloc_get_default", "uk_malloc", "uk_calloc", "uk_realloc", "uk_free",
    "uk_memalign", "uk_posix_memalign",
    "uktest_fail", "uktest_fail_eq",
    # setjmp/longjmp tail-jump into the architecture's saved context
    # (uk/arch_jmp.h, os/arch/<arch>/jmp.S: the guest fixture links it)
    "arch_jmp_save", "arch_jmp_resume",
    # the clocks and sleeps built without uktime (src/time/uktime.h): a
    # program using one fails to link naming the fix; test_nolibc_time.py
    # tests them with uktime
    "nolibc_time_needs_uktime__add_uktime_to_libraries",
    # defined by the linker itself: x86_64 initial-exec accesses to the
    # thread-local errno (errno@gottpoff) name it
    "_GLOBAL_OFFSET_TABLE_",
}


def library_sources(symbols: set[str]) -> tuple[list[Path], list[str]]:
    """Sources and cflags of library.toml with the `if` conditions evaluated
    (by the tool's own parser, through guestcc)."""
    return tool_library_sources(NOLIBC, symbols)


def compile_all(jobs: list[list[str]]) -> None:
    def run(cmd):
        return subprocess.run(cmd, capture_output=True, text=True)

    with ThreadPoolExecutor(max_workers=8) as ex:
        results = list(ex.map(run, jobs))
    errors = [f"$ {' '.join(cmd)}\n{r.stdout}{r.stderr}" for cmd, r in zip(jobs, results)
              if r.returncode or r.stderr.strip()]
    assert not errors, "\n".join(errors)


def build_guest(arch: str, out: Path, extra: list[Path] = (), config: set[str] = CONFIG,
                only: set[str] | None = None) -> Path:
    """nolibc (+ tests, + extra guest-side files) for arch, as one ld -r object.
    config: the CONFIG_* symbols set; only: build just these source names."""
    cc, ld, _, archsym = ARCHES[arch]
    if not shutil.which(cc):
        pytest.fail(f"{cc} is not installed (./dev setup installs it)")
    out.mkdir(parents=True, exist_ok=True)
    (out / "include" / "uk").mkdir(parents=True, exist_ok=True)
    symbols = config | {archsym}
    (out / "include" / "uk" / "config.h").write_text(
        "".join(f"#define CONFIG_{s} 1\n" for s in sorted(symbols)))
    sources, cflags = library_sources(symbols)
    if only is not None:
        sources = [s for s in sources if s.name in only]
    incs = ["-I", str(ROOT / "os" / "include")]
    for lib in ("nolibc", "ukalloc", "ukboot", "uktest"):
        incs += ["-I", str(ROOT / "os" / "lib" / lib / "include")]
    jobs, objs = [], []
    for i, src in enumerate([*sources, *extra]):
        libname = "uktest" if src.is_relative_to(UKTEST) else "nolibc"
        obj = out / f"{i:02d}_{src.stem}.o"
        jobs.append([cc, *guest_flags(arch), "-include",
                     str(out / "include" / "uk" / "config.h"), *incs, f'-D__LIBNAME__="{libname}"',
                     *cflags, "-c", str(src), "-o", str(obj)])
        objs.append(obj)
    compile_all(jobs)
    lib = out / "libnolibc.o"
    subprocess.run([ld, "-r", "-o", str(lib), *map(str, objs)], check=True)
    return lib


def undefined(obj: Path, arch: str) -> set[str]:
    nm = "nm" if arch == HOST_ARCH else "aarch64-linux-gnu-nm"
    out = subprocess.run([nm, "-u", str(obj)], capture_output=True, text=True, check=True).stdout
    return {line.split()[-1] for line in out.splitlines() if line.strip()}


@pytest.fixture(scope="module")
def guest(tmp_path_factory):
    """guest(arch) -> nolibc + its tests + uktest's runner + guest_side.c + the
    architecture's saved contexts (setjmp's), built
    once per arch with the guest flags into one ld -r object."""
    built: dict[str, Path] = {}

    def get(arch: str) -> Path:
        if arch not in built:
            built[arch] = build_guest(arch, tmp_path_factory.mktemp(f"guest-{arch}"),
                                      extra=[UKTEST / "runner.c", HOST / "guest_side.c",
                                             ROOT / "os" / "arch" / arch / "jmp.S"])
        return built[arch]
    return get


@pytest.mark.parametrize("arch", sorted(ARCHES))
def test_guest_build_is_clean_and_self_contained(guest, arch):
    lib = guest(arch)
    extra = undefined(lib, arch) - ALLOWED_UNDEFINED - {"uk_testtab_start", "uk_testtab_end"}
    assert not extra, f"nolibc ({arch}) needs symbols nobody provides: {sorted(extra)}"


def test_minimal_config_builds(tmp_path):
    """Without ukalloc, ukboot and float printf, the files that depend on them
    still compile cleanly and reach for nothing else."""
    arch = HOST_ARCH
    lib = build_guest(arch, tmp_path, config={"LIBNOLIBC"},
                      only={"vformat.c", "malloc.c", "exit.c", "printf.c"})
    nolibc_own = {"strlen", "strnlen", "memcpy", "strerror", "errno"}
    extra = (undefined(lib, arch) - {"ukplat_cout", "ukplat_halt", "uk_crash", "_GLOBAL_OFFSET_TABLE_"}
             - nolibc_own)
    assert not extra, f"minimal nolibc ({arch}) needs {sorted(extra)}"


@pytest.fixture(scope="module")
def harness(guest, tmp_path_factory) -> Path:
    """The glibc harness linked with the nl_-prefixed nolibc object."""
    d = tmp_path_factory.mktemp("nolibc")
    lib = guest(HOST_ARCH)
    objcopy = ARCHES[HOST_ARCH][2]
    prefixed = d / "nolibc_prefixed.o"
    subprocess.run([objcopy, "--prefix-symbols=nl_", str(lib), str(prefixed)], check=True)
    exe = d / "harness"
    # -Wno-format: the harness feeds both printfs odd formats on purpose
    subprocess.run(["gcc", "-std=gnu11", "-O1", "-g", "-Wall", "-Wextra", "-Wno-unused-parameter",
                    "-Werror", "-Wno-format", "-no-pie", str(HOST / "harness.c"), str(prefixed),
                    "-Wl,-T," + str(HOST / "testtab.ld"), "-lm", "-o", str(exe)], check=True)
    return exe


RESULT = re.compile(r"^RESULT (\w+) checks=(\d+) failures=(\d+)$", re.M)


@pytest.mark.parametrize("group,min_checks", [
    ("printf", 100000), ("strtol", 10000), ("string", 300000), ("ctype", 3800),
    ("qsort", 6000), ("stdlib", 40), ("console", 12), ("headers", 50),
])
def test_differential(harness, group, min_checks):
    p = subprocess.run([str(harness), group], capture_output=True, text=True, timeout=60)
    m = RESULT.search(p.stdout)
    assert m, f"no RESULT line (rc {p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-2000:]}"
    checks, failures = int(m.group(2)), int(m.group(3))
    assert failures == 0 and p.returncode == 0, p.stdout[-6000:]
    assert checks >= min_checks, f"only {checks} checks ran"


def test_in_guest_suite_on_host(harness):
    p = subprocess.run([str(harness), "uktest"], capture_output=True, text=True, timeout=60)
    m = re.search(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)$", p.stdout, re.M)
    assert m, f"no UK-TEST-RESULT line (rc {p.returncode}):\n{p.stdout}\n{p.stderr}"
    total, failed = int(m.group(1)), int(m.group(3))
    assert failed == 0 and p.returncode == 0, p.stdout
    suites = set(re.findall(r"^UK-TEST ok (\w+)\.", p.stdout, re.M))
    assert {"nolibc_string", "nolibc_ctype", "nolibc_stdlib", "nolibc_stdio"} <= suites
    expected = registered_cases(harness)
    assert ran_cases(p.stdout) == expected and total == len(expected), p.stdout
    # the console tests' own output came through nl_printf -> ukplat_cout
    assert "nolibc: printf works\n" in p.stdout and "nolibc: puts\n" in p.stdout


def test_errno_values_are_linux():
    ours = dict(re.findall(r"^#define (E[A-Z0-9]+)\s+(\w+)", (ROOT / "os" / "include" / "uk" / "errno.h").read_text(),
                           re.M))
    host = subprocess.run(["gcc", "-dM", "-E", "-x", "c", "-"], input="#include <errno.h>\n",
                          capture_output=True, text=True, check=True).stdout
    linux = dict(re.findall(r"^#define (E[A-Z0-9]+) (\w+)$", host, re.M))

    def value(table, name):
        v = table[name]
        return value(table, v) if v in table else int(v)

    for name in ("EPERM", "ENOENT", "EIO", "EBADF", "EAGAIN", "ENOMEM", "EACCES", "EEXIST", "EINVAL",
                 "ENOSPC", "EPIPE", "EDOM", "ERANGE", "ENOSYS", "ENOTSUP", "EOPNOTSUPP", "ETIMEDOUT",
                 "EAFNOSUPPORT", "ECONNREFUSED", "EINPROGRESS", "EWOULDBLOCK", "EOVERFLOW"):
        assert name in ours, f"errno.h lacks {name}"
    compared = 0
    for name in ours:
        if name in linux:
            assert value(ours, name) == value(linux, name), name
            compared += 1
    assert compared >= 120


def test_printf_image_is_small(guest, tmp_path):
    """A printf("hello %d") program keeps only what it uses (--gc-sections)."""
    cc, ld, _, _ = ARCHES[HOST_ARCH]
    lib = guest(HOST_ARCH)
    main = tmp_path / "hello.c"
    main.write_text('#include <stdio.h>\nint hello(int n) { return printf("hello %d\\n", n); }\n')
    subprocess.run([cc, *guest_flags(HOST_ARCH), "-I", str(NOLIBC / "include"),
                    "-c", str(main), "-o", str(tmp_path / "hello.o")], check=True)
    exe = tmp_path / "hello.elf"
    subprocess.run([ld, "--gc-sections", "-e", "hello", "--unresolved-symbols=ignore-all",
                    str(tmp_path / "hello.o"), str(lib), "-o", str(exe)], check=True)
    size = subprocess.run(["size", "-A", str(exe)], capture_output=True, text=True, check=True).stdout
    sections = {m.group(1): int(m.group(2)) for m in re.finditer(r"^(\.\S+)\s+(\d+)", size, re.M)}
    text = sections.get(".text", 0)
    ro = sections.get(".rodata", 0)
    assert 0 < text < 6 * 1024, size
    assert text + ro < 8 * 1024, size
