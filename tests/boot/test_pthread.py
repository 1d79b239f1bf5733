"""pthreads on musl over posix-thread and uksched (issue 8, helper proc):
tests/fixtures/pthread/main.c, built against musl with the preemptive
scheduler, on qemu/x86_64, microvm/x86_64, qemu/arm64 and linuxu. Joinable
threads with their values, a contended mutex (80000 increments), a
condition-variable queue, __thread per thread, pthread_cond_timedwait on
the realtime clock (FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME) never early,
per-thread signal masks; and detached threads that end on their own.

Two musl paths are not ours to change (os/lib/musl is helper musl's), and
are pinned as strict xfails, so the day they change these tests say so:
- linuxu: musl's __clone (clone.s) issues `syscall`, which on linuxu
  reaches the host's kernel, not our table; musl needs __clone as a call
  to uk_thread_clone() (os/lib/posix-thread/README.md).
- detached threads: musl's __unmapself (assembly) munmaps the stack it
  runs on through a trapped syscall whose handler runs on that stack;
  musl needs __unmapself as a call to uk_thread_unmapself().
Both glue functions were checked against this fixture in a scratch tree
(every case passes on all four targets with them).
"""
import re
import shutil

import pytest

from conftest import REPO, uniforge

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "linuxu/x86_64"]
FIXTURE = REPO / "tests" / "fixtures" / "pthread"
TIMEOUT = "120"
CASES = {"join_values", "mutex_contention", "cond_queue", "tls_per_thread",
         "timedwait_realtime", "signal_masks_per_thread"}
LINUXU_CLONE = pytest.mark.xfail(strict=True, reason="musl's clone.s traps to the host kernel on "
                                 "linuxu: needs __clone as a call to uk_thread_clone() (musl)")
UNMAPSELF = pytest.mark.xfail(strict=True, reason="musl's __unmapself.s unmaps the stack its "
                              "trapped munmap runs on: needs uk_thread_unmapself() (musl)")

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("pthread") / "pthread"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def cases(out: str) -> dict[str, str]:
    return dict(re.findall(r"^UK-PTHREAD (\w+) (ok|FAIL.*)$", out, re.M))


@pytest.mark.parametrize("target", [pytest.param(t, marks=LINUXU_CLONE) if t.startswith("linuxu")
                                    else t for t in TARGETS])
def test_joinable_threads_mutex_cond_tls(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, timeout=900)
    assert cases(r.out) == {c: "ok" for c in CASES}, r.text
    assert "UK-PTHREAD-DONE failed=0" in r.out and r.rc == 0, r.text


@UNMAPSELF
@pytest.mark.parametrize("target", TARGETS)
def test_detached_threads_end_on_their_own(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "detached", timeout=900)
    assert cases(r.out) == {"detached_threads": "ok"}, r.text
    assert r.rc == 0, r.text
