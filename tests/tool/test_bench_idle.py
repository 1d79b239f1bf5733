"""benchmarks/bench_idle.py: reading QEMU's CPU time from /proc (the stat
line's parsing, the per-minute arithmetic), the measurement loop against
stand-in processes instead of QEMU (one sleeping, one spinning), and the
table at 80 columns."""
from __future__ import annotations

import io
import sys

import pytest
from rich.console import Console

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_idle  # noqa: E402
from common import BaselineError  # noqa: E402

# A real /proc/<pid>/stat layout, with a command name holding ") (" to
# show fields are counted from the last ')'. utime=1234, stime=56.
STAT = ("4242 (qemu (x86)) S) S 1 4242 4242 0 -1 4194560 9301 0 0 0 1234 56 0 0 20 0 5 0 "
        "987654 2147483648 20000 18446744073709551615 1 1 0 0 0 0 0 4096 17 1 0 0 0 0 0\n")


def test_cpu_ticks_are_utime_plus_stime():
    assert bench_idle.cpu_ticks(STAT) == 1234 + 56


def test_per_minute():
    assert bench_idle.per_minute(0.5, 30.0) == pytest.approx(1.0)
    assert bench_idle.per_minute(0.0, 30.0) == 0.0


def _ready_then(py: str) -> list[str]:
    return [sys.executable, "-c", f"print('BENCH-IDLE-READY', flush=True)\n{py}"]


def test_a_sleeping_process_costs_next_to_nothing():
    r = bench_idle.idle_cost(_ready_then("import time; time.sleep(60)"), window_s=1.0, settle_s=0.0)
    assert 1.0 <= r["window_s"] < 1.5
    assert r["cpu_ns_sched"] < 5_000_000, r          # a sleeping process: no CPU in the window
    assert r["cpu_s_per_min"] == pytest.approx(r["cpu_ns_sched"] / 1e9 / r["window_s"] * 60)


def test_a_spinning_process_is_counted_by_both_clocks():
    # the scheduler's ns and stat's 10 ms ticks see the same CPU time (the
    # share of a CPU it got on a busy host is not the point). The two are
    # read one after the other at each end of the window: a busy host that
    # stops the reader between them while the spinner runs puts them apart
    # by that while, so a disagreement is measured again (3 times at
    # most); clocks that count differently disagree every time.
    for _ in range(3):
        r = bench_idle.idle_cost(_ready_then("while True: pass"), window_s=1.0, settle_s=0.0)
        assert r["cpu_ns_sched"] > 100 * r["tick_s"] * 1e9 / 100, r
        if abs(r["cpu_ns_sched"] / 1e9 - r["cpu_s"]) <= 3 * r["tick_s"]:
            break
    assert abs(r["cpu_ns_sched"] / 1e9 - r["cpu_s"]) <= 3 * r["tick_s"], r


def test_a_guest_that_never_gets_ready_is_an_error():
    with pytest.raises(BaselineError, match="no BENCH-IDLE-READY.*it broke"):
        bench_idle.idle_cost([sys.executable, "-c", "print('it broke')"], window_s=1.0, boot_timeout=5)


def test_table_fits_80_columns():
    row = lambda s, t, m: {"system": s, "target": t, "cpu_s_per_min": m, "cpu_percent": m / 60 * 100,  # noqa: E731
                           "error": None}
    res = {"window_s": 30.0, "rows": [row("uniforge", "qemu/x86_64", 0.03), row("Linux VM", "qemu/x86_64", 0.31),
                                       {"system": "uniforge", "target": "qemu/arm64", "error": "time.h missing"},
                                       row("Linux VM", "qemu/arm64", 1.2)]}
    buf = io.StringIO()
    for t in bench_idle.tables(res):
        Console(file=buf, width=80, color_system=None).print(t)
    text = buf.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines()) and "…" not in text, text
    ours = next(line for line in text.splitlines() if line.lstrip().startswith("uniforge") and "x86" in line)
    assert "0.03" in ours and "10.3×" in ours, ours
    assert bench_idle.errors(res) == ["idle uniforge qemu/arm64: time.h missing"]
