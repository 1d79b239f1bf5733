"""apps/sqlite3 (Debian's sqlite3 3.40.1 on musl, os/lib/sqlite3) against the
host's Debian /usr/bin/sqlite3 (the same version), byte for byte.

- One boot per target (the five VM targets and linuxu) runs
  tests/apps/sqlite3/script.sql (tables, a 10k-row insert in a
  transaction, joins, aggregates, indexes, a view, CTEs, the shell's
  output modes), then persist.sql, which opens data/test.db from the
  rootfs (made here by the host's sqlite3), changes it in committed and
  rolled-back transactions, closes it, reopens it, VACUUMs it and reopens
  it again, within the run; then wal.sql, a second database in WAL mode
  (the -shm file mapped MAP_SHARED, reads through mmap; not on linuxu,
  where a ramfs file cannot be mapped shared). The host runs the same
  scripts in a copy of the same rootfs; stdout must be identical.
- SQL from stdin (no script argument) on qemu/x86_64, qemu/arm64 and
  linuxu/x86_64: the runner's stdin is not a terminal, so the guest's
  console is not one either (devfs.tty=0) and the shell reads it as the
  host's does, with no banner and no prompts.
- The compile-time options (`pragma compile_options`) are Debian's but for
  loadable extensions (off: a static image has no dynamic loader), and
  the Kconfig options reach the compiler (a variant build with some
  changed, on qemu/x86_64).

Each target's image is built once (the runs share the build folder and
its configuration: always with a rootfs).
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from apphelp import app_copy, run_app
from conftest import REPO

pytestmark = pytest.mark.boot

DATA = REPO / "tests" / "apps" / "sqlite3"
TARGETS = ["qemu/x86_64", "microvm/x86_64", "qemu/arm64", "raspi3b/arm64", "zcu102/arm64", "linuxu/x86_64"]
# wal.sql maps the -shm file MAP_SHARED: a ramfs file cannot be on linuxu
# (its pages are the host's private memory: os/lib/posix-mmap/host.c).
NO_SHARED_FILE_MAP = {"linuxu/x86_64"}
STDIN_TARGETS = ["qemu/x86_64", "qemu/arm64", "linuxu/x86_64"]
HOST_SQLITE = "/usr/bin/sqlite3"
# The guest's own bound (a cold build before it is bounded by apphelp's):
# the boot and the scripts take seconds, tens on the boards under TCG.
GUEST_TIMEOUT = 300
STDIN_SQL = """\
SELECT 'stdin', count(*), sum(v) FROM kv;
INSERT INTO kv(k, v) VALUES ('from-stdin', 42);
CREATE TABLE t AS SELECT k, v * 2 AS w FROM kv WHERE v < 5 ORDER BY k;
SELECT * FROM t;
.mode column
.headers on
SELECT k, w FROM t ORDER BY w DESC LIMIT 3;
"""


def make_rootfs(root: Path) -> Path:
    """The scripts at /, and data/test.db: 500 rows made by the host's sqlite3."""
    root.mkdir()
    for name in ("script.sql", "persist.sql", "wal.sql"):
        shutil.copy(DATA / name, root / name)
    (root / "data").mkdir()
    subprocess.run([HOST_SQLITE, str(root / "data" / "test.db"),
                    "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);"
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) "
                    "INSERT INTO kv SELECT 'old' || i, i FROM n;"], check=True)
    return root


def host_run(rootfs: Path, tmp: Path, args: list[str], stdin: str = "") -> str:
    """The host's sqlite3 in a copy of rootfs (its cwd, as / is the guest's)."""
    work = tmp / "host"
    shutil.copytree(rootfs, work)
    # bytes, not text: universal newlines would hide the "\r" of CSV rows
    p = subprocess.run([HOST_SQLITE, *args], cwd=work, input=stdin.encode(), capture_output=True, timeout=120)
    assert p.returncode == 0 and not p.stderr, p.stderr
    return p.stdout.decode()


def guest_run(app: Path, target: str, rootfs: Path, args: list[str], stdin: str = "") -> str:
    r = run_app(app, target, args, rootfs=rootfs, stdin=stdin, boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, f"status {r.rc}\n{r.out[-3000:]}\n{r.err[-3000:]}"
    return r.out


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Path:
    return app_copy("sqlite3", tmp_path_factory.mktemp("sqlite3"))


def test_host_reference_is_debians():
    out = subprocess.run([HOST_SQLITE, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("3.40.1 "), out


@pytest.mark.parametrize("target", TARGETS)
def test_script_and_database_file_match_the_host(app, target, tmp_path):
    rootfs = make_rootfs(tmp_path / "rootfs")
    scripts = ["script.sql", "persist.sql"] + ([] if target in NO_SHARED_FILE_MAP else ["wal.sql"])
    want = host_run(rootfs, tmp_path, [":memory:", *(f".read {s}" for s in scripts)])
    # the scripts really ran: the 10k rows, the file's rows after reopening
    assert "10000|1|10000|542058750.0|542058750.0\n" in want and "after|2500|6128750|old99\n" in want
    assert want.endswith("wal\n3000|112646\nok\n" if "wal.sql" in scripts else "vacuumed|2500|6128750\nok\n")
    got = guest_run(app, target, rootfs, [":memory:", *(f".read /{s}" for s in scripts)])
    assert got == want


@pytest.mark.parametrize("target", STDIN_TARGETS)
def test_sql_from_stdin_matches_the_host(app, target, tmp_path):
    rootfs = make_rootfs(tmp_path / "rootfs")
    want = host_run(rootfs, tmp_path, ["data/test.db"], STDIN_SQL)
    assert want.startswith("stdin|500|125250\n"), want
    got = guest_run(app, target, rootfs, ["data/test.db"], STDIN_SQL)
    assert got == want


def test_compile_options_are_debians_but_load_extension(app, tmp_path):
    rootfs = make_rootfs(tmp_path / "rootfs")
    want = host_run(rootfs, tmp_path, [":memory:", "pragma compile_options"]).splitlines()
    got = guest_run(app, "qemu/x86_64", rootfs, [":memory:", "pragma compile_options"]).splitlines()
    assert "ENABLE_LOAD_EXTENSION" in want and "OMIT_LOAD_EXTENSION" in got
    assert sorted(set(want) - {"ENABLE_LOAD_EXTENSION"}) == sorted(set(got) - {"OMIT_LOAD_EXTENSION"})


def test_kconfig_options_reach_the_compiler(tmp_path):
    app = app_copy("sqlite3", tmp_path)
    rootfs = make_rootfs(tmp_path / "rootfs")
    sets = ["CONFIG_LIBSQLITE3_THREADSAFE=0", "CONFIG_LIBSQLITE3_FTS5=n", "CONFIG_LIBSQLITE3_JSON=n",
            "CONFIG_LIBSQLITE3_CACHE_SIZE=-500", "CONFIG_LIBSQLITE3_MAX_MMAP_SIZE=0",
            "CONFIG_LIBSQLITE3_OMIT_DEPRECATED=y"]
    r = run_app(app, "qemu/x86_64", [":memory:", "pragma compile_options", "pragma cache_size"],
                rootfs=rootfs, sets=sets, boot_timeout=GUEST_TIMEOUT)
    assert r.rc == 0, r.text
    got = r.out.splitlines()
    assert {"THREADSAFE=0", "DEFAULT_CACHE_SIZE=-500", "MAX_MMAP_SIZE=0", "OMIT_JSON", "OMIT_DEPRECATED"} \
        <= set(got), got
    assert "ENABLE_FTS5" not in got and "ENABLE_FTS4" in got and got[-1] == "-500", got
