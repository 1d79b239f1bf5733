"""apps/python3 (Debian's python3.11 3.11.2 on musl, os/lib/python3) against
the host's Debian /usr/bin/python3.11 (the same version), byte for byte.

tests/apps/python3/script.py uses json, re, hashlib (every built-in hash:
no OpenSSL in the guest), datetime, collections and reads
/data/orders.csv from the rootfs; the guest runs it from the rootfs with
the library's default standard-library subset (os/lib/python3/library.toml
`rootfs`), the host on the same files. PYTHONHASHSEED=0 on both sides.

CPython is the biggest build of the suite: its cold build (the object
cache empty, 2 cores) takes minutes; every later build of any target of
the same architecture copies it from the object cache. The boots are
marked slow (the suite still runs them).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from apphelp import app_copy, run_app
from conftest import REPO

pytestmark = [pytest.mark.boot, pytest.mark.slow]

DATA = REPO / "tests" / "apps" / "python3"
HOST_PYTHON = "/usr/bin/python3.11"
# CPython's start-up and the script under TCG: seconds; on a loaded host more.
GUEST_TIMEOUT = 300


def make_rootfs(root: Path) -> Path:
    """script.py at /, data/orders.csv (the library adds the stdlib)."""
    shutil.copytree(DATA / "rootfs", root)
    shutil.copy(DATA / "script.py", root / "script.py")
    return root


def host_output(root: Path) -> str:
    p = subprocess.run([HOST_PYTHON, str(root / "script.py"), str(root / "data" / "orders.csv")],
                       capture_output=True, text=True, env={"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"},
                       check=True, timeout=60)
    return p.stdout


@pytest.mark.parametrize("target", ["qemu/x86_64"])
def test_script_matches_the_host(tmp_path, target):
    app = app_copy("python3", tmp_path)
    root = make_rootfs(tmp_path / "rootfs")
    expected = host_output(root)
    assert "sha3_256" in expected and '"total": 189.49' in expected    # the script ran to its end
    r = run_app(app, target, ["/script.py"], rootfs=root, env=["PYTHONHASHSEED=0"],
                boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, r.text
    assert r.out == expected, r.text
