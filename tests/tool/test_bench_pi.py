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
import programs  # noqa: E402
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
    assert "BENCH-PI-START" not in out                        # no pause: no frame lines


def test_cpu_time_is_read_between_the_frame_lines(tmp_path):
    """The harness's reading of the host process's CPU time (run_watched)
    brackets each repetition: a 4000-digit run costs CPU, the 300 ms
    pauses around it cost next to none."""
    exe = tmp_path / "pi"
    subprocess.run(["gcc", "-O2", "-DBENCH_ON_LINUX", f"-I{REPO / 'benchmarks/apps/common'}", "-o", str(exe),
                    str(bench_pi.PI_SRC)], check=True, timeout=120)
    r = programs.run_watched([str(exe), "4000", "2", "300"], bench_pi.TAGS, timeout=60)
    assert [m[0].split()[0] for m in r["marks"]] == ["BENCH-PI-START", "BENCH-PI"] * 2
    cpu = bench_pi.cpu_per_rep(r["marks"])
    times = bench_pi.check_runs(r["console"], 4000, 2)
    assert len(cpu) == 2 and all(c > 0 for c in cpu)
    # CPU used in a repetition can't exceed the wall time it took (one thread)
    # plus the wake-up from the pause; it is nowhere near the 300 ms pauses
    assert all(c < t + 50_000_000 for c, t in zip(cpu, times)), (cpu, times)


def test_cpu_per_rep_pairs_the_lines():
    marks = [("BENCH-PI-START rep=0", 100), ("BENCH-PI rep=0 digits=8", 350),
             ("BENCH-PI-START rep=1", 360), ("BENCH-PI rep=1 digits=8", 600)]
    assert bench_pi.cpu_per_rep(marks) == [250, 240]
    with pytest.raises(BenchOutputError, match="without a BENCH-PI-START"):
        bench_pi.cpu_per_rep(marks[1:])


def test_wrong_or_missing_digits_are_errors():
    good = f"BENCH-PI rep=0 digits=8 ns=5 hash={bench_pi.fnv1a('31415926')} head=31415926\nBENCH-DONE\n"
    assert bench_pi.check_runs(good, 8, 1) == [5]
    with pytest.raises(BenchOutputError, match="wrong digits"):
        bench_pi.check_runs(good.replace("hash=", "hash=0"), 8, 1)
    with pytest.raises(BenchOutputError, match="expected 2"):
        bench_pi.check_runs(good, 8, 2)


def test_table_fits_80_columns():
    rows = [bench_pi._row("Linux host", "host", [40_000_000, 30_000_000, 35_000_000], [30_000_000] * 3),
            bench_pi._row("uniforge", "qemu/x86_64", [70_000_000], [20_000_000]),
            bench_pi._row("Linux VM", "qemu/x86_64", [35_000_000], [40_000_000]),
            bench_pi._row("uniforge", "qemu/arm64", None, None, "boom")]
    assert rows[0]["median_ns"] == 35_000_000
    buf = io.StringIO()
    for t in bench_pi.tables({"digits": 10000, "reps": 3, "rows": rows}):
        Console(file=buf, width=80, color_system=None).print(t)
    text = buf.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines()) and "…" not in text, text
    ours = next(line for line in text.splitlines() if "uniforge" in line and "x86_64" in line)
    assert "70 ms" in ours and "20 ms" in ours and ours.rstrip().endswith("2.0×"), ours
    assert bench_pi.errors({"rows": rows}) == ["pi uniforge qemu/arm64: boom"]
