"""Debian 12's own sqlite3 (3.40.1, a dynamic PIE on glibc 2.36: the
`sqlite3` package and its libraries, unpacked by uniforge.debroot) in
binary-compatibility mode, against the host's /usr/bin/sqlite3 (the same
package), byte for byte.

One boot per target runs issue 10's three scripts (tests/apps/sqlite3/,
the rootfs of tests/apps/test_sqlite3.py): script.sql (tables, a 10k-row
insert in a transaction, joins, aggregates, indexes, a view, CTEs, the
shell's output modes), persist.sql (data/test.db from the rootfs, changed
in committed and rolled-back transactions with a rollback journal, closed,
reopened, VACUUMed) and wal.sql (a WAL database: the -shm file mapped
MAP_SHARED, reads through mmap). The host runs the same scripts in a copy
of the same rootfs.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
import pytest

from binhelp import TARGETS, enosys, failure, run_binary, split_console, sysroot
from conftest import REPO
from uniforge.debroot import packages_of

sys.path.insert(0, str(REPO / "tests" / "apps"))
from test_sqlite3 import HOST_SQLITE, host_run, make_rootfs    # noqa: E402  (issue 10's rootfs and host run)

pytestmark = pytest.mark.boot

SCRIPTS = ["script.sql", "persist.sql", "wal.sql"]
# The calls the run meets that the kernel does not have (one UK-ENOSYS line
# each): none (glibc's start-up rseq registration has a handler:
# posix-thread's rseq.c).
ENOSYS = []


def test_the_package_is_the_hosts_version():
    """The reference is the same program: Debian's 3.40.1 on both sides."""
    root = sysroot("sqlite3")
    host = subprocess.run([HOST_SQLITE, "--version"], capture_output=True, text=True, check=True).stdout
    assert host.startswith("3.40.1 "), host
    assert any(d.startswith("sqlite3_3.40.1-") for d in packages_of(root)), packages_of(root)


@pytest.mark.parametrize("target", TARGETS)
def test_scripts_match_the_host_byte_for_byte(target, tmp_path):
    check(target, tmp_path)


def check(target: str, tmp_path: Path, options=(), expect_enosys=None):
    """The whole check in one boot (`options`: more `uniforge run`
    options, e.g. tests/binary/test_specialized.py's --specialize).
    `expect_enosys`: the UK-ENOSYS calls the run must log, in order
    (default ENOSYS; a specialised kernel logs the calls it left out)."""
    root = sysroot("sqlite3", target)
    rootfs = make_rootfs(tmp_path / "rootfs")
    want = host_run(rootfs, tmp_path, [":memory:", *(f".read {s}" for s in SCRIPTS)])
    assert "10000|1|10000|542058750.0|542058750.0\n" in want and want.endswith("wal\n3000|112646\nok\n")
    r = run_binary(root, "/usr/bin/sqlite3", target, [":memory:", *(f".read /{s}" for s in SCRIPTS)],
                   rootfs=rootfs, raw=True, options=options)
    assert r.rc == 0, failure(r)
    out, kernel = split_console(r.out)
    assert out.decode().splitlines() == want.splitlines()      # the readable diff first
    assert out.decode() == want
    assert enosys(kernel) == (ENOSYS if expect_enosys is None else expect_enosys), kernel
