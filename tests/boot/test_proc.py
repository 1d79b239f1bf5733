"""Processes and threads (issue 8, helper proc): the in-guest suites of
ukrandom, posix-process, posix-thread and posix-signal on the four targets
of the issue, from a copy of tests/fixtures/proc (cooperative scheduler),
plus exit_group's status, exit()'s "the last thread's exit ends the
process" rule, and the default actions of signals (128 + signal; a fault
without a handler is the crash report). The set of cases that ran must be exactly the set the build
registered (conftest.registered_cases)."""
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "linuxu/x86_64"]
FIXTURE = REPO / "tests" / "fixtures" / "proc"
TIMEOUT = "120"

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("proc") / "proc"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def image_path(build_out: str) -> Path:
    return Path(re.search(r"^(\S+) \(", build_out, re.M).group(1))


@pytest.mark.parametrize("target", TARGETS)
def test_proc_libraries_in_guest(app, target):
    b = uniforge("build", app, "-t", target, timeout=900)
    assert b.rc == 0, b.text
    expected = registered_cases(next(image_path(b.out).parent.glob("*.dbg")))
    assert {"ukrandom_output_never_repeats_across_refills",
            "posix_process_set_ids_follow_linux_rules",
            "posix_thread_clone_like_pthread_create_and_join",
            "posix_thread_cmp_requeue_moves_waiters",
            "posix_thread_trapped_clone_child_resumes_the_frame",
            "posix_signal_sigsegv_from_a_fault_reaches_the_handler",
            "posix_signal_blocked_signal_waits_for_the_unblock",
            "posix_thread_unmapself_unmaps_the_stack_after_the_thread_left_it"} <= expected

    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, timeout=600)
    assert ran_cases(r.out) == expected, r.text
    n = len(expected)
    assert f"UK-TEST-RESULT total={n} passed={n} failed=0" in r.out, r.text
    assert r.rc == 0, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_exit_group_and_last_thread_exit(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "exit_group", "42",
                 timeout=600)
    assert r.rc == 42, r.text
    # main exit()s first: the other thread runs on, and its exit, the last
    # thread's, is the process's
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "exit", timeout=600)
    assert "proc: thread outlived main (1 threads)" in r.out, r.text
    assert r.rc == 9, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_default_signal_actions(app, target):
    # SIGABRT with no handler: the process ends with 128 + 6, as a shell reports it
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "abort", timeout=600)
    assert "killed by SIGABRT (signal 6): exit status 134" in r.out, r.text
    assert r.rc == 134, r.text
    # a fault with no SIGSEGV handler: the crash report, as without posix-signal
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "segv", timeout=600)
    assert "proc: segv" in r.out and "UK-CRASH" in r.out, r.text
    assert r.rc == 255, r.text
