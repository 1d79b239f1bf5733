"""Host tests of the allocators: os/lib/ukalloc (API, statistics, generic
fallbacks), os/lib/ukallocregion and os/lib/ukallocbuddy, compiled with the
host gcc against glibc, under AddressSanitizer/UBSan.

- The in-guest suite os/lib/ukalloc/tests/test_alloc.c runs unchanged against
  each backend through tests/host/alloc/harness.c (a 4 MiB region taken from
  the host heap; "generic" is a malloc/free/getsize-only backend that
  exercises alloc.c's generic memalign/realloc/palloc).
- tests/host/alloc/stress_buddy.c: the buddy allocator's randomised stress
  test (pattern-checked blocks, invariant checks, full recovery).
- Every allocator source compiles warning-free with the guest flags for
  x86_64 and arm64.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from guestcc import guest_compiler, ran_cases, registered_cases, require

ROOT = Path(__file__).resolve().parents[2]
HOST = Path(__file__).resolve().parent / "alloc"
ALLOC = ROOT / "os" / "lib" / "ukalloc"
SOURCES = {
    "ukalloc": ALLOC / "alloc.c",
    "ukallocregion": ROOT / "os" / "lib" / "ukallocregion" / "region.c",
    "ukallocbuddy": ROOT / "os" / "lib" / "ukallocbuddy" / "buddy.c",
}

HOST_FLAGS = [
    "-std=gnu11", "-g", "-O1", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror",
    "-fsanitize=address,undefined", "-fno-sanitize-recover=all",
    "-DCONFIG_LIBUKDEBUG_ENABLE_ASSERT=1", '-D__LIBNAME__="host"',
    "-I", str(ROOT / "os" / "include"), "-I", str(ALLOC / "include"),
    "-I", str(ROOT / "os" / "lib" / "uktest" / "include"),
    "-I", str(ROOT / "os" / "lib" / "ukallocbuddy" / "include"),
    "-I", str(ROOT / "os" / "lib" / "ukallocregion" / "include"),
]
# calloc-overflow cases reach glibc's calloc too: let ASan return NULL.
ENV = dict(os.environ, ASAN_OPTIONS="allocator_may_return_null=1:detect_leaks=0")

RESULT = re.compile(r"^UK-TEST-RESULT total=(\d+) passed=(\d+) failed=(\d+)$", re.M)


def _gcc():
    require("gcc", "gcc")      # a failure naming the package, never a skip


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    _gcc()
    out = tmp_path_factory.mktemp("alloc") / "suite"
    cmd = ["gcc", *HOST_FLAGS, *map(str, SOURCES.values()),
           str(ALLOC / "tests" / "test_alloc.c"),
           str(ROOT / "os" / "lib" / "uktest" / "runner.c"),
           str(HOST / "harness.c"), "-Wl,-T," + str(HOST / "testtab.ld"), "-o", str(out)]
    subprocess.run(cmd, check=True)
    return out


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    _gcc()
    out = tmp_path_factory.mktemp("alloc") / "stress_buddy"
    cmd = ["gcc", *HOST_FLAGS, "-DUK_ALLOCBUDDY_SELFCHECK",
           str(SOURCES["ukalloc"]), str(SOURCES["ukallocbuddy"]),
           str(HOST / "stress_buddy.c"), "-o", str(out)]
    subprocess.run(cmd, check=True)
    return out


@pytest.mark.parametrize("backend", ["buddy", "region", "generic"])
def test_suite(suite, backend):
    proc = subprocess.run([str(suite), backend], capture_output=True, text=True,
                          env=ENV, timeout=60)
    out = proc.stdout + proc.stderr
    m = RESULT.search(proc.stdout)
    assert m, out
    total, passed, failed = map(int, m.groups())
    assert failed == 0 and passed == total, out
    expected = registered_cases(suite)
    assert expected and ran_cases(proc.stdout) == expected and total == len(expected), out
    assert proc.returncode == 0, out
    assert "UK-TEST FAIL" not in out


def test_suite_fails_loudly(suite):
    """A heap too small for the suite must produce failures, not a crash."""
    proc = subprocess.run([str(suite), "buddy", str(64 * 1024)], capture_output=True,
                          text=True, env=ENV, timeout=60)
    m = RESULT.search(proc.stdout)
    assert m, proc.stdout + proc.stderr
    assert int(m.group(3)) > 0 and proc.returncode == 1


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_buddy_stress(stress, seed):
    proc = subprocess.run([str(stress), str(seed), "60000"], capture_output=True,
                          text=True, env=ENV, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "stress ok" in proc.stdout


def test_backends_reject_tiny_regions(tmp_path):
    _gcc()
    src = tmp_path / "tiny.c"
    src.write_text(r"""
