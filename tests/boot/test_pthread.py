"""pthreads on musl over posix-thread and uksched (issue 8, helper proc):
tests/fixtures/pthread/main.c, built against musl with the preemptive
scheduler, on qemu/x86_64, microvm/x86_64, qemu/arm64 and linuxu. Joinable
threads with their values, a contended mutex (80000 increments), a
condition-variable queue, __thread per thread, pthread_cond_timedwait on
the realtime clock (FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME) never early,
per-thread signal masks; and detached threads that end on their own.

musl's __clone and __unmapself are calls into posix-thread
(os/lib/musl/src/clone.c, unmapself.c), not the syscall instruction, so
threads work on linuxu too, where the instruction would reach the host's
kernel.
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
pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("pthread") / "pthread"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


def cases(out: str) -> dict[str, str]:
    return dict(re.findall(r"^UK-PTHREAD (\w+) (ok|FAIL.*)$", out, re.M))


@pytest.mark.parametrize("target", TARGETS)
def test_joinable_threads_mutex_cond_tls(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, timeout=900)
    assert cases(r.out) == {c: "ok" for c in CASES}, r.text
    assert "UK-PTHREAD-DONE failed=0" in r.out and r.rc == 0, r.text


@pytest.mark.parametrize("target", TARGETS)
def test_detached_threads_end_on_their_own(app, target):
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "detached", timeout=900)
    assert cases(r.out) == {"detached_threads": "ok"}, r.text
    assert r.rc == 0, r.text
