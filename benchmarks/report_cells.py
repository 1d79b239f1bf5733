"""What the application reports share (apps_report.py for issue 10's apps,
binary_report.py for issue 11's binaries): a result's rows looked up, the
numbers read out of a row (throughput, smallest memory), the cells they
print as, the rich table they go in, and the errors list.

A result holds, per app or binary, {"rows": [{"system", "where",
"status", ...}], "reference_error"?}; every cell helper takes a row ({}
when there is none) and returns a string.
"""
from __future__ import annotations

SHORT = {"qemu/x86_64": "pc", "microvm/x86_64": "microvm", "host": "host"}


def row(entry: dict, system: str, where: str) -> dict:
    """The row of ``system`` on ``where`` in an app's or binary's entry; {} when none."""
    return next((r for r in entry["rows"] if r["system"] == system and r["where"] == where), {})


def rps(r: dict, wrk: str) -> dict[str, float]:
    """{test name: requests/s} of a row's throughput: wrk's under the name
    ``wrk``, redis-benchmark's by test ("SET", "GET -P16")."""
    t = r.get("throughput") or {}
    if "wrk" in t:
        return {wrk: t["wrk"]["requests_per_s"]}
    out = {}
    for pl, res in (t.get("redis") or {}).items():
        for test, v in res["tests"].items():
            out[f"{test} -P{pl[1:]}" if pl != "P1" else test] = v["rps"]
    return out


def mem(r: dict) -> tuple[int | None, bool]:
    """(smallest MiB or None, exact: False when the search ran out of time
    and the figure is only an upper bound)."""
    m = r.get("min_memory") or {}
    return m.get("min_mem_mb"), m.get("exact", True)


def ratios(mine: dict[str, float], theirs: dict[str, float]) -> list[tuple[str, float | None]]:
    """An aim row's figure per test of either throughput: mine / theirs,
    None where one side has no number; one ("throughput", None) when
    neither has any (the aim is then reported as not measured)."""
    return [(test, mine[test] / theirs[test] if test in mine and theirs.get(test) else None)
            for test in sorted(mine.keys() | theirs.keys()) or ["throughput"]]


def verdict(x: float | None, target: float, at_most: bool = False) -> bool | None:
    """An aim's "met": x >= target (x <= target with ``at_most``); None when x was not measured."""
    return None if x is None else x <= target if at_most else x >= target


def where(w: str) -> str:
    return SHORT.get(w, w)


def kb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1000:.0f} kB" if n < 10**6 else f"{n / 1e6:.2f} MB"


def ms(s: float | None) -> str:
    return "-" if s is None else f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def mib(r: dict) -> str:
    """The smallest memory of a row, "≤" when the search ran out of time."""
    m, exact = mem(r)
    return "-" if m is None else f"{'' if exact else '≤'}{m} MiB"


def times(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}×"


def status(r: dict) -> str | None:
    """What stands in a row's cells when there is no number; None when it has numbers."""
    if not r:
        return "-"
    return {"not built": "not built", "failed": "failed", "n/a": "n/a"}.get(r.get("status"))


def met(m: bool | None) -> str:
    """An aim's verdict cell."""
    return "-" if m is None else "met" if m else "NOT met"


def table(title: str, cols: list[str], caption: str | None = None):
    """A report's rich table: the first two columns left, numbers right."""
    from rich import box
    from rich.table import Table
    t = Table(title=title, caption=caption, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
              title_justify="left", caption_justify="left")
    for i, c in enumerate(cols):
        t.add_column(c, justify="left" if i < 2 else "right", no_wrap=True)
    return t


def errors(result: dict, key: str) -> list[str]:
    """What could not be measured, one line each, for result[key] ("apps"
    or "binaries"): a reference that failed, a row's error, check or
    throughput error, a memory search without a figure, a VMM floor that
    failed. Rows not applicable ("n/a") say nothing."""
    group = {"apps": "apps", "binaries": "binary"}.get(key, key)
    out = []
    for name, entry in result[key].items():
        if entry.get("reference_error"):
            out.append(f"{group} {name} reference: {entry['reference_error']}")
        for r in entry["rows"]:
            if r.get("status") == "n/a":
                continue
            for k, what in (("error", ""), ("check_error", " check"), ("throughput_error", " throughput")):
                if r.get(k):
                    out.append(f"{group} {name} {r['system']} {r['where']}{what}: {r[k]}")
            mm = r.get("min_memory")
            if mm and mm.get("min_mem_mb") is None:
                out.append(f"{group} {name} {r['system']} {r['where']} memory: {mm.get('note')}")
    for target, fl in result["floor"].items():
        if fl.get("error"):
            out.append(f"{group} VMM floor {target}: {fl['error']}")
    return out
