"""benchmarks/bench_threads.py: the BENCH-line parser and the per-operation
arithmetic on canned consoles, the pthread twin built and run for real on
the host (its output must parse), the table at 80 columns, the plot data."""
from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_threads  # noqa: E402
import benchlines  # noqa: E402
import plots  # noqa: E402

GUEST = """\
Hello noise
BENCH-INFO yield_partner_rounds=80000 main_rounds=80000
BENCH ctxsw_yield n=10000 ops=16 median_ns=4800 p10_ns=4700 p90_ns=5000 min_ns=4600
BENCH thread_create n=10000 ops=1 median_ns=2500 p10_ns=2400 p90_ns=2600 min_ns=2300
BENCH-DONE
"""


def test_per_operation_cost_is_median_over_ops():
    p = benchlines.parse_bench(GUEST)
    assert p["ctxsw_yield"]["per_op_ns"] == 300.0
    assert p["thread_create"]["per_op_ns"] == 2500.0
    assert p["ctxsw_yield"]["n"] == 10000 and p["ctxsw_yield"]["p90_ns"] == 5000


def test_row_checks_the_partner_answered_every_yield():
    row = bench_threads.row_from("uniforge coop", "qemu/x86_64", GUEST, ["ctxsw_yield", "thread_create"])
    assert row["ctxsw_yield_ns"] == 300.0 and row["thread_create_ns"] == 2500.0
    assert row["yield_answered"] == 1.0


def test_missing_line_and_guest_error_are_errors():
    with pytest.raises(benchlines.BenchOutputError, match="ctxsw_sem"):
        bench_threads.row_from("Linux VM", "qemu/x86_64", GUEST, ["ctxsw_sem"])
    with pytest.raises(benchlines.BenchOutputError, match="no scheduler"):
        benchlines.parse_bench("BENCH-ERROR ctxsw: no scheduler in this image\n")


def test_pthread_twin_runs_on_the_host_and_parses(tmp_path):
    exe = tmp_path / "ctxsw"
    subprocess.run(["gcc", "-O2", "-static", "-pthread", "-DBENCH_ON_LINUX",
                    f"-I{REPO / 'benchmarks/apps/common'}", "-o", str(exe),
                    str(REPO / "benchmarks/apps/linux/ctxsw_pthread.c")], check=True, timeout=120)
    out = subprocess.run([str(exe), "10000", "2"], capture_output=True, text=True, timeout=120, check=True).stdout
    row = bench_threads.row_from("Linux host", "host", out, ["ctxsw_sem", "ctxsw_yield", "thread_create"])
    raw = row["raw"]["ctxsw_sem"]
    assert raw["n"] == 10000 and raw["ops"] == 2
    assert raw["min_ns"] <= raw["p10_ns"] <= raw["median_ns"] <= raw["p90_ns"]
    assert row["ctxsw_sem_ns"] == raw["median_ns"] / 2
    assert out.rstrip().endswith("BENCH-DONE")


def _result():
    ok = lambda sys_, where, y, c, s=None: {"system": sys_, "where": where, "error": None,   # noqa: E731
                                           "ctxsw_yield_ns": y, "thread_create_ns": c, "ctxsw_sem_ns": s,
                                           "yield_answered": 1.0}
    return {"samples": 10000, "ops": 16, "rows": [
        ok("Linux host", "host", 514.1, 7898.0, 782.2),
        ok("uniforge coop", "qemu/x86_64", 300.0, 2500.0),
        {"system": "uniforge preempt", "where": "qemu/x86_64", "error": "build failed"},
        ok("Linux VM", "qemu/x86_64", 3000.0, 112399.0, 6608.7),
        ok("uniforge preempt", "qemu/arm64", 1234.5, 56789.0),
        ok("Linux VM", "qemu/arm64", 12345.0, 567890.0, 23456.0)]}


def test_tables_fit_80_columns_and_compare_with_the_vm_of_the_same_target():
    res = _result()
    res["rows"][1]["ctxsw_sem_ns"] = 661.0
    texts = []
    for t in bench_threads.tables(res):
        buf = io.StringIO()
        Console(file=buf, width=80, color_system=None).print(t)
        texts.append(buf.getvalue())
        assert all(len(line) <= 80 for line in texts[-1].splitlines()), texts[-1]
        assert "…" not in texts[-1], texts[-1]
    switch, create = texts
    coop = next(line for line in switch.splitlines() if "uniforge coop" in line)
    assert "300 ns" in coop and "10.0×" in coop, coop       # yield: 3000 / 300
    assert coop.rstrip().endswith("10.0×"), coop            # sem: 6608.7 / 661
    arm = next(line for line in switch.splitlines() if "qemu/arm64" in line and "uniforge" in line)
    assert "10.0×" in arm and arm.rstrip().endswith("-"), arm   # no semaphore figure: no ratio
    coop = next(line for line in create.splitlines() if "uniforge coop" in line)
    assert "2.5 µs" in coop and coop.rstrip().endswith("45.0×"), coop
    assert "failed" in switch and "failed" in create


def test_a_yield_that_was_no_hand_off_is_marked_and_not_compared():
    res = _result()
    res["rows"][3]["yield_answered"] = 1.05          # Linux VM x86: its partner ran extra turns
    buf = io.StringIO()
    Console(file=buf, width=80, color_system=None).print(bench_threads.tables(res)[0])
    lines = buf.getvalue().splitlines()
    vm = next(line for line in lines if "Linux VM" in line and "x86_64" in line)
    assert "3 µs*" in vm, vm
    coop = next(line for line in lines if "uniforge coop" in line)
    assert coop.split()[5] == "-", coop              # no yield ratio against a figure that is not a switch
    assert not bench_threads.yield_is_switch({"yield_answered": 0.98})
    assert bench_threads.yield_is_switch({"yield_answered": 1.0})
    assert bench_threads.errors(_result()) == ["threads uniforge preempt qemu/x86_64: build failed"]


def test_plot_bars_skip_failed_rows():
    bars = plots.bars(_result()["rows"], "ctxsw_yield_ns")
    assert bars[0] == ("Linux host\nhost", 514.1)
    assert [b[1] for b in bars] == [514.1, 300.0, 3000.0, 1234.5, 12345.0]
