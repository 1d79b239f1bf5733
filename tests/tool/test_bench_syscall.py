"""benchmarks/bench_syscall.py: rows from canned consoles, the program's
Linux twin built and run for real on the host (its output must parse and
the host kernel must answer -ENOSYS to the empty number), the table."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_syscall  # noqa: E402
import benchlines  # noqa: E402

GUEST = """\
UK-ENOSYS nr=400 name=? lib=-
BENCH trap_enosys n=10000 ops=100 median_ns=30000 p10_ns=29000 p90_ns=31000 min_ns=28000
BENCH native_enosys n=10000 ops=100 median_ns=4000 p10_ns=3900 p90_ns=4100 min_ns=3800
BENCH-DONE
"""
LINUX = """\
BENCH trap_enosys n=10000 ops=100 median_ns=90000 p10_ns=89000 p90_ns=91000 min_ns=88000
BENCH trap_getppid n=10000 ops=100 median_ns=120000 p10_ns=119000 p90_ns=121000 min_ns=118000
BENCH-DONE
"""


def test_rows_are_ns_per_call():
    ours = bench_syscall.row_from("uniforge", "qemu/x86_64", GUEST)
    assert ours["trap_enosys_ns"] == 300.0 and ours["native_enosys_ns"] == 40.0
    assert "trap_getppid_ns" not in ours
    vm = bench_syscall.row_from("Linux VM", "qemu/x86_64", LINUX)
    assert vm["trap_getppid_ns"] == 1200.0 and "native_enosys_ns" not in vm


def test_missing_or_failed_output_is_an_error():
    with pytest.raises(benchlines.BenchOutputError, match="trap_enosys"):
        bench_syscall.row_from("uniforge", "qemu/x86_64", "BENCH-DONE\n")
    with pytest.raises(benchlines.BenchOutputError, match="unexpected result"):
        bench_syscall.row_from("uniforge", "qemu/x86_64", "BENCH-ERROR trap_enosys: unexpected result\n")


def test_table_compares_with_the_linux_vm_on_the_same_target():
    res = {"samples": 10000, "ops": 100, "rows": [
        bench_syscall.row_from("uniforge", "qemu/x86_64", GUEST),
        bench_syscall.row_from("Linux VM", "qemu/x86_64", LINUX),
        {"system": "uniforge", "where": "qemu/arm64", "error": "boom"}]}
    buf = io.StringIO()
    Console(file=buf, width=100).print(*bench_syscall.tables(res))
    text = buf.getvalue()
    assert "22.5×" in text and "3.0×" in text          # 900/40 native, 900/300 trapped
    assert "failed" in text
    assert bench_syscall.errors(res) == ["syscall uniforge qemu/arm64: boom"]


def test_linux_twin_runs_on_the_host_and_parses(tmp_path):
    exe = tmp_path / "syscall"
    subprocess.run(["gcc", "-O2", "-static", "-DBENCH_ON_LINUX", f"-I{REPO / 'benchmarks/apps/common'}",
                    "-o", str(exe), str(bench_syscall.SRC)], check=True, timeout=120)
    p = subprocess.run([str(exe), "200", "10"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    row = bench_syscall.row_from("Linux host", "host", p.stdout)
    assert row["trap_enosys_ns"] > 0 and row["trap_getppid_ns"] > 0
