"""benchmarks/bench_pi.py: pi.c (built with the host's gcc, as the Linux
baseline is) prints the right digits, the reference and the checks catch a
wrong or missing answer, the table fits 80 columns."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_pi  # noqa: E402
from benchlines import BenchOutputError  # noqa: E402


def test_reference_digits():
    assert bench_pi.reference_digits(50) == "31415926535897932384626433832795028841971693993751"
    assert len(bench_pi.reference_digits(6000)) == 6000        # past Python's int->str limit


def test_pi_c_prints_the_reference_digits(tmp_path):
    exe = tmp_path / "pi"
    subprocess.run(["gcc", "-O2", "-DBENCH_ON_LINUX", f"-I{REPO / 'benchmarks/apps/common'}", "-o", str(exe),
                    str(bench_pi.PI_SRC)], check=True, timeout=120)
    out = subprocess.run([str(exe), "2000", "2"], capture_output=True, text=True, timeout=60, check=True).stdout
    times = bench_pi.check_runs(out, 2000, 2)
    assert len(times) == 2 and all(isinstance(t, int) and t > 0 for t in times)


def test_wrong_or_missing_digits_are_errors():
    good = f"BENCH-PI rep=0 digits=8 ns=5 hash={bench_pi.fnv1a('31415926')} head=31415926\nBENCH-DONE\n"
    assert bench_pi.check_runs(good, 8, 1) == [5]
    with pytest.raises(BenchOutputError, match="wrong digits"):
        bench_pi.check_runs(good.replace("hash=", "hash=0"), 8, 1)
    with pytest.raises(BenchOutputError, match="expected 2"):
        bench_pi.check_runs(good, 8, 2)


def test_table_fits_80_columns():
    rows = [bench_pi._row("Linux host", "host", [40_000_000, 30_000_000, 35_000_000]),
            bench_pi._row("uniforge", "qemu/x86_64", [70_000_000]),
            bench_pi._row("Linux VM", "qemu/x86_64", [35_000_000]),
            bench_pi._row("uniforge", "qemu/arm64", None, "boom")]
    assert rows[0]["median_ns"] == 35_000_000
    buf = io.StringIO()
    for t in bench_pi.tables({"digits": 10000, "reps": 3, "rows": rows}):
        Console(file=buf, width=80, color_system=None).print(t)
    text = buf.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines()) and "…" not in text, text
    ours = next(line for line in text.splitlines() if "uniforge" in line and "x86_64" in line)
    assert "70 ms" in ours and "2.0×" in ours, ours
    assert bench_pi.errors({"rows": rows}) == ["pi uniforge qemu/arm64: boom"]
