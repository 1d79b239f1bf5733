"""Memory and time syscalls (issue 8, mem's area): posix-mmap and
posix-time's in-guest suites, and the page-fault handler chain
(uk/fault.h), on qemu/x86_64, microvm/x86_64, qemu/arm64 and linuxu/x86_64.

One image per target from a copy of tests/fixtures/posixmem (hermetic;
with vfscore for file mappings and posix-signal for SIGALRM). Built with
the suites, one boot runs every case the build registered
(mmap/munmap/mprotect/mremap/madvise/brk
semantics, private and shared ramfs file mappings, demand paging, a write
to a PROT_READ page and a read of a PROT_NONE page seen by a test fault
handler after demand paging passed them on; clocks, resolutions, sleeps,
itimers, SIGALRM interrupting sleeps). Without the suites, the fixture's
modes fault in an mmap'd page with no handler claiming the fault: the
crash report must name the faulting function, status 255, exactly as for
any other fault; and an unhandled SIGALRM ends the program (status 142).
"""
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

TARGETS = ["linuxu/x86_64", "qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "posixmem"
SUITES = ["--set", "CONFIG_LIBUKTEST=y", "--set", "CONFIG_LIBPOSIX_MMAP_TESTS=y",
          "--set", "CONFIG_LIBPOSIX_TIME_TESTS=y"]
TIMEOUT = "120"

pytestmark = pytest.mark.boot

# What the UK-CRASH line must say, per mode and kind of target.
WORDS = {
    "ro-write": {"linuxu": "segmentation fault", "x86": "write to a read-only page",
                 "arm": "write, permission fault"},
    "fresh-write": {"linuxu": "segmentation fault", "x86": "page not present",
                    "arm": "write, translation fault"},
    "none-read": {"linuxu": "segmentation fault", "x86": "page not present",
                  "arm": "read, translation fault"},
}
FUNCTION = {"ro-write": "write_read_only", "fresh-write": "write_read_only", "none-read": "read_guard"}


def kind(target):
    return "linuxu" if target.startswith("linuxu") else "arm" if target.endswith("arm64") else "x86"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("posixmem") / "posixmem"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def image_path(build_out: str) -> Path:
    return Path(re.search(r"^(\S+) \(", build_out, re.M).group(1))


SCHEDULED = [("qemu/x86_64", "PREEMPT"), ("qemu/arm64", "COOP")]


@pytest.mark.parametrize("target,sched", [(t, None) for t in TARGETS] + SCHEDULED)
def test_mmap_and_time_suites_in_guest(app, target, sched):
    """Also under a scheduler (preempt on x86, coop on arm64): sleeps block
    a thread (an itimer expiry while it is the one idling in the scheduler
    must still end its sleep), the fault handler and timer callbacks run
    between time slices."""
    sets = SUITES + (["--set", f"CONFIG_UKSCHED_{sched}=y"] if sched else [])
    b = uniforge("build", app, "-t", target, *sets, timeout=900)
    assert b.rc == 0, b.text
    expected = registered_cases(next(image_path(b.out).parent.glob("*.dbg")))
    assert {"posix_mmap_write_to_read_only_reaches_the_fault_chain",
            "posix_mmap_prot_none_guard_is_not_demand_paged",
            "posix_mmap_brk_grows_zeroed_and_shrinks",
            "posix_time_monotonic_clocks_never_go_back", "posix_time_nanosleep_is_never_short",
            "posix_time_itimer_expiries_follow_the_clock"} <= expected
    assert "posix_mmap_private_file_mapping_is_a_copy" in expected
    if kind(target) != "linuxu":
        assert {"posix_mmap_region_walker", "posix_mmap_shared_file_mapping_is_the_file",
                "posix_mmap_private_file_mapping_shares_until_written",
                "posix_mmap_snapshot_keeps_file_pages_shared",
                "posix_mmap_stats_count_faults_and_file_pages"} <= expected
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, *sets, timeout=900)
    assert r.rc == 0, r.text
    assert ran_cases(r.out) == expected, r.text
    assert "UK-TEST FAIL" not in r.out, r.text
    assert f"UK-TEST-RESULT total={len(expected)} passed={len(expected)} failed=0" in r.out, r.text


@pytest.mark.parametrize("mode", list(WORDS))
@pytest.mark.parametrize("target", TARGETS)
def test_unclaimed_fault_in_a_mapping_is_a_crash_report(app, target, mode):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", mode, timeout=600)
    assert f"posixmem: {mode}" in r.out, r.text
    assert f"survived {mode}" not in r.out, r.text
    assert r.rc == 255, r.text
    crash = re.search(r"^UK-CRASH (.*)$", r.out, re.M)
    assert crash and WORDS[mode][kind(target)] in crash.group(1), r.text
    bt = [line for line in r.out.splitlines() if line.startswith("UK-BT #")]
    assert bt and f" in {FUNCTION[mode]}+" in bt[0], r.text


@pytest.mark.parametrize("target", [t for t in TARGETS if kind(t) != "linuxu"])
def test_touching_more_than_memory_says_out_of_memory(app, target):
    """A granted mapping larger than the guest's memory, touched page by
    page: when the heap has no page left, the fault cannot be cured; the
    console says it is memory, then the crash report (on linuxu the host
    kernel pages it in: not ours)."""
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "exhaust", timeout=600)
    assert "posixmem: exhaust" in r.out, r.text
    assert "survived exhaust" not in r.out, r.text
    assert r.rc == 255, r.text
    assert re.search(r"posix-mmap: out of memory: no free page for 0x[0-9a-f]+ in a mapping", r.out), r.text
    assert "UK-CRASH" in r.out, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_sigalrm_default_action_ends_the_program(app, target):
    """setitimer(ITIMER_REAL) and a long nanosleep: the SIGALRM the timer
    raises (posix-signal's default action) ends the program with 128 + 14,
    long before the sleep would have (the run's timeout)."""
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "alarm", timeout=600)
    assert "posixmem: alarm" in r.out, r.text
    assert "survived alarm" not in r.out, r.text
    assert "killed by SIGALRM" in r.text, r.text
    assert r.rc == 142, r.text

