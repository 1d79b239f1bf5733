"""Parsing the benchmark programs' console lines (benchmarks/apps/common/
bench_report.h) and the arithmetic every benchmark table shares.

    BENCH <name> n=10000 ops=16 median_ns=12500 p10_ns=... p90_ns=... min_ns=...
    BENCH-PI rep=0 digits=10000 ns=233637464 hash=234a09f2 head=3141...
    BENCH-ERROR <what went wrong>
    BENCH-DONE
"""
from __future__ import annotations

import re
import statistics

_KV = re.compile(r"(\w+)=(\S+)")


class BenchOutputError(ValueError):
    """The program reported an error, or its output lacks what was asked for."""


def _value(v: str):
    try:
        return int(v)
    except ValueError:
        return v


def kv(line: str) -> dict:
    """'a=1 b=x' -> {'a': 1, 'b': 'x'} (integers where they parse)."""
    return {k: _value(v) for k, v in _KV.findall(line)}


def parse_bench(text: str) -> dict[str, dict]:
    """Every `BENCH <name> k=v ...` line of ``text`` as {name: {k: v}}, plus
    per_op_ns = median_ns / ops. Raises BenchOutputError on a BENCH-ERROR line."""
    out: dict[str, dict] = {}
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("BENCH-ERROR"):
            raise BenchOutputError(line)
        if not line.startswith("BENCH "):
            continue
        parts = line.split(maxsplit=2)
        if len(parts) < 3:
            continue
        fields = kv(parts[2])
        if isinstance(fields.get("median_ns"), int) and fields.get("ops"):
            fields["per_op_ns"] = fields["median_ns"] / fields["ops"]
        out[parts[1]] = fields
    return out


def parse_tagged(text: str, tag: str) -> list[dict]:
    """Every `<tag> k=v ...` line (e.g. BENCH-PI), in order."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("BENCH-ERROR"):
            raise BenchOutputError(line)
        if line.startswith(tag + " "):
            rows.append(kv(line[len(tag) + 1:]))
    return rows


def require(parsed: dict[str, dict], names: list[str], text: str) -> None:
    missing = [n for n in names if n not in parsed]
    if missing:
        raise BenchOutputError(f"no BENCH line for {', '.join(missing)}; console ends: {text[-400:]!r}")


def ratio(slow: float | None, fast: float | None) -> float | None:
    """How many times ``fast`` beats ``slow`` (None when either is missing or zero)."""
    if not slow or not fast:
        return None
    return slow / fast


def median(xs) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt_ns(ns: float | None) -> str:
    """Readable at a glance in a narrow column: 512 ns, 12.3 µs, 4.56 ms, 1.23 s."""
    if ns is None:
        return "-"
    if ns < 1e3:
        return f"{ns:.0f} ns"
    if ns < 1e6:
        return f"{ns / 1e3:.3g} µs"
    if ns < 1e9:
        return f"{ns / 1e6:.3g} ms"
    return f"{ns / 1e9:.3g} s"


def fmt_x(x: float | None) -> str:
    return "-" if x is None else (f"{x:.1f}×" if x < 100 else f"{x:.0f}×")
