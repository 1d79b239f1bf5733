"""Boot time per scheduler: the guest's own boot time (first instruction to
main, the UK-BOOT-TIME line of CONFIG_UKBOOT_SHOW_BOOTTIME) of hello built
with no scheduler, the cooperative one and the preemptive one, with the
image size of each, so the cost a scheduler adds is visible.

"none" must not regress by more than 10 %: its median is compared with the
previous figure in benchmarks/results/ (the last schedboot.json, else the
hello boot time of bench.json), when there is one. Reported, not asserted:
under TCG the figure moves with the host's load.

    boot_ns_of(console)            -> the UK-BOOT-TIME value, or None
    regression(now_us, before_us)  -> fractional change (+0.05: 5 % slower)
    measure(targets, runs)         -> {"rows": [...], "previous": {...}}
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from benchlines import median
from common import REPO_DIR, RESULTS_DIR, BaselineError, log
from programs import build_app, run_app
from bench_threads import SCHEDULERS

HELLO = REPO_DIR / "apps" / "helloworld"
HELLO_LINE = "Hello from uniforge!"
VARIANTS = {"none": [], **SCHEDULERS}
REGRESSION_LIMIT = 0.10
_BOOT = re.compile(r"^UK-BOOT-TIME ns=(\d+)", re.M)


def boot_ns_of(console: str) -> int | None:
    m = _BOOT.search(console)
    return int(m.group(1)) if m else None


def regression(now_us: float | None, before_us: float | None) -> float | None:
    if not now_us or not before_us:
        return None
    return now_us / before_us - 1.0


def previous_none_us(results_dir: Path = RESULTS_DIR) -> dict[str, dict]:
    """{target: {"us": median, "from": file}} of the last measurement of hello
    without a scheduler found in ``results_dir``."""
    out: dict[str, dict] = {}
    bench = results_dir / "bench.json"
    if bench.exists():
        for target, row in json.loads(bench.read_text()).get("uniforge", {}).items():
            if isinstance(row, dict) and row.get("guest_boot_us"):
                out[target] = {"us": row["guest_boot_us"], "from": bench.name}
    sb = results_dir / "schedboot.json"
    if sb.exists():
        for r in json.loads(sb.read_text()).get("rows", []):
            if r.get("scheduler") == "none" and r.get("boot_us"):
                out[r["target"]] = {"us": r["boot_us"], "from": sb.name}
    return out


def measure(targets: list[str], runs: int = 10) -> dict:
    previous = previous_none_us()
    rows = []
    for target in targets:
        for sched, sets in VARIANTS.items():
            log(f"schedboot: hello ({sched}) on {target}, {runs} boots")
            try:
                p, res = build_app(HELLO, target, ["CONFIG_UKBOOT_SHOW_BOOTTIME=y", *sets])
                boots = [boot_ns_of(run_app(p, res, [], timeout=60, marker=HELLO_LINE)["console"])
                         for _ in range(runs)]
                ok = [b for b in boots if b is not None]
                if not ok:
                    raise BaselineError("no UK-BOOT-TIME line in any boot")
                us = median([b / 1000 for b in ok])
                row = {"target": target, "scheduler": sched, "boot_us": us, "boot_min_us": min(ok) / 1000,
                       "runs": runs, "ok_runs": len(ok), "image_bytes": res.image.stat().st_size, "error": None}
                if sched == "none" and target in previous:
                    row["previous_us"] = previous[target]["us"]
                    row["previous_from"] = previous[target]["from"]
                    row["regression"] = regression(us, previous[target]["us"])
                    row["regressed"] = row["regression"] > REGRESSION_LIMIT
                rows.append(row)
            except BaselineError as e:
                rows.append({"target": target, "scheduler": sched, "error": str(e).splitlines()[0][:300]})
    return {"runs": runs, "rows": rows}


def tables(result: dict) -> list:
    from rich import box
    from rich.table import Table

    t = Table(title=f"hello: guest boot to main per scheduler (median of {result['runs']})",
              caption="vs none: the boot time a scheduler adds; none vs before: against the previous "
                      "result in benchmarks/results (limit +10 %)",
              box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, title_justify="left", caption_justify="left")
    for col, just in (("target", "left"), ("scheduler", "left"), ("boot", "right"), ("vs none", "right"),
                      ("image", "right"), ("none vs before", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    none = {r["target"]: r for r in result["rows"] if r["scheduler"] == "none" and not r["error"]}
    for r in result["rows"]:
        if r["error"]:
            t.add_row(r["target"], r["scheduler"], "failed", "-", "-", "-")
            continue
        base = none.get(r["target"])
        added = f"{r['boot_us'] - base['boot_us']:+.0f} µs" if base and r["scheduler"] != "none" else "-"
        before = "-"
        if r.get("regression") is not None:
            before = f"{r['regression'] * 100:+.1f} %" + (" (!)" if r["regressed"] else "")
        t.add_row(r["target"], r["scheduler"], f"{r['boot_us']:.0f} µs", added, f"{r['image_bytes']} B", before)
    return [t]


def errors(result: dict) -> list[str]:
    out = [f"schedboot {r['target']} {r['scheduler']}: {r['error']}" for r in result["rows"] if r["error"]]
    out += [f"schedboot {r['target']} none: boot {r['regression'] * 100:+.1f} % vs {r['previous_from']} "
            f"(limit +{REGRESSION_LIMIT * 100:.0f} %)" for r in result["rows"] if r.get("regressed")]
    return out