#include <stdio.h>
#include <stdlib.h>
#include <uk/allocbuddy.h>
#include <uk/allocregion.h>
void uk_crashf(const char *fmt, ...) { abort(); }
static char mem[3 * 4096] __attribute__((aligned(4096)));
int main(void)
{
    int bad = 0;
    bad |= uk_allocbuddy_init(mem, 16) != NULL;
    bad |= uk_allocbuddy_init(mem, 4096) != NULL;          /* no room for a page */
    bad |= uk_allocregion_init(mem, 16) != NULL;
    bad |= uk_allocbuddy_init(mem + 4096, (size_t)-4096) != NULL;   /* wraps */
    struct uk_alloc *a = uk_allocbuddy_init(mem, sizeof(mem));
    bad |= a == NULL;
    if (a) {
        bad |= uk_alloc_availmem(a) != 8192;               /* 2 pages after metadata */
        bad |= uk_alloc_addmem(a, mem, 8) != -22;
        /* (not one palloc(2): the two pages need not be buddies) */
        void *p = uk_palloc(a, 1), *q = uk_palloc(a, 1);
        bad |= !p || !q || uk_malloc(a, 1) != NULL || uk_palloc(a, 1) != NULL;
        uk_pfree(a, p, 1);
        uk_pfree(a, q, 1);
        bad |= uk_alloc_availmem(a) != 8192;
    }
    struct uk_alloc *r = uk_allocregion_init(mem, sizeof(mem));
    bad |= r == NULL || uk_alloc_addmem(r, mem, 4096) != -95;
    printf("%d\n", bad);
    return bad;
}
""")
    exe = tmp_path / "tiny"
    subprocess.run(["gcc", *HOST_FLAGS, str(SOURCES["ukalloc"]), str(SOURCES["ukallocbuddy"]),
                    str(SOURCES["ukallocregion"]), str(src), "-o", str(exe)], check=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, env=ENV, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_buddy_adopts_memory_in_use(tmp_path):
    """uk_alloc_addmem_used (ukcpio gives it the initrd, whose file pages
    ramfs keeps): the pages are in use until each is uk_pfree'd, then they
    are free memory and merge into blocks; the bookkeeping lives in the
    heap, never in the pages themselves (they hold the caller's data); the
    region allocator says -ENOTSUP."""
    _gcc()
    src = tmp_path / "used.c"
    src.write_text(r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uk/allocbuddy.h>
#include <uk/allocregion.h>
void uk_crashf(const char *fmt, ...) { abort(); }
int uk_allocbuddy_check(struct uk_alloc *a);
static char heap[64 * 4096] __attribute__((aligned(4096)));
static char used[32 * 4096] __attribute__((aligned(4096)));
int main(void)
{
    int bad = 0, i;
    struct uk_alloc *a = uk_allocbuddy_init(heap, sizeof(heap));
    size_t before = uk_alloc_availmem(a), cur = a->stats.cur_bytes;

    memset(used, 0x5a, sizeof(used));
    bad |= !uk_alloc_can_addmem_used(a);
    bad |= uk_alloc_addmem_used(a, used + 1, 4096) != -22;
    bad |= uk_alloc_addmem_used(a, used, 0) != -22;
    bad |= uk_alloc_addmem_used(a, used, sizeof(used)) != 0;
    bad |= (uk_allocbuddy_check(a) != 0) << 1;
    /* the pages are still the caller's: nothing written, none free */
    for (i = 0; i < (int)sizeof(used); i++)
        bad |= (used[i] != 0x5a) << 2;
    bad |= (uk_alloc_availmem(a) != before - 4096) << 3;   /* one page of descriptors */
    bad |= (a->stats.cur_bytes != cur + sizeof(used)) << 4;     /* as if handed out */
    /* given back one by one, odd pages first: 32 pages merge */
    for (i = 1; i < 32; i += 2)
        uk_pfree(a, used + i * 4096, 1);
    for (i = 0; i < 32; i += 2)
        uk_pfree(a, used + i * 4096, 1);
    bad |= (uk_allocbuddy_check(a) != 0) << 5;
    bad |= (uk_alloc_availmem(a) != before - 4096 + sizeof(used)) << 6;
    bad |= (a->stats.cur_bytes != cur) << 7;
    void *big = uk_palloc(a, 32);       /* the pages serve as any free memory */
    bad |= (big == NULL) << 8;
    uk_pfree(a, big, 32);
    bad |= (uk_allocbuddy_check(a) != 0) << 9;
    struct uk_alloc *r = uk_allocregion_init(heap, sizeof(heap));
    bad |= (uk_alloc_can_addmem_used(r) || uk_alloc_addmem_used(r, used, 4096) != -95) << 10;
    printf("%d\n", bad);
    return bad != 0;
}
""")
    exe = tmp_path / "used"
    subprocess.run(["gcc", *HOST_FLAGS, "-DUK_ALLOCBUDDY_SELFCHECK", str(SOURCES["ukalloc"]),
                    str(SOURCES["ukallocbuddy"]), str(SOURCES["ukallocregion"]), str(src), "-o", str(exe)],
                   check=True)
    proc = subprocess.run([str(exe)], capture_output=True, text=True, env=ENV, timeout=30)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("arch", ["x86_64", "arm64"])
def test_guest_flags_compile(tmp_path, arch):
    cc, flags = guest_compiler(arch)    # the tool's own flags, -Werror
    (tmp_path / "uk").mkdir()
    (tmp_path / "uk" / "config.h").write_text(
        "#define CONFIG_LIBUKALLOC 1\n#define CONFIG_LIBUKALLOCBUDDY 1\n"
        "#define CONFIG_LIBUKALLOCREGION 1\n#define CONFIG_LIBUKALLOC_TESTS 1\n")
    files = dict(SOURCES)
    incs = ["-I", str(ROOT / "os" / "include"), "-I", str(ALLOC / "include"),
            "-I", str(ROOT / "os" / "lib" / "ukallocbuddy" / "include"),
            "-I", str(ROOT / "os" / "lib" / "ukallocregion" / "include")]
    nolibc = ROOT / "os" / "lib" / "nolibc" / "include"
    files["ukalloc-tests"] = ALLOC / "tests" / "test_alloc.c"      # needs the libc's stdlib.h
    incs += ["-I", str(nolibc), "-I", str(ROOT / "os" / "lib" / "uktest" / "include")]
    for lib, src in files.items():
        cmd = [cc, *flags, "-include", str(tmp_path / "uk" / "config.h"), *incs,
               f'-D__LIBNAME__="{lib}"', "-c", str(src), "-o", str(tmp_path / f"{lib}.o")]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        assert proc.returncode == 0 and not proc.stderr, proc.stderr
