"""rseq's restart (os/lib/posix-thread/rseq.c) through the native call, on
the preemptive scheduler, from a copy of tests/fixtures/rseq: a thread
preempted inside a critical section that never ends by itself (a jump to
itself between its start and commit labels) is sent to abort_ip, and
rseq_cs is cleared; with a signature other than the 4 bytes before
abort_ip, what Linux answers with SIGSEGV is the crash report. The POSIX
suite's tests/posix/rseq.c covers the trapped call against Linux."""
import shutil

import pytest

from conftest import REPO, uniforge

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "rseq"
TIMEOUT = "120"

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("rseq") / "rseq"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_preempted_section_goes_to_abort_ip(app, target):
    b = uniforge("build", app, "-t", target, "-q", timeout=900)
    assert b.rc == 0, b.text
    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, timeout=600)
    assert "rseq: registered 0 cpu_id 0" in r.out, r.text
    assert "rseq: aborted, rseq_cs 0" in r.out, r.text
    assert r.rc == 0 and "UK-CRASH" not in r.text, r.text

    r = uniforge("run", app, "-t", target, "-q", "--timeout", TIMEOUT, "--", "badsig", timeout=600)
    assert "UK-CRASH rseq: the 4 bytes before abort_ip are not the registered signature" in r.text, r.text
    assert "rseq: aborted" not in r.out and r.rc == 255, r.text
