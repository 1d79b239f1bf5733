"""The survey's syscall set through glibc (tests/fixtures/survey_glibc:
a dynamic glibc program built with the host's gcc): on Linux every case
must pass; under ukelfload (`uniforge run BINARY`) on qemu/x86_64 and
microvm/x86_64 every case must pass too, with the unknown syscall's
UK-ENOSYS line exactly once although it is called twice.

The program's own checks are the comparison: each is what Linux gives
(the host run proves the program right), so a guest that agrees passes
them all.
"""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import REPO

SRC = REPO / "tests" / "fixtures" / "survey_glibc" / "survey.c"
CASES = ["glibc_files", "glibc_memory", "glibc_threads", "glibc_process", "glibc_signals",
         "glibc_net", "glibc_enosys"]


def results(out: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r"^SURVEY-CASE (\w+) (ok|FAIL.*)$", out, re.M)}


@pytest.fixture(scope="module")
def program(tmp_path_factory):
    """The survey built as Debian builds its programs: gcc, dynamic, PIE."""
    cc = shutil.which("gcc")
    if not cc:
        pytest.fail("gcc not found: install build-essential")
    exe = tmp_path_factory.mktemp("survey-glibc") / "survey"
    subprocess.run([cc, "-O2", "-Wall", "-Wextra", "-Werror", "-pthread", "-o", str(exe), str(SRC)],
                   check=True, capture_output=True, text=True)
    return exe


def test_every_case_passes_on_linux(program, tmp_path):
    r = subprocess.run([str(program), str(tmp_path / "scratch")], capture_output=True, text=True, timeout=60)
    got = results(r.stdout)
    assert list(got) == CASES, r.stdout + r.stderr
    assert all(v == "ok" for v in got.values()) and r.returncode == 0, r.stdout + r.stderr
    assert "SURVEY-RESULT passed=7 failed=0" in r.stdout
