"""benchmarks/bench_fileio.py: fileio.c (built with the host's gcc, as the
Linux baseline is) runs every phase and checks what it reads back; the
harness turns its BENCH lines into per-file and MiB/s figures, names a
failure, and the tables fit 80 columns."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_fileio  # noqa: E402
from benchlines import BenchOutputError  # noqa: E402


@pytest.fixture(scope="module")
def exe(tmp_path_factory):
    out = tmp_path_factory.mktemp("fileio") / "fileio"
    subprocess.run(["gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-DBENCH_ON_LINUX",
                    f"-I{REPO / 'benchmarks/apps/common'}", "-o", str(out), str(bench_fileio.FILEIO_SRC)],
                   check=True, timeout=120)
    return out


def test_fileio_c_runs_every_phase(exe, tmp_path):
    out = subprocess.run([str(exe), "300", "1000", "2", "3", str(tmp_path / "d")], capture_output=True,
                         text=True, timeout=120, check=True).stdout
    row = bench_fileio.row_from("Linux host", "host", out, big=True)
    assert row["error"] is None
    for ph in bench_fileio.SMALL + bench_fileio.BIG:
        assert row[f"{ph}_ns"] > 0
    assert "BENCH-INFO files=300 size=1000 big_mib=2 rounds=3" in out
    assert list((tmp_path / "d").iterdir()) == []          # everything unlinked


def test_fileio_c_reports_errors_as_bench_error(exe, tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f00001").write_text("in the way")   # O_EXCL create fails
    out = subprocess.run([str(exe), "10", "10", "0", "1", str(tmp_path / "d")], capture_output=True,
                         text=True, timeout=60).stdout
    assert f"BENCH-ERROR create {tmp_path / 'd' / 'f00001'}: File exists" in out
    with pytest.raises(BenchOutputError, match="BENCH-ERROR create"):
        bench_fileio.row_from("x", "y", out, big=False)
    out = subprocess.run([str(exe), "0"], capture_output=True, text=True, timeout=60).stdout
    assert "BENCH-ERROR bad arguments" in out


def test_tables_fit_80_columns_and_compare_with_the_vm():
    def row(system, where, k):
        r = {"system": system, "where": where, "error": None}
        r.update({f"{ph}_ns": k * 1000.0 for ph in bench_fileio.SMALL})
        r.update({f"{ph}_ns": k * 1e8 for ph in bench_fileio.BIG})
        return r
    res = {"files": 10000, "size": 1024, "big_mib": 64, "rounds": 5, "rows": [
        row("Linux host", "host /tmp", 1), row("uniforge ramfs", "qemu/x86_64", 2),
        row("Linux VM tmpfs", "qemu/x86_64", 10),
        {"system": "uniforge ramfs", "where": "qemu/arm64", "error": "boom"}]}
    buf = io.StringIO()
    c = Console(file=buf, width=80)
    for t in bench_fileio.tables(res):
        c.print(t)
    text = buf.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "5.0×" in text and "640 MiB/s" in text and "failed" in text
    assert bench_fileio.errors(res) == ["fileio uniforge ramfs qemu/arm64: boom"]
