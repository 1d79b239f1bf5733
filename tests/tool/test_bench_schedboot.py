"""benchmarks/bench_schedboot.py and run.py's options: the UK-BOOT-TIME
parsing, the regression arithmetic against an earlier result file, the
table (with the +10 % mark) at 80 columns, and the --only/--quick/--samples
rules."""
from __future__ import annotations

import io
import json
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_schedboot  # noqa: E402
import run as bench_run  # noqa: E402


def test_row_keeps_median_and_fastest():
    r = bench_schedboot._row("qemu/x86_64", "coop", [3_000_000, None, 1_000_000, 2_000_000], 123)
    assert (r["boot_us"], r["boot_min_us"], r["runs"], r["ok_runs"]) == (2000.0, 1000.0, 4, 3)
    assert bench_schedboot._row("qemu/x86_64", "coop", [None], 1)["error"]


def test_boot_time_line():
    assert bench_schedboot.boot_ns_of("noise\nUK-BOOT-TIME ns=123456\nHello from uniforge!\n") == 123456
    assert bench_schedboot.boot_ns_of("Hello from uniforge!\n") is None


def test_regression():
    assert bench_schedboot.regression(110.0, 100.0) == pytest.approx(0.10)
    assert bench_schedboot.regression(90.0, 100.0) == pytest.approx(-0.10)
    assert bench_schedboot.regression(None, 100.0) is None


def test_previous_figure_prefers_the_last_schedboot_result(tmp_path):
    assert bench_schedboot.previous_none_us(tmp_path) == {}
    (tmp_path / "bench.json").write_text(json.dumps({"uniforge": {
        "qemu/x86_64": {"guest_boot_us": 900.0}, "qemu/arm64": {"guest_boot_us": 2000.0}}}))
    (tmp_path / "schedboot.json").write_text(json.dumps({"rows": [
        {"target": "qemu/x86_64", "scheduler": "none", "boot_us": 1100.0, "boot_min_us": 1000.0},
        {"target": "qemu/x86_64", "scheduler": "coop", "boot_us": 5000.0, "boot_min_us": 4000.0}]}))
    assert bench_schedboot.previous_none_us(tmp_path) == {
        "qemu/x86_64": {"us": 1100.0, "min_us": 1000.0, "from": "schedboot.json"},
        "qemu/arm64": {"us": 2000.0, "min_us": None, "from": "bench.json"}}


def test_a_regression_needs_both_the_median_and_the_fastest():
    assert bench_schedboot.regressed(0.15, 0.12)
    assert not bench_schedboot.regressed(0.15, 0.05)     # one slow middle boot of three
    assert not bench_schedboot.regressed(0.02, 0.24)     # one unusually fast base boot
    assert bench_schedboot.regressed(0.15, None)         # an old result without the fastest
    assert not bench_schedboot.regressed(None, 0.5)


def test_table_fits_80_columns_and_marks_a_regression():
    rows = [{"target": "qemu/x86_64", "scheduler": "none", "boot_us": 11150.0, "boot_min_us": 1.0,
             "image_bytes": 40960, "previous_us": 1000.0, "previous_from": "bench.json", "regression": 0.15,
             "regressed": True, "base_rev": "main", "base_us": 10800.0, "vs_base": 11150 / 10800 - 1,
             "regressed_vs_base": False, "error": None},
            {"target": "qemu/x86_64", "scheduler": "coop", "boot_us": 11400.0, "boot_min_us": 1.0,
             "image_bytes": 61440, "error": None},
            {"target": "qemu/x86_64", "scheduler": "preempt", "error": "build failed"},
            {"target": "qemu/x86_64", "scheduler": "none@main", "boot_us": 10800.0, "boot_min_us": 1.0,
             "image_bytes": None, "error": None}]
    buf = io.StringIO()
    for t in bench_schedboot.tables({"runs": 10, "base": "main", "rows": rows}):
        Console(file=buf, width=80, color_system=None).print(t)
    text = buf.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines()) and "…" not in text, text
    assert "+15.0 % (!)" in text and "+250 µs" in text and "+3.2 %" in text, text
    assert "none@main" in text and "vs main" in text and "median of 10" in text, text
    assert bench_schedboot.errors({"rows": rows}) == [
        "schedboot qemu/x86_64 preempt: build failed",
        "schedboot qemu/x86_64 none: boot +15.0 % vs bench.json (limit +10 %)"]
    rows[0]["vs_base"], rows[0]["regressed_vs_base"] = 0.2, True
    assert bench_schedboot.errors({"rows": rows})[-1] == (
        "schedboot qemu/x86_64 none: boot +20.0 % vs main in the same run (limit +10 %)")


def test_run_options():
    a = bench_run.parse_args(["--only", "threads,pi", "--quick"])
    assert a.only == ["threads", "pi"] and a.runs == 3 and a.window == 10.0 and a.digits == 4000
    assert bench_run.parse_args([]).only == bench_run.SUITES
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--only", "thread"])
    with pytest.raises(SystemExit):
        bench_run.parse_args(["--samples", "9999"])
