"""fork in one address space (issue 11, helper proc): posix-process's
in-guest suite from a copy of tests/fixtures/fork (fd table, vfscore and
ramfs in the image), whose fork case issues the raw clone syscall through the
trapped entry, changes memory, the break, fds, the cwd, the umask and a
signal action in the child, and checks that the parent sees none of it,
gets the child's pid, and reaps the child's real status with wait4
(exit, death by signal, CLONE_VM|CLONE_VFORK sharing memory, a nested
fork). The set of cases that ran must be exactly the set the build
registered."""
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, ran_cases, registered_cases, uniforge

TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64"]
FIXTURE = REPO / "tests" / "fixtures" / "fork"

pytestmark = pytest.mark.boot


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    d = tmp_path_factory.mktemp("fork") / "fork"
    shutil.copytree(FIXTURE, d, ignore=shutil.ignore_patterns(".uniforge"))
    return d


@pytest.mark.parametrize("target", TARGETS)
def test_fork_in_one_address_space(app, target):
    b = uniforge("build", app, "-t", target, timeout=900)
    assert b.rc == 0, b.text
    image = Path(re.search(r"^(\S+) \(", b.out, re.M).group(1))
    expected = registered_cases(next(image.parent.glob("*.dbg")))
    assert "posix_process_fork_child_changes_nothing_of_the_parent" in expected

    r = uniforge("run", app, "-t", target, "-q", "--timeout", "120", timeout=600)
    assert ran_cases(r.out) == expected, r.text
    n = len(expected)
    assert f"UK-TEST-RESULT total={n} passed={n} failed=0" in r.out, r.text
    assert r.rc == 0, r.text
