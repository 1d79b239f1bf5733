"""The benchmark report stays readable at 80 columns: target names whole,
no cell cut."""
import importlib.util
import io

from rich.console import Console

from conftest import REPO


def test_bench_tables_fit_80_columns():
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    row = {"size": {a.lower(): 123456 for a in bench.ALLOCATORS}, "guest_boot_us": 1234.5,
           "to_line_ms": 123.4, "to_exit_ms": 130.2, "min_memory_mb": 3}
    targets = [t for ts in bench.TARGETS.values() for t, _ in ts]
    results = {"uniforge": {t: row for t in targets},
               "floor": {t: {"time_to_line_s": 0.1234} for t in targets},
               "linux": {t: {"time_to_line_s": 5.5, "vmlinux": {"time_to_line_s": 4.4},
                             "min_memory": {"min_mem_mb": 40}} for t in targets}}
    buf = io.StringIO()
    con = Console(file=buf, width=80, color_system=None)
    for t in bench.tables(results):
        con.print(t)
    text = buf.getvalue()
    assert all(len(line) <= 80 for line in text.splitlines()), text
    assert "…" not in text, text
    for t in targets:
        assert text.count(t + " ") >= 3, (t, text)
