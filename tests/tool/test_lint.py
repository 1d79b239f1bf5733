"""The Python code is lint-clean: `ruff check` (configured in pyproject.toml)
over uniforge/, tests/ and benchmarks/ finds nothing. Ruff is part of the
test extras (`pip install -e '.[test]'`), so a missing ruff is a failure."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def test_ruff_is_clean():
    ruff = Path(sys.executable).parent / "ruff"
    exe = str(ruff) if ruff.exists() else shutil.which("ruff")
    if exe is None:
        pytest.fail("ruff not installed: pip install -e '.[test]' (./dev setup does)")
    r = subprocess.run([exe, "check", "--no-cache", "uniforge", "tests", "benchmarks"], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
